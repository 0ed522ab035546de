//! Temporary files that metadata writes left behind. Every metadata
//! document is written to a `.tmpXXXXXX` file in its folder, synced, then
//! renamed over the document (`sys::json_file::write`), so a process killed
//! in between leaves the temporary file. Every reader ignores it. `log verify`
//! counts the ones older than [`STALE_AFTER`], and `log verify --repair`
//! removes them. A write takes milliseconds, so a file that old has no live
//! writer. If a stopped process did still own one, its rename fails with an
//! error, and the document it meant to replace stays as it was.

use std::fs;
use std::io::ErrorKind as IoErrorKind;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::cluster::handle::Cluster;
use crate::error::{IoContext, Result};
use crate::sys::json_file;

/// How old a temporary file must be before it counts as left behind.
pub const STALE_AFTER: Duration = Duration::from_secs(10 * 60);

impl Cluster {
    /// The temporary files older than [`STALE_AFTER`] in the folders
    /// metadata is written to: the data dir itself, `topics/`, and
    /// everything under `groups/` and `serve/`. They are sorted by path.
    pub fn stale_temp_files(&self) -> Result<Vec<PathBuf>> {
        let layout = self.layout();
        let now = SystemTime::now();
        let mut found = Vec::new();
        collect(layout.root(), false, now, &mut found)?;
        collect(&layout.topics_dir(), false, now, &mut found)?;
        collect(&layout.groups_dir(), true, now, &mut found)?;
        collect(&layout.serve_dir(), true, now, &mut found)?;
        found.sort();
        Ok(found)
    }

    /// Removes `files` (as [`Cluster::stale_temp_files`] found them); one
    /// line per file removed. A file already gone is skipped.
    pub fn remove_stale_temp_files(&self, files: &[PathBuf]) -> Result<Vec<String>> {
        let mut removed = Vec::new();
        for path in files {
            match fs::remove_file(path) {
                Ok(()) => removed.push(format!(
                    "removed {}, a temporary file left by an interrupted metadata write",
                    path.display()
                )),
                Err(e) if e.kind() == IoErrorKind::NotFound => {}
                Err(e) => return Err(e).at("remove", path),
            }
        }
        Ok(removed)
    }
}

/// Adds the stale temporary files in `dir` (and in its subfolders when
/// `deep`) to `found`. A folder that does not exist holds none.
fn collect(dir: &Path, deep: bool, now: SystemTime, found: &mut Vec<PathBuf>) -> Result<()> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == IoErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e).at("list", dir),
    };
    for entry in entries {
        let entry = entry.at("list", dir)?;
        let Ok(kind) = entry.file_type() else { continue };
        let path = entry.path();
        if kind.is_dir() {
            if deep {
                collect(&path, true, now, found)?;
            }
        } else if kind.is_file() && json_file::is_temp_name(&entry.file_name()) && older_than(&path, now, STALE_AFTER) {
            found.push(path);
        }
    }
    Ok(())
}

/// Whether the file at `path` was last changed at least `age` before
/// `now` (a time in the future, or none, is not).
fn older_than(path: &Path, now: SystemTime, age: Duration) -> bool {
    fs::symlink_metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|changed| now.duration_since(changed).ok())
        .is_some_and(|elapsed| elapsed >= age)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_counts_as_old_only_past_the_age() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(".tmpAb12Cd");
        fs::write(&path, b"{}").expect("write");
        let now = SystemTime::now();
        assert!(!older_than(&path, now, Duration::from_secs(60)), "just written");
        assert!(older_than(&path, now + Duration::from_secs(61), Duration::from_secs(60)));
        assert!(!older_than(&dir.path().join("gone"), now, Duration::ZERO), "no file, no age");
    }
}

//! Segment files of one replica directory: names (`<20-digit base>.log`,
//! `.index`, `.timeindex`), listing, sizes and removal. The only place that
//! knows the file extensions. Below it: the indexes, the frame cursor, the
//! open scan, the resume point, compaction's swap files, the torn-tail
//! rule and rebuilding indexes.

pub(super) mod cursor;
pub(super) mod index;
pub(super) mod open_scan;
pub(super) mod reindex;
pub(super) mod resume_point;
pub(super) mod swap;
pub(super) mod torn;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::error::{IoContext, Result};

/// File extension of segment data files.
pub const LOG_EXT: &str = "log";
pub const INDEX_EXT: &str = "index";
pub const TIME_INDEX_EXT: &str = "timeindex";

/// `dir/<base:020>.<ext>`.
pub fn file_path(dir: &Path, base_offset: u64, ext: &str) -> PathBuf {
    dir.join(format!("{base_offset:020}.{ext}"))
}

/// Parses `<20 digits>.log` into its base offset.
pub fn parse_log_name(name: &str) -> Option<u64> {
    let stem = name.strip_suffix(".log")?;
    if stem.len() != 20 || !stem.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    stem.parse().ok()
}

/// Parses `<20 digits>.index` or `<20 digits>.timeindex` into the base
/// offset of the segment it indexes.
pub fn parse_index_name(name: &str) -> Option<u64> {
    let stem =
        name.strip_suffix(&format!(".{INDEX_EXT}")).or_else(|| name.strip_suffix(&format!(".{TIME_INDEX_EXT}")))?;
    parse_log_name(&format!("{stem}.{LOG_EXT}"))
}

/// The base offsets of the segments in `dir`, ascending. A missing directory
/// has no segments.
pub fn list(dir: &Path) -> Result<Vec<u64>> {
    Ok(list_dir(dir)?.map(|listing| listing.bases).unwrap_or_default())
}

/// Whether `dir` holds a log (at least one segment); a missing folder does not.
pub fn holds_log(dir: &Path) -> Result<bool> {
    Ok(!list(dir)?.is_empty())
}

/// The size of segment `base`'s data file; 0 if it is gone.
pub fn log_size(dir: &Path, base: u64) -> u64 {
    fs::metadata(file_path(dir, base, LOG_EXT)).map_or(0, |m| m.len())
}

/// Removes the files of segment `base` that exist: the `.log` first (once
/// it is gone no reader lists the segment), then its indexes. The caller
/// fsyncs the folder.
pub fn remove_files(dir: &Path, base: u64) -> Result<()> {
    for ext in [LOG_EXT, INDEX_EXT, TIME_INDEX_EXT] {
        crate::sys::fs::remove_if_present(&file_path(dir, base, ext))?;
    }
    Ok(())
}

/// What a replica directory holds.
#[derive(Debug, Default)]
pub struct Listing {
    /// Segment base offsets, ascending.
    pub bases: Vec<u64>,
    /// The names of the other entries (indexes, checkpoints, side files).
    pub others: Vec<std::ffi::OsString>,
}

/// Lists `dir` once; `None` if it does not exist.
pub fn list_dir(dir: &Path) -> Result<Option<Listing>> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).at("list", dir),
    };
    let mut listing = Listing::default();
    for entry in entries {
        let name = entry.at("list", dir)?.file_name();
        match name.to_str().and_then(parse_log_name) {
            Some(base) => listing.bases.push(base),
            None => listing.others.push(name),
        }
    }
    listing.bases.sort_unstable();
    Ok(Some(listing))
}

#[cfg(test)]
mod tests_cursor;
#[cfg(test)]
mod tests_torn;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_twenty_digits() {
        let p = file_path(Path::new("d"), 42, LOG_EXT);
        assert_eq!(p, Path::new("d/00000000000000000042.log"));
        assert_eq!(parse_log_name("00000000000000000042.log"), Some(42));
        assert_eq!(parse_log_name("42.log"), None);
        assert_eq!(parse_log_name("00000000000000000042.index"), None);
        assert_eq!(parse_log_name("0000000000000000004x.log"), None);
        assert_eq!(parse_index_name("00000000000000000042.index"), Some(42));
        assert_eq!(parse_index_name("00000000000000000042.timeindex"), Some(42));
        assert_eq!(parse_index_name("00000000000000000042.index.cleaned"), None);
        assert_eq!(parse_index_name("42.index"), None);
    }

    #[test]
    fn listing_sorts_and_ignores_other_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        for name in ["00000000000000000100.log", "00000000000000000000.log", "00000000000000000000.index", "junk"] {
            fs::write(dir.path().join(name), b"").expect("write");
        }
        assert_eq!(list(dir.path()).expect("list"), vec![0, 100]);
        assert!(list(&dir.path().join("missing")).expect("list").is_empty());
    }
}

//! Compaction's segment swap on disk: the side files a rewrite writes
//! (`<base>.<ext>.cleaned`, then `<base>.log.swap` as the commit point) and
//! [`recover_leftovers`], which finishes a committed swap or deletes an
//! uncommitted one after a crash (run by `Log::open` and before each
//! compaction pass).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::error::{IoContext, Result};
use crate::store::segment::{self, INDEX_EXT, LOG_EXT, TIME_INDEX_EXT};
use crate::sys::fs::sync_dir;

pub const CLEANED: &str = "cleaned";
pub const SWAP: &str = "swap";

pub fn side_path(dir: &Path, base: u64, ext: &str, suffix: &str) -> PathBuf {
    dir.join(format!("{base:020}.{ext}.{suffix}"))
}

/// Whether any of these names is a side file a compaction left behind.
pub fn has_leftovers(names: &[std::ffi::OsString]) -> bool {
    names.iter().filter_map(|n| n.to_str()).any(|n| side_suffix(n).is_some())
}

/// A side file's name split into the segment file it stands for and its
/// suffix (`swap` or `cleaned`); `None` for any other name.
fn side_suffix(name: &str) -> Option<(&str, &str)> {
    name.rsplit_once('.').filter(|&(_, suffix)| suffix == SWAP || suffix == CLEANED)
}

/// Finishes or rolls back compaction swaps a killed process left in `dir`.
pub fn recover_leftovers(dir: &Path) -> Result<()> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e).at("list", dir),
    };
    let mut swaps = Vec::new();
    let mut cleaned = Vec::new();
    for entry in entries {
        let name = entry.at("list", dir)?.file_name().to_string_lossy().into_owned();
        match side_suffix(&name) {
            Some((segment_file, SWAP)) => swaps.extend(segment::parse_log_name(segment_file)),
            Some(_) => cleaned.push(dir.join(&name)),
            None => {}
        }
    }
    for &base in &swaps {
        // Committed: the new indexes (if not renamed yet), then the log.
        for ext in [INDEX_EXT, TIME_INDEX_EXT] {
            let from = side_path(dir, base, ext, CLEANED);
            if from.exists() {
                fs::rename(&from, segment::file_path(dir, base, ext)).at("rename", &from)?;
            }
        }
        let from = side_path(dir, base, LOG_EXT, SWAP);
        fs::rename(&from, segment::file_path(dir, base, LOG_EXT)).at("rename", &from)?;
    }
    for path in &cleaned {
        if path.exists() {
            fs::remove_file(path).at("remove", path)?;
        }
    }
    if !swaps.is_empty() || !cleaned.is_empty() {
        sync_dir(dir)?;
    }
    Ok(())
}

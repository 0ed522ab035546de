//! Rebuilding a segment's indexes from its frames: `log verify --repair`'s
//! fix for a damaged `.index` or `.timeindex`. The entries are the ones an
//! append would have written (`IndexPolicy`), for the whole frames up to the
//! first bad one; each index is written to a side file, fsynced and renamed
//! over the old one, so a reader sees the old index or the new one (and
//! trusts an entry only where it points at the frame it claims anyway).

use std::fs::{self, File};
use std::io::Write;
use std::path::Path;

use crate::error::{IoContext, Result};
use crate::store::segment::cursor::{DamagePolicy, FrameCursor, Step};
use crate::store::segment::index::IndexPolicy;
use crate::store::segment::{self, INDEX_EXT, LOG_EXT, TIME_INDEX_EXT};
use crate::sys::fs::open_regular;
use crate::sys::fs::sync_dir;

/// Suffix of an index being rebuilt (ignored by every reader).
const REBUILT: &str = "rebuilt";

/// If `path` is a segment's `.index` or `.timeindex`, rebuilds both indexes
/// of that segment from its `.log` with an entry every `interval` bytes and
/// returns true; any other path is left alone (false). The caller holds the
/// partition's writer lock.
pub fn rebuild_indexes_of(path: &Path, interval: u64) -> Result<bool> {
    let (Some(dir), Some(base)) = (path.parent(), index_base(path)) else { return Ok(false) };
    let log_path = segment::file_path(dir, base, LOG_EXT);
    let (file, meta) = open_regular(&log_path).at("open", &log_path)?;
    let len = meta.len();
    let mut cursor = FrameCursor::new(&file, &log_path, 0, len, DamagePolicy::TornTail);
    let mut policy = IndexPolicy::new(interval);
    let (mut offsets, mut times) = (Vec::new(), Vec::new());
    while let Step::Whole(position, header) = cursor.next_header()? {
        let relative = header.base_offset.checked_sub(base).and_then(|r| u32::try_from(r).ok());
        let (Some(relative), Ok(position)) = (relative, u32::try_from(position)) else { break };
        policy.on_frame(relative, position, header.frame_len, header.max_timestamp, &mut offsets, &mut times);
    }
    for (ext, bytes) in [(INDEX_EXT, &offsets), (TIME_INDEX_EXT, &times)] {
        let target = segment::file_path(dir, base, ext);
        let side = dir.join(format!("{base:020}.{ext}.{REBUILT}"));
        let mut f = File::create(&side).at("create", &side)?;
        f.write_all(bytes).at("write", &side)?;
        f.sync_all().at("fsync", &side)?;
        fs::rename(&side, &target).at("rename", &side)?;
    }
    sync_dir(dir)?;
    Ok(true)
}

/// Whether `path` names a segment's `.index` or `.timeindex` file.
pub fn is_index_file(path: &Path) -> bool {
    index_base(path).is_some()
}

/// The segment base of an index file's path, `None` for any other file.
fn index_base(path: &Path) -> Option<u64> {
    segment::parse_index_name(path.file_name()?.to_str()?)
}

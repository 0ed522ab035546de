//! Per-replica offset checkpoints: small text files in the replica folder
//! holding one offset (`<decimal>\n`), replaced atomically (temp file,
//! fsync, rename, fsync of the folder) so a reader sees the old value or the
//! new one. Two exist:
//!
//! - `log-start-offset`: the first offset a consumer may read. `topic trim`
//!   raises it above the first segment's base before retention deletes the
//!   segments below it; the effective log start is the larger of the two.
//! - `cleaner-offset`: how far compaction reaches in this replica — written
//!   before a pass rewrites anything, and raised before a copy of a
//!   compacted log takes over a gap. Gaps in offsets below it are
//!   compaction's; a gap above it is damage (a segment deleted or emptied),
//!   [`gap_is_damage`]. It also decides whether a pass is worth it.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use crate::error::{Error, IoContext, Result};
use crate::sys::fs::sync_dir;

/// The log start offset checkpoint (Kafka's `log-start-offset-checkpoint`,
/// kept per replica).
pub const LOG_START: &str = "log-start-offset";
/// The compaction checkpoint (Kafka's `cleaner-offset-checkpoint`).
pub const CLEANER: &str = "cleaner-offset";

/// Reads checkpoint `name` of `dir`; `None` when there is none.
/// Text that is not an offset is corruption (exit 74).
pub fn read(dir: &Path, name: &str) -> Result<Option<u64>> {
    let path = dir.join(name);
    let text = match crate::sys::fs::read_regular(&path) {
        Ok((bytes, _)) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).at("read", &path),
    };
    text.trim()
        .parse::<u64>()
        .map(Some)
        .map_err(|_| Error::corrupt(&path, 0, format!("'{}' is not an offset", text.trim())))
}

/// Replaces checkpoint `name` of `dir` with `offset`, durably.
pub fn write(dir: &Path, name: &str, offset: u64) -> Result<()> {
    let path = dir.join(name);
    let tmp = dir.join(format!("{name}.tmp"));
    let mut file = fs::File::create(&tmp).at("create", &tmp)?;
    file.write_all(format!("{offset}\n").as_bytes()).at("write", &tmp)?;
    file.sync_all().at("fsync", &tmp)?;
    fs::rename(&tmp, &path).at("rename", &tmp)?;
    sync_dir(dir)
}

/// Whether the offsets `from..to` missing from the replica in `dir` are
/// damage: only compaction makes gaps, and only below the `cleaner-offset`
/// checkpoint.
pub fn gap_is_damage(dir: &Path, from: u64, to: u64) -> Result<bool> {
    Ok(to > from && to > read(dir, CLEANER)?.unwrap_or(0))
}

/// The effective log start of the replica in `dir` whose first segment
/// starts at `first_base`: the checkpoint if it is higher.
pub fn log_start(dir: &Path, first_base: u64) -> Result<u64> {
    Ok(read(dir, LOG_START)?.map_or(first_base, |c| c.max(first_base)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_missing_and_garbage() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert_eq!(read(dir.path(), LOG_START).expect("read"), None);
        assert_eq!(log_start(dir.path(), 7).expect("start"), 7);
        write(dir.path(), LOG_START, 42).expect("write");
        assert_eq!(read(dir.path(), LOG_START).expect("read"), Some(42));
        assert_eq!(log_start(dir.path(), 7).expect("start"), 42);
        assert_eq!(log_start(dir.path(), 100).expect("start"), 100);
        assert!(!dir.path().join("log-start-offset.tmp").exists());
        fs::write(dir.path().join(CLEANER), "zz").expect("write");
        assert_eq!(read(dir.path(), CLEANER).expect_err("garbage").exit_code(), 74);
    }
}

//! Disk usage of one replica folder (for `log du` and `log verify`'s
//! progress): its segments and the bytes of its files. Read without locks; a
//! folder changing meanwhile just gives a slightly stale number.

use std::fs;
use std::io;
use std::path::Path;

use crate::error::{IoContext, Result};
use crate::store::segment;

/// What one replica folder takes on disk.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DiskUsage {
    pub segments: usize,
    /// Bytes of every file in the folder (segments, indexes, checkpoints).
    pub size_bytes: u64,
    /// Bytes of segment data only (what verifying the replica reads).
    pub segment_bytes: u64,
}

/// The usage of the replica folder `dir`; a missing folder is empty.
pub fn disk_usage(dir: &Path) -> Result<DiskUsage> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(DiskUsage::default()),
        Err(e) => return Err(e).at("list", dir),
    };
    let mut usage = DiskUsage::default();
    for entry in entries {
        let entry = entry.at("list", dir)?;
        // A file deleted since the listing counts as nothing.
        let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
        if entry.file_name().to_str().and_then(segment::parse_log_name).is_some() {
            usage.segments += 1;
            usage.segment_bytes += size;
        }
        usage.size_bytes += size;
    }
    Ok(usage)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_segments_and_all_bytes() {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::write(dir.path().join("00000000000000000000.log"), [0u8; 100]).expect("write");
        fs::write(dir.path().join("00000000000000000000.index"), [0u8; 8]).expect("write");
        fs::write(dir.path().join("00000000000000000042.log"), [0u8; 10]).expect("write");
        let usage = disk_usage(dir.path()).expect("usage");
        assert_eq!((usage.segments, usage.size_bytes, usage.segment_bytes), (2, 118, 110));
        assert_eq!(disk_usage(&dir.path().join("gone")).expect("usage"), DiskUsage::default());
    }
}

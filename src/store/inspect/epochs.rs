//! The leader epochs of one replica as its frame headers record them. Every
//! frame carries the epoch of the leader that appended it, and frames are
//! copied between replicas verbatim, so a replica's epoch history is a walk
//! over its headers (read only, headers only: it may run while a writer
//! appends, and stops at the first frame that is not whole yet). What the
//! epochs mean (Kafka's leader-epoch cache and divergence rule) is the
//! cluster's business; this only reads them.

use std::path::Path;

use crate::error::{IoContext, Result};
use crate::store::segment::open_scan::{self, Verify};
use crate::store::segment::{self, LOG_EXT};
use crate::sys::fs::open_regular;

/// Where one run of frames stamped with the same epoch starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EpochStart {
    pub epoch: u32,
    /// The base offset of the run's first frame.
    pub start_offset: u64,
}

/// The epochs of a replica's frames, in log order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrameEpochs {
    /// One entry each time the epoch changes from one frame to the next
    /// (the first frame starts the first run).
    pub starts: Vec<EpochStart>,
    /// The first offset in the log (the first segment's base).
    pub start_offset: u64,
    /// The offset after the last whole frame (the log end offset).
    pub end_offset: u64,
}

/// Walks every frame header of the replica in `dir`. A missing folder is an
/// empty log at offset 0.
pub fn frame_epochs(dir: &Path) -> Result<FrameEpochs> {
    let segments = segment::list(dir)?;
    let Some(&first) = segments.first() else {
        return Ok(FrameEpochs::default());
    };
    let mut starts: Vec<EpochStart> = Vec::new();
    let mut end_offset = first;
    for (i, &base) in segments.iter().enumerate() {
        let path = segment::file_path(dir, base, LOG_EXT);
        let (file, meta) = open_regular(&path).at("open", &path)?;
        let len = meta.len();
        let scan = open_scan::scan(&file, &path, 0, base, len, Verify::HeadersOnly, |f| {
            if starts.last().is_none_or(|s| s.epoch != f.header.leader_epoch) {
                starts.push(EpochStart { epoch: f.header.leader_epoch, start_offset: f.header.base_offset });
            }
        })?;
        end_offset = scan.next_offset.max(end_offset);
        if scan.torn.is_some() && i + 1 < segments.len() {
            // Only the active segment may end in a partial frame; a closed
            // one that does is damage the store reports when it is read.
            break;
        }
    }
    Ok(FrameEpochs { starts, start_offset: first, end_offset })
}

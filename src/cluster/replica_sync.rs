//! Bringing a follower replica level with its leader, under the partition's
//! writer lock: a longer follower is cut back (what it holds beyond the
//! leader was never acknowledged), a shorter one copies the frames it misses.

use crate::error::Result;
use crate::store::{Log, LogReader};

/// What reconciling a follower did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SyncOutcome {
    pub truncated_from: Option<u64>,
    pub copied: u64,
}

/// Makes `follower` end exactly where `leader` ends.
pub fn level_with(follower: &mut Log, leader: &Log, mut on_progress: impl FnMut(u64)) -> Result<SyncOutcome> {
    let mut outcome = SyncOutcome::default();
    let target = leader.next_offset();
    if follower.next_offset() > target {
        outcome.truncated_from = Some(follower.next_offset());
        follower.truncate_to(target)?;
    }
    if follower.next_offset() >= target {
        return Ok(outcome);
    }
    let mut reader = LogReader::open(leader.dir(), follower.next_offset())?;
    while let Some(frame) = reader.next_frame()? {
        let header = frame.header;
        if header.base_offset >= target {
            break;
        }
        if header.base_offset < follower.next_offset() {
            // The leader's frame straddles the follower's end: re-copy it whole.
            follower.truncate_to(header.base_offset)?;
        }
        if header.base_offset > follower.next_offset() && follower.next_offset() < leader.start_offset() {
            follower.truncate_to(0)?;
        }
        follower.append_copied(frame.bytes, &header)?;
        outcome.copied += u64::from(header.record_count);
        on_progress(header.next_offset());
    }
    Ok(outcome)
}

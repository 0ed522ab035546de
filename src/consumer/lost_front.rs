//! Offsets missing at the front of a leader's log that another in-sync
//! replica still holds: segments deleted or lost, not removed by a trim or
//! retention (those record the new log start before any segment goes). A
//! read that would start in them stops with exit 74, as one that reaches a
//! segment missing in the middle of the log does, rather than starting
//! silently after them; `log verify --repair` or `broker recover` copies
//! them back.

use crate::cluster::{Cluster, PartitionMeta};
use crate::error::{Error, Result};
use crate::store;

/// Offsets below `first` (the leader's first segment) that an in-sync
/// replica other than `leader` holds: that broker and its log start.
pub fn held_elsewhere(
    cluster: &Cluster,
    state: &PartitionMeta,
    leader: u32,
    topic: &str,
    first: u64,
) -> Result<Option<(u32, u64)>> {
    for &b in state.isr.iter().filter(|&&b| b != leader) {
        let dir = cluster.layout().replica_dir(b, topic, state.partition);
        if store::holds_log(&dir)? {
            let start = store::log_end(&dir)?.start_offset;
            if start < first {
                return Ok(Some((b, start)));
            }
        }
    }
    Ok(None)
}

/// The error of a read that would start below `first` (the leader's first
/// segment), in offsets the leader lost and broker `held_by` holds.
pub fn damage(cluster: &Cluster, leader: u32, topic: &str, partition: u32, first: u64, held_by: u32) -> Error {
    let dir = cluster.layout().replica_dir(leader, topic, partition);
    Error::corrupt(
        &dir,
        0,
        format!(
            "the leader's log of {topic}-{partition} starts at offset {first}, but broker {held_by}'s in-sync \
             replica holds earlier offsets that no trim or retention removed (a segment at its front was deleted)"
        ),
    )
}

/// Fails when a reader of `topic`'s partition at `leader` started after
/// offsets missing at the log's front (`skipped`, the first segment's
/// base, [`store::LogReader::skipped_front`]) that another in-sync replica
/// holds.
pub fn check_skipped(
    cluster: &Cluster,
    state: &PartitionMeta,
    leader: u32,
    topic: &str,
    skipped: Option<u64>,
) -> Result<()> {
    let Some(first) = skipped else { return Ok(()) };
    match held_elsewhere(cluster, state, leader, topic, first)? {
        Some((held_by, _)) => Err(damage(cluster, leader, topic, state.partition, first, held_by)),
        None => Ok(()),
    }
}

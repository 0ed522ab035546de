//! Syncing many logs at once, as `produce` does at its end: several fsyncs
//! in flight, each log pushed as far as its [`PersistMode`] asks.

use super::Log;
use crate::error::{Error, Result};
use crate::store::durability::PersistMode;

/// How many fsyncs [`sync_all_parallel`] keeps in flight: the device
/// queues their writes and cache flushes together (and a journaling file
/// system commits their metadata together).
const PARALLEL_SYNCS: usize = 32;

/// Syncs every log as its mode asks, several at a time; the first error wins.
pub fn sync_all_parallel(mut logs: Vec<(&mut Log, PersistMode)>) -> Result<()> {
    logs.retain(|(log, mode)| *mode != PersistMode::Buffer && log.has_unsynced());
    if logs.len() <= 1 {
        return logs.into_iter().try_for_each(|(log, mode)| log.sync(mode));
    }
    let per_thread = logs.len().div_ceil(PARALLEL_SYNCS);
    let mut chunks = Vec::new();
    while !logs.is_empty() {
        let rest = logs.split_off(per_thread.min(logs.len()));
        chunks.push(std::mem::replace(&mut logs, rest));
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| scope.spawn(move || chunk.into_iter().try_for_each(|(log, mode)| log.sync(mode))))
            .collect();
        handles
            .into_iter()
            .try_for_each(|h| h.join().unwrap_or_else(|_| Err(Error::other("internal error: a sync thread failed"))))
    })
}

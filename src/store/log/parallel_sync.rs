//! Syncing many logs at once, as `produce` does at its end: several fsyncs
//! in flight, each log pushed as far as its [`PersistMode`] asks.

use std::sync::Mutex;

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
    each_in_parallel(logs, |(log, mode)| log.sync(mode))
}

/// Runs `work` on every item, on up to `PARALLEL_SYNCS` threads (none
/// for a single item), each taking the next item not taken yet — so a
/// thread that started late, or whose fsyncs were quick, does less or more
/// of the work, not a fixed share. Every item is worked on; the first
/// error (in the threads' order) is returned.
pub fn each_in_parallel<T: Send>(items: Vec<T>, work: impl Fn(T) -> Result<()> + Sync) -> Result<()> {
    if items.len() <= 1 {
        return items.into_iter().try_for_each(work);
    }
    let threads = items.len().min(PARALLEL_SYNCS);
    let queue = Mutex::new(items.into_iter());
    let take_until_empty = || {
        let mut result = Ok(());
        // The lock is let go before the work: one item taken at a time.
        while let Some(item) = queue.lock().ok().and_then(|mut items| items.next()) {
            result = result.and(work(item));
        }
        result
    };
    std::thread::scope(|scope| {
        // The calling thread takes items too; a thread that cannot be
        // started leaves its share to the others.
        let handles: Vec<_> = (1..threads)
            .filter_map(|_| {
                std::thread::Builder::new().name("runnel-sync".into()).spawn_scoped(scope, take_until_empty).ok()
            })
            .collect();
        let here = take_until_empty();
        handles.into_iter().fold(here, |result, handle| {
            result.and(handle.join().unwrap_or_else(|_| Err(Error::other("internal error: a sync thread failed"))))
        })
    })
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use super::*;

    /// Every item is worked on exactly once, however the threads share
    /// them, and so is every item after one that failed; the failure is
    /// what comes back.
    #[test]
    fn every_item_is_worked_on_once_and_a_failure_does_not_stop_the_others() {
        let counts: Vec<AtomicU32> = (0..200).map(|_| AtomicU32::new(0)).collect();
        each_in_parallel((0..200).collect(), |i: usize| {
            counts[i].fetch_add(1, Ordering::Relaxed);
            Ok(())
        })
        .expect("all worked");
        assert!(counts.iter().all(|c| c.load(Ordering::Relaxed) == 1));

        let worked = AtomicU32::new(0);
        let err = each_in_parallel((0..100).collect(), |i: usize| {
            worked.fetch_add(1, Ordering::Relaxed);
            if i == 7 { Err(Error::other("item 7 failed")) } else { Ok(()) }
        })
        .expect_err("the failure is returned");
        assert_eq!(err.message, "item 7 failed");
        assert_eq!(worked.load(Ordering::Relaxed), 100);

        // One item: worked on here, no thread.
        let here = std::thread::current().id();
        each_in_parallel(vec![()], |()| {
            assert_eq!(std::thread::current().id(), here);
            Ok(())
        })
        .expect("one item");
    }
}

//! Early flushes of a long produce: every [`EARLY_FLUSH_EVERY`] bytes the
//! write-back thread has started writing, a segment it just handed to the
//! disk is `fdatasync`ed on a thread of its own. That sync ends in a flush
//! of the disk's volatile cache, so the disk makes what it holds durable
//! while the input is still being read, and the run's final fsyncs find
//! little left to flush. On a disk whose cache flush is slow (a virtual
//! disk whose host writes out what it cached) the final flush otherwise
//! takes most of a bulk produce's end.
//!
//! Only a head start: the final fsyncs still decide durability. The early
//! sync goes through a file description of its own, opened for it. Linux
//! reports a write-back error once per open file description, so a sync on
//! the writer's own description could take an error away from the
//! writer's final `fdatasync`, which must report it.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::{self, SyncSender, TrySendError};

use crate::sys::fault;

/// Bytes started writing back between two early flushes. Measured on the
/// disk, 6 partitions: every 4, 8 and 16 MiB, 204, 198 and 189 ms against
/// 262 ms without (BENCHMARKS.md, "an early device flush").
pub const EARLY_FLUSH_EVERY: u64 = 8 << 20;

/// Counts the bytes started writing back and hands a segment to the flush
/// thread each time [`EARLY_FLUSH_EVERY`] more went out.
pub struct EarlyFlush {
    since: u64,
    /// The flush thread's rendezvous queue (started at the first flush):
    /// a hand-over succeeds only while the thread is idle.
    thread: Option<SyncSender<Arc<Path>>>,
    /// No early flushes in this run: none asked for (`--acks 0`), or the
    /// thread could not be started.
    off: bool,
}

impl EarlyFlush {
    /// Early flushes as `wanted` (a run that ends in fsyncs wants them).
    pub fn new(wanted: bool) -> EarlyFlush {
        EarlyFlush { since: 0, thread: None, off: !wanted }
    }

    /// Counts `bytes` of `segment` started writing back; past the threshold,
    /// asks for an early flush through that segment. A flush still running
    /// is not waited for: the next one is asked for once it is done.
    pub fn written_back(&mut self, bytes: u64, segment: &Arc<Path>) {
        self.since = self.since.saturating_add(bytes);
        if self.off || self.since < EARLY_FLUSH_EVERY {
            return;
        }
        let thread = match self.thread.take().or_else(start_flush_thread) {
            Some(thread) => self.thread.insert(thread),
            None => {
                self.off = true;
                return;
            }
        };
        match thread.try_send(Arc::clone(segment)) {
            Ok(()) => self.since = 0,
            Err(TrySendError::Full(_)) => {}
            Err(TrySendError::Disconnected(_)) => self.off = true,
        }
    }
}

/// Starts the flush thread; it ends when its queue's sender is dropped,
/// after the flush it is in, if any (nobody waits for it: the run's own
/// fsyncs and the process's exit do not depend on it). `None` if it cannot
/// be started.
fn start_flush_thread() -> Option<SyncSender<Arc<Path>>> {
    let (sender, inbox) = mpsc::sync_channel::<Arc<Path>>(0);
    let spawned = super::append_thread::spawn("runnel-flush", move || {
        for segment in inbox {
            flush_through(&segment);
        }
    });
    spawned.ok().map(|_| sender)
}

/// Syncs `segment` through a description of its own. Failures are left
/// for the writer's own fsync, which meets them again.
fn flush_through(segment: &Path) {
    fault::step("produce.early-flush");
    if let Ok(file) = File::open(segment) {
        let _ = file.sync_data();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Below the threshold no thread starts; at it, the segment is handed
    /// to the flush thread (a rendezvous: taken once the thread waits) and
    /// the count starts again. Not wanted, no thread ever starts.
    #[test]
    fn a_flush_is_asked_for_once_the_threshold_is_reached_and_the_count_starts_again() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path: Arc<Path> = dir.path().join("00000000000000000000.log").into();
        std::fs::write(&path, b"frames").expect("write");
        let mut flush = EarlyFlush::new(true);
        flush.written_back(EARLY_FLUSH_EVERY - 1, &path);
        assert!(flush.thread.is_none(), "below the threshold no thread is started");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        flush.written_back(1, &path);
        while flush.since != 0 {
            assert!(std::time::Instant::now() < deadline, "the flush thread never took a segment");
            std::thread::sleep(std::time::Duration::from_millis(5));
            flush.written_back(0, &path);
        }
        assert!(flush.thread.is_some() && !flush.off);
        let mut unwanted = EarlyFlush::new(false);
        unwanted.written_back(2 * EARLY_FLUSH_EVERY, &path);
        assert!(unwanted.thread.is_none(), "--acks 0 starts no flush thread");
    }
}

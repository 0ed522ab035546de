//! Waking a caught-up consumer as soon as something changes: inotify (via
//! the notify crate) on the leader replica folders and the topics folder,
//! with a short polling interval as the fallback where watching fails.
//!
//! The watcher starts at the first wait, not before: a `consume` that never
//! has to wait (the usual `cat`-like read) never creates an inotify
//! instance, whose teardown at exit costs milliseconds. That first wait
//! registers the watches and returns at once, so the caller looks again
//! with the watches in place: an append that lands between "caught up" and
//! "wait" always wakes it.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use notify::{RecommendedWatcher, RecursiveMode, Watcher};

/// How long a wait lasts at most without a watcher.
const POLL_INTERVAL: Duration = Duration::from_millis(25);

enum Watching {
    /// No wait yet: folders are only noted.
    NotYet(Sender<()>),
    Active(RecommendedWatcher),
    /// inotify is not available (or a folder could not be watched): poll.
    Failed,
}

/// Waits for changes in watched folders.
pub struct Wakeup {
    watching: Watching,
    events: Receiver<()>,
    /// The folders to watch, a set to find one in constant time (a consumer of 100,000
    /// partitions watches 100,000 folders).
    folders: HashSet<PathBuf>,
}

impl Default for Wakeup {
    fn default() -> Self {
        Self::new()
    }
}

impl Wakeup {
    pub fn new() -> Wakeup {
        let (tx, events) = mpsc::channel();
        Wakeup { watching: Watching::NotYet(tx), events, folders: HashSet::new() }
    }

    /// Watches `dir` (not recursively) from the first wait on, best effort:
    /// if it cannot be watched, waits fall back to polling.
    pub fn watch(&mut self, dir: &Path) {
        if !self.folders.insert(dir.to_path_buf()) {
            return;
        }
        if let Watching::Active(watcher) = &mut self.watching
            && watcher.watch(dir, RecursiveMode::NonRecursive).is_err()
        {
            self.watching = Watching::Failed;
        }
    }

    /// Blocks until a watched folder changes or `timeout` passes (at most
    /// the polling interval when nothing can be watched). The first call
    /// starts watching and returns at once.
    pub fn wait(&mut self, timeout: Duration) {
        match &self.watching {
            Watching::NotYet(tx) => self.watching = start(tx.clone(), &self.folders),
            Watching::Failed => std::thread::sleep(timeout.min(POLL_INTERVAL)),
            Watching::Active(_) => match self.events.recv_timeout(timeout) {
                Ok(()) => while self.events.try_recv().is_ok() {},
                Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => {}
            },
        }
    }
}

/// A watcher on `folders` that signals `tx` on every change but reads.
fn start(tx: Sender<()>, folders: &HashSet<PathBuf>) -> Watching {
    let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        // Reads (our own included: listing a folder opens it) change nothing.
        if event.is_ok_and(|e| !matches!(e.kind, notify::EventKind::Access(_))) {
            let _ = tx.send(());
        }
    });
    let Ok(mut watcher) = watcher else {
        return Watching::Failed;
    };
    if folders.iter().all(|dir| watcher.watch(dir, RecursiveMode::NonRecursive).is_ok()) {
        Watching::Active(watcher)
    } else {
        Watching::Failed
    }
}

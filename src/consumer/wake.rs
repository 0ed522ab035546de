//! Waking a caught-up consumer as soon as something changes: inotify (via
//! the notify crate) on the leader replica folders and the topics folder,
//! with a short polling interval as the fallback where watching fails.
//! Watches are registered before the caller's last look, so an append that
//! lands between "caught up" and "wait" still wakes it.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Duration;

use notify::{RecommendedWatcher, RecursiveMode, Watcher};

/// How long a wait lasts at most without a watcher.
const POLL_INTERVAL: Duration = Duration::from_millis(25);

/// Waits for changes in watched folders.
pub struct Wakeup {
    watcher: Option<RecommendedWatcher>,
    events: Receiver<()>,
    watched: HashSet<PathBuf>,
}

impl Default for Wakeup {
    fn default() -> Self {
        Self::new()
    }
}

impl Wakeup {
    pub fn new() -> Wakeup {
        let (tx, events) = mpsc::channel();
        let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            // Reads (our own included: listing a folder opens it) change nothing.
            if event.is_ok_and(|e| !matches!(e.kind, notify::EventKind::Access(_))) {
                let _ = tx.send(());
            }
        })
        .ok();
        Wakeup { watcher, events, watched: HashSet::new() }
    }

    /// Watches `dir` (not recursively), best effort: if it cannot be
    /// watched, waits fall back to polling.
    pub fn watch(&mut self, dir: &Path) {
        if self.watched.contains(dir) {
            return;
        }
        let ok = match &mut self.watcher {
            Some(w) => w.watch(dir, RecursiveMode::NonRecursive).is_ok(),
            None => false,
        };
        if ok {
            self.watched.insert(dir.to_path_buf());
        } else {
            self.watcher = None;
        }
    }

    /// Blocks until a watched folder changes or `timeout` passes (at most
    /// the polling interval when nothing can be watched).
    pub fn wait(&self, timeout: Duration) {
        if self.watcher.is_none() {
            std::thread::sleep(timeout.min(POLL_INTERVAL));
            return;
        }
        match self.events.recv_timeout(timeout) {
            Ok(()) => while self.events.try_recv().is_ok() {},
            Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => {}
        }
    }
}

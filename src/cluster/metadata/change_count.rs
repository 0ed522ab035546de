//! The count of metadata changes, shared by every process on a data dir: a
//! word mapped from `locks/cluster.lock` (the file is only ever locked, so
//! its bytes are free). Every write or removal of `cluster.json` or a topic
//! file bumps it twice: to odd before, to even after. A partition writer
//! that checked the metadata files when the count was `n` (even, read before
//! the check) knows nothing changed for as long as the count is still `n`,
//! and skips looking at the files again: one memory read per append instead
//! of a `statx` of each file. So does every other writer of the process
//! that read the same count: it takes what that look found (`Cluster::metadata_at`).
//!
//! Why that is safe: a change's last bump comes after its file is in place,
//! so any change the check could have missed moves the count after the
//! count was read. A change in flight leaves the count odd, and an odd count
//! is never trusted: a writer killed between its bumps leaves the count odd,
//! and readers check the files every time until the next change ends.
//! Only runnel's own writes are counted: a metadata file edited by hand is
//! seen by a long-running producer at its next change, not at once.

use std::io;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::sys::lock::LockFile;
use crate::sys::shared_words::SharedWords;

/// The shared count of metadata changes.
pub struct ChangeCount {
    words: SharedWords,
    /// Kept open for as long as the mapping: its file must stay the one mapped.
    _file: LockFile,
}

impl std::fmt::Debug for ChangeCount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChangeCount").field("now", &self.word().load(Ordering::Relaxed)).finish()
    }
}

impl ChangeCount {
    /// Maps the count from the cluster lock file (created if need be).
    pub fn map(cluster_lock: LockFile) -> io::Result<ChangeCount> {
        let words = SharedWords::map(cluster_lock.file(), 1)?;
        Ok(ChangeCount { words, _file: cluster_lock })
    }

    fn word(&self) -> &AtomicU64 {
        // One word is mapped: word 0 is always there.
        self.words.word(0).unwrap_or_else(|| unreachable!("the change count maps one word"))
    }

    /// The count now, if no change is under way (or was cut off); `None`
    /// when the metadata files must be looked at.
    pub fn settled(&self) -> Option<u64> {
        let now = self.word().load(Ordering::Acquire);
        now.is_multiple_of(2).then_some(now)
    }

    /// Marks a change under way until the guard is dropped (after the file
    /// is written or removed, or the attempt failed).
    pub fn begin(&self) -> ChangeUnderWay<'_> {
        let odd = |now: u64| Some(if now.is_multiple_of(2) { now.wrapping_add(1) } else { now.wrapping_add(2) });
        // `fetch_update` with a closure that always answers cannot fail.
        let _ = self.word().fetch_update(Ordering::AcqRel, Ordering::Acquire, odd);
        ChangeUnderWay { count: self }
    }
}

/// A metadata change under way: the count is odd until this is dropped.
pub struct ChangeUnderWay<'a> {
    count: &'a ChangeCount,
}

impl Drop for ChangeUnderWay<'_> {
    fn drop(&mut self) {
        self.count.word().fetch_add(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(dir: &std::path::Path) -> ChangeCount {
        ChangeCount::map(LockFile::open(&dir.join("cluster.lock")).expect("open")).expect("map")
    }

    #[test]
    fn a_change_moves_the_count_every_process_sees_and_is_odd_while_under_way() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (writer, reader) = (count(dir.path()), count(dir.path()));
        let before = reader.settled().expect("a new count is settled");
        let change = writer.begin();
        assert_eq!(reader.settled(), None, "a change under way is never trusted");
        drop(change);
        let after = reader.settled().expect("settled again");
        assert_ne!(after, before);
    }

    #[test]
    fn a_change_cut_off_leaves_the_count_unsettled_until_the_next_one_ends() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (writer, reader) = (count(dir.path()), count(dir.path()));
        std::mem::forget(writer.begin());
        assert_eq!(reader.settled(), None);
        let stale = reader.word().load(Ordering::Acquire);
        drop(writer.begin());
        let settled = reader.settled().expect("settled after the next change");
        assert!(settled > stale);
    }
}

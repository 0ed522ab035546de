//! The index entries an append earns, written with its frame or held back
//! for a later append of the same handle. A producer spreading its input
//! over hundreds of partitions appends frames of a few KiB, and each earns
//! an offset and a time index entry: written at once, two more extending
//! writes per append, each dirtying its file's inode on the disk. Held
//! back, they go out [`MAX_DEFERRED_ENTRIES`] at a time, or with the
//! producer's last frame of the partition.
//!
//! Held-back entries are only ever written under the partition lock, as
//! appends are. The index is a hint: a handle that opens the segment scans
//! the frames after its last entry and writes the entries they earn, so
//! entries never written (a process killed with some held back, or a
//! handle reopened because another process appended) cost a longer scan at
//! the next open, never a wrong answer. What must not happen is held-back
//! entries written where another process's entries now lie: so before
//! writing entries held across a lock release, the index files' lengths
//! are compared with this handle's, and entries are dropped if another
//! process wrote or cut the index meanwhile.

use super::Log;
use super::active::Active;
use crate::error::{IoContext, Result};
use crate::store::frame::FrameHeader;
use crate::store::segment::index::{OFFSET_ENTRY_LEN, TIME_ENTRY_LEN};
use crate::sys::fault;

/// Offset index entries held back at most before they are written.
pub const MAX_DEFERRED_ENTRIES: usize = 32;

/// When an append writes the index entries its frame earns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexWrites {
    /// With the frame (and any held back before it).
    Now,
    /// Later: at a later append, at `MAX_DEFERRED_ENTRIES` waiting, a
    /// roll, or [`Log::write_index`] — for a producer with more frames to come.
    HoldBack,
}

impl Log {
    /// [`Log::append`], writing the frame's index entries as `index` says.
    pub fn append_indexing(&mut self, frame: &[u8], header: &FrameHeader, index: IndexWrites) -> Result<()> {
        self.append_frames(&[(frame, *header)], index)
    }

    /// [`Log::append_indexing`] of several sealed frames, each following
    /// the one before: one write for them all (two if a roll comes between).
    pub fn append_frames(&mut self, frames: &[(&[u8], FrameHeader)], index: IndexWrites) -> Result<()> {
        self.check_poison()?;
        let result = self.append_frames_unchecked(frames, index);
        self.poison_on_error(result)
    }

    /// Whether index entries earned by earlier appends wait to be written.
    pub fn has_deferred_index(&self) -> bool {
        self.active.holds_entries()
    }

    /// Writes the index entries held back ([`IndexWrites::HoldBack`]);
    /// the caller holds the partition lock and has refreshed this handle.
    pub fn write_index(&mut self) -> Result<()> {
        self.check_poison()?;
        let result = self.active.write_pending_index();
        self.poison_on_error(result)
    }
}

impl Active {
    pub(super) fn holds_entries(&self) -> bool {
        !self.pending_offsets.is_empty() || !self.pending_times.is_empty()
    }

    /// After an append: keeps the entries it earned back if `index` says
    /// so and fewer than [`MAX_DEFERRED_ENTRIES`] wait, else writes them all.
    pub(super) fn after_append(&mut self, index: IndexWrites) -> Result<()> {
        if index == IndexWrites::HoldBack && self.pending_offsets.len() < MAX_DEFERRED_ENTRIES * OFFSET_ENTRY_LEN {
            self.carried = self.holds_entries();
            return Ok(());
        }
        self.write_pending_index()
    }

    /// Writes the pending entries at the ends of the index files. Entries
    /// held across a lock release are first checked against the files:
    /// where another process changed a file's length, that file's held
    /// entries are dropped and its length taken as this handle's.
    pub(super) fn write_pending_index(&mut self) -> Result<()> {
        if std::mem::take(&mut self.carried) {
            self.adopt_index_lengths()?;
        }
        if !self.pending_offsets.is_empty() {
            fault::write_all_at(&self.index, &self.pending_offsets, self.index_len).at("write", &self.index_path)?;
            self.index_len += self.pending_offsets.len() as u64;
            self.pending_offsets.clear();
        }
        if !self.pending_times.is_empty() {
            fault::write_all_at(&self.time_index, &self.pending_times, self.time_index_len)
                .at("write", &self.time_path)?;
            self.time_index_len += self.pending_times.len() as u64;
            self.pending_times.clear();
        }
        Ok(())
    }

    fn adopt_index_lengths(&mut self) -> Result<()> {
        let len = self.index.metadata().at("stat", &self.index_path)?.len();
        if len != self.index_len {
            self.pending_offsets.clear();
            self.index_len = len - len % OFFSET_ENTRY_LEN as u64;
        }
        let len = self.time_index.metadata().at("stat", &self.time_path)?.len();
        if len != self.time_index_len {
            self.pending_times.clear();
            self.time_index_len = len - len % TIME_ENTRY_LEN as u64;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::frame::{FrameCheck, check_frame};
    use crate::store::segment::{self, INDEX_EXT, TIME_INDEX_EXT};
    use crate::store::{FrameBuilder, LogConfig, RecordParts, verify_replica};

    /// Every frame past the first earns an entry in both indexes.
    fn config() -> LogConfig {
        LogConfig { index_interval_bytes: 1, ..LogConfig::default() }
    }

    fn frame(log: &Log, timestamp: i64) -> (Vec<u8>, FrameHeader) {
        let mut builder = FrameBuilder::new();
        builder.push(&RecordParts { timestamp, key: None, value: Some(b"v"), headers: &[], header_count: 0 });
        let bytes = builder.seal(log.next_offset(), 0).to_vec();
        let FrameCheck::Whole(header) = check_frame(&bytes) else { panic!("a sealed frame must verify") };
        (bytes, header)
    }

    fn append(log: &mut Log, defer: bool) {
        let timestamp = log.next_offset() as i64 + 1;
        let (bytes, header) = frame(log, timestamp);
        let index = if defer { IndexWrites::HoldBack } else { IndexWrites::Now };
        log.append_indexing(&bytes, &header, index).expect("append");
    }

    fn index_len(dir: &std::path::Path, ext: &str) -> u64 {
        std::fs::metadata(segment::file_path(dir, 0, ext)).expect("index").len()
    }

    fn assert_clean(dir: &std::path::Path) {
        let report = verify_replica(dir, |_| {}).expect("verify");
        assert!(report.damage.is_empty(), "{:?}", report.damage);
    }

    #[test]
    fn held_back_entries_are_written_by_a_plain_append_or_at_the_cap() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (mut log, _) = Log::open(dir.path(), config(), 0).expect("open");
        for _ in 0..5 {
            append(&mut log, true);
        }
        // Frames 1..=4 earned entries; none is written yet.
        assert!(log.has_deferred_index());
        assert_eq!(index_len(dir.path(), INDEX_EXT), 0);
        append(&mut log, false);
        assert!(!log.has_deferred_index());
        assert_eq!(index_len(dir.path(), INDEX_EXT), 5 * OFFSET_ENTRY_LEN as u64);
        assert_eq!(index_len(dir.path(), TIME_INDEX_EXT), 5 * TIME_ENTRY_LEN as u64);

        for _ in 0..MAX_DEFERRED_ENTRIES + 3 {
            append(&mut log, true);
        }
        // The cap was reached once: at most the cap waits, never more.
        let written = index_len(dir.path(), INDEX_EXT) / OFFSET_ENTRY_LEN as u64;
        assert_eq!(written, 5 + MAX_DEFERRED_ENTRIES as u64);
        log.write_index().expect("write");
        assert_eq!(index_len(dir.path(), INDEX_EXT) / OFFSET_ENTRY_LEN as u64, 5 + MAX_DEFERRED_ENTRIES as u64 + 3);
        assert_clean(dir.path());
    }

    #[test]
    fn a_roll_writes_the_entries_held_back_for_the_segment_it_closes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let config = LogConfig { segment_bytes: 400, ..config() };
        let (mut log, _) = Log::open(dir.path(), config, 0).expect("open");
        while segment::list(dir.path()).expect("list").len() < 2 {
            append(&mut log, true);
        }
        let first_frames = segment::list(dir.path()).expect("list")[1];
        // Every frame of the closed segment but its first has its entry.
        assert_eq!(index_len(dir.path(), INDEX_EXT), (first_frames - 1) * OFFSET_ENTRY_LEN as u64);
        assert_clean(dir.path());
    }

    #[test]
    fn entries_held_across_a_release_are_dropped_if_another_process_changed_the_index() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (mut log, _) = Log::open(dir.path(), config(), 0).expect("open");
        append(&mut log, false);
        append(&mut log, false);
        for _ in 0..4 {
            append(&mut log, true);
        }
        assert_eq!(index_len(dir.path(), INDEX_EXT), OFFSET_ENTRY_LEN as u64);
        // Between two lock holds another process rebuilds the indexes
        // without the entry this handle wrote (as a repair may), and
        // appends nothing.
        let index = segment::file_path(dir.path(), 0, INDEX_EXT);
        let times = segment::file_path(dir.path(), 0, TIME_INDEX_EXT);
        std::fs::OpenOptions::new().write(true).open(&index).expect("index").set_len(0).expect("cut");
        std::fs::OpenOptions::new().write(true).open(&times).expect("times").set_len(0).expect("cut");
        assert_eq!(log.refresh().expect("refresh"), None);
        log.write_index().expect("write");
        // Written at this handle's old length, the held entries would have
        // left a hole of zeros before them.
        assert_eq!(index_len(dir.path(), INDEX_EXT), 0);
        assert_eq!(index_len(dir.path(), TIME_INDEX_EXT), 0);
        append(&mut log, false);
        assert_eq!(index_len(dir.path(), INDEX_EXT), OFFSET_ENTRY_LEN as u64);
        assert_clean(dir.path());
        // A reopen finds every frame, and indexes those after the last entry.
        let (reopened, repair) = Log::open(dir.path(), config(), 0).expect("reopen");
        assert_eq!((reopened.next_offset(), repair), (7, None));
    }

    #[test]
    fn a_handle_reopened_after_another_appended_drops_what_it_held() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (mut mine, _) = Log::open(dir.path(), config(), 0).expect("open");
        for _ in 0..4 {
            append(&mut mine, true);
        }
        // Another process opens the log (indexing the frames past its last
        // entry, which are all of this handle's) and appends.
        let (mut other, _) = Log::open(dir.path(), config(), 0).expect("open other");
        append(&mut other, false);
        let after_other = index_len(dir.path(), INDEX_EXT);
        assert_eq!(after_other, 4 * OFFSET_ENTRY_LEN as u64);
        mine.refresh().expect("refresh");
        assert!(!mine.has_deferred_index());
        append(&mut mine, false);
        assert_eq!(index_len(dir.path(), INDEX_EXT), after_other + OFFSET_ENTRY_LEN as u64);
        assert_clean(dir.path());
    }
}

//! The writer's view of one replica: segments, the active segment, appends,
//! rolling, durability and tail repair. The caller must hold the partition's
//! writer lock for as long as it uses a [`Log`]; between lock holds another
//! process may have appended, so [`Log::refresh`] runs after each acquisition.
//! Refreshing is cheap when nothing changed: every roll, in any process,
//! names the new segment after the log end it closed at, so a handle whose
//! active segment is unchanged (same file, length and last frame) and has
//! no segment named after its log end is up to date without listing the
//! folder; and a caller that knows no other process held the lock since
//! (the cluster counts the holds) needs only the first of those checks
//! ([`Log::refresh_untouched`]).
//!
//! Beside it: the active segment (`active.rs`), its index entries written
//! at once or held back (`index_entries.rs`), what a follower does to its
//! log (`follower.rs`), syncing many logs at once (`parallel_sync.rs`),
//! retention (`retention.rs`) and compaction (`compaction.rs`) with the
//! settings and values they share (`policy.rs`), and the offset checkpoints
//! (`checkpoint.rs`).

mod active;
pub(super) mod checkpoint;
mod compaction;
mod follower;
mod index_entries;
pub(super) mod parallel_sync;
mod policy;
mod retention;

use std::fs;
use std::path::{Path, PathBuf};

pub use self::active::Repair;
use self::active::{Active, create_segment, open_active};
pub use self::index_entries::IndexWrites;
use crate::error::{Error, ErrorKind, IoContext, Reason, Result};
use crate::store::durability::{PersistMode, WriteBack};
use crate::store::frame::FrameHeader;
use crate::store::segment::open_scan::{self, Verify};
use crate::store::segment::resume_point::{frame_at, resume_point};
use crate::store::segment::swap::{has_leftovers, recover_leftovers};
use crate::store::segment::{self, INDEX_EXT, LOG_EXT, TIME_INDEX_EXT};
use crate::sys::fault;
use crate::sys::fs::{open_data, open_regular};

pub use policy::{CompactPolicy, Compacted, LogConfig, Retained, RetentionPolicy, SegmentInfo};

/// The `log-start-offset` checkpoint of the replica in `dir`, if it has one
/// (`topic trim` wrote it): a follower copying that replica adopts it.
pub fn log_start_checkpoint(dir: &Path) -> Result<Option<u64>> {
    checkpoint::read(dir, checkpoint::LOG_START)
}

/// The `cleaner-offset` checkpoint of the replica in `dir`: below it, gaps
/// in offsets are compaction's (a copy of this replica raises its own to it).
pub fn cleaner_offset_checkpoint(dir: &Path) -> Result<Option<u64>> {
    checkpoint::read(dir, checkpoint::CLEANER)
}

/// Appended bytes after which the disk is asked to start writing them.
const WRITE_BEHIND_BYTES: u64 = 4 << 20;

/// The unit write-back ranges end on: a page of the page cache.
const WRITE_BACK_PAGE: u64 = 4096;

/// One replica's log, opened for writing.
pub struct Log {
    dir: PathBuf,
    config: LogConfig,
    /// Base offsets of all segments, ascending; the last is the active one.
    /// `None` after a cheap refresh: another process may have deleted old
    /// segments (retention, trim), so it is listed again when needed.
    segments: Option<Vec<u64>>,
    active: Active,
    /// Segments this handle rolled since it was opened.
    rolls: u64,
    /// Set by the first failed write or fsync: what failed. A poisoned log
    /// refuses every later append, sync and truncation, so a failed fsync
    /// is never followed by a "successful" one that would hide lost data.
    poisoned: Option<String>,
}

impl Log {
    /// Opens (creating if needed) the log in `dir`; a new log starts at
    /// `start_offset`. Cuts a torn tail of the active segment and returns
    /// what it repaired.
    pub fn open(dir: &Path, config: LogConfig, start_offset: u64) -> Result<(Log, Option<Repair>)> {
        let listing = segment::list_dir(dir)?;
        Log::open_listed(dir, config, start_offset, listing)
    }

    /// Opens the log in `dir` only if it has segments: `None` for a missing
    /// or empty folder (a replica whose disk was lost), which is left as is.
    pub fn open_existing(dir: &Path, config: LogConfig) -> Result<Option<(Log, Option<Repair>)>> {
        match segment::list_dir(dir)? {
            Some(listing) if !listing.bases.is_empty() => Log::open_listed(dir, config, 0, Some(listing)).map(Some),
            _ => Ok(None),
        }
    }

    fn open_listed(
        dir: &Path,
        config: LogConfig,
        start_offset: u64,
        listing: Option<segment::Listing>,
    ) -> Result<(Log, Option<Repair>)> {
        let mut segments = match listing {
            None => {
                fs::create_dir_all(dir).at("create directory", dir)?;
                Vec::new()
            }
            Some(listing) if has_leftovers(&listing.others) => {
                recover_leftovers(dir)?;
                segment::list(dir)?
            }
            Some(listing) => listing.bases,
        };
        if segments.is_empty() {
            // A log begun above 0 (a copy of a leader's log) records where it
            // starts, so that its first segment is never taken for lost ones.
            if start_offset > checkpoint::read(dir, checkpoint::LOG_START)?.unwrap_or(0) {
                checkpoint::write(dir, checkpoint::LOG_START, start_offset)?;
            }
            create_segment(dir, start_offset)?;
            segments.push(start_offset);
        }
        let base = *segments.last().unwrap_or(&start_offset);
        let (active, repair) = open_active(dir, base, config)?;
        Ok((Log { dir: dir.to_path_buf(), config, segments: Some(segments), active, rolls: 0, poisoned: None }, repair))
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The offset the next appended record gets (the log end offset).
    pub fn next_offset(&self) -> u64 {
        self.active.next_offset
    }

    /// The base offset of the first segment. The log start offset a reader
    /// honours may be higher (see [`Log::log_start_offset`]).
    pub fn start_offset(&self) -> Result<u64> {
        Ok(self.segment_bases()?.first().copied().unwrap_or(self.active.base))
    }

    /// The base offsets of all segments, ascending (the last is the active
    /// one): the list this handle keeps, or a fresh listing after a cheap
    /// refresh.
    fn segment_bases(&self) -> Result<std::borrow::Cow<'_, [u64]>> {
        match &self.segments {
            Some(bases) => Ok(std::borrow::Cow::Borrowed(bases)),
            None => segment::list(&self.dir).map(std::borrow::Cow::Owned),
        }
    }

    /// The segment list, listed again first if a cheap refresh left it unknown.
    fn segments_mut(&mut self) -> Result<&mut Vec<u64>> {
        let bases = match self.segments.take() {
            Some(bases) => bases,
            None => segment::list(&self.dir)?,
        };
        Ok(self.segments.insert(bases))
    }

    /// The first offset readers may see: the first segment's base, or the
    /// `log-start-offset` checkpoint if `topic trim` raised it.
    pub fn log_start_offset(&self) -> Result<u64> {
        checkpoint::log_start(&self.dir, self.start_offset()?)
    }

    /// The base offset of the active segment (closed segments lie below it).
    pub fn active_base(&self) -> u64 {
        self.active.base
    }

    /// How many segments this handle has rolled since it was opened.
    pub fn rolls(&self) -> u64 {
        self.rolls
    }

    pub fn config(&self) -> LogConfig {
        self.config
    }

    pub fn set_config(&mut self, config: LogConfig) {
        self.config = config;
    }

    /// Brings this handle up to date with what other processes wrote since
    /// it last held the lock (new frames, a rolled segment, a repaired tail).
    pub fn refresh(&mut self) -> Result<Option<Repair>> {
        self.check_poison()?;
        if self.active_unchanged()? {
            // Retention in another process may have deleted old segments.
            self.segments = None;
            return Ok(None);
        }
        let segments = segment::list(&self.dir)?;
        let Some(&base) = segments.last() else {
            return Err(Error::new(
                ErrorKind::Io,
                format!(
                    "the segments of {} disappeared while it was open; `runnel log verify` shows what is left",
                    self.dir.display()
                ),
            ));
        };
        let (active, repair) = open_active(&self.dir, base, self.config)?;
        self.segments = Some(segments);
        self.active = active;
        Ok(repair)
    }

    /// [`Log::refresh`] when the caller knows that no other runnel process
    /// held the partition lock since this handle's last hold (the count of
    /// holds says so): then nothing rolled, cut or rewrote the log, and only
    /// what an older runnel, which does not count its holds, could have
    /// done unseen is looked at — the active file still linked, at the
    /// length this handle left it. Anything else: a full refresh.
    pub fn refresh_untouched(&mut self) -> Result<Option<Repair>> {
        self.check_poison()?;
        if !self.active_file_unchanged()? {
            return self.refresh();
        }
        // As after a cheap refresh: an older runnel's retention may have
        // deleted old segments.
        self.segments = None;
        Ok(None)
    }

    /// Whether the active segment is still the log's end as this handle
    /// left it: the same file, still in the folder, with the same length and
    /// last frame, and no segment named after its log end — where a roll,
    /// in this process or another, starts the next one. (An empty segment
    /// is never rolled: it is replaced, which unlinks it.)
    fn active_unchanged(&self) -> Result<bool> {
        let a = &self.active;
        if !self.active_file_unchanged()? || !self.last_frame_unchanged()? {
            return Ok(false);
        }
        if a.len == 0 {
            return Ok(true);
        }
        let next = segment::file_path(&self.dir, a.next_offset, LOG_EXT);
        match fs::symlink_metadata(&next) {
            Ok(_) => Ok(false),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
            Err(e) => Err(e).at("stat", &next),
        }
    }

    /// Whether the active file is still linked, at the length this handle
    /// left it (one `fstat`).
    fn active_file_unchanged(&self) -> Result<bool> {
        use std::os::unix::fs::MetadataExt;
        let a = &self.active;
        let meta = a.file.metadata().at("stat", &a.path)?;
        Ok(meta.nlink() != 0 && meta.len() == a.len)
    }

    fn last_frame_unchanged(&self) -> Result<bool> {
        let Some((pos, header)) = self.active.last_frame else {
            return Ok(true);
        };
        let now = frame_at(&self.active.file, &self.active.path, self.active.len, pos)?;
        Ok(now == Some(header))
    }

    /// Appends one sealed frame whose base offset must equal
    /// [`Log::next_offset`]. One write for the frame, plus one per index
    /// file when the frame earns an index entry or earlier appends left
    /// entries waiting (`index_entries.rs`).
    pub fn append(&mut self, frame: &[u8], header: &FrameHeader) -> Result<()> {
        self.append_indexing(frame, header, IndexWrites::Now)
    }

    /// Whether an earlier write or fsync failed; see [`Log::append`].
    pub fn poisoned(&self) -> Option<&str> {
        self.poisoned.as_deref()
    }

    fn check_poison(&self) -> Result<()> {
        match &self.poisoned {
            None => Ok(()),
            Some(cause) => Err(Error::new(
                ErrorKind::Io,
                format!("the log in {} is unusable after an earlier failure ({cause})", self.dir.display()),
            )
            .because(Reason::LogPoisoned { dir: self.dir.clone() })),
        }
    }

    fn poison_on_error<T>(&mut self, result: Result<T>) -> Result<T> {
        if let Err(e) = &result
            && matches!(e.reason(), Some(Reason::Io { .. } | Reason::Corrupt { .. } | Reason::LogPoisoned { .. }))
        {
            self.poisoned = Some(e.message.clone());
        }
        result
    }

    /// Appends sealed frames in order, each at the log end the one before
    /// left: the frames that fit the active segment go out in one write
    /// (a roll between two frames splits them), and the index entries they
    /// earn after the last, as `index` says.
    fn append_frames_unchecked(&mut self, frames: &[(&[u8], FrameHeader)], index: IndexWrites) -> Result<()> {
        let mut rest = frames;
        while let Some((frame, header)) = rest.first() {
            if self.roll_due(frame.len() as u64, header) {
                self.roll()?;
            }
            let run = self.frames_fitting(rest);
            let (now, later) = rest.split_at(run);
            self.write_run(now)?;
            rest = later;
        }
        self.active.after_append(index)?;
        if self.active.len - self.active.written_back >= WRITE_BEHIND_BYTES
            && let Some(range) = self.take_write_back(0)
        {
            // Start writing back what this process appended, without
            // waiting: the fsync at the end then has little left to do.
            range.start();
        }
        Ok(())
    }

    /// How many of `frames` (at least one) go into the active segment
    /// before one is due to roll it.
    fn frames_fitting(&self, frames: &[(&[u8], FrameHeader)]) -> usize {
        let mut at = self.active.len;
        let mut first_timestamp = self.active.first_timestamp;
        for (n, (frame, header)) in frames.iter().enumerate() {
            let len = frame.len() as u64;
            if n > 0 && self.roll_due_at(at, first_timestamp, len, header) {
                return n;
            }
            first_timestamp = first_timestamp.or(Some(header.max_timestamp));
            at += len;
        }
        frames.len()
    }

    /// Writes `frames` at the end of the active segment, with one write,
    /// noting the index entries they earn.
    fn write_run(&mut self, frames: &[(&[u8], FrameHeader)]) -> Result<()> {
        let a = &mut self.active;
        // Checked before anything is noted or written: the frames follow
        // one another from the log end, and the last one's offset (so
        // every one's) is within the segment's reach.
        let mut next_offset = a.next_offset;
        for (_, header) in frames {
            if header.base_offset != next_offset {
                return Err(Error::other(format!(
                    "internal error: frame for offset {} appended at offset {next_offset} in {}",
                    header.base_offset,
                    self.dir.display()
                )));
            }
            next_offset = header.next_offset();
        }
        let last_base = frames.last().map_or(a.base, |(_, header)| header.base_offset);
        if u32::try_from(last_base - a.base).is_err() {
            return Err(Error::other(format!("segment {} holds too many offsets", a.path.display())));
        }
        let mut position = a.len;
        for (frame, header) in frames {
            a.policy.on_frame(
                (header.base_offset - a.base) as u32,
                position as u32,
                frame.len() as u32,
                header.max_timestamp,
                &mut a.pending_offsets,
                &mut a.pending_times,
            );
            position += frame.len() as u64;
        }
        match frames {
            [(frame, _)] => fault::write_all_at(&a.file, frame, a.len),
            _ => fault::write_all_vectored_at(
                &a.file,
                &frames.iter().map(|(frame, _)| *frame).collect::<Vec<_>>(),
                a.len,
            ),
        }
        .at("write", &a.path)?;
        if let (0, Some((_, first))) = (a.len, frames.first()) {
            a.first_timestamp = Some(first.max_timestamp);
        }
        if let Some((frame, last)) = frames.last() {
            a.last_frame = Some((position - frame.len() as u64, *last));
        }
        a.len = position;
        a.next_offset = next_offset;
        a.unsynced = true;
        Ok(())
    }

    /// What was appended and not yet written back, for another thread to
    /// start writing (see `WRITE_BEHIND_BYTES`); `None` if less than
    /// `at_least` bytes (or nothing) is waiting, which stays for later.
    pub fn take_write_back(&mut self, at_least: u64) -> Option<WriteBack> {
        let a = &mut self.active;
        // Up to the page the log ends in, not into it: the next append
        // dirties that page again, so written now it would be written twice.
        let end = a.len - a.len % WRITE_BACK_PAGE;
        let bytes = end.saturating_sub(a.written_back);
        if bytes == 0 || bytes < at_least {
            return None;
        }
        let range = WriteBack {
            file: std::sync::Arc::clone(&a.file),
            path: std::sync::Arc::clone(&a.path),
            offset: a.written_back,
            len: bytes,
        };
        a.written_back = end;
        Some(range)
    }

    /// Whether appending a frame of `frame_len` bytes stamped as `header`
    /// needs a new segment first (`segment.bytes`, `segment.ms`).
    fn roll_due(&self, frame_len: u64, header: &FrameHeader) -> bool {
        self.roll_due_at(self.active.len, self.active.first_timestamp, frame_len, header)
    }

    /// [`Log::roll_due`] for a frame written at byte `at` of the active
    /// segment, whose first frame is stamped `first_timestamp`.
    fn roll_due_at(&self, at: u64, first_timestamp: Option<i64>, frame_len: u64, header: &FrameHeader) -> bool {
        let too_big = at + frame_len > self.config.segment_bytes;
        let too_old = match (self.config.segment_ms, first_timestamp) {
            (Some(ms), Some(first)) => header.max_timestamp.saturating_sub(first) > ms,
            _ => false,
        };
        at > 0 && (too_big || too_old)
    }

    /// Whether something appended through this handle is not yet synced.
    pub fn has_unsynced(&self) -> bool {
        self.active.unsynced
    }

    /// The device and inode of the active segment file: where the next
    /// append goes, and what [`Log::sync`] makes durable.
    pub fn active_file_id(&self) -> (u64, u64) {
        self.active.id
    }

    /// Takes what was appended as durable without syncing it here: another
    /// process's fsync of the same file covered it (see the cluster's group
    /// commit). A poisoned log still refuses.
    pub fn mark_synced(&mut self) -> Result<()> {
        self.check_poison()?;
        self.active.unsynced = false;
        Ok(())
    }

    /// Makes everything appended so far durable as `mode` asks.
    pub fn sync(&mut self, mode: PersistMode) -> Result<()> {
        self.check_poison()?;
        if self.active.unsynced && mode != PersistMode::Buffer {
            let result = mode.apply(&self.active.file, &self.active.path);
            self.poison_on_error(result)?;
            self.active.unsynced = false;
        }
        Ok(())
    }

    /// The closed segments (all but the active one), oldest first.
    pub fn closed_segments(&self) -> Result<Vec<SegmentInfo>> {
        let dir = self.dir();
        let mut out = Vec::new();
        for pair in self.segment_bases()?.windows(2) {
            let size = segment::log_size(dir, pair[0]);
            out.push(SegmentInfo { base: pair[0], next_base: pair[1], size });
        }
        Ok(out)
    }

    /// The largest record timestamp in segment `base` (`i64::MIN` if it
    /// holds no frame): the time index's last entry that points at a real
    /// frame, then the frame headers after the last good offset index entry.
    pub fn segment_max_timestamp(&self, base: u64) -> Result<i64> {
        Ok(self.segment_scan(base)?.0)
    }

    /// [`Log::segment_max_timestamp`] and the offset after the segment's
    /// last whole frame.
    pub(super) fn segment_scan(&self, base: u64) -> Result<(i64, u64)> {
        let dir = self.dir();
        let path = segment::file_path(dir, base, LOG_EXT);
        let (file, meta) = open_regular(&path).at("open", &path)?;
        let len = meta.len();
        let index = open_data(&segment::file_path(dir, base, INDEX_EXT)).ok();
        let times = open_data(&segment::file_path(dir, base, TIME_INDEX_EXT)).ok();
        let point = resume_point(&file, &path, len, base, index.as_ref(), times.as_ref())?;
        let mut max = point.max_timestamp;
        let scan = open_scan::scan(&file, &path, point.position, point.offset, len, Verify::HeadersOnly, |f| {
            max = max.max(f.header.max_timestamp);
        })?;
        Ok((max, scan.next_offset))
    }

    /// Closes the active segment (fsyncing it and its indexes) and starts a
    /// new one at the log end offset.
    fn roll(&mut self) -> Result<()> {
        // Entries held back belong to the segment closing.
        self.active.write_pending_index()?;
        let a = &self.active;
        fault::sync_all(&a.file).at("fsync", &a.path)?;
        fault::sync_all(&a.index).at("fsync", &a.index_path)?;
        fault::sync_all(&a.time_index).at("fsync", &a.time_path)?;
        let base = a.next_offset;
        create_segment(&self.dir, base)?;
        let (active, _) = open_active(&self.dir, base, self.config)?;
        self.active = active;
        if let Some(segments) = &mut self.segments {
            segments.push(base);
        }
        self.rolls += 1;
        Ok(())
    }
}

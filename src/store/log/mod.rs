//! The writer's view of one replica: segments, the active segment, appends,
//! rolling, durability and tail repair. The caller must hold the partition's
//! writer lock for as long as it uses a [`Log`]; between lock holds another
//! process may have appended, so [`Log::refresh`] runs after each acquisition.
//! Refreshing is cheap when nothing changed: every roll, in any process,
//! names the new segment after the log end it closed at, so a handle whose
//! active segment is unchanged (same file, length and last frame) and has
//! no segment named after its log end is up to date without listing the
//! folder.

pub mod checkpoint;
pub mod compaction;
pub mod retention;

use std::fs::{self, File, OpenOptions};
use std::path::{Path, PathBuf};

use super::durability::PersistMode;
use super::frame::FrameHeader;
use super::index::IndexPolicy;
use super::recovery::{self, TornTail, Verify};
use super::segment::{self, INDEX_EXT, LOG_EXT, TIME_INDEX_EXT};
use super::tail;
use crate::error::{Error, ErrorKind, IoContext, Result};
use crate::sys::fault;
use crate::sys::fs::sync_dir;

/// Per-log settings (from topic configs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogConfig {
    /// Roll to a new segment before one would pass this size (`segment.bytes`).
    pub segment_bytes: u64,
    /// Bytes between index entries (`index.interval.bytes`).
    pub index_interval_bytes: u64,
    /// Roll before appending a frame stamped more than this many ms after
    /// the active segment's first frame (`segment.ms`); `None`: never.
    pub segment_ms: Option<i64>,
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig { segment_bytes: 1 << 30, index_interval_bytes: 4096, segment_ms: None }
    }
}

/// A torn tail that opening a log cut off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    pub segment: PathBuf,
    pub torn: TornTail,
    /// The log end offset after the repair.
    pub next_offset: u64,
}

impl std::fmt::Display for Repair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "repaired {}: cut {} bytes of a torn frame at byte {} ({}); the log now ends at offset {}",
            self.segment.display(),
            self.torn.bytes,
            self.torn.position,
            self.torn.reason,
            self.next_offset
        )
    }
}

struct Active {
    base: u64,
    path: PathBuf,
    file: std::sync::Arc<File>,
    len: u64,
    next_offset: u64,
    /// Position and header of the last frame written, to notice another
    /// process rewriting the tail between our lock holds.
    last_frame: Option<(u64, FrameHeader)>,
    /// The largest timestamp of the segment's first frame (what `segment.ms`
    /// counts from, as Kafka's `rollingBasedTimestamp`).
    first_timestamp: Option<i64>,
    index_path: PathBuf,
    index: File,
    index_len: u64,
    time_path: PathBuf,
    time_index: File,
    time_index_len: u64,
    policy: IndexPolicy,
    pending_offsets: Vec<u8>,
    pending_times: Vec<u8>,
    unsynced: bool,
    /// Up to where write-back was started (see [`WRITE_BEHIND_BYTES`]).
    written_back: u64,
}

/// Appended bytes after which the disk is asked to start writing them.
const WRITE_BEHIND_BYTES: u64 = 4 << 20;

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

fn open_rw(path: &Path, create: bool) -> Result<File> {
    OpenOptions::new().read(true).write(true).create(create).truncate(false).open(path).at("open", path)
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
            Some(listing) if super::compact::has_leftovers(&listing.others) => {
                super::compact::recover_leftovers(dir)?;
                segment::list(dir)?
            }
            Some(listing) => listing.bases,
        };
        if segments.is_empty() {
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
    pub(super) fn segment_bases(&self) -> Result<std::borrow::Cow<'_, [u64]>> {
        match &self.segments {
            Some(bases) => Ok(std::borrow::Cow::Borrowed(bases)),
            None => segment::list(&self.dir).map(std::borrow::Cow::Owned),
        }
    }

    /// The segment list, listed again first if a cheap refresh left it unknown.
    pub(super) fn segments_mut(&mut self) -> Result<&mut Vec<u64>> {
        let bases = match self.segments.take() {
            Some(bases) => bases,
            None => segment::list(&self.dir)?,
        };
        Ok(self.segments.insert(bases))
    }

    /// The first offset readers may see: the first segment's base, or the
    /// `log-start-offset` checkpoint if `topic trim` raised it.
    pub fn log_start_offset(&self) -> Result<u64> {
        super::checkpoint::log_start(&self.dir, self.start_offset()?)
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
            return Err(Error::other(format!("the segments of {} disappeared while it was open", self.dir.display())));
        };
        let (active, repair) = open_active(&self.dir, base, self.config)?;
        self.segments = Some(segments);
        self.active = active;
        Ok(repair)
    }

    /// Whether the active segment is still the log's end as this handle
    /// left it: the same file, still in the folder, with the same length and
    /// last frame, and no segment named after its log end — where a roll,
    /// in this process or another, starts the next one. (An empty segment
    /// is never rolled: it is replaced, which unlinks it.)
    fn active_unchanged(&self) -> Result<bool> {
        use std::os::unix::fs::MetadataExt;
        let a = &self.active;
        let meta = a.file.metadata().at("stat", &a.path)?;
        if meta.nlink() == 0 || meta.len() != a.len || !self.last_frame_unchanged()? {
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

    fn last_frame_unchanged(&self) -> Result<bool> {
        let Some((pos, header)) = self.active.last_frame else {
            return Ok(true);
        };
        let now = tail::frame_at(&self.active.file, &self.active.path, self.active.len, pos)?;
        Ok(now == Some(header))
    }

    /// Appends one sealed frame whose base offset must equal
    /// [`Log::next_offset`]. One write for the frame, plus one per index
    /// file when the frame earns an index entry.
    pub fn append(&mut self, frame: &[u8], header: &FrameHeader) -> Result<()> {
        self.check_poison()?;
        let result = self.append_unchecked(frame, header);
        self.poison_on_error(result)
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
            .with_hint("run the command again: the next process cuts what was half written")),
        }
    }

    fn poison_on_error<T>(&mut self, result: Result<T>) -> Result<T> {
        if let Err(e) = &result
            && e.kind == ErrorKind::Io
        {
            self.poisoned = Some(e.message.clone());
        }
        result
    }

    fn append_unchecked(&mut self, frame: &[u8], header: &FrameHeader) -> Result<()> {
        if header.base_offset != self.active.next_offset {
            return Err(Error::other(format!(
                "internal error: frame for offset {} appended at offset {} in {}",
                header.base_offset,
                self.active.next_offset,
                self.dir.display()
            )));
        }
        let frame_len = frame.len() as u64;
        if self.roll_due(frame_len, header) {
            self.roll()?;
        }
        let a = &mut self.active;
        let relative = u32::try_from(header.base_offset - a.base)
            .map_err(|_| Error::other(format!("segment {} holds too many offsets", a.path.display())))?;
        a.policy.on_frame(
            relative,
            a.len as u32,
            frame.len() as u32,
            header.max_timestamp,
            &mut a.pending_offsets,
            &mut a.pending_times,
        );
        fault::write_all_at(&a.file, frame, a.len).at("write", &a.path)?;
        if a.len == 0 {
            a.first_timestamp = Some(header.max_timestamp);
        }
        a.last_frame = Some((a.len, *header));
        a.len += frame_len;
        a.next_offset = header.next_offset();
        a.unsynced = true;
        if !a.pending_offsets.is_empty() {
            fault::write_all_at(&a.index, &a.pending_offsets, a.index_len).at("write", &a.index_path)?;
            a.index_len += a.pending_offsets.len() as u64;
            a.pending_offsets.clear();
        }
        if !a.pending_times.is_empty() {
            fault::write_all_at(&a.time_index, &a.pending_times, a.time_index_len).at("write", &a.time_path)?;
            a.time_index_len += a.pending_times.len() as u64;
            a.pending_times.clear();
        }
        if self.active.len - self.active.written_back >= WRITE_BEHIND_BYTES
            && let Some(range) = self.take_write_back()
        {
            // Start writing back what this process appended, without
            // waiting: the fsync at the end then has little left to do.
            range.start();
        }
        Ok(())
    }

    /// What was appended and not yet written back, for another thread to
    /// start writing (see [`WRITE_BEHIND_BYTES`]); `None` if nothing.
    pub fn take_write_back(&mut self) -> Option<super::durability::WriteBack> {
        let a = &mut self.active;
        let bytes = a.len.saturating_sub(a.written_back);
        let range =
            super::durability::WriteBack { file: std::sync::Arc::clone(&a.file), offset: a.written_back, len: bytes };
        a.written_back = a.len;
        (bytes > 0).then_some(range)
    }

    /// Whether appending a frame of `frame_len` bytes stamped as `header`
    /// needs a new segment first (`segment.bytes`, `segment.ms`).
    fn roll_due(&self, frame_len: u64, header: &FrameHeader) -> bool {
        let too_big = self.active.len + frame_len > self.config.segment_bytes;
        let too_old = match (self.config.segment_ms, self.active.first_timestamp) {
            (Some(ms), Some(first)) => header.max_timestamp.saturating_sub(first) > ms,
            _ => false,
        };
        self.active.len > 0 && (too_big || too_old)
    }

    /// Whether something appended through this handle is not yet synced.
    pub fn has_unsynced(&self) -> bool {
        self.active.unsynced
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

    /// Removes every frame holding offsets at or after `offset` (Kafka's
    /// truncateTo: a frame straddling `offset` goes whole, so the log may end
    /// a little before `offset`). Returns the new log end offset.
    pub fn truncate_to(&mut self, offset: u64) -> Result<u64> {
        self.check_poison()?;
        let result = self.truncate_unchecked(offset);
        self.poison_on_error(result)
    }

    fn truncate_unchecked(&mut self, offset: u64) -> Result<u64> {
        if offset >= self.active.next_offset {
            return Ok(self.active.next_offset);
        }
        let dir = self.dir.clone();
        let segments = self.segments_mut()?;
        let keep = segments.iter().rposition(|&b| b <= offset).unwrap_or(0);
        for &base in segments[keep + 1..].iter().rev() {
            for ext in [LOG_EXT, INDEX_EXT, TIME_INDEX_EXT] {
                crate::sys::fs::remove_if_present(&segment::file_path(&dir, base, ext))?;
            }
        }
        let Some(&base) = segments.get(keep) else {
            return Err(Error::other(format!("the segments of {} disappeared while it was open", dir.display())));
        };
        segments.truncate(keep + 1);
        let path = segment::file_path(&self.dir, base, LOG_EXT);
        let file = open_rw(&path, false)?;
        let len = file.metadata().at("stat", &path)?.len();
        let mut cut = len;
        recovery::scan(&file, &path, 0, base, len, Verify::HeadersOnly, |f| {
            if cut == len && f.header.last_offset() >= offset {
                cut = f.position;
            }
        })?;
        file.set_len(cut).at("truncate", &path)?;
        fault::sync_all(&file).at("fsync", &path)?;
        for (ext, entry_len) in [(INDEX_EXT, 8u64), (TIME_INDEX_EXT, 16u64)] {
            // Entries at or past the cut are dropped; the rest stay valid.
            let index_path = segment::file_path(&self.dir, base, ext);
            let bytes = crate::sys::fs::read_optional(&index_path)?;
            let keep_entries = bytes
                .chunks_exact(entry_len as usize)
                .take_while(|e| {
                    let p = &e[entry_len as usize - 4..];
                    u64::from(u32::from_le_bytes([p[0], p[1], p[2], p[3]])) < cut
                })
                .count() as u64;
            let index = open_rw(&index_path, true)?;
            index.set_len(keep_entries * entry_len).at("truncate", &index_path)?;
        }
        sync_dir(&self.dir)?;
        let (active, _) = open_active(&self.dir, base, self.config)?;
        self.active = active;
        Ok(self.active.next_offset)
    }

    /// Appends frames copied verbatim from another replica (their offsets
    /// and epochs are kept). The frame may start above the log end: a
    /// compacted leader has gaps between frames, and so will the copy.
    pub fn append_copied(&mut self, frame: &[u8], header: &FrameHeader) -> Result<()> {
        self.check_poison()?;
        if header.base_offset > self.active.next_offset {
            let result = self.skip_to(header.base_offset, frame.len() as u64, header);
            self.poison_on_error(result)?;
        }
        self.append(frame, header)
    }

    /// Moves the log end up to `offset` for a copied frame that starts
    /// there. A roll it needs happens first, at the old log end as every
    /// roll does (see the module doc). If even then the active segment could
    /// not hold `offset` as a relative offset, a segment starting at it
    /// follows: after a roll the empty one stays (it marks the roll); an
    /// active segment that was empty to begin with is replaced.
    fn skip_to(&mut self, offset: u64, frame_len: u64, header: &FrameHeader) -> Result<()> {
        let fits = |log: &Log| u32::try_from(offset - log.active.base).is_ok();
        if self.active.len > 0 && (self.roll_due(frame_len, header) || !fits(self)) {
            self.roll()?;
            if !fits(self) {
                self.active.next_offset = offset;
                self.roll()?;
            }
        } else if !fits(self) {
            self.replace_empty_active(offset)?;
        }
        self.active.next_offset = offset;
        Ok(())
    }

    /// Replaces the empty active segment with an empty one at `base`. A
    /// handle elsewhere that holds the old one finds it unlinked.
    fn replace_empty_active(&mut self, base: u64) -> Result<()> {
        let old = self.active.base;
        create_segment(&self.dir, base)?;
        for ext in [LOG_EXT, INDEX_EXT, TIME_INDEX_EXT] {
            crate::sys::fs::remove_if_present(&segment::file_path(&self.dir, old, ext))?;
        }
        sync_dir(&self.dir)?;
        let (active, _) = open_active(&self.dir, base, self.config)?;
        self.active = active;
        if let Some(segments) = &mut self.segments {
            segments.retain(|&b| b != old);
            segments.push(base);
        }
        Ok(())
    }

    /// Closes the active segment (fsyncing it and its indexes) and starts a
    /// new one at the log end offset.
    fn roll(&mut self) -> Result<()> {
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

/// Creates the empty files of a new segment and makes them durable.
fn create_segment(dir: &Path, base: u64) -> Result<()> {
    for ext in [LOG_EXT, INDEX_EXT, TIME_INDEX_EXT] {
        let path = segment::file_path(dir, base, ext);
        open_rw(&path, true)?;
    }
    sync_dir(dir)
}

/// Opens the segment at `base` as the active one: finds the known-good point
/// from its indexes, verifies every frame after it, cuts a torn tail, and
/// drops index entries that point past what survived.
fn open_active(dir: &Path, base: u64, config: LogConfig) -> Result<(Active, Option<Repair>)> {
    let path = segment::file_path(dir, base, LOG_EXT);
    let file = open_rw(&path, false)?;
    let mut len = file.metadata().at("stat", &path)?.len();
    let index_path = segment::file_path(dir, base, INDEX_EXT);
    let time_path = segment::file_path(dir, base, TIME_INDEX_EXT);
    let index = open_rw(&index_path, true)?;
    let time_index = open_rw(&time_path, true)?;
    let point = tail::resume_point(&file, &path, len, base, Some(&index), Some(&time_index))?;

    let mut pending_offsets = Vec::new();
    let mut pending_times = Vec::new();
    let mut policy = IndexPolicy::resume(config.index_interval_bytes, 0, point.max_timestamp, point.max_timestamp);
    let mut last_frame = None;
    let scan = recovery::scan(&file, &path, point.position, point.offset, len, Verify::Checksums, |f| {
        if let Ok(relative) = u32::try_from(f.header.base_offset - base) {
            policy.on_frame(
                relative,
                f.position as u32,
                f.header.frame_len,
                f.header.max_timestamp,
                &mut pending_offsets,
                &mut pending_times,
            );
        }
        last_frame = Some((f.position, f.header));
    })?;

    let mut repair = None;
    if let Some(torn) = scan.torn {
        file.set_len(scan.end_position).at("truncate", &path)?;
        fault::sync_all(&file).at("fsync", &path)?;
        len = scan.end_position;
        repair = Some(Repair { segment: path.clone(), torn, next_offset: scan.next_offset });
    }
    if last_frame.is_none() && point.position > 0 {
        last_frame = tail::frame_at(&file, &path, len, point.position)?.map(|h| (point.position, h));
    }
    let first_timestamp = tail::frame_at(&file, &path, len, 0)?.map(|h| h.max_timestamp);
    // Keep the verified entries, then add the ones the scan earned.
    if point.index_file_len != point.index_len {
        index.set_len(point.index_len).at("truncate", &index_path)?;
    }
    if point.time_index_file_len != point.time_index_len {
        time_index.set_len(point.time_index_len).at("truncate", &time_path)?;
    }
    fault::write_all_at(&index, &pending_offsets, point.index_len).at("write", &index_path)?;
    fault::write_all_at(&time_index, &pending_times, point.time_index_len).at("write", &time_path)?;
    let index_len = point.index_len + pending_offsets.len() as u64;
    let time_index_len = point.time_index_len + pending_times.len() as u64;
    pending_offsets.clear();
    pending_times.clear();

    Ok((
        Active {
            base,
            path,
            file: std::sync::Arc::new(file),
            len,
            next_offset: scan.next_offset,
            last_frame,
            first_timestamp,
            index_path,
            index,
            index_len,
            time_path,
            time_index,
            time_index_len,
            policy,
            pending_offsets,
            pending_times,
            unsynced: false,
            written_back: len,
        },
        repair,
    ))
}

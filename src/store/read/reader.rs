//! [`LogReader`]: reading a replica's log without the writer's lock, from
//! an offset, handing out whole, checksum-verified frames in order through
//! large buffered reads. A reader stops at the first frame that is not whole
//! yet (a writer may be mid-append) and never repairs anything.
//!
//! It keeps its own buffer rather than stepping through the store's frame
//! cursor (`segment/cursor.rs`): it follows a file that grows (a cut frame
//! means "caught up, try again later", not a torn tail), moves on to
//! segments rolled or deleted meanwhile, re-reads a bad frame fresh from
//! the file before judging it, refuses offsets missing between segments
//! that compaction did not make (a segment deleted or emptied: an error
//! after the frames before it), and hands out frames straight from one
//! buffer it refills by moving the unread rest to the front — no re-read of
//! a partial frame per refill. A bad last frame is judged by the cursor's
//! torn-tail rule ([`is_torn_tail`]).

use std::fs::File;
use std::path::{Path, PathBuf};

use super::SegmentListing;
use crate::error::{Error, IoContext, Result};
use crate::store::frame::{self, Frame, FrameCheck, HEADER_LEN};
use crate::store::log::checkpoint;
use crate::store::segment::index::OffsetIndex;
use crate::store::segment::resume_point::frame_at;
use crate::store::segment::torn::is_torn_tail;
use crate::store::segment::{self, INDEX_EXT, LOG_EXT};
use crate::sys::fs::open_data;
use crate::sys::fs::{read_at_most, read_optional};

/// Bytes asked of the file per read, once a reader is streaming.
const READ_CHUNK: usize = 1 << 20;

/// Bytes asked of the file by a reader's first read: each read that fills
/// what it asked for asks four times as much next time, up to
/// [`READ_CHUNK`]. A consumer of 20,000 partitions holding a few records
/// each opens 20,000 readers: with a whole chunk each, zeroing their
/// buffers was 40% of its time.
const FIRST_READ: usize = 16 * 1024;

struct OpenSegment {
    base: u64,
    path: PathBuf,
    file: File,
}

/// A sequential reader over one replica's log.
pub struct LogReader {
    dir: PathBuf,
    segments: Vec<u64>,
    current: Option<OpenSegment>,
    /// File position of `buf[end]`.
    file_pos: u64,
    buf: Vec<u8>,
    /// What the next read asks for, at least ([`FIRST_READ`] up to [`READ_CHUNK`]).
    chunk: usize,
    start: usize,
    end: usize,
    /// Frames ending at or below this offset are skipped.
    skip_below: u64,
    /// A torn tail at the log's end (a write cut short: only zero bytes
    /// left), for the next writer to cut. Readers stop there.
    damaged_tail: Option<DamagedTail>,
    /// The offset after the last whole frame read from the current segment
    /// (its base before the first): where the next segment must start,
    /// unless compaction left a gap ([`checkpoint::gap_is_damage`]).
    data_end: u64,
    /// The position of a frame that failed its checks and was read again
    /// fresh from the file; failing again there, it is judged.
    fresh_read_at: Option<u64>,
    /// The first segment's base when the reader was asked for an offset
    /// below it that no trim or retention removed (`log-start-offset` is
    /// lower): offsets at the log's front are missing, and the reader
    /// started after them. Damage if another replica holds them.
    skipped_front: Option<u64>,
}

/// A frame at the end of a log that does not verify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DamagedTail {
    pub path: PathBuf,
    pub position: u64,
    pub damage: String,
}

impl LogReader {
    /// Opens a reader positioned at `offset` (or the log start, if that is
    /// later). Frames holding only older offsets are skipped; a frame that
    /// straddles `offset` is returned whole (callers skip its older records).
    pub fn open(dir: &Path, offset: u64) -> Result<LogReader> {
        Self::open_listed(dir, offset, SegmentListing(segment::list(dir)?))
    }

    /// [`LogReader::open`] from the segments a look just found
    /// ([`super::log_end_listed`]) instead of listing the folder again. The
    /// recorded log start is read again: a trim since the look is honoured.
    pub fn open_listed(dir: &Path, offset: u64, listing: SegmentListing) -> Result<LogReader> {
        let segments = listing.0;
        let mut skipped_front = None;
        let offset = match segments.first() {
            Some(&first) => {
                let recorded = checkpoint::read(dir, checkpoint::LOG_START)?.unwrap_or(0);
                if offset < first && recorded < first {
                    skipped_front = Some(first);
                }
                offset.max(recorded).max(first)
            }
            None => offset,
        };
        let mut reader = LogReader {
            dir: dir.to_path_buf(),
            segments,
            current: None,
            file_pos: 0,
            buf: Vec::new(),
            chunk: FIRST_READ,
            start: 0,
            end: 0,
            skip_below: offset,
            data_end: 0,
            damaged_tail: None,
            fresh_read_at: None,
            skipped_front,
        };
        reader.seek(offset)?;
        Ok(reader)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The first segment's base when the offset asked for lay below it in
    /// offsets missing at the log's front that no trim or retention
    /// removed ([`super::unrecorded_front_gap`]): the reader started there.
    pub fn skipped_front(&self) -> Option<u64> {
        self.skipped_front
    }

    /// The frame at the log's end that failed its checksum, when the last
    /// `next_frame` stopped at one.
    pub fn damaged_tail(&self) -> Option<&DamagedTail> {
        self.damaged_tail.as_ref()
    }

    fn seek(&mut self, offset: u64) -> Result<()> {
        let base = loop {
            let idx = self.segments.iter().rposition(|&b| b <= offset).unwrap_or_default();
            let Some(&base) = self.segments.get(idx) else {
                return Ok(());
            };
            if self.open_segment(base)? {
                break base;
            }
            // Retention deleted it since the listing: the log starts later now.
            self.segments = segment::list(&self.dir)?;
        };
        let Some(seg) = &self.current else { return Ok(()) };
        let len = seg.file.metadata().at("stat", &seg.path)?.len();
        let index = read_optional(&segment::file_path(&self.dir, base, INDEX_EXT))?;
        let index = OffsetIndex::new(&index);
        let relative = u32::try_from(offset.saturating_sub(base)).unwrap_or(u32::MAX);
        let valid = index.valid_prefix(len);
        let entry = (0..valid).rev().filter_map(|i| index.get(i)).find(|e| e.relative_offset <= relative);
        if let Some(entry) = entry {
            let position = u64::from(entry.position);
            let header = frame_at(&seg.file, &seg.path, len, position)?;
            if header.is_some_and(|h| h.base_offset == base + u64::from(entry.relative_offset)) {
                self.file_pos = position;
            }
        }
        Ok(())
    }

    /// Opens segment `base`; false if it no longer exists (retention
    /// deleted it), in which case the caller lists the segments again.
    fn open_segment(&mut self, base: u64) -> Result<bool> {
        let path = segment::file_path(&self.dir, base, LOG_EXT);
        let file = match open_data(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
            Err(e) => return Err(e).at("open", &path),
        };
        self.current = Some(OpenSegment { base, path, file });
        self.data_end = base;
        self.file_pos = 0;
        self.start = 0;
        self.end = 0;
        self.fresh_read_at = None;
        Ok(true)
    }

    /// The next whole frame holding offsets at or after the reader's
    /// position, or `None` when the reader has caught up with the log end.
    pub fn next_frame(&mut self) -> Result<Option<Frame<'_>>> {
        loop {
            if self.current.is_none() {
                self.segments = segment::list(&self.dir)?;
                match self.segments.first() {
                    Some(&base) => {
                        if !self.open_segment(base)? {
                            continue;
                        }
                    }
                    None => return Ok(None),
                }
            }
            match frame::check_frame(&self.buf[self.start..self.end]) {
                FrameCheck::Whole(header) => {
                    let len = header.frame_len as usize;
                    let at = self.start;
                    self.start += len;
                    self.data_end = header.next_offset();
                    if header.next_offset() <= self.skip_below {
                        continue;
                    }
                    self.skip_below = header.next_offset();
                    self.damaged_tail = None;
                    self.fresh_read_at = None;
                    return Ok(Some(Frame::new(header, &self.buf[at..at + len])));
                }
                FrameCheck::Incomplete { needed } => {
                    if self.fill(needed)? == 0 && !self.next_segment()? {
                        return Ok(None);
                    }
                }
                FrameCheck::Invalid(damage) => {
                    let Some(seg) = &self.current else { return Ok(None) };
                    let pos = self.file_pos - (self.end - self.start) as u64;
                    if self.fresh_read_at != Some(pos) {
                        // The buffer may hold a torn tail that a writer has
                        // since cut and written over: judge only bytes read
                        // fresh from the file, starting at this frame.
                        self.fresh_read_at = Some(pos);
                        self.file_pos = pos;
                        self.start = 0;
                        self.end = 0;
                        continue;
                    }
                    let len = seg.file.metadata().at("stat", &seg.path)?.len();
                    let is_last = self.segments.last() == Some(&seg.base);
                    if !is_last {
                        return Err(Error::corrupt(&seg.path, pos, damage));
                    }
                    if !is_torn_tail(&seg.file, &seg.path, pos, len)? {
                        return Err(Error::corrupt(&seg.path, pos, damage));
                    }
                    self.damaged_tail =
                        Some(DamagedTail { path: seg.path.clone(), position: pos, damage: damage.to_string() });
                    // Read it again next time: a writer may cut and rewrite it.
                    self.file_pos = pos;
                    self.start = 0;
                    self.end = 0;
                    self.fresh_read_at = None;
                    return Ok(None);
                }
            }
        }
    }

    /// Reads more of the current segment so that at least `needed` bytes are
    /// buffered past `start`. Returns how many new bytes arrived.
    fn fill(&mut self, needed: usize) -> Result<usize> {
        let Some(seg) = &self.current else { return Ok(0) };
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        let want = needed.max(self.chunk).max(HEADER_LEN);
        if self.buf.len() < want {
            self.buf.resize(want, 0);
        }
        let room = self.buf.len() - self.end;
        let got = read_at_most(&seg.file, &mut self.buf[self.end..], self.file_pos).at("read", &seg.path)?;
        if got == room {
            self.chunk = (self.chunk * 4).min(READ_CHUNK);
        }
        self.end += got;
        self.file_pos += got as u64;
        Ok(got)
    }

    /// At the end of the current segment's bytes: moves to the next segment
    /// if there is one. Returns false when the reader has caught up.
    fn next_segment(&mut self) -> Result<bool> {
        let Some(seg) = &self.current else { return Ok(false) };
        let base = seg.base;
        let mut next = self.segments.iter().copied().find(|&b| b > base);
        if next.is_none() {
            self.segments = segment::list(&self.dir)?;
            next = self.segments.iter().copied().find(|&b| b > base);
            if next.is_some() {
                // The segment was closed after our last read: its final
                // frames are complete now.
                if self.fill(0)? > 0 {
                    return Ok(true);
                }
            }
        }
        let Some(mut next) = next else { return Ok(false) };
        if self.end > self.start {
            let Some(seg) = &self.current else { return Ok(false) };
            let pos = self.file_pos - (self.end - self.start) as u64;
            if self.fresh_read_at != Some(pos) {
                // What we hold may be a file a writer has since replaced or
                // cut (a rebuilt or truncated replica): read it again, by
                // name, from this frame on, before calling it damage.
                self.fresh_read_at = Some(pos);
                self.segments = segment::list(&self.dir)?;
                if self.open_segment(base)? {
                    self.file_pos = pos;
                    self.fresh_read_at = Some(pos);
                    return Ok(true);
                }
                self.start = self.end;
            } else {
                return Err(Error::corrupt(&seg.path, pos, "a closed segment ends inside a frame"));
            }
        }
        if next > self.data_end {
            self.check_gap(base, next)?;
        }
        while !self.open_segment(next)? {
            // Deleted by retention: go on with the first segment still there.
            self.segments = segment::list(&self.dir)?;
            match self.segments.iter().copied().find(|&b| b > base) {
                Some(b) => next = b,
                None => return Ok(false),
            }
        }
        Ok(true)
    }

    /// Offsets missing between the end of segment `base` and the next one,
    /// at `next`: below the `cleaner-offset` checkpoint they are
    /// compaction's; a segment that retention deleted is gone itself (the
    /// reader then goes on at the first one left). Anything else is a
    /// segment deleted or emptied: damage, after the frames before it.
    fn check_gap(&self, base: u64, next: u64) -> Result<()> {
        let current = segment::file_path(&self.dir, base, LOG_EXT);
        match std::fs::symlink_metadata(&current) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e).at("stat", &current),
            Ok(_) => {}
        }
        if checkpoint::gap_is_damage(&self.dir, self.data_end, next)? {
            let end = self.data_end;
            return Err(Error::corrupt(
                &segment::file_path(&self.dir, next, LOG_EXT),
                0,
                format!(
                    "offsets {end}..{next} are missing: the segments before this one end at offset {end} (a segment was deleted or emptied)"
                ),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::append_frame;
    use crate::store::{Log, LogConfig};

    /// A reader of a few records holds a small buffer; one streaming a long
    /// log grows to whole chunks and reads every frame in order, those
    /// larger than a first read too.
    #[test]
    fn a_reader_starts_small_and_grows_while_the_log_goes_on() {
        let dir = tempfile::tempdir().expect("tempdir");
        let config = LogConfig { segment_bytes: 64 << 20, index_interval_bytes: 4096, segment_ms: None };
        let (mut log, _) = Log::open(dir.path(), config, 0).expect("open");
        append_frame(&mut log, &[b"one", b"two"], 1, 0);
        let mut small = LogReader::open(dir.path(), 0).expect("reader");
        assert!(small.next_frame().expect("frame").is_some());
        assert!(small.buf.len() <= FIRST_READ, "a buffer of {} bytes for two records", small.buf.len());

        let value = vec![b'v'; 40 * 1024];
        for _ in 0..100 {
            append_frame(&mut log, &[&value, b"short"], 2, 0);
        }
        let mut reader = LogReader::open(dir.path(), 0).expect("reader");
        let mut offsets = Vec::new();
        while let Some(frame) = reader.next_frame().expect("frame") {
            offsets.extend(frame.records().map(|r| r.expect("record").offset));
        }
        assert_eq!(offsets, (0..202).collect::<Vec<u64>>());
        assert_eq!(reader.chunk, READ_CHUNK, "streaming reads grew to whole chunks");
    }
}

//! Where a replica's log stands and where a time falls in it, read without
//! the writer's lock: [`log_end`] (start and end offsets, size) and
//! [`offset_for_timestamp`] (Kafka's offsetsForTimes).

use std::fs::File;
use std::path::Path;

use crate::error::{IoContext, Result};
use crate::store::frame::{Frame, FrameCheck, check_frame};
use crate::store::log::checkpoint;
use crate::store::segment::cursor::{DamagePolicy, FrameCursor, Step};
use crate::store::segment::index::TimeIndex;
use crate::store::segment::open_scan::{self, Verify};
use crate::store::segment::resume_point::{frame_at, resume_point};
use crate::store::segment::{self, INDEX_EXT, LOG_EXT, TIME_INDEX_EXT};
use crate::sys::fs::{open_data, open_regular};
use crate::sys::fs::{read_at_most, read_optional};

/// Where a log stands, as seen by a reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LogEnd {
    /// First offset still in the log.
    pub start_offset: u64,
    /// Offset after the last whole frame.
    pub end_offset: u64,
    /// Bytes of segment data on disk.
    pub size_bytes: u64,
    pub segments: usize,
    /// The base offset of the first segment; above the recorded log start
    /// (`log-start-offset`, 0 without one) only when segments below were
    /// lost, as trims and retention raise that record first.
    pub first_segment_base: u64,
    /// The first segment starts above the recorded log start: offsets at
    /// the front are missing that no trim or retention removed
    /// ([`unrecorded_front_gap`]).
    pub front_unrecorded: bool,
}

/// Finds the log's start and end offsets without verifying checksums: the
/// active segment's tail after its last good index entry is walked by headers.
pub fn log_end(dir: &Path) -> Result<LogEnd> {
    log_end_listed(dir).map(|(end, _)| end)
}

/// [`log_end`], and the segments it found: what [`LogReader::open_listed`]
/// opens a reader from without listing the folder again.
///
/// [`LogReader::open_listed`]: crate::store::LogReader::open_listed
pub fn log_end_listed(dir: &Path) -> Result<(LogEnd, SegmentListing)> {
    let segments = segment::list(dir)?;
    let (Some(&first), Some(&last)) = (segments.first(), segments.last()) else {
        return Ok((LogEnd::default(), SegmentListing(segments)));
    };
    let recorded = checkpoint::read(dir, checkpoint::LOG_START)?.unwrap_or(0);
    let start_offset = recorded.max(first);
    let mut size_bytes = 0;
    for &base in &segments[..segments.len() - 1] {
        size_bytes += segment::log_size(dir, base);
    }
    let path = segment::file_path(dir, last, LOG_EXT);
    let (file, meta) = open_regular(&path).at("open", &path)?;
    let len = meta.len();
    size_bytes += len;
    let index = open_data(&segment::file_path(dir, last, INDEX_EXT)).ok();
    let point = resume_point(&file, &path, len, last, index.as_ref(), None)?;
    let scan = open_scan::scan(&file, &path, point.position, point.offset, len, Verify::HeadersOnly, |_| {})?;
    let end_offset = scan.next_offset;
    let end = LogEnd {
        start_offset: start_offset.min(end_offset),
        end_offset,
        size_bytes,
        segments: segments.len(),
        first_segment_base: first,
        front_unrecorded: first > recorded,
    };
    Ok((end, SegmentListing(segments)))
}

/// The segments a look at a replica folder found ([`log_end_listed`]), for
/// a reader opened soon after: a segment deleted or added since is found
/// as the reader goes (it lists again when a segment it expects is gone,
/// and at the end of the last one it knows).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SegmentListing(pub(in crate::store) Vec<u64>);

/// Finds the first offset at or above the log start whose record timestamp
/// is at or after `timestamp` (Kafka's offsetsForTimes, which never answers
/// below the log start); `None` if every such record is older.
pub fn offset_for_timestamp(dir: &Path, timestamp: i64) -> Result<Option<u64>> {
    let segments = segment::list(dir)?;
    let Some(&first) = segments.first() else { return Ok(None) };
    let log_start = checkpoint::log_start(dir, first)?;
    for &base in &segments {
        let path = segment::file_path(dir, base, LOG_EXT);
        let (file, len) = match open_regular(&path) {
            Ok((file, meta)) => (file, meta.len()),
            // Deleted by retention since the listing: its records are gone.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e).at("open", &path),
        };
        let times = read_optional(&segment::file_path(dir, base, TIME_INDEX_EXT))?;
        let times = TimeIndex::new(&times);
        let valid = times.valid_prefix(len);
        let entry = (0..valid).rev().filter_map(|i| times.get(i)).find(|e| e.timestamp < timestamp);
        let mut start = 0;
        if let Some(e) = entry {
            // A compaction swap may pair a new index with the old log for a
            // moment: trust an entry only if it points at the frame it names.
            let header = frame_at(&file, &path, len, u64::from(e.position))?;
            if header.is_some_and(|h| h.base_offset == base + u64::from(e.relative_offset)) {
                start = u64::from(e.position);
            }
        }
        if let Some(offset) = first_at_or_after(&file, &path, start, len, timestamp, log_start)? {
            return Ok(Some(offset));
        }
    }
    Ok(None)
}

fn first_at_or_after(
    file: &File,
    path: &Path,
    start: u64,
    len: u64,
    timestamp: i64,
    log_start: u64,
) -> Result<Option<u64>> {
    // Headers only, up to the first frame that is not whole (a reader never
    // judges damage here); a frame whose checksum fails is passed over.
    let mut cursor = FrameCursor::new(file, path, start, len, DamagePolicy::Refuse);
    let mut buf = Vec::new();
    while let Step::Whole(pos, header) = cursor.next_header()? {
        if header.max_timestamp >= timestamp && header.next_offset() > log_start {
            buf.resize(header.frame_len as usize, 0);
            let got = read_at_most(file, &mut buf, pos).at("read", path)?;
            if let FrameCheck::Whole(h) = check_frame(&buf[..got]) {
                for record in Frame::new(h, &buf).records().flatten() {
                    if record.timestamp >= timestamp && record.offset >= log_start {
                        return Ok(Some(record.offset));
                    }
                }
            }
        }
    }
    Ok(None)
}

/// Offsets `recorded..first` at the front of the replica in `dir` that are
/// missing without a trim or retention having removed them: its first
/// segment starts above its recorded log start (`log-start-offset`, 0
/// without one; trims, retention and copies record it before any segment
/// goes). `None` when the front is whole or the folder holds no log. Only
/// damage where another replica holds those offsets: a log written by an
/// older runnel may have lost its front to retention without the record.
pub fn unrecorded_front_gap(dir: &Path) -> Result<Option<(u64, u64)>> {
    let Some(&first) = segment::list(dir)?.first() else { return Ok(None) };
    let recorded = crate::store::log::log_start_checkpoint(dir)?.unwrap_or(0);
    Ok((first > recorded).then_some((recorded, first)))
}

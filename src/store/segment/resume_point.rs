//! Finding the end of a segment cheaply: the last index entry that still
//! points at a real frame is the known-good point; only the bytes after it
//! are walked. Shared by the writer (which verifies checksums and repairs)
//! and by readers (which only need the log end offset).

use std::fs::File;
use std::path::Path;

use crate::error::{IoContext, Result};
use crate::store::frame::{FrameHeader, HEADER_LEN};
use crate::store::segment::index::{OFFSET_ENTRY_LEN, OffsetIndex, TIME_ENTRY_LEN, TimeIndex};
use crate::sys::fs::read_at_most;

/// How many trailing index entries are read to find the known-good point.
const TAIL_ENTRIES: u64 = 256;

/// The last trustworthy index entries of a segment.
#[derive(Debug, Clone, Copy, Default)]
pub struct ResumePoint {
    /// Frame boundary to scan from (0 if no entry is usable).
    pub position: u64,
    /// First offset of the frame at `position`.
    pub offset: u64,
    /// Index file length (bytes) up to and including the usable entry.
    pub index_len: u64,
    pub time_index_len: u64,
    /// The index files' lengths as found (to cut them only if needed).
    pub index_file_len: u64,
    pub time_index_file_len: u64,
    /// Largest timestamp recorded by the usable time entries.
    pub max_timestamp: i64,
}

/// Reads the tail of the offset and time indexes of the segment at `base`
/// and returns the last entries that point at a frame carrying the offset
/// they claim. Index files that are missing or damaged just yield fewer
/// usable entries.
pub fn resume_point(
    log: &File,
    log_path: &Path,
    log_len: u64,
    base: u64,
    index: Option<&File>,
    time_index: Option<&File>,
) -> Result<ResumePoint> {
    let mut point = ResumePoint { offset: base, max_timestamp: i64::MIN, ..ResumePoint::default() };
    // The last frame header read, and where: (position, header).
    let mut read: Option<(u64, Option<FrameHeader>)> = None;
    if let Some(index) = index {
        let (bytes, first_entry, file_len) = read_tail(index, OFFSET_ENTRY_LEN as u64)?;
        point.index_file_len = file_len;
        let view = OffsetIndex::new(&bytes);
        for i in (0..view.len()).rev() {
            let Some(entry) = view.get(i) else { continue };
            let header = frame_at(log, log_path, log_len, u64::from(entry.position))?;
            read = Some((u64::from(entry.position), header));
            if claims(header, base, entry.relative_offset) {
                point.position = u64::from(entry.position);
                point.offset = base + u64::from(entry.relative_offset);
                point.index_len = (first_entry + i as u64 + 1) * OFFSET_ENTRY_LEN as u64;
                break;
            }
        }
    }
    if let Some(time_index) = time_index {
        let (bytes, first_entry, file_len) = read_tail(time_index, TIME_ENTRY_LEN as u64)?;
        point.time_index_file_len = file_len;
        let view = TimeIndex::new(&bytes);
        for i in (0..view.len()).rev() {
            let Some(entry) = view.get(i) else { continue };
            let position = u64::from(entry.position);
            if position > point.position {
                continue;
            }
            // Time and offset entries are mostly written together: the
            // frame the offset entry was checked against is not read again.
            let header = match read {
                Some((at, header)) if at == position => header,
                _ => frame_at(log, log_path, log_len, position)?,
            };
            if claims(header, base, entry.relative_offset) {
                point.time_index_len = (first_entry + i as u64 + 1) * TIME_ENTRY_LEN as u64;
                point.max_timestamp = entry.timestamp;
                break;
            }
        }
    }
    Ok(point)
}

/// Reads up to TAIL_ENTRIES whole entries from the end of an index file.
/// Returns the bytes, the number of the first entry they hold, and the
/// file's length.
fn read_tail(file: &File, entry_len: u64) -> Result<(Vec<u8>, u64, u64)> {
    let file_len = file.metadata().map(|m| m.len()).ok();
    let len = file_len.unwrap_or(0);
    let entries = len / entry_len;
    let first = entries.saturating_sub(TAIL_ENTRIES);
    let mut buf = vec![0u8; ((entries - first) * entry_len) as usize];
    let got = read_at_most(file, &mut buf, first * entry_len).unwrap_or(0);
    buf.truncate(got);
    // A length that could not be read counts as one to cut.
    Ok((buf, first, file_len.unwrap_or(u64::MAX)))
}

/// Whether `header` (read where an index entry points) is a frame carrying
/// the offset the entry claims.
fn claims(header: Option<FrameHeader>, base: u64, relative_offset: u32) -> bool {
    header.is_some_and(|h| h.base_offset == base + u64::from(relative_offset))
}

/// The plausible, length-whole frame header at `position`, if there is one.
pub fn frame_at(log: &File, path: &Path, log_len: u64, position: u64) -> Result<Option<FrameHeader>> {
    if position + HEADER_LEN as u64 > log_len {
        return Ok(None);
    }
    let mut buf = [0u8; HEADER_LEN];
    let got = read_at_most(log, &mut buf, position).at("read", path)?;
    Ok(FrameHeader::parse(&buf[..got]).filter(|h| h.is_plausible() && position + u64::from(h.frame_len) <= log_len))
}

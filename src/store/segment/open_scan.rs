//! The open scan: walking a segment's frames from a known-good point (the
//! resume point its indexes give) to its end, and deciding whether a bad
//! frame there is a torn tail (the caller cuts it back) or corruption (an
//! error naming the file and position), by the torn-tail rule (`torn.rs`). Used when a writer opens the active
//! segment, and, headers only, wherever a log's end or a segment's frames
//! are needed cheaply. Returns what it found; the caller repairs.

use std::fs::File;
use std::path::Path;

use crate::error::{Error, Result};
use crate::store::frame::FrameHeader;
use crate::store::segment::cursor::{DamagePolicy, FrameCursor, Step};

/// One whole frame met during a scan.
#[derive(Debug, Clone, Copy)]
pub struct ScannedFrame {
    pub position: u64,
    pub header: FrameHeader,
}

/// A torn tail: the bytes from `position` to the end of the file are not a
/// whole frame and must be cut.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TornTail {
    pub position: u64,
    pub bytes: u64,
    pub reason: String,
}

/// What a scan found.
#[derive(Debug, Clone)]
pub struct Scan {
    /// Position just past the last whole frame.
    pub end_position: u64,
    /// Offset after the last whole frame (or the start offset if none).
    pub next_offset: u64,
    pub torn: Option<TornTail>,
}

/// Whether to check each frame's checksum or only walk the headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verify {
    Checksums,
    HeadersOnly,
}

/// Walks the frames of `file` from `start` (a frame boundary holding offsets
/// at or after `start_offset`) to `file_len`, calling `on_frame` for each.
/// Offsets going back are corruption; so is a whole frame that fails its
/// checks; a write cut short at the end is a torn tail (`segment/torn.rs`).
pub fn scan(
    file: &File,
    path: &Path,
    start: u64,
    start_offset: u64,
    file_len: u64,
    verify: Verify,
    mut on_frame: impl FnMut(ScannedFrame),
) -> Result<Scan> {
    let mut cursor = FrameCursor::new(file, path, start, file_len, DamagePolicy::TornTail).offsets_from(start_offset);
    let mut next_offset = start_offset;
    loop {
        let step = match verify {
            Verify::Checksums => cursor.next_frame()?.map(|frame| frame.header),
            Verify::HeadersOnly => cursor.next_header()?,
        };
        match step {
            Step::Whole(position, header) => {
                on_frame(ScannedFrame { position, header });
                next_offset = header.next_offset();
            }
            Step::End => return Ok(Scan { end_position: cursor.position(), next_offset, torn: None }),
            Step::Bad(bad) => {
                if !bad.torn {
                    return Err(Error::corrupt(path, bad.position, bad.problem));
                }
                let torn =
                    TornTail { position: bad.position, bytes: bad.bytes_to_end, reason: bad.problem.to_string() };
                return Ok(Scan { end_position: bad.position, next_offset, torn: Some(torn) });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::frame::{FrameBuilder, RecordParts};
    use std::io::Write;

    fn frame(base: u64, values: &[&[u8]]) -> Vec<u8> {
        let mut b = FrameBuilder::new();
        for v in values {
            b.push(&RecordParts { timestamp: 1, key: None, value: Some(v), headers: &[], header_count: 0 });
        }
        b.seal(base, 0).to_vec()
    }

    fn file_with(bytes: &[u8]) -> (tempfile::NamedTempFile, u64) {
        let mut f = tempfile::NamedTempFile::new().expect("temp file");
        f.write_all(bytes).expect("write");
        (f, bytes.len() as u64)
    }

    fn run(bytes: &[u8]) -> Result<Scan> {
        let (f, len) = file_with(bytes);
        scan(f.as_file(), f.path(), 0, 0, len, Verify::Checksums, |_| {})
    }

    #[test]
    fn whole_frames_scan_to_the_end() {
        let mut bytes = frame(0, &[b"a", b"b"]);
        bytes.extend(frame(2, &[b"c"]));
        let scan = run(&bytes).expect("scan");
        assert_eq!(scan.next_offset, 3);
        assert_eq!(scan.end_position, bytes.len() as u64);
        assert!(scan.torn.is_none());
    }

    #[test]
    fn a_cut_last_frame_is_a_torn_tail() {
        let first = frame(0, &[b"a"]);
        let mut bytes = first.clone();
        bytes.extend(frame(1, &[b"bbbbbbbb"]));
        bytes.truncate(bytes.len() - 3);
        let scan = run(&bytes).expect("scan");
        assert_eq!(scan.end_position, first.len() as u64);
        assert_eq!(scan.next_offset, 1);
        let torn = scan.torn.expect("torn");
        assert_eq!(torn.bytes, bytes.len() as u64 - first.len() as u64);
    }

    #[test]
    fn a_zeroed_tail_is_torn_but_a_bad_frame_in_the_middle_is_corruption() {
        let mut bytes = frame(0, &[b"a"]);
        let first_len = bytes.len();
        bytes.extend(vec![0u8; 100]);
        assert!(run(&bytes).expect("scan").torn.is_some());

        let mut bytes = frame(0, &[b"a"]);
        bytes.extend(frame(1, &[b"b"]));
        bytes[first_len - 1] ^= 0xff;
        let err = run(&bytes).expect_err("corruption");
        assert_eq!(err.exit_code(), 74);
        assert!(err.message.contains("at byte 0"), "{}", err.message);
    }

    #[test]
    fn offsets_going_back_are_corruption() {
        let mut bytes = frame(5, &[b"a"]);
        bytes.extend(frame(2, &[b"b"]));
        assert!(run(&bytes).is_err());
    }
}

//! Recovery: walking a segment's frames from a known-good point, and deciding
//! whether a bad frame is a torn tail (cut it back) or corruption (an error
//! naming the file and position). Returns what it found; the caller repairs.

use std::fs::File;
use std::path::Path;

use crate::error::{Error, IoContext, Result};
use crate::store::frame::{self, Damage, FrameCheck, FrameHeader, HEADER_LEN};
use crate::sys::fs::read_at_most;

/// Bytes read per step while scanning.
const SCAN_CHUNK: usize = 1 << 20;

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
pub fn scan(
    file: &File,
    path: &Path,
    start: u64,
    start_offset: u64,
    file_len: u64,
    verify: Verify,
    mut on_frame: impl FnMut(ScannedFrame),
) -> Result<Scan> {
    let mut buf = vec![0u8; SCAN_CHUNK.min((file_len.saturating_sub(start)) as usize).max(HEADER_LEN)];
    let mut pos = start;
    let mut next_offset = start_offset;
    while pos < file_len {
        let want = HEADER_LEN.min((file_len - pos) as usize);
        let got = read_at_most(file, &mut buf[..want], pos).at("read", path)?;
        let header = match FrameHeader::parse(&buf[..got]) {
            Some(h) if h.is_plausible() => h,
            Some(_) => return damaged(path, file, pos, file_len, next_offset, Damage::BadHeader, None),
            None => return Ok(torn(pos, file_len, next_offset, "the file ends inside a frame header")),
        };
        let len = u64::from(header.frame_len);
        if pos + len > file_len {
            return Ok(torn(pos, file_len, next_offset, "the file ends inside a frame"));
        }
        if header.base_offset < next_offset {
            return Err(Error::corrupt(
                path,
                pos,
                format!("frame offset {} goes back (expected at least {next_offset})", header.base_offset),
            ));
        }
        if verify == Verify::Checksums {
            if buf.len() < len as usize {
                buf.resize(len as usize, 0);
            }
            let frame_bytes = &mut buf[..len as usize];
            let got = read_at_most(file, frame_bytes, pos).at("read", path)?;
            match frame::check_frame(&frame_bytes[..got]) {
                FrameCheck::Whole(_) => {}
                FrameCheck::Invalid(damage) => {
                    return damaged(path, file, pos, file_len, next_offset, damage, Some(len));
                }
                FrameCheck::Incomplete { .. } => {
                    return Ok(torn(pos, file_len, next_offset, "the file ends inside a frame"));
                }
            }
        }
        on_frame(ScannedFrame { position: pos, header });
        next_offset = header.next_offset();
        pos += len;
    }
    Ok(Scan { end_position: pos, next_offset, torn: None })
}

fn torn(pos: u64, file_len: u64, next_offset: u64, reason: &str) -> Scan {
    Scan {
        end_position: pos,
        next_offset,
        torn: Some(TornTail { position: pos, bytes: file_len - pos, reason: reason.to_string() }),
    }
}

/// For readers: `Ok(())` if a frame at `pos` that failed its checks is a
/// torn tail (see [`damaged`]), the corruption error otherwise.
pub fn torn_or_corrupt(
    path: &Path,
    file: &File,
    pos: u64,
    file_len: u64,
    damage: Damage,
    claimed_len: Option<u64>,
) -> Result<()> {
    damaged(path, file, pos, file_len, 0, damage, claimed_len).map(|_| ())
}

/// A frame that fails its checks is a torn tail when nothing whole can follow
/// it: it reaches the end of the file, or only zero bytes follow (a crash that
/// extended the file but did not write it). Anything else is corruption.
fn damaged(
    path: &Path,
    file: &File,
    pos: u64,
    file_len: u64,
    next_offset: u64,
    damage: Damage,
    claimed_len: Option<u64>,
) -> Result<Scan> {
    let reaches_end = claimed_len.is_some_and(|len| pos + len >= file_len);
    if reaches_end || rest_is_zero(file, path, pos, file_len)? {
        return Ok(torn(pos, file_len, next_offset, &damage.to_string()));
    }
    Err(Error::corrupt(path, pos, damage))
}

fn rest_is_zero(file: &File, path: &Path, mut pos: u64, file_len: u64) -> Result<bool> {
    let mut buf = vec![0u8; 64 * 1024];
    while pos < file_len {
        let want = buf.len().min((file_len - pos) as usize);
        let got = read_at_most(file, &mut buf[..want], pos).at("read", path)?;
        if got == 0 {
            break;
        }
        if buf[..got].iter().any(|&b| b != 0) {
            return Ok(false);
        }
        pos += got as u64;
    }
    Ok(true)
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

//! The torn-tail rule: which bad frame at the end of the last segment is a
//! write that never finished (cut by the next writer) and which is damage to
//! data that was once whole (never cut: repaired from an in-sync replica or
//! refused). Only a write cut short can be torn, and a write cut short
//! leaves a prefix of its frame: so a frame is torn only when the file ends
//! inside its header, when its declared length runs past the end of the file
//! and the bytes present are not a whole frame (nor followed by one), or when
//! only zero bytes are left (a file extended but never written). A frame
//! whose whole declared length is present but fails its checks is damage,
//! wherever it is, the last frame of the log included.

use std::fs::File;
use std::path::Path;

use crate::error::{IoContext, Result};
use crate::store::frame::{FrameHeader, HEADER_LEN, MAX_FRAME_LEN, frame_crc};
use crate::sys::fs::read_at_most;

/// Bytes read at a time while looking past a cut frame.
const CHUNK: usize = 1 << 20;

/// Whether the bad frame at `position` of a last segment `file_len` bytes
/// long is a torn tail (see the module docs); anything else is damage.
pub fn is_torn_tail(file: &File, path: &Path, position: u64, file_len: u64) -> Result<bool> {
    if rest_is_zero(file, path, position, file_len)? {
        return Ok(true);
    }
    let mut buf = [0u8; HEADER_LEN];
    let want = HEADER_LEN.min(file_len.saturating_sub(position) as usize);
    let got = read_at_most(file, &mut buf[..want], position).at("read", path)?;
    let Some(header) = FrameHeader::parse(&buf[..got]) else {
        // The file ends inside the header: a write cut short.
        return Ok(true);
    };
    if !header.is_plausible() || position + u64::from(header.frame_len) <= file_len {
        // Damaged fields, or the whole declared length is there.
        return Ok(false);
    }
    Ok(!whole_with_bad_length(file, path, position, file_len)?
        && !whole_frame_after(file, path, &header, position, file_len)?)
}

/// Whether the bytes from `position` to the end of the file are one whole
/// frame whose length field was damaged: its checksum matches once the
/// length is taken as the bytes present.
fn whole_with_bad_length(file: &File, path: &Path, position: u64, file_len: u64) -> Result<bool> {
    let len = file_len - position;
    if len > MAX_FRAME_LEN as u64 {
        return Ok(false);
    }
    let mut bytes = vec![0u8; len as usize];
    let got = read_at_most(file, &mut bytes, position).at("read", path)?;
    if got < HEADER_LEN {
        return Ok(false);
    }
    bytes.truncate(got);
    let stored = u32::from_le_bytes([bytes[12], bytes[13], bytes[14], bytes[15]]);
    bytes[8..12].copy_from_slice(&(got as u32).to_le_bytes());
    Ok(frame_crc(&bytes) == stored)
}

/// Whether a whole frame of later offsets than `bad` starts somewhere after
/// `position`: then the bad frame was not the last write.
fn whole_frame_after(file: &File, path: &Path, bad: &FrameHeader, position: u64, file_len: u64) -> Result<bool> {
    let mut buf = vec![0u8; CHUNK + HEADER_LEN];
    let mut start = position + 1;
    while start + HEADER_LEN as u64 <= file_len {
        let got = read_at_most(file, &mut buf, start).at("read", path)?;
        if got < HEADER_LEN {
            break;
        }
        for i in 0..=(got - HEADER_LEN) {
            let Some(h) = FrameHeader::parse(&buf[i..]) else { break };
            let at = start + i as u64;
            if h.is_plausible()
                && h.base_offset > bad.base_offset
                && at + u64::from(h.frame_len) <= file_len
                && checksum_matches(file, path, at, &h)?
            {
                return Ok(true);
            }
        }
        start += (got - HEADER_LEN + 1) as u64;
    }
    Ok(false)
}

fn checksum_matches(file: &File, path: &Path, at: u64, header: &FrameHeader) -> Result<bool> {
    let mut bytes = vec![0u8; header.frame_len as usize];
    let got = read_at_most(file, &mut bytes, at).at("read", path)?;
    Ok(got == bytes.len() && frame_crc(&bytes) == header.crc)
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

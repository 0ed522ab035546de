//! Walking every frame of one closed segment in order, each verified by its
//! checksum, through a large buffered read. For passes over whole segments
//! (compaction) rather than for consumers: a closed segment is never
//! written again, so any frame that fails its checks is corruption.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use crate::error::{Error, IoContext, Result};
use crate::store::frame::{self, Frame, FrameCheck, FrameHeader, HEADER_LEN};

/// Bytes read from the file at a time.
const BUFFER: usize = 1 << 20;

/// Calls `on_frame` with each frame of the segment file at `path`, with the
/// frame's byte position. Stops at the first error `on_frame` returns.
pub fn for_each_frame(path: &Path, mut on_frame: impl FnMut(u64, Frame<'_>) -> Result<()>) -> Result<()> {
    let file = File::open(path).at("open", path)?;
    let mut reader = BufReader::with_capacity(BUFFER, file);
    let mut buf = vec![0u8; HEADER_LEN];
    let mut pos = 0u64;
    loop {
        let got = read_full(&mut reader, &mut buf[..HEADER_LEN], path)?;
        if got == 0 {
            return Ok(());
        }
        if got < HEADER_LEN {
            return Err(Error::corrupt(path, pos, "a closed segment ends inside a frame header"));
        }
        let header = FrameHeader::parse(&buf).filter(FrameHeader::is_plausible);
        let Some(header) = header else {
            return Err(Error::corrupt(path, pos, frame::Damage::BadHeader));
        };
        let len = header.frame_len as usize;
        buf.resize(len, 0);
        if read_full(&mut reader, &mut buf[HEADER_LEN..len], path)? < len - HEADER_LEN {
            return Err(Error::corrupt(path, pos, "a closed segment ends inside a frame"));
        }
        match frame::check_frame(&buf) {
            FrameCheck::Whole(h) => on_frame(pos, Frame::new(h, &buf))?,
            FrameCheck::Invalid(damage) => return Err(Error::corrupt(path, pos, damage)),
            FrameCheck::Incomplete { .. } => {
                return Err(Error::corrupt(path, pos, "a closed segment ends inside a frame"));
            }
        }
        pos += len as u64;
        buf.truncate(HEADER_LEN);
    }
}

/// Reads until `buf` is full or the file ends; returns the bytes read.
fn read_full(reader: &mut impl Read, buf: &mut [u8], path: &Path) -> Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e).at("read", path),
        }
    }
    Ok(filled)
}

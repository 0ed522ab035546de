//! Walking the frames of one segment file in order, with their byte
//! positions, through a sliding read window: for `log dump`. Stops at the
//! first frame that does not verify — a torn tail (in the last segment,
//! when nothing whole can follow) is returned, anything else is an error
//! naming the file and byte position.

use std::fs::File;
use std::path::Path;

use crate::error::{Error, IoContext, Result};
use crate::store::frame::{self, Frame, FrameCheck, FrameHeader, HEADER_LEN};
use crate::store::recovery;
use crate::sys::fs::read_at_most;

/// Bytes read per step.
const CHUNK: usize = 1 << 20;

/// A torn tail met at the end of a walk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TornEnd {
    pub position: u64,
    pub bytes: u64,
    pub what: String,
}

/// Calls `each(position, frame)` for every whole frame of the segment at
/// `path`. `is_last` says whether a bad final frame may be a torn tail.
pub fn walk_segment(
    path: &Path,
    is_last: bool,
    mut each: impl FnMut(u64, Frame<'_>) -> Result<()>,
) -> Result<Option<TornEnd>> {
    let file = File::open(path).at("open", path)?;
    let len = file.metadata().at("stat", path)?.len();
    let mut window = Window::new();
    let mut pos = 0u64;
    while pos < len {
        let bytes = window.at(&file, path, pos, len, HEADER_LEN)?;
        let wanted = FrameHeader::parse(bytes).map_or(HEADER_LEN, |h| (h.frame_len as usize).max(HEADER_LEN));
        let bytes = window.at(&file, path, pos, len, wanted)?;
        let (what, claimed) = match frame::check_frame(bytes) {
            FrameCheck::Whole(h) => {
                each(pos, Frame::new(h, bytes))?;
                pos += u64::from(h.frame_len);
                continue;
            }
            FrameCheck::Incomplete { .. } => ("the file ends inside a frame".to_string(), Some(len - pos)),
            FrameCheck::Invalid(d) => {
                let claimed = FrameHeader::parse(bytes)
                    .filter(|_| matches!(d, frame::Damage::BadChecksum { .. }))
                    .map(|h| u64::from(h.frame_len));
                (d.to_string(), claimed)
            }
        };
        if is_last && recovery::torn_or_corrupt(path, &file, pos, len, frame::Damage::BadHeader, claimed).is_ok() {
            return Ok(Some(TornEnd { position: pos, bytes: len - pos, what }));
        }
        return Err(Error::corrupt(path, pos, what));
    }
    Ok(None)
}

/// A sliding read window over one file.
#[derive(Debug, Default)]
pub struct Window {
    buf: Vec<u8>,
    /// File position of `buf[0]`.
    start: u64,
    filled: usize,
}

impl Window {
    pub fn new() -> Self {
        Self::default()
    }

    /// Up to `want` bytes at `pos` (fewer at the end of the file).
    pub fn at(&mut self, file: &File, path: &Path, pos: u64, len: u64, want: usize) -> Result<&[u8]> {
        let want = want.min((len - pos) as usize);
        let have = pos >= self.start && pos + want as u64 <= self.start + self.filled as u64;
        if !have {
            let size = want.max(CHUNK).min((len - pos) as usize);
            self.buf.resize(size, 0);
            self.filled = read_at_most(file, &mut self.buf[..size], pos).at("read", path)?;
            self.start = pos;
        }
        let from = (pos - self.start) as usize;
        let to = (from + want).min(self.filled);
        Ok(&self.buf[from..to])
    }
}

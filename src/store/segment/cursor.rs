//! The frame cursor: the store's one walk over a segment file's frames, in
//! order from a frame boundary, through a sliding read window. Each step is
//! a whole frame (with its byte position), the end of the file, or a bad
//! frame, judged by a [`DamagePolicy`]: in the last segment a write cut
//! short is a torn tail (the next writer cuts it) and a whole-length frame
//! that fails its checks is damage; in a closed segment every bad frame is
//! damage. The open scan (so also
//! `log_end`, truncation and the epoch walk), compaction, `log dump`,
//! replica verification and `offset_for_timestamp` all step through it.
//! [`LogReader`](crate::store::LogReader) keeps its own buffer (it follows a
//! growing file and re-reads before judging) but judges a bad last frame by
//! the same rule, [`is_torn_tail`] (`torn.rs`).

use std::fs::File;
use std::path::Path;

use crate::error::{IoContext, Result};
use crate::store::frame::{Damage, Frame, FrameCheck, FrameHeader, HEADER_LEN, check_frame};
use crate::store::segment::torn::is_torn_tail;
use crate::sys::fs::read_at_most;

/// Bytes read from the file per step of the window.
const CHUNK: usize = 1 << 20;

/// How a bad frame is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DamagePolicy {
    /// The last segment: a write cut short is a torn tail ([`is_torn_tail`]);
    /// anything else, a whole-length frame failing its checks included, is
    /// damage.
    TornTail,
    /// A closed segment, never written again: every bad frame is damage.
    Refuse,
}

/// Why a frame is bad.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// The file ends inside the frame's header.
    HeaderCut,
    /// The file ends inside the frame.
    FrameCut,
    /// The header is implausible or the checksum does not match.
    Damaged(Damage),
    /// The frame's base offset is below the end of the frame before it
    /// (checked only when asked, see [`FrameCursor::offsets_from`]).
    OffsetBack { found: u64, expected: u64 },
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::HeaderCut => write!(f, "the file ends inside a frame header"),
            Problem::FrameCut => write!(f, "the file ends inside a frame"),
            Problem::Damaged(damage) => damage.fmt(f),
            Problem::OffsetBack { found, expected } => {
                write!(f, "frame offset {found} goes back (expected at least {expected})")
            }
        }
    }
}

/// A frame that did not pass; the cursor stays at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadFrame {
    pub position: u64,
    pub problem: Problem,
    /// Bytes from the frame to the end of the file.
    pub bytes_to_end: u64,
    /// A torn tail by the [`DamagePolicy`] (never under `Refuse`).
    pub torn: bool,
}

/// One step of a cursor.
#[derive(Debug)]
pub enum Step<T> {
    /// A frame that passed, at this byte position.
    Whole(u64, T),
    /// The end of the file (as long as it was when the cursor was made).
    End,
    Bad(BadFrame),
}

impl<T> Step<T> {
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Step<U> {
        match self {
            Step::Whole(position, item) => Step::Whole(position, f(item)),
            Step::End => Step::End,
            Step::Bad(bad) => Step::Bad(bad),
        }
    }
}

/// A cursor over the frames of one segment file.
pub struct FrameCursor<'f> {
    file: &'f File,
    path: &'f Path,
    len: u64,
    pos: u64,
    policy: DamagePolicy,
    /// With [`FrameCursor::offsets_from`]: the lowest base offset the next
    /// frame may have.
    min_offset: Option<u64>,
    window: Window,
}

impl<'f> FrameCursor<'f> {
    /// A cursor at byte `start` (a frame boundary) of `file`, which is
    /// `len` bytes long.
    pub fn new(file: &'f File, path: &'f Path, start: u64, len: u64, policy: DamagePolicy) -> Self {
        FrameCursor { file, path, len, pos: start, policy, min_offset: None, window: Window::default() }
    }

    /// Also refuses a frame whose base offset is below `offset`, or below
    /// the end of the frame before it ([`Problem::OffsetBack`], never a
    /// torn tail), before its checksum is looked at.
    pub fn offsets_from(mut self, offset: u64) -> Self {
        self.min_offset = Some(offset);
        self
    }

    /// The byte position of the next frame.
    pub fn position(&self) -> u64 {
        self.pos
    }

    /// The next frame, checksum verified, with its bytes.
    pub fn next_frame(&mut self) -> Result<Step<Frame<'_>>> {
        if self.pos >= self.len {
            return Ok(Step::End);
        }
        let pos = self.pos;
        let parsed = FrameHeader::parse(self.window.at(self.file, self.path, pos, self.len, HEADER_LEN)?);
        let header = match self.screen(parsed) {
            Ok(header) => header,
            Err(problem) => return self.bad(problem).map(Step::Bad),
        };
        let frame_len = header.frame_len as usize;
        let checked = check_frame(self.window.at(self.file, self.path, pos, self.len, frame_len)?);
        let problem = match checked {
            FrameCheck::Whole(header) => {
                self.pass(&header);
                let bytes = self.window.at(self.file, self.path, pos, self.len, frame_len)?;
                return Ok(Step::Whole(pos, Frame::new(header, bytes)));
            }
            FrameCheck::Incomplete { .. } => Problem::FrameCut,
            FrameCheck::Invalid(damage) => Problem::Damaged(damage),
        };
        self.bad(problem).map(Step::Bad)
    }

    /// The next frame's header, without reading the rest of the frame or
    /// checking its checksum: one small read per frame.
    pub fn next_header(&mut self) -> Result<Step<FrameHeader>> {
        if self.pos >= self.len {
            return Ok(Step::End);
        }
        let pos = self.pos;
        let mut buf = [0u8; HEADER_LEN];
        let want = HEADER_LEN.min((self.len - pos) as usize);
        let got = read_at_most(self.file, &mut buf[..want], pos).at("read", self.path)?;
        match self.screen(FrameHeader::parse(&buf[..got])) {
            Ok(header) => {
                self.pass(&header);
                Ok(Step::Whole(pos, header))
            }
            Err(problem) => self.bad(problem).map(Step::Bad),
        }
    }

    /// The checks made on a header before the frame's bytes are read:
    /// present, plausible, inside the file, offsets in order.
    fn screen(&self, header: Option<FrameHeader>) -> std::result::Result<FrameHeader, Problem> {
        let Some(header) = header else { return Err(Problem::HeaderCut) };
        if !header.is_plausible() {
            return Err(Problem::Damaged(Damage::BadHeader));
        }
        if self.pos + u64::from(header.frame_len) > self.len {
            return Err(Problem::FrameCut);
        }
        if let Some(expected) = self.min_offset
            && header.base_offset < expected
        {
            return Err(Problem::OffsetBack { found: header.base_offset, expected });
        }
        Ok(header)
    }

    fn pass(&mut self, header: &FrameHeader) {
        self.pos += u64::from(header.frame_len);
        if self.min_offset.is_some() {
            self.min_offset = Some(header.next_offset());
        }
    }

    fn bad(&self, problem: Problem) -> Result<BadFrame> {
        let torn = match problem {
            Problem::OffsetBack { .. } => false,
            _ => self.policy == DamagePolicy::TornTail && is_torn_tail(self.file, self.path, self.pos, self.len)?,
        };
        Ok(BadFrame { position: self.pos, problem, bytes_to_end: self.len - self.pos, torn })
    }
}

/// A sliding read window over one file.
#[derive(Debug, Default)]
struct Window {
    buf: Vec<u8>,
    /// File position of `buf[0]`.
    start: u64,
    filled: usize,
}

impl Window {
    /// Up to `want` bytes at `pos` (fewer at the end of the file).
    fn at(&mut self, file: &File, path: &Path, pos: u64, len: u64, want: usize) -> Result<&[u8]> {
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

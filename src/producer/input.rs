//! Reading standard input as lines without a per-line allocation: large
//! reads (once the input proves longer than a short one) into one buffer,
//! memchr to split, a partial last line carried over. Also tells whether
//! more input is ready right now, so the producer can make what it has
//! visible before it would block.

use std::io::{self, Read};
use std::os::fd::{AsRawFd, RawFd};

/// Bytes asked of the input per read, once a read has filled the first
/// buffer: a large input is read in large reads.
const READ_SIZE: usize = 1 << 20;

/// The first buffer: one page. A short input (a line or a few) allocates
/// no buffer that the allocator would map and unmap, and touches one page
/// (the buffer is zeroed when allocated, a page fault for each page).
const FIRST_READ_SIZE: usize = 4096;

/// Splits a byte stream into lines (without their `\n`); the last line may
/// lack one. A line longer than the limit is refused as soon as that many
/// bytes have been read, so a huge line costs at most about twice the limit
/// in memory, never its whole size.
pub struct LineReader<R> {
    input: R,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
    line_no: u64,
    max_line: usize,
}

/// A line longer than [`LineReader::with_max_line`] allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineTooLong {
    pub line_no: u64,
    pub max_line: usize,
}

impl From<LineTooLong> for io::Error {
    fn from(e: LineTooLong) -> Self {
        io::Error::new(io::ErrorKind::InvalidData, format!("line {} is longer than {} bytes", e.line_no, e.max_line))
    }
}

impl<R: Read> LineReader<R> {
    pub fn new(input: R) -> Self {
        LineReader {
            input,
            buf: vec![0u8; FIRST_READ_SIZE],
            start: 0,
            end: 0,
            eof: false,
            line_no: 0,
            max_line: usize::MAX,
        }
    }

    /// Refuses lines longer than `max_line` bytes (without the newline).
    pub fn with_max_line(mut self, max_line: usize) -> Self {
        self.max_line = max_line;
        self
    }

    /// Number of the line last returned (1-based).
    pub fn line_no(&self) -> u64 {
        self.line_no
    }

    /// Calls `each(line_no, line)` for every whole line now buffered, reading
    /// more input first when none is. Returns `Ok(false)` at the end of input.
    /// The lines live as long as this borrow of the reader, so a caller
    /// may keep them until its next call (to batch them).
    pub fn for_each_buffered<'s, E>(
        &'s mut self,
        mut each: impl FnMut(u64, &'s [u8]) -> Result<(), E>,
    ) -> Result<bool, E>
    where
        E: From<io::Error> + From<LineTooLong>,
    {
        if self.eof && self.start == self.end {
            return Ok(false);
        }
        self.fill()?;
        if self.end - self.start > self.max_line {
            let rest = &self.buf[self.start..self.end];
            let first_len = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
            if first_len > self.max_line {
                return Err(LineTooLong { line_no: self.line_no + 1, max_line: self.max_line }.into());
            }
        }
        let mut handled_any = false;
        while self.start < self.end {
            let rest = &self.buf[self.start..self.end];
            let line = match memchr::memchr(b'\n', rest) {
                Some(i) => {
                    self.start += i + 1;
                    &rest[..i]
                }
                None if self.eof => {
                    self.start = self.end;
                    rest
                }
                None => break,
            };
            self.line_no += 1;
            handled_any = true;
            each(self.line_no, line)?;
        }
        Ok(handled_any || !self.eof || self.start < self.end)
    }

    /// Reads until the buffer holds at least one whole line, the input
    /// ends, or the partial line is past the limit.
    fn fill(&mut self) -> io::Result<()> {
        loop {
            let pending = &self.buf[self.start..self.end];
            if self.eof || pending.len() > self.max_line || memchr::memchr(b'\n', pending).is_some() {
                return Ok(());
            }
            if self.start > 0 {
                self.buf.copy_within(self.start..self.end, 0);
                self.end -= self.start;
                self.start = 0;
            }
            if self.end == self.buf.len() {
                // A line longer than the buffer: grow it.
                self.buf.resize(self.buf.len() * 2, 0);
            }
            match self.input.read(&mut self.buf[self.end..]) {
                Ok(0) => self.eof = true,
                Ok(n) => {
                    self.end += n;
                    if self.end == self.buf.len() && self.buf.len() < READ_SIZE {
                        // The input is more than a short one: read it in large reads.
                        self.buf.resize(READ_SIZE, 0);
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }
}

/// Whether `fd` has input ready (or is at its end) without blocking.
pub fn input_ready(fd: RawFd) -> bool {
    let mut pfd = libc::pollfd { fd, events: libc::POLLIN, revents: 0 };
    // SAFETY: one valid pollfd, zero timeout.
    let n = unsafe { libc::poll(&mut pfd, 1, 0) };
    n != 0
}

/// Whether `fd` has input (or its end) within `timeout_ms`.
pub fn input_ready_within(fd: RawFd, timeout_ms: i32) -> bool {
    let mut pfd = libc::pollfd { fd, events: libc::POLLIN, revents: 0 };
    // SAFETY: one valid pollfd.
    let n = unsafe { libc::poll(&mut pfd, 1, timeout_ms) };
    n != 0
}

/// [`input_ready`] for standard input.
pub fn stdin_ready() -> bool {
    input_ready(io::stdin().as_raw_fd())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8]) -> Vec<(u64, Vec<u8>)> {
        let mut reader = LineReader::new(input);
        let mut out = Vec::new();
        while reader
            .for_each_buffered(|n, l| {
                out.push((n, l.to_vec()));
                Ok::<(), io::Error>(())
            })
            .expect("read")
        {}
        out
    }

    #[test]
    fn splits_lines_and_keeps_a_last_line_without_newline() {
        let got = lines(b"a\n\nbc\nlast");
        let texts: Vec<&[u8]> = got.iter().map(|(_, l)| l.as_slice()).collect();
        assert_eq!(texts, [&b"a"[..], b"", b"bc", b"last"]);
        assert_eq!(got.last().map(|l| l.0), Some(4));
    }

    #[test]
    fn empty_input_has_no_lines() {
        assert!(lines(b"").is_empty());
        assert_eq!(lines(b"\n").len(), 1);
    }

    #[test]
    fn a_line_past_the_limit_is_refused_without_reading_it_all() {
        let mut input = b"short\n".to_vec();
        input.extend(vec![b'x'; READ_SIZE * 8]);
        let mut reader = LineReader::new(&input[..]).with_max_line(READ_SIZE + 10);
        let mut seen = Vec::new();
        let err = loop {
            match reader.for_each_buffered(|n, l| {
                seen.push((n, l.len()));
                Ok::<(), io::Error>(())
            }) {
                Ok(true) => {}
                Ok(false) => panic!("the long line must be refused"),
                Err(e) => break e,
            }
        };
        assert_eq!(seen, [(1, 5)]);
        assert!(err.to_string().contains("line 2 is longer than"), "{err}");
        assert!(reader.buf.len() <= 4 * READ_SIZE, "buffer grew to {}", reader.buf.len());
    }

    #[test]
    fn a_short_input_keeps_the_first_buffer_and_a_longer_one_is_read_in_large_reads() {
        let mut short = LineReader::new(&b"one line\n"[..]);
        while short.for_each_buffered(|_, _| Ok::<(), io::Error>(())).expect("read") {}
        assert_eq!(short.buf.len(), FIRST_READ_SIZE);

        let input = b"0123456789\n".repeat(FIRST_READ_SIZE / 5);
        let mut long = LineReader::new(&input[..]);
        let mut count = 0;
        while long
            .for_each_buffered(|_, line| {
                assert_eq!(line, b"0123456789");
                count += 1;
                Ok::<(), io::Error>(())
            })
            .expect("read")
        {}
        assert_eq!(count, FIRST_READ_SIZE / 5);
        assert_eq!(long.buf.len(), READ_SIZE);
    }

    #[test]
    fn lines_longer_than_the_buffer_survive() {
        let long = vec![b'x'; READ_SIZE * 3 + 17];
        let mut input = long.clone();
        input.extend_from_slice(b"\nshort\n");
        let got = lines(&input);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].1, long);
        assert_eq!(got[1].1, b"short");
    }
}

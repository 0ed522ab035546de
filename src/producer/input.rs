//! Reading standard input as lines without a per-line allocation: large
//! reads into one buffer, memchr to split, a partial last line carried over.
//! Also tells whether more input is ready right now, so the producer can
//! make what it has visible before it would block.

use std::io::{self, Read};
use std::os::fd::{AsRawFd, RawFd};

/// Bytes asked of the input per read.
const READ_SIZE: usize = 1 << 20;

/// Splits a byte stream into lines (without their `\n`); the last line may
/// lack one.
pub struct LineReader<R> {
    input: R,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
    line_no: u64,
}

impl<R: Read> LineReader<R> {
    pub fn new(input: R) -> Self {
        LineReader { input, buf: vec![0u8; READ_SIZE], start: 0, end: 0, eof: false, line_no: 0 }
    }

    /// Number of the line last returned (1-based).
    pub fn line_no(&self) -> u64 {
        self.line_no
    }

    /// Calls `each(line_no, line)` for every whole line now buffered, reading
    /// more input first when none is. Returns `Ok(false)` at the end of input.
    pub fn for_each_buffered<E>(&mut self, mut each: impl FnMut(u64, &[u8]) -> Result<(), E>) -> Result<bool, E>
    where
        E: From<io::Error>,
    {
        if self.eof && self.start == self.end {
            return Ok(false);
        }
        self.fill()?;
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

    /// Reads until the buffer holds at least one whole line or the input ends.
    fn fill(&mut self) -> io::Result<()> {
        loop {
            if memchr::memchr(b'\n', &self.buf[self.start..self.end]).is_some() || self.eof {
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
                Ok(n) => self.end += n,
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

//! Pipes: widening a pipe's kernel buffer from the default 64 KiB to a
//! mebibyte, so the process at each end reads or writes a mebibyte at a time
//! instead of the two taking turns every 64 KiB. `consume` widens the pipe
//! it writes to; `produce` the pipe it reads from, once that pipe comes
//! full ([`WideningReader`]): the parser then works on larger groups of
//! lines (longer runs per partition, one readiness check and one read per
//! mebibyte). A pipe that brings a line or two is left as it is, so
//! `echo x | runnel produce t`, run by the hundred, leaves the user's pipe
//! memory (`pipe-user-pages-soft`, which caps every pipe the user makes
//! once it is used up) as it was.

use std::io::{self, Read};
use std::os::fd::{AsFd, AsRawFd};

/// A pipe's default capacity: a read this long found the pipe full.
pub const FULL_PIPE_BYTES: usize = 64 * 1024;

/// The buffer asked for: Linux's default `pipe-max-size`, the most an
/// unprivileged process may set.
pub const WIDE_PIPE_BYTES: usize = 1 << 20;

/// Widens the pipe `fd` is an end of to [`WIDE_PIPE_BYTES`]; returns the
/// size it now has. Anything but a pipe (`F_GETPIPE_SZ` fails on it), or a
/// pipe the system will not widen (a lower `pipe-max-size`, the user's pipe
/// memory used up), is left as it is: `None`. Never shrinks a pipe.
pub fn widen(fd: impl AsFd) -> Option<usize> {
    let current = capacity(&fd)?;
    if current >= WIDE_PIPE_BYTES {
        return Some(current);
    }
    // SAFETY: F_SETPIPE_SZ on a descriptor borrowed for the call; it takes
    // and returns a plain int.
    let set = unsafe { libc::fcntl(fd.as_fd().as_raw_fd(), libc::F_SETPIPE_SZ, WIDE_PIPE_BYTES as libc::c_int) };
    usize::try_from(set).ok()
}

/// The capacity of the pipe `fd` is an end of; `None` for anything else.
pub fn capacity(fd: impl AsFd) -> Option<usize> {
    // SAFETY: F_GETPIPE_SZ on a descriptor borrowed for the call; it takes
    // no argument and returns a plain int.
    usize::try_from(unsafe { libc::fcntl(fd.as_fd().as_raw_fd(), libc::F_GETPIPE_SZ) }).ok()
}

/// Reads `inner` and widens the pipe it reads from ([`widen`]) the first
/// time a read returns a full pipe's worth ([`FULL_PIPE_BYTES`]).
pub struct WideningReader<R> {
    inner: R,
    tried: bool,
}

impl<R> WideningReader<R> {
    pub fn new(inner: R) -> Self {
        WideningReader { inner, tried: false }
    }
}

impl<R: Read + AsFd> Read for WideningReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if !self.tried && n >= FULL_PIPE_BYTES {
            self.tried = true;
            widen(&self.inner);
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    /// Whether this system lets a pipe be widened to a mebibyte (a lower
    /// `pipe-max-size`, or the user's pipe memory used up, would refuse
    /// it): asked of the kernel on a scratch pipe, not through [`widen`].
    fn wide_allowed() -> bool {
        let (reader, _writer) = std::io::pipe().expect("pipe");
        // SAFETY: F_SETPIPE_SZ on a pipe this function owns.
        unsafe { libc::fcntl(reader.as_raw_fd(), libc::F_SETPIPE_SZ, WIDE_PIPE_BYTES as libc::c_int) >= 0 }
    }

    #[test]
    fn either_end_of_a_pipe_widens_it_and_never_shrinks_it() {
        let (reader, writer) = std::io::pipe().expect("pipe");
        let before = capacity(&reader).expect("a pipe");
        let widened = widen(&writer);
        if wide_allowed() {
            assert_eq!(widened, Some(WIDE_PIPE_BYTES), "from {before}");
        }
        assert_eq!(capacity(&reader), Some(widened.unwrap_or(before)));
        // SAFETY: F_SETPIPE_SZ on a pipe we own.
        if unsafe { libc::fcntl(reader.as_raw_fd(), libc::F_SETPIPE_SZ, 4 * WIDE_PIPE_BYTES as libc::c_int) } > 0 {
            assert_eq!(widen(&reader), Some(4 * WIDE_PIPE_BYTES), "a wider pipe was shrunk");
        }
    }

    #[test]
    fn a_pipe_is_widened_only_once_a_read_finds_it_full() {
        let (reader, mut writer) = std::io::pipe().expect("pipe");
        let before = capacity(&reader);
        let mut reading = WideningReader::new(reader);
        let mut buf = vec![0u8; 4 * FULL_PIPE_BYTES];
        writer.write_all(b"one line\n").expect("write");
        assert_eq!(reading.read(&mut buf).expect("read"), 9);
        assert_eq!(capacity(&writer), before, "a short read leaves the pipe as it was");
        writer.write_all(&vec![b'x'; FULL_PIPE_BYTES]).expect("write");
        assert_eq!(reading.read(&mut buf).expect("read"), FULL_PIPE_BYTES);
        if wide_allowed() {
            assert_eq!(capacity(&writer), Some(WIDE_PIPE_BYTES), "a full read did not widen it");
        }
    }

    #[test]
    fn anything_but_a_pipe_is_left_alone() {
        let file = tempfile::tempfile().expect("file");
        assert_eq!(capacity(&file), None);
        assert_eq!(widen(&file), None);
        assert_eq!(file.metadata().expect("metadata").len(), 0);
    }
}

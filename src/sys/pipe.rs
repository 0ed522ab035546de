//! Pipes: a producer reading lines from a pipe that comes full widens the
//! pipe's kernel buffer, so each read takes up to a mebibyte instead of the
//! default 64 KiB. The parser then works on larger groups of lines (longer
//! runs per partition, one readiness check and one read per mebibyte), and
//! the writer on the other end (`cat`, `jq`, `consume`) blocks less often.
//! Only a pipe that came full is widened: `echo x | runnel produce t`, run
//! by the hundred, leaves the user's pipe memory (`pipe-user-pages-soft`,
//! which caps every pipe the user makes once it is used up) as it was.

use std::io::{self, Read};
use std::os::fd::RawFd;

/// A pipe's default capacity: a read this long found the pipe full.
pub const FULL_PIPE_BYTES: usize = 64 * 1024;

/// The buffer asked for: Linux's default `pipe-max-size`, the most an
/// unprivileged process may set.
pub const WIDE_PIPE_BYTES: usize = 1 << 20;

/// Widens the pipe `fd` reads from to [`WIDE_PIPE_BYTES`]; returns the size
/// it now has. Anything but a pipe, or a pipe the system will not widen
/// (a lower `pipe-max-size`, the user's pipe memory used up), is left as it
/// is: `None`. Never shrinks a pipe.
pub fn widen(fd: RawFd) -> Option<usize> {
    // SAFETY: fstat writes only `stat`, a plain struct.
    let mut stat: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: `stat` is valid for writes; a bad fd is an error return.
    if unsafe { libc::fstat(fd, &mut stat) } != 0 || stat.st_mode & libc::S_IFMT != libc::S_IFIFO {
        return None;
    }
    // SAFETY: F_GETPIPE_SZ and F_SETPIPE_SZ take and return plain ints.
    let current = unsafe { libc::fcntl(fd, libc::F_GETPIPE_SZ) };
    if current < 0 {
        return None;
    }
    if current as usize >= WIDE_PIPE_BYTES {
        return Some(current as usize);
    }
    // SAFETY: as above.
    let set = unsafe { libc::fcntl(fd, libc::F_SETPIPE_SZ, WIDE_PIPE_BYTES as libc::c_int) };
    (set >= 0).then_some(set as usize)
}

/// Reads `inner`, reading from `fd`, and widens that pipe ([`widen`]) the
/// first time a read returns a full pipe's worth ([`FULL_PIPE_BYTES`]).
pub struct WideningReader<R> {
    inner: R,
    fd: RawFd,
    tried: bool,
}

impl<R> WideningReader<R> {
    pub fn new(inner: R, fd: RawFd) -> Self {
        WideningReader { inner, fd, tried: false }
    }
}

impl<R: Read> Read for WideningReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if !self.tried && n >= FULL_PIPE_BYTES {
            self.tried = true;
            widen(self.fd);
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::os::fd::AsRawFd;

    use super::*;

    #[test]
    fn a_pipe_is_widened_and_still_carries_every_byte_in_order() {
        let (mut reader, mut writer) = std::io::pipe().expect("pipe");
        let before = capacity(reader.as_raw_fd());
        let widened = widen(reader.as_raw_fd());
        let after = capacity(reader.as_raw_fd());
        match widened {
            Some(size) => {
                assert_eq!(size as libc::c_int, after);
                assert!(after >= before && after as usize >= WIDE_PIPE_BYTES, "{before} -> {after}");
            }
            // A system with a lower pipe-max-size: the pipe is as it was.
            None => assert_eq!(after, before),
        }
        let data: Vec<u8> = (0..after as usize).map(|i| (i % 251) as u8).collect();
        let sent = data.clone();
        let writing = std::thread::spawn(move || writer.write_all(&sent));
        let mut got = Vec::new();
        reader.read_to_end(&mut got).expect("read");
        writing.join().expect("writer").expect("write");
        assert_eq!(got, data);
    }

    fn capacity(fd: RawFd) -> libc::c_int {
        // SAFETY: F_GETPIPE_SZ takes no argument and returns an int.
        unsafe { libc::fcntl(fd, libc::F_GETPIPE_SZ) }
    }

    #[test]
    fn a_pipe_is_widened_only_once_a_read_finds_it_full() {
        let (reader, mut writer) = std::io::pipe().expect("pipe");
        let fd = reader.as_raw_fd();
        let before = capacity(fd);
        let mut reading = WideningReader::new(reader, fd);
        let mut buf = vec![0u8; 4 * FULL_PIPE_BYTES];
        writer.write_all(b"one line\n").expect("write");
        assert_eq!(reading.read(&mut buf).expect("read"), 9);
        assert_eq!(capacity(fd), before, "a short read leaves the pipe as it was");
        writer.write_all(&vec![b'x'; FULL_PIPE_BYTES]).expect("write");
        assert_eq!(reading.read(&mut buf).expect("read"), FULL_PIPE_BYTES);
        let now = capacity(fd);
        assert!(now >= before, "{before} -> {now}");
        if std::fs::read_to_string("/proc/sys/fs/pipe-max-size").is_ok_and(|m| m.trim() == WIDE_PIPE_BYTES.to_string())
        {
            assert_eq!(now as usize, WIDE_PIPE_BYTES);
        }
    }

    #[test]
    fn anything_but_a_pipe_is_left_alone() {
        let file = tempfile::tempfile().expect("file");
        assert_eq!(widen(file.as_raw_fd()), None);
        assert_eq!(widen(-1), None);
    }
}

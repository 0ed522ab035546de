//! How much of what a process wrote to a descriptor its reader has not taken
//! yet. For a pipe that is the kernel's count of unread bytes in the pipe
//! buffer (`FIONREAD`, valid on either end, and still after the reader has
//! gone); for a socket the bytes queued in the send direction (`SIOCOUTQ`:
//! for a Unix socket, what the peer has not read, with buffer overhead, so
//! it errs high; for TCP, what the peer's kernel has not acknowledged, so
//! bytes acknowledged but still unread by the peer count as taken); for
//! anything else (a regular file, a terminal, `/dev/null`) nothing: what was
//! written was delivered.
//!
//! A count that errs high is safe for its one use, committing only what a
//! reader took: bytes others wrote into the same pipe make the count larger,
//! never smaller.

use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};

/// What kind of destination a descriptor is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Pipe,
    Socket,
    /// A file, a terminal, a device: written is delivered.
    Direct,
}

/// A probe of one output descriptor (its own duplicate of it).
#[derive(Debug)]
pub struct OutQueue {
    fd: OwnedFd,
    kind: Kind,
}

impl OutQueue {
    /// A probe of `fd` (duplicated, so it stays valid as long as the probe).
    pub fn of(fd: BorrowedFd<'_>) -> io::Result<OutQueue> {
        use std::os::unix::fs::FileTypeExt;
        let fd = fd.try_clone_to_owned()?;
        let file_type = std::fs::File::from(fd.try_clone()?).metadata()?.file_type();
        let kind = if file_type.is_fifo() {
            Kind::Pipe
        } else if file_type.is_socket() {
            Kind::Socket
        } else {
            Kind::Direct
        };
        Ok(OutQueue { fd, kind })
    }

    /// Whether the destination queues bytes for a reader (a pipe or a socket).
    pub fn is_queue(&self) -> bool {
        self.kind != Kind::Direct
    }

    /// Bytes written to the descriptor that its reader has not taken yet (0
    /// for a destination without a queue). When the kernel cannot say, `None`.
    pub fn unread(&self) -> Option<u64> {
        let request = match self.kind {
            Kind::Direct => return Some(0),
            Kind::Pipe => libc::FIONREAD,
            Kind::Socket => libc::TIOCOUTQ,
        };
        let mut count: libc::c_int = 0;
        // SAFETY: FIONREAD / SIOCOUTQ (= TIOCOUTQ) write one int through the pointer.
        let rc = unsafe { libc::ioctl(self.fd.as_raw_fd(), request, &mut count) };
        (rc == 0).then(|| u64::try_from(count).unwrap_or(0))
    }

    /// Whether the reading end is closed (nothing more will ever be taken).
    pub fn reader_gone(&self) -> bool {
        if !self.is_queue() {
            return false;
        }
        let mut poll = libc::pollfd { fd: self.fd.as_fd().as_raw_fd(), events: libc::POLLOUT, revents: 0 };
        // SAFETY: one valid pollfd, a zero timeout.
        let rc = unsafe { libc::poll(&mut poll, 1, 0) };
        rc > 0 && poll.revents & (libc::POLLERR | libc::POLLHUP) != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    #[test]
    fn a_pipe_counts_what_its_reader_has_not_taken() {
        let (mut reader, writer) = std::io::pipe().expect("pipe");
        let mut writer = std::fs::File::from(OwnedFd::from(writer));
        let probe = OutQueue::of(writer.as_fd()).expect("probe");
        assert!(probe.is_queue());
        assert_eq!(probe.unread(), Some(0));
        writer.write_all(b"0123456789").expect("write");
        assert_eq!(probe.unread(), Some(10));
        let mut four = [0; 4];
        reader.read_exact(&mut four).expect("read");
        assert_eq!(probe.unread(), Some(6));
        assert!(!probe.reader_gone());
        drop(reader);
        assert!(probe.reader_gone());
        assert_eq!(probe.unread(), Some(6), "what the reader left stays counted");
    }

    #[test]
    fn a_unix_socket_counts_at_least_what_its_peer_has_not_read() {
        let (mut ours, mut peer) = std::os::unix::net::UnixStream::pair().expect("socketpair");
        let probe = OutQueue::of(ours.as_fd()).expect("probe");
        assert!(probe.is_queue());
        ours.write_all(b"0123456789").expect("write");
        assert!(probe.unread().is_some_and(|n| n >= 10), "{:?}", probe.unread());
        let mut all = [0; 10];
        peer.read_exact(&mut all).expect("read");
        assert_eq!(probe.unread(), Some(0));
        drop(peer);
        assert!(probe.reader_gone());
    }

    #[test]
    fn a_file_has_no_queue() {
        let file = tempfile::tempfile().expect("file");
        let probe = OutQueue::of(file.as_fd()).expect("probe");
        assert!(!probe.is_queue() && !probe.reader_gone());
        assert_eq!(probe.unread(), Some(0));
    }
}

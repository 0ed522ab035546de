//! Exclusive one-byte locks owned by an open file description (Linux's
//! `F_OFD_SETLK` / `F_OFD_GETLK`): one descriptor can hold any number of
//! independent locks on one file, one per byte offset (the offset need not
//! lie inside the file). Like `flock`, they belong to the open file
//! description, so two descriptors opened separately conflict even in one
//! process, and the OS releases them when the last descriptor closes —
//! when the holder dies, even by SIGKILL.

use std::fs::File;
use std::io;
use std::os::fd::AsRawFd;

/// One byte at `at`, as `struct flock` takes it (`l_pid` must be 0 for OFD locks).
fn byte(kind: libc::c_int, at: u64) -> io::Result<libc::flock> {
    let start = libc::off_t::try_from(at)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, format!("lock offset {at} is out of range")))?;
    // SAFETY: `flock` is a plain C struct of integers; all zeroes is a valid value.
    let mut lock: libc::flock = unsafe { std::mem::zeroed() };
    lock.l_type = kind as libc::c_short;
    lock.l_whence = libc::SEEK_SET as libc::c_short;
    lock.l_start = start;
    lock.l_len = 1;
    Ok(lock)
}

fn fcntl(file: &File, command: libc::c_int, lock: &mut libc::flock) -> io::Result<()> {
    // SAFETY: the descriptor is open for the borrow of `file`, and `lock` is a valid `flock`.
    let rc = unsafe { libc::fcntl(file.as_raw_fd(), command, lock as *mut libc::flock) };
    if rc == -1 { Err(io::Error::last_os_error()) } else { Ok(()) }
}

/// Locks the byte at `at` through `file` (opened for writing) if no other
/// open file description holds it; `false` if one does. Locking a byte this
/// description already holds succeeds.
pub fn try_lock(file: &File, at: u64) -> io::Result<bool> {
    let mut lock = byte(libc::F_WRLCK, at)?;
    match fcntl(file, libc::F_OFD_SETLK, &mut lock) {
        Ok(()) => Ok(true),
        Err(e) if matches!(e.raw_os_error(), Some(libc::EAGAIN | libc::EACCES)) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Locks the byte at `at` through `file`, waiting for as long as another
/// open file description holds it (`F_OFD_SETLKW`). Only for a hold that
/// is short and always ends (the holder's one fsync): there is no deadlock
/// detection between descriptions.
pub fn lock_wait(file: &File, at: u64) -> io::Result<()> {
    let mut lock = byte(libc::F_WRLCK, at)?;
    loop {
        match fcntl(file, libc::F_OFD_SETLKW, &mut lock) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            done => return done,
        }
    }
}

/// Releases the byte at `at` (nothing happens if this description does not hold it).
pub fn unlock(file: &File, at: u64) -> io::Result<()> {
    let mut lock = byte(libc::F_UNLCK, at)?;
    fcntl(file, libc::F_OFD_SETLK, &mut lock)
}

/// Whether another open file description holds the byte at `at` (the
/// description behind `file` itself never counts).
pub fn held_by_other(file: &File, at: u64) -> io::Result<bool> {
    let mut lock = byte(libc::F_WRLCK, at)?;
    fcntl(file, libc::F_OFD_GETLK, &mut lock)?;
    Ok(lock.l_type != libc::F_UNLCK as libc::c_short)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs::OpenOptions;

    fn open(path: &std::path::Path) -> File {
        OpenOptions::new().read(true).write(true).create(true).truncate(false).open(path).expect("open")
    }

    #[test]
    fn bytes_lock_independently_per_description_and_release_on_close() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("f");
        let (a, b) = (open(&path), open(&path));
        let reader = File::open(&path).expect("open read-only");
        assert!(try_lock(&a, 0).expect("lock"));
        assert!(try_lock(&a, 0).expect("again by its holder"));
        // Far past the end of the (empty) file too.
        assert!(try_lock(&a, 1 << 50).expect("lock far"));
        assert!(!try_lock(&b, 0).expect("held by a"));
        assert!(!try_lock(&b, 1 << 50).expect("held by a"));
        assert!(try_lock(&b, 1).expect("another byte is free"));
        assert!(held_by_other(&b, 0).expect("probe") && held_by_other(&reader, 0).expect("probe read-only"));
        assert!(!held_by_other(&a, 0).expect("a's own lock does not count for a"));
        assert!(!held_by_other(&reader, 2).expect("probe free"));
        unlock(&a, 0).expect("unlock");
        assert!(!held_by_other(&reader, 0).expect("probe"));
        assert!(try_lock(&b, 0).expect("free after unlock"));
        drop(b);
        assert!(!held_by_other(&reader, 1).expect("closing releases"));
        assert!(held_by_other(&reader, 1 << 50).expect("a still holds its own"));
        drop(a);
        assert!(!held_by_other(&reader, 1 << 50).expect("closing releases"));
    }
}

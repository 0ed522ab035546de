//! File locks with a bounded wait: an RAII guard over std's `File::lock`.
//! The holder writes who it is into the lock file, so a process that gives
//! up can name the holder ("held by pid 4242, runnel produce orders").
//! Locks belong to the open file description and are released by the OS
//! when the holder dies, even by SIGKILL; descriptors are close-on-exec.

use std::fs::{File, OpenOptions};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::error::{Error, ErrorKind, IoContext, Result};

/// Bytes reserved at the start of a lock file for the holder's description.
const HOLDER_LEN: usize = 160;

/// A lock file, opened once and locked and unlocked many times.
#[derive(Debug)]
pub struct LockFile {
    path: PathBuf,
    file: Arc<File>,
}

/// An exclusive hold on a [`LockFile`]; released on drop. It does not
/// borrow the lock file, so its owner stays free to mutate around it.
#[derive(Debug)]
pub struct LockGuard {
    file: Arc<File>,
}

/// Who this process is, as written into the locks it holds.
pub fn holder_description() -> String {
    let args: Vec<String> = std::env::args().skip(1).take(4).collect();
    format!("pid {} (runnel {})", std::process::id(), args.join(" "))
}

impl LockFile {
    /// Opens (creating) the lock file at `path`; its folder must exist.
    pub fn open(path: &Path) -> Result<LockFile> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .at("open lock file", path)?;
        Ok(LockFile { path: path.to_path_buf(), file: Arc::new(file) })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Takes the lock, waiting at most `timeout`; then exits 75 naming the holder.
    pub fn lock(&self, timeout: Duration) -> Result<LockGuard> {
        let deadline = Instant::now() + timeout;
        let mut pause = Duration::from_micros(200);
        loop {
            match self.file.try_lock() {
                Ok(()) => {
                    self.write_holder();
                    return Ok(LockGuard { file: Arc::clone(&self.file) });
                }
                Err(std::fs::TryLockError::WouldBlock) => {}
                Err(std::fs::TryLockError::Error(e)) => return Err(e).at("lock", &self.path),
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(self.timeout_error(timeout));
            }
            std::thread::sleep(pause.min(deadline - now));
            pause = (pause * 2).min(Duration::from_millis(20));
        }
    }

    /// Takes the lock only if it is free right now.
    pub fn try_lock(&self) -> Result<Option<LockGuard>> {
        match self.file.try_lock() {
            Ok(()) => {
                self.write_holder();
                Ok(Some(LockGuard { file: Arc::clone(&self.file) }))
            }
            Err(std::fs::TryLockError::WouldBlock) => Ok(None),
            Err(std::fs::TryLockError::Error(e)) => Err(e).at("lock", &self.path),
        }
    }

    fn write_holder(&self) {
        let mut text = holder_description().into_bytes();
        text.truncate(HOLDER_LEN - 1);
        text.resize(HOLDER_LEN - 1, b' ');
        text.push(b'\n');
        // Naming the holder is best effort: a failure here must not fail the lock.
        let _ = self.file.write_all_at(&text, 0);
    }

    /// The holder's description as it wrote it, if readable. The kernel's
    /// lock table wins over the file: a process that takes the lock without
    /// writing itself in (or a stale description left by an earlier holder)
    /// must not name the wrong pid.
    pub fn holder(&self) -> Option<String> {
        let mut buf = [0u8; HOLDER_LEN];
        let n = self.file.read_at(&mut buf, 0).unwrap_or(0);
        let written = String::from_utf8_lossy(&buf[..n]).trim().to_string();
        match self.kernel_holder_pid() {
            Some(pid) if written.starts_with(&format!("pid {pid} ")) => Some(written),
            Some(pid) => Some(describe_pid(pid)),
            None => (!written.is_empty()).then_some(written),
        }
    }

    /// The pid holding a lock on this file, from `/proc/locks` (Linux).
    fn kernel_holder_pid(&self) -> Option<u32> {
        use std::os::unix::fs::MetadataExt;
        let meta = self.file.metadata().ok()?;
        let dev = meta.dev();
        let major = ((dev >> 32) & 0xffff_f000) | ((dev >> 8) & 0xfff);
        let minor = ((dev >> 12) & 0xffff_ff00) | (dev & 0xff);
        let wanted = format!("{major:02x}:{minor:02x}:{}", meta.ino());
        let table = std::fs::read_to_string("/proc/locks").ok()?;
        table.lines().filter(|l| !l.contains("->")).find_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            // "1: FLOCK  ADVISORY  WRITE 4242 fd:01:123456 0 EOF"
            (fields.len() >= 6 && fields[5] == wanted).then(|| fields[4].parse().ok()).flatten()
        })
    }

    fn timeout_error(&self, timeout: Duration) -> Error {
        let holder = self.holder().unwrap_or_else(|| "another process".to_string());
        Error::new(
            ErrorKind::LockTimeout,
            format!(
                "could not lock {} within {}: held by {holder}",
                self.path.display(),
                humantime::format_duration(timeout)
            ),
        )
        .with_hint("wait for it to finish, stop it, or raise --lock-timeout")
    }
}

/// "pid N (its command line)", as far as `/proc` tells.
fn describe_pid(pid: u32) -> String {
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
    let words: Vec<String> = cmdline
        .split(|&b| b == 0)
        .filter(|w| !w.is_empty())
        .take(5)
        .map(|w| String::from_utf8_lossy(w).into_owned())
        .collect();
    if words.is_empty() { format!("pid {pid}") } else { format!("pid {pid} ({})", words.join(" ")) }
}

impl Drop for LockGuard {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_times_out_naming_the_first() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("x.lock");
        let a = LockFile::open(&path).expect("open a");
        let b = LockFile::open(&path).expect("open b");
        let guard = a.lock(Duration::from_secs(1)).expect("lock a");
        assert!(b.try_lock().expect("try").is_none());
        let err = b.lock(Duration::from_millis(30)).expect_err("timeout");
        assert_eq!(err.exit_code(), 75);
        assert!(err.message.contains(&format!("pid {}", std::process::id())), "{}", err.message);
        drop(guard);
        assert!(b.try_lock().expect("try").is_some());
    }
}

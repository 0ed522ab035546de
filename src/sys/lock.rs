//! File locks with a bounded wait: an RAII guard over std's `File::lock`,
//! the wait in the kernel with a deadline (`timed_flock`).
//! A process that gives up names the holder ("held by pid 4242 (runnel
//! produce orders)") from the kernel's lock table and the holder's command
//! line, so taking a lock costs no write. Locks belong to the open file
//! description and are released by the OS when the holder dies, even by
//! SIGKILL; descriptors are close-on-exec.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::error::{Error, ErrorKind, IoContext, Reason, Result};

/// The first pause between two tries of a held lock; it doubles each try.
const FIRST_PAUSE: Duration = Duration::from_micros(200);
/// The longest pause between two tries of a held lock.
const MAX_PAUSE: Duration = Duration::from_millis(20);

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

impl LockFile {
    /// Opens (creating if needed, with its folder) the lock file at `path`.
    pub fn open(path: &Path) -> Result<LockFile> {
        let open = || OpenOptions::new().read(true).write(true).create(true).truncate(false).open(path);
        let file = match open() {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir).at("create directory", dir)?;
                }
                open()
            }
            opened => opened,
        }
        .at("open lock file", path)?;
        Ok(LockFile { path: path.to_path_buf(), file: Arc::new(file) })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The open lock file (read and write), for what else it carries.
    pub fn file(&self) -> &Arc<File> {
        &self.file
    }

    /// Takes the lock, waiting at most `timeout`; then exits 75 naming the
    /// holder. The wait is in the kernel, woken when the holder lets go
    /// (`timed_flock`); if that cannot be set up, it polls.
    pub fn lock(&self, timeout: Duration) -> Result<LockGuard> {
        let deadline = Instant::now() + timeout;
        match self.file.try_lock() {
            Ok(()) => return Ok(LockGuard { file: Arc::clone(&self.file) }),
            Err(std::fs::TryLockError::WouldBlock) => {}
            Err(std::fs::TryLockError::Error(e)) => return Err(e).at("lock", &self.path),
        }
        match crate::sys::timed_flock::lock_until(&self.file, deadline) {
            Ok(true) => return Ok(LockGuard { file: Arc::clone(&self.file) }),
            Ok(false) => return Err(self.timeout_error(timeout)),
            Err(_) => {}
        }
        let mut pause = FIRST_PAUSE;
        loop {
            match self.file.try_lock() {
                Ok(()) => return Ok(LockGuard { file: Arc::clone(&self.file) }),
                Err(std::fs::TryLockError::WouldBlock) => {}
                Err(std::fs::TryLockError::Error(e)) => return Err(e).at("lock", &self.path),
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(self.timeout_error(timeout));
            }
            std::thread::sleep(pause.min(deadline - now));
            pause = (pause * 2).min(MAX_PAUSE);
        }
    }

    /// Takes the lock only if it is free right now.
    pub fn try_lock(&self) -> Result<Option<LockGuard>> {
        match self.file.try_lock() {
            Ok(()) => Ok(Some(LockGuard { file: Arc::clone(&self.file) })),
            Err(std::fs::TryLockError::WouldBlock) => Ok(None),
            Err(std::fs::TryLockError::Error(e)) => Err(e).at("lock", &self.path),
        }
    }

    /// Who holds the lock: its pid from the kernel's lock table, and its
    /// command line.
    pub fn holder(&self) -> Option<String> {
        self.kernel_holder_pid().map(describe_pid)
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
            (fields.len() >= 6 && fields[1] == "FLOCK" && fields[5] == wanted).then(|| fields[4].parse().ok()).flatten()
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
        .because(Reason::LockTimeout { path: self.path.clone() })
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

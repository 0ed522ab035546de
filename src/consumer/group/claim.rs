//! Claims: a lock file held for as long as something is owned, with the
//! claimant's tag (`member <id> pid <pid> host <host>`) written inside and
//! its modification time used as a heartbeat. The OS releases the lock when
//! the claimant dies, even by SIGKILL. Others `probe` a claim without
//! waiting: free, held (by whom, last heartbeat when), or missing.
//! A stale claim (held by a hung, evicted member) is broken by unlinking its
//! file; `try_take` re-checks after locking that the locked file is still
//! the one at the path, so a broken claim can never be taken by mistake.
//! A member's liveness is such a claim (`members/<id>.lock`); so was each
//! partition's ownership in builds before `owners` (`owners/<topic>-<p>.lock`),
//! whose files `owners` still respects and clears.

use std::fs::{File, OpenOptions, TryLockError};
use std::io;
use std::os::unix::fs::{FileExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::error::{IoContext, Result};
use crate::sys::fs::open_data;

/// A held claim; released when dropped.
#[derive(Debug)]
pub struct Claim {
    path: PathBuf,
    file: File,
}

/// What a look at someone's claim found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Probe {
    /// No file at the path.
    Missing,
    /// The file exists and nobody holds it (its holder is gone).
    Free,
    /// Someone holds it.
    Held { tag: String, heartbeat: SystemTime },
}

/// The tag a member writes into the claims it holds.
pub fn member_tag(member_id: &str, pid: u32, host: &str) -> String {
    format!("member {member_id} pid {pid} host {host}")
}

/// The member id named by a tag, if it is one.
pub fn tag_member(tag: &str) -> Option<&str> {
    let mut words = tag.split_whitespace();
    (words.next() == Some("member")).then(|| words.next()).flatten()
}

impl Claim {
    /// Takes the claim at `path` if nobody holds it right now.
    pub fn try_take(path: &Path, tag: &str) -> Result<Option<Claim>> {
        for _ in 0..4 {
            let file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(path)
                .at("open lock file", path)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(TryLockError::WouldBlock) => return Ok(None),
                Err(TryLockError::Error(e)) => return Err(e).at("lock", path),
            }
            // The file may have been unlinked (a claim broken) between open and lock.
            let locked = file.metadata().at("stat", path)?.ino();
            match std::fs::metadata(path) {
                Ok(m) if m.ino() == locked => {}
                Ok(_) => continue,
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e).at("stat", path),
            }
            file.set_len(0).at("truncate", path)?;
            file.write_all_at(format!("{tag}\n").as_bytes(), 0).at("write", path)?;
            let claim = Claim { path: path.to_path_buf(), file };
            claim.touch()?;
            return Ok(Some(claim));
        }
        Ok(None)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Refreshes the heartbeat (the file's modification time).
    pub fn touch(&self) -> Result<()> {
        self.file.set_modified(SystemTime::now()).at("touch", &self.path)
    }

    /// Removes the file, then releases the lock (a clean end).
    pub fn remove(self) -> Result<()> {
        crate::sys::fs::remove_if_present(&self.path)
    }
}

/// Looks at the claim at `path` without waiting and without creating it.
pub fn probe(path: &Path) -> Result<Probe> {
    let file = match open_data(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Probe::Missing),
        Err(e) => return Err(e).at("open lock file", path),
    };
    match file.try_lock() {
        // Dropping the file releases the lock we just took.
        Ok(()) => Ok(Probe::Free),
        Err(TryLockError::WouldBlock) => {
            let mut buf = [0u8; 512];
            let n = file.read_at(&mut buf, 0).unwrap_or(0);
            let tag = String::from_utf8_lossy(&buf[..n]).trim().to_string();
            let heartbeat = file.metadata().and_then(|m| m.modified()).unwrap_or(SystemTime::UNIX_EPOCH);
            Ok(Probe::Held { tag, heartbeat })
        }
        Err(TryLockError::Error(e)) => Err(e).at("lock", path),
    }
}

/// Unlinks a claim's file (breaking a stale claim; missing is fine).
pub fn break_claim(path: &Path) -> Result<()> {
    crate::sys::fs::remove_if_present(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn take_probe_release_and_break() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("m.lock");
        assert_eq!(probe(&path).expect("probe"), Probe::Missing);
        let tag = member_tag("c-0123", 7, "h");
        let claim = Claim::try_take(&path, &tag).expect("take").expect("free");
        assert!(Claim::try_take(&path, "other").expect("take").is_none());
        match probe(&path).expect("probe") {
            Probe::Held { tag: t, .. } => assert_eq!(tag_member(&t), Some("c-0123")),
            other => panic!("{other:?}"),
        }
        drop(claim);
        assert_eq!(probe(&path).expect("probe"), Probe::Free);
        // A stale holder keeps its lock on the unlinked file; a new claim proceeds.
        let stale = Claim::try_take(&path, "member old").expect("take").expect("free");
        break_claim(&path).expect("break");
        let fresh = Claim::try_take(&path, "member new").expect("take").expect("broken claim is free");
        drop(stale);
        assert!(matches!(probe(&path).expect("probe"), Probe::Held { .. }));
        fresh.remove().expect("remove");
        assert_eq!(probe(&path).expect("probe"), Probe::Missing);
    }

    #[test]
    fn tags_name_members() {
        assert_eq!(tag_member("member a-1 pid 3 host x"), Some("a-1"));
        assert_eq!(tag_member("pid 3"), None);
        assert_eq!(tag_member(""), None);
    }
}

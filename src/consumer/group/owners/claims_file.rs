//! One file of ownership claims, as a member has it open: the claims of a
//! run of a topic's partitions, each a 256-byte text record and an exclusive
//! one-byte lock past the records (module `owners` says how they are used).
//! The same layout serves this build's shard files, whose first partition is
//! the shard's, and the one file per topic of the build before, whose first
//! partition is 0.

use std::collections::BTreeSet;
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use crate::error::{Error, ErrorKind, IoContext, Reason, Result};
use crate::sys::fs::read_at_most;
use crate::sys::range_lock;

/// Bytes of one partition's record.
pub(super) const RECORD: u64 = 256;
/// Lock bytes per partition: epochs cycle through them.
const LANES: u64 = 1 << 20;
/// Lock bytes start here, far past any record.
const LOCKS_AT: u64 = 1 << 60;

/// One partition's record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Record {
    pub epoch: u64,
    pub takes: u64,
    pub member: Option<String>,
}

impl Record {
    pub fn encode(&self) -> Option<Vec<u8>> {
        let member = self.member.as_deref().unwrap_or_default();
        let mut text = format!("{} {} {member}", self.epoch, self.takes).into_bytes();
        if text.len() >= RECORD as usize {
            return None;
        }
        text.resize(RECORD as usize - 1, b' ');
        text.push(b'\n');
        Some(text)
    }

    /// `None`: not a record (damaged, or caught half-written).
    pub fn decode(bytes: &[u8]) -> Option<Record> {
        if bytes.iter().all(|&b| b == 0) {
            return Some(Record::default());
        }
        let (last, text) = bytes.split_last()?;
        if bytes.len() != RECORD as usize || *last != b'\n' {
            return None;
        }
        let text = std::str::from_utf8(text).ok()?.trim_end_matches(' ');
        let mut words = text.splitn(3, ' ');
        let (epoch, takes, member) = (words.next()?, words.next()?, words.next().unwrap_or_default());
        if member.contains(char::is_whitespace) {
            return None;
        }
        let member = (!member.is_empty()).then(|| member.to_string());
        Some(Record { epoch: epoch.parse().ok()?, takes: takes.parse().ok()?, member })
    }
}

/// A claims file open for reading and locking.
#[derive(Debug)]
pub(super) struct ClaimsFile {
    pub path: PathBuf,
    pub file: File,
    /// The partition whose claim is the file's first.
    first: u32,
    /// The partitions claimed through this descriptor.
    held: Mutex<BTreeSet<u32>>,
}

impl ClaimsFile {
    /// `file`, at `path`, holding the claims from partition `first` on.
    pub fn new(path: PathBuf, file: File, first: u32) -> ClaimsFile {
        ClaimsFile { path, file, first, held: Mutex::new(BTreeSet::new()) }
    }

    pub fn held(&self) -> MutexGuard<'_, BTreeSet<u32>> {
        self.held.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Where `partition`'s claim sits among the file's.
    fn slot(&self, partition: u32) -> u64 {
        debug_assert!(partition >= self.first, "partition {partition} is not in a file starting at {}", self.first);
        u64::from(partition.saturating_sub(self.first))
    }

    /// The byte whose lock is `partition`'s claim in `epoch`.
    pub fn lock_byte(&self, partition: u32, epoch: u64) -> u64 {
        LOCKS_AT + self.slot(partition) * LANES + epoch % LANES
    }

    pub fn record(&self, partition: u32) -> Result<Record> {
        read_record(&self.file, &self.path, self.slot(partition) * RECORD, partition)
    }

    pub fn write(&self, partition: u32, record: &Record) -> Result<()> {
        let bytes = record.encode().ok_or_else(|| {
            Error::other(format!("internal error: member id {:?} does not fit a claim record", record.member))
        })?;
        self.file.write_all_at(&bytes, self.slot(partition) * RECORD).at("write", &self.path)
    }

    /// Whether another descriptor holds `partition`'s claim in `epoch`.
    pub fn held_by_other(&self, partition: u32, epoch: u64) -> Result<bool> {
        range_lock::held_by_other(&self.file, self.lock_byte(partition, epoch)).at("look at the locks of", &self.path)
    }

    /// Who holds `partition`'s claim, as another descriptor sees it: `None`
    /// if nobody, else the record's member (`None` while a taker has not
    /// written its id yet) and its count of takes.
    pub fn holder(&self, partition: u32) -> Result<Option<(Option<String>, u64)>> {
        let record = self.record(partition)?;
        Ok(self.held_by_other(partition, record.epoch)?.then_some((record.member, record.takes)))
    }

    /// Breaks `partition`'s claim if `holder` still holds it, by moving the
    /// record to the next epoch (the caller holds the group lock and has
    /// seen that `holder` is not in the group).
    pub fn break_stale(&self, partition: u32, holder: &str) -> Result<()> {
        let record = self.record(partition)?;
        if record.member.as_deref() == Some(holder) && self.held_by_other(partition, record.epoch)? {
            self.write(partition, &Record { epoch: record.epoch + 1, takes: record.takes, member: None })?;
        }
        Ok(())
    }
}

/// The record at byte `at` of `file`, `partition`'s.
fn read_record(file: &File, path: &Path, at: u64, partition: u32) -> Result<Record> {
    for _ in 0..5 {
        let mut buf = [0u8; RECORD as usize];
        let n = read_at_most(file, &mut buf, at).at("read", path)?;
        if let Some(record) = Record::decode(&buf[..n]) {
            return Ok(record);
        }
        // Perhaps a record being written right now: look again.
        std::thread::sleep(Duration::from_millis(2));
    }
    Err(Error::new(
        ErrorKind::Io,
        format!(
            "the ownership claims file {} is damaged at the record of partition {partition}; \
             stop the group's members and delete the file (it holds only running members' claims)",
            path.display()
        ),
    )
    .because(Reason::DamagedMetadata { path: path.to_path_buf() }))
}

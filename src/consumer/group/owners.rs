//! Ownership claims of a group's partitions: which member may read (and
//! commit) a partition right now. Every claim on one topic lives in one file,
//! `owners/<topic>.claims`, so a member holds one descriptor per topic it
//! reads, whatever the number of partitions:
//!
//! - partition p's claim is an exclusive one-byte lock (`sys::range_lock`: an
//!   open-file-description lock, which the OS drops when its holder dies, even
//!   by SIGKILL) on the byte `p × LANES + epoch mod LANES`, past the records;
//! - its record, `RECORD` bytes at `p × RECORD`, is the text `<epoch> <takes>
//!   <member id>` padded with spaces to a newline: which epoch's byte is the
//!   claim, how many times it was taken, and who took it last (a free byte
//!   means a free claim, whatever the record says).
//!
//! A claim is taken by locking the byte of the recorded epoch, checking that
//! the record still names that epoch, and writing the taker's id; it is
//! released by unlocking the byte. A stale claim (held by a hung member no
//! longer in the group) is broken under the group lock by moving the record to
//! the next epoch: the hung member keeps a lock nobody looks at any more, and
//! its commits are fenced (`offsets`).
//!
//! Builds before this one kept one locked file per partition
//! (`owners/<topic>-<p>.lock`, a [`Claim`]). A partition whose old file a live
//! member holds is not taken (a stale one is broken as above), and a free old
//! file is removed when its partition is taken. A member of such a build cannot
//! see these claims, so this build writes `state.json` in format 2, which
//! earlier builds refuse (exit 74) at their next look at the group.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::Duration;

use super::claim::{self, Claim, Probe};
use super::offsets::lock_group;
use super::paths::GroupPaths;
use super::state::GroupState;
use crate::cluster::Cluster;
use crate::consumer::TopicPartition;
use crate::error::{Error, ErrorKind, IoContext, Reason, Result};
use crate::sys::fs::open_data;
use crate::sys::range_lock;

/// Bytes of one partition's record.
const RECORD: u64 = 256;
/// Lock bytes per partition: epochs cycle through them.
const LANES: u64 = 1 << 20;
/// Lock bytes start here, far past any record.
const LOCKS_AT: u64 = 1 << 60;

/// Who holds a partition's claim, as a look from outside finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    /// Nobody (or the file does not exist).
    Free,
    /// Someone: `member` is `None` while a taker has not written its id yet;
    /// `takes` counts every taking of the claim so far (a release and a new
    /// take show as a new count).
    Held { member: Option<String>, takes: u64 },
}

/// One partition's record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Record {
    epoch: u64,
    takes: u64,
    member: Option<String>,
}

impl Record {
    fn encode(&self) -> Option<Vec<u8>> {
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
    fn decode(bytes: &[u8]) -> Option<Record> {
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

fn lock_byte(partition: u32, epoch: u64) -> u64 {
    LOCKS_AT + u64::from(partition) * LANES + epoch % LANES
}

fn read_record(file: &File, path: &Path, partition: u32) -> Result<Record> {
    let at = u64::from(partition) * RECORD;
    for _ in 0..5 {
        let mut buf = [0u8; RECORD as usize];
        let mut n = 0;
        while n < buf.len() {
            match file.read_at(&mut buf[n..], at + n as u64) {
                Ok(0) => break,
                Ok(k) => n += k,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e).at("read", path),
            }
        }
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

/// One topic's claims file as a member has it open.
#[derive(Debug)]
struct ClaimsFile {
    path: PathBuf,
    file: File,
    /// The partitions claimed through this descriptor.
    held: Mutex<BTreeSet<u32>>,
}

impl ClaimsFile {
    fn held(&self) -> MutexGuard<'_, BTreeSet<u32>> {
        self.held.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn record(&self, partition: u32) -> Result<Record> {
        read_record(&self.file, &self.path, partition)
    }

    fn write(&self, partition: u32, record: &Record) -> Result<()> {
        let bytes = record.encode().ok_or_else(|| {
            Error::other(format!("internal error: member id {:?} does not fit a claim record", record.member))
        })?;
        self.file.write_all_at(&bytes, u64::from(partition) * RECORD).at("write", &self.path)
    }

    fn held_by_other(&self, partition: u32, epoch: u64) -> Result<bool> {
        range_lock::held_by_other(&self.file, lock_byte(partition, epoch)).at("look at the locks of", &self.path)
    }
}

/// A held claim on one partition; released when dropped.
#[derive(Debug)]
pub struct OwnerClaim {
    file: Arc<ClaimsFile>,
    partition: u32,
    epoch: u64,
}

impl Drop for OwnerClaim {
    fn drop(&mut self) {
        // Failing to unlock leaves the byte locked until the descriptor closes (at the
        // latest when this member ends); the record does not change.
        let _ = range_lock::unlock(&self.file.file, lock_byte(self.partition, self.epoch));
        self.file.held().remove(&self.partition);
    }
}

/// One member's claims: one open file per topic it holds claims of.
#[derive(Debug)]
pub struct Owners {
    paths: GroupPaths,
    member_id: String,
    /// The member's tag, for the claim files of earlier builds.
    tag: String,
    files: BTreeMap<String, Weak<ClaimsFile>>,
}

impl Owners {
    pub fn new(paths: &GroupPaths, member_id: &str, tag: &str) -> Owners {
        Owners { paths: paths.clone(), member_id: member_id.to_string(), tag: tag.to_string(), files: BTreeMap::new() }
    }

    /// Takes the claim of `p` if its previous owner let go (or is no longer
    /// in `state` nor in the group's current state: its stale claim is
    /// broken). `None`: wait and try again.
    pub fn take(&mut self, cluster: &Cluster, state: &GroupState, p: &TopicPartition) -> Result<Option<OwnerClaim>> {
        let taken = match self.try_take(p)? {
            Some(claim) => Some(claim),
            None => {
                let holder = match self.owner(p)? {
                    Owner::Free => None,
                    Owner::Held { member: None, .. } => return Ok(None),
                    Owner::Held { member: Some(holder), .. } => Some(holder),
                };
                if let Some(holder) = holder {
                    if holder == self.member_id || state.member(&holder).is_some() {
                        return Ok(None);
                    }
                    // Held by a member no longer in the group: break it under the group lock.
                    let _guard = lock_group(cluster, &self.paths)?;
                    if GroupState::load(&self.paths)?.unwrap_or_default().member(&holder).is_none() {
                        self.break_stale(p, &holder)?;
                    }
                }
                self.try_take(p)?
            }
        };
        match taken {
            Some(claim) => self.settle_legacy(cluster, state, p, claim),
            None => Ok(None),
        }
    }

    /// Takes the claim of `p` if nobody holds it right now.
    pub fn try_take(&mut self, p: &TopicPartition) -> Result<Option<OwnerClaim>> {
        let file = self.file(&p.topic)?;
        if file.held().contains(&p.partition) {
            return Ok(None);
        }
        for _ in 0..4 {
            let Record { epoch, takes, .. } = file.record(p.partition)?;
            let byte = lock_byte(p.partition, epoch);
            if !range_lock::try_lock(&file.file, byte).at("lock", &file.path)? {
                return Ok(None);
            }
            file.held().insert(p.partition);
            let claim = OwnerClaim { file: Arc::clone(&file), partition: p.partition, epoch };
            // A stale claim broken between the read and the lock: the epoch moved on.
            if file.record(p.partition)?.epoch != epoch {
                drop(claim);
                continue;
            }
            file.write(p.partition, &Record { epoch, takes: takes + 1, member: Some(self.member_id.clone()) })?;
            return Ok(Some(claim));
        }
        Ok(None)
    }

    /// Who holds `p`'s claim, looking through this member's own descriptor.
    pub fn owner(&mut self, p: &TopicPartition) -> Result<Owner> {
        let file = self.file(&p.topic)?;
        let record = file.record(p.partition)?;
        if file.held().contains(&p.partition) {
            return Ok(Owner::Held { member: Some(self.member_id.clone()), takes: record.takes });
        }
        let held = file.held_by_other(p.partition, record.epoch)?;
        Ok(if held { Owner::Held { member: record.member, takes: record.takes } } else { Owner::Free })
    }

    /// Breaks `p`'s claim if `holder` still holds it (the caller holds the group lock
    /// and has seen that `holder` is not in the group).
    fn break_stale(&mut self, p: &TopicPartition, holder: &str) -> Result<()> {
        let file = self.file(&p.topic)?;
        if file.held().contains(&p.partition) {
            return Ok(());
        }
        let record = file.record(p.partition)?;
        if record.member.as_deref() == Some(holder) && file.held_by_other(p.partition, record.epoch)? {
            file.write(p.partition, &Record { epoch: record.epoch + 1, takes: record.takes, member: None })?;
        }
        Ok(())
    }

    /// With `claim` taken, the claim file an earlier build may keep for `p`:
    /// none, or free (removed: locked, then unlinked, so a member of that build
    /// that opened it meanwhile sees it gone), or held by a member in the group
    /// (`claim` is let go: wait), or held by one no longer in it (broken).
    /// Anything that changed meanwhile is looked at again on the next try.
    fn settle_legacy(
        &mut self,
        cluster: &Cluster,
        state: &GroupState,
        p: &TopicPartition,
        claim: OwnerClaim,
    ) -> Result<Option<OwnerClaim>> {
        let path = self.paths.legacy_owner_lock(&p.topic, p.partition);
        let holder = match claim::probe(&path)? {
            Probe::Missing => return Ok(Some(claim)),
            Probe::Free => {
                return match Claim::try_take(&path, &self.tag)? {
                    Some(old) => {
                        old.remove()?;
                        Ok(Some(claim))
                    }
                    None => Ok(None),
                };
            }
            Probe::Held { tag, .. } => claim::tag_member(&tag).map(str::to_string),
        };
        let Some(holder) = holder else { return Ok(None) };
        if holder == self.member_id || state.member(&holder).is_some() {
            return Ok(None);
        }
        let _guard = lock_group(cluster, &self.paths)?;
        let still_held = match claim::probe(&path)? {
            Probe::Held { tag, .. } => claim::tag_member(&tag) == Some(holder.as_str()),
            Probe::Free | Probe::Missing => false,
        };
        if !still_held || GroupState::load(&self.paths)?.unwrap_or_default().member(&holder).is_some() {
            return Ok(None);
        }
        claim::break_claim(&path)?;
        Ok(Some(claim))
    }

    /// The open claims file of `topic`, opened (and created) when no claim of
    /// it is held; closed again when its last claim is released.
    fn file(&mut self, topic: &str) -> Result<Arc<ClaimsFile>> {
        if let Some(file) = self.files.get(topic).and_then(Weak::upgrade) {
            return Ok(file);
        }
        self.files.retain(|_, f| f.strong_count() > 0);
        let path = self.paths.owners_file(topic);
        let open = || OpenOptions::new().read(true).write(true).create(true).truncate(false).open(&path);
        let file = match open() {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                let dir = self.paths.owners_dir();
                std::fs::create_dir_all(&dir).at("create directory", &dir)?;
                open()
            }
            opened => opened,
        }
        .at("open", &path)?;
        let file = Arc::new(ClaimsFile { path, file, held: Mutex::new(BTreeSet::new()) });
        self.files.insert(topic.to_string(), Arc::downgrade(&file));
        Ok(file)
    }
}

/// Who holds `p`'s claim, as anyone can see it (nothing is created).
pub fn owner(paths: &GroupPaths, p: &TopicPartition) -> Result<Owner> {
    let path = paths.owners_file(&p.topic);
    let file = match open_data(&path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Owner::Free),
        Err(e) => return Err(e).at("open", &path),
    };
    let record = read_record(&file, &path, p.partition)?;
    let held =
        range_lock::held_by_other(&file, lock_byte(p.partition, record.epoch)).at("look at the locks of", &path)?;
    Ok(if held { Owner::Held { member: record.member, takes: record.takes } } else { Owner::Free })
}

/// Whether `member_id` holds `p`'s claim right now.
pub fn holds(paths: &GroupPaths, member_id: &str, p: &TopicPartition) -> Result<bool> {
    Ok(matches!(owner(paths, p)?, Owner::Held { member: Some(holder), .. } if holder == member_id))
}

#[cfg(test)]
mod tests;

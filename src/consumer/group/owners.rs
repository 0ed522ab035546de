//! Ownership claims of a group's partitions: which member may read (and
//! commit) a partition right now. The claims of a topic live in shard files
//! of [`SHARD_PARTITIONS`] partitions each, `owners/<topic>.claims.<k>` for
//! partitions `k × 1024` to `k × 1024 + 1023`, so a member holds one
//! descriptor per shard it holds claims in, whatever the number of partitions
//! (`claims_file.rs` has the layout):
//!
//! - partition p's claim is an exclusive one-byte lock (`sys::range_lock`: an
//!   open-file-description lock, which the OS drops when its holder dies, even
//!   by SIGKILL) on the byte `slot × LANES + epoch mod LANES` past the records,
//!   where `slot` is p's place in its shard;
//! - its record, `RECORD` bytes at `slot × RECORD`, is the text `<epoch>
//!   <takes> <member id>` padded with spaces to a newline: which epoch's byte
//!   is the claim, how many times it was taken, and who took it last (a free
//!   byte means a free claim, whatever the record says).
//!
//! A claim is taken by locking the byte of the recorded epoch, checking that
//! the record still names that epoch, and writing the taker's id; it is
//! released by unlocking the byte. A stale claim (held by a hung member no
//! longer in the group) is broken under the group lock by moving the record to
//! the next epoch: the hung member keeps a lock nobody looks at any more, and
//! its commits are fenced (`offsets`).
//!
//! Shards keep each file's locks few: Linux keeps a file's locks in one list,
//! walked whole by every lock and unlock, so one file for all the claims of a
//! topic of 20,000 partitions made taking them quadratic (seconds).
//!
//! Earlier builds kept one file per topic (`owners/<topic>.claims`, the same
//! layout, `state.json` format 2) and, before that, one locked file per
//! partition (`owners/<topic>-<p>.lock`). Their claims are respected
//! (`earlier_builds.rs`): a partition whose earlier claim a live member holds
//! is not taken, a stale one is broken as above. A member of those builds
//! cannot see these claims, so this build writes `state.json` in format 3,
//! which earlier builds refuse (exit 74) at their next look at the group.

mod claims_file;
mod earlier_builds;

use std::collections::BTreeMap;
use std::fs::OpenOptions;
use std::io;
use std::sync::{Arc, Weak};

use self::claims_file::{ClaimsFile, Record};
use super::offsets::lock_group;
use super::paths::GroupPaths;
use super::state::GroupState;
use crate::cluster::Cluster;
use crate::consumer::TopicPartition;
use crate::error::{IoContext, Result};
use crate::sys::fs::open_data;
use crate::sys::lock::LockGuard;
use crate::sys::range_lock;

/// Partitions whose claims share one shard file.
pub const SHARD_PARTITIONS: u32 = 1024;

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
        let _ = range_lock::unlock(&self.file.file, self.file.lock_byte(self.partition, self.epoch));
        self.file.held().remove(&self.partition);
    }
}

/// A partition being taken: the group as the taker last saw it.
struct Taking<'a> {
    cluster: &'a Cluster,
    state: &'a GroupState,
    partition: &'a TopicPartition,
}

/// One member's claims: one open file per shard it holds claims in.
#[derive(Debug)]
pub struct Owners {
    paths: GroupPaths,
    member_id: String,
    /// The member's tag, for the claim files of earlier builds.
    tag: String,
    /// This build's shard files, by topic and shard.
    files: BTreeMap<(String, u32), Weak<ClaimsFile>>,
    /// The previous build's claims files (one per topic), once found.
    earlier: BTreeMap<String, Arc<ClaimsFile>>,
}

impl Owners {
    pub fn new(paths: &GroupPaths, member_id: &str, tag: &str) -> Owners {
        Owners {
            paths: paths.clone(),
            member_id: member_id.to_string(),
            tag: tag.to_string(),
            files: BTreeMap::new(),
            earlier: BTreeMap::new(),
        }
    }

    /// Takes the claim of `p` if its previous owner let go (or is no longer
    /// in `state` nor in the group's current state: its stale claim is
    /// broken). `None`: wait and try again.
    pub fn take(&mut self, cluster: &Cluster, state: &GroupState, p: &TopicPartition) -> Result<Option<OwnerClaim>> {
        let taken = match self.try_take(p)? {
            Some(claim) => Some(claim),
            None => {
                let file = self.file(p)?;
                if file.held().contains(&p.partition) {
                    return Ok(None);
                }
                match file.holder(p.partition)? {
                    None => {}
                    Some((None, _)) => return Ok(None),
                    Some((Some(holder), _)) => {
                        let Some(_group_lock) = self.out_of_group(cluster, state, &holder)? else {
                            return Ok(None);
                        };
                        file.break_stale(p.partition, &holder)?;
                    }
                }
                self.try_take(p)?
            }
        };
        match taken {
            Some(claim) => self.settle_earlier_builds(&Taking { cluster, state, partition: p }, claim),
            None => Ok(None),
        }
    }

    /// Whether `holder`, found holding a claim this member wants, is out of
    /// the group, so that its claim may be broken: then `Some`, the group
    /// lock, held while the caller breaks it. `None` (wait) for this member
    /// itself, or one in `state` or in the group's current state.
    fn out_of_group(&self, cluster: &Cluster, state: &GroupState, holder: &str) -> Result<Option<LockGuard>> {
        if holder == self.member_id || state.member(holder).is_some() {
            return Ok(None);
        }
        let guard = lock_group(cluster, &self.paths)?;
        if GroupState::load(&self.paths)?.unwrap_or_default().member(holder).is_some() {
            return Ok(None);
        }
        Ok(Some(guard))
    }

    /// Takes the claim of `p` if nobody holds it right now.
    pub fn try_take(&mut self, p: &TopicPartition) -> Result<Option<OwnerClaim>> {
        let file = self.file(p)?;
        if file.held().contains(&p.partition) {
            return Ok(None);
        }
        for _ in 0..4 {
            let Record { epoch, takes, .. } = file.record(p.partition)?;
            if !range_lock::try_lock(&file.file, file.lock_byte(p.partition, epoch)).at("lock", &file.path)? {
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
        let file = self.file(p)?;
        if file.held().contains(&p.partition) {
            let takes = file.record(p.partition)?.takes;
            return Ok(Owner::Held { member: Some(self.member_id.clone()), takes });
        }
        Ok(match file.holder(p.partition)? {
            Some((member, takes)) => Owner::Held { member, takes },
            None => Owner::Free,
        })
    }

    /// The open shard file of `p`, opened (and created) when no claim in it
    /// is held; closed again when its last claim is released.
    fn file(&mut self, p: &TopicPartition) -> Result<Arc<ClaimsFile>> {
        let shard = p.partition / SHARD_PARTITIONS;
        let key = (p.topic.clone(), shard);
        if let Some(file) = self.files.get(&key).and_then(Weak::upgrade) {
            return Ok(file);
        }
        self.files.retain(|_, f| f.strong_count() > 0);
        let path = self.paths.owners_shard_file(&p.topic, shard);
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
        let file = Arc::new(ClaimsFile::new(path, file, shard * SHARD_PARTITIONS));
        self.files.insert(key, Arc::downgrade(&file));
        Ok(file)
    }
}

/// Who holds `p`'s claim, as anyone can see it (nothing is created): the
/// holder in this build's shard file, else in the previous build's file.
pub fn owner(paths: &GroupPaths, p: &TopicPartition) -> Result<Owner> {
    let shard = p.partition / SHARD_PARTITIONS;
    let files =
        [(paths.owners_shard_file(&p.topic, shard), shard * SHARD_PARTITIONS), (paths.owners_file(&p.topic), 0)];
    for (path, first) in files {
        let file = match open_data(&path) {
            Ok(file) => ClaimsFile::new(path, file, first),
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e).at("open", &path),
        };
        if let Some((member, takes)) = file.holder(p.partition)? {
            return Ok(Owner::Held { member, takes });
        }
    }
    Ok(Owner::Free)
}

/// Whether `member_id` holds `p`'s claim right now.
pub fn holds(paths: &GroupPaths, member_id: &str, p: &TopicPartition) -> Result<bool> {
    Ok(matches!(owner(paths, p)?, Owner::Held { member: Some(holder), .. } if holder == member_id))
}

#[cfg(test)]
mod tests;

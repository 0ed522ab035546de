//! Changing one partition's leader and ISR safely: the building blocks that
//! `broker fail`, `broker recover` and `elect-leaders` share.
//!
//! Every change to a partition's state is made under the cluster lock (held
//! by the caller) *and* the partition's writer lock ([`PartitionJob::lock`]),
//! and the topic file is rewritten before that lock is released, so no
//! writer is ever mid-append with stale state. Whenever the leader changes,
//! the remaining in-sync followers are levelled with the new leader
//! ([`PartitionJob::level_isr`]), keeping the writer's invariant that the
//! leader's log end is the high watermark. The leader epoch goes up by one on
//! every leader change, including to and from "no leader"; an ISR-only change
//! keeps the epoch (as KRaft does: it bumps only the partition epoch, which
//! runnel does not track).

use serde::Serialize;

use crate::cluster::handle::Cluster;
use crate::cluster::metadata::documents::{PartitionMeta, TopicMeta};
use crate::cluster::replication::catch_up::{CatchUp, LeaderSource, catch_up};
use crate::cluster::replication::replica_sync::level_all;
use crate::error::{Error, Reason, Result};
use crate::store::{FrameHeader, Log, LogConfig, PersistMode, holds_log};
use crate::sys::lock::{LockFile, LockGuard};

/// One partition whose leader or ISR changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeadershipChange {
    pub topic: String,
    pub partition: u32,
    pub old_leader: Option<u32>,
    /// `None`: the partition is offline.
    pub new_leader: Option<u32>,
    pub leader_epoch: u32,
    pub isr: Vec<u32>,
}

impl LeadershipChange {
    /// Whether the leader moved (rather than only the ISR changing).
    pub fn leader_changed(&self) -> bool {
        self.old_leader != self.new_leader
    }

    pub(crate) fn between(topic: &str, old: &PartitionMeta, new: &PartitionMeta) -> Option<LeadershipChange> {
        (old != new).then(|| LeadershipChange {
            topic: topic.to_string(),
            partition: new.partition,
            old_leader: old.leader,
            new_leader: new.leader,
            leader_epoch: new.leader_epoch,
            isr: new.isr.clone(),
        })
    }
}

/// The context of changes to the partitions of one topic: which brokers
/// count as live, and how to reach the replicas.
pub(crate) struct PartitionJob<'a> {
    pub cluster: &'a Cluster,
    pub topic: &'a TopicMeta,
    pub config: LogConfig,
    /// Brokers that are up, as the operation sees them.
    pub live: &'a [u32],
}

impl PartitionJob<'_> {
    /// Takes the partition's writer lock.
    pub fn lock(&self, partition: u32) -> Result<LockGuard> {
        let lock = LockFile::open(&self.cluster.layout().partition_lock(&self.topic.name, partition))?;
        crate::cluster::replication::partition_lock::hold(&lock, self.cluster.lock_timeout())
    }

    pub fn is_live(&self, broker: u32) -> bool {
        self.live.contains(&broker)
    }

    /// Whether `broker`'s replica folder holds a log (a lost disk does not).
    pub fn present(&self, broker: u32, partition: u32) -> bool {
        let dir = self.cluster.layout().replica_dir(broker, &self.topic.name, partition);
        holds_log(&dir).unwrap_or(false)
    }

    /// Whether `broker` may lead: up, and its replica is on disk.
    pub fn eligible(&self, broker: u32, partition: u32) -> bool {
        self.is_live(broker) && self.present(broker, partition)
    }

    /// Rewrites the topic file with `state` for its partition (the caller
    /// still holds that partition's writer lock).
    pub fn commit(&self, topic: &mut TopicMeta, state: &PartitionMeta) -> Result<()> {
        if let Some(slot) = topic.partitions.get_mut(state.partition as usize) {
            *slot = state.clone();
        }
        self.cluster.write_topic(topic)
    }

    /// Moves leadership to `leader`, an in-sync replica, with `isr`: first
    /// levels it with the current leader (whose end is the high watermark),
    /// then every in-sync follower with it.
    pub fn hand_leadership_to(&self, state: &mut PartitionMeta, leader: u32, isr: Vec<u32>) -> Result<()> {
        if let Some(current) = state.leader.filter(|&l| self.is_live(l) && l != leader) {
            let mut level = state.clone();
            level.leader = Some(current);
            level.isr = vec![current, leader];
            self.level_isr(&level)?;
        }
        set_leader(state, Some(leader), isr);
        self.level_isr(state)
    }

    /// Levels the live in-sync replicas ([`level_all`]: followers end where
    /// the leader ends, and the leader first takes back what they prove it
    /// lost). The leader's replica must be on disk (elections only pick such
    /// leaders).
    pub fn level_isr(&self, state: &PartitionMeta) -> Result<()> {
        let Some(leader) = state.leader else { return Ok(()) };
        if !self.present(leader, state.partition) {
            return Err(self.missing_leader_replica(leader, state.partition));
        }
        let layout = self.cluster.layout();
        let followers: Vec<u32> = state.isr.iter().copied().filter(|&b| b != leader && self.is_live(b)).collect();
        if followers.is_empty() {
            return Ok(());
        }
        let (mut leader_log, _) =
            Log::open(&layout.replica_dir(leader, &self.topic.name, state.partition), self.config, 0)?;
        let mut logs = Vec::new();
        for b in followers {
            if !self.present(b, state.partition) {
                // A lost disk under a running broker: rebuild it whole.
                self.catch_up(state, b, |_| {})?;
                continue;
            }
            let dir = layout.replica_dir(b, &self.topic.name, state.partition);
            logs.push(Log::open(&dir, self.config, leader_log.start_offset()?)?.0);
        }
        if logs.iter().any(|log| log.next_offset() != leader_log.next_offset()) {
            let mut followers: Vec<&mut Log> = logs.iter_mut().collect();
            level_all(&mut leader_log, &mut followers)?;
            leader_log.sync(PersistMode::SyncData)?;
            for log in &mut logs {
                log.sync(PersistMode::SyncData)?;
            }
        }
        Ok(())
    }

    /// Catches `broker`'s replica up with the partition's leader by the
    /// leader-epoch rule (the caller then adds it to the ISR).
    pub fn catch_up(&self, state: &PartitionMeta, broker: u32, on_frame: impl FnMut(&FrameHeader)) -> Result<CatchUp> {
        let Some(leader) = state.leader else {
            return Err(Error::other("internal error: catching up a partition without a leader"));
        };
        let layout = self.cluster.layout();
        let leader_dir = layout.replica_dir(leader, &self.topic.name, state.partition);
        if !self.present(leader, state.partition) {
            return Err(self.missing_leader_replica(leader, state.partition));
        }
        let dir = layout.replica_dir(broker, &self.topic.name, state.partition);
        let source = LeaderSource { dir: &leader_dir, leader_epoch: state.leader_epoch };
        catch_up(&dir, source, self.config, &self.topic.topic_id, on_frame)
    }

    /// Brings every live replica outside the ISR (except `skip`, which the
    /// caller handles) back into it: the state after an unclean election, or
    /// after a partition came back online with its last in-sync replica.
    pub fn rejoin_live_replicas(&self, state: &mut PartitionMeta, skip: Option<u32>) -> Result<()> {
        if state.leader.is_none() {
            return Ok(());
        }
        let outside: Vec<u32> = state
            .replicas
            .iter()
            .copied()
            .filter(|&b| Some(b) != skip && Some(b) != state.leader && self.is_live(b) && !state.isr.contains(&b))
            .collect();
        for b in outside {
            self.catch_up(state, b, |_| {})?;
            join_isr(state, b);
        }
        Ok(())
    }

    fn missing_leader_replica(&self, leader: u32, partition: u32) -> Error {
        Error::unavailable(format!(
            "the replica of partition {partition} of '{}' on its leader, broker {leader}, is missing",
            self.topic.name
        ))
        .because(Reason::LeaderReplicaMissing { topic: self.topic.name.clone(), partition, leader })
    }
}

/// Sets the leader and ISR; the epoch goes up when the leader changes.
pub(crate) fn set_leader(state: &mut PartitionMeta, leader: Option<u32>, isr: Vec<u32>) {
    if state.leader != leader {
        state.leader_epoch += 1;
    }
    state.leader = leader;
    state.isr = isr;
}

/// Adds `broker` to the ISR, keeping the ISR in assignment order.
pub(crate) fn join_isr(state: &mut PartitionMeta, broker: u32) {
    if state.isr.contains(&broker) {
        return;
    }
    state.isr.push(broker);
    let rank = |b: &u32| state.replicas.iter().position(|r| r == b).unwrap_or(usize::MAX);
    let mut isr = std::mem::take(&mut state.isr);
    isr.sort_by_key(rank);
    state.isr = isr;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(replicas: &[u32], leader: Option<u32>, isr: &[u32]) -> PartitionMeta {
        PartitionMeta { partition: 0, replicas: replicas.to_vec(), leader, leader_epoch: 3, isr: isr.to_vec() }
    }

    #[test]
    fn epoch_moves_only_with_the_leader() {
        let mut s = state(&[0, 1, 2], Some(0), &[0, 1, 2]);
        set_leader(&mut s, Some(0), vec![0, 1]);
        assert_eq!(s.leader_epoch, 3);
        set_leader(&mut s, Some(1), vec![1]);
        assert_eq!(s.leader_epoch, 4);
        set_leader(&mut s, None, vec![1]);
        assert_eq!(s.leader_epoch, 5);
    }

    #[test]
    fn joining_keeps_assignment_order() {
        let mut s = state(&[2, 0, 1], Some(1), &[1]);
        join_isr(&mut s, 2);
        join_isr(&mut s, 0);
        join_isr(&mut s, 0);
        assert_eq!(s.isr, vec![2, 0, 1]);
    }

    #[test]
    fn a_change_is_reported_only_when_state_differs() {
        let old = state(&[0, 1], Some(0), &[0, 1]);
        assert_eq!(LeadershipChange::between("t", &old, &old), None);
        let mut new = old.clone();
        set_leader(&mut new, Some(1), vec![1]);
        let change = LeadershipChange::between("t", &old, &new).expect("change");
        assert!(change.leader_changed());
        assert_eq!((change.old_leader, change.new_leader, change.leader_epoch), (Some(0), Some(1), 4));
    }
}

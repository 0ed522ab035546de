//! OffsetCommit and OffsetFetch for Kafka clients, over the group's
//! `offsets.json` (so a client's commits are the CLI members' and `group
//! describe`'s, and theirs the client's). A member's commit is fenced as
//! Kafka fences it — an unknown member is `UNKNOWN_MEMBER_ID`, a generation
//! that is not the member's `ILLEGAL_GENERATION` — except that a member still
//! holding a partition's claim may commit it from its previous generation
//! (Kafka accepts a commit from the current generation while the group
//! prepares a rebalance: the member commits before it rejoins). runnel adds
//! one rule: a partition another member holds is refused. Commits with
//! generation -1 and no member id ("simple" commits of clients that assign
//! partitions themselves) are accepted only while the group has no live
//! member, as Kafka accepts them only in an Empty group.

use super::coordinator::Coordinator;
use super::types::GroupError;
use crate::consumer::TopicPartition;
use crate::consumer::group::admin::Inspection;
use crate::consumer::group::delivery::CommitPoint;
use crate::consumer::group::offsets::{OffsetsFile, lock_group};
use crate::consumer::group::owners::{self, Owner};
use crate::consumer::group::state::GroupState;

/// Kafka's `offset.metadata.max.bytes` default: a longer metadata string is refused.
pub const MAX_METADATA_BYTES: usize = 4096;

/// One partition of an OffsetCommit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffsetToCommit {
    pub partition: TopicPartition,
    /// The next offset to read (negative offsets are refused by the caller).
    pub offset: u64,
    pub leader_epoch: Option<u32>,
    pub metadata: Option<String>,
}

/// One committed offset as OffsetFetch answers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredOffset {
    pub partition: TopicPartition,
    pub offset: u64,
    pub leader_epoch: Option<u32>,
    pub metadata: Option<String>,
}

type PartitionResults = Vec<(TopicPartition, Result<(), GroupError>)>;

impl Coordinator {
    /// OffsetCommit: each partition's result, or the whole request's refusal.
    pub fn commit(
        &self,
        group: &str,
        member_id: &str,
        generation: i32,
        offsets: &[OffsetToCommit],
    ) -> Result<PartitionResults, GroupError> {
        let paths = self.paths(group)?;
        let mut results: PartitionResults = Vec::new();
        let mut valid = Vec::new();
        for o in offsets {
            let p = &o.partition;
            let known =
                self.cluster.find_topic(&p.topic).ok().flatten().is_some_and(|t| p.partition < t.partition_count());
            let check = if !known {
                Err(GroupError::UnknownTopicOrPartition)
            } else if o.metadata.as_ref().is_some_and(|m| m.len() > MAX_METADATA_BYTES) {
                Err(GroupError::OffsetMetadataTooLarge)
            } else {
                Ok(())
            };
            if check.is_ok() {
                valid.push(o);
            }
            results.push((p.clone(), check));
        }
        if member_id.is_empty() && generation < 0 {
            let _guard = lock_group(&self.cluster, &paths)?;
            if !Inspection::read(&paths)?.live.is_empty() {
                return Err(GroupError::UnknownMemberId);
            }
            write(&paths, &valid, None, 0)?;
            return Ok(results);
        }
        let entry = self.known_group(group).ok_or(GroupError::UnknownMemberId)?;
        let g = entry.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let remote = g.members.get(member_id).ok_or(GroupError::UnknownMemberId)?;
        remote.touch_claim();
        let generation = u64::try_from(generation).map_err(|_| GroupError::IllegalGeneration)?;
        let _guard = lock_group(&self.cluster, &paths)?;
        let state = GroupState::load(&paths)?.unwrap_or_default();
        if state.client_led.is_some() {
            // The leader's assignment is the clients' business, as on a
            // Kafka broker: any partition of a current member is taken.
            super::client_led::check_commit(&state, member_id, generation)?;
            write(&paths, &valid, Some(member_id), state.generation)?;
            return Ok(results);
        }
        let info = state.member(member_id).ok_or(GroupError::UnknownMemberId)?;
        let current = generation == state.generation && remote.generation == generation;
        let previous = generation == remote.generation && generation < state.generation;
        if !current && !previous {
            return Err(GroupError::IllegalGeneration);
        }
        let mut accepted = Vec::new();
        for o in valid {
            let p = &o.partition;
            let verdict = if remote.held.contains_key(p) {
                Ok(())
            } else if !current {
                Err(GroupError::RebalanceInProgress)
            } else if info.assignment.contains(p) || owners::owner(&paths, p)? == Owner::Free {
                Ok(())
            } else {
                Err(GroupError::IllegalGeneration)
            };
            if verdict.is_ok() {
                accepted.push(o);
            } else if let Some(slot) = results.iter_mut().find(|(q, r)| q == p && r.is_ok()) {
                slot.1 = verdict;
            }
        }
        write(&paths, &accepted, Some(member_id), generation)?;
        Ok(results)
    }

    /// OffsetFetch: the committed offsets of `partitions` (`None`: every
    /// partition the group has committed), a partition without one left out.
    pub fn fetch_offsets(
        &self,
        group: &str,
        partitions: Option<&[TopicPartition]>,
    ) -> Result<Vec<StoredOffset>, GroupError> {
        let paths = self.paths(group)?;
        let file = OffsetsFile::load(&paths)?;
        let stored = |c: &crate::consumer::group::offsets::CommittedOffset| StoredOffset {
            partition: TopicPartition::new(c.topic.as_str(), c.partition),
            offset: c.offset,
            leader_epoch: c.leader_epoch,
            metadata: c.metadata.clone(),
        };
        Ok(match partitions {
            None => file.offsets.iter().map(stored).collect(),
            Some(ps) => ps.iter().filter_map(|p| file.get(&p.topic, p.partition)).map(stored).collect(),
        })
    }
}

fn write(
    paths: &crate::consumer::group::paths::GroupPaths,
    offsets: &[&OffsetToCommit],
    member_id: Option<&str>,
    generation: u64,
) -> Result<(), GroupError> {
    if offsets.is_empty() {
        return Ok(());
    }
    let mut file = OffsetsFile::load(paths)?;
    for o in offsets {
        let at = CommitPoint { offset: o.offset, leader_epoch: o.leader_epoch };
        file.set_with_metadata(&o.partition, at, o.metadata.as_deref(), member_id, generation);
    }
    file.save(paths)?;
    Ok(())
}

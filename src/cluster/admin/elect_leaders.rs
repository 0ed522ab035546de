//! `elect-leaders`, like Kafka's `kafka-leader-election`: a preferred
//! election hands leadership back to each partition's first replica when it
//! is up and in sync; an unclean election gives offline partitions a leader
//! from any live replica, in or out of the ISR, accepting that records only
//! the lost replicas held are gone.

use crate::cluster::handle::Cluster;
use crate::cluster::metadata::documents::{ClusterMeta, PartitionMeta};
use crate::cluster::replication::leader_change::{LeadershipChange, PartitionJob};
use crate::cluster::rules::election::{offline_election, preferred_replica_leader};
use crate::cluster::rules::topic_config::log_config;
use crate::error::Result;
use crate::sys::fault;

/// Which election `elect-leaders` runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ElectionMode {
    Preferred,
    Unclean,
}

/// What an election did to one partition, as Kafka's ElectLeaders answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ElectionOutcome {
    Elected(LeadershipChange),
    /// The partition already has the leader the election would pick
    /// (ELECTION_NOT_NEEDED).
    NotNeeded,
    /// Preferred: the first replica is down or out of sync
    /// (PREFERRED_LEADER_NOT_AVAILABLE).
    PreferredNotAvailable,
    /// Unclean: no live replica (ELIGIBLE_LEADERS_NOT_AVAILABLE).
    NoEligibleLeader,
    /// No such topic or partition.
    UnknownPartition,
}

impl Cluster {
    /// Runs `mode` over one topic (exit 66 if unknown) or all of them.
    /// Returns the partitions that changed; none when every partition
    /// already has the leader the election would pick.
    pub fn elect_leaders(&self, mode: ElectionMode, topic: Option<&str>) -> Result<Vec<LeadershipChange>> {
        let asked = match topic {
            Some(name) => {
                let meta = self.topic(name)?;
                Some(vec![(meta.name.clone(), (0..meta.partition_count()).collect())])
            }
            None => None,
        };
        let outcomes = self.elect_partitions(mode, asked.as_deref())?;
        Ok(outcomes
            .into_iter()
            .filter_map(|(_, _, outcome)| match outcome {
                ElectionOutcome::Elected(change) => Some(change),
                _ => None,
            })
            .collect())
    }

    /// Runs `mode` over the partitions `asked` (topic, partitions), or every
    /// partition of every topic: each one's outcome, in the order asked.
    pub fn elect_partitions(
        &self,
        mode: ElectionMode,
        asked: Option<&[(String, Vec<u32>)]>,
    ) -> Result<Vec<(String, u32, ElectionOutcome)>> {
        let lock = self.lock_metadata()?;
        let _guard = lock.lock(self.lock_timeout())?;
        let meta = self.meta()?;
        let asked: Vec<(String, Option<Vec<u32>>)> = match asked {
            Some(asked) => asked.iter().map(|(t, ps)| (t.clone(), Some(ps.clone()))).collect(),
            None => self.topic_names()?.into_iter().map(|t| (t, None)).collect(),
        };
        let live = meta.live_brokers();
        let mut outcomes = Vec::new();
        for (name, partitions) in asked {
            let Some(mut topic) = self.find_asked_topic(&name)? else {
                outcomes.extend(
                    partitions
                        .unwrap_or_default()
                        .into_iter()
                        .map(|p| (name.clone(), p, ElectionOutcome::UnknownPartition)),
                );
                continue;
            };
            let settings = self.topic_settings(&topic)?;
            let snapshot = topic.clone();
            let job = PartitionJob { cluster: self, topic: &snapshot, config: log_config(&settings), live: &live };
            let partitions = partitions.unwrap_or_else(|| (0..topic.partition_count()).collect());
            for p in partitions {
                let Some(before) = topic.partition(p).cloned() else {
                    outcomes.push((name.clone(), p, ElectionOutcome::UnknownPartition));
                    continue;
                };
                if let Err(outcome) = pick(&job, &meta, &before, mode) {
                    outcomes.push((name.clone(), p, outcome));
                    continue;
                }
                let _w = job.lock(p)?;
                let Some(old) = topic.partition(p).cloned() else { continue };
                let mut state = old.clone();
                let (leader, isr) = match pick(&job, &meta, &state, mode) {
                    Ok(picked) => picked,
                    Err(outcome) => {
                        outcomes.push((name.clone(), p, outcome));
                        continue;
                    }
                };
                job.hand_leadership_to(&mut state, leader, isr)?;
                job.rejoin_live_replicas(&mut state, None)?;
                fault::step("elect.levelled");
                let outcome = match LeadershipChange::between(&name, &old, &state) {
                    Some(change) => {
                        job.commit(&mut topic, &state)?;
                        fault::step("elect.committed");
                        ElectionOutcome::Elected(change)
                    }
                    None => ElectionOutcome::NotNeeded,
                };
                outcomes.push((name.clone(), p, outcome));
            }
        }
        Ok(outcomes)
    }
}

/// The leader (and ISR) `mode` would give the partition, or why there is
/// none to give.
fn pick(
    job: &PartitionJob<'_>,
    meta: &ClusterMeta,
    p: &PartitionMeta,
    mode: ElectionMode,
) -> std::result::Result<(u32, Vec<u32>), ElectionOutcome> {
    let eligible = |b: u32| job.eligible(b, p.partition);
    match mode {
        ElectionMode::Preferred => {
            if p.leader.is_some() && p.leader == p.replicas.first().copied() {
                return Err(ElectionOutcome::NotNeeded);
            }
            let preferred = preferred_replica_leader(&p.replicas, &p.isr, &eligible)
                .ok_or(ElectionOutcome::PreferredNotAvailable)?;
            Ok((preferred, p.isr.clone()))
        }
        ElectionMode::Unclean => {
            if p.leader.is_some_and(|l| meta.is_up(l)) {
                return Err(ElectionOutcome::NotNeeded);
            }
            let e = offline_election(&p.replicas, &p.isr, &eligible, true).ok_or(ElectionOutcome::NoEligibleLeader)?;
            Ok((e.leader, e.isr))
        }
    }
}

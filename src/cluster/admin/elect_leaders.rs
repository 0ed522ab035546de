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

impl Cluster {
    /// Runs `mode` over one topic (exit 66 if unknown) or all of them.
    /// Returns the partitions that changed; none when every partition
    /// already has the leader the election would pick.
    pub fn elect_leaders(&self, mode: ElectionMode, topic: Option<&str>) -> Result<Vec<LeadershipChange>> {
        let lock = self.lock_metadata()?;
        let _guard = lock.lock(self.lock_timeout())?;
        let meta = self.meta()?;
        let names = match topic {
            Some(name) => vec![self.topic(name)?.name],
            None => self.topic_names()?,
        };
        let live = meta.live_brokers();
        let mut changes = Vec::new();
        for name in names {
            let Some(mut topic) = self.find_topic(&name)? else { continue };
            let settings = self.topic_settings(&topic)?;
            let snapshot = topic.clone();
            let job = PartitionJob { cluster: self, topic: &snapshot, config: log_config(&settings), live: &live };
            for p in 0..topic.partition_count() {
                let Some(before) = topic.partition(p).cloned() else { continue };
                if pick(&job, &meta, &before, mode).is_none() {
                    continue;
                }
                let _w = job.lock(p)?;
                let Some(old) = topic.partition(p).cloned() else { continue };
                let mut state = old.clone();
                let Some((leader, isr)) = pick(&job, &meta, &state, mode) else { continue };
                job.hand_leadership_to(&mut state, leader, isr)?;
                job.rejoin_live_replicas(&mut state, None)?;
                fault::step("elect.levelled");
                if let Some(change) = LeadershipChange::between(&name, &old, &state) {
                    job.commit(&mut topic, &state)?;
                    fault::step("elect.committed");
                    changes.push(change);
                }
            }
        }
        Ok(changes)
    }
}

/// The leader (and ISR) `mode` would give the partition, if it changes anything.
fn pick(job: &PartitionJob<'_>, meta: &ClusterMeta, p: &PartitionMeta, mode: ElectionMode) -> Option<(u32, Vec<u32>)> {
    let eligible = |b: u32| job.eligible(b, p.partition);
    match mode {
        ElectionMode::Preferred => {
            let preferred = preferred_replica_leader(&p.replicas, &p.isr, &eligible)?;
            (p.leader != Some(preferred)).then(|| (preferred, p.isr.clone()))
        }
        ElectionMode::Unclean => {
            if p.leader.is_some_and(|l| meta.is_up(l)) {
                return None;
            }
            let e = offline_election(&p.replicas, &p.isr, &eligible, true)?;
            Some((e.leader, e.isr))
        }
    }
}

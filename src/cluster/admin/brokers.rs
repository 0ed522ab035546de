//! Broker administration: adding a broker, listing brokers with what they
//! lead and host, and failing one (Kafka's controller reacting to a broker
//! that went away: it leaves every ISR, and each partition it led elects a
//! new leader or goes offline). Recovery is `broker_recover.rs`.

use std::fs;

use serde::Serialize;

use crate::cluster::handle::Cluster;
use crate::cluster::metadata::documents::{BrokerMeta, BrokerStatus, ClusterMeta};
use crate::cluster::replication::leader_change::{LeadershipChange, PartitionJob, set_leader};
use crate::cluster::rules::election::{offline_election, shrink_isr};
use crate::cluster::rules::topic_config::log_config;
use crate::error::{Error, IoContext, Reason, Result};
use crate::sys::fault;

/// One broker as `broker list` shows it (its JSON shape is in REFERENCE.md).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BrokerSummary {
    pub id: u32,
    pub status: BrokerStatus,
    /// Partitions it leads.
    pub leader_of: u32,
    /// Partition replicas it hosts.
    pub replicas: u32,
}

/// The "unknown broker" error (exit 66).
pub(crate) fn unknown_broker(meta: &ClusterMeta, id: u32) -> Error {
    let known: Vec<u32> = meta.brokers.iter().map(|b| b.id).collect();
    Error::not_found(format!("unknown broker {id}")).because(Reason::UnknownBroker { id, known })
}

impl Cluster {
    /// `broker add`: a new broker with the next id, an empty folder, up.
    /// It hosts nothing until topics are created or grown.
    pub fn add_broker(&self) -> Result<BrokerMeta> {
        let lock = self.lock_metadata()?;
        let _guard = lock.lock(self.lock_timeout())?;
        let mut meta = self.meta()?;
        let id = meta.brokers.iter().map(|b| b.id + 1).max().unwrap_or(0);
        let dir = self.layout().broker_dir(id);
        fs::create_dir_all(&dir).at("create", &dir)?;
        let broker = BrokerMeta { id, status: BrokerStatus::Up };
        meta.brokers.push(broker.clone());
        self.write_meta(&meta)?;
        Ok(broker)
    }

    /// `broker list`: every broker with the partitions it leads and hosts.
    pub fn list_brokers(&self) -> Result<Vec<BrokerSummary>> {
        let meta = self.meta()?;
        let mut out: Vec<BrokerSummary> = meta
            .brokers
            .iter()
            .map(|b| BrokerSummary { id: b.id, status: b.status, leader_of: 0, replicas: 0 })
            .collect();
        for name in self.topic_names()? {
            // A topic deleted while we list is simply not counted.
            let Some(topic) = self.find_topic(&name)? else { continue };
            for p in &topic.partitions {
                for b in out.iter_mut() {
                    if p.leader == Some(b.id) {
                        b.leader_of += 1;
                    }
                    if p.replicas.contains(&b.id) {
                        b.replicas += 1;
                    }
                }
            }
        }
        Ok(out)
    }

    /// `broker fail ID`: marks the broker down; it leaves every ISR (except
    /// as the last member, see `election.rs`), and each partition it led gets
    /// a new leader by clean election (unclean where the topic allows it) or
    /// goes offline. Returns every partition whose leader or ISR changed.
    ///
    /// The commit point is the one write of `cluster.json` marking it down:
    /// from then on no writer counts it in an ISR and no election picks it.
    /// Everything after is per-partition cleanup, each partition's topic
    /// file rewritten atomically, which running `broker fail` again (or
    /// `broker recover`, before it marks the broker up) finishes. Failing a
    /// broker that is already down and fully failed is exit 73.
    /// Failing the last broker up is allowed: its partitions go offline.
    pub fn fail_broker(&self, id: u32) -> Result<Vec<LeadershipChange>> {
        let lock = self.lock_metadata()?;
        let _guard = lock.lock(self.lock_timeout())?;
        let mut meta = self.meta()?;
        let Some(broker) = meta.brokers.iter().find(|b| b.id == id) else {
            return Err(unknown_broker(&meta, id));
        };
        let was_down = broker.status == BrokerStatus::Down;
        let mut changes = Vec::new();
        if !was_down {
            // Earlier fails cut short are finished first: then at most one
            // broker is ever down yet still listed in ISRs, and the order
            // brokers went down in — which decides the last in-sync replica
            // of a partition whose ISR is all down — is never lost.
            changes = self.finish_fail(&meta, None)?;
            if let Some(broker) = meta.brokers.iter_mut().find(|b| b.id == id) {
                broker.status = BrokerStatus::Down;
            }
            self.write_meta(&meta)?;
            fault::step("fail.marked-down");
        }
        let more = self.finish_fail(&meta, Some(id)).map_err(|e| {
            let message = format!(
                "broker {id} is down, but not every partition it led or followed has moved yet (run `runnel broker fail {id}` again to finish): {}",
                e.message
            );
            Error { message, ..e }
        })?;
        for change in more {
            merge_change(&mut changes, change);
        }
        if was_down && changes.is_empty() {
            return Err(
                Error::conflict(format!("broker {id} is already down")).because(Reason::BrokerAlreadyDown { id })
            );
        }
        Ok(changes)
    }

    /// The cleanup after brokers were marked down in `meta` (caller holds
    /// the cluster lock): every partition with a down broker in its ISR, or
    /// led by one, gets the state `broker fail` gives it. `last` is the
    /// broker that went down last (its fail is the one being finished): it
    /// leaves each ISR after the others, so that an ISR left with only down
    /// brokers keeps the one written last. Running it again changes
    /// nothing that is already done.
    pub(crate) fn finish_fail(&self, meta: &ClusterMeta, last: Option<u32>) -> Result<Vec<LeadershipChange>> {
        let live = meta.live_brokers();
        let mut down: Vec<u32> =
            meta.brokers.iter().map(|b| b.id).filter(|b| !live.contains(b) && Some(*b) != last).collect();
        down.extend(last);
        let shrink = |isr: &[u32]| down.iter().fold(isr.to_vec(), |isr, &b| shrink_isr(&isr, b));
        let mut changes = Vec::new();
        for name in self.topic_names()? {
            let Some(mut topic) = self.find_topic(&name)? else { continue };
            let affected: Vec<u32> = topic
                .partitions
                .iter()
                .filter(|p| shrink(&p.isr) != p.isr || p.leader.is_some_and(|l| !live.contains(&l)))
                .map(|p| p.partition)
                .collect();
            if affected.is_empty() {
                continue;
            }
            let settings = self.topic_settings(&topic)?;
            let snapshot = topic.clone();
            let job = PartitionJob { cluster: self, topic: &snapshot, config: log_config(&settings), live: &live };
            for p in affected {
                let _w = job.lock(p)?;
                let Some(old) = topic.partition(p).cloned() else { continue };
                let mut state = old.clone();
                let isr = shrink(&state.isr);
                if state.leader.is_none_or(|l| !job.is_live(l)) {
                    let eligible = |b: u32| job.eligible(b, p);
                    match offline_election(&state.replicas, &isr, &eligible, settings.unclean_leader_election) {
                        Some(e) => set_leader(&mut state, Some(e.leader), e.isr),
                        None => set_leader(&mut state, None, isr),
                    }
                    job.level_isr(&state)?;
                    job.rejoin_live_replicas(&mut state, None)?;
                    fault::step("fail.levelled");
                } else {
                    state.isr = isr;
                }
                if let Some(change) = LeadershipChange::between(&name, &old, &state) {
                    job.commit(&mut topic, &state)?;
                    fault::step("fail.committed");
                    changes.push(change);
                }
            }
        }
        Ok(changes)
    }
}

/// Adds `change` to `changes`, or, when an earlier step already changed
/// that partition, folds the two into one (the first's old leader, the
/// second's outcome).
pub(crate) fn merge_change(changes: &mut Vec<LeadershipChange>, change: LeadershipChange) {
    match changes.iter_mut().find(|c| c.topic == change.topic && c.partition == change.partition) {
        Some(earlier) => *earlier = LeadershipChange { old_leader: earlier.old_leader, ..change },
        None => changes.push(change),
    }
}

//! `broker recover ID`: bringing a failed broker back. It is marked up, then
//! each of its replicas, under that partition's writer lock, is made whole
//! again and rejoins the ISR:
//!
//! * a replica whose folder is gone (a lost disk) is recreated and copied
//!   from the leader;
//! * any other is cut where its log diverges from the current leader's by
//!   the leader-epoch rule (`catch_up.rs`) — so a tail written under an old
//!   epoch that the new leader never had is dropped, and a tail left by a
//!   writer killed between followers and leader is cut too — then copied up;
//! * a partition that went offline comes back by clean election when this
//!   broker was its last in-sync replica (or by unclean election where the
//!   topic allows it), and the other live replicas then catch up from it.
//!
//! Recovering a broker that is up is allowed and idempotent: it re-syncs
//! whatever of it is out of the ISR (say, after an interrupted recovery),
//! and rebuilds a replica whose folder was deleted under a running broker,
//! moving leadership away first if it led.

use serde::Serialize;

use crate::cluster::admin::brokers::{merge_change, unknown_broker};
use crate::cluster::handle::Cluster;
use crate::cluster::metadata::documents::{BrokerStatus, PartitionMeta};
use crate::cluster::replication::leader_change::{LeadershipChange, PartitionJob, join_isr, set_leader};
use crate::cluster::rules::election::{offline_election, preferred_replica_leader};
use crate::cluster::rules::topic_config::log_config;
use crate::error::{Error, IoContext, Reason, Result};
use crate::store;
use crate::sys::fault;

/// Progress of a recovery, for a progress bar: records copied so far out of
/// an estimated total (the total can grow when a divergent tail is cut).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecoverProgress {
    pub topic: String,
    pub partition: u32,
    pub copied: u64,
    pub total: u64,
}

/// What recovery did to one replica.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReplicaRecovery {
    pub topic: String,
    pub partition: u32,
    /// The folder was missing and rebuilt from the leader.
    pub rebuilt: bool,
    /// Log end offset before the divergence truncation, when one happened.
    pub truncated_from: Option<u64>,
    /// Log end offset after it.
    pub truncated_to: Option<u64>,
    pub frames_copied: u64,
    pub records_copied: u64,
    /// In the ISR afterwards (it was out of it before).
    pub rejoined_isr: bool,
    /// The partition's leader afterwards (`None`: still offline).
    pub leader: Option<u32>,
    /// Why this replica could not catch up (it stays out of the ISR; the
    /// rest of the broker still recovered).
    pub skipped: Option<String>,
    /// Why, as data (a front end adds its advice to `skipped`).
    #[serde(skip)]
    pub skipped_because: Option<Reason>,
    /// With `--repair`: the damage found in this replica, which was then
    /// dropped and rebuilt from an in-sync replica.
    pub repaired: Option<String>,
}

/// Whether `broker recover` also checks every frame of the broker's replicas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecoverMode {
    /// Cut by leader epoch and catch up (what a broker that was down needs).
    CatchUp,
    /// First verify each replica's checksums; a damaged replica is dropped
    /// and rebuilt from an in-sync replica on another broker.
    Repair,
}

/// What `broker recover` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecoverReport {
    pub broker: u32,
    /// It was down before.
    pub was_down: bool,
    pub replicas: Vec<ReplicaRecovery>,
    /// Partitions whose leader or ISR changed.
    pub changes: Vec<LeadershipChange>,
}

impl Cluster {
    /// `broker recover ID` (see the module docs). Exit 66 for an unknown broker.
    pub fn recover_broker(&self, id: u32, progress: impl FnMut(RecoverProgress)) -> Result<RecoverReport> {
        self.recover_broker_with(id, RecoverMode::CatchUp, progress)
    }

    /// `broker recover ID [--repair]`.
    pub fn recover_broker_with(
        &self,
        id: u32,
        mode: RecoverMode,
        mut progress: impl FnMut(RecoverProgress),
    ) -> Result<RecoverReport> {
        let lock = self.lock_metadata()?;
        let _guard = lock.lock(self.lock_timeout())?;
        let mut meta = self.meta()?;
        let Some(broker) = meta.brokers.iter().find(|b| b.id == id) else {
            return Err(unknown_broker(&meta, id));
        };
        let was_down = broker.status == BrokerStatus::Down;
        let mut report = RecoverReport { broker: id, was_down, replicas: Vec::new(), changes: Vec::new() };
        if was_down {
            // An interrupted `broker fail` may have left it in ISRs, where
            // writers skipped it only because it is down: finish the fail
            // first, so that marking it up (the commit point) never makes a
            // stale replica count as in sync. Writers only touch the ISR,
            // which this broker then joins partition by partition once it
            // has caught up.
            report.changes = self.finish_fail(&meta, Some(id))?;
            fault::step("recover.fail-finished");
            if let Some(broker) = meta.brokers.iter_mut().find(|b| b.id == id) {
                broker.status = BrokerStatus::Up;
            }
            self.write_meta(&meta)?;
            fault::step("recover.marked-up");
        }
        let live = meta.live_brokers();
        self.catch_up_broker(id, mode, &live, report, &mut progress).map_err(|e| {
            let message = format!(
                "broker {id} is up, but its recovery stopped before every replica caught up (run `runnel broker recover {id}` again to finish): {}",
                e.message
            );
            Error { message, ..e }
        })
    }

    /// The part of `broker recover` after the broker is marked up: each of
    /// its replicas, partition by partition, each partition's change one
    /// atomic rewrite of its topic file.
    fn catch_up_broker(
        &self,
        id: u32,
        mode: RecoverMode,
        live: &[u32],
        mut report: RecoverReport,
        progress: &mut impl FnMut(RecoverProgress),
    ) -> Result<RecoverReport> {
        let broker_dir = self.layout().broker_dir(id);
        std::fs::create_dir_all(&broker_dir).at("create", &broker_dir)?;
        let mut total = self.estimate_copy(id)?;
        let mut copied = 0u64;
        for name in self.topic_names()? {
            let Some(mut topic) = self.find_topic(&name)? else { continue };
            let settings = self.topic_settings(&topic)?;
            let snapshot = topic.clone();
            let job = PartitionJob { cluster: self, topic: &snapshot, config: log_config(&settings), live };
            let mine: Vec<u32> =
                topic.partitions.iter().filter(|p| p.replicas.contains(&id)).map(|p| p.partition).collect();
            for p in mine {
                let _w = job.lock(p)?;
                let Some(old) = topic.partition(p).cloned() else { continue };
                let repaired = match mode {
                    RecoverMode::Repair => self.drop_damaged_replica(&job, &old, id)?,
                    RecoverMode::CatchUp => None,
                };
                let mut state = old.clone();
                let unclean = settings.unclean_leader_election;
                if state.leader == Some(id) && !job.present(id, p) {
                    // It led with a replica that is gone: hand leadership over first.
                    let others: Vec<u32> = state.isr.iter().copied().filter(|&b| b != id).collect();
                    let eligible = |b: u32| b != id && job.eligible(b, p);
                    // The healthiest copy leads: the longest in-sync log.
                    let order = longest_first(&job, &state.replicas, p);
                    match offline_election(&order, &others, &eligible, unclean) {
                        Some(e) => set_leader(&mut state, Some(e.leader), e.isr),
                        None => {
                            let isr = state.isr.clone();
                            set_leader(&mut state, None, isr);
                        }
                    }
                    job.level_isr(&state)?;
                }
                if state.isr.contains(&id) && state.isr.len() > 1 && !job.present(id, p) {
                    // Its copy is gone: out of the ISR until rebuilt below. (As
                    // the last in-sync replica it stays on record, see election.rs.)
                    state.isr.retain(|&b| b != id);
                }
                if state.leader.is_none_or(|l| !job.is_live(l)) {
                    let eligible = |b: u32| job.eligible(b, p);
                    if let Some(e) = offline_election(&state.replicas, &state.isr, &eligible, unclean) {
                        set_leader(&mut state, Some(e.leader), e.isr);
                        job.level_isr(&state)?;
                    }
                }
                let mut replica = ReplicaRecovery {
                    topic: name.clone(),
                    partition: p,
                    rebuilt: false,
                    truncated_from: None,
                    truncated_to: None,
                    frames_copied: 0,
                    records_copied: 0,
                    rejoined_isr: false,
                    leader: state.leader,
                    skipped: None,
                    skipped_because: None,
                    repaired,
                };
                if state.leader.is_some_and(|l| l != id) && !state.isr.contains(&id) {
                    let caught_up = job.catch_up(&state, id, |h| {
                        copied += u64::from(h.record_count);
                        total = total.max(copied);
                        progress(RecoverProgress { topic: name.clone(), partition: p, copied, total });
                    });
                    match caught_up {
                        Ok(out) => {
                            join_isr(&mut state, id);
                            replica.rebuilt = out.rebuilt;
                            replica.truncated_from = out.truncated.map(|t| t.0);
                            replica.truncated_to = out.truncated.map(|t| t.1);
                            replica.frames_copied = out.frames_copied;
                            replica.records_copied = out.records_copied;
                            replica.rejoined_isr = true;
                            fault::step("recover.caught-up");
                        }
                        // This partition cannot be served right now (its
                        // leader's copy is gone): the others still recover.
                        Err(e) if matches!(e.reason(), Some(Reason::LeaderReplicaMissing { .. })) => {
                            replica.skipped = Some(e.message);
                            replica.skipped_because = e.reason.map(|r| *r);
                        }
                        Err(e) => return Err(e),
                    }
                } else if !old.isr.contains(&id) && state.isr.contains(&id) {
                    replica.rejoined_isr = true;
                }
                if mode == RecoverMode::Repair && state.leader.is_some_and(|l| job.is_live(l) && job.present(l, p)) {
                    // In-sync replicas shorter than the leader copy up; a
                    // leader that lost frames its followers hold takes them back.
                    job.level_isr(&state)?;
                }
                job.rejoin_live_replicas(&mut state, Some(id))?;
                // Kafka's auto.leader.rebalance.enable (on by default): a
                // partition whose preferred replica is this broker, back in
                // sync, is led by it again.
                let eligible = |b: u32| job.eligible(b, p);
                if state.leader.is_some_and(|l| l != id)
                    && preferred_replica_leader(&state.replicas, &state.isr, &eligible) == Some(id)
                {
                    let isr = state.isr.clone();
                    job.hand_leadership_to(&mut state, id, isr)?;
                }
                replica.leader = state.leader;
                if let Some(change) = LeadershipChange::between(&name, &old, &state) {
                    job.commit(&mut topic, &state)?;
                    fault::step("recover.committed");
                    merge_change(&mut report.changes, change);
                }
                report.replicas.push(replica);
            }
        }
        Ok(report)
    }

    /// With `--repair`: verifies `id`'s replica of the partition and, if a
    /// segment is damaged and another live broker holds an in-sync copy,
    /// removes it so the rest of recovery rebuilds it from the leader.
    /// Returns the damage found. A damaged copy that is the only in-sync one
    /// is kept (it is all there is) and reported as an error.
    fn drop_damaged_replica(&self, job: &PartitionJob<'_>, state: &PartitionMeta, id: u32) -> Result<Option<String>> {
        if !job.present(id, state.partition) {
            return Ok(None);
        }
        let dir = self.layout().replica_dir(id, &job.topic.name, state.partition);
        let verdict = store::verify_replica(&dir, |_| {})?;
        // Index damage is not data damage: indexes are rebuilt on their own.
        let Some(damage) = verdict.data_damage().cloned().or(self.lost_front(job, state, id, &dir)?) else {
            return Ok(None);
        };
        let what = format!("{} at byte {}: {}", damage.path.display(), damage.position, damage.what);
        // Only a copy that verifies whole may replace it.
        let healthy = |b: u32| -> Result<bool> {
            let other = self.layout().replica_dir(b, &job.topic.name, state.partition);
            Ok(store::verify_replica(&other, |_| {})?.data_damage().is_none())
        };
        let mut other_copy = false;
        for &b in state.isr.iter().filter(|&&b| b != id && job.eligible(b, state.partition)) {
            if healthy(b)? {
                other_copy = true;
                break;
            }
        }
        if !other_copy {
            return Err(Error::corrupt(&damage.path, damage.position, &damage.what)
                .because(Reason::CorruptOnlyCopy { path: damage.path.clone(), position: damage.position }));
        }
        std::fs::remove_dir_all(&dir).at("remove the damaged replica", &dir)?;
        Ok(Some(what))
    }

    /// Segments missing at the front of `id`'s replica in `dir` that another
    /// in-sync replica holds ([`store::unrecorded_front_gap`]), as a finding.
    fn lost_front(
        &self,
        job: &PartitionJob<'_>,
        state: &PartitionMeta,
        id: u32,
        dir: &std::path::Path,
    ) -> Result<Option<store::Finding>> {
        let Some((_, first)) = store::unrecorded_front_gap(dir)? else { return Ok(None) };
        for &b in state.isr.iter().filter(|&&b| b != id && job.eligible(b, state.partition)) {
            let other = self.layout().replica_dir(b, &job.topic.name, state.partition);
            if store::holds_log(&other)? && store::log_end(&other)?.start_offset < first {
                return Ok(Some(store::Finding {
                    path: dir.to_path_buf(),
                    position: 0,
                    what: format!(
                        "the log starts at offset {first} while broker {b}'s in-sync replica holds earlier offsets \
                         (a segment at its front was deleted)"
                    ),
                }));
            }
        }
        Ok(None)
    }

    /// Records the recovering broker lacks, estimated from log ends (read
    /// only, without locks): the progress bar's first total.
    fn estimate_copy(&self, id: u32) -> Result<u64> {
        let mut total = 0;
        for name in self.topic_names()? {
            let Some(topic) = self.find_topic(&name)? else { continue };
            for p in topic.partitions.iter().filter(|p| needs_copy(p, id)) {
                let Some(leader) = p.leader else { continue };
                let layout = self.layout();
                let lead = store::log_end(&layout.replica_dir(leader, &name, p.partition))?;
                let own = store::log_end(&layout.replica_dir(id, &name, p.partition))?;
                let from = own.end_offset.clamp(lead.start_offset, lead.end_offset);
                total += lead.end_offset - from;
            }
        }
        Ok(total)
    }
}

/// `replicas` with the longest logs first (a replica whose end cannot be
/// read last), keeping assignment order among equals: the order in which an
/// election after a repair looks for the healthiest copy.
fn longest_first(job: &PartitionJob<'_>, replicas: &[u32], partition: u32) -> Vec<u32> {
    let end = |b: u32| {
        let dir = job.cluster.layout().replica_dir(b, &job.topic.name, partition);
        store::log_end(&dir).map_or(0, |e| e.end_offset)
    };
    let mut order: Vec<(u64, u32)> = replicas.iter().map(|&b| (end(b), b)).collect();
    order.sort_by_key(|&(end, _)| std::cmp::Reverse(end));
    order.into_iter().map(|(_, b)| b).collect()
}

fn needs_copy(p: &PartitionMeta, id: u32) -> bool {
    p.replicas.contains(&id) && p.leader.is_some_and(|l| l != id) && !p.isr.contains(&id)
}

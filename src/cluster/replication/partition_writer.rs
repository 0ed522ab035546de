//! The writer of one partition: under the partition's lock it refreshes the
//! partition state, levels the in-sync followers with the leader, then
//! appends each frame to every follower and last to the leader. Because the
//! leader is written last, it never holds a frame an in-sync follower lacks:
//! the leader's log end *is* the high watermark (min log end over the ISR),
//! and readers, who read only the leader, never see unreplicated data.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::cluster::handle::Cluster;
use crate::cluster::metadata::documents::{ClusterMeta, PartitionMeta, TopicMeta};
use crate::cluster::replication::group_commit::{DurableMarks, Reach, Stamp};
use crate::cluster::replication::replica_sync;
use crate::cluster::rules::topic_config::TopicSettings;
use crate::cluster::rules::topic_config::log_config;
use crate::error::{Error, Reason, Result};
use crate::store::{FrameBuilder, IndexWrites, Log, PersistMode, Repair, peek_header};
use crate::sys::clock::now_ms;
use crate::sys::json_file::FileStamp;
use crate::sys::lock::{LockFile, LockGuard};

/// Kafka's producer `acks`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acks {
    /// Do not wait: written to the page cache, no fsync.
    None,
    /// The leader has it on disk.
    Leader,
    /// Every in-sync replica has it on disk; refused below `min.insync.replicas`.
    All,
}

/// Where an appended frame landed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Appended {
    pub base_offset: u64,
    pub next_offset: u64,
}

/// Appends to one partition across its in-sync replicas.
pub struct PartitionWriter {
    cluster: Cluster,
    pub(super) topic: String,
    topic_id: String,
    pub(super) partition: u32,
    pub(super) lock: LockFile,
    stamp: Option<FileStamp>,
    cluster_stamp: Option<FileStamp>,
    /// The count of metadata changes when the files were last looked at
    /// (`change_count`): while it stays, they need no look.
    changes_seen: Option<u64>,
    /// The partition's state as writers use it: a leader whose broker is
    /// down counts as none, and down brokers are left out of the ISR.
    state: PartitionMeta,
    /// The leader the topic file names, when `cluster.json` marks its
    /// broker down: a `broker fail` is moving leadership (or was
    /// interrupted doing so).
    leader_down: Option<u32>,
    pub(super) settings: TopicSettings,
    /// Open replicas in write order: followers first, the leader last.
    pub(super) replicas: Vec<(u32, Log)>,
    acks: Acks,
    pub(super) lock_timeout: Duration,
    /// When retention and compaction last ran from this writer, and the
    /// leader's roll count then: they run again on the next roll or after
    /// [`crate::cluster::replication::partition_lifecycle::CLEAN_EVERY`].
    pub(super) last_clean: Instant,
    pub(super) rolls_seen: u64,
    /// Repairs made while opening replicas, for the caller to report once.
    repairs: Vec<Repair>,
    /// The partition's shared durability record (`group_commit`), mapped
    /// at the first append; `None` then if it cannot be.
    marks: Option<Option<DurableMarks>>,
    /// The group-commit stamp of this writer's latest append, if the record took it.
    append_stamp: Option<Stamp>,
    /// The partition's lock record as this writer's latest append or open
    /// left it: the count of holds (`partition_lock`) and the latest append
    /// stamp. Taken by the next hold, put back only when an append or an
    /// open succeeds: after anything else the next hold looks again.
    left_record: Option<(u64, u64)>,
}

/// A hold of the partition lock ([`PartitionWriter::hold`]).
pub(super) struct Hold {
    /// The lock, let go when the hold is dropped.
    _guard: LockGuard,
    /// Nobody else held the lock or appended since this writer's latest
    /// append or open: its open replicas need only the cheap check.
    untouched: bool,
    /// The count of holds with this one, if the record counts them.
    holds: Option<u64>,
}

impl PartitionWriter {
    pub fn new(cluster: &Cluster, topic: &TopicMeta, partition: u32, acks: Acks) -> Result<PartitionWriter> {
        let state = topic
            .partition(partition)
            .cloned()
            .ok_or_else(|| Error::usage(format!("topic '{}' has no partition {partition}", topic.name)))?;
        Ok(PartitionWriter {
            cluster: cluster.clone(),
            topic: topic.name.clone(),
            topic_id: topic.topic_id.clone(),
            partition,
            lock: LockFile::open(&cluster.layout().partition_lock(&topic.name, partition))?,
            stamp: None,
            cluster_stamp: None,
            changes_seen: None,
            state,
            leader_down: None,
            settings: cluster.topic_settings(topic)?,
            replicas: Vec::new(),
            acks,
            lock_timeout: cluster.lock_timeout(),
            repairs: Vec::new(),
            last_clean: Instant::now(),
            rolls_seen: 0,
            marks: None,
            append_stamp: None,
            left_record: None,
        })
    }

    pub fn settings(&self) -> &TopicSettings {
        &self.settings
    }

    /// The leader replica's log start offset (what readers may see first),
    /// once a replica is open.
    pub fn log_start_offset(&self) -> Option<u64> {
        self.replicas.last().and_then(|(_, log)| log.log_start_offset().ok())
    }

    /// Repairs made so far (torn tails cut); drained by the caller.
    pub fn take_repairs(&mut self) -> Vec<Repair> {
        std::mem::take(&mut self.repairs)
    }

    /// Opens the replicas ahead of the first append (which then only
    /// refreshes them), if the partition is writable now.
    pub fn open(&mut self) -> Result<()> {
        let hold = self.hold()?;
        self.refresh_state()?;
        if self.leader_down.is_some() || self.check_writable().is_err() {
            return Ok(());
        }
        self.open_replicas(hold.untouched)?;
        self.leave_record(&hold);
        Ok(())
    }

    /// Takes the partition lock and counts the hold (`partition_lock`),
    /// telling whether the partition is untouched: the record reads as this
    /// writer's latest append or open left it — no other hold since, and
    /// no append (an older runnel does not count its holds, but stamps its
    /// appends). Without a record, or one of another layout, never.
    pub(super) fn hold(&mut self) -> Result<Hold> {
        let guard = self.lock.lock(self.lock_timeout)?;
        let lock = &self.lock;
        let marks = self.marks.get_or_insert_with(|| DurableMarks::map(lock.file())).as_ref();
        let found = marks.and_then(|m| Some((m.count_hold()?, m.latest_append()?)));
        let untouched = found.is_some() && found == self.left_record.take();
        Ok(Hold { _guard: guard, untouched, holds: found.map(|(holds, _)| holds.wrapping_add(1)) })
    }

    /// Records what this writer's append or open, under `hold`, left in the
    /// lock record, for the next hold to compare.
    fn leave_record(&mut self, hold: &Hold) {
        let latest = self.marks.as_ref().and_then(|m| m.as_ref()?.latest_append());
        self.left_record = hold.holds.zip(latest);
    }

    /// Seals `frame` at the partition's log end and appends it to every
    /// in-sync replica, followers first.
    pub fn append(&mut self, frame: &mut FrameBuilder) -> Result<Appended> {
        self.append_indexing(frame, IndexWrites::Now)
    }

    /// Writes the index entries earlier appends held back, under the
    /// partition lock; nothing (no lock taken) if none wait.
    pub fn write_deferred_index(&mut self) -> Result<()> {
        if !self.replicas.iter().any(|(_, log)| log.has_deferred_index()) {
            return Ok(());
        }
        let hold = self.hold()?;
        // A log another process changed is reopened: what it held is dropped.
        self.refresh_replicas(hold.untouched)?;
        for (_, log) in &mut self.replicas {
            log.write_index()?;
        }
        self.leave_record(&hold);
        Ok(())
    }

    /// [`PartitionWriter::append`], writing the frame's index entries as
    /// `index` says (held back ones later, by another append or
    /// [`PartitionWriter::write_deferred_index`]).
    pub fn append_indexing(&mut self, frame: &mut FrameBuilder, index: IndexWrites) -> Result<Appended> {
        self.append_frames(&mut [frame], index)
    }

    /// Seals `frames` one after the other at the partition's log end and
    /// appends them to every in-sync replica, followers first, under one
    /// hold of the lock and with one write per replica: what an append
    /// thread does with the frames of a partition that queued up while it
    /// was busy. Where they landed: the first's base offset, the last's end.
    pub fn append_frames(&mut self, frames: &mut [&mut FrameBuilder], index: IndexWrites) -> Result<Appended> {
        if frames.is_empty() {
            return Err(Error::other("internal error: an append of no frames"));
        }
        let mut hold = self.hold()?;
        self.refresh_state()?;
        if self.leader_down.is_some() {
            // A `broker fail` is moving leadership: it wrote `cluster.json`
            // and is electing partition by partition, holding the cluster
            // lock throughout and taking this partition's lock to move it.
            // Let go of the partition, wait for it to finish, look again —
            // Kafka's producer retries a NOT_LEADER error the same way.
            drop(hold);
            drop(self.cluster.lock_metadata()?.lock(self.lock_timeout)?);
            self.stamp = None;
            self.changes_seen = None;
            hold = self.hold()?;
            self.refresh_state()?;
        }
        self.check_writable()?;
        self.open_replicas(hold.untouched)?;
        let leader_epoch = self.state.leader_epoch;
        let Some((_, leader)) = self.replicas.last() else {
            return Err(self.offline());
        };
        let base_offset = leader.next_offset();
        let mut next_offset = base_offset;
        let mut headers = Vec::with_capacity(frames.len());
        for frame in frames.iter_mut() {
            if self.settings.log_append_time {
                frame.set_log_append_time(now_ms());
            }
            // Sealing just computed the checksum: only the header is read back.
            let Ok(header) = peek_header(frame.seal(next_offset, leader_epoch)) else {
                return Err(Error::other("internal error: a sealed frame has no valid header"));
            };
            next_offset = header.next_offset();
            headers.push(header);
        }
        let sealed: Vec<_> = frames.iter().map(|frame| frame.sealed()).zip(headers).collect();
        for (_, log) in &mut self.replicas {
            log.append_frames(&sealed, index)?;
        }
        let cleaned = self.clean_if_due()?;
        self.stamp_append();
        // A clean changed the logs other than by this append: the next
        // hold looks again. So does one after an append the record could
        // not stamp.
        if !cleaned && self.append_stamp.is_some() {
            self.leave_record(&hold);
        }
        Ok(Appended { base_offset, next_offset })
    }

    /// What was appended to the open replicas and not yet written back,
    /// for a thread that starts writing it (a head start for the sync):
    /// each replica's range once it is `at_least` bytes long.
    pub fn take_write_backs(&mut self, at_least: u64) -> Vec<crate::store::WriteBack> {
        self.replicas.iter_mut().filter_map(|(_, log)| log.take_write_back(at_least)).collect()
    }

    /// Stamps the append just made in the partition's shared record (the
    /// partition lock is held): which files it went to.
    fn stamp_append(&mut self) {
        let lock = &self.lock;
        let marks = self.marks.get_or_insert_with(|| DurableMarks::map(lock.file()));
        let files: Vec<_> = self.replicas.iter().map(|(broker, log)| (*broker, log.active_file_id())).collect();
        self.append_stamp = marks.as_ref().and_then(|m| m.record_append(&files));
    }

    /// How far `acks` asks a sync to reach; `None` for no sync.
    fn reach(&self) -> Option<Reach> {
        match self.acks {
            Acks::None => None,
            Acks::Leader => Some(Reach::Leader),
            Acks::All => Some(Reach::All),
        }
    }

    /// Makes what this writer appended durable on the replicas `acks` names:
    /// at once if another process's fsync covered it, else after waiting
    /// for the sync in flight on this partition (it may cover it), else by
    /// syncing the files itself and recording how far that reached
    /// (`group_commit`). Never with the partition lock held.
    pub fn sync(&mut self) -> Result<()> {
        match self.begin_sync(true)? {
            SyncStep::Done => Ok(()),
            SyncStep::Sync(plan) => {
                let result = crate::store::sync_all_parallel(self.logs_to_sync());
                self.end_sync(plan, &result);
                result
            }
        }
    }

    /// The first half of a sync: done already (covered), or what to record
    /// once the files are synced. `wait`: wait for another process's sync
    /// in flight rather than sync alongside it (never while holding the
    /// turn of another partition: there is no deadlock detection).
    pub fn begin_sync(&mut self, wait: bool) -> Result<SyncStep> {
        let Some(reach) = self.reach() else { return Ok(SyncStep::Done) };
        if !self.replicas.iter().any(|(_, log)| log.has_unsynced()) {
            return Ok(SyncStep::Done);
        }
        let (Some(Some(marks)), Some(stamp)) = (&self.marks, self.append_stamp) else {
            return Ok(SyncStep::Sync(SyncPlan { turn: None, vouched: None, reach }));
        };
        let mut turn = None;
        if !marks.covered(stamp, reach) {
            turn = if wait { marks.wait_turn() } else { marks.try_turn() };
        }
        if marks.covered(stamp, reach) {
            for (_, log) in &mut self.replicas {
                log.mark_synced()?;
            }
            return Ok(SyncStep::Done);
        }
        // Read before the fsync: what the fsync will have made durable.
        let vouched = Some(marks.vouch_from(stamp));
        Ok(SyncStep::Sync(SyncPlan { turn, vouched, reach }))
    }

    /// The second half: records what the sync made durable (or that it failed).
    pub fn end_sync(&mut self, plan: SyncPlan, result: &Result<()>) {
        if let Some(Some(marks)) = &self.marks {
            match (result, plan.vouched) {
                (Ok(()), Some(vouched)) => marks.advance(plan.reach, vouched),
                (Err(_), _) => marks.suspect(),
                _ => {}
            }
        }
        drop(plan.turn);
    }

    /// Each open replica with how durable `acks` asks it to be, for a caller
    /// that syncs many partitions at once.
    pub fn logs_to_sync(&mut self) -> Vec<(&mut Log, PersistMode)> {
        let modes = self.sync_modes();
        self.replicas.iter_mut().map(|(_, log)| log).zip(modes).collect()
    }

    /// [`PartitionWriter::logs_to_sync`], the logs taken out of the writer:
    /// closed once synced and dropped, and reopened if it appends again.
    fn take_logs_to_sync(&mut self) -> Vec<(Log, PersistMode)> {
        let modes = self.sync_modes();
        std::mem::take(&mut self.replicas).into_iter().map(|(_, log)| log).zip(modes).collect()
    }

    /// How durable `acks` asks each open replica to be, in write order (the
    /// leader last).
    fn sync_modes(&self) -> impl Iterator<Item = PersistMode> + use<> {
        let (acks, n) = (self.acks, self.replicas.len());
        (0..n).map(move |i| persist_mode(acks, i, n))
    }

    /// Re-reads the topic file and `cluster.json` if either changed since
    /// the last lock hold. While the shared count of metadata changes stays
    /// where it was at the last look, neither did, and the files are not
    /// looked at (see `change_count`).
    pub(super) fn refresh_state(&mut self) -> Result<()> {
        // Read before the files are: a change after this moves it.
        let changes = self.cluster.settled_metadata_changes();
        if changes.is_some() && changes == self.changes_seen {
            return Ok(());
        }
        self.changes_seen = None;
        let (snapshot, (cluster_stamp, cluster_meta)) = self.cluster.metadata_at(changes, &self.topic)?;
        let stamp = snapshot.as_ref().map(|(stamp, _)| *stamp);
        if stamp.is_some() && stamp == self.stamp && Some(cluster_stamp) == self.cluster_stamp {
            self.changes_seen = changes;
            return Ok(());
        }
        let Some((_, meta)) = snapshot.filter(|(_, m)| m.topic_id == self.topic_id) else {
            return Err(Error::not_found(format!("topic '{}' was deleted", self.topic)));
        };
        let state = meta
            .partition(self.partition)
            .cloned()
            .ok_or_else(|| Error::not_found(format!("partition {} of '{}' is gone", self.partition, self.topic)))?;
        self.leader_down = state.leader.filter(|&l| !cluster_meta.is_up(l));
        let state = without_down_brokers(state, &cluster_meta);
        if state.write_order() != self.state.write_order() || self.replicas.is_empty() {
            self.replicas.clear();
        }
        self.settings = self.cluster.topic_settings(&meta)?;
        for (_, log) in &mut self.replicas {
            log.set_config(log_config(&self.settings));
        }
        self.state = state;
        self.stamp = stamp;
        self.cluster_stamp = Some(cluster_stamp);
        self.changes_seen = changes;
        Ok(())
    }

    pub(super) fn offline(&self) -> Error {
        Error::unavailable(format!(
            "partition {} of '{}' has no leader (its replicas' brokers are down)",
            self.partition, self.topic
        ))
        .because(Reason::Offline { topic: self.topic.clone(), partition: self.partition })
    }

    fn check_writable(&self) -> Result<()> {
        if self.state.leader.is_none() {
            return Err(self.offline());
        }
        let min_isr = self.settings.min_insync_replicas as usize;
        if self.acks == Acks::All && self.state.isr.len() < min_isr {
            return Err(Error::unavailable(format!(
                "partition {} of '{}' has {} in-sync replicas, fewer than min.insync.replicas={min_isr}",
                self.partition,
                self.topic,
                self.state.isr.len()
            ))
            .because(Reason::NotEnoughReplicas {
                topic: self.topic.clone(),
                partition: self.partition,
                isr: self.state.isr.len(),
                min_isr,
            }));
        }
        Ok(())
    }

    /// Opens (or refreshes) every replica in write order and levels the
    /// followers with the leader. `untouched` ([`Hold`]): an open replica
    /// only needs its cheap check ([`Log::refresh_untouched`]).
    pub(super) fn open_replicas(&mut self, untouched: bool) -> Result<()> {
        let order = self.state.write_order().ok_or_else(|| self.offline())?;
        let config = log_config(&self.settings);
        if self.replicas.is_empty() {
            let leader = self.state.leader.unwrap_or_default();
            let leader_dir = self.cluster.layout().replica_dir(leader, &self.topic, self.partition);
            let Some(leader_log) = Log::open_existing(&leader_dir, config)? else {
                // Its disk was lost: opening it would create an empty log
                // and levelling would then empty the followers.
                return Err(lost_leader_replica(&self.topic, self.partition, leader, &leader_dir));
            };
            // All or nothing: a follower that fails to open must not leave
            // the others behind, the last of them then taken for the leader
            // by the next append (a failed open ahead is retried there).
            let mut replicas = Vec::with_capacity(order.len());
            for broker in order.into_iter().filter(|&b| b != leader) {
                let dir = self.cluster.layout().replica_dir(broker, &self.topic, self.partition);
                let (log, repair) = Log::open(&dir, config, 0)?;
                self.repairs.extend(repair);
                replicas.push((broker, log));
            }
            let (log, repair) = leader_log;
            self.repairs.extend(repair);
            replicas.push((leader, log));
            self.replicas = replicas;
        } else {
            self.refresh_replicas(untouched)?;
        }
        let Some(((_, leader), followers)) = self.replicas.split_last_mut() else {
            return Ok(());
        };
        if followers.iter().any(|(_, f)| f.next_offset() != leader.next_offset()) {
            let mut followers: Vec<&mut Log> = followers.iter_mut().map(|(_, f)| f).collect();
            replica_sync::level_all(leader, &mut followers)?;
        }
        Ok(())
    }

    /// Brings every open replica up to date (`untouched`: only the cheap
    /// check, see [`Log::refresh_untouched`]), keeping the repairs made.
    fn refresh_replicas(&mut self, untouched: bool) -> Result<()> {
        for (_, log) in &mut self.replicas {
            let repair = if untouched { log.refresh_untouched()? } else { log.refresh()? };
            self.repairs.extend(repair);
        }
        Ok(())
    }
}

/// Where a sync stands after its first half ([`PartitionWriter::begin_sync`]).
pub enum SyncStep {
    /// Nothing to sync, or another process's fsync covered it.
    Done,
    /// Sync [`PartitionWriter::logs_to_sync`], then call [`PartitionWriter::end_sync`].
    Sync(SyncPlan),
}

/// What to record after a sync.
pub struct SyncPlan {
    turn: Option<crate::cluster::replication::group_commit::SyncTurn>,
    vouched: Option<Stamp>,
    reach: Reach,
}

/// Syncs many writers at once, as `produce` does at its end and when it
/// closes writers, then closes their segment files (each writer keeps its
/// lock and record, and reopens its replicas if it appends again): the
/// ones covered are done at once; the others' logs, every replica of
/// every writer, are synced by a pool of threads (several fsyncs in
/// flight, [`crate::store::each_in_parallel`]), each log closed by the
/// thread that synced it while the other fsyncs wait on the device; then
/// each writer records what its own fsyncs made durable. No wait for other
/// processes: with several partitions' turns held, waiting could deadlock.
pub fn sync_and_close_writers(writers: Vec<&mut PartitionWriter>) -> Result<()> {
    if writers.len() == 1 {
        return writers.into_iter().try_for_each(|w| {
            let synced = w.sync();
            w.replicas.clear();
            synced
        });
    }
    let mut result = Ok(());
    let mut syncing = Vec::new();
    let mut logs = Vec::new();
    for writer in writers {
        match writer.begin_sync(false) {
            Ok(SyncStep::Sync(plan)) => {
                let i = syncing.len();
                logs.extend(writer.take_logs_to_sync().into_iter().map(|(log, mode)| (i, log, mode)));
                syncing.push((writer, plan));
            }
            Ok(SyncStep::Done) => writer.replicas.clear(),
            Err(e) => result = result.and(Err(e)),
        }
    }
    // Each writer's first failure, if any: what its record is told.
    let outcomes: Vec<Mutex<Result<()>>> = syncing.iter().map(|_| Mutex::new(Ok(()))).collect();
    let pool = crate::store::each_in_parallel(logs, |(i, mut log, mode)| {
        crate::sys::fault::step("produce.final-sync");
        if let Err(e) = log.sync(mode)
            && let Ok(mut outcome) = outcomes[i].lock()
            && outcome.is_ok()
        {
            *outcome = Err(e);
        }
        Ok(())
    });
    for ((writer, plan), outcome) in syncing.into_iter().zip(outcomes) {
        let outcome =
            outcome.into_inner().unwrap_or_else(|_| Err(Error::other("internal error: a sync thread failed")));
        writer.end_sync(plan, &outcome);
        result = result.and(outcome);
    }
    result.and(pool)
}

/// How durable `acks` asks replica `i` of `n` (the leader last) to be.
fn persist_mode(acks: Acks, i: usize, n: usize) -> PersistMode {
    match acks {
        Acks::None => PersistMode::Buffer,
        Acks::Leader if i + 1 != n => PersistMode::Buffer,
        Acks::Leader | Acks::All => PersistMode::SyncData,
    }
}

/// The state a writer acts on: a broker that is down is never read or
/// written, even if an interrupted `broker fail` left it in the ISR.
fn without_down_brokers(mut state: PartitionMeta, cluster: &ClusterMeta) -> PartitionMeta {
    if state.leader.is_some_and(|l| !cluster.is_up(l)) {
        state.leader = None;
    }
    state.isr.retain(|&b| cluster.is_up(b));
    state
}

/// A partition whose leader's replica folder is gone (a lost disk): exit 69
/// for writers and readers alike, never an empty partition, until `broker
/// recover` moves leadership to an in-sync replica and rebuilds it.
pub fn lost_leader_replica(topic: &str, partition: u32, leader: u32, dir: &std::path::Path) -> Error {
    Error::unavailable(format!(
        "partition {partition} of '{topic}' has lost its leader's replica ({} is missing)",
        dir.display()
    ))
    .because(Reason::LeaderReplicaLost { topic: topic.to_string(), partition, leader, dir: dir.to_path_buf() })
}

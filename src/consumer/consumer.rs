//! The consumer: a set of partition fetchers over one or more topics,
//! delivering fairly (one frame per partition per turn; strictly in offset
//! order within a partition) to a sink. `poll` does one round; `run` loops
//! until the partitions are drained (or forever with `follow`), waking on
//! file changes instead of sleeping a fixed interval. Group membership
//! drives the same consumer by changing its assignment between polls.

use std::path::PathBuf;
use std::time::Duration;

use super::fetch::{Fetched, PartitionFetcher};
use super::group::AutoOffsetReset;
use super::lost_front;
use super::position::Position;
use super::sink::RecordSink;
use super::topic_view::TopicView;
use super::truncation::{Checked, check_position};
use super::wake::Wakeup;
use crate::cluster::replication::partition_writer::lost_leader_replica;
use crate::cluster::{Cluster, ClusterMeta};
use crate::error::{Error, Reason, Result};
use crate::store;
use crate::sys::json_file::FileStamp;

/// Longest wait between looks at the metadata while following.
const MAX_WAIT: Duration = Duration::from_millis(500);

/// Where a consumer stops reading a partition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Until {
    /// Never: keeps waiting for new records (`--follow`).
    Never,
    /// The log end offset as it was when the partition was assigned.
    End,
    /// Before this offset.
    Offset(u64),
    /// This many records before the log end as it was when assigned.
    FromEnd(u64),
    /// Before the first record stamped at or after this time (ms); once
    /// the clock passes it, a caught-up partition is done.
    Time(i64),
}

/// What a round of polling found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PollState {
    /// Records were delivered (or skipped): poll again.
    Progress(u64),
    /// Every partition is caught up with its high watermark.
    Idle,
    /// Every partition reached where it was to stop.
    Finished,
}

/// Why `run` returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// Every partition reached the end it had when the consumer started.
    CaughtUp,
    /// `--max-messages` records were delivered.
    CountReached,
    /// `--timeout`: nothing arrived for that long.
    Idle,
}

/// A partition's leader log as one look found it ([`Consumer::look`]): its
/// bounds, and what [`Consumer::assign_in`] starts from without looking again.
pub struct LogLook {
    topic: String,
    state: crate::cluster::PartitionMeta,
    leader: u32,
    dir: PathBuf,
    log: store::LogEnd,
    /// The leader's segments as the look found them: the partition's
    /// reader opens from them instead of listing the folder again.
    listing: store::SegmentListing,
}

impl LogLook {
    /// The log's start and end offsets.
    pub fn bounds(&self) -> (u64, u64) {
        (self.log.start_offset, self.log.end_offset)
    }
}

/// Reads a set of partitions.
pub struct Consumer {
    cluster: Cluster,
    topics: Vec<TopicView>,
    fetchers: Vec<(usize, PartitionFetcher)>,
    /// `(topic index, partition)` of every fetcher, so that assigning one of
    /// many thousands of partitions does not scan them all.
    assigned: std::collections::HashSet<(usize, u32)>,
    cursor: usize,
    delivered: u64,
    max_messages: Option<u64>,
    wakeup: Wakeup,
    /// `cluster.json` as last read, to tell which brokers are down.
    brokers: Option<(Option<FileStamp>, ClusterMeta)>,
    /// Fetchers (the first ones) that may keep their segment file open
    /// between fetches, within the soft limit on open files; the others
    /// close it after each fetch, so no reader needs a descriptor per
    /// partition.
    max_open_readers: usize,
    /// How a truncated log under a position is handled (`truncation`).
    reset: AutoOffsetReset,
    /// Prints a warning line.
    warn: fn(&str),
    /// When the leader replicas were last checked to be there (caught up,
    /// at most once per [`MAX_WAIT`]).
    replicas_checked: std::time::Instant,
}

impl Consumer {
    pub fn new(cluster: &Cluster) -> Consumer {
        Consumer {
            cluster: cluster.clone(),
            topics: Vec::new(),
            fetchers: Vec::new(),
            assigned: std::collections::HashSet::new(),
            cursor: 0,
            delivered: 0,
            max_messages: None,
            wakeup: Wakeup::new(),
            brokers: None,
            max_open_readers: crate::sys::descriptors::fitting(1, 1),
            reset: AutoOffsetReset::default(),
            warn: |_| {},
            replicas_checked: std::time::Instant::now(),
        }
    }

    /// How a log truncated under a position (an unclean election) is
    /// handled: resume at the divergence point and print a `warn` line, or,
    /// with `AutoOffsetReset::None`, fail (see `truncation`).
    pub fn on_truncation(&mut self, reset: AutoOffsetReset, warn: fn(&str)) {
        self.reset = reset;
        self.warn = warn;
    }

    /// Checks a committed position (`offset`, after a record of leader
    /// `epoch`) against the partition's current leader (see `truncation`).
    pub fn check_position(&mut self, topic: &str, partition: u32, offset: u64, epoch: u32) -> Result<Checked> {
        let t = self.topic_index(topic)?;
        let state = self.partition_state(t, partition)?;
        check_position(&self.cluster, &state, (topic, partition), (offset, epoch), self.reset)
    }

    /// Prints a warning line the way this consumer was told to.
    pub fn warn(&self, line: &str) {
        (self.warn)(line);
    }

    pub fn cluster(&self) -> &Cluster {
        &self.cluster
    }

    /// Stops after this many records in all.
    pub fn set_max_messages(&mut self, max: Option<u64>) {
        self.max_messages = max;
    }

    pub fn delivered(&self) -> u64 {
        self.delivered
    }

    /// The topic's metadata, read once and then followed.
    pub fn topic(&mut self, name: &str) -> Result<&TopicView> {
        let index = self.topic_index(name)?;
        Ok(&self.topics[index])
    }

    fn topic_index(&mut self, name: &str) -> Result<usize> {
        if let Some(i) = self.topics.iter().position(|t| t.meta().name == name) {
            return Ok(i);
        }
        let view = TopicView::open(&self.cluster, name)?;
        self.wakeup.watch(&self.cluster.layout().topics_dir());
        self.topics.push(view);
        Ok(self.topics.len() - 1)
    }

    /// Starts reading `topic:partition` at `from`; without `follow` it stops
    /// at the log end as it is now (like `cat`). Returns the start offset.
    pub fn assign(&mut self, topic: &str, partition: u32, from: Position, follow: bool) -> Result<u64> {
        let until = if follow { Until::Never } else { Until::End };
        self.assign_until(topic, partition, from, until)
    }

    /// Starts reading `topic:partition` at `from` and stops where `until` says.
    pub fn assign_until(&mut self, topic: &str, partition: u32, from: Position, until: Until) -> Result<u64> {
        self.assign_after(topic, partition, from, None, until)
    }

    /// Starts reading `topic:partition` at `from`, whose previous record has
    /// leader `epoch` (a commit's), stopping where `until` says.
    pub fn assign_after(
        &mut self,
        topic: &str,
        partition: u32,
        from: Position,
        epoch: Option<u32>,
        until: Until,
    ) -> Result<u64> {
        let look = self.look(topic, partition)?;
        self.assign_in(look, from, epoch, until)
    }

    /// [`Consumer::assign_after`] for the partition `look` looked at, from
    /// what it found (a group member looks once at each partition it takes:
    /// its bounds decide where it starts).
    pub fn assign_in(&mut self, look: LogLook, from: Position, epoch: Option<u32>, until: Until) -> Result<u64> {
        let (start, end) = self.position_in(&look, from)?;
        let (stop, stop_time) = match until {
            Until::Never => (None, None),
            Until::End => (Some(end), None),
            Until::Offset(n) => (Some(n), None),
            Until::FromEnd(n) => (Some(end.saturating_sub(n)), None),
            Until::Time(ms) => (None, Some(ms)),
        };
        // The epoch belongs to the position asked for; clamped elsewhere, it is unknown.
        let epoch = epoch.filter(|_| from == Position::Offset(start));
        let fetcher = PartitionFetcher::new(&look.topic, look.state.partition, start, stop)
            .stop_at_time(stop_time)
            .with_epoch(epoch)
            .on_truncation(self.reset, self.warn)
            .listed(look.leader, look.listing);
        self.add(fetcher)?;
        Ok(start)
    }

    /// Starts reading every partition of `topic` at `from`, stopping where
    /// `until` says.
    pub fn assign_topic(&mut self, topic: &str, from: Position, until: Until) -> Result<()> {
        let count = self.topic(topic)?.meta().partition_count();
        (0..count).try_for_each(|p| self.assign_until(topic, p, from, until).map(drop))
    }

    fn add(&mut self, fetcher: PartitionFetcher) -> Result<()> {
        let (topic, partition) = (fetcher.topic().to_string(), fetcher.partition());
        let topic = topic.as_str();
        let t = self.topic_index(topic)?;
        let state = self.partition_state(t, partition)?;
        if let Some(leader) = state.leader {
            self.wakeup.watch(&self.cluster.layout().replica_dir(leader, topic, partition));
        }
        if !self.assigned.insert((t, partition)) {
            self.fetchers.retain(|(i, f)| !(*i == t && f.partition() == partition));
        }
        self.fetchers.push((t, fetcher));
        Ok(())
    }

    /// Stops reading `topic:partition`; returns its position.
    pub fn unassign(&mut self, topic: &str, partition: u32) -> Option<u64> {
        let i = self.fetchers.iter().position(|(_, f)| f.topic() == topic && f.partition() == partition)?;
        let (t, fetcher) = self.fetchers.remove(i);
        self.assigned.remove(&(t, partition));
        Some(fetcher.next_offset())
    }

    /// `(topic, partition, next offset)` of every assigned partition.
    pub fn positions(&self) -> Vec<(String, u32, u64)> {
        self.fetchers.iter().map(|(_, f)| (f.topic().to_string(), f.partition(), f.next_offset())).collect()
    }

    /// The offset `position` names in `topic:partition` (read from its
    /// leader) and the log end, without consuming: `topic offsets`.
    pub fn offset_of(&mut self, topic: &str, partition: u32, position: Position) -> Result<(u64, u64)> {
        let look = self.look(topic, partition)?;
        self.position_in(&look, position)
    }

    /// Looks at `topic:partition`'s leader log (one listing of its folder):
    /// an error if the partition is offline, its leader down or its log lost.
    pub fn look(&mut self, topic: &str, partition: u32) -> Result<LogLook> {
        let t = self.topic_index(topic)?;
        let mut state = self.partition_state(t, partition)?;
        self.refresh_brokers()?;
        if state.leader.is_some_and(|l| !self.is_up(l)) {
            self.settle()?;
            state = self.partition_state(t, partition)?;
        }
        let Some(leader) = state.leader else {
            return Err(super::fetch::offline(topic, partition));
        };
        if !self.is_up(leader) {
            return Err(down_leader(topic, partition, leader));
        }
        let dir = self.cluster.layout().replica_dir(leader, topic, partition);
        let (log, listing) = store::log_end_listed(&dir)?;
        if log.segments == 0 {
            // A lost disk reads as nothing: an error, never an empty partition.
            return Err(lost_leader_replica(topic, partition, leader, &dir));
        }
        Ok(LogLook { topic: topic.to_string(), state, leader, dir, log, listing })
    }

    /// The start offset `from` names in the log `look` found, and its end
    /// ([`Consumer::offset_of`] without looking again).
    pub fn position_in(&self, look: &LogLook, from: Position) -> Result<(u64, u64)> {
        let log = &look.log;
        let start = match from {
            Position::Beginning => log.start_offset,
            Position::End => log.end_offset,
            Position::Offset(n) => n.clamp(log.start_offset, log.end_offset),
            Position::FromEnd(n) => log.end_offset.saturating_sub(n).max(log.start_offset),
            Position::FromStart(n) => log.start_offset.saturating_add(n).min(log.end_offset),
            Position::Time(ms) => store::offset_for_timestamp(&look.dir, ms)?.unwrap_or(log.end_offset),
        };
        self.check_front(&look.state, look.leader, &look.topic, from, log)?;
        Ok((start, log.end_offset))
    }

    /// Fails when the leader lost offsets at its log's front that an
    /// in-sync replica holds and `from` names one of them (as the start,
    /// an offset, or counted from an end that reaches them) rather than
    /// starting after them.
    fn check_front(
        &self,
        state: &crate::cluster::PartitionMeta,
        leader: u32,
        topic: &str,
        from: Position,
        log: &store::LogEnd,
    ) -> Result<()> {
        let first = log.first_segment_base;
        if from == Position::End || !log.front_unrecorded {
            return Ok(());
        }
        let Some((held_by, held)) = lost_front::held_elsewhere(&self.cluster, state, leader, topic, first)? else {
            return Ok(());
        };
        let wanted = match from {
            Position::Beginning => held,
            Position::FromStart(n) => held.saturating_add(n),
            Position::End => log.end_offset,
            Position::Offset(n) => n.max(held),
            Position::FromEnd(n) => log.end_offset.saturating_sub(n).max(held),
            Position::Time(ms) => {
                let other = self.cluster.layout().replica_dir(held_by, topic, state.partition);
                store::offset_for_timestamp(&other, ms)?.unwrap_or(log.end_offset)
            }
        };
        if wanted < first {
            return Err(lost_front::damage(&self.cluster, leader, topic, state.partition, first, held_by));
        }
        Ok(())
    }

    fn partition_state(&self, topic: usize, partition: u32) -> Result<crate::cluster::PartitionMeta> {
        let meta = self.topics[topic].meta();
        meta.partition(partition).cloned().ok_or_else(|| {
            Error::usage(format!(
                "topic '{}' has no partition {partition} (it has partitions 0 to {})",
                meta.name,
                meta.partition_count().saturating_sub(1)
            ))
        })
    }

    fn remaining(&self) -> u64 {
        self.max_messages.map_or(u64::MAX, |m| m.saturating_sub(self.delivered))
    }

    /// One round over the partitions: at most one frame from each.
    pub fn poll(&mut self, sink: &mut dyn RecordSink) -> Result<PollState> {
        let n = self.fetchers.len();
        let mut progress = 0;
        let mut any_progress = false;
        let mut all_finished = true;
        let mut refreshed = false;
        for step in 0..n {
            let limit = self.remaining();
            if limit == 0 {
                return Ok(PollState::Finished);
            }
            let i = (self.cursor + step) % n;
            let t = self.fetchers[i].0;
            let state = self.partition_state(t, self.fetchers[i].1.partition())?;
            let (_, fetcher) = &mut self.fetchers[i];
            let mut outcome = match fetcher.fetch_frame(&self.cluster, &state, sink, limit) {
                Ok(outcome) => outcome,
                Err(e) if !e.is_output_closed() && self.leadership_moved(t, &state)? => {
                    // The log may have been cut under the reader (its leader
                    // followed an unclean one): read again as the new epoch says.
                    refreshed = true;
                    let state = self.partition_state(t, self.fetchers[i].1.partition())?;
                    self.fetchers[i].1.fetch_frame(&self.cluster, &state, sink, limit)?
                }
                Err(e) => return Err(e),
            };
            if outcome == Fetched::CaughtUp && !refreshed {
                // Caught up: has the leader moved? Look once per round.
                refreshed = true;
                if self.refresh_topics()? {
                    let state = self.partition_state(t, self.fetchers[i].1.partition())?;
                    outcome = self.fetchers[i].1.fetch_frame(&self.cluster, &state, sink, limit)?;
                }
            }
            if i >= self.max_open_readers {
                // Past the fetchers that may keep a segment file open.
                self.fetchers[i].1.release_reader();
            }
            match outcome {
                Fetched::Records(r) => {
                    progress += r;
                    self.delivered += r;
                    any_progress = true;
                    all_finished = false;
                }
                Fetched::CaughtUp => all_finished = false,
                Fetched::Finished => {}
            }
        }
        self.cursor = (self.cursor + 1) % n.max(1);
        if !any_progress && !all_finished && self.replicas_checked.elapsed() >= MAX_WAIT {
            self.check_leader_replicas()?;
            self.replicas_checked = std::time::Instant::now();
        }
        Ok(if all_finished {
            PollState::Finished
        } else if any_progress {
            PollState::Progress(progress)
        } else {
            PollState::Idle
        })
    }

    /// Caught up everywhere (looked at most once per [`MAX_WAIT`]): is every
    /// leader replica still there? A lost one (its folder gone or emptied)
    /// would otherwise read as a partition with nothing new, forever (exit
    /// 69 instead, as at the start).
    fn check_leader_replicas(&self) -> Result<()> {
        for (t, f) in self.fetchers.iter().filter(|(_, f)| !f.is_finished()) {
            let Some(leader) = self.topics[*t].meta().partition(f.partition()).and_then(|p| p.leader) else {
                continue;
            };
            let dir = self.cluster.layout().replica_dir(leader, f.topic(), f.partition());
            if !store::holds_log(&dir)? {
                return Err(lost_leader_replica(f.topic(), f.partition(), leader, &dir));
            }
        }
        Ok(())
    }

    /// After a failed read: re-reads the metadata and says whether the
    /// partition's leader or leader epoch differs from `before`.
    fn leadership_moved(&mut self, topic: usize, before: &crate::cluster::PartitionMeta) -> Result<bool> {
        if !self.refresh_topics()? {
            return Ok(false);
        }
        let now = self.partition_state(topic, before.partition)?;
        Ok(now.leader != before.leader || now.leader_epoch != before.leader_epoch)
    }

    /// Re-reads `cluster.json` if it changed.
    fn refresh_brokers(&mut self) -> Result<bool> {
        let stamp = FileStamp::of(&self.cluster.layout().cluster_file());
        if self.brokers.as_ref().is_some_and(|(known, _)| *known == stamp && stamp.is_some()) {
            return Ok(false);
        }
        let meta = self.cluster.meta()?;
        self.brokers = Some((stamp, meta));
        Ok(true)
    }

    /// Whether `broker` is up, as `cluster.json` said when last read.
    fn is_up(&self, broker: u32) -> bool {
        self.brokers.as_ref().is_none_or(|(_, meta)| meta.is_up(broker))
    }

    /// A leader's broker is marked down but the topic still names it: a
    /// `broker fail` is moving leadership right now. Waits for it (it holds
    /// the cluster lock throughout), then re-reads the metadata. This is the
    /// one place a reader takes a lock, and only in this rare case.
    fn settle(&mut self) -> Result<()> {
        let lock = self.cluster.lock_metadata()?;
        drop(lock.lock(self.cluster.lock_timeout())?);
        self.brokers = None;
        self.refresh_brokers()?;
        for view in &mut self.topics {
            view.refresh(&self.cluster)?;
        }
        Ok(())
    }

    /// The first assigned partition whose leader's broker is down.
    fn read_from_down_broker(&self) -> Option<(String, u32, u32)> {
        self.fetchers.iter().find_map(|(t, f)| {
            let leader = self.topics[*t].meta().partition(f.partition())?.leader?;
            (!self.is_up(leader)).then(|| (f.topic().to_string(), f.partition(), leader))
        })
    }

    /// Re-reads changed topic files (and `cluster.json`: a consumer never
    /// reads a leader whose broker is down); watches new leaders. Returns
    /// whether anything changed.
    fn refresh_topics(&mut self) -> Result<bool> {
        let mut changed = false;
        for view in &mut self.topics {
            changed |= view.refresh(&self.cluster)?;
        }
        if self.refresh_brokers()? && self.read_from_down_broker().is_some() {
            self.settle()?;
            changed = true;
            if let Some((topic, partition, leader)) = self.read_from_down_broker() {
                return Err(down_leader(&topic, partition, leader));
            }
        }
        if changed {
            for (t, f) in &self.fetchers {
                if let Some(leader) = self.topics[*t].meta().partition(f.partition()).and_then(|p| p.leader) {
                    self.wakeup.watch(&self.cluster.layout().replica_dir(leader, f.topic(), f.partition()));
                }
            }
        }
        Ok(changed)
    }

    /// Whether every partition stops at a time the clock has passed (so,
    /// caught up, nothing earlier can still arrive).
    fn past_stop_times(&self) -> bool {
        let now = crate::sys::clock::now_ms();
        !self.fetchers.is_empty()
            && self.fetchers.iter().all(|(_, f)| f.is_finished() || f.stop_time().is_some_and(|t| t <= now))
    }

    /// Waits until something may have changed, at most `timeout`.
    pub fn wait(&mut self, timeout: Duration) {
        self.wakeup.wait(timeout.min(MAX_WAIT));
    }

    /// Watches an extra folder (a group's state) so `wait` wakes on it.
    pub fn watch(&mut self, dir: &std::path::Path) {
        self.wakeup.watch(dir);
    }

    /// Delivers until every partition is drained (or, with `idle_timeout`,
    /// until nothing arrived for that long), flushing the sink whenever the
    /// consumer is about to wait.
    pub fn run(&mut self, sink: &mut dyn RecordSink, idle_timeout: Option<Duration>) -> Result<StopReason> {
        let mut idle_since = std::time::Instant::now();
        loop {
            if self.remaining() == 0 {
                sink.flush().map_err(Error::output)?;
                return Ok(StopReason::CountReached);
            }
            match self.poll(sink)? {
                PollState::Progress(_) => idle_since = std::time::Instant::now(),
                PollState::Finished => {
                    sink.flush().map_err(Error::output)?;
                    return Ok(if self.remaining() == 0 { StopReason::CountReached } else { StopReason::CaughtUp });
                }
                PollState::Idle => {
                    sink.flush().map_err(Error::output)?;
                    if self.past_stop_times() {
                        return Ok(StopReason::CaughtUp);
                    }
                    let waited = idle_since.elapsed();
                    let left = match idle_timeout {
                        Some(limit) if waited >= limit => return Ok(StopReason::Idle),
                        Some(limit) => limit - waited,
                        None => MAX_WAIT,
                    };
                    self.wait(left);
                }
            }
        }
    }
}

/// The error for a partition whose leader's broker is down though no
/// `broker fail` is moving leadership (one was interrupted).
fn down_leader(topic: &str, partition: u32, leader: u32) -> Error {
    Error::unavailable(format!(
        "partition {partition} of '{topic}' has no leader up (its leader, broker {leader}, is down)"
    ))
    .because(Reason::LeaderDown { topic: topic.to_string(), partition, leader })
}

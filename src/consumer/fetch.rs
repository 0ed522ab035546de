//! Fetching one partition: reads whole, verified frames from the partition's
//! current leader replica and delivers their records in offset order. The
//! leader is written last by every writer, so everything it holds is below
//! the high watermark; a reader never takes the writer's lock and stops at
//! the first frame that is not whole yet. When leadership moves (a new
//! leader, or a new leader epoch), the fetcher
//! checks its position against the new leader's epoch history
//! (`truncation`) and reopens on it at the same offset: no gap, no repeat —
//! unless an unclean election truncated the log under it, where it resumes
//! at the first offset known to diverge, with a warning.

use std::time::{Duration, Instant};

use crate::cluster::{Cluster, PartitionMeta};
use crate::error::{Error, Reason, Result};
use crate::store::{LogReader, SegmentListing};

use super::group::AutoOffsetReset;
use super::sink::RecordSink;
use super::truncation::{Checked, check_position};

/// What one fetch step did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fetched {
    /// This many records were delivered.
    Records(u64),
    /// Nothing new below the high watermark right now.
    CaughtUp,
    /// The partition reached the offset it was to stop at.
    Finished,
}

/// The read position of one partition.
pub struct PartitionFetcher {
    topic: String,
    partition: u32,
    next_offset: u64,
    stop_at: Option<u64>,
    /// Stop at the first record stamped at or after this time (ms).
    stop_time: Option<i64>,
    leader: Option<u32>,
    /// The partition's leader epoch when `reader` was opened on `leader`.
    leader_epoch: Option<u32>,
    reader: Option<LogReader>,
    /// When the reader first stopped at a damaged frame below `stop_at`.
    damaged_since: Option<(u64, Instant)>,
    /// The leader epoch of the record before `next_offset`, when known.
    epoch: Option<u32>,
    /// What a truncation with no divergence point known falls back to.
    reset: AutoOffsetReset,
    /// Prints a warning line (a truncation detected).
    warn: fn(&str),
    /// A leader's segments as a look just found them, for the first reader
    /// opened on that leader (taken by it).
    listed: Option<(u32, SegmentListing)>,
}

/// How long a frame below the offset a reader must reach may fail its
/// checksum before it is damage rather than a write in progress.
const DAMAGE_GRACE: Duration = Duration::from_secs(1);

impl PartitionFetcher {
    /// A fetcher that delivers offsets from `next_offset` up to (not
    /// including) `stop_at`, or forever when `stop_at` is `None`.
    pub fn new(topic: &str, partition: u32, next_offset: u64, stop_at: Option<u64>) -> Self {
        PartitionFetcher {
            topic: topic.to_string(),
            partition,
            next_offset,
            stop_at,
            stop_time: None,
            leader: None,
            leader_epoch: None,
            reader: None,
            damaged_since: None,
            epoch: None,
            reset: AutoOffsetReset::default(),
            warn: |_| {},
            listed: None,
        }
    }

    /// The segments a look at `leader`'s replica just found: the first
    /// reader opened on that leader starts from them (one listing of the
    /// folder per partition taken, not two).
    pub fn listed(mut self, leader: u32, listing: SegmentListing) -> Self {
        self.listed = Some((leader, listing));
        self
    }

    /// The leader epoch of the record before the start offset (of a commit).
    pub fn with_epoch(mut self, epoch: Option<u32>) -> Self {
        self.epoch = epoch;
        self
    }

    /// How a detected truncation is handled and reported.
    pub fn on_truncation(mut self, reset: AutoOffsetReset, warn: fn(&str)) -> Self {
        self.reset = reset;
        self.warn = warn;
        self
    }

    /// The leader epoch of the record before [`PartitionFetcher::next_offset`].
    pub fn epoch(&self) -> Option<u32> {
        self.epoch
    }

    /// Also stops at the first record stamped at or after `ms`.
    pub fn stop_at_time(mut self, ms: Option<i64>) -> Self {
        self.stop_time = ms;
        self
    }

    /// The time this fetcher stops at, if any.
    pub fn stop_time(&self) -> Option<i64> {
        self.stop_time
    }

    pub fn topic(&self) -> &str {
        &self.topic
    }

    pub fn partition(&self) -> u32 {
        self.partition
    }

    /// The next offset this fetcher will deliver (Kafka's position; what a
    /// group commits once everything before it was flushed).
    pub fn next_offset(&self) -> u64 {
        self.next_offset
    }

    pub fn is_finished(&self) -> bool {
        self.stop_at.is_some_and(|stop| self.next_offset >= stop)
    }

    /// Closes the open segment file (and drops what was read ahead); the
    /// next fetch reopens at the position. A consumer of more partitions
    /// than it may hold files open for does this after each fetch.
    pub fn release_reader(&mut self) {
        self.reader = None;
    }

    /// The broker whose replica this fetcher reads, once it has read.
    pub fn leader(&self) -> Option<u32> {
        self.leader
    }

    /// Delivers the records of at most one frame (and at most `limit`
    /// records) to `sink`, reading the leader named by `state`.
    pub fn fetch_frame(
        &mut self,
        cluster: &Cluster,
        state: &PartitionMeta,
        sink: &mut dyn RecordSink,
        limit: u64,
    ) -> Result<Fetched> {
        if self.is_finished() || limit == 0 {
            return Ok(Fetched::Finished);
        }
        let Some(leader) = state.leader else {
            return Err(offline(&self.topic, self.partition));
        };
        // The caller's view may be older than what this fetcher learnt from the log.
        let leader = match self.leader {
            Some(known) if self.leader_epoch.is_some_and(|e| state.leader_epoch < e) => known,
            _ => leader,
        };
        let moved = self.leader_epoch.is_some_and(|known| state.leader_epoch > known);
        if self.leader != Some(leader) || moved || self.reader.is_none() {
            if moved || self.leader.is_some_and(|old| old != leader) {
                // A new leader, or the same one in a new epoch (it may have
                // followed an unclean leader in between and been cut back).
                self.check_after_leader_change(cluster, state)?;
            }
            let dir = cluster.layout().replica_dir(leader, &self.topic, self.partition);
            let reader = match self.listed.take() {
                Some((listed, listing)) if listed == leader && self.leader.is_none() => {
                    LogReader::open_listed(&dir, self.next_offset, listing)?
                }
                _ => LogReader::open(&dir, self.next_offset)?,
            };
            super::lost_front::check_skipped(cluster, state, leader, &self.topic, reader.skipped_front())?;
            self.reader = Some(reader);
            self.leader = Some(leader);
            self.leader_epoch = Some(state.leader_epoch);
        }
        let Some(reader) = self.reader.as_mut() else {
            return Ok(Fetched::CaughtUp);
        };
        let Some(frame) = reader.next_frame()? else {
            return self.caught_up_or_damaged();
        };
        let header = frame.header;
        if self.leader_epoch.is_some_and(|known| header.leader_epoch > known) {
            // A frame of a newer leader than the metadata this reader was
            // opened under: the log may have been cut and rewritten under it.
            return self.reopen_with_fresh_metadata(cluster, header.leader_epoch);
        }
        sink.begin_frame(&self.topic, self.partition, header.leader_epoch);
        let mut delivered = 0;
        for record in frame.records() {
            let record = record.map_err(|bad| {
                Error::corrupt(
                    reader_path(cluster, leader, &self.topic, self.partition).as_path(),
                    bad.position_in_frame as u64,
                    format!("a record in the frame at offset {} does not decode", header.base_offset),
                )
            })?;
            if record.offset < self.next_offset {
                continue;
            }
            if self.stop_time.is_some_and(|t| record.timestamp >= t) {
                self.stop_at = Some(record.offset);
            }
            if self.stop_at.is_some_and(|stop| record.offset >= stop) || delivered == limit {
                break;
            }
            sink.write(&self.topic, self.partition, &record).map_err(Error::output)?;
            self.next_offset = record.offset + 1;
            self.epoch = Some(header.leader_epoch);
            delivered += 1;
        }
        if delivered == limit && header.last_offset() >= self.next_offset {
            // Stopped inside the frame: the reader is past it, so reopen at
            // the position next time.
            self.reader = None;
        } else if !self.is_finished() {
            // Offsets may have gaps (compaction): the frame's end is the position.
            self.next_offset = self.next_offset.max(header.next_offset());
            if let Some(stop) = self.stop_at {
                self.next_offset = self.next_offset.min(stop);
            }
        }
        Ok(if delivered > 0 {
            Fetched::Records(delivered)
        } else if self.is_finished() {
            Fetched::Finished
        } else {
            Fetched::Records(0)
        })
    }
}

impl PartitionFetcher {
    /// A new leader: is the position still in its log's history? (See
    /// `truncation`.)
    fn check_after_leader_change(&mut self, cluster: &Cluster, state: &PartitionMeta) -> Result<()> {
        let Some(epoch) = self.epoch else {
            return Ok(());
        };
        let at = (self.next_offset, epoch);
        if let Checked::Resume { offset, epoch, warning } =
            check_position(cluster, state, (&self.topic, self.partition), at, self.reset)?
        {
            (self.warn)(&warning);
            self.next_offset = offset;
            self.epoch = epoch;
            self.reader = None;
        }
        Ok(())
    }

    /// Re-reads the partition's metadata (the caller's is older than the
    /// log), checks the position against it and reopens the reader.
    fn reopen_with_fresh_metadata(&mut self, cluster: &Cluster, seen_epoch: u32) -> Result<Fetched> {
        let meta = cluster.topic(&self.topic)?;
        let Some(state) = meta.partition(self.partition) else {
            return Err(offline(&self.topic, self.partition));
        };
        self.check_after_leader_change(cluster, state)?;
        self.reader = None;
        self.leader = state.leader;
        self.leader_epoch = Some(state.leader_epoch.max(seen_epoch));
        Ok(Fetched::Records(0))
    }

    /// Caught up, unless the reader is stuck at a damaged frame below the
    /// offset it must reach: that stays a wait for a moment (a writer may be
    /// mid-append), then it is corruption (exit 74).
    fn caught_up_or_damaged(&mut self) -> Result<Fetched> {
        let damaged = self.reader.as_ref().and_then(|r| r.damaged_tail()).cloned();
        let Some(tail) = damaged.filter(|_| self.stop_at.is_some_and(|stop| self.next_offset < stop)) else {
            self.damaged_since = None;
            return Ok(Fetched::CaughtUp);
        };
        match self.damaged_since {
            Some((pos, since)) if pos == tail.position && since.elapsed() >= DAMAGE_GRACE => {
                Err(Error::corrupt(&tail.path, tail.position, tail.damage)
                    .because(Reason::CorruptTail { path: tail.path.clone(), position: tail.position }))
            }
            Some((pos, _)) if pos == tail.position => Ok(Fetched::CaughtUp),
            _ => {
                self.damaged_since = Some((tail.position, Instant::now()));
                Ok(Fetched::CaughtUp)
            }
        }
    }
}

fn reader_path(cluster: &Cluster, leader: u32, topic: &str, partition: u32) -> std::path::PathBuf {
    cluster.layout().replica_dir(leader, topic, partition)
}

/// The error for a partition with no leader.
pub fn offline(topic: &str, partition: u32) -> Error {
    Error::unavailable(format!("partition {partition} of '{topic}' has no leader (its in-sync replicas are down)"))
        .because(Reason::Offline { topic: topic.to_string(), partition })
}

//! Fetching one partition: reads whole, verified frames from the partition's
//! current leader replica and delivers their records in offset order. The
//! leader is written last by every writer, so everything it holds is below
//! the high watermark; a reader never takes the writer's lock and stops at
//! the first frame that is not whole yet. When leadership moves, the fetcher
//! reopens on the new leader at the same offset: no gap, no repeat.

use std::time::{Duration, Instant};

use crate::cluster::{Cluster, PartitionMeta};
use crate::error::{Error, Reason, Result};
use crate::store::LogReader;

use super::sink::RecordSink;

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
    reader: Option<LogReader>,
    /// When the reader first stopped at a damaged frame below `stop_at`.
    damaged_since: Option<(u64, Instant)>,
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
            reader: None,
            damaged_since: None,
        }
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
        if self.leader != Some(leader) || self.reader.is_none() {
            let dir = cluster.layout().replica_dir(leader, &self.topic, self.partition);
            self.reader = Some(LogReader::open(&dir, self.next_offset)?);
            self.leader = Some(leader);
        }
        let Some(reader) = self.reader.as_mut() else {
            return Ok(Fetched::CaughtUp);
        };
        let Some(frame) = reader.next_frame()? else {
            return self.caught_up_or_damaged();
        };
        let header = frame.header;
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

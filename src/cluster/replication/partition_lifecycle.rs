//! The log lifecycle of one partition, on every in-sync replica under the
//! partition's writer lock: retention (segments past `retention.ms` /
//! `retention.bytes` or below the log start offset), compaction
//! (`cleanup.policy=compact`) and `topic trim` (raising the log start
//! offset, Kafka's delete-records). The high watermark is the leader's log
//! end (followers are written first), so nothing at or above it is touched.
//!
//! Runs on demand (`runnel log clean`, `runnel topic trim`) and from the
//! append path when the leader rolls a segment or at most every
//! [`CLEAN_EVERY`] per writer — never a directory scan per batch.

use std::time::{Duration, Instant};

use crate::cluster::handle::Cluster;
use crate::cluster::metadata::documents::TopicMeta;
use crate::cluster::replication::partition_writer::{Acks, PartitionWriter};
use crate::cluster::rules::topic_config::TopicSettings;
use crate::error::{Error, Result};
use crate::store::{CompactPolicy, Compacted, RetentionPolicy, offset_for_timestamp};
use crate::sys::clock::now_ms;

/// Longest time a busy writer goes without a retention pass.
pub const CLEAN_EVERY: Duration = Duration::from_secs(30);

/// Where `topic trim` moves the log start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrimPoint {
    /// Records below this offset go; above the high watermark it is
    /// refused, as Kafka's delete-records refuses it (`OffsetOutOfRange`).
    Offset(u64),
    /// Every record below the high watermark goes (Kafka's offset -1).
    HighWatermark,
    /// Records stamped before this time (ms) go.
    Time(i64),
    /// All but the last N records below the high watermark go.
    KeepLast(u64),
}

/// What a pass did on one partition, summed over its replicas.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct PartitionCleaned {
    pub topic: String,
    pub partition: u32,
    pub replicas: usize,
    /// The leader's log start before and after.
    pub log_start_before: u64,
    pub log_start: u64,
    pub high_watermark: u64,
    pub segments_deleted: usize,
    pub bytes_deleted: u64,
    pub segments_compacted: usize,
    pub records_compacted: u64,
}

/// Kafka's `PolicyViolation` for delete-records on a topic that is only compacted.
fn trim_refused_by_policy(topic: &str) -> Error {
    Error::usage(format!(
        "cannot trim topic '{topic}': its cleanup.policy is compact, and records of a compacted topic are removed only by compaction (Kafka's PolicyViolation)"
    ))
}

/// Kafka's `OffsetOutOfRange` for delete-records past the high watermark.
pub fn trim_above_high_watermark(topic: &str, partition: u32, offset: u64, hw: u64) -> Error {
    Error::usage(format!(
        "cannot trim {topic}-{partition} before offset {offset}: it is above the high watermark {hw} (Kafka's OffsetOutOfRange); nothing was trimmed"
    ))
}

fn retention_policy(s: &TopicSettings) -> RetentionPolicy {
    RetentionPolicy { delete: s.cleanup_delete, retention_ms: s.retention_ms, retention_bytes: s.retention_bytes }
}

fn compact_policy(s: &TopicSettings) -> CompactPolicy {
    CompactPolicy { delete_retention_ms: s.delete_retention_ms, min_compaction_lag_ms: s.min_compaction_lag_ms }
}

impl PartitionWriter {
    /// Opens a writer just for a lifecycle pass (no `acks` check).
    pub fn for_maintenance(cluster: &Cluster, topic: &TopicMeta, partition: u32) -> Result<PartitionWriter> {
        PartitionWriter::new(cluster, topic, partition, Acks::Leader)
    }

    /// `runnel log clean`: retention and, for compacted topics, a full
    /// compaction pass on every in-sync replica.
    pub fn clean(&mut self) -> Result<PartitionCleaned> {
        // Counted; the next append looks at the logs again (`hold`).
        let _hold = self.hold()?;
        self.prepare()?;
        self.clean_locked(true, None)
    }

    /// `runnel topic trim`: raises the log start offset on every in-sync
    /// replica, then deletes the segments wholly below it. Refused, as by
    /// Kafka, on a topic whose `cleanup.policy` lacks `delete`, and for an
    /// offset above the high watermark.
    pub fn trim(&mut self, point: TrimPoint) -> Result<PartitionCleaned> {
        if !self.settings.cleanup_delete {
            return Err(trim_refused_by_policy(&self.topic));
        }
        // Counted; the next append looks at the logs again (`hold`).
        let _hold = self.hold()?;
        self.prepare()?;
        let Some((_, leader)) = self.replicas.last() else { return Err(self.offline()) };
        let hw = leader.next_offset();
        let target = match point {
            TrimPoint::Offset(offset) if offset > hw => {
                return Err(trim_above_high_watermark(&self.topic, self.partition, offset, hw));
            }
            TrimPoint::Offset(offset) => offset,
            TrimPoint::HighWatermark => hw,
            TrimPoint::Time(ms) => offset_for_timestamp(leader.dir(), ms)?.unwrap_or(hw).min(hw),
            TrimPoint::KeepLast(n) => hw.saturating_sub(n),
        };
        self.clean_locked(false, Some(target))
    }

    fn prepare(&mut self) -> Result<()> {
        self.refresh_state()?;
        self.open_replicas(false)
    }

    /// From the append path (lock held): a pass when the leader rolled a
    /// segment since the last one, or [`CLEAN_EVERY`] has passed; whether
    /// it ran.
    pub(super) fn clean_if_due(&mut self) -> Result<bool> {
        let rolls = self.replicas.last().map_or(0, |(_, l)| l.rolls());
        if rolls == self.rolls_seen && self.last_clean.elapsed() < CLEAN_EVERY {
            return Ok(false);
        }
        self.clean_locked(false, None)?;
        Ok(true)
    }

    /// One pass over the open replicas (lock held, followers levelled):
    /// adopt the leader's log start (or `trim_to`), retention, compaction
    /// (every cleanable segment if `force`, else only when enough is dirty).
    fn clean_locked(&mut self, force: bool, trim_to: Option<u64>) -> Result<PartitionCleaned> {
        self.last_clean = Instant::now();
        self.rolls_seen = self.replicas.last().map_or(0, |(_, l)| l.rolls());
        let Some((_, leader)) = self.replicas.last() else { return Err(self.offline()) };
        let hw = leader.next_offset();
        let log_start_before = leader.log_start_offset()?;
        // The followers adopt the start the leader recorded (a trim, its
        // retention), never its first segment's base: segments lost at the
        // leader's front are damage to repair from them, not a new start.
        let recorded = crate::store::log_start_checkpoint(leader.dir())?.unwrap_or(0).min(log_start_before);
        let start = trim_to.map_or(recorded, |t| t.max(recorded));
        let (retention, compaction) = (retention_policy(&self.settings), compact_policy(&self.settings));
        let compact = self.settings.cleanup_compact;
        let now = now_ms();
        let mut out = PartitionCleaned {
            topic: self.topic.clone(),
            partition: self.partition,
            replicas: self.replicas.len(),
            log_start_before,
            high_watermark: hw,
            ..PartitionCleaned::default()
        };
        for (_, log) in &mut self.replicas {
            log.advance_log_start(start)?;
            let retained = log.apply_retention(&retention, now, hw)?;
            out.segments_deleted += retained.deleted_segments.len();
            out.bytes_deleted += retained.deleted_bytes;
            if compact && (force || log.compaction_due(&compaction, now, hw)?) {
                let done: Compacted = log.compact(&compaction, now, hw)?;
                out.segments_compacted += done.segments_rewritten;
                out.records_compacted += done.records_removed;
            }
        }
        out.log_start = self.replicas.last().map(|(_, l)| l.log_start_offset()).transpose()?.unwrap_or(start);
        Ok(out)
    }
}

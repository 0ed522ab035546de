//! The partition writers one append thread keeps open, bounded so that a
//! producer to thousands of partitions never runs out of file descriptors:
//! each writer holds its partition's lock file and three segment files per
//! replica. Past the bound (derived from the soft limit on open files,
//! `sys::descriptors::fitting`), the least recently used writers are made
//! as durable as `--acks` asks — the fsync the end of `produce` would have
//! given them — and closed; a partition that gets frames again is reopened
//! at its next append (lock, refresh, level), as any writer is.

use std::collections::HashMap;

use crate::cluster::replication::partition_writer::PartitionWriter;
use crate::error::Result;

/// Writers by partition, at most `cap` of them open. A map of the open ones
/// only: a slot per partition would cost a topic of 100,000 partitions
/// ~100 MB per append thread for the few hundred writers open at once.
pub struct OpenWriters {
    /// The open writers, each with when it was last used (a tick of this set).
    open: HashMap<u32, (PartitionWriter, u64)>,
    partitions: u32,
    tick: u64,
    cap: usize,
    closed: u64,
}

impl OpenWriters {
    /// Room for `partitions` partitions, at most `cap` (at least one) open at once.
    pub fn new(partitions: usize, cap: usize) -> OpenWriters {
        OpenWriters {
            open: HashMap::new(),
            partitions: u32::try_from(partitions).unwrap_or(u32::MAX),
            tick: 0,
            cap: cap.max(1),
            closed: 0,
        }
    }

    /// The open writer of `partition`, if there is one (counts as a use).
    pub fn get(&mut self, partition: u32) -> Option<&mut PartitionWriter> {
        let (writer, last_used) = self.open.get_mut(&partition)?;
        self.tick += 1;
        *last_used = self.tick;
        Some(writer)
    }

    /// Whether `partition`'s writer is open.
    pub fn is_open(&self, partition: u32) -> bool {
        self.open.contains_key(&partition)
    }

    /// Keeps `writer` open for `partition`, first closing the least
    /// recently used writers if the bound is reached. A failure to make a
    /// closing writer durable is returned (and `writer` is dropped).
    pub fn insert(&mut self, partition: u32, writer: PartitionWriter) -> Result<&mut PartitionWriter> {
        if partition >= self.partitions {
            return Err(crate::error::Error::other(format!("internal error: no partition {partition}")));
        }
        if !self.open.contains_key(&partition) && self.open.len() >= self.cap {
            self.close_least_recent()?;
        }
        self.tick += 1;
        let slot = self.open.entry(partition).insert_entry((writer, self.tick)).into_mut();
        Ok(&mut slot.0)
    }

    /// Writers closed so far to stay within the bound.
    pub fn closed(&self) -> u64 {
        self.closed
    }

    /// Closes the least recently used half of the open writers (at least
    /// one), syncing them together first.
    fn close_least_recent(&mut self) -> Result<()> {
        let mut open: Vec<(u64, u32)> = self.open.iter().map(|(&p, (_, used))| (*used, p)).collect();
        let count = (open.len() / 2).max(1).min(open.len());
        if count == 0 {
            return Ok(());
        }
        if count < open.len() {
            open.select_nth_unstable(count);
        }
        let mut closing: Vec<PartitionWriter> =
            open[..count].iter().filter_map(|(_, p)| self.open.remove(p)).map(|(w, _)| w).collect();
        self.closed += closing.len() as u64;
        // Write-backs not handed over yet are superseded by the fsync.
        for writer in &mut closing {
            drop(writer.take_write_backs(0));
            writer.write_deferred_index()?;
        }
        crate::cluster::replication::partition_writer::sync_and_close_writers(closing.iter_mut().collect())
    }

    /// Every writer still open, for the final sync.
    pub fn into_writers(self) -> Vec<PartitionWriter> {
        self.open.into_values().map(|(w, _)| w).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::replication::partition_writer::Acks;
    use crate::cluster::{Cluster, TopicSpec};
    use crate::store::{FrameBuilder, RecordParts};

    fn frame(value: &[u8]) -> FrameBuilder {
        let mut f = FrameBuilder::new();
        f.push(&RecordParts { timestamp: 1, key: None, value: Some(value), headers: &[], header_count: 0 });
        f
    }

    #[test]
    fn at_most_cap_writers_stay_open_and_closed_ones_reopen_where_they_left_off() {
        let dir = tempfile::tempdir().expect("tempdir");
        let cluster = Cluster::open(dir.path(), std::time::Duration::from_secs(5)).expect("cluster");
        let spec = TopicSpec { name: "t".into(), partitions: 6, replication_factor: 1, config: Vec::new() };
        let topic = cluster.create_topic(&spec).expect("topic");
        let mut writers = OpenWriters::new(6, 2);
        for round in 0..3u8 {
            for p in 0..6u32 {
                if !writers.is_open(p) {
                    let writer = PartitionWriter::new(&cluster, &topic, p, Acks::All).expect("writer");
                    writers.insert(p, writer).expect("insert");
                }
                let appended = writers.get(p).expect("open").append(&mut frame(&[round])).expect("append");
                assert_eq!(appended.base_offset, u64::from(round), "partition {p} round {round}");
                assert!(writers.open.len() <= 2);
            }
        }
        assert!(writers.closed() >= 12, "closed {}", writers.closed());
        for w in &mut writers.into_writers() {
            w.sync().expect("sync");
        }
    }
}

//! Appending whole records to a data dir's topic (`mirror`'s target) and
//! the committed offsets of a group read and written from outside it
//! (`mirror`'s own group on its source).

use std::collections::BTreeMap;

use crate::backend::{AppendRecords, GroupOffsets, check_record_partition};
use crate::cluster::replication::partition_writer::Acks;
use crate::cluster::{Cluster, TopicMeta};
use crate::consumer::group::{commit_outside, committed_offsets};
use crate::error::{Error, Result};
use crate::producer::{Producer, ProducerOptions};
use crate::store::{Record, RecordParts};

/// A [`Producer`] with `acks=all`, made anew after each sync (finishing a
/// producer is what makes its partitions durable).
pub struct DataDirRecords {
    cluster: Cluster,
    topic: TopicMeta,
    producer: Option<Producer>,
}

impl DataDirRecords {
    pub fn new(cluster: Cluster, topic: TopicMeta) -> DataDirRecords {
        DataDirRecords { cluster, topic, producer: None }
    }

    fn producer(&mut self) -> Result<&mut Producer> {
        if self.producer.is_none() {
            let options = ProducerOptions { acks: Acks::All, ..ProducerOptions::default() };
            self.producer = Some(Producer::new(&self.cluster, self.topic.clone(), options)?);
        }
        // Set just above.
        self.producer.as_mut().ok_or_else(|| Error::other("internal error: no producer"))
    }
}

impl AppendRecords for DataDirRecords {
    fn append(&mut self, partition: u32, record: &Record<'_>) -> Result<()> {
        check_record_partition(&self.topic, partition)?;
        let (headers, header_count) = record.headers.raw();
        let parts =
            RecordParts { timestamp: record.timestamp, key: record.key, value: record.value, headers, header_count };
        let name = self.topic.name.clone();
        match self.producer()?.send_record(partition, &parts)? {
            Ok(_) => Ok(()),
            Err(text) => Err(Error::bad_input(format!("{name}:{partition} offset {}: {text}", record.offset))),
        }
    }

    fn sync(&mut self) -> Result<()> {
        match self.producer.take() {
            Some(mut producer) => producer.finish().map(drop),
            None => Ok(()),
        }
    }
}

/// A data dir's group offsets, committed under the group lock.
pub struct DataDirOffsets {
    pub cluster: Cluster,
    pub group: String,
}

impl GroupOffsets for DataDirOffsets {
    fn committed(&mut self, topics: &[TopicMeta]) -> Result<BTreeMap<(String, u32), u64>> {
        Ok(committed_offsets(&self.cluster, &self.group)?
            .into_iter()
            .filter(|(t, _, _)| topics.iter().any(|m| &m.name == t))
            .map(|(t, p, o)| ((t, p), o))
            .collect())
    }

    fn commit(&mut self, offsets: &[(String, u32, u64)]) -> Result<()> {
        commit_outside(&self.cluster, &self.group, offsets)
    }
}

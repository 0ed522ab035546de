//! Idempotent producers of one partition (Kafka's `ProducerStateManager`):
//! per producer id its epoch and its last five batches' sequence ranges and
//! offsets. A batch whose sequences match one of those is a retry and gets
//! the offsets it got the first time, appended nothing; a gap in the
//! sequence is OUT_OF_ORDER_SEQUENCE_NUMBER; an older epoch is
//! INVALID_PRODUCER_EPOCH. The table is kept in
//! `<data-dir>/serve/producers/<topic-id>/<partition>.json`, rewritten
//! (atomically, durably) after each idempotent append, so a restarted
//! `runnel serve` still knows every producer's last batches.

use std::collections::{BTreeMap, VecDeque};
use std::path::PathBuf;

use kafka_protocol::ResponseError;
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::serve::records::decode::Batch;
use crate::sys::json_file;

/// Batches remembered per producer, as Kafka's `NUM_BATCHES_TO_RETAIN`.
const BATCHES_KEPT: usize = 5;

/// One appended batch of a producer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeqBatch {
    pub first_seq: i32,
    pub last_seq: i32,
    pub base_offset: i64,
    /// The batch's max timestamp as appended (-1 in a table written before
    /// it was kept).
    #[serde(default = "no_timestamp")]
    pub max_timestamp: i64,
}

fn no_timestamp() -> i64 {
    -1
}

/// A producer as DescribeProducers shows it (Kafka's `ProducerState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActiveProducer {
    pub producer_id: i64,
    pub epoch: i16,
    pub last_sequence: i32,
    pub last_timestamp: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Producer {
    epoch: i16,
    batches: VecDeque<SeqBatch>,
}

/// What to do with a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Append it (it carries no producer id, or is next in sequence).
    Append,
    /// A retry of a batch appended at this base offset.
    Duplicate(i64),
    Refuse(ResponseError),
}

/// The producers of one partition, and where they are kept.
#[derive(Debug)]
pub struct ProducerTable {
    path: PathBuf,
    producers: BTreeMap<i64, Producer>,
}

impl ProducerTable {
    /// The table kept at `path` (empty if there is none).
    pub fn load(path: PathBuf) -> Result<ProducerTable> {
        let producers = json_file::read(&path)?.unwrap_or_default();
        Ok(ProducerTable { path, producers })
    }

    pub fn check(&self, batch: &Batch) -> Check {
        if batch.producer_id < 0 {
            return Check::Append;
        }
        let Some(known) = self.producers.get(&batch.producer_id) else {
            // A producer not seen before (or expired): any first sequence.
            return Check::Append;
        };
        if batch.producer_epoch < known.epoch {
            return Check::Refuse(ResponseError::InvalidProducerEpoch);
        }
        if batch.producer_epoch > known.epoch {
            return if batch.base_sequence == 0 {
                Check::Append
            } else {
                Check::Refuse(ResponseError::OutOfOrderSequenceNumber)
            };
        }
        let (first, last) = (batch.base_sequence, batch.last_sequence());
        if let Some(seen) = known.batches.iter().find(|b| b.first_seq == first && b.last_seq == last) {
            return Check::Duplicate(seen.base_offset);
        }
        let next = known.batches.back().map_or(0, |b| if b.last_seq == i32::MAX { 0 } else { b.last_seq + 1 });
        if first == next || known.batches.is_empty() {
            Check::Append
        } else {
            Check::Refuse(ResponseError::OutOfOrderSequenceNumber)
        }
    }

    /// The producers with a batch in the table, by id.
    pub fn active(&self) -> Vec<ActiveProducer> {
        self.producers
            .iter()
            .filter_map(|(&producer_id, p)| {
                let last = p.batches.back()?;
                Some(ActiveProducer {
                    producer_id,
                    epoch: p.epoch,
                    last_sequence: last.last_seq,
                    last_timestamp: last.max_timestamp,
                })
            })
            .collect()
    }

    /// Notes an appended batch, stamped `max_timestamp` (no-op without a
    /// producer id).
    pub fn record(&mut self, batch: &Batch, base_offset: i64, max_timestamp: i64) {
        if batch.producer_id < 0 {
            return;
        }
        let producer = self.producers.entry(batch.producer_id).or_default();
        if producer.epoch != batch.producer_epoch {
            producer.epoch = batch.producer_epoch;
            producer.batches.clear();
        }
        producer.batches.push_back(SeqBatch {
            first_seq: batch.base_sequence,
            last_seq: batch.last_sequence(),
            base_offset,
            max_timestamp,
        });
        while producer.batches.len() > BATCHES_KEPT {
            producer.batches.pop_front();
        }
    }

    /// Writes the table to its file.
    pub fn save(&self) -> Result<()> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| crate::error::Error::io("create", dir, e))?;
        }
        json_file::write(&self.path, &self.producers)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A table written before batches kept their timestamp still loads
    /// (the timestamp unknown, -1), and shows each producer's last batch.
    #[test]
    fn a_table_without_timestamps_loads_and_shows_its_producers() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("0.json");
        let old = r#"{"42": {"epoch": 3, "batches": [
            {"first_seq": 0, "last_seq": 4, "base_offset": 0},
            {"first_seq": 5, "last_seq": 9, "base_offset": 5}]}}"#;
        std::fs::write(&path, old).expect("write");
        let table = ProducerTable::load(path).expect("load");
        let shown = ActiveProducer { producer_id: 42, epoch: 3, last_sequence: 9, last_timestamp: -1 };
        assert_eq!(table.active(), vec![shown]);
    }
}

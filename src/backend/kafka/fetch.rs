//! Reading Kafka partitions by position, as `consume` does on a data dir:
//! each position (beginning, end, offset, -N, a time) resolved against the
//! partition's watermarks or Kafka's ListOffsets by time, each `--until`
//! into a stop offset or time, then a consumer with `assign()` (no group,
//! nothing committed) polled until every partition reached its stop,
//! `--max-messages`, or `--timeout` passed with nothing new.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use rdkafka::Message as _;
use rdkafka::consumer::{BaseConsumer, Consumer as _, DefaultConsumerContext};
use rdkafka::error::KafkaError;
use rdkafka::{Offset, TopicPartitionList};

use super::config::KafkaTarget;
use super::{errors, records};
use crate::backend::Fetch;
use crate::consumer::{Position, RecordSink, StopReason, Until};
use crate::error::{Error, ErrorKind, Result};

/// The longest single wait for records; the idle timeout and the stop flag
/// are looked at between waits.
const POLL_WAIT: Duration = Duration::from_millis(100);

/// librdkafka's `queued.min.messages` for runnel's consumers (see `consumer`).
pub(super) const QUEUED_MIN_MESSAGES: &str = "1000000";

/// The group id of a consumer that reads without a group.
pub(super) const NO_GROUP: &str = "runnel-no-group";

/// One partition being read.
struct PartitionRead {
    topic: String,
    partition: u32,
    start: u64,
    /// Stop before this offset.
    stop: Option<u64>,
    /// Stop at the first record stamped at or after this time.
    stop_time: Option<i64>,
    done: bool,
}

pub struct KafkaFetch {
    target: KafkaTarget,
    consumer: BaseConsumer<DefaultConsumerContext>,
    reads: Vec<PartitionRead>,
    index: HashMap<(String, u32), usize>,
    max_messages: Option<u64>,
    delivered: u64,
}

impl KafkaFetch {
    pub fn new(target: &KafkaTarget) -> Result<KafkaFetch> {
        // librdkafka's assign() needs a group id; this one never joins a
        // group or commits, so the cluster keeps no trace of it.
        let consumer = consumer(target, &[("group.id", NO_GROUP.into())])?;
        Ok(KafkaFetch {
            target: target.clone(),
            consumer,
            reads: Vec::new(),
            index: HashMap::new(),
            max_messages: None,
            delivered: 0,
        })
    }

    fn fail(&self, doing: &str, e: &KafkaError) -> Error {
        errors::from_kafka(doing, &self.target.bootstrap, e)
    }

    /// The partition count of `topic`, 66 when there is no such topic.
    fn partition_count(&self, topic: &str) -> Result<u32> {
        let timeout = self.target.request_timeout();
        let metadata = self
            .consumer
            .fetch_metadata(Some(topic), timeout)
            .map_err(|_| errors::unreachable(&self.target.bootstrap, timeout))?;
        match metadata.topics().iter().find(|t| t.name() == topic) {
            Some(t) if t.error().is_none() && !t.partitions().is_empty() => Ok(t.partitions().len() as u32),
            _ => Err(errors::unknown_topic(topic)),
        }
    }

    /// The first offset stamped at or after `ms`, if any.
    fn offset_for_time(&self, topic: &str, partition: u32, ms: i64) -> Result<Option<u64>> {
        let mut tpl = TopicPartitionList::new();
        tpl.add_partition_offset(topic, partition as i32, Offset::Offset(ms))
            .map_err(|e| self.fail("looking up a time", &e))?;
        let found = self
            .consumer
            .offsets_for_times(tpl, self.target.request_timeout())
            .map_err(|e| self.fail(&format!("looking up a time in {topic}:{partition}"), &e))?;
        Ok(found.elements().first().and_then(|e| match e.offset() {
            Offset::Offset(n) if n >= 0 => Some(n as u64),
            _ => None,
        }))
    }

    /// Where `position` points in `topic:partition`, and its high watermark.
    fn resolve(&self, topic: &str, partition: u32, position: Position) -> Result<(u64, u64)> {
        let (low, high) = self
            .consumer
            .fetch_watermarks(topic, partition as i32, self.target.request_timeout())
            .map_err(|e| self.fail(&format!("reading the offsets of {topic}:{partition}"), &e))?;
        let (low, high) = (low.max(0) as u64, high.max(0) as u64);
        let at = match position {
            Position::Beginning => low,
            Position::End => high,
            Position::Offset(n) => n.clamp(low, high),
            Position::FromEnd(n) => high.saturating_sub(n).max(low),
            Position::FromStart(n) => low.saturating_add(n).min(high),
            Position::Time(ms) => self.offset_for_time(topic, partition, ms)?.unwrap_or(high),
        };
        Ok((at, high))
    }

    fn add(&mut self, topic: &str, partition: u32, from: Position, until: Until) -> Result<()> {
        let (start, high) = self.resolve(topic, partition, from)?;
        let (stop, stop_time) = match until {
            Until::Never => (None, None),
            Until::End => (Some(high), None),
            Until::Offset(n) => (Some(n), None),
            Until::FromEnd(n) => (Some(high.saturating_sub(n)), None),
            Until::Time(ms) => (None, Some(ms)),
        };
        let done = stop.is_some_and(|s| start >= s);
        let key = (topic.to_string(), partition);
        if self.index.contains_key(&key) {
            return Ok(());
        }
        self.index.insert(key, self.reads.len());
        self.reads.push(PartitionRead { topic: topic.to_string(), partition, start, stop, stop_time, done });
        Ok(())
    }

    /// The index of the read of `topic:partition`, looked up without an
    /// allocation when it is the one `last` names (records come in runs).
    fn read_of(&self, topic: &str, partition: u32, last: &mut usize) -> Option<usize> {
        let hit = |r: &PartitionRead| r.partition == partition && r.topic == topic;
        if !self.reads.get(*last).is_some_and(hit) {
            *last = *self.index.get(&(topic.to_string(), partition))?;
        }
        Some(*last)
    }

    /// The cluster answers a metadata request within the deadline, or 69.
    fn reachable(&self) -> Result<()> {
        let timeout = self.target.request_timeout();
        match self.consumer.fetch_metadata(None, timeout) {
            Ok(_) => Ok(()),
            Err(_) => Err(errors::unreachable(&self.target.bootstrap, timeout)),
        }
    }

    fn all_done(&self) -> bool {
        self.reads.iter().all(|r| r.done)
    }
}

/// A consumer of the cluster, without a group unless `extra` names one.
pub fn consumer(target: &KafkaTarget, extra: &[(&str, String)]) -> Result<BaseConsumer<DefaultConsumerContext>> {
    let mut settings: Vec<(&str, String)> = vec![
        ("enable.auto.commit", "false".into()),
        ("enable.auto.offset.store", "false".into()),
        ("enable.partition.eof", "false".into()),
        ("auto.offset.reset", "earliest".into()),
        ("fetch.wait.max.ms", "100".into()),
        // Prefetch deeper than librdkafka's 100,000 messages per partition
        // (still bounded by queued.max.messages.kbytes): reading a topic to
        // its end took 4.6 s for 1,000,000 records with the default, 0.8 s
        // with this (scripts/bench-kafka.sh).
        ("queued.min.messages", QUEUED_MIN_MESSAGES.into()),
    ];
    settings.extend(extra.iter().cloned());
    target.client_config(&settings).create().map_err(|e| super::config::bad_config(&e))
}

impl Fetch for KafkaFetch {
    fn set_max_messages(&mut self, max: Option<u64>) {
        self.max_messages = max;
    }

    /// librdkafka detects a truncated log itself (leader epochs) and resets
    /// as `auto.offset.reset` says; nothing to warn about here.
    fn set_warn(&mut self, _warn: fn(&str)) {}

    fn assign(&mut self, topic: &str, partition: Option<u32>, from: Position, until: Until) -> Result<()> {
        let count = self.partition_count(topic)?;
        match partition {
            Some(p) if p >= count => Err(Error::usage(format!(
                "topic '{topic}' has no partition {p} (it has partitions 0 to {})",
                count.saturating_sub(1)
            ))),
            Some(p) => self.add(topic, p, from, until),
            None => (0..count).try_for_each(|p| self.add(topic, p, from, until)),
        }
    }

    fn offset_of(&mut self, topic: &str, partition: u32, position: Position) -> Result<u64> {
        let count = self.partition_count(topic)?;
        if partition >= count {
            return Err(Error::usage(format!(
                "topic '{topic}' has no partition {partition} (it has partitions 0 to {})",
                count.saturating_sub(1)
            )));
        }
        Ok(self.resolve(topic, partition, position)?.0)
    }

    fn run(&mut self, sink: &mut dyn RecordSink, idle_timeout: Option<Duration>) -> Result<StopReason> {
        if self.max_messages == Some(0) {
            return Ok(StopReason::CountReached);
        }
        let mut tpl = TopicPartitionList::new();
        for r in self.reads.iter().filter(|r| !r.done) {
            tpl.add_partition_offset(&r.topic, r.partition as i32, Offset::Offset(r.start as i64))
                .map_err(|e| self.fail("assigning partitions", &e))?;
        }
        if tpl.count() > 0 {
            self.consumer.assign(&tpl).map_err(|e| self.fail("assigning partitions", &e))?;
        }
        let mut headers = Vec::new();
        let mut last_record = Instant::now();
        let mut unflushed = false;
        let mut last = 0;
        while !self.all_done() {
            match self.consumer.poll(POLL_WAIT) {
                Some(Ok(message)) => {
                    let Some(i) = self.read_of(message.topic(), message.partition().max(0) as u32, &mut last) else {
                        continue;
                    };
                    let read = &mut self.reads[i];
                    let offset = message.offset().max(0) as u64;
                    let stamped = message.timestamp().to_millis().unwrap_or(i64::MIN);
                    if read.done
                        || read.stop.is_some_and(|s| offset >= s)
                        || read.stop_time.is_some_and(|t| stamped >= t)
                    {
                        read.done = true;
                        continue;
                    }
                    records::deliver(&message, sink, &mut headers)?;
                    unflushed = true;
                    self.delivered += 1;
                    last_record = Instant::now();
                    if read.stop.is_some_and(|s| offset + 1 >= s) {
                        read.done = true;
                    }
                    if self.max_messages.is_some_and(|max| self.delivered >= max) {
                        sink.flush().map_err(Error::output)?;
                        return Ok(StopReason::CountReached);
                    }
                }
                Some(Err(KafkaError::PartitionEOF(_))) => {}
                Some(Err(e)) => {
                    let err = self.fail("reading", &e);
                    match err.kind {
                        ErrorKind::NotFound => return Err(err),
                        // librdkafka reports a lost connection and retries on
                        // its own: go on while the cluster still answers
                        // within the deadline, exit 69 when it does not.
                        ErrorKind::Unavailable | ErrorKind::Other => self.reachable()?,
                        _ => return Err(err),
                    }
                }
                None => {
                    if unflushed {
                        sink.flush().map_err(Error::output)?;
                        unflushed = false;
                    }
                    if idle_timeout.is_some_and(|t| last_record.elapsed() >= t) {
                        return Ok(StopReason::Idle);
                    }
                }
            }
        }
        sink.flush().map_err(Error::output)?;
        Ok(StopReason::CaughtUp)
    }

    fn delivered(&self) -> u64 {
        self.delivered
    }
}

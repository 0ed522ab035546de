//! Producing input lines to a Kafka topic: the same line formats as on a
//! data dir (`producer::message` splits and parses them), sent through
//! librdkafka with Kafka's own partitioner for keys (`murmur2_random`: the
//! Java client's murmur2 for keyed records, so keys land where a Java
//! producer puts them). Exit 0 only once every record is acknowledged as
//! `--acks` asks; a bad line is exit 65 naming it, after the lines before it
//! are acknowledged.

use std::io::Read;
use std::sync::Mutex;
use std::time::Duration;

use rdkafka::ClientContext;
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::message::Message as _;
use rdkafka::producer::{BaseProducer, DeliveryResult, Producer as _, ProducerContext};

use super::config::KafkaTarget;
use super::errors;
use super::topic_handle::{Outgoing, TopicHandle};
use crate::backend::Append;
use crate::cluster::TopicMeta;
use crate::cluster::replication::partition_writer::Acks;
use crate::error::{Error, Result};
use crate::producer::input::LineReader;
use crate::producer::message::{LineParts, NoSeparator, parse_line, split_line};
use crate::producer::partitioner::{RoundRobin, partition_for_key};
use crate::producer::{Message, PipelineOptions, ProduceSummary, max_line_bytes};
use crate::store::{RecordParts, encode_headers, kafka_batch_size};

/// Kafka's default `max.message.bytes` of a topic.
const KAFKA_MAX_MESSAGE_BYTES: u64 = 1_048_588;

/// Delivery reports are served every this many records sent (and whenever
/// the queue is full, and at every flush).
const POLL_EVERY: u64 = 1024;

/// What the delivery reports said. Producers ask librdkafka for reports
/// of failures only (`delivery.report.only.error`): a report per record
/// acknowledged was a fifth of produce's CPU, and what was sent, less what
/// failed and what is still in flight, is what was acknowledged.
#[derive(Default)]
struct Delivered {
    failed: u64,
    failed_bytes: u64,
    failed_per_partition: Vec<u64>,
    first_error: Option<KafkaError>,
}

/// Collects delivery reports (of failures; a success reported anyway,
/// with `-X delivery.report.only.error=false`, changes nothing).
pub struct Reports {
    delivered: Mutex<Delivered>,
}

impl ClientContext for Reports {}

impl ProducerContext for Reports {
    type DeliveryOpaque = ();

    fn delivery(&self, result: &DeliveryResult<'_>, _: ()) {
        let Err((e, message)) = result else { return };
        let Ok(mut d) = self.delivered.lock() else { return };
        d.failed += 1;
        d.failed_bytes += (message.key_len() + message.payload_len()) as u64;
        let p = message.partition().max(0) as usize;
        if d.failed_per_partition.len() <= p {
            d.failed_per_partition.resize(p + 1, 0);
        }
        d.failed_per_partition[p] += 1;
        if d.first_error.is_none() {
            d.first_error = Some(e.clone());
        }
    }
}

/// What was handed to librdkafka.
#[derive(Default)]
struct Sent {
    messages: u64,
    bytes: u64,
    per_partition: Vec<u64>,
    /// The partition of the next record without a key or a partition.
    round_robin: RoundRobin,
}

pub struct KafkaAppend {
    target: KafkaTarget,
    /// What the producer waits for (to explain records not acknowledged).
    acks: Acks,
    /// Headers added to every record, after its own.
    fixed_headers: Vec<(Vec<u8>, Option<Vec<u8>>)>,
    topic: TopicMeta,
    /// Taken only by `drop`, which ends it without waiting when it is idle.
    producer: std::mem::ManuallyDrop<BaseProducer<Reports>>,
    /// The producer's handle on the topic; taken only by `drop`, which
    /// ends it before the producer.
    handle: std::mem::ManuallyDrop<TopicHandle>,
    /// Records sent (for serving delivery reports every [`POLL_EVERY`],
    /// and the summary), per partition.
    sent: std::cell::RefCell<Sent>,
}

impl KafkaAppend {
    pub fn new(target: &KafkaTarget, topic: TopicMeta, acks: Acks) -> Result<KafkaAppend> {
        KafkaAppend::with(target, connect(target, acks)?, topic, acks)
    }

    /// An appender on a producer [`connect`] made (which may have read the
    /// topic's metadata and configs already).
    pub fn with(
        target: &KafkaTarget,
        producer: BaseProducer<Reports>,
        topic: TopicMeta,
        acks: Acks,
    ) -> Result<KafkaAppend> {
        let handle = TopicHandle::new(&producer, &topic.name)
            .map_err(|e| errors::from_kafka(&format!("producing to '{}'", topic.name), &target.bootstrap, &e))?;
        Ok(KafkaAppend {
            target: target.clone(),
            acks,
            fixed_headers: Vec::new(),
            topic,
            producer: std::mem::ManuallyDrop::new(producer),
            handle: std::mem::ManuallyDrop::new(handle),
            // Unkeyed records start at a partition of their own per
            // process, as on a data dir (a burst of one-record produces
            // spreads over the partitions).
            sent: std::cell::RefCell::new(Sent {
                round_robin: RoundRobin::starting_at(std::process::id() ^ (crate::sys::clock::now_ms() as u32)),
                ..Sent::default()
            }),
        })
    }

    /// `Err` naming the line when `message` in a Kafka record batch of its
    /// own would pass the topic's `max.message.bytes` (Kafka's encoding, as
    /// the data dir checks it), before it goes to the broker, which would
    /// refuse its whole batch.
    fn check_size(&self, line_no: u64, message: &Message<'_>) -> Result<()> {
        let max = max_message_bytes(&self.topic);
        let len = |p: &Option<std::borrow::Cow<'_, [u8]>>| p.as_ref().map_or(0, |b| b.len());
        let headers_len: usize = message.headers.iter().map(|(k, v)| k.len() + len(v) + 10).sum::<usize>()
            + self.fixed_headers.iter().map(|(k, v)| k.len() + v.as_ref().map_or(0, Vec::len) + 10).sum::<usize>();
        // Cheap bound first: the batch overhead is under 100 bytes.
        if (len(&message.key) + len(&message.value) + headers_len + 100) as u64 <= max {
            return Ok(());
        }
        let mut headers = Vec::new();
        let own = message.headers.iter().map(|(k, v)| (k.as_ref(), v.as_deref()));
        let fixed = self.fixed_headers.iter().map(|(k, v)| (k.as_slice(), v.as_deref()));
        let header_count = encode_headers(own.chain(fixed), &mut headers);
        let parts = RecordParts {
            timestamp: 0,
            key: message.key.as_deref(),
            value: message.value.as_deref(),
            headers: &headers,
            header_count,
        };
        let size = kafka_batch_size(&parts);
        if size as u64 > max {
            return Err(Error::bad_input(format!(
                "line {line_no}: message of {size} bytes is larger than max.message.bytes={max} of topic '{}'",
                self.topic.name
            )));
        }
        Ok(())
    }

    /// Sends one record, waiting while the client's queue is full.
    fn send(&self, line_no: u64, partition: Option<u32>, message: &Message<'_>) -> Result<()> {
        let n = self.topic.partition_count();
        if let Some(p) = partition
            && p >= n
        {
            return Err(Error::bad_input(format!(
                "line {line_no}: partition {p} is out of range: topic '{}' has partitions 0 to {}",
                self.topic.name,
                n.saturating_sub(1)
            )));
        }
        self.check_size(line_no, message)?;
        // The partition is chosen here, as librdkafka's `murmur2_random`
        // would (Kafka's murmur2 of the key; else in turn), so that what
        // was sent is known per partition without a report per record.
        let key = message.key.as_deref();
        let value = message.value.as_deref();
        let p = match (partition, key) {
            (Some(p), _) => p,
            (None, Some(key)) => partition_for_key(key, n),
            (None, None) => self.sent.borrow_mut().round_robin.next(n),
        };
        let record = Outgoing { partition: p, key, value, timestamp: message.timestamp };
        let size = (key.map_or(0, <[u8]>::len) + value.map_or(0, <[u8]>::len)) as u64;
        let header_count = message.headers.len() + self.fixed_headers.len();
        let headers = || {
            let own = message.headers.iter().map(|(k, v)| (k.as_ref(), v.as_deref()));
            let fixed = self.fixed_headers.iter().map(|(k, v)| (k.as_slice(), v.as_deref()));
            own.chain(fixed)
        };
        loop {
            match self.handle.send(&self.producer, &record, header_count, headers()) {
                Ok(()) => {
                    let mut sent = self.sent.borrow_mut();
                    sent.messages += 1;
                    sent.bytes += size;
                    if sent.per_partition.len() <= p as usize {
                        sent.per_partition.resize(p as usize + 1, 0);
                    }
                    sent.per_partition[p as usize] += 1;
                    if sent.messages.is_multiple_of(POLL_EVERY) {
                        super::delivery::serve_ready(&self.producer);
                    }
                    return Ok(());
                }
                Err(KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull)) => {
                    super::delivery::make_room(&self.producer);
                }
                Err(e) => {
                    let err = errors::from_kafka(&format!("line {line_no}"), &self.target.bootstrap, &e);
                    return Err(err);
                }
            }
        }
    }

    /// Waits until every record sent is acknowledged or failed; the first
    /// failure is the error.
    fn flush(&self) -> Result<()> {
        // The records' own timeout bounds this; the flush deadline is a
        // margin past it.
        let deadline = self.target.request_timeout() * 2;
        let flushed = super::delivery::flush(&self.producer, deadline);
        let first_error = self.producer.context().delivered.lock().ok().and_then(|mut d| d.first_error.take());
        let timed_out = match &first_error {
            Some(e) => errors::code_of(e) == Some(RDKafkaErrorCode::MessageTimedOut),
            None => !flushed,
        };
        if timed_out && let Some(why) = super::unacknowledged::explain(self.producer.client(), &self.topic, self.acks) {
            return Err(Error::unavailable(format!(
                "producing to '{}': records not acknowledged within {}: {why}",
                self.topic.name,
                humantime::format_duration(self.target.request_timeout())
            )));
        }
        if let Some(e) = first_error {
            return Err(delivery_error(&self.topic.name, &self.target.bootstrap, &e));
        }
        if flushed { Ok(()) } else { Err(errors::unreachable(&self.target.bootstrap, deadline)) }
    }

    /// What is acknowledged: sent, less what failed and what is still in
    /// flight (counted per partition once nothing is).
    fn summary(&self) -> ProduceSummary {
        let sent = self.sent.borrow();
        let pending = self.producer.in_flight_count().max(0) as u64;
        let d = self.producer.context().delivered.lock();
        let (failed, failed_bytes, failed_per_partition) =
            d.map(|d| (d.failed, d.failed_bytes, d.failed_per_partition.clone())).unwrap_or_default();
        let mut per_partition: Vec<u64> = (0..self.topic.partition_count() as usize)
            .map(|p| {
                let out = sent.per_partition.get(p).copied().unwrap_or(0);
                out.saturating_sub(failed_per_partition.get(p).copied().unwrap_or(0))
            })
            .collect();
        if pending > 0 {
            // Not known per partition while records are in flight.
            per_partition.iter_mut().for_each(|n| *n = (*n).min(sent.messages.saturating_sub(failed + pending)));
        }
        ProduceSummary {
            messages: sent.messages.saturating_sub(failed).saturating_sub(pending),
            bytes: sent.bytes.saturating_sub(failed_bytes),
            per_partition,
        }
    }

    fn produce_line(&self, options: &PipelineOptions, line_no: u64, line: &[u8]) -> Result<()> {
        match split_line(&options.format, line, options.null_value.as_deref()) {
            Some(Ok(LineParts { key, value })) => {
                let message = Message {
                    key: key.map(std::borrow::Cow::Borrowed),
                    value: value.map(std::borrow::Cow::Borrowed),
                    ..Message::default()
                };
                self.send(line_no, options.partition, &message)
            }
            Some(Err(NoSeparator)) => Err(Error::bad_input(format!("line {line_no}: {NoSeparator}"))
                .because(crate::error::Reason::NoKeySeparator { line: line_no })),
            None => {
                let message = parse_line(&options.format, line, options.null_value.as_deref())
                    .map_err(|e| Error::bad_input(format!("line {line_no}: {e}")))?;
                self.send(line_no, options.partition.or(message.partition), &message)
            }
        }
    }
}

/// librdkafka's `message.max.bytes` for producers: above any topic's limit
/// in practice (the topic's own is checked per record, [`KafkaAppend`]'s
/// `check_size`), since a producer is made before the topic's configs are
/// read.
const PRODUCER_MAX_MESSAGE_BYTES: u64 = 64 * 1024 * 1024;

/// A producer for `target` acknowledging as `acks` asks, with Kafka's
/// murmur2 partitioner for keys.
pub fn connect(target: &KafkaTarget, acks: Acks) -> Result<BaseProducer<Reports>> {
    let acks = match acks {
        Acks::None => "0",
        Acks::Leader => "1",
        Acks::All => "all",
    };
    let timeout_ms = target.request_timeout().as_millis().to_string();
    let config = target.client_config(&[
        ("partitioner", "murmur2_random".into()),
        ("acks", acks.into()),
        ("linger.ms", "5".into()),
        ("message.timeout.ms", timeout_ms),
        ("message.max.bytes", PRODUCER_MAX_MESSAGE_BYTES.to_string()),
        ("delivery.report.only.error", "true".into()),
    ]);
    config
        .create_with_context(Reports { delivered: Mutex::new(Delivered::default()) })
        .map_err(|e| super::config::bad_config(&e))
}

/// A topic's `max.message.bytes`: its override, else Kafka's default.
pub(super) fn max_message_bytes(topic: &TopicMeta) -> u64 {
    topic.config.get("max.message.bytes").and_then(|v| v.parse().ok()).unwrap_or(KAFKA_MAX_MESSAGE_BYTES)
}

fn delivery_error(topic: &str, bootstrap: &str, e: &KafkaError) -> Error {
    errors::from_kafka(&format!("producing to '{topic}'"), bootstrap, e)
}

impl Drop for KafkaAppend {
    fn drop(&mut self) {
        // SAFETY: both taken once, here, and never used again; the topic
        // handle ends before its producer.
        let handle = unsafe { std::mem::ManuallyDrop::take(&mut self.handle) };
        handle.end();
        // SAFETY: as above.
        let producer = unsafe { std::mem::ManuallyDrop::take(&mut self.producer) };
        super::shutdown::end_producer(producer);
    }
}

impl Append for KafkaAppend {
    fn produce_lines(
        &mut self,
        input: &mut dyn Read,
        options: &PipelineOptions,
        input_ready: &mut dyn FnMut() -> bool,
        on_progress: &mut dyn FnMut(u64),
    ) -> (Result<()>, ProduceSummary) {
        let max_line = max_line_bytes(&options.format, max_message_bytes(&self.topic));
        let mut lines = LineReader::new(input).with_max_line(max_line);
        let mut failure = None;
        loop {
            match lines.for_each_buffered(|line_no, line| self.produce_line(options, line_no, line)) {
                Ok(true) => {
                    if !input_ready() {
                        // Interactive input: what was typed goes out now.
                        self.producer.poll(Duration::ZERO);
                        if let Err(e) = self.flush() {
                            failure = Some(e);
                            break;
                        }
                    }
                    on_progress(self.summary().messages);
                }
                Ok(false) => break,
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            }
        }
        // What was sent before a bad line is still acknowledged.
        let flushed = self.flush();
        let result = match failure {
            Some(e) => Err(e),
            None => flushed,
        };
        (result, self.summary())
    }

    fn set_headers(&mut self, headers: &[(Vec<u8>, Option<Vec<u8>>)]) {
        self.fixed_headers = headers.to_vec();
    }

    fn take_repairs(&mut self) -> Vec<String> {
        Vec::new()
    }
}

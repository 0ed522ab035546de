//! The producer: picks each message's partition (explicit, Kafka's murmur2
//! of the key, or round robin), batches messages into one frame per
//! partition, and hands full frames to the append threads, which append
//! them through the partition writers. Memory stays bounded: frames go at a
//! size, the largest of them when the total buffered passes a cap, and the
//! append queue is bounded.

use std::borrow::Cow;

use super::append_thread::AppendThread;
use super::message::{LineParts, Message};
use super::partitioner::{RoundRobin, partition_for_key};
use super::run_stage::RunStage;
use crate::cluster::replication::partition_writer::Acks;
use crate::cluster::rules::topic_config::TopicSettings;
use crate::cluster::{Cluster, TopicMeta};
use crate::error::Result;
use crate::store::{
    FrameBuilder, HEADER_LEN, RecordParts, Repair, encode_headers, kafka_batch_size, kafka_batch_size_bound,
};
use crate::sys::huge_heap::HugeHeap;

/// A partition's frame is handed to its append thread at this size (the
/// default [`ProducerOptions::frame_bytes`]).
pub const FRAME_BYTES: usize = 256 * 1024;
/// The default budget of bytes buffered over all partitions
/// ([`ProducerOptions::max_buffered_bytes`]); also bounds the bytes in
/// flight to the append threads. With many partitions the frames being
/// filled are spread over all of this memory, and every record written to
/// it misses the CPU's caches: a smaller budget (smaller frames, more
/// appends) is faster there, down to about this size.
pub const MAX_BUFFERED_BYTES: usize = 16 * 1024 * 1024;
/// The smallest hand-over size, however many partitions share the budget.
pub const MIN_FRAME_BYTES: usize = 16 * 1024;

/// Above this many partitions, the frame buffers go on huge pages
/// ([`HugeHeap`]): they are many, and written in turn a record at a time.
const HUGE_PAGES_ABOVE: usize = 32;

/// The smallest first buffer of a partition's frame when the topic has too
/// many partitions for whole frames ([`Producer::sized_once`]).
const MIN_FIRST_CAPACITY: usize = 512;

/// The largest first buffer of a partition's frame: it grows to a whole
/// frame as records keep coming, so a short input (one line) allocates no
/// buffer of a whole frame, which the allocator would map and unmap.
const MAX_FIRST_CAPACITY: usize = 64 * 1024;

/// Producer tuning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProducerOptions {
    pub acks: Acks,
    /// A partition's frame is appended once it reaches this size.
    pub frame_bytes: usize,
    /// Everything is appended once this much is buffered over all partitions.
    pub max_buffered_bytes: usize,
}

impl Default for ProducerOptions {
    fn default() -> Self {
        ProducerOptions { acks: Acks::All, frame_bytes: FRAME_BYTES, max_buffered_bytes: MAX_BUFFERED_BYTES }
    }
}

struct Slot {
    frame: FrameBuilder,
    messages: u64,
    /// Whether the partition got a message yet (its buffer is then sized
    /// and the append thread asked to open it).
    used: bool,
}

/// What a producer wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProduceSummary {
    /// Messages appended (and, after `finish`, durable as `acks` asks).
    pub messages: u64,
    pub bytes: u64,
    /// Messages per partition.
    pub per_partition: Vec<u64>,
}

/// Sends messages to one topic.
pub struct Producer {
    appender: AppendThread,
    topic: TopicMeta,
    settings: TopicSettings,
    options: ProducerOptions,
    slots: Vec<Slot>,
    round_robin: RoundRobin,
    header_scratch: Vec<u8>,
    /// Headers every record gets (`produce -H`), encoded, and their count.
    fixed_headers: (Vec<u8>, u32),
    buffered: usize,
    /// The size at which a partition's frame is handed over: `frame_bytes`,
    /// or with many partitions their share of the buffer budget (at least
    /// [`MIN_FRAME_BYTES`]), so frames go out steadily while input is read rather than
    /// all at once when the budget runs out.
    frame_bytes: usize,
    /// The records of the partition being sent in a run
    /// ([`Producer::send_line_in_run`]), until its frame takes them.
    stage: RunStage,
    /// The heap the frame buffers come from, on huge pages (many partitions).
    huge_heap: Option<HugeHeap>,
}

impl Producer {
    pub fn new(cluster: &Cluster, topic: TopicMeta, options: ProducerOptions) -> Result<Producer> {
        let settings = cluster.topic_settings(&topic)?;
        let n = topic.partition_count();
        let start = (std::process::id() ^ (crate::sys::clock::now_ms() as u32)) % n.max(1);
        // A lock and three segment files per replica, opened by the append threads.
        let replicas: usize = topic.partitions.iter().map(|p| 1 + 3 * p.replicas.len()).sum();
        crate::sys::descriptors::reserve_descriptors(replicas + 64);
        let mut producer = Producer {
            appender: AppendThread::start(cluster, &topic, options.acks, options.max_buffered_bytes)?,
            slots: (0..n).map(|_| Slot { frame: FrameBuilder::new(), messages: 0, used: false }).collect(),
            topic,
            settings,
            options,
            round_robin: RoundRobin::starting_at(start),
            header_scratch: Vec::new(),
            fixed_headers: (Vec::new(), 0),
            buffered: 0,
            stage: RunStage::default(),
            frame_bytes: (options.max_buffered_bytes / n.max(1) as usize)
                .clamp(MIN_FRAME_BYTES, options.frame_bytes.max(MIN_FRAME_BYTES)),
            huge_heap: None,
        };
        if producer.slots.len() > HUGE_PAGES_ABOVE && producer.sized_once() {
            // Steps of twice the budget: the frames being filled and those in flight.
            producer.huge_heap = HugeHeap::start(options.max_buffered_bytes.saturating_mul(2));
        }
        Ok(producer)
    }

    /// Gives every record these headers (`produce -H NAME=VALUE`), in this
    /// order and before a message's own; duplicate names are kept, as Kafka
    /// keeps them.
    pub fn set_headers(&mut self, headers: &[(Vec<u8>, Option<Vec<u8>>)]) {
        let mut encoded = Vec::new();
        let count = encode_headers(headers.iter().map(|(k, v)| (k.as_slice(), v.as_deref())), &mut encoded);
        self.fixed_headers = (encoded, count);
    }

    pub fn topic(&self) -> &TopicMeta {
        &self.topic
    }

    /// The topic's `max.message.bytes`.
    pub fn max_message_bytes(&self) -> u64 {
        self.settings.max_message_bytes
    }

    pub fn partition_count(&self) -> u32 {
        self.slots.len() as u32
    }

    /// Repairs (torn tails cut) made while opening partitions; drained.
    pub fn take_repairs(&mut self) -> Vec<Repair> {
        self.appender.take_repairs()
    }

    /// The partition a message goes to.
    pub fn choose_partition(&mut self, message: &Message<'_>) -> Result<u32, String> {
        self.partition_for(message.partition, message.key.as_deref())
    }

    /// The partition for a message asking for `explicit` (checked against
    /// the topic), else Kafka's murmur2 of its key, else the next in turn.
    /// A record without a key is refused on a compacted topic, as a Kafka
    /// broker refuses it (compaction keeps the latest value per key).
    pub fn partition_for(&mut self, explicit: Option<u32>, key: Option<&[u8]>) -> Result<u32, String> {
        if key.is_none() && self.settings.cleanup_compact {
            return Err(format!(
                "a record without a key cannot go to topic '{}': its cleanup.policy includes compact (Kafka refuses it too)",
                self.topic.name
            ));
        }
        let n = self.partition_count();
        if let Some(p) = explicit {
            if p >= n {
                return Err(format!(
                    "partition {p} is out of range: topic '{}' has partitions 0 to {}",
                    self.topic.name,
                    n - 1
                ));
            }
            return Ok(p);
        }
        Ok(match key {
            Some(key) => partition_for_key(key, n),
            None => self.round_robin.next(n),
        })
    }

    /// Buffers one message. `Err(text)` for a message that cannot be sent
    /// (too large, bad partition): nothing of it is buffered.
    pub fn send(&mut self, message: &Message<'_>, now_ms: i64) -> Result<Result<u32, String>> {
        let partition = match self.choose_partition(message) {
            Ok(p) => p,
            Err(e) => return Ok(Err(e)),
        };
        self.send_to(partition, message, now_ms)
    }

    /// Buffers one message for a partition [`Producer::choose_partition`]
    /// picked. `Err(text)` for a message too large to send.
    pub fn send_to(&mut self, partition: u32, message: &Message<'_>, now_ms: i64) -> Result<Result<u32, String>> {
        self.send_message::<false>(partition, message, now_ms)
    }

    /// [`Producer::send_to`] for a caller that sends a partition's messages
    /// one after another, as [`Producer::send_line_in_run`].
    pub fn send_in_run(&mut self, partition: u32, message: &Message<'_>, now_ms: i64) -> Result<Result<u32, String>> {
        self.send_message::<true>(partition, message, now_ms)
    }

    fn send_message<const IN_RUN: bool>(
        &mut self,
        partition: u32,
        message: &Message<'_>,
        now_ms: i64,
    ) -> Result<Result<u32, String>> {
        let mut headers = std::mem::take(&mut self.header_scratch);
        headers.clear();
        headers.extend_from_slice(&self.fixed_headers.0);
        let header_count = self.fixed_headers.1
            + encode_headers(message.headers.iter().map(|(k, v)| (k.as_ref(), v.as_deref())), &mut headers);
        if let Some(timestamp) = message.timestamp
            && let Err(why) = self.settings.check_timestamp(timestamp, now_ms)
        {
            self.header_scratch = headers;
            return Ok(Err(why));
        }
        let parts = RecordParts {
            timestamp: message.timestamp.unwrap_or(now_ms),
            key: message.key.as_deref(),
            value: message.value.as_deref(),
            headers: &headers,
            header_count,
        };
        let sent = self.push::<IN_RUN>(partition, &parts);
        self.header_scratch = headers;
        sent
    }

    /// Buffers a line's key and value (and the fixed headers), stamped `now_ms`, for
    /// `explicit` or the partition its key picks. `Err(text)` as [`Producer::send`].
    pub fn send_line(
        &mut self,
        explicit: Option<u32>,
        line: LineParts<'_>,
        now_ms: i64,
    ) -> Result<Result<u32, String>> {
        match self.partition_for(explicit, line.key) {
            Ok(partition) => self.send_line_to(partition, line, now_ms),
            Err(e) => Ok(Err(e)),
        }
    }

    /// Buffers a line's key and value for a partition [`Producer::partition_for`] picked.
    pub fn send_line_to(&mut self, partition: u32, line: LineParts<'_>, now_ms: i64) -> Result<Result<u32, String>> {
        self.send_line_record::<false>(partition, line, now_ms)
    }

    /// [`Producer::send_line_to`] for a caller that sends a partition's
    /// lines one after another (grouped by partition, many partitions): the
    /// records are staged in the cache and written to the frame in one go
    /// when the partition changes (`run_stage.rs`).
    pub fn send_line_in_run(
        &mut self,
        partition: u32,
        line: LineParts<'_>,
        now_ms: i64,
    ) -> Result<Result<u32, String>> {
        self.send_line_record::<true>(partition, line, now_ms)
    }

    fn send_line_record<const IN_RUN: bool>(
        &mut self,
        partition: u32,
        line: LineParts<'_>,
        now_ms: i64,
    ) -> Result<Result<u32, String>> {
        let fixed = std::mem::take(&mut self.fixed_headers);
        let sent = self.push::<IN_RUN>(partition, &line_record(line, now_ms, &fixed));
        self.fixed_headers = fixed;
        sent
    }

    /// Buffers a whole record as it is (timestamp, key, value, encoded
    /// headers; the fixed headers are not added) for `partition`, which the
    /// caller checked. `Err(text)` for a record too large to send.
    pub fn send_record(&mut self, partition: u32, parts: &RecordParts<'_>) -> Result<Result<u32, String>> {
        if let Err(why) = self.settings.check_timestamp(parts.timestamp, crate::sys::clock::now_ms()) {
            return Ok(Err(why));
        }
        self.push::<false>(partition, parts)
    }

    /// `Err(text)` if `message` alone in a Kafka record batch would pass the
    /// topic's `max.message.bytes` (Kafka's rule and encoding).
    pub fn check_size(&mut self, message: &Message<'_>) -> Result<(), String> {
        let mut headers = std::mem::take(&mut self.header_scratch);
        headers.clear();
        headers.extend_from_slice(&self.fixed_headers.0);
        let header_count = self.fixed_headers.1
            + encode_headers(message.headers.iter().map(|(k, v)| (k.as_ref(), v.as_deref())), &mut headers);
        let parts = RecordParts {
            timestamp: 0,
            key: message.key.as_deref(),
            value: message.value.as_deref(),
            headers: &headers,
            header_count,
        };
        let checked = self.check_parts(&parts);
        self.header_scratch = headers;
        checked
    }

    /// [`Producer::check_size`] for a line's key and value.
    pub fn check_line_size(&self, line: LineParts<'_>) -> Result<(), String> {
        self.check_parts(&line_record(line, 0, &self.fixed_headers))
    }

    fn check_parts(&self, parts: &RecordParts<'_>) -> Result<(), String> {
        self.size_error(kafka_batch_size(parts)).map_or(Ok(()), Err)
    }

    fn size_error(&self, record_size: usize) -> Option<String> {
        (record_size as u64 > self.settings.max_message_bytes).then(|| {
            format!(
                "message of {record_size} bytes is larger than max.message.bytes={} of topic '{}'",
                self.settings.max_message_bytes, self.topic.name
            )
        })
    }

    /// Buffers one record; `IN_RUN`: staged, as part of a run of the
    /// partition's records ([`Producer::send_line_in_run`]).
    fn push<const IN_RUN: bool>(&mut self, partition: u32, parts: &RecordParts<'_>) -> Result<Result<u32, String>> {
        let parts = *parts;
        let mut measured = self.slots[partition as usize].frame.measure(&parts);
        let added = measured.total;
        // The exact Kafka size only near the limit: `added` is at least the
        // record's size with deltas 0, which the bound builds on.
        if kafka_batch_size_bound(added, parts.header_count) as u64 > self.settings.max_message_bytes
            && let Some(e) = self.size_error(kafka_batch_size(&parts))
        {
            return Ok(Err(e));
        }
        if !self.slots[partition as usize].used {
            // Opened while it fills.
            let frame = FrameBuilder::with_capacity(self.first_capacity());
            self.cover_new_buffers();
            let slot = &mut self.slots[partition as usize];
            slot.used = true;
            slot.frame = frame;
            self.appender.open_ahead(partition)?;
        }
        // A run ends where another partition's record (or one not in a
        // run) comes.
        if self.stage.partition().is_some_and(|p| !IN_RUN || p != partition) {
            self.drain_stage();
        }
        // What is staged now is this partition's (none outside a run).
        let slot = &self.slots[partition as usize];
        if !slot.frame.is_empty() && slot.frame.len() + self.stage.len() + added > self.frame_bytes {
            self.flush_partition(partition, false, true)?;
            self.appender.submit()?;
            measured = self.slots[partition as usize].frame.measure(&parts);
        }
        let slot = &mut self.slots[partition as usize];
        if IN_RUN {
            self.stage.push(partition, &mut slot.frame, &parts, measured);
        } else {
            slot.frame.push_measured(&parts, measured);
        }
        slot.messages += 1;
        self.buffered += measured.total;
        if self.buffered > self.options.max_buffered_bytes {
            self.send_largest()?;
        }
        Ok(Ok(partition))
    }

    /// Appends every buffered frame, making it visible to consumers.
    pub fn flush(&mut self) -> Result<()> {
        self.send_all(true)?;
        self.appender.barrier()
    }

    /// Over the buffer budget (many partitions, each frame short of its
    /// size): hands over the largest frames until a quarter of the budget
    /// is free. Frames then go out steadily as input is read, rather than
    /// all at once — which would leave the append threads idle while the
    /// buffers fill again, and the parser waiting while they catch up.
    fn send_largest(&mut self) -> Result<()> {
        self.drain_stage();
        let target = self.options.max_buffered_bytes / 4 * 3;
        let mut by_size: Vec<(usize, u32)> = (0..self.partition_count())
            .filter(|&p| !self.slots[p as usize].frame.is_empty())
            .map(|p| (self.slots[p as usize].frame.len(), p))
            .collect();
        by_size.sort_unstable_by(|a, b| b.cmp(a));
        for (_, p) in by_size {
            if self.buffered <= target {
                break;
            }
            self.flush_partition(p, false, true)?;
        }
        self.appender.submit()
    }

    /// Whether every partition's frame buffer is sized once, for a whole
    /// frame (growing it would copy it; only the first buffer grows, from
    /// [`MAX_FIRST_CAPACITY`]): unless whole frames for all of
    /// them would be more than twice the buffer budget. A topic of 100,000
    /// partitions would otherwise hold 100,000 buffers of 64 KiB, each with
    /// a page or more of it resident: ~1 GiB for 30 MB of records.
    fn sized_once(&self) -> bool {
        self.frame_capacity().saturating_mul(self.slots.len()) <= self.options.max_buffered_bytes.saturating_mul(2)
    }

    /// The capacity a partition's frame buffer starts with, grown as
    /// records come: the partition's share of the buffer budget (at least
    /// [`MIN_FIRST_CAPACITY`]) unless [`Producer::sized_once`], and never
    /// more than [`MAX_FIRST_CAPACITY`] or a whole frame.
    fn first_capacity(&self) -> usize {
        let share = if self.sized_once() {
            self.frame_capacity()
        } else {
            (self.options.max_buffered_bytes / self.slots.len().max(1)).max(MIN_FIRST_CAPACITY)
        };
        share.min(MAX_FIRST_CAPACITY).min(self.frame_capacity())
    }

    /// The capacity a partition's frame buffer grows to: a frame and its header.
    fn frame_capacity(&self) -> usize {
        self.frame_bytes + HEADER_LEN
    }

    /// Hands every buffered frame to the append thread; `refill`: records
    /// may follow, so each partition gets a buffer for its next frame.
    fn send_all(&mut self, refill: bool) -> Result<()> {
        for p in 0..self.partition_count() {
            self.flush_partition(p, true, refill)?;
        }
        Ok(())
    }

    /// Has the frame buffers just allocated backed by huge pages, if they
    /// grew the heap ([`HugeHeap::cover`]), before records are written to them.
    fn cover_new_buffers(&mut self) {
        if let Some(heap) = self.huge_heap.as_mut() {
            heap.cover();
        }
    }

    /// Gives the staged run (if any) to its partition's frame.
    fn drain_stage(&mut self) {
        if let Some(p) = self.stage.partition() {
            self.stage.drain_to(&mut self.slots[p as usize].frame);
        }
    }

    /// Hands `partition`'s frame (if it holds records) to its append
    /// thread; `last`: no more are coming for now (see [`AppendThread::send`]);
    /// `refill`: records may follow, so the partition gets a buffer for its
    /// next frame.
    fn flush_partition(&mut self, partition: u32, last: bool, refill: bool) -> Result<()> {
        if self.stage.partition() == Some(partition) {
            self.drain_stage();
        }
        if self.slots[partition as usize].frame.is_empty() {
            return Ok(());
        }
        let spare =
            if refill && self.sized_once() { self.appender.spare(self.frame_capacity()) } else { FrameBuilder::new() };
        self.cover_new_buffers();
        let slot = &mut self.slots[partition as usize];
        let frame = std::mem::replace(&mut slot.frame, spare);
        let messages = std::mem::take(&mut slot.messages);
        self.buffered -= frame.len().min(self.buffered);
        // The frame's streamed bytes reach memory before the append thread
        // can see the frame.
        crate::sys::stream_copy::publish();
        self.appender.send(partition, frame, messages, last)
    }

    /// Appends what is buffered and makes it durable; returns the summary.
    pub fn finish(&mut self) -> Result<ProduceSummary> {
        self.send_all(false)?;
        self.appender.finish()?;
        Ok(self.summary())
    }

    /// Messages appended so far (cheap: for progress).
    pub fn appended_messages(&self) -> u64 {
        self.appender.appended_messages()
    }

    /// What has been appended so far.
    pub fn summary(&self) -> ProduceSummary {
        let appended = self.appender.appended();
        ProduceSummary { messages: appended.messages, bytes: appended.bytes, per_partition: appended.per_partition }
    }
}

/// A line's key and value as a record with the fixed headers.
fn line_record<'a>(line: LineParts<'a>, timestamp: i64, headers: &'a (Vec<u8>, u32)) -> RecordParts<'a> {
    RecordParts { timestamp, key: line.key, value: line.value, headers: &headers.0, header_count: headers.1 }
}

/// A message's key as text for messages (lossy), used in reports.
pub fn key_text(key: &Option<Cow<'_, [u8]>>) -> String {
    match key {
        Some(k) => String::from_utf8_lossy(k).into_owned(),
        None => "-".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::cluster::admin::topics::TopicSpec;

    fn producer(partitions: u32) -> (tempfile::TempDir, Producer) {
        let dir = tempfile::tempdir().expect("tempdir");
        let (cluster, _) = Cluster::init(dir.path(), 1, Duration::from_secs(5)).expect("init");
        let spec = TopicSpec { name: "t".into(), partitions, replication_factor: 1, config: Vec::new() };
        cluster.create_topic(&spec).expect("topic");
        let meta = cluster.topic("t").expect("topic");
        let producer = Producer::new(&cluster, meta, ProducerOptions::default()).expect("producer");
        (dir, producer)
    }

    fn line(value: &[u8]) -> LineParts<'_> {
        LineParts { key: None, value: Some(value) }
    }

    #[test]
    fn a_short_input_takes_no_whole_frame_buffer_and_leaves_none_behind() {
        let (_dir, mut producer) = producer(1);
        producer.send_line(None, line(b"one line"), 1).expect("send").expect("sent");
        let first = producer.slots[0].frame.capacity();
        assert!(first <= MAX_FIRST_CAPACITY && first < producer.frame_capacity(), "first buffer {first}");
        let summary = producer.finish().expect("finish");
        assert_eq!(summary.messages, 1);
        assert!(producer.slots[0].frame.capacity() < 1024, "a spare was taken at the end");
    }

    #[test]
    fn once_a_frame_went_out_the_next_one_has_room_for_a_whole_frame() {
        let (_dir, mut producer) = producer(1);
        let value = vec![b'v'; 1000];
        while producer.appended_messages() == 0 {
            producer.send_line(None, line(&value), 1).expect("send").expect("sent");
            producer.appender.submit().expect("submit");
        }
        // A frame went out: the one filling now has room for a whole frame.
        assert!(producer.slots[0].frame.capacity() >= producer.frame_bytes);
        producer.finish().expect("finish");
    }
}

//! Fetch (key 1): each partition's frames from the fetch offset, as Kafka
//! RecordBatch v2 (`records::encode`), up to the partition's and the
//! request's byte limits (the first batch always, so a consumer never
//! sticks on a batch larger than its limit). A long poll waits for
//! `min_bytes` until `max_wait_ms` on the inotify wake-ups the CLI's
//! consumers use (`consumer::wake`), never polling. The high watermark is
//! the leader's log end (runnel writes the leader last); with no
//! transactions, read_committed reads the same (last stable offset = high
//! watermark, no aborted transactions). No fetch sessions: every answer is
//! full, session id 0, as a broker with sessions disabled (an incremental
//! request, epoch above 0, names a session that cannot exist:
//! FETCH_SESSION_ID_NOT_FOUND). As in Kafka, the request's byte limit is at
//! most the broker's `fetch.max.bytes` (55 MiB), and a partition listed
//! twice is read once, with the last listing's position and limit.

use std::time::{Duration, Instant};

use kafka_protocol::ResponseError;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

use kafka_protocol::messages::TopicName;
use kafka_protocol::messages::fetch_request::{FetchPartition, FetchTopic};
use kafka_protocol::messages::fetch_response::{FetchableTopicResponse, PartitionData};
use kafka_protocol::messages::{BrokerId, FetchRequest, FetchResponse, RequestHeader};
use kafka_protocol::protocol::VersionRange;

use crate::consumer::wake::Wakeup;
use crate::serve::dispatch::Ctx;
use crate::serve::errors::code_of;
use crate::serve::leadership::{Led, led_here};
use crate::serve::records::encode::append_batch;
use crate::consumer::lost_front;
use crate::store::{LogEnd, LogReader, log_end};

pub const VERSIONS: VersionRange = VersionRange { min: 4, max: 12 };

/// The longest wait honoured (a client asking more gets this much).
const MAX_WAIT: Duration = Duration::from_secs(30);

/// Room past a partition's byte limit for the batch that crosses it.
const BATCH_SLACK: usize = 64 * 1024;

/// The most a partition's batch buffer is sized for up front.
const MAX_PRESIZE: usize = 16 * 1024 * 1024;

/// Kafka's broker default `fetch.max.bytes`: the most one response holds
/// (past the first batch), whatever the request asks.
const FETCH_MAX_BYTES: usize = 55 * 1024 * 1024;

pub fn handle(ctx: &mut Ctx, header: &RequestHeader, mut request: FetchRequest) -> FetchResponse {
    if request.session_epoch > 0 {
        let mut response = FetchResponse::default();
        response.error_code = ResponseError::FetchSessionIdNotFound.code();
        return response;
    }
    request.topics = unique_partitions(std::mem::take(&mut request.topics));
    let deadline = Instant::now() + Duration::from_millis(request.max_wait_ms.max(0) as u64).min(MAX_WAIT);
    let min_bytes = request.min_bytes.max(0) as usize;
    let mut wakeup: Option<Wakeup> = None;
    loop {
        let (response, bytes, errors) = read_all(ctx, header.request_api_version, &request);
        let now = Instant::now();
        // As Kafka: a min_bytes of 0 is answered at once, data or not.
        if bytes >= min_bytes || errors || now >= deadline || ctx.server.stopping() {
            return response;
        }
        let waiter = wakeup.get_or_insert_with(|| watching(ctx, &request));
        waiter.wait(deadline - now);
    }
}

/// A wake-up on the leader folders of the partitions asked for and on the
/// topics folder (a leader moved).
fn watching(ctx: &Ctx, request: &FetchRequest) -> Wakeup {
    let layout = ctx.server.cluster.layout();
    let mut wakeup = Wakeup::new();
    wakeup.watch(&layout.topics_dir());
    for topic in &request.topics {
        for p in &topic.partitions {
            if let Ok(partition) = u32::try_from(p.partition) {
                wakeup.watch(&layout.replica_dir(ctx.broker, &topic.topic.0, partition));
            }
        }
    }
    wakeup
}

/// The topics asked for with every partition once, as Kafka's map of them
/// keeps it: at its first place, with its last listing's fields; listings
/// of one topic that follow each other are one topic entry.
fn unique_partitions(topics: Vec<FetchTopic>) -> Vec<FetchTopic> {
    let mut order: Vec<(TopicName, FetchPartition)> = Vec::new();
    let mut at: HashMap<(TopicName, i32), usize> = HashMap::new();
    for topic in topics {
        for p in topic.partitions {
            match at.entry((topic.topic.clone(), p.partition)) {
                Entry::Occupied(slot) => order[*slot.get()].1 = p,
                Entry::Vacant(slot) => {
                    slot.insert(order.len());
                    order.push((topic.topic.clone(), p));
                }
            }
        }
    }
    let mut out: Vec<FetchTopic> = Vec::new();
    for (name, p) in order {
        match out.last_mut() {
            Some(last) if last.topic == name => last.partitions.push(p),
            _ => {
                let mut topic = FetchTopic::default();
                topic.topic = name;
                topic.partitions.push(p);
                out.push(topic);
            }
        }
    }
    out
}

/// One pass over every partition: the response, its record bytes, and
/// whether any partition answered an error.
fn read_all(ctx: &Ctx, version: i16, request: &FetchRequest) -> (FetchResponse, usize, bool) {
    let mut response = FetchResponse::default();
    let mut left = (request.max_bytes.max(0) as usize).min(FETCH_MAX_BYTES);
    let mut total = 0;
    let mut errors = false;
    for topic in &request.topics {
        let mut out = FetchableTopicResponse::default();
        out.topic = topic.topic.clone();
        for p in &topic.partitions {
            let data = read_partition(ctx, version, &topic.topic.0, p, left, total == 0);
            let len = data.records.as_ref().map_or(0, |r| r.len());
            total += len;
            left = left.saturating_sub(len);
            errors |= data.error_code != 0;
            out.partitions.push(data);
        }
        response.responses.push(out);
    }
    (response, total, errors)
}

fn read_partition(ctx: &Ctx, version: i16, topic: &str, p: &FetchPartition, left: usize, first: bool) -> PartitionData {
    let mut data = PartitionData::default();
    data.partition_index = p.partition;
    data.high_watermark = -1;
    let led = match led_here(ctx, topic, p.partition) {
        Ok(led) => led,
        Err(e) => {
            data.error_code = e.code();
            return data;
        }
    };
    if version >= 12 {
        data.current_leader.leader_id = BrokerId(ctx.broker as i32);
        data.current_leader.leader_epoch = led.partition.leader_epoch as i32;
    }
    if let Err(e) = check_epoch(&led, p.current_leader_epoch) {
        data.error_code = e.code();
        return data;
    }
    let dir = ctx.server.cluster.layout().replica_dir(ctx.broker, topic, led.partition.partition);
    let end = match log_end(&dir) {
        Ok(end) => end,
        Err(e) => {
            data.error_code = code_of(&e);
            return data;
        }
    };
    // A refused read answers no offsets (-1), as Kafka's `createLogReadResult`.
    let offset = p.fetch_offset;
    if offset < end.start_offset as i64 && front_lost(ctx, &led, topic, &end) {
        // Offsets this leader lost and an in-sync replica holds: an offline
        // log, as Kafka answers for a damaged log dir, never a reset past them.
        data.error_code = ResponseError::KafkaStorageError.code();
        return data;
    }
    if offset < end.start_offset as i64 || offset > end.end_offset as i64 {
        data.error_code = ResponseError::OffsetOutOfRange.code();
        return data;
    }
    data.high_watermark = end.end_offset as i64;
    data.last_stable_offset = end.end_offset as i64;
    if version >= 5 {
        data.log_start_offset = end.start_offset as i64;
    }
    if offset == end.end_offset as i64 {
        data.records = Some(bytes::Bytes::new());
        return data;
    }
    let limit = (p.partition_max_bytes.max(0) as usize).min(left);
    if limit == 0 && !first {
        data.records = Some(bytes::Bytes::new());
        return data;
    }
    match read_batches(&dir, offset as u64, end.end_offset, limit, first) {
        Ok(bytes) => data.records = Some(bytes::Bytes::from(bytes)),
        Err(code) => data.error_code = code,
    }
    data
}

/// Whether the leader's log (here) lost offsets at its front that no trim
/// or retention removed and another in-sync replica holds
/// ([`crate::consumer::lost_front`]).
fn front_lost(ctx: &Ctx, led: &Led, topic: &str, end: &LogEnd) -> bool {
    let (cluster, first) = (&ctx.server.cluster, end.first_segment_base);
    end.front_unrecorded
        && matches!(lost_front::held_elsewhere(cluster, &led.partition, ctx.broker, topic, first), Ok(Some(_)))
}

/// Kafka's leader-epoch check (KIP-320): an older epoch than the leader's
/// is FENCED_LEADER_EPOCH, a newer one UNKNOWN_LEADER_EPOCH; -1 skips it.
pub fn check_epoch(led: &Led, current_leader_epoch: i32) -> Result<(), ResponseError> {
    let epoch = led.partition.leader_epoch as i64;
    match i64::from(current_leader_epoch) {
        -1 => Ok(()),
        asked if asked < epoch => Err(ResponseError::FencedLeaderEpoch),
        asked if asked > epoch => Err(ResponseError::UnknownLeaderEpoch),
        _ => Ok(()),
    }
}

/// Whole frames from `offset` below `end`, as Kafka batches, within
/// `limit` bytes (the first frame always when `first`).
fn read_batches(dir: &std::path::Path, offset: u64, end: u64, limit: usize, first: bool) -> Result<Vec<u8>, i16> {
    let mut reader = LogReader::open(dir, offset).map_err(|e| code_of(&e))?;
    // Sized once for the limit (pages are touched only as batches fill
    // them): growing it by doubling copied the batches again and again.
    let mut out = Vec::with_capacity(limit.saturating_add(BATCH_SLACK).min(MAX_PRESIZE));
    while let Some(frame) = reader.next_frame().map_err(|e| code_of(&e))? {
        if frame.header.base_offset >= end {
            break;
        }
        let before = out.len();
        append_batch(&frame, &mut out).map_err(|_| ResponseError::CorruptMessage.code())?;
        if out.len() > limit && !(first && before == 0) {
            out.truncate(before);
            break;
        }
        if out.len() >= limit {
            break;
        }
    }
    // The response holds this buffer until it is sent: no room kept past
    // what was read (a first batch alone can be far below the limit).
    out.shrink_to_fit();
    Ok(out)
}

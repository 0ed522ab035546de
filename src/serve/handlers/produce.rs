//! Produce (key 0): each partition's batches (RecordBatch v2, any codec)
//! become one runnel frame each, appended through the partition writer with
//! runnel's acks (0: no fsync and no response; 1: the leader fsynced; all
//! (-1): every in-sync replica fsynced, refused below `min.insync.replicas`
//! with NOT_ENOUGH_REPLICAS). The partition is the client's choice (keys
//! stay where its partitioner put them). Idempotent producers' retries are
//! recognised by `produce::producers` and appended once. As in Kafka, a
//! partition's records are exactly one RecordBatch v2 (anything else is
//! INVALID_RECORD), the answer gives the log start offset (v5+), and a
//! failed produce with acks=0 closes the connection: the producer has no
//! other way to learn of it.

use bytes::Bytes;
use kafka_protocol::ResponseError;
use kafka_protocol::messages::produce_response::{PartitionProduceResponse, TopicProduceResponse};
use kafka_protocol::messages::{ProduceRequest, ProduceResponse, RequestHeader};
use kafka_protocol::protocol::VersionRange;

use crate::cluster::replication::partition_writer::Acks;
use crate::serve::dispatch::Ctx;
use crate::serve::errors::code_of;
use crate::serve::leadership::led_here;
use crate::serve::produce::producers::Check;
use crate::serve::records::decode::batches;
use crate::store::FrameBuilder;
use crate::sys::clock::now_ms;

pub const VERSIONS: VersionRange = VersionRange { min: 3, max: 12 };

pub fn handle(ctx: &mut Ctx, _header: &RequestHeader, request: ProduceRequest) -> ProduceResponse {
    let acks = match request.acks {
        0 => Ok(Acks::None),
        1 => Ok(Acks::Leader),
        -1 => Ok(Acks::All),
        _ => Err(ResponseError::InvalidRequiredAcks),
    };
    if request.acks == 0 {
        ctx.conn.no_reply = true;
    }
    let transactional = request.transactional_id.is_some();
    let mut response = ProduceResponse::default();
    for topic in request.topic_data {
        let name = topic.name.0.to_string();
        let mut out = TopicProduceResponse::default();
        out.name = topic.name;
        for partition in topic.partition_data {
            let result = match acks {
                Err(e) => Err(e.code()),
                Ok(_) if transactional => Err(ResponseError::TransactionalIdAuthorizationFailed.code()),
                Ok(acks) => append(ctx, &name, partition.index, partition.records, acks),
            };
            let mut answer = PartitionProduceResponse::default();
            answer.index = partition.index;
            answer.log_append_time_ms = -1;
            answer.log_start_offset = -1;
            match result {
                Ok(Appended { base_offset, log_start, log_append_time }) => {
                    answer.base_offset = base_offset;
                    answer.log_start_offset = log_start;
                    answer.log_append_time_ms = log_append_time;
                }
                Err(code) => {
                    answer.error_code = code;
                    answer.base_offset = -1;
                }
            }
            out.partition_responses.push(answer);
        }
        response.responses.push(out);
    }
    if request.acks == 0 {
        let failed: Vec<String> = response
            .responses
            .iter()
            .flat_map(|t| t.partition_responses.iter().map(move |p| (t, p)))
            .filter(|(_, p)| p.error_code != 0)
            .map(|(t, p)| format!("{}-{} (error {})", t.name.0, p.index, p.error_code))
            .collect();
        if !failed.is_empty() {
            ctx.conn.close_after = Some(format!("a produce with acks=0 failed for {}", failed.join(", ")));
        }
    }
    response
}

/// What a partition's answer gives of an append.
struct Appended {
    base_offset: i64,
    /// -1 if unknown.
    log_start: i64,
    /// The broker's time stamped on the batch when the topic takes
    /// `LogAppendTime`, else -1 (Kafka's `log_append_time_ms`).
    log_append_time: i64,
}

/// Appends one partition's batch, or answers the error code.
fn append(ctx: &Ctx, topic: &str, partition: i32, records: Option<Bytes>, acks: Acks) -> Result<Appended, i16> {
    let led = led_here(ctx, topic, partition).map_err(|e| e.code())?;
    let records = records.ok_or(ResponseError::CorruptMessage.code())?;
    let batches = batches(records).map_err(|e| e.code())?;
    if batches.len() != 1 {
        return Err(ResponseError::InvalidRecord.code());
    }
    let cluster = &ctx.server.cluster;
    let index = led.partition.partition;
    let slot = ctx.server.slots.get(cluster, &led.topic, index).map_err(|e| code_of(&e))?;
    let mut slot = slot.lock().map_err(|_| ResponseError::UnknownServerError.code())?;
    let mut first_offset = None;
    let mut log_append_time = -1;
    let mut appended_any = false;
    let mut producers_changed = false;
    for batch in &batches {
        if batch.is_transactional() || batch.is_control() {
            return Err(ResponseError::TransactionalIdAuthorizationFailed.code());
        }
        match slot.producers.check(batch) {
            Check::Duplicate(base_offset) => {
                first_offset.get_or_insert(base_offset);
                continue;
            }
            Check::Refuse(e) => return Err(e.code()),
            Check::Append => {}
        }
        let failed = |e: crate::error::Error| {
            ctx.server.slots.forget(topic, index);
            code_of(&e)
        };
        let writer = slot.writer(cluster, &led.topic, index, acks).map_err(failed)?;
        if batch.wire_len as u64 > writer.settings().max_message_bytes {
            return Err(ResponseError::MessageTooLarge.code());
        }
        let mut frame = FrameBuilder::with_capacity(batch.wire_len + 64);
        let (settings, now) = (writer.settings(), now_ms());
        let mut timestamps_ok = true;
        batch
            .for_each_record(|parts| {
                timestamps_ok &= settings.check_timestamp(parts.timestamp, now).is_ok();
                frame.push(parts)
            })
            .map_err(|e| e.code())?;
        if !timestamps_ok {
            return Err(ResponseError::InvalidTimestamp.code());
        }
        if frame.is_empty() {
            continue;
        }
        let appended = writer.append(&mut frame).map_err(failed)?;
        log_append_time = frame.log_append_time().unwrap_or(-1);
        appended_any = true;
        let base_offset = appended.base_offset as i64;
        first_offset.get_or_insert(base_offset);
        if batch.producer_id >= 0 {
            slot.producers.record(batch, base_offset);
            producers_changed = true;
        }
    }
    if appended_any {
        let writer = slot.writer(cluster, &led.topic, index, acks).map_err(|e| code_of(&e))?;
        writer.sync().map_err(|e| code_of(&e))?;
    }
    if producers_changed {
        slot.producers.save().map_err(|e| code_of(&e))?;
    }
    let writer = slot.writer(cluster, &led.topic, index, acks).map_err(|e| code_of(&e))?;
    let log_start = writer.log_start_offset().map_or(-1, |o| o as i64);
    Ok(Appended { base_offset: first_offset.unwrap_or(-1), log_start, log_append_time })
}

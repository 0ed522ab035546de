//! Produce (key 0): each partition's batch (RecordBatch v2, any codec)
//! becomes one runnel frame, appended through the partition writer with
//! runnel's acks (0: no fsync and no response; 1: the leader fsynced; all
//! (-1): every in-sync replica fsynced, refused below `min.insync.replicas`
//! with NOT_ENOUGH_REPLICAS). The partition is the client's choice (keys
//! stay where its partitioner put them). The batch is judged as a Kafka
//! broker judges it (`records::validate`: exactly one RecordBatch v2, then
//! Kafka's batch and record checks in Kafka's order, refused records named
//! in `record_errors`); idempotent producers' retries are recognised by
//! `produce::producers` and appended once. The answer gives the log start
//! offset (v5+), and a failed produce with acks=0 closes the connection:
//! the producer has no other way to learn of it.

use bytes::Bytes;
use kafka_protocol::ResponseError;
use kafka_protocol::messages::produce_response::{
    BatchIndexAndErrorMessage, PartitionProduceResponse, TopicProduceResponse,
};
use kafka_protocol::messages::{ProduceRequest, ProduceResponse, RequestHeader};
use kafka_protocol::protocol::{StrBytes, VersionRange};

use crate::cluster::replication::partition_writer::Acks;
use crate::serve::dispatch::Ctx;
use crate::serve::errors::code_of;
use crate::serve::leadership::led_here;
use crate::serve::produce::producers::Check;
use crate::serve::records::decode::{Batch, batches};
use crate::serve::records::validate::{self, Refusal};
use crate::store::FrameBuilder;
use crate::sys::clock::now_ms;

pub const VERSIONS: VersionRange = VersionRange { min: 3, max: 12 };

/// Kafka's internal topics (`Topic.INTERNAL_TOPICS`): only Kafka itself
/// appends to them.
const INTERNAL_TOPICS: [&str; 3] = ["__consumer_offsets", "__transaction_state", "__share_group_state"];

/// The client id that may append to an internal topic (Kafka's admin client's).
const ADMIN_CLIENT_ID: &str = "__admin_client";

pub fn handle(ctx: &mut Ctx, header: &RequestHeader, request: ProduceRequest) -> ProduceResponse {
    let internal_allowed = header.client_id.as_deref() == Some(ADMIN_CLIENT_ID);
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
                Err(e) => Err(Refusal::from(e)),
                Ok(_) if transactional => Err(ResponseError::TransactionalIdAuthorizationFailed.into()),
                Ok(acks) => append(ctx, &name, partition.index, partition.records, acks, internal_allowed),
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
                Err(Refusal { code, message, record_errors }) => {
                    answer.error_code = code;
                    answer.base_offset = -1;
                    answer.error_message = message.map(StrBytes::from_string);
                    answer.record_errors = record_errors
                        .into_iter()
                        .map(|(batch_index, why)| {
                            let mut error = BatchIndexAndErrorMessage::default();
                            error.batch_index = batch_index;
                            error.batch_index_error_message = Some(StrBytes::from_string(why));
                            error
                        })
                        .collect();
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
            ctx.conn.close_after =
                Some(format!("a produce with acks=0 failed for {}", crate::error::listed(&failed, 5)));
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

/// Appends one partition's batch, or answers why not.
fn append(
    ctx: &Ctx,
    topic: &str,
    partition: i32,
    records: Option<Bytes>,
    acks: Acks,
    internal_allowed: bool,
) -> Result<Appended, Refusal> {
    let led = led_here(ctx, topic, partition)?;
    let records = records.ok_or(ResponseError::InvalidRecord)?;
    let batch = match <[Batch; 1]>::try_from(batches(records)?) {
        Ok([batch]) => batch,
        Err(_) => return Err(ResponseError::InvalidRecord.into()),
    };
    if INTERNAL_TOPICS.contains(&topic) && !internal_allowed {
        // "Cannot append to internal topic", as Kafka's ReplicaManager refuses it.
        return Err(ResponseError::InvalidTopicException.into());
    }
    let cluster = &ctx.server.cluster;
    let index = led.partition.partition;
    let slot = ctx.server.slots.get(cluster, &led.topic, index).map_err(code_of_error)?;
    let mut slot = slot.lock().map_err(|_| ResponseError::UnknownServerError)?;
    let failed = |e: crate::error::Error| {
        ctx.server.slots.forget(topic, index);
        code_of_error(e)
    };
    let settings = slot.writer(cluster, &led.topic, index, acks).map_err(failed)?.settings().clone();
    validate::check_batch(&batch, &settings)?;
    let mut frame = FrameBuilder::with_capacity(batch.wire_len + 64);
    let (now, tp) = (now_ms(), format!("{topic}-{partition}"));
    let (mut refused, mut record_index, mut max_timestamp) = (Vec::new(), 0, -1);
    batch.for_each_record(|offset_delta, parts| {
        max_timestamp = max_timestamp.max(parts.timestamp);
        match validate::check_record(&batch, offset_delta, parts, &settings, &tp, now) {
            Some((error, why)) => refused.push((record_index, error, why)),
            None if refused.is_empty() => frame.push(parts),
            None => {}
        }
        record_index += 1;
    })?;
    if let Some(refusal) = validate::refusal(refused) {
        return Err(refusal);
    }
    if batch.is_transactional() {
        return Err(ResponseError::TransactionalIdAuthorizationFailed.into());
    }
    let base_offset = match slot.producers.check(&batch) {
        Check::Duplicate(base_offset) => base_offset,
        Check::Refuse(e) => return Err(e.into()),
        Check::Append => {
            let writer = slot.writer(cluster, &led.topic, index, acks).map_err(failed)?;
            let appended = writer.append(&mut frame).map_err(failed)?;
            writer.sync().map_err(code_of_error)?;
            let base_offset = appended.base_offset as i64;
            if batch.producer_id >= 0 {
                let stamped = frame.log_append_time().unwrap_or(max_timestamp);
                slot.producers.record(&batch, base_offset, stamped);
                slot.producers.save().map_err(code_of_error)?;
            }
            base_offset
        }
    };
    let log_append_time = frame.log_append_time().unwrap_or(-1);
    let writer = slot.writer(cluster, &led.topic, index, acks).map_err(code_of_error)?;
    let log_start = writer.log_start_offset().map_or(-1, |o| o as i64);
    Ok(Appended { base_offset, log_start, log_append_time })
}

/// A runnel error as the refusal Kafka answers for it.
fn code_of_error(e: crate::error::Error) -> Refusal {
    Refusal::code(code_of(&e))
}

//! What `topic describe` needs beyond librdkafka's metadata, through
//! librdkafka's Admin API called directly (rdkafka 0.38 wraps neither):
//! the topic id (DescribeTopics, shown as Kafka's tools show it: URL-safe base64),
//! and every partition's log start and end in one ListOffsets request per
//! leader instead of two per partition — Kafka answers LATEST with the
//! partition's current leader epoch, so the epoch comes with it.

use std::collections::BTreeMap;
use std::ffi::{CStr, CString};
use std::time::Duration;

use rdkafka::bindings as rd;
use rdkafka::client::{Client, ClientContext};
use rdkafka::error::RDKafkaErrorCode;

use super::admin_event::{options, wait};

/// Where ListOffsets looks.
#[derive(Clone, Copy)]
pub enum Spec {
    Earliest,
    Latest,
}

/// A partition's offset as ListOffsets answered it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Listed {
    pub offset: u64,
    /// The leader epoch Kafka gave with it (for LATEST: the partition's
    /// current one), when it gave one.
    pub leader_epoch: Option<u32>,
}

/// The topic id of `topic`, base64 as Kafka's tools print it.
pub fn topic_id<C: ClientContext>(
    client: &Client<C>,
    topic: &str,
    timeout: Duration,
) -> Result<String, RDKafkaErrorCode> {
    let name = CString::new(topic).map_err(|_| RDKafkaErrorCode::InvalidArgument)?;
    let timeout_ms = i32::try_from(timeout.as_millis()).unwrap_or(i32::MAX);
    let rk = client.native_ptr();
    // SAFETY: every object created here is destroyed here, once; the
    // result's strings are copied before the event owning them is
    // destroyed; `rk` outlives the call (borrowed from `client`).
    unsafe {
        let queue = rd::rd_kafka_queue_new(rk);
        let options = options(rk, rd::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_DESCRIBETOPICS, timeout_ms);
        let mut names = [name.as_ptr()];
        let topics = rd::rd_kafka_TopicCollection_of_topic_names(names.as_mut_ptr(), 1);
        rd::rd_kafka_DescribeTopics(rk, topics, options, queue);
        let result = wait(queue, timeout_ms, |event| read_topic_id(event));
        rd::rd_kafka_TopicCollection_destroy(topics);
        rd::rd_kafka_AdminOptions_destroy(options);
        rd::rd_kafka_queue_destroy(queue);
        result
    }
}

/// # Safety
/// `event` is a live result event without a request-level error ([`wait`]).
unsafe fn read_topic_id(event: *mut rd::rd_kafka_event_t) -> Result<String, RDKafkaErrorCode> {
    // SAFETY: `event` is live; what is read belongs to it and is copied.
    unsafe {
        let result = rd::rd_kafka_event_DescribeTopics_result(event);
        if result.is_null() {
            return Err(RDKafkaErrorCode::Fail);
        }
        let mut count = 0usize;
        let topics = rd::rd_kafka_DescribeTopics_result_topics(result, &mut count);
        if count == 0 {
            return Err(RDKafkaErrorCode::UnknownTopicOrPartition);
        }
        let topic = *topics;
        let error = rd::rd_kafka_TopicDescription_error(topic);
        if !error.is_null() {
            return Err(rd::rd_kafka_error_code(error).into());
        }
        let id = rd::rd_kafka_TopicDescription_topic_id(topic);
        if id.is_null() {
            return Err(RDKafkaErrorCode::Fail);
        }
        let text = rd::rd_kafka_Uuid_base64str(id);
        if text.is_null() {
            return Err(RDKafkaErrorCode::Fail);
        }
        Ok(url_safe(&CStr::from_ptr(text).to_string_lossy()))
    }
}

/// librdkafka writes a topic id in standard base64; Kafka (`Uuid.toString`,
/// and so `kafka-topics`) in URL-safe base64 without padding.
fn url_safe(base64: &str) -> String {
    base64
        .chars()
        .filter(|&c| c != '=')
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            c => c,
        })
        .collect()
}

/// The offsets of `partitions` of `topic` at `spec`, in one admin call
/// (librdkafka sends one ListOffsets per leader). A partition whose leader
/// answered with an error fails the whole call with that error.
pub fn list_offsets<C: ClientContext>(
    client: &Client<C>,
    topic: &str,
    partitions: &[u32],
    spec: Spec,
    timeout: Duration,
) -> Result<BTreeMap<u32, Listed>, RDKafkaErrorCode> {
    if partitions.is_empty() {
        return Ok(BTreeMap::new());
    }
    let name = CString::new(topic).map_err(|_| RDKafkaErrorCode::InvalidArgument)?;
    let timeout_ms = i32::try_from(timeout.as_millis()).unwrap_or(i32::MAX);
    let spec = match spec {
        Spec::Earliest => rd::rd_kafka_OffsetSpec_t::RD_KAFKA_OFFSET_SPEC_EARLIEST as i64,
        Spec::Latest => rd::rd_kafka_OffsetSpec_t::RD_KAFKA_OFFSET_SPEC_LATEST as i64,
    };
    let rk = client.native_ptr();
    // SAFETY: as in `topic_id`: each object made here is destroyed here,
    // once, and what the result holds is copied before its event goes.
    unsafe {
        let list = rd::rd_kafka_topic_partition_list_new(partitions.len() as i32);
        for &p in partitions {
            let entry = rd::rd_kafka_topic_partition_list_add(list, name.as_ptr(), p as i32);
            (*entry).offset = spec;
        }
        let queue = rd::rd_kafka_queue_new(rk);
        let options = options(rk, rd::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_LISTOFFSETS, timeout_ms);
        rd::rd_kafka_ListOffsets(rk, list, options, queue);
        let result = wait(queue, timeout_ms, |event| read_offsets(event));
        rd::rd_kafka_AdminOptions_destroy(options);
        rd::rd_kafka_queue_destroy(queue);
        rd::rd_kafka_topic_partition_list_destroy(list);
        result
    }
}

/// # Safety
/// `event` is a live result event without a request-level error ([`wait`]).
unsafe fn read_offsets(event: *mut rd::rd_kafka_event_t) -> Result<BTreeMap<u32, Listed>, RDKafkaErrorCode> {
    // SAFETY: `event` is live; what is read belongs to it and is copied.
    unsafe {
        let result = rd::rd_kafka_event_ListOffsets_result(event);
        if result.is_null() {
            return Err(RDKafkaErrorCode::Fail);
        }
        let mut count = 0usize;
        let infos = rd::rd_kafka_ListOffsets_result_infos(result, &mut count);
        let mut out = BTreeMap::new();
        for i in 0..count {
            let tp = rd::rd_kafka_ListOffsetsResultInfo_topic_partition(*infos.add(i));
            if tp.is_null() {
                continue;
            }
            if (*tp).err != rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR {
                return Err((*tp).err.into());
            }
            let epoch = rd::rd_kafka_topic_partition_get_leader_epoch(tp);
            out.insert(
                (*tp).partition.max(0) as u32,
                Listed { offset: (*tp).offset.max(0) as u64, leader_epoch: u32::try_from(epoch).ok() },
            );
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn topic_ids_are_written_as_kafka_writes_them() {
        assert_eq!(super::url_safe("hXP55a5hQySyAKE6gv+/Ug"), "hXP55a5hQySyAKE6gv-_Ug");
        assert_eq!(super::url_safe("AAAAAAAAAAAAAAAAAAAAAA=="), "AAAAAAAAAAAAAAAAAAAAAA");
    }
}

//! OffsetDelete (`group delete-offsets` against Kafka) through librdkafka's
//! Admin API called directly: rdkafka 0.38 does not wrap
//! DeleteConsumerGroupOffsets. One request for the group; each partition's
//! own error comes back with it (a topic a member subscribes to is
//! GROUP_SUBSCRIBED_TO_TOPIC).

use std::ffi::{CStr, CString};
use std::time::Duration;

use rdkafka::bindings as rd;
use rdkafka::client::{Client, ClientContext};
use rdkafka::error::RDKafkaErrorCode;

use super::admin_event::{options, wait};

/// One partition's outcome: `None` deleted, else Kafka's error for it.
pub type PartitionOutcome = (String, u32, Option<RDKafkaErrorCode>);

/// Deletes `group`'s committed offsets of `partitions`; a group-level error
/// (an unknown group) fails the whole call.
pub fn delete_offsets<C: ClientContext>(
    client: &Client<C>,
    group: &str,
    partitions: &[(String, u32)],
    timeout: Duration,
) -> Result<Vec<PartitionOutcome>, RDKafkaErrorCode> {
    let group = CString::new(group).map_err(|_| RDKafkaErrorCode::InvalidArgument)?;
    let topics: Vec<CString> = partitions
        .iter()
        .map(|(t, _)| CString::new(t.as_str()).map_err(|_| RDKafkaErrorCode::InvalidArgument))
        .collect::<Result<_, _>>()?;
    let timeout_ms = i32::try_from(timeout.as_millis()).unwrap_or(i32::MAX);
    let rk = client.native_ptr();
    // SAFETY: every object created here is destroyed here, once (the request
    // copies the partition list); the result's strings are copied before
    // the event owning them is destroyed; `rk` outlives the call.
    unsafe {
        let list = rd::rd_kafka_topic_partition_list_new(i32::try_from(partitions.len()).unwrap_or(i32::MAX));
        for (topic, (_, partition)) in topics.iter().zip(partitions) {
            rd::rd_kafka_topic_partition_list_add(list, topic.as_ptr(), i32::try_from(*partition).unwrap_or(-1));
        }
        let request = rd::rd_kafka_DeleteConsumerGroupOffsets_new(group.as_ptr(), list);
        rd::rd_kafka_topic_partition_list_destroy(list);
        let queue = rd::rd_kafka_queue_new(rk);
        let options = options(rk, rd::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_DELETECONSUMERGROUPOFFSETS, timeout_ms);
        let mut requests = [request];
        rd::rd_kafka_DeleteConsumerGroupOffsets(rk, requests.as_mut_ptr(), 1, options, queue);
        let result = wait(queue, timeout_ms, |event| read(event));
        rd::rd_kafka_DeleteConsumerGroupOffsets_destroy(request);
        rd::rd_kafka_AdminOptions_destroy(options);
        rd::rd_kafka_queue_destroy(queue);
        result
    }
}

/// # Safety
/// `event` is a live result event without a request-level error ([`wait`]).
unsafe fn read(event: *mut rd::rd_kafka_event_t) -> Result<Vec<PartitionOutcome>, RDKafkaErrorCode> {
    // SAFETY: `event` is live; what is read belongs to it and is copied.
    unsafe {
        let result = rd::rd_kafka_event_DeleteConsumerGroupOffsets_result(event);
        if result.is_null() {
            return Err(RDKafkaErrorCode::Fail);
        }
        let mut count = 0usize;
        let groups = rd::rd_kafka_DeleteConsumerGroupOffsets_result_groups(result, &mut count);
        if count == 0 || groups.is_null() {
            return Err(RDKafkaErrorCode::Fail);
        }
        let group = *groups;
        let error = rd::rd_kafka_group_result_error(group);
        if !error.is_null() {
            return Err(rd::rd_kafka_error_code(error).into());
        }
        let list = rd::rd_kafka_group_result_partitions(group);
        if list.is_null() {
            return Ok(Vec::new());
        }
        let elems = std::slice::from_raw_parts((*list).elems, usize::try_from((*list).cnt).unwrap_or(0));
        Ok(elems
            .iter()
            .map(|p| {
                let topic = CStr::from_ptr(p.topic).to_string_lossy().into_owned();
                let partition = u32::try_from(p.partition).unwrap_or(0);
                let code: RDKafkaErrorCode = p.err.into();
                (topic, partition, (code != RDKafkaErrorCode::NoError).then_some(code))
            })
            .collect())
    }
}

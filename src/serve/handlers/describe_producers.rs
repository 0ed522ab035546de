//! DescribeProducers (key 61): `kafka-transactions describe-producers` and
//! the admin clients' `describeProducers` — each partition's idempotent
//! producers from its producer table (`produce::producers`): id, epoch,
//! last sequence and the last batch's timestamp. There are no transactions,
//! so no coordinator epoch and no open transaction (-1 both), as Kafka
//! shows a producer outside a transaction. As Kafka answers: a partition
//! led elsewhere is NOT_LEADER_OR_FOLLOWER, an unknown one
//! UNKNOWN_TOPIC_OR_PARTITION.

use kafka_protocol::messages::describe_producers_response::{PartitionResponse, ProducerState, TopicResponse};
use kafka_protocol::messages::{DescribeProducersRequest, DescribeProducersResponse, ProducerId, RequestHeader};
use kafka_protocol::protocol::VersionRange;

use crate::serve::dispatch::Ctx;
use crate::serve::errors::code_of;
use crate::serve::leadership::led_here;

pub const VERSIONS: VersionRange = VersionRange { min: 0, max: 0 };

pub fn handle(ctx: &mut Ctx, _header: &RequestHeader, request: DescribeProducersRequest) -> DescribeProducersResponse {
    let mut response = DescribeProducersResponse::default();
    for topic in request.topics {
        let mut answered = TopicResponse::default();
        for index in topic.partition_indexes {
            let mut partition = PartitionResponse::default();
            partition.partition_index = index;
            match producers(ctx, topic.name.0.as_str(), index) {
                Ok(active) => partition.active_producers = active,
                Err(code) => partition.error_code = code,
            }
            answered.partitions.push(partition);
        }
        answered.name = topic.name;
        response.topics.push(answered);
    }
    response
}

/// The partition's producers, or Kafka's error code.
fn producers(ctx: &Ctx, topic: &str, index: i32) -> Result<Vec<ProducerState>, i16> {
    let led = led_here(ctx, topic, index).map_err(|e| e.code())?;
    let slot = ctx.server.slots.get(&ctx.server.cluster, &led.topic, led.partition.partition).map_err(|e| code_of(&e))?;
    let slot = slot.lock().map_err(|_| kafka_protocol::ResponseError::UnknownServerError.code())?;
    Ok(slot
        .producers
        .active()
        .into_iter()
        .map(|p| {
            let mut state = ProducerState::default();
            state.producer_id = ProducerId(p.producer_id);
            state.producer_epoch = i32::from(p.epoch);
            state.last_sequence = p.last_sequence;
            state.last_timestamp = p.last_timestamp;
            state.coordinator_epoch = -1;
            state.current_txn_start_offset = -1;
            state
        })
        .collect())
}

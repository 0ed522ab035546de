//! OffsetDelete (key 47): `kafka-consumer-groups --delete-offsets` and the
//! admin clients' `deleteConsumerGroupOffsets`, through
//! `consumer::group::delete_offsets`. As Kafka answers: an unknown group
//! (or a share group) is GROUP_ID_NOT_FOUND for the whole request; a
//! partition of a topic a live member subscribes to is
//! GROUP_SUBSCRIBED_TO_TOPIC and keeps its offset; an unknown topic or
//! partition is UNKNOWN_TOPIC_OR_PARTITION.

use kafka_protocol::ResponseError;
use kafka_protocol::messages::offset_delete_response::{OffsetDeleteResponsePartition, OffsetDeleteResponseTopic};
use kafka_protocol::messages::{OffsetDeleteRequest, OffsetDeleteResponse, RequestHeader};
use kafka_protocol::protocol::VersionRange;

use crate::consumer::group::delete_offsets::{OffsetDeletion, delete_offsets};
use crate::error::ErrorKind;
use crate::serve::dispatch::Ctx;
use crate::serve::errors::code_of;

pub const VERSIONS: VersionRange = VersionRange { min: 0, max: 0 };

pub fn handle(ctx: &mut Ctx, header: &RequestHeader, request: OffsetDeleteRequest) -> OffsetDeleteResponse {
    let _ = header;
    let mut response = OffsetDeleteResponse::default();
    let group = request.group_id.0.as_str();
    if group.is_empty() {
        response.error_code = ResponseError::InvalidGroupId.code();
        return response;
    }
    let asked: Vec<(String, Vec<u32>)> = request
        .topics
        .iter()
        .map(|t| {
            let partitions = t.partitions.iter().map(|p| u32::try_from(p.partition_index).unwrap_or(u32::MAX)).collect();
            (t.name.0.to_string(), partitions)
        })
        .collect();
    let outcomes = match delete_offsets(&ctx.server.cluster, group, &asked) {
        Ok(outcomes) => outcomes,
        Err(e) => {
            response.error_code = match e.kind {
                ErrorKind::NotFound | ErrorKind::Conflict => ResponseError::GroupIdNotFound.code(),
                _ => code_of(&e),
            };
            return response;
        }
    };
    let mut outcomes = outcomes.into_iter();
    for topic in request.topics {
        let mut answered = OffsetDeleteResponseTopic::default();
        answered.name = topic.name;
        for partition in topic.partitions {
            let mut p = OffsetDeleteResponsePartition::default();
            p.partition_index = partition.partition_index;
            p.error_code = match outcomes.next().map(|(_, _, outcome)| outcome) {
                Some(OffsetDeletion::Deleted) => 0,
                Some(OffsetDeletion::Subscribed) => ResponseError::GroupSubscribedToTopic.code(),
                Some(OffsetDeletion::UnknownPartition) | None => ResponseError::UnknownTopicOrPartition.code(),
            };
            answered.partitions.push(p);
        }
        response.topics.push(answered);
    }
    response
}

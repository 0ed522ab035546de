//! ElectLeaders (key 43): `kafka-leader-election` and the admin clients'
//! `electLeaders`, through `elect-leaders` (`Cluster::elect_partitions`).
//! Election type 0 is preferred, 1 unclean. As Kafka answers: each
//! partition's outcome — NONE when it got a new leader, ELECTION_NOT_NEEDED,
//! PREFERRED_LEADER_NOT_AVAILABLE, ELIGIBLE_LEADERS_NOT_AVAILABLE,
//! UNKNOWN_TOPIC_OR_PARTITION — and for an election over every partition
//! (no partitions named) only the partitions that were elected or failed.

use std::collections::BTreeMap;

use kafka_protocol::ResponseError;
use kafka_protocol::messages::elect_leaders_response::{PartitionResult, ReplicaElectionResult};
use kafka_protocol::messages::{ElectLeadersRequest, ElectLeadersResponse, RequestHeader, TopicName};
use kafka_protocol::protocol::{StrBytes, VersionRange};

use crate::cluster::ElectionMode;
use crate::cluster::admin::elect_leaders::ElectionOutcome;
use crate::serve::dispatch::Ctx;
use crate::serve::errors::code_of;

pub const VERSIONS: VersionRange = VersionRange { min: 0, max: 2 };

pub fn handle(ctx: &mut Ctx, header: &RequestHeader, request: ElectLeadersRequest) -> ElectLeadersResponse {
    let mut response = ElectLeadersResponse::default();
    let mode = match (header.request_api_version, request.election_type) {
        (0, _) | (_, 0) => ElectionMode::Preferred,
        (_, 1) => ElectionMode::Unclean,
        _ => {
            response.error_code = ResponseError::InvalidRequest.code();
            return response;
        }
    };
    let asked: Option<Vec<(String, Vec<u32>)>> = request.topic_partitions.as_ref().map(|topics| {
        topics
            .iter()
            .map(|t| (t.topic.0.to_string(), t.partitions.iter().map(|&p| u32::try_from(p).unwrap_or(u32::MAX)).collect()))
            .collect()
    });
    let every_partition = asked.is_none();
    let outcomes = match ctx.server.cluster.elect_partitions(mode, asked.as_deref()) {
        Ok(outcomes) => outcomes,
        Err(e) => {
            response.error_code = code_of(&e);
            return response;
        }
    };
    let mut by_topic: BTreeMap<String, Vec<PartitionResult>> = BTreeMap::new();
    for (topic, partition, outcome) in outcomes {
        let (error, message) = match outcome {
            ElectionOutcome::Elected(_) => (None, None),
            ElectionOutcome::NotNeeded if every_partition => continue,
            ElectionOutcome::NotNeeded => (Some(ResponseError::ElectionNotNeeded), Some("Leader election not needed for topic partition.")),
            ElectionOutcome::PreferredNotAvailable => (
                Some(ResponseError::PreferredLeaderNotAvailable),
                Some("The preferred leader was not available."),
            ),
            ElectionOutcome::NoEligibleLeader => {
                (Some(ResponseError::EligibleLeadersNotAvailable), Some("No live replica could be elected."))
            }
            ElectionOutcome::UnknownPartition => {
                (Some(ResponseError::UnknownTopicOrPartition), Some("This server does not host this topic-partition."))
            }
        };
        let mut result = PartitionResult::default();
        result.partition_id = i32::try_from(partition).unwrap_or(-1);
        result.error_code = error.map_or(0, |e| e.code());
        result.error_message = message.map(StrBytes::from_static_str);
        by_topic.entry(topic).or_default().push(result);
    }
    response.replica_election_results = by_topic
        .into_iter()
        .map(|(topic, partition_result)| {
            let mut r = ReplicaElectionResult::default();
            r.topic = TopicName(StrBytes::from_string(topic));
            r.partition_result = partition_result;
            r
        })
        .collect();
    response
}

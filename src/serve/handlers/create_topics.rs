//! CreateTopics (key 19): `topic create` through `cluster::admin`, with
//! Kafka's checks and error codes first (an invalid name is
//! INVALID_TOPIC_EXCEPTION, a non-positive partition count
//! INVALID_PARTITIONS, replication factor INVALID_REPLICATION_FACTOR, a bad
//! config INVALID_CONFIG), made for `validate_only` too; -1 partitions or
//! replication factor take Kafka's defaults (1). A name given twice in one
//! request is refused with INVALID_REQUEST and not created, as Kafka does.
//! runnel places replicas itself: an explicit assignment is
//! INVALID_REPLICA_ASSIGNMENT.

use std::collections::HashSet;

use kafka_protocol::ResponseError;
use kafka_protocol::messages::create_topics_request::CreatableTopic;
use kafka_protocol::messages::create_topics_response::CreatableTopicResult;
use kafka_protocol::messages::{CreateTopicsRequest, CreateTopicsResponse, RequestHeader};
use kafka_protocol::protocol::{StrBytes, VersionRange};

use crate::cluster::TopicSpec;
use crate::cluster::admin::topics::{MAX_PARTITIONS, checked_configs};
use crate::cluster::metadata::names;
use crate::consumer::group::forget;
use crate::serve::dispatch::Ctx;
use crate::serve::errors::code_of;
use crate::serve::topic_ids::kafka_topic_id;

pub const VERSIONS: VersionRange = VersionRange { min: 2, max: 7 };

/// A refusal: Kafka's error code and the message.
type Refusal = (i16, String);

pub fn handle(ctx: &mut Ctx, header: &RequestHeader, request: CreateTopicsRequest) -> CreateTopicsResponse {
    let version = header.request_api_version;
    let mut response = CreateTopicsResponse::default();
    let duplicates = duplicate_names(&request.topics);
    for topic in request.topics {
        let name = topic.name.0.to_string();
        if duplicates.contains(&name) {
            continue;
        }
        let mut result = CreatableTopicResult::default();
        result.name = topic.name.clone();
        let spec = TopicSpec {
            name: name.clone(),
            partitions: if topic.num_partitions == -1 { 1 } else { topic.num_partitions.max(0) as u32 },
            replication_factor: if topic.replication_factor == -1 { 1 } else { topic.replication_factor.max(0) as u32 },
            config: topic
                .configs
                .iter()
                .filter_map(|c| Some((c.name.to_string(), c.value.as_ref()?.to_string())))
                .collect(),
        };
        let outcome = if !topic.assignments.is_empty() {
            Err((ResponseError::InvalidReplicaAssignment.code(), "runnel places replicas itself".to_string()))
        } else if let Err(refusal) = check(&topic, &spec) {
            Err(refusal)
        } else if request.validate_only {
            ctx.server.cluster.check_create_topic(&spec).map(|()| None).map_err(|e| (code_of(&e), e.message.clone()))
        } else {
            forget::create_topic(&ctx.server.cluster, &spec)
                .map(|(meta, stale)| {
                    crate::serve::note_stale(&spec.name, stale);
                    Some(meta)
                })
                .map_err(|e| (code_of(&e), e.message.clone()))
        };
        match outcome {
            Ok(meta) => {
                if version >= 5 {
                    result.num_partitions = spec.partitions as i32;
                    result.replication_factor = spec.replication_factor as i16;
                }
                if let (Some(meta), true) = (meta, version >= 7) {
                    result.topic_id = kafka_topic_id(&meta.topic_id);
                }
            }
            Err((code, message)) => {
                result.error_code = code;
                result.error_message = Some(StrBytes::from_string(message));
            }
        }
        response.topics.push(result);
    }
    // After the others, one result per name given more than once.
    let mut duplicates: Vec<String> = duplicates.into_iter().collect();
    duplicates.sort();
    for name in duplicates {
        let mut result = CreatableTopicResult::default();
        result.name = StrBytes::from_string(name).into();
        result.error_code = ResponseError::InvalidRequest.code();
        result.error_message = Some(StrBytes::from_static_str("Duplicate topic name."));
        response.topics.push(result);
    }
    response
}

/// The names that appear more than once in the request.
fn duplicate_names(topics: &[CreatableTopic]) -> HashSet<String> {
    let mut seen = HashSet::new();
    topics.iter().map(|t| t.name.0.to_string()).filter(|name| !seen.insert(name.clone())).collect()
}

/// Kafka's checks of a topic to create, each refused with Kafka's code:
/// the name, the partition count, the replication factor, the configs.
fn check(topic: &CreatableTopic, spec: &TopicSpec) -> Result<(), Refusal> {
    names::validate_topic(&spec.name).map_err(|e| (ResponseError::InvalidTopicException.code(), e.message))?;
    if topic.num_partitions == 0 || topic.num_partitions < -1 {
        let message = "Number of partitions was set to an invalid non-positive value.";
        return Err((ResponseError::InvalidPartitions.code(), message.to_string()));
    }
    if spec.partitions > MAX_PARTITIONS {
        let message = format!("runnel takes at most {MAX_PARTITIONS} partitions per topic, not {}", spec.partitions);
        return Err((ResponseError::InvalidPartitions.code(), message));
    }
    if topic.replication_factor == 0 || topic.replication_factor < -1 {
        let message = "Replication factor must be larger than 0, or -1 to use the default value.";
        return Err((ResponseError::InvalidReplicationFactor.code(), message.to_string()));
    }
    checked_configs(&spec.config).map_err(|e| (ResponseError::InvalidConfig.code(), e.message))?;
    Ok(())
}

//! CreateTopics (key 19): `topic create` through `cluster::admin`, with its
//! validation and Kafka's config names; -1 partitions or replication factor
//! take Kafka's defaults (1). runnel places replicas itself: an explicit
//! assignment is INVALID_REPLICA_ASSIGNMENT.

use kafka_protocol::ResponseError;
use kafka_protocol::messages::create_topics_response::CreatableTopicResult;
use kafka_protocol::messages::{CreateTopicsRequest, CreateTopicsResponse, RequestHeader};
use kafka_protocol::protocol::{StrBytes, VersionRange};

use crate::cluster::TopicSpec;
use crate::serve::dispatch::Ctx;
use crate::serve::errors::code_of;
use crate::serve::topic_ids::kafka_topic_id;

pub const VERSIONS: VersionRange = VersionRange { min: 2, max: 7 };

pub fn handle(ctx: &mut Ctx, header: &RequestHeader, request: CreateTopicsRequest) -> CreateTopicsResponse {
    let version = header.request_api_version;
    let mut response = CreateTopicsResponse::default();
    for topic in request.topics {
        let mut result = CreatableTopicResult::default();
        let name = topic.name.0.to_string();
        result.name = topic.name;
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
        } else if request.validate_only {
            match ctx.server.cluster.find_topic(&name) {
                Ok(Some(_)) => Err((ResponseError::TopicAlreadyExists.code(), format!("topic '{name}' already exists"))),
                Ok(None) => Ok(None),
                Err(e) => Err((code_of(&e), e.message.clone())),
            }
        } else {
            ctx.server.cluster.create_topic(&spec).map(Some).map_err(|e| (code_of(&e), e.message.clone()))
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
    response
}

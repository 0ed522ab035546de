//! CreatePartitions (key 37): growing a topic to `count` partitions through
//! `cluster::admin` (only growing, as in Kafka: INVALID_PARTITIONS
//! otherwise). runnel places the new replicas itself. As in Kafka, every
//! entry of a topic named more than once is refused with INVALID_REQUEST.

use kafka_protocol::ResponseError;
use kafka_protocol::messages::create_partitions_response::CreatePartitionsTopicResult;
use kafka_protocol::messages::{CreatePartitionsRequest, CreatePartitionsResponse, RequestHeader};
use kafka_protocol::protocol::{StrBytes, VersionRange};

use crate::serve::dispatch::Ctx;
use crate::serve::errors::code_of;

pub const VERSIONS: VersionRange = VersionRange { min: 0, max: 3 };

pub fn handle(ctx: &mut Ctx, _header: &RequestHeader, request: CreatePartitionsRequest) -> CreatePartitionsResponse {
    let mut response = CreatePartitionsResponse::default();
    let mut seen = std::collections::HashSet::new();
    let duplicates: std::collections::HashSet<String> =
        request.topics.iter().map(|t| t.name.0.to_string()).filter(|n| !seen.insert(n.clone())).collect();
    for topic in request.topics {
        let name = topic.name.0.to_string();
        let mut result = CreatePartitionsTopicResult::default();
        result.name = topic.name;
        let outcome = match ctx.server.cluster.find_topic(&name) {
            _ if duplicates.contains(&name) => {
                Err((ResponseError::InvalidRequest.code(), "Duplicate topic name.".to_string()))
            }
            _ if topic.assignments.is_some() => {
                Err((ResponseError::InvalidReplicaAssignment.code(), "runnel places replicas itself".to_string()))
            }
            Ok(None) => Err((ResponseError::UnknownTopicOrPartition.code(), format!("unknown topic '{name}'"))),
            Err(e) => Err((code_of(&e), e.message.clone())),
            Ok(Some(meta)) if topic.count <= meta.partition_count() as i32 => Err((
                ResponseError::InvalidPartitions.code(),
                format!("topic '{name}' has {} partitions; a topic only grows", meta.partition_count()),
            )),
            Ok(Some(_)) if request.validate_only => Ok(()),
            Ok(Some(_)) => {
                ctx.server.cluster.add_partitions(&name, topic.count as u32).map(|_| ()).map_err(|e| (code_of(&e), e.message.clone()))
            }
        };
        if let Err((code, message)) = outcome {
            result.error_code = code;
            result.error_message = Some(StrBytes::from_string(message));
        }
        response.results.push(result);
    }
    response
}

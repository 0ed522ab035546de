//! DeleteTopics (key 20): `topic delete` through `cluster::admin` (data and
//! the groups' committed offsets of it go, as in Kafka), by name or, from
//! version 6, by topic id.

use kafka_protocol::ResponseError;
use kafka_protocol::messages::delete_topics_response::DeletableTopicResult;
use kafka_protocol::messages::{DeleteTopicsRequest, DeleteTopicsResponse, RequestHeader, TopicName};
use kafka_protocol::protocol::{StrBytes, VersionRange};

use crate::serve::dispatch::Ctx;
use crate::serve::errors::code_of;
use crate::serve::topic_ids::kafka_topic_id;

pub const VERSIONS: VersionRange = VersionRange { min: 1, max: 6 };

pub fn handle(ctx: &mut Ctx, header: &RequestHeader, request: DeleteTopicsRequest) -> DeleteTopicsResponse {
    let version = header.request_api_version;
    let asked: Vec<(Option<String>, uuid::Uuid)> = if version >= 6 {
        request.topics.into_iter().map(|t| (t.name.map(|n| n.0.to_string()), t.topic_id)).collect()
    } else {
        request.topic_names.into_iter().map(|n| (Some(n.0.to_string()), uuid::Uuid::nil())).collect()
    };
    let mut response = DeleteTopicsResponse::default();
    for (name, id) in asked {
        let mut result = DeletableTopicResult::default();
        let name = name.or_else(|| by_id(ctx, id));
        result.name = name.clone().map(|n| TopicName(StrBytes::from_string(n)));
        let Some(name) = name else {
            result.topic_id = id;
            result.error_code = ResponseError::UnknownTopicId.code();
            response.responses.push(result);
            continue;
        };
        match ctx.server.cluster.delete_topic(&name) {
            Ok(deleted) if version >= 6 => result.topic_id = kafka_topic_id(&deleted.meta.topic_id),
            Ok(_) => {}
            Err(e) => {
                result.error_code = code_of(&e);
                if version >= 5 {
                    result.error_message = Some(StrBytes::from_string(e.message.clone()));
                }
            }
        }
        response.responses.push(result);
    }
    response
}

fn by_id(ctx: &Ctx, id: uuid::Uuid) -> Option<String> {
    let names = ctx.server.cluster.topic_names().ok()?;
    names.into_iter().find(|n| {
        matches!(ctx.server.cluster.topic_snapshot(n), Ok(Some((_, meta))) if kafka_topic_id(&meta.topic_id) == id)
    })
}

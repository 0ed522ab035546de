//! DeleteTopics (key 20): `topic delete` through `cluster::admin` (data and
//! the groups' committed offsets of it go, as in Kafka), by name or, from
//! version 6, by topic id. As in Kafka, an entry with both a name and an
//! id is INVALID_REQUEST, and a name or id given twice is refused (one
//! INVALID_REQUEST result each, after the others) and not deleted.

use std::collections::HashSet;

use kafka_protocol::ResponseError;
use kafka_protocol::messages::delete_topics_response::DeletableTopicResult;
use kafka_protocol::messages::{DeleteTopicsRequest, DeleteTopicsResponse, RequestHeader, TopicName};
use kafka_protocol::protocol::{StrBytes, VersionRange};

use crate::consumer::group::forget;
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
    let (names, ids) = duplicates(&asked);
    for (name, id) in asked {
        let mut result = DeletableTopicResult::default();
        if name.as_ref().is_some_and(|n| names.contains(n)) || (name.is_none() && ids.contains(&id)) {
            continue;
        }
        if name.is_some() && !id.is_nil() {
            result.name = name.map(|n| TopicName(StrBytes::from_string(n)));
            result.topic_id = id;
            refuse(&mut result, version, "You may not specify both topic name and topic id.");
            response.responses.push(result);
            continue;
        }
        let name = name.or_else(|| by_id(ctx, id));
        result.name = name.clone().map(|n| TopicName(StrBytes::from_string(n)));
        let Some(name) = name else {
            result.topic_id = id;
            result.error_code = ResponseError::UnknownTopicId.code();
            response.responses.push(result);
            continue;
        };
        match forget::delete_topic(&ctx.server.cluster, &name) {
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
    let mut names: Vec<String> = names.into_iter().collect();
    names.sort();
    for name in names {
        let mut result = DeletableTopicResult::default();
        result.name = Some(TopicName(StrBytes::from_string(name)));
        refuse(&mut result, version, "Duplicate topic name.");
        response.responses.push(result);
    }
    let mut ids: Vec<uuid::Uuid> = ids.into_iter().collect();
    ids.sort();
    for id in ids {
        let mut result = DeletableTopicResult::default();
        result.topic_id = id;
        refuse(&mut result, version, "Duplicate topic id.");
        response.responses.push(result);
    }
    response
}

/// The names, and the ids of entries without a name, asked more than once.
fn duplicates(asked: &[(Option<String>, uuid::Uuid)]) -> (HashSet<String>, HashSet<uuid::Uuid>) {
    let (mut seen_names, mut seen_ids) = (HashSet::new(), HashSet::new());
    let (mut names, mut ids) = (HashSet::new(), HashSet::new());
    for (name, id) in asked {
        match name {
            Some(name) if !seen_names.insert(name.clone()) => {
                names.insert(name.clone());
            }
            None if !seen_ids.insert(*id) => {
                ids.insert(*id);
            }
            _ => {}
        }
    }
    (names, ids)
}

/// Marks `result` INVALID_REQUEST with `message` (messages from version 5).
fn refuse(result: &mut DeletableTopicResult, version: i16, message: &'static str) {
    result.error_code = ResponseError::InvalidRequest.code();
    if version >= 5 {
        result.error_message = Some(StrBytes::from_static_str(message));
    }
}

fn by_id(ctx: &Ctx, id: uuid::Uuid) -> Option<String> {
    let names = ctx.server.cluster.topic_names().ok()?;
    names.into_iter().find(|n| {
        matches!(ctx.server.cluster.topic_snapshot(n), Ok(Some((_, meta))) if kafka_topic_id(&meta.topic_id) == id)
    })
}

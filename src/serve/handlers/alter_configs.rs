//! AlterConfigs (key 33, the older, non-incremental form librdkafka's
//! `alter_configs` sends): the configs given replace a topic's whole set of
//! overrides — those not named go back to their defaults — through
//! `cluster::admin`, validated as `topic alter -c` is.

use kafka_protocol::ResponseError;
use kafka_protocol::messages::alter_configs_response::AlterConfigsResourceResponse;
use kafka_protocol::messages::{AlterConfigsRequest, AlterConfigsResponse, RequestHeader};
use kafka_protocol::protocol::{StrBytes, VersionRange};

use crate::cluster::rules::topic_config::validate;
use crate::serve::dispatch::Ctx;
use crate::serve::errors::code_of;
use crate::serve::handlers::describe_configs::TOPIC;

pub const VERSIONS: VersionRange = VersionRange { min: 0, max: 2 };

pub fn handle(ctx: &mut Ctx, _header: &RequestHeader, request: AlterConfigsRequest) -> AlterConfigsResponse {
    let mut response = AlterConfigsResponse::default();
    for resource in request.resources {
        let mut result = AlterConfigsResourceResponse::default();
        result.resource_type = resource.resource_type;
        result.resource_name = resource.resource_name.clone();
        let set: Vec<(String, String)> = resource
            .configs
            .iter()
            .map(|c| (c.name.to_string(), c.value.as_ref().map(|v| v.to_string()).unwrap_or_default()))
            .collect();
        if let Err((code, message)) = replace(ctx, &resource.resource_name, resource.resource_type, &set, request.validate_only) {
            result.error_code = code;
            result.error_message = Some(StrBytes::from_string(message));
        }
        response.responses.push(result);
    }
    response
}

fn replace(ctx: &Ctx, topic: &str, kind: i8, set: &[(String, String)], validate_only: bool) -> Result<(), (i16, String)> {
    if kind != TOPIC {
        return Err((ResponseError::InvalidRequest.code(), "only topic configs are alterable on a data dir".into()));
    }
    for (name, value) in set {
        validate(name, value).map_err(|e| (ResponseError::InvalidConfig.code(), e.message.clone()))?;
    }
    let meta = match ctx.server.cluster.find_topic(topic) {
        Ok(Some(meta)) => meta,
        Ok(None) => return Err((ResponseError::UnknownTopicOrPartition.code(), format!("unknown topic '{topic}'"))),
        Err(e) => return Err((code_of(&e), e.message.clone())),
    };
    if validate_only {
        return Ok(());
    }
    let delete: Vec<String> = meta.config.keys().filter(|k| !set.iter().any(|(n, _)| n == *k)).cloned().collect();
    ctx.server.cluster.alter_topic_config(topic, set, &delete).map(|_| ()).map_err(|e| (code_of(&e), e.message.clone()))
}

//! IncrementalAlterConfigs (key 44): SET and DELETE of topic configs
//! through `cluster::admin` (validated as `topic alter -c` is: an unknown
//! name or bad value is INVALID_CONFIG). APPEND and SUBTRACT (list configs)
//! are INVALID_REQUEST; broker resources are not alterable.

use kafka_protocol::ResponseError;
use kafka_protocol::messages::incremental_alter_configs_response::AlterConfigsResourceResponse;
use kafka_protocol::messages::{IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse, RequestHeader};
use kafka_protocol::protocol::{StrBytes, VersionRange};

use crate::cluster::rules::topic_config::validate;
use crate::serve::dispatch::Ctx;
use crate::serve::errors::code_of;
use crate::serve::handlers::describe_configs::TOPIC;

pub const VERSIONS: VersionRange = VersionRange { min: 0, max: 1 };

const SET: i8 = 0;
const DELETE: i8 = 1;

pub fn handle(ctx: &mut Ctx, _header: &RequestHeader, request: IncrementalAlterConfigsRequest) -> IncrementalAlterConfigsResponse {
    let mut response = IncrementalAlterConfigsResponse::default();
    for resource in request.resources {
        let mut result = AlterConfigsResourceResponse::default();
        result.resource_type = resource.resource_type;
        result.resource_name = resource.resource_name.clone();
        let outcome = alter(ctx, &resource.resource_name, resource.resource_type, &resource.configs, request.validate_only);
        if let Err((code, message)) = outcome {
            result.error_code = code;
            result.error_message = Some(StrBytes::from_string(message));
        }
        response.responses.push(result);
    }
    response
}

type Refusal = (i16, String);

fn alter(
    ctx: &Ctx,
    topic: &str,
    kind: i8,
    configs: &[kafka_protocol::messages::incremental_alter_configs_request::AlterableConfig],
    validate_only: bool,
) -> Result<(), Refusal> {
    if kind != TOPIC {
        return Err((ResponseError::InvalidRequest.code(), "only topic configs are alterable on a data dir".into()));
    }
    let mut set = Vec::new();
    let mut delete = Vec::new();
    for config in configs {
        let name = config.name.to_string();
        match config.config_operation {
            SET => {
                let value = config.value.as_ref().map(|v| v.to_string()).unwrap_or_default();
                validate(&name, &value).map_err(|e| (ResponseError::InvalidConfig.code(), e.message.clone()))?;
                set.push((name, value));
            }
            DELETE => delete.push(name),
            _ => return Err((ResponseError::InvalidRequest.code(), format!("only SET and DELETE apply to '{name}'"))),
        }
    }
    if validate_only {
        return match ctx.server.cluster.find_topic(topic) {
            Ok(Some(_)) => Ok(()),
            Ok(None) => Err((ResponseError::UnknownTopicOrPartition.code(), format!("unknown topic '{topic}'"))),
            Err(e) => Err((code_of(&e), e.message.clone())),
        };
    }
    ctx.server.cluster.alter_topic_config(topic, &set, &delete).map(|_| ()).map_err(|e| (code_of(&e), e.message.clone()))
}

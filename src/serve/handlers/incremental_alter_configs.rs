//! IncrementalAlterConfigs (key 44): SET, DELETE, APPEND and SUBTRACT of
//! topic configs through `cluster::admin` (validated as `topic alter -c`
//! is: an unknown name or bad value is INVALID_CONFIG), as Kafka's
//! `ConfigurationControlManager` applies them: APPEND adds each of its
//! comma-separated values a list config lacks, SUBTRACT removes them, both
//! starting from the topic's value (its override, else the default); on a
//! config that is not a list they are INVALID_CONFIG; a key given twice in
//! one resource is INVALID_REQUEST. Broker resources are not alterable.

use kafka_protocol::ResponseError;
use kafka_protocol::messages::incremental_alter_configs_response::AlterConfigsResourceResponse;
use kafka_protocol::messages::{IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse, RequestHeader};
use kafka_protocol::protocol::{StrBytes, VersionRange};

use crate::cluster::rules::topic_config::{kafka_type, known_keys, validate};
use crate::serve::dispatch::Ctx;
use crate::serve::errors::code_of;
use crate::serve::handlers::describe_configs::TOPIC;

pub const VERSIONS: VersionRange = VersionRange { min: 0, max: 1 };

const SET: i8 = 0;
const DELETE: i8 = 1;
const APPEND: i8 = 2;
const SUBTRACT: i8 = 3;
/// Kafka's `ConfigType.LIST`.
const LIST: i8 = 7;

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
    let mut names: Vec<&str> = configs.iter().map(|c| c.name.as_str()).collect();
    names.sort_unstable();
    if names.windows(2).any(|w| w[0] == w[1]) {
        return Err((ResponseError::InvalidRequest.code(), "Error due to duplicate config keys".into()));
    }
    // The topic's configs, read once, by the first APPEND or SUBTRACT.
    let mut current = None;
    let read_current = || match ctx.server.cluster.find_topic(topic) {
        Ok(Some(meta)) => Ok(meta.config),
        Ok(None) => Err((ResponseError::UnknownTopicOrPartition.code(), format!("unknown topic '{topic}'"))),
        Err(e) => Err((code_of(&e), e.message.clone())),
    };
    let mut set = Vec::new();
    let mut delete = Vec::new();
    for config in configs {
        let name = config.name.to_string();
        let value = config.value.as_ref().map(|v| v.to_string()).unwrap_or_default();
        let value = match config.config_operation {
            SET => value,
            DELETE => {
                delete.push(name);
                continue;
            }
            op @ (APPEND | SUBTRACT) => {
                if kafka_type(&name) != LIST {
                    let verb = if op == APPEND { "APPEND" } else { "SUBTRACT" };
                    let why = format!("Can't {verb} to key {name} because its type is not LIST.");
                    return Err((ResponseError::InvalidConfig.code(), why));
                }
                let default = known_keys().find(|(k, _, _)| *k == name).map_or("", |(_, d, _)| d);
                if current.is_none() {
                    current = Some(read_current()?);
                }
                let now = current.as_ref().and_then(|c| c.get(&name)).map_or(default, String::as_str);
                let now = now.to_string();
                combine(&now, &value, op == APPEND)
            }
            op => return Err((ResponseError::InvalidRequest.code(), format!("unknown config operation {op} for '{name}'"))),
        };
        validate(&name, &value).map_err(|e| (ResponseError::InvalidConfig.code(), e.message.clone()))?;
        set.push((name, value));
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

/// A list config's value after APPEND (each of `values` it lacks, added at
/// the end) or SUBTRACT (each of `values` removed), as Kafka combines them.
fn combine(list: &str, values: &str, append: bool) -> String {
    let mut parts: Vec<&str> = list.split(',').filter(|p| !p.is_empty()).collect();
    for value in values.split(',') {
        if append {
            if !parts.contains(&value) {
                parts.push(value);
            }
        } else {
            parts.retain(|p| *p != value);
        }
    }
    parts.join(",")
}

#[cfg(test)]
mod tests {
    use super::combine;

    /// Kafka's `ConfigurationControlManagerTest` cases for list configs.
    #[test]
    fn append_and_subtract_combine_lists_as_kafka_does() {
        assert_eq!(combine("delete", "compact", true), "delete,compact");
        assert_eq!(combine("delete,compact", "compact", true), "delete,compact", "already there");
        assert_eq!(combine("delete,compact", "delete", false), "compact");
        assert_eq!(combine("delete", "compact", false), "delete", "not there");
        assert_eq!(combine("", "1:0,2:0", true), "1:0,2:0");
    }
}

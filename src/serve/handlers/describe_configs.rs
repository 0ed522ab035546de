//! DescribeConfigs (key 32): a topic's configs with Kafka's names — those
//! set on the topic (source DYNAMIC_TOPIC_CONFIG) and the defaults
//! (DEFAULT_CONFIG) — with, as asked, Kafka's synonyms (the override, then
//! the broker configs behind it, `serve::config_synonyms`), each config's
//! type (v3+) and a line of documentation. A broker resource answers the
//! broker's configs (`serve::broker_configs`) when it names the broker
//! asked, none for the cluster-wide defaults (an empty name: a data dir has
//! no dynamic broker configs), and INVALID_REQUEST for another broker, as a
//! Kafka broker answers.

use kafka_protocol::ResponseError;
use kafka_protocol::messages::describe_configs_request::DescribeConfigsResource;
use kafka_protocol::messages::describe_configs_response::{
    DescribeConfigsResourceResult, DescribeConfigsResult, DescribeConfigsSynonym,
};
use kafka_protocol::messages::{DescribeConfigsRequest, DescribeConfigsResponse, RequestHeader};
use kafka_protocol::protocol::{StrBytes, VersionRange};

use crate::cluster::rules::topic_config::{kafka_type, known_keys};
use crate::serve::broker_configs::{broker_configs, named_broker};
use crate::serve::config_synonyms::broker_synonyms;
use crate::serve::dispatch::Ctx;
use crate::serve::errors::code_of;

pub const VERSIONS: VersionRange = VersionRange { min: 1, max: 4 };

/// Kafka's `ConfigResource.Type.TOPIC`.
pub const TOPIC: i8 = 2;
/// Kafka's `ConfigResource.Type.BROKER`.
const BROKER: i8 = 4;
const DYNAMIC_TOPIC_CONFIG: i8 = 1;
const DEFAULT_CONFIG: i8 = 5;

pub fn handle(ctx: &mut Ctx, header: &RequestHeader, request: DescribeConfigsRequest) -> DescribeConfigsResponse {
    let version = header.request_api_version;
    let mut response = DescribeConfigsResponse::default();
    for resource in request.resources {
        let mut result = DescribeConfigsResult::default();
        result.resource_type = resource.resource_type;
        result.resource_name = resource.resource_name.clone();
        if resource.resource_type == BROKER {
            describe_broker(ctx, &resource, request.include_synonyms, version, &mut result);
            response.results.push(result);
            continue;
        }
        if resource.resource_type != TOPIC {
            response.results.push(result);
            continue;
        }
        match ctx.server.cluster.find_topic(&resource.resource_name) {
            Ok(Some(meta)) => {
                let wanted = |name: &str| asked(&resource, name);
                for (name, default, doc) in known_keys().filter(|(name, _, _)| wanted(name)) {
                    let mut config = DescribeConfigsResourceResult::default();
                    config.name = StrBytes::from_static_str(name);
                    let set = meta.config.get(name);
                    match set {
                        Some(value) => {
                            config.value = Some(StrBytes::from_string(value.clone()));
                            config.config_source = DYNAMIC_TOPIC_CONFIG;
                        }
                        None => {
                            config.value = Some(StrBytes::from_static_str(default));
                            config.config_source = DEFAULT_CONFIG;
                        }
                    }
                    if request.include_synonyms {
                        config.synonyms = synonyms(name, set);
                    }
                    if version >= 3 {
                        config.config_type = kafka_type(name);
                        // Null unless asked, as Kafka answers.
                        config.documentation = request.include_documentation.then(|| StrBytes::from_static_str(doc));
                    }
                    result.configs.push(config);
                }
            }
            Ok(None) => result.error_code = ResponseError::UnknownTopicOrPartition.code(),
            Err(e) => {
                result.error_code = code_of(&e);
                result.error_message = Some(StrBytes::from_string(e.message.clone()));
            }
        }
        response.results.push(result);
    }
    response
}

/// Whether `resource` asks for config `name`: Kafka answers every config
/// when the keys are null or empty (`ConfigHelper`), else those named.
fn asked(resource: &DescribeConfigsResource, name: &str) -> bool {
    resource.configuration_keys.as_ref().is_none_or(|keys| keys.is_empty() || keys.iter().any(|k| &**k == name))
}

/// A BROKER resource: this broker's configs, none for the cluster-wide
/// defaults, Kafka's INVALID_REQUEST for a name that is not this broker's id.
fn describe_broker(
    ctx: &Ctx,
    resource: &DescribeConfigsResource,
    include_synonyms: bool,
    version: i16,
    result: &mut DescribeConfigsResult,
) {
    let name = resource.resource_name.as_str();
    if name.is_empty() {
        return;
    }
    let refuse = |result: &mut DescribeConfigsResult, message: String| {
        result.error_code = ResponseError::InvalidRequest.code();
        result.error_message = Some(StrBytes::from_string(message));
    };
    match named_broker(name) {
        Err(message) => return refuse(result, message),
        Ok(id) if id != ctx.broker => {
            let expected = ctx.broker;
            return refuse(result, format!("Unexpected broker id, expected {expected} or empty string, but received {name}"));
        }
        Ok(_) => {}
    }
    let listener = ctx.server.listeners().get(&ctx.broker).copied();
    let log_dir = ctx.server.cluster.layout().broker_dir(ctx.broker);
    let wanted = |name: &str| asked(resource, name);
    for c in broker_configs(ctx.broker, listener, &log_dir).into_iter().filter(|c| wanted(c.name)) {
        let mut config = DescribeConfigsResourceResult::default();
        config.name = StrBytes::from_static_str(c.name);
        config.value = c.value.clone().map(StrBytes::from_string);
        config.config_source = c.source;
        config.read_only = true;
        if include_synonyms {
            let mut own = DescribeConfigsSynonym::default();
            own.name = config.name.clone();
            own.value = config.value.clone();
            own.source = c.source;
            config.synonyms = vec![own];
        }
        if version >= 3 {
            config.config_type = c.config_type;
        }
        result.configs.push(config);
    }
}

/// A topic config's synonyms as Kafka lists them: the topic's own value if
/// set, then each broker config behind it that has a default.
fn synonyms(name: &'static str, set: Option<&String>) -> Vec<DescribeConfigsSynonym> {
    let synonym = |name: StrBytes, value: StrBytes, source: i8| {
        let mut s = DescribeConfigsSynonym::default();
        s.name = name;
        s.value = Some(value);
        s.source = source;
        s
    };
    let own = set.map(|v| synonym(StrBytes::from_static_str(name), StrBytes::from_string(v.clone()), DYNAMIC_TOPIC_CONFIG));
    let brokers = broker_synonyms(name).iter().filter_map(|&(broker, default)| {
        Some(synonym(StrBytes::from_static_str(broker), StrBytes::from_static_str(default?), DEFAULT_CONFIG))
    });
    own.into_iter().chain(brokers).collect()
}

//! A broker's configs as DescribeConfigs of a BROKER resource answers them
//! (`kafka-configs --describe --entity-type brokers --entity-name 0 --all`):
//! what a Kafka broker would need set to behave as this one does. Its
//! identity and listener, and runnel's fixed group rules, are static
//! configs (STATIC_BROKER_CONFIG); the topic defaults behind every topic
//! config (`config_synonyms`) and the broker defaults runnel keeps are
//! Kafka's defaults (DEFAULT_CONFIG). A data dir has no dynamic broker
//! configs, so the cluster-wide default resource (an empty name) has none.

use std::net::SocketAddr;
use std::path::Path;

use super::config_synonyms::broker_synonyms;
use crate::cluster::rules::topic_config::known_keys;

/// Kafka's `ConfigSource`s used here.
pub const STATIC_BROKER_CONFIG: i8 = 4;
pub const DEFAULT_CONFIG: i8 = 5;

/// Kafka's `ConfigType`s used here.
const BOOLEAN: i8 = 1;
const STRING: i8 = 2;
const INT: i8 = 3;
const LONG: i8 = 5;
const DOUBLE: i8 = 6;
const LIST: i8 = 7;

/// One broker config: name, value (`None`: unset, as Kafka shows a config
/// without a default), source and Kafka's type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokerConfig {
    pub name: &'static str,
    pub value: Option<String>,
    pub source: i8,
    pub config_type: i8,
}

/// runnel's group rules and broker behaviour, as a broker's static configs
/// would set them (where runnel differs from Kafka's default, the static
/// value is runnel's: `group.initial.rebalance.delay.ms` is 0 here).
const STATIC_RULES: &[(&str, &str, i8)] = &[
    ("group.initial.rebalance.delay.ms", "0", INT),
    ("group.min.session.timeout.ms", "6000", INT),
    ("group.max.session.timeout.ms", "1800000", INT),
    ("offset.metadata.max.bytes", "4096", INT),
];

/// Kafka's defaults that describe this broker as it is.
const DEFAULTS: &[(&str, &str, i8)] = &[
    ("auto.create.topics.enable", "true", BOOLEAN),
    ("default.replication.factor", "1", INT),
    ("num.partitions", "1", INT),
    ("delete.topic.enable", "true", BOOLEAN),
];

/// The type of a broker config standing behind a topic config.
fn synonym_type(name: &str) -> i8 {
    match name {
        "log.cleanup.policy" => LIST,
        "compression.type" | "log.message.timestamp.type" => STRING,
        "log.cleaner.min.cleanable.ratio" => DOUBLE,
        "log.preallocate" | "unclean.leader.election.enable" => BOOLEAN,
        "compression.gzip.level"
        | "compression.lz4.level"
        | "compression.zstd.level"
        | "log.index.interval.bytes"
        | "log.index.size.max.bytes"
        | "log.retention.hours"
        | "log.retention.minutes"
        | "log.roll.hours"
        | "log.roll.jitter.hours"
        | "log.segment.bytes"
        | "message.max.bytes"
        | "min.insync.replicas" => INT,
        _ => LONG,
    }
}

/// Every config of broker `id`, listening on `listener`, its replicas under `log_dir`; sorted by name.
pub fn broker_configs(id: u32, listener: Option<SocketAddr>, log_dir: &Path) -> Vec<BrokerConfig> {
    let fixed = |name: &'static str, value: String, config_type: i8| BrokerConfig {
        name,
        value: Some(value),
        source: STATIC_BROKER_CONFIG,
        config_type,
    };
    let mut configs = vec![
        fixed("broker.id", id.to_string(), INT),
        fixed("node.id", id.to_string(), INT),
        fixed("log.dirs", log_dir.display().to_string(), STRING),
    ];
    if let Some(addr) = listener {
        configs.push(fixed("listeners", format!("PLAINTEXT://{addr}"), STRING));
        configs.push(fixed("advertised.listeners", format!("PLAINTEXT://{addr}"), STRING));
    }
    configs.extend(STATIC_RULES.iter().map(|&(name, value, t)| fixed(name, value.to_string(), t)));
    let default = |name: &'static str, value: Option<&str>, config_type: i8| BrokerConfig {
        name,
        value: value.map(str::to_string),
        source: DEFAULT_CONFIG,
        config_type,
    };
    configs.extend(DEFAULTS.iter().map(|&(name, value, t)| default(name, Some(value), t)));
    for (topic_config, _, _) in known_keys() {
        for &(name, value) in broker_synonyms(topic_config) {
            if !configs.iter().any(|c| c.name == name) {
                configs.push(default(name, value, synonym_type(name)));
            }
        }
    }
    configs.sort_by_key(|c| c.name);
    configs
}

/// The broker id a BROKER resource names, as Kafka reads it
/// (`resourceNameToBrokerId`): `Err` with Kafka's message for a name that
/// is not a number.
pub fn named_broker(name: &str) -> Result<u32, String> {
    name.parse().map_err(|_| format!("Broker id must be an integer, but it is: {name}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broker_lists_its_identity_rules_and_the_defaults_behind_topic_configs() {
        let addr: SocketAddr = "127.0.0.1:9092".parse().expect("addr");
        let configs = broker_configs(2, Some(addr), Path::new("/data/broker-2"));
        let get = |name: &str| configs.iter().find(|c| c.name == name).cloned().expect(name);
        assert_eq!(get("broker.id").value.as_deref(), Some("2"));
        assert_eq!(get("listeners").value.as_deref(), Some("PLAINTEXT://127.0.0.1:9092"));
        assert_eq!(get("log.dirs").source, STATIC_BROKER_CONFIG);
        assert_eq!(get("group.initial.rebalance.delay.ms").value.as_deref(), Some("0"));
        let retention = get("log.retention.hours");
        assert_eq!((retention.value.as_deref(), retention.source, retention.config_type), (Some("168"), 5, INT));
        assert_eq!(get("log.retention.ms").value, None, "unset, as Kafka shows it");
        assert_eq!(get("log.cleanup.policy").config_type, LIST);
        assert_eq!(get("log.cleaner.min.cleanable.ratio").config_type, DOUBLE);
        assert_eq!(get("message.max.bytes").value.as_deref(), Some("1048588"));
        let mut names: Vec<&str> = configs.iter().map(|c| c.name).collect();
        let sorted = names.clone();
        names.dedup();
        assert_eq!(names, sorted, "each once, sorted");
        assert_eq!(named_broker("0"), Ok(0));
        assert_eq!(named_broker("x"), Err("Broker id must be an integer, but it is: x".to_string()));
    }
}

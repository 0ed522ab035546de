//! The broker configs behind each topic config, as a Kafka broker names
//! them in DescribeConfigs' synonyms (Kafka's `ServerTopicConfigSynonyms`):
//! in priority order, each with the broker's default where it has one
//! (`log.retention.ms` has none, so a topic's `retention.ms` falls back to
//! `log.retention.hours=168`). A data dir has no broker settings, so a
//! topic config's synonyms are its own override, if set, then the broker
//! default Kafka would fall back to.

/// A broker config and its default, if it has one.
pub type BrokerSynonym = (&'static str, Option<&'static str>);

/// The broker configs standing behind `topic_config`, in Kafka's order
/// (none for the throttled-replica lists and the tiered-storage switches).
pub fn broker_synonyms(topic_config: &str) -> &'static [BrokerSynonym] {
    const LONG_MAX: &str = "9223372036854775807";
    match topic_config {
        "cleanup.policy" => &[("log.cleanup.policy", Some("delete"))],
        "compression.gzip.level" => &[("compression.gzip.level", Some("-1"))],
        "compression.lz4.level" => &[("compression.lz4.level", Some("9"))],
        "compression.type" => &[("compression.type", Some("producer"))],
        "compression.zstd.level" => &[("compression.zstd.level", Some("3"))],
        "delete.retention.ms" => &[("log.cleaner.delete.retention.ms", Some("86400000"))],
        "file.delete.delay.ms" => &[("log.segment.delete.delay.ms", Some("60000"))],
        "flush.messages" => &[("log.flush.interval.messages", Some(LONG_MAX))],
        "flush.ms" => &[("log.flush.interval.ms", None), ("log.flush.scheduler.interval.ms", Some(LONG_MAX))],
        "index.interval.bytes" => &[("log.index.interval.bytes", Some("4096"))],
        "local.retention.bytes" => &[("log.local.retention.bytes", Some("-2"))],
        "local.retention.ms" => &[("log.local.retention.ms", Some("-2"))],
        "max.compaction.lag.ms" => &[("log.cleaner.max.compaction.lag.ms", Some(LONG_MAX))],
        "max.message.bytes" => &[("message.max.bytes", Some("1048588"))],
        "message.timestamp.after.max.ms" => &[("log.message.timestamp.after.max.ms", Some("3600000"))],
        "message.timestamp.before.max.ms" => &[("log.message.timestamp.before.max.ms", Some(LONG_MAX))],
        "message.timestamp.type" => &[("log.message.timestamp.type", Some("CreateTime"))],
        "min.cleanable.dirty.ratio" => &[("log.cleaner.min.cleanable.ratio", Some("0.5"))],
        "min.compaction.lag.ms" => &[("log.cleaner.min.compaction.lag.ms", Some("0"))],
        "min.insync.replicas" => &[("min.insync.replicas", Some("1"))],
        "preallocate" => &[("log.preallocate", Some("false"))],
        "retention.bytes" => &[("log.retention.bytes", Some("-1"))],
        "retention.ms" => {
            &[("log.retention.ms", None), ("log.retention.minutes", None), ("log.retention.hours", Some("168"))]
        }
        "segment.bytes" => &[("log.segment.bytes", Some("1073741824"))],
        "segment.index.bytes" => &[("log.index.size.max.bytes", Some("10485760"))],
        "segment.jitter.ms" => &[("log.roll.jitter.ms", None), ("log.roll.jitter.hours", Some("0"))],
        "segment.ms" => &[("log.roll.ms", None), ("log.roll.hours", Some("168"))],
        "unclean.leader.election.enable" => &[("unclean.leader.election.enable", Some("false"))],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::rules::topic_config::known_keys;

    /// A broker default that is a single config's default is the topic
    /// config's own default (the hour- and minute-based ones are checked
    /// by their milliseconds).
    #[test]
    fn the_broker_defaults_agree_with_the_topic_defaults() {
        for (name, default, _) in known_keys() {
            let Some((broker, Some(value))) = broker_synonyms(name).iter().rev().find(|(_, d)| d.is_some()) else {
                continue;
            };
            let value = match *broker {
                "log.retention.hours" | "log.roll.hours" | "log.roll.jitter.hours" => {
                    (value.parse::<i64>().expect("hours") * 3_600_000).to_string()
                }
                _ => value.to_string(),
            };
            assert_eq!(value, default, "{name} against {broker}");
        }
        assert!(broker_synonyms("leader.replication.throttled.replicas").is_empty());
    }
}

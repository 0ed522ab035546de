//! Topic configs: Kafka's names, defaults and validation. A topic stores
//! only the keys a user set; [`TopicSettings`] is the effective, typed view.

use std::collections::BTreeMap;

use crate::error::{Error, Reason, Result};
use crate::store::LogConfig;

/// The kind and range of a config value.
#[derive(Debug, Clone, Copy)]
enum Kind {
    /// An integer in `min..=max`.
    Long {
        min: i64,
        max: i64,
    },
    Bool,
    /// `cleanup.policy`: a comma-separated subset of `delete`, `compact`.
    CleanupPolicy,
    /// `message.timestamp.type`: `CreateTime` or `LogAppendTime`.
    TimestampType,
}

struct Key {
    name: &'static str,
    default: &'static str,
    kind: Kind,
    doc: &'static str,
}

const INT_MAX: i64 = i32::MAX as i64;

const KEYS: &[Key] = &[
    Key {
        name: "cleanup.policy",
        default: "delete",
        kind: Kind::CleanupPolicy,
        doc: "delete old segments, compact to the latest value per key, or both",
    },
    Key {
        name: "delete.retention.ms",
        default: "86400000",
        kind: Kind::Long { min: 0, max: i64::MAX },
        doc: "how long tombstones survive compaction",
    },
    Key {
        name: "index.interval.bytes",
        default: "4096",
        kind: Kind::Long { min: 0, max: INT_MAX },
        doc: "bytes between offset index entries",
    },
    Key {
        name: "max.message.bytes",
        default: "1048588",
        kind: Kind::Long { min: 0, max: INT_MAX },
        doc: "largest record accepted",
    },
    Key {
        name: "min.compaction.lag.ms",
        default: "0",
        kind: Kind::Long { min: 0, max: i64::MAX },
        doc: "records younger than this are not compacted",
    },
    Key {
        name: "min.insync.replicas",
        default: "1",
        kind: Kind::Long { min: 1, max: INT_MAX },
        doc: "in-sync replicas needed for --acks all",
    },
    Key {
        name: "retention.bytes",
        default: "-1",
        kind: Kind::Long { min: -1, max: i64::MAX },
        doc: "largest log size per partition (-1: unlimited)",
    },
    Key {
        name: "retention.ms",
        default: "604800000",
        kind: Kind::Long { min: -1, max: i64::MAX },
        doc: "how long records are kept (-1: forever)",
    },
    Key {
        name: "segment.bytes",
        default: "1073741824",
        kind: Kind::Long { min: 1024, max: INT_MAX },
        doc: "segment file size before rolling",
    },
    Key {
        name: "message.timestamp.type",
        default: "CreateTime",
        kind: Kind::TimestampType,
        doc: "CreateTime: the producer's timestamps; LogAppendTime: stamped when appended",
    },
    Key {
        name: "segment.ms",
        default: "604800000",
        kind: Kind::Long { min: 1, max: i64::MAX },
        doc: "segment age before rolling",
    },
    Key {
        name: "unclean.leader.election.enable",
        default: "false",
        kind: Kind::Bool,
        doc: "allow an out-of-sync replica to become leader",
    },
];

fn key(name: &str) -> Option<&'static Key> {
    KEYS.iter().find(|k| k.name == name)
}

/// The names of all topic configs, for help and completions.
pub fn known_keys() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    KEYS.iter().map(|k| (k.name, k.default, k.doc))
}

/// Checks one `KEY=VALUE`; returns the normalised value. Exit 65 on an
/// unknown key or a bad value, naming the valid range.
pub fn validate(name: &str, value: &str) -> Result<String> {
    let Some(k) = key(name) else {
        let known = KEYS.iter().map(|k| k.name.to_string()).collect();
        return Err(Error::bad_input(format!("unknown topic config '{name}'"))
            .because(Reason::UnknownConfig { name: name.to_string(), known }));
    };
    let value = value.trim();
    match k.kind {
        Kind::Long { min, max } => match value.parse::<i64>() {
            Ok(v) if (min..=max).contains(&v) => Ok(v.to_string()),
            _ => Err(Error::bad_input(format!(
                "invalid value '{value}' for {name}: expected a whole number from {min} to {max}"
            ))),
        },
        Kind::Bool => match value.to_ascii_lowercase().as_str() {
            "true" | "false" => Ok(value.to_ascii_lowercase()),
            _ => Err(Error::bad_input(format!("invalid value '{value}' for {name}: expected true or false"))),
        },
        Kind::TimestampType => match value {
            "CreateTime" | "LogAppendTime" => Ok(value.to_string()),
            _ => Err(Error::bad_input(format!(
                "invalid value '{value}' for {name}: expected CreateTime or LogAppendTime"
            ))),
        },
        Kind::CleanupPolicy => {
            let mut parts: Vec<&str> = value.split(',').map(str::trim).collect();
            parts.sort_unstable();
            parts.dedup();
            let ok = !parts.is_empty() && parts.iter().all(|p| matches!(*p, "delete" | "compact"));
            if ok {
                Ok(parts.join(","))
            } else {
                Err(Error::bad_input(format!(
                    "invalid value '{value}' for {name}: expected delete, compact or compact,delete"
                )))
            }
        }
    }
}

/// Parses `KEY=VALUE` as given on the command line and validates it.
pub fn parse_assignment(text: &str) -> Result<(String, String)> {
    let Some((name, value)) = text.split_once('=') else {
        return Err(Error::usage(format!("config '{text}' is not KEY=VALUE")));
    };
    let name = name.trim();
    let value = validate(name, value)?;
    Ok((name.to_string(), value))
}

/// The effective settings of a topic: defaults overlaid with what was set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicSettings {
    pub cleanup_delete: bool,
    pub cleanup_compact: bool,
    pub delete_retention_ms: i64,
    pub index_interval_bytes: u64,
    /// `message.timestamp.type=LogAppendTime`: records are stamped when appended.
    pub log_append_time: bool,
    pub max_message_bytes: u64,
    pub min_compaction_lag_ms: i64,
    pub min_insync_replicas: u32,
    pub retention_bytes: Option<u64>,
    pub retention_ms: Option<i64>,
    pub segment_bytes: u64,
    pub segment_ms: i64,
    pub unclean_leader_election: bool,
}

impl TopicSettings {
    /// Resolves stored overrides; stored values were validated when set,
    /// but are checked again in case the file was edited by hand.
    pub fn resolve(overrides: &BTreeMap<String, String>) -> Result<TopicSettings> {
        let get = |name: &str| -> Result<String> {
            let default = key(name).map(|k| k.default).unwrap_or_default();
            match overrides.get(name) {
                Some(v) => validate(name, v),
                None => Ok(default.to_string()),
            }
        };
        let long = |name: &str| -> Result<i64> {
            get(name)?.parse::<i64>().map_err(|_| Error::bad_input(format!("invalid {name}")))
        };
        let policy = get("cleanup.policy")?;
        let retention_bytes = long("retention.bytes")?;
        let retention_ms = long("retention.ms")?;
        Ok(TopicSettings {
            cleanup_delete: policy.split(',').any(|p| p == "delete"),
            cleanup_compact: policy.split(',').any(|p| p == "compact"),
            delete_retention_ms: long("delete.retention.ms")?,
            index_interval_bytes: long("index.interval.bytes")? as u64,
            log_append_time: get("message.timestamp.type")? == "LogAppendTime",
            max_message_bytes: long("max.message.bytes")? as u64,
            min_compaction_lag_ms: long("min.compaction.lag.ms")?,
            min_insync_replicas: long("min.insync.replicas")? as u32,
            retention_bytes: (retention_bytes >= 0).then_some(retention_bytes as u64),
            retention_ms: (retention_ms >= 0).then_some(retention_ms),
            segment_bytes: long("segment.bytes")? as u64,
            segment_ms: long("segment.ms")?,
            unclean_leader_election: get("unclean.leader.election.enable")? == "true",
        })
    }
}

/// The store settings of a topic's logs.
pub fn log_config(settings: &TopicSettings) -> LogConfig {
    LogConfig {
        segment_bytes: settings.segment_bytes,
        index_interval_bytes: settings.index_interval_bytes,
        segment_ms: Some(settings.segment_ms),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_kafkas() {
        let s = TopicSettings::resolve(&BTreeMap::new()).expect("defaults");
        assert_eq!(s.segment_bytes, 1 << 30);
        assert_eq!(s.max_message_bytes, 1_048_588);
        assert_eq!(s.retention_ms, Some(604_800_000));
        assert_eq!(s.retention_bytes, None);
        assert!(s.cleanup_delete && !s.cleanup_compact);
        assert_eq!(s.min_insync_replicas, 1);
    }

    #[test]
    fn bad_keys_and_values_are_refused_with_the_range() {
        let err = validate("retention.mss", "1").expect_err("unknown");
        assert_eq!(err.exit_code(), 65);
        let err = validate("min.insync.replicas", "0").expect_err("range");
        assert!(err.message.contains("from 1 to"), "{}", err.message);
        assert!(validate("cleanup.policy", "compact,delete").is_ok());
        assert_eq!(validate("cleanup.policy", "delete, compact").expect("ok"), "compact,delete");
        assert!(validate("cleanup.policy", "shred").is_err());
        assert!(validate("unclean.leader.election.enable", "yes").is_err());
        assert_eq!(parse_assignment("segment.bytes=2048").expect("ok"), ("segment.bytes".into(), "2048".into()));
        assert_eq!(parse_assignment("segment.bytes").expect_err("no =").exit_code(), 2);
    }
}

//! Topic configs: Kafka's names, defaults and validation. A topic stores
//! only the keys a user set; [`TopicSettings`] is the effective, typed view.

use std::collections::BTreeMap;

use super::topic_config_keys::{KEYS, Key, Kind};
use crate::error::{Error, Reason, Result};
use crate::store::LogConfig;

fn key(name: &str) -> Option<&'static Key> {
    KEYS.iter().find(|k| k.name == name)
}

/// The type Kafka's `ConfigDef` gives a topic config, as DescribeConfigs
/// (v3+) answers it: Kafka's `ConfigType` numbering (1 boolean, 2 string,
/// 3 int, 5 long, 6 double, 7 list); 0 (unknown) for a name that is not a
/// topic config.
pub fn kafka_type(name: &str) -> i8 {
    match key(name).map(|k| k.kind) {
        None => 0,
        Some(Kind::Bool) => 1,
        // The one feature missing here, `remote.storage.enable`, is a boolean.
        Some(Kind::Unavailable { .. }) => 1,
        Some(Kind::OneOf(_)) => 2,
        Some(Kind::Long { min, max }) if min >= i64::from(i32::MIN) && max <= i64::from(i32::MAX) => 3,
        Some(Kind::Long { .. }) => 5,
        Some(Kind::Double { .. }) => 6,
        Some(Kind::CleanupPolicy | Kind::ThrottledReplicas) => 7,
    }
}

/// The names of all topic configs, for help and completions.
pub fn known_keys() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    KEYS.iter().map(|k| (k.name, k.default, k.doc))
}

/// Checks one `KEY=VALUE`; returns the normalised value (what the
/// settings are resolved from: a topic's file keeps the value as written).
/// Exit 65 on an unknown key or a bad value, naming the valid range.
pub fn validate(name: &str, value: &str) -> Result<String> {
    let Some(k) = key(name) else {
        let known = KEYS.iter().map(|k| k.name.to_string()).collect();
        return Err(Error::bad_input(format!("unknown topic config '{name}'"))
            .because(Reason::UnknownConfig { name: name.to_string(), known }));
    };
    let value = value.trim();
    match k.kind {
        // Kafka's gzip levels are -1 (zlib's default) or 1 to 9: no 0.
        Kind::Long { .. } if name == "compression.gzip.level" && value.parse::<i64>() == Ok(0) => {
            Err(Error::bad_input(format!(
                "invalid value '{value}' for {name}: expected -1 (the default level) or a whole number from 1 to 9"
            )))
        }
        Kind::Long { min, max } => match value.parse::<i64>() {
            Ok(v) if (min..=max).contains(&v) => Ok(v.to_string()),
            _ => Err(Error::bad_input(format!(
                "invalid value '{value}' for {name}: expected a whole number from {min} to {max}"
            ))),
        },
        Kind::Double { min, max } => match value.parse::<f64>() {
            Ok(v) if (min..=max).contains(&v) => Ok(value.to_string()),
            _ => Err(Error::bad_input(format!(
                "invalid value '{value}' for {name}: expected a number from {min} to {max}"
            ))),
        },
        Kind::Bool => match value.to_ascii_lowercase().as_str() {
            "true" | "false" => Ok(value.to_ascii_lowercase()),
            _ => Err(Error::bad_input(format!("invalid value '{value}' for {name}: expected true or false"))),
        },
        Kind::OneOf(words) => match words.iter().find(|w| **w == value) {
            Some(word) => Ok(word.to_string()),
            None => Err(Error::bad_input(format!("invalid value '{value}' for {name}: expected {}", words.join(", ")))),
        },
        Kind::ThrottledReplicas => {
            let pair =
                |p: &str| p.split_once(':').is_some_and(|(a, b)| a.parse::<u32>().is_ok() && b.parse::<u32>().is_ok());
            let items: Vec<&str> = value.split(',').map(str::trim).collect();
            if value.is_empty() || value == "*" || items.iter().all(|p| pair(p)) {
                Ok(items.join(","))
            } else {
                Err(Error::bad_input(format!(
                    "invalid value '{value}' for {name}: expected *, or PARTITION:BROKER pairs separated by commas"
                )))
            }
        }
        // Kafka reads a boolean in any case.
        Kind::Unavailable { off, .. } if value.eq_ignore_ascii_case(off) => Ok(off.to_string()),
        Kind::Unavailable { off, why } => {
            Err(Error::bad_input(format!("invalid value '{value}' for {name}: only {off} is taken here: {why}")))
        }
        Kind::CleanupPolicy => {
            // Kept as given, as Kafka keeps it: `delete,compact` stays so.
            // Empty is Kafka's empty list (neither policy: nothing is
            // deleted by retention nor compacted), which 4.1 takes.
            let ok = value.is_empty() || value.split(',').map(str::trim).all(|p| matches!(p, "delete" | "compact"));
            if ok {
                Ok(value.to_string())
            } else {
                Err(Error::bad_input(format!(
                    "invalid value '{value}' for {name}: expected delete, compact, compact,delete, or nothing (neither)"
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
    // As Kafka's tools read `KEY=VALUE`: white space around the `=` is
    // not part of either; the value is kept as written once it is valid.
    let (name, value) = (name.trim(), value.trim());
    validate(name, value)?;
    Ok((name.to_string(), value.to_string()))
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
    /// `message.timestamp.after.max.ms` / `before.max.ms`: how far a
    /// CreateTime timestamp may be from the broker's time.
    pub timestamp_after_max_ms: i64,
    pub timestamp_before_max_ms: i64,
}

/// A record's timestamp when it has none (Kafka's `RecordBatch.NO_TIMESTAMP`).
pub const NO_TIMESTAMP: i64 = -1;

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
            cleanup_delete: policy.split(',').any(|p| p.trim() == "delete"),
            cleanup_compact: policy.split(',').any(|p| p.trim() == "compact"),
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
            timestamp_after_max_ms: long("message.timestamp.after.max.ms")?,
            timestamp_before_max_ms: long("message.timestamp.before.max.ms")?,
        })
    }

    /// `Err(why)` for a record timestamp a Kafka broker refuses at `now_ms`
    /// (INVALID_TIMESTAMP): on a CreateTime topic, further after or before
    /// the broker's time than `message.timestamp.after.max.ms` /
    /// `before.max.ms` allow. No timestamp (-1) is not checked, as in Kafka.
    pub fn check_timestamp(&self, timestamp: i64, now_ms: i64) -> Result<(), String> {
        if self.log_append_time || timestamp == NO_TIMESTAMP {
            return Ok(());
        }
        let (earliest, latest) = self.timestamp_window(now_ms);
        if (earliest..=latest).contains(&timestamp) {
            return Ok(());
        }
        let (limit, value) = if timestamp > latest {
            ("message.timestamp.after.max.ms", self.timestamp_after_max_ms)
        } else {
            ("message.timestamp.before.max.ms", self.timestamp_before_max_ms)
        };
        Err(format!(
            "timestamp {timestamp} is out of range: it must be within [{earliest}, {latest}], the broker's time {now_ms} \
             with the topic's {limit}={value} (as Kafka refuses it)"
        ))
    }

    /// The CreateTime timestamps a Kafka broker takes at `now_ms`: from
    /// `message.timestamp.before.max.ms` before it to `after.max.ms` after.
    pub fn timestamp_window(&self, now_ms: i64) -> (i64, i64) {
        (now_ms.saturating_sub(self.timestamp_before_max_ms), now_ms.saturating_add(self.timestamp_after_max_ms))
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
        assert_eq!(validate("cleanup.policy", "delete, compact").expect("ok"), "delete, compact", "kept as given");
        assert!(validate("cleanup.policy", "shred").is_err());
        assert!(validate("cleanup.policy", "delete,").is_err(), "an empty item is not Kafka's empty list");
        assert_eq!(validate("cleanup.policy", "").expect("Kafka's empty list"), "");
        let neither = TopicSettings::resolve(&BTreeMap::from([("cleanup.policy".to_string(), String::new())]));
        let neither = neither.expect("resolves");
        assert!(!neither.cleanup_delete && !neither.cleanup_compact, "kept forever, not compacted");
        assert!(validate("unclean.leader.election.enable", "yes").is_err());
        assert_eq!(parse_assignment("segment.bytes=2048").expect("ok"), ("segment.bytes".into(), "2048".into()));
        assert_eq!(parse_assignment("segment.bytes").expect_err("no =").exit_code(), 2);
    }

    /// Kafka's other topic configs are taken as Kafka's validation takes
    /// them (Kafka 4.1's LogConfig), and refused where it refuses them.
    #[test]
    fn kafkas_other_topic_configs_are_validated_as_kafka_validates_them() {
        for (name, value) in [
            ("compression.type", "gzip"),
            ("compression.type", "producer"),
            ("compression.zstd.level", "-5"),
            ("min.cleanable.dirty.ratio", "0.3"),
            ("flush.ms", "1000"),
            ("preallocate", "true"),
            ("segment.index.bytes", "4096"),
            ("leader.replication.throttled.replicas", "*"),
            ("follower.replication.throttled.replicas", "0:1,1:2"),
            ("local.retention.ms", "-2"),
            ("retention.bytes", "-2"),
            ("remote.storage.enable", "false"),
            ("remote.storage.enable", "FALSE"),
            ("message.timestamp.after.max.ms", "0"),
            ("compression.gzip.level", "1"),
            ("compression.zstd.level", "0"),
        ] {
            assert!(validate(name, value).is_ok(), "{name}={value}");
        }
        for (name, value) in [
            ("compression.type", "brotli"),
            ("compression.gzip.level", "10"),
            ("compression.gzip.level", "0"),
            ("min.cleanable.dirty.ratio", "1.5"),
            ("flush.messages", "0"),
            ("segment.index.bytes", "3"),
            ("leader.replication.throttled.replicas", "0-1"),
            ("local.retention.bytes", "-3"),
            ("remote.storage.enable", "true"),
            ("message.timestamp.before.max.ms", "-1"),
        ] {
            assert_eq!(validate(name, value).map_err(|e| e.exit_code()), Err(65), "{name}={value}");
        }
        assert_eq!(known_keys().count(), 33, "Kafka 4.1's topic configs");
    }

    /// Each topic config's type as Kafka 4.1's `LogConfig` defines it.
    #[test]
    fn types_are_kafkas() {
        let (boolean, string, int, long, double, list) = (1, 2, 3, 5, 6, 7);
        let expected = [
            ("cleanup.policy", list),
            ("compression.gzip.level", int),
            ("compression.lz4.level", int),
            ("compression.type", string),
            ("compression.zstd.level", int),
            ("delete.retention.ms", long),
            ("file.delete.delay.ms", long),
            ("flush.messages", long),
            ("flush.ms", long),
            ("follower.replication.throttled.replicas", list),
            ("index.interval.bytes", int),
            ("leader.replication.throttled.replicas", list),
            ("local.retention.bytes", long),
            ("local.retention.ms", long),
            ("max.compaction.lag.ms", long),
            ("max.message.bytes", int),
            ("message.timestamp.after.max.ms", long),
            ("message.timestamp.before.max.ms", long),
            ("message.timestamp.type", string),
            ("min.cleanable.dirty.ratio", double),
            ("min.compaction.lag.ms", long),
            ("min.insync.replicas", int),
            ("preallocate", boolean),
            ("remote.log.copy.disable", boolean),
            ("remote.log.delete.on.disable", boolean),
            ("remote.storage.enable", boolean),
            ("retention.bytes", long),
            ("retention.ms", long),
            ("segment.bytes", int),
            ("segment.index.bytes", int),
            ("segment.jitter.ms", long),
            ("segment.ms", long),
            ("unclean.leader.election.enable", boolean),
        ];
        let got: Vec<(&str, i8)> = known_keys().map(|(name, _, _)| (name, kafka_type(name))).collect();
        assert_eq!(got, expected);
        assert_eq!(kafka_type("no.such.config"), 0);
    }

    /// Kafka's LogValidator: a CreateTime timestamp more than
    /// `message.timestamp.after.max.ms` (default an hour) after the broker's
    /// time, or more than `before.max.ms` before it, is refused; -1 (none)
    /// and LogAppendTime topics are not checked.
    #[test]
    fn timestamps_are_checked_against_the_brokers_time_as_kafka_checks_them() {
        let now = 1_700_000_000_000;
        let defaults = TopicSettings::resolve(&BTreeMap::new()).expect("defaults");
        assert!(defaults.check_timestamp(now + 3_600_000, now).is_ok());
        let why = defaults.check_timestamp(now + 3_600_001, now).expect_err("an hour and a ms ahead");
        assert!(why.contains("message.timestamp.after.max.ms=3600000"), "{why}");
        assert!(defaults.check_timestamp(0, now).is_ok(), "no limit before, by default");
        assert!(defaults.check_timestamp(-1, now).is_ok(), "no timestamp");
        let set = |pairs: &[(&str, &str)]| {
            TopicSettings::resolve(&pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()).expect("set")
        };
        let bounded = set(&[("message.timestamp.before.max.ms", "1000")]);
        assert!(bounded.check_timestamp(now - 1000, now).is_ok());
        assert!(bounded.check_timestamp(now - 1001, now).expect_err("too old").contains("before.max.ms=1000"));
        let stamped = set(&[("message.timestamp.type", "LogAppendTime")]);
        assert!(stamped.check_timestamp(now + 10 * 3_600_000, now).is_ok());
    }
}

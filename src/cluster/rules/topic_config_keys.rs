//! Kafka's topic configs (Kafka 4.1's `LogConfig`): each name, its default,
//! the values Kafka's validation accepts, and what it does here. runnel acts
//! on the retention, segment, compaction, size, timestamp, replication and
//! index ones; the others (compression, flushing, preallocation, tiered
//! storage, throttling) are accepted, kept and shown as Kafka keeps them, so
//! a tool or script written for Kafka sets them here too (REFERENCE.md §9).

/// The kind and range of a config value.
#[derive(Debug, Clone, Copy)]
pub(super) enum Kind {
    /// An integer in `min..=max`.
    Long {
        min: i64,
        max: i64,
    },
    /// A number in `min..=max` (`min.cleanable.dirty.ratio`).
    Double {
        min: f64,
        max: f64,
    },
    Bool,
    /// One of these words.
    OneOf(&'static [&'static str]),
    /// `cleanup.policy`: a comma-separated subset of `delete`, `compact`.
    CleanupPolicy,
    /// `*.replication.throttled.replicas`: empty, `*`, or
    /// `PARTITION:BROKER` pairs separated by commas.
    ThrottledReplicas,
    /// A feature this broker does not have: only its off value is taken.
    Unavailable {
        off: &'static str,
        why: &'static str,
    },
}

pub(super) struct Key {
    pub name: &'static str,
    pub default: &'static str,
    pub kind: Kind,
    pub doc: &'static str,
}

const INT_MAX: i64 = i32::MAX as i64;
const LONG_MAX: i64 = i64::MAX;

const fn long(name: &'static str, default: &'static str, min: i64, max: i64, doc: &'static str) -> Key {
    Key { name, default, kind: Kind::Long { min, max }, doc }
}

const fn kept(name: &'static str, default: &'static str, kind: Kind, doc: &'static str) -> Key {
    Key { name, default, kind, doc }
}

/// Kafka's topic configs, sorted by name.
pub(super) const KEYS: &[Key] = &[
    kept(
        "cleanup.policy",
        "delete",
        Kind::CleanupPolicy,
        "delete old segments, compact to the latest value per key, or both",
    ),
    long(
        "compression.gzip.level",
        "-1",
        -1,
        9,
        "gzip level for compression.type=gzip (kept: records are stored uncompressed)",
    ),
    long(
        "compression.lz4.level",
        "9",
        1,
        17,
        "lz4 level for compression.type=lz4 (kept: records are stored uncompressed)",
    ),
    kept(
        "compression.type",
        "producer",
        Kind::OneOf(&["uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"]),
        "the codec of stored batches (kept: runnel stores records uncompressed and serves them so)",
    ),
    long(
        "compression.zstd.level",
        "3",
        -131072,
        22,
        "zstd level for compression.type=zstd (kept: records are stored uncompressed)",
    ),
    long("delete.retention.ms", "86400000", 0, LONG_MAX, "how long tombstones survive compaction"),
    long(
        "file.delete.delay.ms",
        "60000",
        0,
        LONG_MAX,
        "wait before a deleted segment's file goes (kept: runnel removes it at once)",
    ),
    long(
        "flush.messages",
        "9223372036854775807",
        1,
        LONG_MAX,
        "records between forced fsyncs (kept: runnel fsyncs every acknowledged append)",
    ),
    long(
        "flush.ms",
        "9223372036854775807",
        0,
        LONG_MAX,
        "time between forced fsyncs (kept: runnel fsyncs every acknowledged append)",
    ),
    kept(
        "follower.replication.throttled.replicas",
        "",
        Kind::ThrottledReplicas,
        "replicas whose follower traffic is throttled (kept: runnel has no quotas)",
    ),
    long("index.interval.bytes", "4096", 0, INT_MAX, "bytes between offset index entries"),
    kept(
        "leader.replication.throttled.replicas",
        "",
        Kind::ThrottledReplicas,
        "replicas whose leader traffic is throttled (kept: runnel has no quotas)",
    ),
    long(
        "local.retention.bytes",
        "-2",
        -2,
        LONG_MAX,
        "local log size with tiered storage (kept: runnel has no tiered storage)",
    ),
    long(
        "local.retention.ms",
        "-2",
        -2,
        LONG_MAX,
        "local log age with tiered storage (kept: runnel has no tiered storage)",
    ),
    long(
        "max.compaction.lag.ms",
        "9223372036854775807",
        1,
        LONG_MAX,
        "longest a record stays uncompacted (kept: runnel compacts at every clean)",
    ),
    long("max.message.bytes", "1048588", 0, INT_MAX, "largest record batch accepted"),
    long(
        "message.timestamp.after.max.ms",
        "3600000",
        0,
        LONG_MAX,
        "how far after the broker's time a CreateTime timestamp may be",
    ),
    long(
        "message.timestamp.before.max.ms",
        "9223372036854775807",
        0,
        LONG_MAX,
        "how far before the broker's time a CreateTime timestamp may be",
    ),
    kept(
        "message.timestamp.type",
        "CreateTime",
        Kind::OneOf(&["CreateTime", "LogAppendTime"]),
        "CreateTime: the producer's timestamps; LogAppendTime: stamped when appended",
    ),
    kept(
        "min.cleanable.dirty.ratio",
        "0.5",
        Kind::Double { min: 0.0, max: 1.0 },
        "share of a log not yet compacted before it is (kept: runnel compacts at every clean)",
    ),
    long("min.compaction.lag.ms", "0", 0, LONG_MAX, "records younger than this are not compacted"),
    long("min.insync.replicas", "1", 1, INT_MAX, "in-sync replicas needed for --acks all"),
    kept("preallocate", "false", Kind::Bool, "create segment files at their full size (kept: runnel grows them)"),
    kept(
        "remote.log.copy.disable",
        "false",
        Kind::Bool,
        "stop copying to tiered storage (kept: runnel has no tiered storage)",
    ),
    kept(
        "remote.log.delete.on.disable",
        "false",
        Kind::Bool,
        "delete tiered data when tiered storage is turned off (kept: runnel has no tiered storage)",
    ),
    kept(
        "remote.storage.enable",
        "false",
        Kind::Unavailable {
            off: "false",
            why: "runnel has no tiered storage (a Kafka broker without it refuses true too)",
        },
        "tiered storage for the topic",
    ),
    long("retention.bytes", "-1", i64::MIN, LONG_MAX, "largest log size per partition (negative: unlimited)"),
    long("retention.ms", "604800000", -1, LONG_MAX, "how long records are kept (-1: forever)"),
    long("segment.bytes", "1073741824", 1024, INT_MAX, "segment file size before rolling"),
    long("segment.index.bytes", "10485760", 4, INT_MAX, "offset index size (kept: runnel's indexes grow as needed)"),
    long("segment.jitter.ms", "0", 0, LONG_MAX, "random jitter on segment.ms (kept: runnel rolls at segment.ms)"),
    long("segment.ms", "604800000", 1, LONG_MAX, "segment age before rolling"),
    kept("unclean.leader.election.enable", "false", Kind::Bool, "allow an out-of-sync replica to become leader"),
];

//! Plain values from topic configs and back: a log's settings
//! ([`LogConfig`]), what retention and compaction are asked to do and what
//! they report, and a closed segment as both see it. Shared by the
//! [`Log`](super::Log) and its two clean-up operations.

/// Per-log settings (from topic configs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogConfig {
    /// Roll to a new segment before one would pass this size (`segment.bytes`).
    pub segment_bytes: u64,
    /// Bytes between index entries (`index.interval.bytes`).
    pub index_interval_bytes: u64,
    /// Roll before appending a frame stamped more than this many ms after
    /// the active segment's first frame (`segment.ms`); `None`: never.
    pub segment_ms: Option<i64>,
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig { segment_bytes: 1 << 30, index_interval_bytes: 4096, segment_ms: None }
    }
}

/// What the topic's configs ask of compaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CompactPolicy {
    pub delete_retention_ms: i64,
    pub min_compaction_lag_ms: i64,
}

/// What a compaction pass did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Compacted {
    pub segments_rewritten: usize,
    pub records_removed: u64,
    pub bytes_before: u64,
    pub bytes_after: u64,
}

/// What the topic's configs ask of retention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RetentionPolicy {
    /// `cleanup.policy` includes `delete`: the two limits below apply.
    pub delete: bool,
    pub retention_ms: Option<i64>,
    pub retention_bytes: Option<u64>,
}

/// One segment as retention sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SegmentInfo {
    pub base: u64,
    /// The base of the following segment: every offset here is below it.
    pub next_base: u64,
    pub size: u64,
}

/// What [`Log::apply_retention`](crate::store::Log::apply_retention) deleted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Retained {
    pub deleted_segments: Vec<u64>,
    pub deleted_bytes: u64,
    /// The log start offset afterwards.
    pub log_start: u64,
}

//! Consumer-group partition assignment, modelled on Apache Kafka's client-side assignors.
//!
//! This module owns the pure decision of which group member consumes which partition.
//! It does no I/O and knows nothing of the group protocol; callers pass in the members'
//! subscriptions and the partition count of each topic, and get back an [`Assignment`].
//!
//! - [`range()`] equals Kafka's `RangeAssignor` (without rack awareness).
//! - [`round_robin()`] equals Kafka's `RoundRobinAssignor`.
//! - [`sticky()`] equals Kafka's `StickyAssignor` (`AbstractStickyAssignor`'s constrained and
//!   general builders, Java collection orders included; [`sticky_owned()`] takes generations).
//! - [`cooperative_sticky()`] equals Kafka's `CooperativeStickyAssignor`: the sticky
//!   assignment less the partitions that change owner, which a follow-up rebalance assigns.
//!
//! Not modelled: rack awareness (runnel has no racks) and static membership
//! (`group.instance.id`, which Kafka ranks ahead of the member id when ordering members).
//!
//! Ordering: Kafka orders member ids and topic names with Java's `String.compareTo`, which
//! compares UTF-16 code units. Wherever that order decides the outcome we use the same
//! order, so results match Kafka even for ids containing characters outside the Basic
//! Multilingual Plane (where UTF-16 order and Rust's `str` order disagree). The partition
//! lists in an [`Assignment`] are sorted with [`TopicPartition`]'s own `Ord`.
//!
//! Layout: this file holds the shared types ([`MemberSubscription`], [`Assignment`],
//! [`Strategy`]; [`TopicPartition`] lives in `consumer::topic_partition`, shared with the
//! groups, and is re-exported here) and the [`assign`] dispatch. Each strategy has its own
//! file or folder (`range.rs`, `round_robin.rs`, `sticky/`, `cooperative_sticky.rs`) built on
//! the helpers in `common.rs`; a new strategy goes beside them: a file, a [`Strategy`]
//! variant and an arm in [`assign`]. The tests are in `tests/`, one file per Kafka test class.

mod common;
mod cooperative_sticky;
mod range;
mod round_robin;
mod sticky;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

pub use crate::consumer::topic_partition::TopicPartition;
pub use cooperative_sticky::{cooperative_sticky, cooperative_sticky_owned};
pub use range::range;
pub use round_robin::round_robin;
pub use sticky::{DEFAULT_GENERATION, Owned, Ownership, StickyOutcome, sticky, sticky_owned};

/// A group member and the topics it subscribes to.
///
/// If several entries share a `member_id` they are treated as one member subscribing to
/// the union of their topics; repeated topics are ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberSubscription {
    /// The member's id within the group.
    pub member_id: String,
    /// The topics the member wants to consume.
    pub topics: Vec<String>,
}

impl MemberSubscription {
    /// A member subscribing to `topics`.
    #[must_use]
    pub fn new<T: Into<String>>(member_id: impl Into<String>, topics: impl IntoIterator<Item = T>) -> Self {
        Self { member_id: member_id.into(), topics: topics.into_iter().map(Into::into).collect() }
    }
}

/// member_id -> its partitions, sorted by (topic, partition). Every member in the input appears as a key (possibly with an empty Vec).
pub type Assignment = BTreeMap<String, Vec<TopicPartition>>;

/// The assignment strategies, named as in Kafka's `partition.assignment.strategy` protocol names.
///
/// Serialized (in a group's `state.json` and the admin JSON) as its [`name`](Self::name);
/// each variant's serde name must stay equal to it, since files on disk hold it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Strategy {
    /// Kafka's `RangeAssignor` (`"range"`).
    #[serde(rename = "range")]
    Range,
    /// Kafka's `RoundRobinAssignor` (`"roundrobin"`).
    #[serde(rename = "roundrobin")]
    RoundRobin,
    /// Kafka's `StickyAssignor` (`"sticky"`).
    #[serde(rename = "sticky")]
    Sticky,
    /// Kafka's `CooperativeStickyAssignor` (`"cooperative-sticky"`): incremental
    /// rebalancing (KIP-429), where members keep the partitions they retain.
    #[serde(rename = "cooperative-sticky")]
    CooperativeSticky,
}

impl Strategy {
    /// Every strategy, in declaration order.
    pub const ALL: [Self; 4] = [Self::Range, Self::RoundRobin, Self::Sticky, Self::CooperativeSticky];

    /// The protocol name Kafka uses for this strategy: `"range"`, `"roundrobin"`, `"sticky"`
    /// or `"cooperative-sticky"`.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Self::Range => "range",
            Self::RoundRobin => "roundrobin",
            Self::Sticky => "sticky",
            Self::CooperativeSticky => "cooperative-sticky",
        }
    }

    /// Whether the strategy rebalances incrementally (Kafka's `COOPERATIVE` protocol):
    /// partitions that change owner are left unassigned until their old owner has released
    /// them, and members keep consuming what they retain.
    #[must_use]
    pub fn is_cooperative(&self) -> bool {
        matches!(self, Self::CooperativeSticky)
    }

    /// The strategy whose [`name`](Self::name) is exactly `s` (case-sensitive, like Kafka's
    /// protocol names), or `None`.
    #[must_use]
    pub fn parse(s: &str) -> Option<Strategy> {
        Self::ALL.into_iter().find(|strategy| strategy.name() == s)
    }
}

impl fmt::Display for Strategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Assigns the partitions of the members' subscribed topics with `strategy`.
///
/// partition_counts: topic -> number of partitions (topics missing from this map are ignored).
/// previous: the last generation's assignment (used only by the sticky strategies).
#[must_use]
pub fn assign(
    strategy: Strategy,
    members: &[MemberSubscription],
    partition_counts: &BTreeMap<String, u32>,
    previous: &Assignment,
) -> Assignment {
    match strategy {
        Strategy::Range => range(members, partition_counts),
        Strategy::RoundRobin => round_robin(members, partition_counts),
        Strategy::Sticky => sticky(members, partition_counts, previous),
        Strategy::CooperativeSticky => cooperative_sticky(members, partition_counts, previous),
    }
}

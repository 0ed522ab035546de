//! The cluster: a data dir's brokers, topics and partition state as JSON
//! under file locks, and everything done with them. Four rooms, by kind of
//! work: `metadata/` (the documents and where they live), `rules/` (pure
//! rules: placement, election, epochs, configs), `replication/` (writing to
//! and levelling replicas under a partition's lock) and `admin/` (the
//! operations commands call on a [`Cluster`]).

pub mod admin;
mod handle;
pub mod metadata;
pub mod replication;
pub mod rules;

pub use admin::broker_recover::{RecoverMode, RecoverProgress, RecoverReport, ReplicaRecovery};
pub use admin::brokers::BrokerSummary;
pub use admin::elect_leaders::ElectionMode;
pub use admin::topics::{DeletedTopic, PartitionStatus, TopicDescription, TopicSpec};
pub use handle::{Cluster, InitOutcome};
pub use metadata::documents::{BrokerMeta, BrokerStatus, ClusterMeta, PartitionMeta, TopicMeta};
pub use metadata::layout::Layout;
pub use replication::catch_up::CatchUp;
pub use replication::leader_change::LeadershipChange;
pub use replication::partition_lifecycle::{PartitionCleaned, TrimPoint};
pub use rules::topic_config::log_config;

#[cfg(test)]
mod tests_failover;

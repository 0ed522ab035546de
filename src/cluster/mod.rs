//! The cluster: metadata as JSON under file locks (brokers, topics,
//! partition state), replica placement, leader election, and the partition
//! writer that appends to every in-sync replica.

pub mod brokers;
mod catch_up;
pub mod cleaner;
pub mod config;
mod elect;
pub mod election;
pub mod epochs;
mod handle;
pub mod health;
pub mod ids;
pub mod json_file;
pub mod layout;
pub mod leader_epoch;
mod leadership;
pub mod lock;
pub mod meta_cache;
pub mod metadata;
pub mod names;
pub mod partition_writer;
pub mod placement;
mod recovery;
pub mod replica_sync;
pub mod suggest;
mod topics;
pub mod usage;
pub mod verify;

pub use brokers::BrokerSummary;
pub use catch_up::CatchUp;
pub use cleaner::{PartitionCleaned, TrimPoint};
pub use elect::ElectionMode;
pub use handle::{Cluster, InitOutcome};
pub use layout::Layout;
pub use leadership::LeadershipChange;
pub use metadata::{BrokerMeta, BrokerStatus, ClusterMeta, PartitionMeta, TopicMeta};
pub use recovery::{RecoverMode, RecoverProgress, RecoverReport, ReplicaRecovery};
pub use topics::{PartitionStatus, TopicDescription, TopicSpec, log_config};

#[cfg(test)]
mod tests_failover;

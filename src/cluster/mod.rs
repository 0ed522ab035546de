//! The cluster: metadata as JSON under file locks (brokers, topics,
//! partition state), replica placement, leader election, and the partition
//! writer that appends to every in-sync replica.

pub mod config;
pub mod election;
mod handle;
pub mod ids;
pub mod json_file;
pub mod layout;
pub mod leader_epoch;
pub mod lock;
pub mod metadata;
pub mod names;
pub mod partition_writer;
pub mod placement;
pub mod replica_sync;
pub mod suggest;
mod topics;

pub use handle::{Cluster, InitOutcome};
pub use layout::Layout;
pub use metadata::{BrokerStatus, ClusterMeta, PartitionMeta, TopicMeta};
pub use topics::{PartitionStatus, TopicDescription, TopicSpec, log_config};

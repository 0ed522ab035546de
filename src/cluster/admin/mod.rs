//! Admin operations on a [`Cluster`](crate::cluster::Cluster): topics,
//! brokers (add, fail, recover), leader elections, the log lifecycle (retention,
//! compaction, trim), disk usage, and verification and repair of a whole
//! data dir (temporary files left by interrupted metadata writes included). Each
//! file adds its operations to `Cluster`; nothing else does.

pub mod broker_recover;
pub mod brokers;
pub mod disk_usage;
pub mod elect_leaders;
pub mod log_lifecycle;
pub mod repair_data_dir;
pub mod stale_temp_files;
pub mod stray_replicas;
pub mod topics;
pub mod verify_data_dir;

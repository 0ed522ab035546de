//! Replication mechanics under a partition's lock: the partition writer that
//! appends to every in-sync replica, levelling followers with the leader,
//! catching a replica up by leader epoch, changing a partition's leader, and
//! the group commit that lets concurrent writers share their fsyncs, and the
//! count of the partition lock's holds that tells a writer nobody else
//! touched the partition since its last append.

pub(crate) mod catch_up;
pub mod group_commit;
pub(crate) mod leader_change;
pub mod partition_lifecycle;
pub mod partition_lock;
pub mod partition_writer;
pub mod replica_epochs;
pub mod replica_marker;
pub mod replica_sync;

//! Whole-replica walks for admin commands, read only: verifying a replica
//! (`log verify`), walking a segment's frames or an index's entries (`log
//! dump`), the epochs its frame headers record (leader recovery), and its
//! disk usage (`log du`).

mod dump_walk;
mod epochs;
mod index_walk;
mod usage;
mod verify_replica;

pub use dump_walk::{TornEnd, segment_files, walk_segment};
pub use epochs::{EpochStart, FrameEpochs, frame_epochs};
pub use index_walk::{IndexEntry, IndexWalk, SegmentFileKind, segment_file_base, segment_file_kind, walk_index};
pub use usage::{DiskUsage, disk_usage};
pub use verify_replica::{Finding, ReplicaVerify, verify_replica};

#[cfg(test)]
mod tests;

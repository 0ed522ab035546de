//! The store: one replica of one partition on disk — frames, segments,
//! indexes, the open scan, reading, durability and verification. It knows
//! bytes and offsets, never topics, brokers or JSON.
//!
//! Everything outside the store goes through the items re-exported here; the
//! submodules are private, and no code outside knows a file name or
//! extension. Inside: `frame/` (encoding, header checks, decoding),
//! `segment/` (segment files and their names, indexes, the frame cursor, the
//! open scan, compaction's swap files), `log/` (the writer's [`Log`]:
//! appends, rolling, follower operations, retention, compaction,
//! checkpoints), `read/` ([`LogReader`], [`log_end`],
//! [`offset_for_timestamp`]) and `inspect/` (whole-replica walks: verify,
//! dump, leader epochs, disk usage).

mod durability;
mod frame;
mod inspect;
mod log;
mod read;
mod segment;
mod varint;

pub use durability::{PersistMode, WriteBack};
pub use frame::{
    Damage, FORMAT_VERSION, Frame, FrameBuilder, FrameCheck, FrameHeader, HEADER_LEN, HeaderIter, Headers,
    MAX_FRAME_LEN, MalformedRecord, Measured, Record, RecordParts, Records, check_frame, encode_headers, frame_crc,
    kafka_batch_size, kafka_batch_size_bound, peek_header, record_len,
};
pub use inspect::{
    DiskUsage, EpochStart, Finding, FrameEpochs, IndexEntry, IndexWalk, ReplicaVerify, SegmentFileKind, TornEnd,
    disk_usage, frame_epochs, segment_file_base, segment_file_kind, segment_files, verify_replica, walk_index,
    walk_segment,
};
pub use log::parallel_sync::{each_in_parallel, sync_all_parallel};
pub use log::{
    CompactPolicy, Compacted, IndexWrites, Log, LogConfig, Repair, Retained, RetentionPolicy, SegmentInfo,
    cleaner_offset_checkpoint, log_start_checkpoint,
};
pub use read::{
    DamagedTail, LogEnd, LogReader, SegmentListing, log_end, log_end_listed, offset_for_timestamp, unrecorded_front_gap,
};
pub use segment::holds_log;
/// The index views, for the fuzz tests and benches outside the crate.
#[doc(hidden)]
pub use segment::index::{OffsetEntry, OffsetIndex, TimeEntry, TimeIndex};
pub use segment::open_scan::TornTail;
pub use segment::reindex::{is_index_file, rebuild_indexes_of};

#[cfg(test)]
mod test_support;
#[cfg(test)]
pub(crate) use test_support::{append_epoch_frame, append_frame, append_keyed, segment_bases};
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_gaps;
#[cfg(test)]
mod tests_gathered;
#[cfg(test)]
mod tests_lifecycle;

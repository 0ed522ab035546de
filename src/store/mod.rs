//! The store: one replica of one partition on disk — frames, segments,
//! indexes, recovery and durability. It knows bytes and offsets, never
//! topics, brokers or JSON.

pub mod durability;
pub mod frame;
pub mod inspect;
pub mod log;
pub mod read;
pub mod segment;
pub mod varint;

pub use inspect::{dump_walk as walk, verify_replica as verify};
pub use log::{checkpoint, compaction as compact, retention};
pub use read::reader;
pub use segment::{cursor as frames, index, open_scan as recovery, resume_point as tail};

pub use compact::{CompactPolicy, Compacted};
pub use durability::{PersistMode, WriteBack, sync_all_parallel};
pub use frame::{Frame, FrameBuilder, Record, RecordParts};
pub use log::{Log, LogConfig, Repair};
pub use reader::{LogEnd, LogReader, log_end, offset_for_timestamp};
pub use retention::{Retained, RetentionPolicy};

#[cfg(test)]
pub(crate) mod test_support;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_lifecycle;

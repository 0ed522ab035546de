//! The store: one replica of one partition on disk — frames, segments,
//! indexes, recovery and durability. It knows bytes and offsets, never
//! topics, brokers or JSON.

pub mod checkpoint;
pub mod compact;
pub mod durability;
pub mod frame;
pub mod frames;
pub mod index;
pub mod log;
pub mod reader;
pub mod recovery;
pub mod retention;
pub mod segment;
pub mod tail;
pub mod varint;
pub mod verify;
pub mod walk;

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

//! The store: one replica of one partition on disk — frames, segments,
//! indexes, recovery and durability. It knows bytes and offsets, never
//! topics, brokers or JSON.

pub mod durability;
pub mod fault;
pub mod frame;
pub mod index;
pub mod log;
pub mod reader;
pub mod recovery;
pub mod segment;
pub mod tail;
pub mod varint;
pub mod verify;
pub mod walk;

pub use durability::PersistMode;
pub use frame::{Frame, FrameBuilder, Record, RecordParts};
pub use log::{Log, LogConfig, Repair};
pub use reader::{LogEnd, LogReader, log_end, offset_for_timestamp};

#[cfg(test)]
mod tests;

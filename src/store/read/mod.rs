//! Reading a replica without the writer's lock, as consumers do: the
//! sequential [`LogReader`] (`reader.rs`), and where the log starts and ends
//! and where a time falls in it (`log_end.rs`).

mod log_end;
mod reader;

pub use log_end::{LogEnd, SegmentListing, log_end, log_end_listed, offset_for_timestamp, unrecorded_front_gap};
pub use reader::{DamagedTail, LogReader};

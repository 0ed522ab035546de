//! The consumer side: where a read starts and stops, fetching whole frames
//! from partition leaders up to the high watermark, group assignors, and
//! the sink that records are delivered to.

pub mod assignors;
pub mod position;
pub mod sink;

pub use position::Position;
pub use sink::RecordSink;

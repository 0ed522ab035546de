//! The consumer side: where a read starts and stops, fetching whole frames
//! from partition leaders up to the high watermark, waking on new data,
//! group assignors, detecting a log truncated under a position (KIP-320)
//! or offsets lost at a leader's front,
//! and the sink that records are delivered to. A
//! [`TopicPartition`] is what the assignors deal out and groups store.

pub mod assignors;
#[allow(clippy::module_inception)]
pub mod consumer;
pub mod exec;
pub mod fetch;
pub mod group;
pub mod lost_front;
pub mod position;
pub mod share;
pub mod sink;
pub mod topic_partition;
pub mod topic_view;
pub mod truncation;
pub mod wake;

pub use consumer::{Consumer, LogLook, PollState, StopReason, Until};

#[cfg(test)]
mod tests_assign;
#[cfg(test)]
mod tests_truncation;
pub use position::Position;
pub use sink::RecordSink;
pub use topic_partition::TopicPartition;

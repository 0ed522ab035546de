//! The producer side: reading input lines, parsing them into messages,
//! choosing partitions like Kafka's Java client, batching into frames and
//! appending through the partition writers.

pub mod append_thread;
mod early_flush;
pub mod input;
pub mod key_field;
pub mod message;
pub mod open_writers;
pub mod partitioner;
pub mod pipeline;
#[allow(clippy::module_inception)]
pub mod producer;
pub mod read_ahead;
mod run_stage;

pub use message::{LineFormat, Message, MissingSeparator, parse_line};
pub use pipeline::{PipelineOptions, max_line_bytes, produce_lines};
pub use producer::{ProduceSummary, Producer, ProducerOptions};
#[cfg(test)]
mod tests_runs;

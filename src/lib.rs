//! runnel: Apache Kafka's model — topics, partitions, offsets, keyed
//! producers, consumer groups, replicated brokers — as one binary over a
//! local directory. See ARCHITECTURE.md for the layers and on-disk format.

pub mod backend;
pub mod cli;
pub mod cluster;
pub mod consumer;
pub mod envelope;
pub mod error;
pub mod output;
pub mod producer;
pub mod serve;
pub mod store;
pub mod sys;

pub use error::{Error, ErrorKind, Result};

#[cfg(test)]
mod tests_layering;

//! The marker file in each replica folder that ties it to one incarnation
//! of its topic (Kafka's `partition.metadata`): written when a replica is
//! created or rebuilt.

use std::fs;
use std::path::Path;

use crate::error::{IoContext, Result};

/// The file in each replica folder that names the topic incarnation it
/// belongs to (Kafka's `partition.metadata`).
pub const PARTITION_METADATA: &str = "partition.metadata";

/// Writes the `partition.metadata` marker naming the topic incarnation.
pub fn write_partition_marker(dir: &Path, topic_id: &str) -> Result<()> {
    let marker = format!("version: 0\ntopic_id: {topic_id}\n");
    let path = dir.join(PARTITION_METADATA);
    fs::write(&path, marker).at("write", &path)
}

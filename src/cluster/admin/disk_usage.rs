//! Disk usage of every replica (`runnel log du`): segments and bytes of
//! each `broker-<id>/<topic>-<p>/` folder that a topic file names. Read
//! without locks; a folder changing meanwhile just gives a slightly stale
//! number.

use std::fs;
use std::io;
use std::path::Path;

use serde::Serialize;

use crate::cluster::handle::Cluster;
use crate::error::{IoContext, Result};
use crate::store::segment;

/// One replica's folder on disk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReplicaUsage {
    pub broker: u32,
    pub topic: String,
    pub partition: u32,
    pub segments: usize,
    /// Bytes of every file in the folder (segments, indexes, checkpoints).
    pub size_bytes: u64,
}

/// Segments and bytes of one replica folder; a missing folder is empty.
pub fn folder_usage(dir: &Path) -> Result<(usize, u64)> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok((0, 0)),
        Err(e) => return Err(e).at("list", dir),
    };
    let (mut segments, mut bytes) = (0, 0);
    for entry in entries {
        let entry = entry.at("list", dir)?;
        if entry.file_name().to_str().and_then(segment::parse_log_name).is_some() {
            segments += 1;
        }
        // A file deleted since the listing counts as nothing.
        bytes += entry.metadata().map(|m| m.len()).unwrap_or(0);
    }
    Ok((segments, bytes))
}

impl Cluster {
    /// The usage of every replica of `topic` (or of all topics), sorted by
    /// broker, topic and partition.
    pub fn disk_usage(&self, topic: Option<&str>) -> Result<Vec<ReplicaUsage>> {
        let names = match topic {
            Some(t) => vec![self.topic(t)?.name],
            None => self.topic_names()?,
        };
        let mut out = Vec::new();
        for name in names {
            let Some(meta) = self.find_topic(&name)? else { continue };
            for p in &meta.partitions {
                for &broker in &p.replicas {
                    let dir = self.layout().replica_dir(broker, &name, p.partition);
                    let (segments, size_bytes) = folder_usage(&dir)?;
                    out.push(ReplicaUsage {
                        broker,
                        topic: name.clone(),
                        partition: p.partition,
                        segments,
                        size_bytes,
                    });
                }
            }
        }
        out.sort_by(|a, b| (a.broker, &a.topic, a.partition).cmp(&(b.broker, &b.topic, b.partition)));
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_segments_and_all_bytes() {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::write(dir.path().join("00000000000000000000.log"), [0u8; 100]).expect("write");
        fs::write(dir.path().join("00000000000000000000.index"), [0u8; 8]).expect("write");
        fs::write(dir.path().join("00000000000000000042.log"), [0u8; 10]).expect("write");
        assert_eq!(folder_usage(dir.path()).expect("usage"), (2, 118));
        assert_eq!(folder_usage(&dir.path().join("gone")).expect("usage"), (0, 0));
    }
}

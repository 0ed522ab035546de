//! Disk usage of every replica (`runnel log du`): segments and bytes of
//! each `broker-<id>/<topic>-<p>/` folder that a topic file names. Read
//! without locks; a folder changing meanwhile just gives a slightly stale
//! number.

use std::path::Path;

use serde::Serialize;

use crate::cluster::handle::Cluster;
use crate::error::Result;
use crate::store;

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
    let usage = store::disk_usage(dir)?;
    Ok((usage.segments, usage.size_bytes))
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

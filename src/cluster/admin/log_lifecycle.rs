//! Running a log-lifecycle pass (`runnel log clean`, `runnel topic trim`)
//! over the partitions of a topic, one maintenance writer each.

use crate::cluster::handle::Cluster;
use crate::cluster::replication::partition_writer::PartitionWriter;
use crate::error::{Error, Result};

impl Cluster {
    /// Runs `f` on a maintenance writer of each partition of `topic` (all
    /// of them, or just `only`), skipping partitions with no leader.
    pub fn for_each_partition<T>(
        &self,
        topic: &str,
        only: Option<u32>,
        mut f: impl FnMut(&mut PartitionWriter) -> Result<T>,
    ) -> Result<Vec<T>> {
        let meta = self.topic(topic)?;
        if let Some(p) = only.filter(|&p| p >= meta.partition_count()) {
            return Err(Error::usage(format!(
                "topic '{topic}' has no partition {p} (it has partitions 0 to {})",
                meta.partition_count().saturating_sub(1)
            )));
        }
        let mut out = Vec::new();
        for p in &meta.partitions {
            if only.is_some_and(|o| o != p.partition) || p.leader.is_none() {
                continue;
            }
            let mut writer = PartitionWriter::for_maintenance(self, &meta, p.partition)?;
            out.push(f(&mut writer)?);
        }
        Ok(out)
    }
}

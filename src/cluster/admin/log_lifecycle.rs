//! Running a log-lifecycle pass (`runnel log clean`, `runnel topic trim`)
//! over the partitions of a topic, one maintenance writer each; a trim is
//! checked on every selected partition before any is trimmed.

use crate::cluster::handle::Cluster;
use crate::cluster::replication::partition_lifecycle::{PartitionCleaned, TrimPoint, trim_above_high_watermark};
use crate::cluster::replication::partition_writer::PartitionWriter;
use crate::error::{Error, Result};
use crate::sys::fault;

impl Cluster {
    /// `runnel topic trim` (Kafka's delete-records) on `topic` (all of its
    /// partitions, or just `only`). An offset above a selected partition's
    /// high watermark is refused before any partition is trimmed (a high
    /// watermark only grows meanwhile; each writer checks again under its
    /// lock).
    pub fn trim_topic(&self, topic: &str, only: Option<u32>, point: TrimPoint) -> Result<Vec<PartitionCleaned>> {
        if let TrimPoint::Offset(offset) = point {
            let description = self.describe_topic(topic)?;
            for status in description.partitions.iter().filter(|s| only.is_none_or(|p| p == s.meta.partition)) {
                if let Some(log) = status.log.as_ref().filter(|log| offset > log.end_offset) {
                    return Err(trim_above_high_watermark(topic, status.meta.partition, offset, log.end_offset));
                }
            }
        }
        self.for_each_partition(topic, only, |w| w.trim(point))
    }

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
            // Each partition's pass is whole on its own: a run cut short
            // here is finished by running the command again.
            fault::step("lifecycle.partition-done");
        }
        Ok(out)
    }
}

//! Deleting some of a consumer group's committed offsets, as Kafka's
//! OffsetDelete (`kafka-consumer-groups --delete-offsets`): the group keeps
//! its members and its other offsets. While a member subscribes to a topic,
//! that topic's offsets stay (Kafka's GROUP_SUBSCRIBED_TO_TOPIC); an empty
//! group gives up any of them.

use super::admin::{Inspection, existing_group};
use super::offsets::{OffsetsFile, lock_group};
use crate::cluster::Cluster;
use crate::error::Result;

/// What became of one partition's committed offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OffsetDeletion {
    /// Deleted (or there was none).
    Deleted,
    /// Kept: a live member subscribes to its topic.
    Subscribed,
    /// No such topic or partition.
    UnknownPartition,
}

/// Deletes `group`'s committed offsets of `asked` (topic, partitions), each
/// partition's outcome in the order asked. An unknown group is exit 66; a
/// share group has no committed offsets (Kafka: "not a consumer group").
pub fn delete_offsets(
    cluster: &Cluster,
    group: &str,
    asked: &[(String, Vec<u32>)],
) -> Result<Vec<(String, u32, OffsetDeletion)>> {
    let paths = existing_group(cluster, group)?;
    if paths.share_file().exists() {
        let share = crate::consumer::share::GroupType::Share;
        return Err(crate::consumer::share::files::wrong_type(group, share));
    }
    let _guard = lock_group(cluster, &paths)?;
    let subscribed = Inspection::read(&paths)?.live.into_iter().flat_map(|m| m.topics).collect::<Vec<_>>();
    let mut offsets = OffsetsFile::load(&paths)?;
    let mut outcomes = Vec::new();
    let mut deleting = Vec::new();
    for (topic, partitions) in asked {
        let count = cluster.find_asked_topic(topic)?.map(|meta| meta.partition_count());
        for &partition in partitions {
            let outcome = match count {
                Some(n) if partition < n && subscribed.contains(topic) => OffsetDeletion::Subscribed,
                Some(n) if partition < n => {
                    deleting.push((topic.as_str(), partition));
                    OffsetDeletion::Deleted
                }
                _ => OffsetDeletion::UnknownPartition,
            };
            outcomes.push((topic.clone(), partition, outcome));
        }
    }
    let before = offsets.offsets.len();
    offsets.offsets.retain(|c| !deleting.contains(&(c.topic.as_str(), c.partition)));
    if offsets.offsets.len() != before {
        offsets.save(&paths)?;
    }
    Ok(outcomes)
}

//! What a deleted topic leaves behind in the groups: Kafka deletes the
//! committed offsets of a deleted topic's partitions, and a group left with
//! neither members nor offsets goes with them, so a topic created again
//! under the same name starts with no group inheriting the old positions.

use super::admin::{Inspection, group_names};
use super::offsets::{OffsetsFile, lock_group};
use super::paths::GroupPaths;
use super::reset::delete_group;
use crate::cluster::Cluster;
use crate::error::Result;

/// Removes every group's committed offsets of `topic`, and the groups left
/// empty by it. Returns the groups whose offsets changed, sorted. Safe to
/// run again: a group with nothing of the topic is not touched.
pub fn forget_topic(cluster: &Cluster, topic: &str) -> Result<Vec<String>> {
    let mut changed = Vec::new();
    for group in group_names(cluster)? {
        let paths = GroupPaths::new(cluster, &group)?;
        if paths.share_file().exists() {
            // A share group keeps its share-partitions' state, not offsets.
            if crate::consumer::share::files::forget_topic(cluster, &paths, topic)? {
                changed.push(group);
            }
            continue;
        }
        // A look without the lock first: most groups hold nothing of the
        // topic, and `topic create` runs this for every group.
        if !OffsetsFile::load(&paths)?.offsets.iter().any(|c| c.topic == topic) {
            continue;
        }
        let left = {
            let _guard = lock_group(cluster, &paths)?;
            let mut offsets = OffsetsFile::load(&paths)?;
            let before = offsets.offsets.len();
            offsets.offsets.retain(|c| c.topic != topic);
            if offsets.offsets.len() == before {
                continue;
            }
            offsets.save(&paths)?;
            offsets.offsets.len()
        };
        if left == 0 && Inspection::read(&paths)?.live.is_empty() {
            // A member that joined since is fine: the group stays.
            let _ = delete_group(cluster, &group);
        }
        changed.push(group);
    }
    Ok(changed)
}

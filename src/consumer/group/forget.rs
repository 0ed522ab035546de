//! What a deleted topic leaves behind in the groups: Kafka deletes the
//! committed offsets of a deleted topic's partitions, and a group left with
//! neither members nor offsets goes with them, so a topic created again
//! under the same name starts with no group inheriting the old positions.

use super::admin::{Inspection, group_names};
use super::offsets::{OffsetsFile, lock_group};
use super::paths::GroupPaths;
use super::reset::delete_group;
use crate::cluster::{Cluster, TopicMeta, TopicSpec};
use crate::error::{Error, Result};

/// A topic deleted with every group's committed offsets of it.
#[derive(Debug)]
pub struct TopicDeleted {
    pub meta: TopicMeta,
    /// The groups whose offsets of the topic went, sorted.
    pub groups: Vec<String>,
    /// Replica folders that stay for now: why each could not go.
    pub left_behind: Vec<Error>,
    /// Why committed offsets of the topic may remain (a group that could
    /// not be read after the delete); a `topic create` of the name drops them.
    pub offsets_left: Option<Error>,
}

/// Deletes `name` as Kafka does: its data, and every group's committed
/// offsets of it (before the delete, and again after it for a commit that
/// came in between), so a topic created again under the name starts with
/// no group inheriting the old positions. Every way to delete a topic
/// (`topic delete`, `serve`'s DeleteTopics) comes here.
pub fn delete_topic(cluster: &Cluster, name: &str) -> Result<TopicDeleted> {
    cluster.topic(name)?;
    let mut groups = forget_topic(cluster, name)?;
    let deleted = cluster.delete_topic(name)?;
    let offsets_left = match forget_topic(cluster, name) {
        Ok(more) => {
            groups.extend(more);
            None
        }
        Err(e) => Some(e),
    };
    groups.sort();
    groups.dedup();
    Ok(TopicDeleted { meta: deleted.meta, groups, left_behind: deleted.left_behind, offsets_left })
}

/// Creates a topic, first dropping committed offsets an interrupted delete
/// of an earlier topic of the name left behind. A group that cannot be
/// read is no reason to refuse: its error comes back beside the topic.
/// Every way to create a topic (`topic create`, `produce --create`,
/// `serve`'s CreateTopics and auto-creation) comes here.
pub fn create_topic(cluster: &Cluster, spec: &TopicSpec) -> Result<(TopicMeta, Option<Error>)> {
    let mut stale = None;
    if cluster.find_topic(&spec.name)?.is_none() {
        stale = forget_topic(cluster, &spec.name).err();
    }
    Ok((cluster.create_topic(spec)?, stale))
}

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

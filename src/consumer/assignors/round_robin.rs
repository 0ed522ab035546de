//! Kafka's `RoundRobinAssignor`: every subscribed partition dealt to the members in turn.

use std::collections::BTreeMap;

use super::common::{Member, group_members, into_assignment, partition_count, subscribed_topics};
use super::{Assignment, MemberSubscription, TopicPartition};

/// Kafka's `RoundRobinAssignor`: every partition of every subscribed topic, sorted by topic
/// then partition, is dealt to the members (ordered by member id) in circular order,
/// skipping members that do not subscribe to the partition's topic.
///
/// Topics missing from `partition_counts` are ignored.
#[must_use]
pub fn round_robin(members: &[MemberSubscription], partition_counts: &BTreeMap<String, u32>) -> Assignment {
    let group = group_members(members, partition_counts);
    let mut per_member = vec![Vec::new(); group.len()];
    let mut next = 0;
    for topic in subscribed_topics(&group) {
        for partition in 0..partition_count(partition_counts, topic) {
            if let Some(owner) = next_subscriber(&group, next, topic) {
                per_member[owner].push(TopicPartition::new(topic, partition));
                next = owner + 1;
            }
        }
    }
    into_assignment(&group, per_member)
}

/// The first member at or after index `start` (circularly) that subscribes to `topic`.
fn next_subscriber(group: &[Member<'_>], start: usize, topic: &str) -> Option<usize> {
    let n = group.len();
    (0..n).map(|offset| (start + offset) % n).find(|&i| group[i].topics.contains(topic))
}

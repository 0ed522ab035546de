//! Kafka's `RangeAssignor`: each topic's partitions split into contiguous ranges over its
//! subscribers.

use std::collections::BTreeMap;

use super::common::{group_members, into_assignment, partition_count, subscribed_topics, subscribers_of};
use super::{Assignment, MemberSubscription, TopicPartition};

/// Kafka's `RangeAssignor`: topic by topic, the topic's subscribers (ordered by member id)
/// each get a contiguous range of its partitions; the first `partitions % subscribers`
/// of them get one extra.
///
/// Topics missing from `partition_counts` are ignored.
#[must_use]
pub fn range(members: &[MemberSubscription], partition_counts: &BTreeMap<String, u32>) -> Assignment {
    let group = group_members(members, partition_counts);
    let mut per_member = vec![Vec::new(); group.len()];
    for topic in subscribed_topics(&group) {
        let subscribers = subscribers_of(&group, topic);
        let ranges = range_split(partition_count(partition_counts, topic), subscribers.len());
        for (&member, partitions) in subscribers.iter().zip(ranges) {
            per_member[member].extend(partitions.map(|p| TopicPartition::new(topic, p)));
        }
    }
    into_assignment(&group, per_member)
}

/// Splits partitions `0..count` into contiguous ranges for `consumers` consumers in order;
/// the first `count % consumers` ranges are one longer. Yields at most `u32::MAX` ranges,
/// which is harmless: beyond `count` consumers every range is empty anyway.
fn range_split(count: u32, consumers: usize) -> impl Iterator<Item = std::ops::Range<u32>> {
    let consumers = u32::try_from(consumers).unwrap_or(u32::MAX).max(1);
    let (per_consumer, with_extra) = (count / consumers, count % consumers);
    (0..consumers).map(move |i| {
        // start = sum of the previous ranges' lengths <= count, so no overflow.
        let start = per_consumer * i + i.min(with_extra);
        start..start + per_consumer + u32::from(i < with_extra)
    })
}

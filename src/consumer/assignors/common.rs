//! Helpers shared by the strategies: the group's members in Kafka's (Java string) order,
//! narrowed to existing topics, and small queries over topics and partition counts.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use super::{Assignment, MemberSubscription, TopicPartition};

/// A group member, with its subscription narrowed to topics that exist.
#[derive(Debug)]
pub(super) struct Member<'a> {
    pub(super) id: &'a str,
    pub(super) topics: BTreeSet<&'a str>,
}

/// Java's `String.compareTo`: lexicographic over UTF-16 code units.
pub(super) fn java_order(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// The distinct members, in Kafka's member order, subscribed only to existing topics.
pub(super) fn group_members<'a>(
    members: &'a [MemberSubscription],
    partition_counts: &BTreeMap<String, u32>,
) -> Vec<Member<'a>> {
    let mut by_id: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for member in members {
        let existing = member.topics.iter().map(String::as_str).filter(|topic| partition_counts.contains_key(*topic));
        by_id.entry(member.member_id.as_str()).or_default().extend(existing);
    }
    let mut group: Vec<Member<'a>> = by_id.into_iter().map(|(id, topics)| Member { id, topics }).collect();
    group.sort_by(|a, b| java_order(a.id, b.id));
    group
}

/// Pairs each member with its partitions, sorted.
pub(super) fn into_assignment(group: &[Member<'_>], per_member: Vec<Vec<TopicPartition>>) -> Assignment {
    group
        .iter()
        .zip(per_member)
        .map(|(member, mut partitions)| {
            partitions.sort_unstable();
            (member.id.to_owned(), partitions)
        })
        .collect()
}

/// The topics at least one member subscribes to, in Java's string order.
pub(super) fn subscribed_topics<'a>(group: &[Member<'a>]) -> Vec<&'a str> {
    let unique: BTreeSet<&str> = group.iter().flat_map(|member| member.topics.iter().copied()).collect();
    let mut topics: Vec<&str> = unique.into_iter().collect();
    topics.sort_by(|a, b| java_order(a, b));
    topics
}

/// Indices (in member order) of the members subscribed to `topic`.
pub(super) fn subscribers_of(group: &[Member<'_>], topic: &str) -> Vec<usize> {
    (0..group.len()).filter(|&i| group[i].topics.contains(topic)).collect()
}

/// The number of partitions of `topic`; zero if unknown.
pub(super) fn partition_count(partition_counts: &BTreeMap<String, u32>, topic: &str) -> u32 {
    partition_counts.get(topic).copied().unwrap_or(0)
}

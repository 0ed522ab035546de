//! Kafka's sticky assignment (`AbstractStickyAssignor`, as used by `StickyAssignor` and
//! `CooperativeStickyAssignor`), ported so that the same inputs give the same assignment.
//!
//! This file owns the entry points, the input model (members in Kafka's iteration order,
//! partitions as indices) and Kafka's reading of prior ownership (`allSubscriptionsEqual`:
//! conflicting claims, generations). The two builders are in `constrained.rs` (every member
//! subscribes to the same topics) and `general.rs` (+ `movements.rs`); `java_hash.rs`
//! reproduces the Java collection orders the algorithm depends on.
//!
//! Inputs are taken as Kafka's group leader would see them: members inserted into a Java
//! `HashMap` in member-id order (Kafka inserts them in the broker's JoinGroup order, which
//! only matters for ids whose hashes share a bin); topics limited to subscribed topics
//! with partitions, as `AbstractPartitionAssignor` does.
//!
//! Differences from Kafka, all deliberate:
//! - No rack awareness: runnel has no racks (Kafka skips it too when no consumer has a rack).
//! - Kafka's assignor object remembers the highest generation it ever saw across calls
//!   (`maxGeneration` is never reset); this is a pure function, so it is the highest
//!   generation among the current members.
//! - Owned partitions that do not exist (beyond the topic's partition count) and repeats in
//!   one member's list are dropped; Kafka never sees them (partitions cannot shrink).
//! - Subscriptions are compared as sets; Kafka's comparison treats a first-visited member
//!   with no topics as equal to the next one, and then hands it partitions it did not ask for.

mod constrained;
mod general;
mod java_hash;
mod movements;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::common::java_order;
use super::{Assignment, MemberSubscription, TopicPartition};
use java_hash::{JavaHashSet, string_hash};

/// Kafka's `DEFAULT_GENERATION`: a member that reports no generation.
pub const DEFAULT_GENERATION: i64 = -1;

/// What a member reports at a rebalance (Kafka's `MemberData`): the partitions it owns,
/// and the generation in which it got them (`None`: unknown, ranked below every generation).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Owned {
    pub partitions: Vec<TopicPartition>,
    pub generation: Option<i64>,
}

/// member id -> what it owns. Members missing here own nothing.
pub type Ownership = BTreeMap<String, Owned>;

/// The sticky assignment and the partitions it gives to a member other than their
/// current owner (Kafka's `partitionsTransferringOwnership`: partition -> new owner).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StickyOutcome {
    pub assignment: Assignment,
    pub transferring: BTreeMap<TopicPartition, String>,
}

/// Kafka's `StickyAssignor` with each member owning its partitions in `previous`, all in
/// the same generation (as in a runnel group, where `state.json` holds one generation).
#[must_use]
pub fn sticky(
    members: &[MemberSubscription],
    partition_counts: &BTreeMap<String, u32>,
    previous: &Assignment,
) -> Assignment {
    sticky_owned(members, partition_counts, &same_generation(previous)).assignment
}

/// `previous` as ownership claims without generations.
pub(super) fn same_generation(previous: &Assignment) -> Ownership {
    previous
        .iter()
        .map(|(id, partitions)| (id.clone(), Owned { partitions: partitions.clone(), generation: None }))
        .collect()
}

/// Kafka's `AbstractStickyAssignor.assignPartitions`, with generations.
#[must_use]
pub fn sticky_owned(
    members: &[MemberSubscription],
    partition_counts: &BTreeMap<String, u32>,
    owned: &Ownership,
) -> StickyOutcome {
    let input = Input::new(members, partition_counts, owned);
    let claims = Claims::resolve(&input);
    let (per_member, transferring) = if input.all_subscriptions_equal() {
        let (per_member, transferring) = constrained::build(&input, &claims);
        (per_member, transferring)
    } else {
        let per_member = general::build(&input, &claims);
        let transferring = transferring_from_owned(&input, &per_member);
        (per_member, transferring)
    };
    input.outcome(per_member, &transferring)
}

/// A partition: index of its topic in `Input::topics` (Java string order), and number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) struct Tp {
    pub(super) topic: u32,
    pub(super) partition: u32,
}

/// The assignor's view of the group.
#[derive(Debug)]
pub(super) struct Input<'a> {
    /// Subscribed topics with at least one partition, in Java string order.
    pub(super) topics: Vec<&'a str>,
    pub(super) counts: Vec<u32>,
    pub(super) topic_hashes: Vec<i32>,
    /// Distinct member ids in Java string order; a member is its index here.
    pub(super) members: Vec<&'a str>,
    /// Each member's subscription as given (existing or not).
    raw_topics: Vec<BTreeSet<&'a str>>,
    /// Each member's subscribed topics among `topics`.
    pub(super) subscribed: Vec<BTreeSet<u32>>,
    /// The members in the iteration order of Kafka's `HashMap` of subscriptions.
    pub(super) hash_order: Vec<usize>,
    /// What each member reported owning, as valid partitions (in its order, no repeats).
    reported: Vec<Vec<Tp>>,
    /// Each member's reported generation.
    pub(super) generations: Vec<Option<i64>>,
}

impl<'a> Input<'a> {
    fn new(members: &'a [MemberSubscription], partition_counts: &BTreeMap<String, u32>, owned: &Ownership) -> Self {
        let mut by_id: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for member in members {
            by_id.entry(member.member_id.as_str()).or_default().extend(member.topics.iter().map(String::as_str));
        }
        let mut ids: Vec<&str> = by_id.keys().copied().collect();
        ids.sort_by(|a, b| java_order(a, b));
        let raw_topics: Vec<BTreeSet<&str>> = ids.iter().map(|id| by_id[id].clone()).collect();

        let mut topics: Vec<&str> = raw_topics
            .iter()
            .flatten()
            .copied()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .filter(|t| partition_counts.get(*t).is_some_and(|&n| n > 0))
            .collect();
        topics.sort_by(|a, b| java_order(a, b));
        let topic_index: HashMap<&str, u32> = topics.iter().enumerate().map(|(i, t)| (*t, i as u32)).collect();
        let counts: Vec<u32> = topics.iter().map(|t| partition_counts[*t]).collect();
        let subscribed =
            raw_topics.iter().map(|ts| ts.iter().filter_map(|t| topic_index.get(t).copied()).collect()).collect();

        let mut order = JavaHashSet::new();
        for (i, id) in ids.iter().enumerate() {
            order.insert(string_hash(id), i);
        }

        let mut reported = Vec::with_capacity(ids.len());
        let mut generations = Vec::with_capacity(ids.len());
        for id in &ids {
            let claim = owned.get(*id);
            let mut seen = HashSet::new();
            let valid: Vec<Tp> = claim
                .into_iter()
                .flat_map(|c| &c.partitions)
                .filter_map(|tp| {
                    let topic = *topic_index.get(tp.topic.as_str())?;
                    (tp.partition < counts[topic as usize]).then_some(Tp { topic, partition: tp.partition })
                })
                .filter(|tp| seen.insert(*tp))
                .collect();
            reported.push(valid);
            generations.push(claim.and_then(|c| c.generation));
        }

        Self {
            topic_hashes: topics.iter().map(|t| string_hash(t)).collect(),
            topics,
            counts,
            members: ids,
            raw_topics,
            subscribed,
            hash_order: order.iter_order(),
            reported,
            generations,
        }
    }

    fn all_subscriptions_equal(&self) -> bool {
        self.raw_topics.windows(2).all(|pair| pair[0] == pair[1])
    }

    pub(super) fn total_partitions(&self) -> usize {
        self.counts.iter().map(|&n| n as usize).sum()
    }

    /// Every partition of the given topics, topic by topic.
    pub(super) fn partitions_of(&self, topics: &[u32]) -> Vec<Tp> {
        topics
            .iter()
            .flat_map(|&topic| (0..self.counts[topic as usize]).map(move |partition| Tp { topic, partition }))
            .collect()
    }

    pub(super) fn topic_partition(&self, tp: Tp) -> TopicPartition {
        TopicPartition::new(self.topics[tp.topic as usize], tp.partition)
    }

    fn outcome(&self, per_member: Vec<Vec<Tp>>, transferring: &BTreeMap<Tp, usize>) -> StickyOutcome {
        let assignment = self
            .members
            .iter()
            .zip(per_member)
            .map(|(id, partitions)| {
                let mut partitions: Vec<TopicPartition> =
                    partitions.into_iter().map(|tp| self.topic_partition(tp)).collect();
                partitions.sort_unstable();
                ((*id).to_owned(), partitions)
            })
            .collect();
        let transferring = transferring
            .iter()
            .map(|(tp, member)| (self.topic_partition(*tp), self.members[*member].to_owned()))
            .collect();
        StickyOutcome { assignment, transferring }
    }
}

/// Prior ownership as Kafka settles it before building (`allSubscriptionsEqual`).
#[derive(Debug)]
pub(super) struct Claims {
    /// Each member's still-valid owned partitions (Kafka's `consumerToOwnedPartitions`).
    pub(super) owned: Vec<Vec<Tp>>,
    /// Partitions claimed by two members of the same generation: owned by neither.
    pub(super) multiply_owned: HashSet<Tp>,
    /// The highest generation reported.
    pub(super) max_generation: i64,
}

impl Claims {
    /// Visits members in `HashMap` order: a partition claimed again in the same generation
    /// is taken from both; in a newer generation it moves to the newer claimant.
    fn resolve(input: &Input<'_>) -> Self {
        let n = input.members.len();
        let mut owned: Vec<Vec<Tp>> = vec![Vec::new(); n];
        let mut multiply_owned = HashSet::new();
        let mut owner_of: HashMap<Tp, usize> = HashMap::new();
        let mut max_generation = DEFAULT_GENERATION;
        let generation = |m: usize| input.generations[m].unwrap_or(DEFAULT_GENERATION);
        for &member in &input.hash_order {
            let mine = generation(member);
            max_generation = max_generation.max(mine);
            for &tp in &input.reported[member] {
                match owner_of.get(&tp).copied() {
                    None => {
                        owned[member].push(tp);
                        owner_of.insert(tp, member);
                    }
                    Some(other) => {
                        let theirs = generation(other);
                        if mine >= theirs {
                            if mine == theirs {
                                multiply_owned.insert(tp);
                            } else {
                                owned[member].push(tp);
                            }
                            if let Some(at) = owned[other].iter().position(|x| *x == tp) {
                                owned[other].remove(at);
                            }
                            owner_of.insert(tp, member);
                        }
                    }
                }
            }
        }
        Self { owned, multiply_owned, max_generation }
    }
}

/// Kafka's `CooperativeStickyAssignor.computePartitionsTransferringOwnership` (after the
/// general builder): partitions newly given to a member that some member reported owning
/// and loses.
fn transferring_from_owned(input: &Input<'_>, per_member: &[Vec<Tp>]) -> BTreeMap<Tp, usize> {
    let mut added = BTreeMap::new();
    let mut revoked = HashSet::new();
    for (member, assigned) in per_member.iter().enumerate() {
        let reported: HashSet<Tp> = input.reported[member].iter().copied().collect();
        let assigned_set: HashSet<Tp> = assigned.iter().copied().collect();
        added.extend(assigned.iter().filter(|tp| !reported.contains(tp)).map(|tp| (*tp, member)));
        revoked.extend(reported.into_iter().filter(|tp| !assigned_set.contains(tp)));
    }
    added.retain(|tp, _| revoked.contains(tp));
    added
}

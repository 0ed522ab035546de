//! Consumer-group partition assignment, modelled on Apache Kafka's client-side assignors.
//!
//! This module owns the pure decision of which group member consumes which partition.
//! It does no I/O and knows nothing of the group protocol; callers pass in the members'
//! subscriptions and the partition count of each topic, and get back an [`Assignment`].
//!
//! - [`range`] equals Kafka's `RangeAssignor` (without rack awareness).
//! - [`round_robin`] equals Kafka's `RoundRobinAssignor`.
//! - [`sticky`] pursues the goals of Kafka's `StickyAssignor` / `CooperativeStickyAssignor`:
//!   a balanced assignment that moves as few previously owned partitions as balance allows.
//!
//! Not modelled: rack awareness, static membership (`group.instance.id`, which Kafka ranks
//! ahead of the member id when ordering members), and the generation numbers Kafka uses to
//! settle conflicting ownership claims.
//!
//! Ordering: Kafka orders member ids and topic names with Java's `String.compareTo`, which
//! compares UTF-16 code units. Wherever that order decides the outcome we use the same
//! order, so results match Kafka even for ids containing characters outside the Basic
//! Multilingual Plane (where UTF-16 order and Rust's `str` order disagree). The partition
//! lists in an [`Assignment`] are sorted with [`TopicPartition`]'s own `Ord`.

use std::cmp::{Ordering, Reverse};
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap, HashSet};
use std::fmt;

/// One partition of one topic.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TopicPartition {
    /// The topic name.
    pub topic: String,
    /// The partition number, from zero.
    pub partition: u32,
}

impl TopicPartition {
    /// A partition of `topic`.
    #[must_use]
    pub fn new(topic: impl Into<String>, partition: u32) -> Self {
        Self { topic: topic.into(), partition }
    }
}

impl fmt::Display for TopicPartition {
    /// Kafka's notation, `topic-partition`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.topic, self.partition)
    }
}

/// A group member and the topics it subscribes to.
///
/// If several entries share a `member_id` they are treated as one member subscribing to
/// the union of their topics; repeated topics are ignored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberSubscription {
    /// The member's id within the group.
    pub member_id: String,
    /// The topics the member wants to consume.
    pub topics: Vec<String>,
}

impl MemberSubscription {
    /// A member subscribing to `topics`.
    #[must_use]
    pub fn new<T: Into<String>>(member_id: impl Into<String>, topics: impl IntoIterator<Item = T>) -> Self {
        Self { member_id: member_id.into(), topics: topics.into_iter().map(Into::into).collect() }
    }
}

/// member_id -> its partitions, sorted by (topic, partition). Every member in the input appears as a key (possibly with an empty Vec).
pub type Assignment = BTreeMap<String, Vec<TopicPartition>>;

/// The assignment strategies, named as in Kafka's `partition.assignment.strategy` protocol names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// Kafka's `RangeAssignor` (`"range"`).
    Range,
    /// Kafka's `RoundRobinAssignor` (`"roundrobin"`).
    RoundRobin,
    /// A balanced, sticky assignor in the spirit of Kafka's `StickyAssignor` (`"sticky"`).
    Sticky,
}

impl Strategy {
    /// Every strategy, in declaration order.
    pub const ALL: [Self; 3] = [Self::Range, Self::RoundRobin, Self::Sticky];

    /// The protocol name Kafka uses for this strategy: `"range"`, `"roundrobin"` or `"sticky"`.
    #[must_use]
    pub fn name(&self) -> &'static str {
        match self {
            Self::Range => "range",
            Self::RoundRobin => "roundrobin",
            Self::Sticky => "sticky",
        }
    }

    /// The strategy whose [`name`](Self::name) is exactly `s` (case-sensitive, like Kafka's
    /// protocol names), or `None`.
    #[must_use]
    pub fn parse(s: &str) -> Option<Strategy> {
        Self::ALL.into_iter().find(|strategy| strategy.name() == s)
    }
}

impl fmt::Display for Strategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Assigns the partitions of the members' subscribed topics with `strategy`.
///
/// partition_counts: topic -> number of partitions (topics missing from this map are ignored).
/// previous: the last generation's assignment (used only by Sticky; others ignore it).
#[must_use]
pub fn assign(
    strategy: Strategy,
    members: &[MemberSubscription],
    partition_counts: &BTreeMap<String, u32>,
    previous: &Assignment,
) -> Assignment {
    match strategy {
        Strategy::Range => range(members, partition_counts),
        Strategy::RoundRobin => round_robin(members, partition_counts),
        Strategy::Sticky => sticky(members, partition_counts, previous),
    }
}

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

/// A balanced assignment that keeps as many partitions with their `previous` owner as
/// balance allows.
///
/// - Every partition of a subscribed topic goes to exactly one subscriber.
/// - A member keeps a previously owned partition if the partition still exists, the member
///   still subscribes to its topic, and no other current member also claims it (partitions
///   claimed by several members are treated as unowned, as Kafka does).
/// - When all members subscribe to the same topics, partition counts differ by at most one
///   and the number of moved partitions is the minimum any such assignment needs
///   (Kafka's "constrained" algorithm: keep up to the quota, then fill).
/// - Otherwise no partition could move to a subscriber holding two or more fewer
///   partitions (Kafka's balance criterion for unequal subscriptions).
/// - Unowned partitions go to the least-loaded eligible member; all ties are broken by
///   member id, so the result is deterministic.
#[must_use]
pub fn sticky(
    members: &[MemberSubscription],
    partition_counts: &BTreeMap<String, u32>,
    previous: &Assignment,
) -> Assignment {
    let group = group_members(members, partition_counts);
    let retained = retained_partitions(&group, partition_counts, previous);
    let per_member = if has_uniform_subscriptions(&group) {
        constrained_assign(&group, partition_counts, retained)
    } else {
        general_assign(&group, partition_counts, &retained)
    };
    into_assignment(&group, per_member)
}

// ---------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------

/// A group member, with its subscription narrowed to topics that exist.
#[derive(Debug)]
struct Member<'a> {
    id: &'a str,
    topics: BTreeSet<&'a str>,
}

/// Java's `String.compareTo`: lexicographic over UTF-16 code units.
fn java_order(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

/// The distinct members, in Kafka's member order, subscribed only to existing topics.
fn group_members<'a>(members: &'a [MemberSubscription], partition_counts: &BTreeMap<String, u32>) -> Vec<Member<'a>> {
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
fn into_assignment(group: &[Member<'_>], per_member: Vec<Vec<TopicPartition>>) -> Assignment {
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
fn subscribed_topics<'a>(group: &[Member<'a>]) -> Vec<&'a str> {
    let unique: BTreeSet<&str> = group.iter().flat_map(|member| member.topics.iter().copied()).collect();
    let mut topics: Vec<&str> = unique.into_iter().collect();
    topics.sort_by(|a, b| java_order(a, b));
    topics
}

/// Indices (in member order) of the members subscribed to `topic`.
fn subscribers_of(group: &[Member<'_>], topic: &str) -> Vec<usize> {
    (0..group.len()).filter(|&i| group[i].topics.contains(topic)).collect()
}

/// The number of partitions of `topic`; zero if unknown.
fn partition_count(partition_counts: &BTreeMap<String, u32>, topic: &str) -> u32 {
    partition_counts.get(topic).copied().unwrap_or(0)
}

/// Every partition of `topic`.
fn partitions_of<'a>(
    topic: &'a str,
    partition_counts: &BTreeMap<String, u32>,
) -> impl Iterator<Item = TopicPartition> + 'a {
    (0..partition_count(partition_counts, topic)).map(move |p| TopicPartition::new(topic, p))
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

/// The first member at or after index `start` (circularly) that subscribes to `topic`.
fn next_subscriber(group: &[Member<'_>], start: usize, topic: &str) -> Option<usize> {
    let n = group.len();
    (0..n).map(|offset| (start + offset) % n).find(|&i| group[i].topics.contains(topic))
}

// ---------------------------------------------------------------------------------------
// Sticky
// ---------------------------------------------------------------------------------------

/// Whether every member subscribes to exactly the same (existing) topics.
fn has_uniform_subscriptions(group: &[Member<'_>]) -> bool {
    group.windows(2).all(|pair| pair[0].topics == pair[1].topics)
}

/// For each member (in member order), the sorted partitions it owned in `previous` and
/// may keep: the partition exists, the member subscribes to its topic, and no other
/// current member claims it too.
fn retained_partitions(
    group: &[Member<'_>],
    partition_counts: &BTreeMap<String, u32>,
    previous: &Assignment,
) -> Vec<Vec<TopicPartition>> {
    let claims: Vec<BTreeSet<&TopicPartition>> = group
        .iter()
        .map(|member| {
            previous
                .get(member.id)
                .into_iter()
                .flatten()
                .filter(|tp| {
                    member.topics.contains(tp.topic.as_str())
                        && tp.partition < partition_count(partition_counts, &tp.topic)
                })
                .collect()
        })
        .collect();

    let mut claimants: HashMap<&TopicPartition, usize> = HashMap::new();
    for tp in claims.iter().flatten() {
        *claimants.entry(tp).or_default() += 1;
    }

    claims
        .into_iter()
        .map(|owned| owned.into_iter().filter(|tp| claimants.get(tp) == Some(&1)).cloned().collect())
        .collect()
}

/// How many partitions each member should end with when all subscriptions are equal.
#[derive(Debug, Clone, Copy)]
struct Quota {
    /// Every member gets at least this many.
    min: usize,
    /// Some members get this many (`min + 1`, or `min` when the split is exact).
    max: usize,
    /// How many members get `max` when `max > min`.
    members_at_max: usize,
}

impl Quota {
    /// The quota for `partitions` partitions over `members` (> 0) members.
    fn new(partitions: usize, members: usize) -> Self {
        let min = partitions / members;
        let members_at_max = partitions % members;
        Self { min, max: min + usize::from(members_at_max > 0), members_at_max }
    }
}

/// Kafka's "constrained" sticky assignment, used when all members subscribe to the same
/// topics: each member keeps its owned partitions up to its quota (the first
/// `members_at_max` members, in member order, that own at least `max` keep `max`; others
/// keep at most `min`), then the remaining partitions go, in (topic, partition) order, to
/// the least-loaded member.
fn constrained_assign(
    group: &[Member<'_>],
    partition_counts: &BTreeMap<String, u32>,
    retained: Vec<Vec<TopicPartition>>,
) -> Vec<Vec<TopicPartition>> {
    let Some(first) = group.first() else {
        return Vec::new();
    };
    let total: usize = first.topics.iter().map(|topic| partition_count(partition_counts, topic) as usize).sum();
    let mut assigned = keep_within_quota(retained, Quota::new(total, group.len()));
    let pool = unassigned(subscribed_topics(group), partition_counts, &assigned);
    fill_least_loaded(&mut assigned, pool);
    assigned
}

/// Truncates each member's sorted owned partitions to what its quota lets it keep.
fn keep_within_quota(retained: Vec<Vec<TopicPartition>>, quota: Quota) -> Vec<Vec<TopicPartition>> {
    let mut max_slots_left = quota.members_at_max;
    retained
        .into_iter()
        .map(|mut owned| {
            let keep = if owned.len() < quota.min {
                owned.len()
            } else if owned.len() >= quota.max && max_slots_left > 0 {
                max_slots_left -= 1;
                quota.max
            } else {
                quota.min
            };
            owned.truncate(keep);
            owned
        })
        .collect()
}

/// The partitions of `topics` (in the given topic order, then by partition) that no
/// member holds in `assigned`.
fn unassigned<'a>(
    topics: impl IntoIterator<Item = &'a str>,
    partition_counts: &BTreeMap<String, u32>,
    assigned: &[Vec<TopicPartition>],
) -> Vec<TopicPartition> {
    let taken: HashSet<&TopicPartition> = assigned.iter().flatten().collect();
    topics
        .into_iter()
        .flat_map(|topic| partitions_of(topic, partition_counts))
        .filter(|tp| !taken.contains(tp))
        .collect()
}

/// Gives each partition of `pool`, in order, to the member holding the fewest partitions
/// (ties: lowest member index). Every member must be eligible for every partition.
fn fill_least_loaded(assigned: &mut [Vec<TopicPartition>], pool: Vec<TopicPartition>) {
    let mut by_load: BinaryHeap<Reverse<(usize, usize)>> =
        assigned.iter().enumerate().map(|(member, partitions)| Reverse((partitions.len(), member))).collect();
    for tp in pool {
        let Some(Reverse((load, member))) = by_load.pop() else {
            return;
        };
        assigned[member].push(tp);
        by_load.push(Reverse((load + 1, member)));
    }
}

/// Sticky assignment for unequal subscriptions: keep every retained partition, give each
/// unowned partition (those with the fewest eligible members first) to its least-loaded
/// eligible member, then move partitions from heavier to lighter members until no
/// partition could go to an eligible member holding two or more fewer.
fn general_assign(
    group: &[Member<'_>],
    partition_counts: &BTreeMap<String, u32>,
    retained: &[Vec<TopicPartition>],
) -> Vec<Vec<TopicPartition>> {
    let topics = subscribed_topics(group);
    let eligible_counts: HashMap<&str, usize> =
        topics.iter().map(|&topic| (topic, subscribers_of(group, topic).len())).collect();

    let mut assigned = retained.to_vec();
    let mut loads = Loads::new(&assigned);

    let mut pool = unassigned(topics.iter().copied(), partition_counts, &assigned);
    // Stable: within equal eligibility, partitions stay in (topic, partition) order.
    pool.sort_by_key(|tp| eligible_counts.get(tp.topic.as_str()).copied().unwrap_or(0));
    for tp in pool {
        let subscribed = |member: usize| group[member].topics.contains(tp.topic.as_str());
        if let Some(member) = loads.least_loaded(usize::MAX, subscribed) {
            loads.add_one(member);
            assigned[member].push(tp);
        }
    }

    for partitions in &mut assigned {
        partitions.sort_unstable();
    }
    while let Some(step) = find_balancing_move(group, &assigned, retained, &loads) {
        apply_move(&mut assigned, &mut loads, step);
    }
    assigned
}

/// Members indexed by how many partitions they hold, for least-loaded queries.
#[derive(Debug)]
struct Loads {
    /// (load, member index), ascending.
    ordered: BTreeSet<(usize, usize)>,
    /// load by member index.
    load: Vec<usize>,
}

impl Loads {
    fn new(assigned: &[Vec<TopicPartition>]) -> Self {
        let load: Vec<usize> = assigned.iter().map(Vec::len).collect();
        let ordered = load.iter().copied().zip(0..).collect();
        Self { ordered, load }
    }

    /// The eligible member with the fewest partitions, all fewer than `below`
    /// (ties: lowest member index).
    fn least_loaded(&self, below: usize, eligible: impl Fn(usize) -> bool) -> Option<usize> {
        self.ordered
            .iter()
            .take_while(|&&(load, _)| load < below)
            .map(|&(_, member)| member)
            .find(|&member| eligible(member))
    }

    /// Members from most to least loaded (ties: lowest member index first).
    fn heaviest_first(&self) -> Vec<(usize, usize)> {
        let mut members: Vec<(usize, usize)> = self.ordered.iter().copied().collect();
        members.sort_by_key(|&(load, member)| (Reverse(load), member));
        members
    }

    fn lightest(&self) -> usize {
        self.ordered.first().map_or(0, |&(load, _)| load)
    }

    fn add_one(&mut self, member: usize) {
        self.set(member, self.load[member] + 1);
    }

    fn remove_one(&mut self, member: usize) {
        self.set(member, self.load[member].saturating_sub(1));
    }

    fn set(&mut self, member: usize, load: usize) {
        self.ordered.remove(&(self.load[member], member));
        self.load[member] = load;
        self.ordered.insert((load, member));
    }
}

/// Moving the partition at `index` of member `from`'s sorted list to member `to`.
#[derive(Debug, Clone, Copy)]
struct Move {
    from: usize,
    index: usize,
    to: usize,
}

/// A move of one partition to an eligible member holding at least two fewer partitions,
/// if any. The heaviest member gives first; it prefers giving partitions it did not own
/// before this rebalance, and among those (then among the owned ones) its highest.
fn find_balancing_move(
    group: &[Member<'_>],
    assigned: &[Vec<TopicPartition>],
    retained: &[Vec<TopicPartition>],
    loads: &Loads,
) -> Option<Move> {
    let lightest = loads.lightest();
    for (load, from) in loads.heaviest_first() {
        if load < lightest + 2 {
            return None;
        }
        let was_owned = |tp: &TopicPartition| retained[from].binary_search(tp).is_ok();
        let newly_assigned = assigned[from].iter().enumerate().rev().filter(|(_, tp)| !was_owned(tp));
        let previously_owned = assigned[from].iter().enumerate().rev().filter(|(_, tp)| was_owned(tp));
        for (index, tp) in newly_assigned.chain(previously_owned) {
            let subscribed = |member: usize| group[member].topics.contains(tp.topic.as_str());
            if let Some(to) = loads.least_loaded(load - 1, subscribed) {
                return Some(Move { from, index, to });
            }
        }
    }
    None
}

/// Performs `step`, keeping the receiver's list sorted.
fn apply_move(assigned: &mut [Vec<TopicPartition>], loads: &mut Loads, step: Move) {
    let tp = assigned[step.from].remove(step.index);
    let at = assigned[step.to].binary_search(&tp).unwrap_or_else(|insert_at| insert_at);
    assigned[step.to].insert(at, tp);
    loads.remove_one(step.from);
    loads.add_one(step.to);
}

#[cfg(test)]
mod tests {
    use super::{Assignment, MemberSubscription, Strategy as Kind, TopicPartition, assign, range, round_robin, sticky};
    use std::collections::{BTreeMap, BTreeSet, HashMap};

    // ---- helpers ------------------------------------------------------------------

    fn member(id: &str, topics: &[&str]) -> MemberSubscription {
        MemberSubscription::new(id, topics.iter().copied())
    }

    fn counts(topics: &[(&str, u32)]) -> BTreeMap<String, u32> {
        topics.iter().map(|&(t, n)| (t.to_owned(), n)).collect()
    }

    fn tp(topic: &str, partition: u32) -> TopicPartition {
        TopicPartition::new(topic, partition)
    }

    /// Parses Kafka's test notation `"t1-0, t1-1"` into sorted partitions.
    fn tps(spec: &str) -> Vec<TopicPartition> {
        let mut out: Vec<TopicPartition> = spec
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                let (topic, p) = s.rsplit_once('-').expect("topic-partition");
                tp(topic, p.parse().expect("partition number"))
            })
            .collect();
        out.sort();
        out
    }

    /// An assignment from `(member, "t-0, t-1")` pairs.
    fn assignment(entries: &[(&str, &str)]) -> Assignment {
        entries.iter().map(|&(m, spec)| (m.to_owned(), tps(spec))).collect()
    }

    fn none() -> Assignment {
        Assignment::new()
    }

    fn loads(a: &Assignment) -> Vec<usize> {
        a.values().map(Vec::len).collect()
    }

    /// Kafka's `AbstractStickyAssignorTest.isFullyBalanced`.
    fn is_fully_balanced(a: &Assignment) -> bool {
        let l = loads(a);
        match (l.iter().min(), l.iter().max()) {
            (Some(min), Some(max)) => max - min <= 1,
            _ => true,
        }
    }

    /// Everything `AbstractStickyAssignorTest.verifyValidityAndBalance` checks, plus
    /// completeness: every member is a key; every partition of every subscribed,
    /// existing topic goes to exactly one subscriber; lists are sorted.
    fn validity_errors(
        members: &[MemberSubscription],
        partition_counts: &BTreeMap<String, u32>,
        a: &Assignment,
    ) -> Vec<String> {
        let mut errors = Vec::new();
        let mut subs: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for m in members {
            subs.entry(m.member_id.as_str()).or_default().extend(m.topics.iter().map(String::as_str));
        }
        let keys: BTreeSet<&str> = a.keys().map(String::as_str).collect();
        if keys != subs.keys().copied().collect() {
            errors.push(format!("members {keys:?} != {:?}", subs.keys()));
        }
        let mut owner: HashMap<&TopicPartition, &str> = HashMap::new();
        for (m, partitions) in a {
            if !partitions.windows(2).all(|w| w[0] < w[1]) {
                errors.push(format!("{m}: not sorted/unique {partitions:?}"));
            }
            for p in partitions {
                let subscribed = subs.get(m.as_str()).is_some_and(|t| t.contains(p.topic.as_str()));
                let exists = partition_counts.get(&p.topic).is_some_and(|&n| p.partition < n);
                if !subscribed || !exists {
                    errors.push(format!("{m} got {p} (subscribed {subscribed}, exists {exists})"));
                }
                if let Some(other) = owner.insert(p, m) {
                    errors.push(format!("{p} assigned to {other} and {m}"));
                }
            }
        }
        let wanted: BTreeSet<&str> = subs.values().flatten().copied().collect();
        for (topic, &n) in partition_counts {
            if wanted.contains(topic.as_str()) {
                for p in 0..n {
                    if !owner.contains_key(&tp(topic, p)) {
                        errors.push(format!("{topic}-{p} unassigned"));
                    }
                }
            }
        }
        errors
    }

    fn assert_valid(members: &[MemberSubscription], c: &BTreeMap<String, u32>, a: &Assignment) {
        let errors = validity_errors(members, c, a);
        assert!(errors.is_empty(), "{errors:#?}\nassignment: {a:#?}");
    }

    /// Kafka's balance rule for unequal subscriptions: no partition could move to a
    /// member subscribed to its topic that holds two or more fewer partitions.
    fn no_balancing_move_left(members: &[MemberSubscription], a: &Assignment) -> bool {
        members.iter().all(|giver| {
            let held = a.get(&giver.member_id).map_or(0, Vec::len);
            a.get(&giver.member_id).into_iter().flatten().all(|p| {
                members.iter().all(|taker| {
                    !taker.topics.contains(&p.topic) || a.get(&taker.member_id).map_or(0, Vec::len) + 2 > held
                })
            })
        })
    }

    // ---- Strategy ---------------------------------------------------------------------

    #[test]
    fn strategy_names_round_trip() {
        for s in Kind::ALL {
            assert_eq!(Kind::parse(s.name()), Some(s));
            assert_eq!(s.to_string(), s.name());
        }
        assert_eq!(Kind::Range.name(), "range");
        assert_eq!(Kind::RoundRobin.name(), "roundrobin");
        assert_eq!(Kind::Sticky.name(), "sticky");
        assert_eq!(Kind::parse("Range"), None);
        assert_eq!(Kind::parse("cooperative-sticky"), None);
        assert_eq!(Kind::parse(""), None);
    }

    #[test]
    fn assign_dispatches_and_only_sticky_reads_previous() {
        let members = [member("c1", &["t"]), member("c2", &["t"])];
        let c = counts(&[("t", 4)]);
        let previous = assignment(&[("c1", ""), ("c2", "t-0, t-1, t-2, t-3")]);
        assert_eq!(assign(Kind::Range, &members, &c, &previous), range(&members, &c));
        assert_eq!(assign(Kind::RoundRobin, &members, &c, &previous), round_robin(&members, &c));
        assert_eq!(
            assign(Kind::Sticky, &members, &c, &previous),
            assignment(&[("c1", "t-2, t-3"), ("c2", "t-0, t-1")])
        );
    }

    // ---- Cases shared by RangeAssignorTest, RoundRobinAssignorTest and
    // ---- AbstractStickyAssignorTest (same names, same expectations) --------------------

    const ALL_STRATEGIES: [Kind; 3] = Kind::ALL;

    fn run(kind: Kind, members: &[MemberSubscription], c: &BTreeMap<String, u32>) -> Assignment {
        let a = assign(kind, members, c, &none());
        assert_valid(members, c, &a);
        a
    }

    /// `testOneConsumerNoTopic` (Range/RoundRobin/AbstractSticky).
    #[test]
    fn kafka_one_consumer_no_topic() {
        for kind in ALL_STRATEGIES {
            let a = run(kind, &[member("consumer", &[])], &counts(&[]));
            assert_eq!(a, assignment(&[("consumer", "")]), "{kind}");
        }
    }

    /// `testOneConsumerNonexistentTopic`.
    #[test]
    fn kafka_one_consumer_nonexistent_topic() {
        for kind in ALL_STRATEGIES {
            let a = run(kind, &[member("consumer", &["topic"])], &counts(&[]));
            assert_eq!(a, assignment(&[("consumer", "")]), "{kind}");
            // AbstractStickyAssignorTest puts the topic with zero partitions.
            let a = run(kind, &[member("consumer", &["topic"])], &counts(&[("topic", 0)]));
            assert_eq!(a, assignment(&[("consumer", "")]), "{kind}");
        }
    }

    /// `testOneConsumerOneTopic`.
    #[test]
    fn kafka_one_consumer_one_topic() {
        for kind in ALL_STRATEGIES {
            let a = run(kind, &[member("consumer", &["topic"])], &counts(&[("topic", 3)]));
            assert_eq!(a, assignment(&[("consumer", "topic-0, topic-1, topic-2")]), "{kind}");
        }
    }

    /// `testOnlyAssignsPartitionsFromSubscribedTopics`.
    #[test]
    fn kafka_only_assigns_partitions_from_subscribed_topics() {
        for kind in ALL_STRATEGIES {
            let c = counts(&[("topic", 3), ("other", 3)]);
            let a = run(kind, &[member("consumer", &["topic"])], &c);
            assert_eq!(a, assignment(&[("consumer", "topic-0, topic-1, topic-2")]), "{kind}");
        }
        // The sticky variant also claims to own partitions of the unsubscribed topic.
        let c = counts(&[("topic", 2)]);
        let members = [member("consumer", &["topic"])];
        let previous = assignment(&[("consumer", "topic-0, topic-1, other-0, other-1")]);
        let a = sticky(&members, &c, &previous);
        assert_eq!(a, assignment(&[("consumer", "topic-0, topic-1")]));
    }

    /// `testOneConsumerMultipleTopics`.
    #[test]
    fn kafka_one_consumer_multiple_topics() {
        for kind in ALL_STRATEGIES {
            let c = counts(&[("topic1", 1), ("topic2", 2)]);
            let a = run(kind, &[member("consumer", &["topic1", "topic2"])], &c);
            assert_eq!(a, assignment(&[("consumer", "topic1-0, topic2-0, topic2-1")]), "{kind}");
        }
    }

    /// `testTwoConsumersOneTopicOnePartition`.
    #[test]
    fn kafka_two_consumers_one_topic_one_partition() {
        for kind in ALL_STRATEGIES {
            let members = [member("consumer1", &["topic"]), member("consumer2", &["topic"])];
            let a = run(kind, &members, &counts(&[("topic", 1)]));
            assert_eq!(a, assignment(&[("consumer1", "topic-0"), ("consumer2", "")]), "{kind}");
        }
    }

    /// `testTwoConsumersOneTopicTwoPartitions`.
    #[test]
    fn kafka_two_consumers_one_topic_two_partitions() {
        for kind in ALL_STRATEGIES {
            let members = [member("consumer1", &["topic"]), member("consumer2", &["topic"])];
            let a = run(kind, &members, &counts(&[("topic", 2)]));
            let expected = assignment(&[("consumer1", "topic-0"), ("consumer2", "topic-1")]);
            assert_eq!(a, expected, "{kind}");
        }
    }

    fn mixed_topics_members() -> [MemberSubscription; 3] {
        [member("consumer1", &["topic1"]), member("consumer2", &["topic1", "topic2"]), member("consumer3", &["topic1"])]
    }

    /// `RangeAssignorTest.testMultipleConsumersMixedTopics` and
    /// `RoundRobinAssignorTest.testMultipleConsumersMixedTopics` (same expectation).
    #[test]
    fn kafka_multiple_consumers_mixed_topics_range_and_round_robin() {
        let c = counts(&[("topic1", 3), ("topic2", 2)]);
        let expected = assignment(&[
            ("consumer1", "topic1-0"),
            ("consumer2", "topic1-1, topic2-0, topic2-1"),
            ("consumer3", "topic1-2"),
        ]);
        assert_eq!(run(Kind::Range, &mixed_topics_members(), &c), expected);
        assert_eq!(run(Kind::RoundRobin, &mixed_topics_members(), &c), expected);
    }

    /// `AbstractStickyAssignorTest.testMultipleConsumersMixedTopicSubscriptions`.
    #[test]
    fn kafka_sticky_multiple_consumers_mixed_topic_subscriptions() {
        let c = counts(&[("topic1", 3), ("topic2", 2)]);
        let a = run(Kind::Sticky, &mixed_topics_members(), &c);
        let expected = assignment(&[
            ("consumer1", "topic1-0, topic1-2"),
            ("consumer2", "topic2-0, topic2-1"),
            ("consumer3", "topic1-1"),
        ]);
        assert_eq!(a, expected);
        assert!(is_fully_balanced(&a));
    }

    fn two_consumers_two_topics() -> [MemberSubscription; 2] {
        [member("consumer1", &["topic1", "topic2"]), member("consumer2", &["topic1", "topic2"])]
    }

    /// `RangeAssignorTest.testTwoConsumersTwoTopicsSixPartitions`.
    #[test]
    fn kafka_range_two_consumers_two_topics_six_partitions() {
        let c = counts(&[("topic1", 3), ("topic2", 3)]);
        let a = run(Kind::Range, &two_consumers_two_topics(), &c);
        let expected =
            assignment(&[("consumer1", "topic1-0, topic1-1, topic2-0, topic2-1"), ("consumer2", "topic1-2, topic2-2")]);
        assert_eq!(a, expected);
    }

    /// `RoundRobinAssignorTest.testTwoDynamicConsumersTwoTopicsSixPartitions` and
    /// `AbstractStickyAssignorTest.testTwoConsumersTwoTopicsSixPartitions`.
    #[test]
    fn kafka_round_robin_and_sticky_two_consumers_two_topics_six_partitions() {
        let c = counts(&[("topic1", 3), ("topic2", 3)]);
        let expected =
            assignment(&[("consumer1", "topic1-0, topic1-2, topic2-1"), ("consumer2", "topic1-1, topic2-0, topic2-2")]);
        assert_eq!(run(Kind::RoundRobin, &two_consumers_two_topics(), &c), expected);
        assert_eq!(run(Kind::Sticky, &two_consumers_two_topics(), &c), expected);
    }

    // ---- RangeAssignorTest ---------------------------------------------------------

    /// `RangeAssignorTest.testStaticMemberRangeAssignmentPersistent`. Static membership is
    /// not modelled, but these member ids sort exactly like Kafka's instance ids (with the
    /// dynamic member last), so Kafka's expectation applies unchanged.
    #[test]
    fn kafka_range_static_member_assignment_persistent() {
        let c = counts(&[("topic1", 5), ("topic2", 4)]);
        let both = ["topic1", "topic2"];
        let mut members: Vec<_> =
            ["consumer1", "consumer2", "consumer3", "consumer4"].into_iter().map(|id| member(id, &both)).collect();
        let mut expected = assignment(&[
            ("consumer1", "topic1-0, topic1-1, topic2-0"),
            ("consumer2", "topic1-2, topic2-1"),
            ("consumer3", "topic1-3, topic2-2"),
            ("consumer4", "topic1-4, topic2-3"),
        ]);
        assert_eq!(run(Kind::Range, &members, &c), expected);

        // Replace dynamic member 4 with a new dynamic member 5.
        members[3] = member("consumer5", &both);
        let moved = expected.remove("consumer4").expect("consumer4");
        expected.insert("consumer5".to_owned(), moved);
        assert_eq!(run(Kind::Range, &members, &c), expected);
    }

    /// The non-rack-aware expectations (`verifyNonRackAwareAssignment` and the
    /// `nonRackAwareAssignment` lists) of RangeAssignorTest's rack tests. Members are
    /// `consumer0..` as in `AbstractPartitionAssignorTest.verifyRackAssignment`.
    fn check_range(topic_counts: &[(&str, u32)], subscriptions: &[&[&str]], expected: &[&str]) {
        let c = counts(topic_counts);
        let members: Vec<_> =
            subscriptions.iter().enumerate().map(|(i, topics)| member(&format!("consumer{i}"), topics)).collect();
        let want: Assignment =
            expected.iter().enumerate().map(|(i, spec)| (format!("consumer{i}"), tps(spec))).collect();
        assert_eq!(run(Kind::Range, &members, &c), want);
    }

    /// `RangeAssignorTest.testRackAwareAssignmentWithUniformSubscription` (non-rack part).
    #[test]
    fn kafka_range_uniform_subscription() {
        let all: &[&str] = &["t1", "t2", "t3"];
        check_range(
            &[("t1", 6), ("t2", 7), ("t3", 2)],
            &[all, all, all],
            &["t1-0, t1-1, t2-0, t2-1, t2-2, t3-0", "t1-2, t1-3, t2-3, t2-4, t3-1", "t1-4, t1-5, t2-5, t2-6"],
        );
    }

    /// `RangeAssignorTest.testRackAwareAssignmentWithNonEqualSubscription` (non-rack part).
    #[test]
    fn kafka_range_non_equal_subscription() {
        let all: &[&str] = &["t1", "t2", "t3"];
        check_range(
            &[("t1", 6), ("t2", 7), ("t3", 2)],
            &[all, all, &["t1", "t3"]],
            &["t1-0, t1-1, t2-0, t2-1, t2-2, t2-3, t3-0", "t1-2, t1-3, t2-4, t2-5, t2-6, t3-1", "t1-4, t1-5"],
        );
    }

    /// `RangeAssignorTest.testRackAwareAssignmentWithUniformPartitions` and
    /// `...UniformPartitionsNonEqualSubscription` (non-rack parts).
    #[test]
    fn kafka_range_uniform_partitions() {
        let all: &[&str] = &["t1", "t2", "t3"];
        let c = [("t1", 5), ("t2", 5), ("t3", 5)];
        check_range(
            &c,
            &[all, all, all],
            &["t1-0, t1-1, t2-0, t2-1, t3-0, t3-1", "t1-2, t1-3, t2-2, t2-3, t3-2, t3-3", "t1-4, t2-4, t3-4"],
        );
        check_range(
            &c,
            &[all, all, &["t1", "t3"]],
            &["t1-0, t1-1, t2-0, t2-1, t2-2, t3-0, t3-1", "t1-2, t1-3, t2-3, t2-4, t3-2, t3-3", "t1-4, t3-4"],
        );
    }

    /// `RangeAssignorTest.testRackAwareAssignmentWithCoPartitioning` and
    /// `testCoPartitionedAssignmentWithSameSubscription` (non-rack parts).
    #[test]
    fn kafka_range_co_partitioning() {
        let c = [("t1", 6), ("t2", 6), ("t3", 2), ("t4", 2)];
        let (a, b): (&[&str], &[&str]) = (&["t1", "t2"], &["t3", "t4"]);
        check_range(
            &c,
            &[a, a, b, b],
            &["t1-0, t1-1, t1-2, t2-0, t2-1, t2-2", "t1-3, t1-4, t1-5, t2-3, t2-4, t2-5", "t3-0, t4-0", "t3-1, t4-1"],
        );
        let all: &[&str] = &["t1", "t2", "t3", "t4"];
        check_range(
            &c,
            &[all, all, all, all],
            &["t1-0, t1-1, t2-0, t2-1, t3-0, t4-0", "t1-2, t1-3, t2-2, t2-3, t3-1, t4-1", "t1-4, t2-4", "t1-5, t2-5"],
        );
        // Topics t7..t9 are subscribed but do not exist.
        let listed: &[&str] = &["t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9"];
        check_range(
            &[("t1", 6), ("t2", 6), ("t3", 2), ("t4", 2), ("t5", 4), ("t6", 4)],
            &[listed, listed, listed],
            &[
                "t1-0, t1-1, t2-0, t2-1, t3-0, t4-0, t5-0, t5-1, t6-0, t6-1",
                "t1-2, t1-3, t2-2, t2-3, t3-1, t4-1, t5-2, t6-2",
                "t1-4, t1-5, t2-4, t2-5, t5-3, t6-3",
            ],
        );
    }

    // ---- RoundRobinAssignorTest ----------------------------------------------------

    /// `RoundRobinAssignorTest.testStaticMemberAssignmentPersistent`; as for Range, these
    /// member ids sort like Kafka's instance ids, so the expectation carries over.
    #[test]
    fn kafka_round_robin_static_member_assignment_persistent() {
        let c = counts(&[("topic1", 3), ("topic2", 3)]);
        let both = ["topic1", "topic2"];
        let mut members: Vec<_> =
            ["consumer1", "consumer2", "consumer3", "consumer4"].into_iter().map(|id| member(id, &both)).collect();
        let mut expected = assignment(&[
            ("consumer1", "topic1-0, topic2-1"),
            ("consumer2", "topic1-1, topic2-2"),
            ("consumer3", "topic1-2"),
            ("consumer4", "topic2-0"),
        ]);
        assert_eq!(run(Kind::RoundRobin, &members, &c), expected);

        members[3] = member("consumer5", &both);
        expected.remove("consumer4");
        expected.insert("consumer5".to_owned(), tps("topic2-0"));
        assert_eq!(run(Kind::RoundRobin, &members, &c), expected);
    }

    /// Kafka sorts member ids with Java's `String.compareTo` (UTF-16 code units). U+1F600
    /// is the surrogate pair D83D DE00, which Java orders before U+FFFD even though its
    /// UTF-8 encoding sorts after.
    #[test]
    fn members_are_ordered_like_java_strings() {
        let (bmp, astral) = ("\u{FFFD}", "\u{1F600}");
        assert!(bmp < astral, "Rust orders by code point");
        let members = [member(bmp, &["t"]), member(astral, &["t"])];
        let c = counts(&[("t", 1)]);
        for kind in ALL_STRATEGIES {
            let a = run(kind, &members, &c);
            assert_eq!(a[astral], tps("t-0"), "{kind}");
        }
    }

    #[test]
    fn duplicate_member_entries_merge_their_subscriptions() {
        let members = [member("c", &["a"]), member("c", &["b", "b"]), member("d", &["a"])];
        let c = counts(&[("a", 2), ("b", 1)]);
        for kind in ALL_STRATEGIES {
            let a = run(kind, &members, &c);
            assert_eq!(a.len(), 2, "{kind}");
            assert!(a["c"].contains(&tp("b", 0)), "{kind}");
        }
    }

    // ---- AbstractStickyAssignorTest ------------------------------------------------

    /// `testConsumerOwningMinQuotaExpectedMaxQuota`.
    #[test]
    fn kafka_sticky_consumer_owning_min_quota_expected_max_quota() {
        let c = counts(&[("topic1", 2), ("topic2", 3)]);
        let both = ["topic1", "topic2"];
        let members = [member("consumer1", &both), member("consumer2", &both)];
        let previous = assignment(&[("consumer1", "topic1-0, topic2-1"), ("consumer2", "topic1-1, topic2-2")]);
        let a = sticky(&members, &c, &previous);
        assert_valid(&members, &c, &a);
        let expected =
            assignment(&[("consumer1", "topic1-0, topic2-0, topic2-1"), ("consumer2", "topic1-1, topic2-2")]);
        assert_eq!(a, expected);
    }

    /// `testMaxQuotaConsumerMoreThanNumExpectedMaxCapacityMembers`. Kafka expects
    /// consumer1 (not consumer2) to give up a partition, but only because its loop
    /// visits members in `HashMap` order (consumer3, consumer2, consumer1 for these
    /// ids). We visit in member-id order, so consumer2 gives one up instead; balance
    /// and the number of moves (one) are the same.
    #[test]
    fn kafka_sticky_max_quota_consumers_more_than_expected() {
        let c = counts(&[("topic1", 2), ("topic2", 2)]);
        let both = ["topic1", "topic2"];
        let members = [member("consumer1", &both), member("consumer2", &both), member("consumer3", &both)];
        let previous =
            assignment(&[("consumer1", "topic1-0, topic2-0"), ("consumer2", "topic1-1, topic2-1"), ("consumer3", "")]);
        let a = sticky(&members, &c, &previous);
        assert_valid(&members, &c, &a);
        assert!(is_fully_balanced(&a));
        let expected =
            assignment(&[("consumer1", "topic1-0, topic2-0"), ("consumer2", "topic1-1"), ("consumer3", "topic2-1")]);
        assert_eq!(a, expected);
    }

    /// `testAllConsumersAreUnderMinQuota`.
    #[test]
    fn kafka_sticky_all_consumers_under_min_quota() {
        let c = counts(&[("topic1", 2), ("topic2", 3)]);
        let both = ["topic1", "topic2"];
        let members = [member("consumer1", &both), member("consumer2", &both), member("consumer3", &both)];
        let previous = assignment(&[("consumer1", "topic1-0"), ("consumer2", "topic1-1"), ("consumer3", "")]);
        let a = sticky(&members, &c, &previous);
        assert_valid(&members, &c, &a);
        let expected = assignment(&[
            ("consumer1", "topic1-0, topic2-1"),
            ("consumer2", "topic1-1, topic2-2"),
            ("consumer3", "topic2-0"),
        ]);
        assert_eq!(a, expected);
    }

    /// `testAddRemoveConsumerOneTopic`.
    #[test]
    fn kafka_sticky_add_remove_consumer_one_topic() {
        let c = counts(&[("topic", 3)]);
        let one = [member("consumer1", &["topic"])];
        let a = sticky(&one, &c, &none());
        assert_eq!(a, assignment(&[("consumer1", "topic-0, topic-1, topic-2")]));

        let two = [member("consumer1", &["topic"]), member("consumer2", &["topic"])];
        let a = sticky(&two, &c, &a);
        let expected = assignment(&[("consumer1", "topic-0, topic-1"), ("consumer2", "topic-2")]);
        assert_eq!(a, expected);

        let survivor = [member("consumer2", &["topic"])];
        let a = sticky(&survivor, &c, &a);
        assert_eq!(a, assignment(&[("consumer2", "topic-0, topic-1, topic-2")]));
    }

    /// `testAddRemoveTwoConsumersTwoTopics`. The first two rounds match Kafka exactly. In
    /// the third, Kafka deals the unowned partitions round-robin over the under-quota
    /// members (topic1-0 to consumer3, which then holds more than consumer4); we give each
    /// to the least-loaded member, so consumer3 and consumer4 swap topic1-0 and topic1-1.
    /// Kafka's sizes (4 and 3) and stickiness still hold.
    #[test]
    fn kafka_sticky_add_remove_two_consumers_two_topics() {
        let c = counts(&[("topic1", 3), ("topic2", 4)]);
        let all = ["topic1", "topic2"];
        let m = |id: &str| member(id, &all);

        let a = sticky(&[m("consumer1"), m("consumer2")], &c, &none());
        let expected = assignment(&[
            ("consumer1", "topic1-0, topic1-2, topic2-1, topic2-3"),
            ("consumer2", "topic1-1, topic2-0, topic2-2"),
        ]);
        assert_eq!(a, expected);

        let four = [m("consumer1"), m("consumer2"), m("consumer3"), m("consumer4")];
        let a = sticky(&four, &c, &a);
        let expected = assignment(&[
            ("consumer1", "topic1-0, topic1-2"),
            ("consumer2", "topic1-1, topic2-0"),
            ("consumer3", "topic2-1, topic2-3"),
            ("consumer4", "topic2-2"),
        ]);
        assert_eq!(a, expected);

        let two = [m("consumer3"), m("consumer4")];
        let b = sticky(&two, &c, &a);
        assert_valid(&two, &c, &b);
        assert_eq!(loads(&b), [4, 3]);
        assert!(tps("topic2-1, topic2-3").iter().all(|p| b["consumer3"].contains(p)));
        assert!(b["consumer4"].contains(&tp("topic2", 2)));
        let expected = assignment(&[
            ("consumer3", "topic1-1, topic2-0, topic2-1, topic2-3"),
            ("consumer4", "topic1-0, topic1-2, topic2-2"),
        ]);
        assert_eq!(b, expected);
    }

    /// `testPoorRoundRobinAssignmentScenario`: the test's doc comment lists the sticky
    /// result, which we reproduce exactly (Kafka itself only checks validity and balance).
    #[test]
    fn kafka_sticky_poor_round_robin_scenario() {
        let c = counts(&[("topic1", 2), ("topic2", 1), ("topic3", 2), ("topic4", 1), ("topic5", 2)]);
        let all = ["topic1", "topic2", "topic3", "topic4", "topic5"];
        let odd = ["topic1", "topic3", "topic5"];
        let members = [
            member("consumer1", &all),
            member("consumer2", &odd),
            member("consumer3", &odd),
            member("consumer4", &all),
        ];
        let a = sticky(&members, &c, &none());
        assert_valid(&members, &c, &a);
        assert!(no_balancing_move_left(&members, &a));
        let expected = assignment(&[
            ("consumer1", "topic2-0, topic3-0"),
            ("consumer2", "topic1-0, topic3-1"),
            ("consumer3", "topic1-1, topic5-0"),
            ("consumer4", "topic4-0, topic5-1"),
        ]);
        assert_eq!(a, expected);
        // The doc comment's round-robin result, for contrast.
        let rr = round_robin(&members, &c);
        let expected_rr = assignment(&[
            ("consumer1", "topic1-0, topic3-0, topic5-0"),
            ("consumer2", "topic1-1, topic3-1, topic5-1"),
            ("consumer3", ""),
            ("consumer4", "topic2-0, topic4-0"),
        ]);
        assert_eq!(rr, expected_rr);
    }

    /// `testAddRemoveTopicTwoConsumers`.
    #[test]
    fn kafka_sticky_add_remove_topic_two_consumers() {
        let mut c = counts(&[("topic", 3)]);
        let m = |topics: &[&str]| [member("consumer1", topics), member("consumer2", topics)];
        let first = sticky(&m(&["topic"]), &c, &none());
        assert_valid(&m(&["topic"]), &c, &first);
        assert!(is_fully_balanced(&first));

        c.insert("topic2".to_owned(), 3);
        let second = sticky(&m(&["topic", "topic2"]), &c, &first);
        assert_valid(&m(&["topic", "topic2"]), &c, &second);
        assert_eq!(loads(&second), [3, 3]);
        for (id, before) in &first {
            assert!(before.iter().all(|p| second[id].contains(p)), "{id} lost a partition");
        }

        c.remove("topic");
        let third = sticky(&m(&["topic2"]), &c, &second);
        assert_valid(&m(&["topic2"]), &c, &third);
        assert!(is_fully_balanced(&third));
        for (id, after) in &third {
            assert!(after.iter().all(|p| second[id].contains(p)), "{id} gained a partition");
        }
    }

    /// `testStickiness`: four consumers, three partitions; the first leaves.
    #[test]
    fn kafka_sticky_stickiness() {
        let c = counts(&[("topic1", 3)]);
        let ids = ["consumer1", "consumer2", "consumer3", "consumer4"];
        let members: Vec<_> = ids.iter().map(|id| member(id, &["topic1"])).collect();
        let a = sticky(&members, &c, &none());
        assert_valid(&members, &c, &a);
        assert!(a.values().all(|p| p.len() <= 1));

        let rest = &members[1..];
        let b = sticky(rest, &c, &a);
        assert_valid(rest, &c, &b);
        for (id, now) in &b {
            assert_eq!(now.len(), 1, "{id}");
            assert!(a[id].iter().all(|p| now.contains(p)), "stickiness not honoured for {id}");
        }
    }

    /// `testAssignmentUpdatedForDeletedTopic`.
    #[test]
    fn kafka_sticky_assignment_updated_for_deleted_topic() {
        let c = counts(&[("topic1", 1), ("topic3", 100)]);
        let members = [member("consumer", &["topic1", "topic2", "topic3"])];
        let a = sticky(&members, &c, &none());
        assert_valid(&members, &c, &a);
        assert_eq!(a["consumer"].len(), 101);
    }

    /// `testNoExceptionThrownWhenOnlySubscribedTopicDeleted`.
    #[test]
    fn kafka_sticky_only_subscribed_topic_deleted() {
        let members = [member("consumer", &["topic"])];
        let a = sticky(&members, &counts(&[("topic", 3)]), &none());
        let b = sticky(&members, &counts(&[]), &a);
        assert_eq!(b, assignment(&[("consumer", "")]));
    }

    /// `testAllConsumersReachExpectedQuotaAndAreConsideredFilled`.
    #[test]
    fn kafka_sticky_all_consumers_reach_expected_quota() {
        let c = counts(&[("topic", 4)]);
        let members =
            [member("consumer1", &["topic"]), member("consumer2", &["topic"]), member("consumer3", &["topic"])];
        let previous = assignment(&[("consumer1", "topic-0, topic-1"), ("consumer2", "topic-2")]);
        let a = sticky(&members, &c, &previous);
        let expected =
            assignment(&[("consumer1", "topic-0, topic-1"), ("consumer2", "topic-2"), ("consumer3", "topic-3")]);
        assert_eq!(a, expected);
    }

    /// `testPartitionsTransferringOwnershipIncludeThePartitionClaimedByMultipleConsumersInSameGeneration`.
    #[test]
    fn kafka_sticky_partition_claimed_by_multiple_consumers() {
        let c = counts(&[("topic", 3)]);
        let members =
            [member("consumer1", &["topic"]), member("consumer2", &["topic"]), member("consumer3", &["topic"])];
        let previous =
            assignment(&[("consumer1", "topic-0, topic-1"), ("consumer2", "topic-0, topic-2"), ("consumer3", "")]);
        let a = sticky(&members, &c, &previous);
        let expected = assignment(&[("consumer1", "topic-1"), ("consumer2", "topic-2"), ("consumer3", "topic-0")]);
        assert_eq!(a, expected);
    }

    /// `testNoReassignmentOnCurrentMembers` (without generations: there are no conflicts).
    #[test]
    fn kafka_sticky_no_reassignment_on_current_members() {
        let c = counts(&[("topic", 3), ("topic1", 3), ("topic2", 3), ("topic3", 3)]);
        let all = ["topic", "topic2", "topic3", "topic1"];
        let members: Vec<_> =
            ["consumer1", "consumer2", "consumer3", "consumer4"].into_iter().map(|id| member(id, &all)).collect();
        let previous = assignment(&[
            ("consumer2", "topic-0, topic2-0, topic1-0"),
            ("consumer3", "topic3-2, topic2-2, topic1-1"),
            ("consumer4", "topic3-1, topic-1, topic-2"),
        ]);
        let a = sticky(&members, &c, &previous);
        assert_valid(&members, &c, &a);
        assert_eq!(a["consumer1"], tps("topic1-2, topic2-1, topic3-0"));
        for (id, owned) in &previous {
            assert_eq!(&a[id], owned);
        }
    }

    /// `testMoveExistingAssignments`.
    #[test]
    fn kafka_sticky_move_existing_assignments() {
        let c: BTreeMap<String, u32> = (1..=6).map(|i| (format!("topic{i}"), 1)).collect();
        let members = [
            member("consumer1", &["topic1", "topic2"]),
            member("consumer2", &["topic1", "topic2", "topic3", "topic4"]),
            member("consumer3", &["topic2", "topic3", "topic4", "topic5", "topic6"]),
        ];
        let previous = assignment(&[
            ("consumer1", "topic1-0"),
            ("consumer2", "topic2-0, topic3-0"),
            ("consumer3", "topic4-0, topic5-0, topic6-0"),
        ]);
        let a = sticky(&members, &c, &previous);
        assert_valid(&members, &c, &a);
        assert!(no_balancing_move_left(&members, &a));
        // Loads 1, 2, 3 already meet Kafka's criterion (no single partition can go to a
        // subscriber holding two fewer), so nothing moves. Reaching 2, 2, 2 would need a
        // chain of two moves (topic4-0 to consumer2, topic2-0 to consumer1).
        assert_eq!(a, previous);
    }

    /// `testRackAwareAssignmentWithUniformSubscription` / `...WithNonEqualSubscription`
    /// (non-rack-aware expectations of AbstractStickyAssignorTest, members `consumer0..`):
    /// the fresh assignment, and the same again when each member already owns it.
    #[test]
    fn kafka_sticky_non_rack_aware_expectations() {
        let c = counts(&[("t1", 6), ("t2", 7), ("t3", 2)]);
        let all = ["t1", "t2", "t3"];
        let cases: [([&[&str]; 3], [&str; 3]); 2] = [
            (
                [&all, &all, &all],
                ["t1-0, t1-3, t2-0, t2-3, t2-6", "t1-1, t1-4, t2-1, t2-4, t3-0", "t1-2, t1-5, t2-2, t2-5, t3-1"],
            ),
            (
                [&all, &all, &["t1", "t3"]],
                ["t1-5, t2-0, t2-2, t2-4, t2-6", "t1-3, t2-1, t2-3, t2-5, t3-0", "t1-0, t1-1, t1-2, t1-4, t3-1"],
            ),
        ];
        for (subscriptions, expected) in cases {
            let members: Vec<_> =
                subscriptions.iter().enumerate().map(|(i, t)| member(&format!("consumer{i}"), t)).collect();
            let want: Assignment = expected.iter().enumerate().map(|(i, s)| (format!("consumer{i}"), tps(s))).collect();
            assert_eq!(sticky(&members, &c, &none()), want);
            assert_eq!(sticky(&members, &c, &want), want);
        }
    }

    fn padded(prefix: &str, i: usize) -> String {
        format!("{prefix}{i:02}")
    }

    /// `testReassignmentAfterOneConsumerLeaves`: consumer i subscribes to topics 1..=i,
    /// topic i has i partitions; consumer 10 leaves.
    #[test]
    fn kafka_sticky_reassignment_after_one_consumer_leaves() {
        let c: BTreeMap<String, u32> = (1..20u32).map(|i| (padded("t", i as usize), i)).collect();
        let members: Vec<_> = (1..20)
            .map(|i| {
                let topics: Vec<String> = (1..=i).map(|j| padded("t", j)).collect();
                MemberSubscription::new(padded("c", i), topics)
            })
            .collect();
        let a = sticky(&members, &c, &none());
        assert_valid(&members, &c, &a);
        assert!(no_balancing_move_left(&members, &a));

        let rest: Vec<_> = members.iter().filter(|m| m.member_id != "c10").cloned().collect();
        let b = sticky(&rest, &c, &a);
        assert_valid(&rest, &c, &b);
        assert!(no_balancing_move_left(&rest, &b));
        assert_eq!(sticky(&rest, &c, &b), b, "a balanced assignment is a fixed point");
    }

    /// `testReassignmentAfterOneConsumerAdded`: 20 partitions, 9 then 10 consumers.
    #[test]
    fn kafka_sticky_reassignment_after_one_consumer_added() {
        let c = counts(&[("topic", 20)]);
        let mut members: Vec<_> = (1..10).map(|i| member(&padded("c", i), &["topic"])).collect();
        let a = sticky(&members, &c, &none());
        assert_valid(&members, &c, &a);
        assert!(is_fully_balanced(&a));

        members.push(member("c10", &["topic"]));
        let b = sticky(&members, &c, &a);
        assert_valid(&members, &c, &b);
        assert!(b.values().all(|p| p.len() == 2));
        // Only the two members that held three move one partition each.
        let moved: usize = a.iter().map(|(id, p)| p.iter().filter(|x| !b[id].contains(x)).count()).sum();
        assert_eq!(moved, 2);
    }

    /// `testSameSubscriptions`: 14 topics with 1..14 partitions, 8 consumers; one leaves.
    #[test]
    fn kafka_sticky_same_subscriptions() {
        let c: BTreeMap<String, u32> = (1..15u32).map(|i| (padded("t", i as usize), i)).collect();
        let topics: Vec<String> = c.keys().cloned().collect();
        let members: Vec<_> = (1..9).map(|i| MemberSubscription::new(padded("c", i), topics.clone())).collect();
        let a = sticky(&members, &c, &none());
        assert_valid(&members, &c, &a);
        assert!(is_fully_balanced(&a));

        let rest: Vec<_> = members.iter().filter(|m| m.member_id != "c05").cloned().collect();
        let b = sticky(&rest, &c, &a);
        assert_valid(&rest, &c, &b);
        assert!(is_fully_balanced(&b));
        // 105 partitions over 7: everyone needs 15; survivors held 13 or 14 and keep them all.
        for (id, now) in &b {
            assert!(a[id].iter().all(|p| now.contains(p)), "{id} lost a partition");
        }
    }

    /// A scaled-down `testLargeAssignmentAndGroupWithNonEqualSubscription` (Kafka uses
    /// 500 topics x 2000 partitions x 2000 consumers) to keep the general path honest
    /// about cost.
    #[test]
    fn sticky_larger_group_with_non_equal_subscription() {
        let topics: Vec<String> = (0..50).map(|i| padded("t", i)).collect();
        let c: BTreeMap<String, u32> = topics.iter().map(|t| (t.clone(), 40)).collect();
        let members: Vec<_> = (0..100)
            .map(|i| {
                let subscribed = if i == 99 { &topics[..1] } else { &topics[..] };
                MemberSubscription::new(format!("c{i:03}"), subscribed.to_vec())
            })
            .collect();
        let a = sticky(&members, &c, &none());
        assert_valid(&members, &c, &a);
        assert!(no_balancing_move_left(&members, &a));
        assert_eq!(sticky(&members, &c, &a), a);
    }

    #[test]
    fn sticky_ignores_garbage_in_previous() {
        let c = counts(&[("t", 4)]);
        let members = [member("a", &["t"]), member("b", &["t"])];
        let previous = assignment(&[("a", "t-0, t-0, t-9, x-1"), ("b", "t-1"), ("gone", "t-2, t-3")]);
        let a = sticky(&members, &c, &previous);
        assert_valid(&members, &c, &a);
        assert_eq!(a, assignment(&[("a", "t-0, t-2"), ("b", "t-1, t-3")]));
    }

    // ---- property tests ----------------------------------------------------------------

    mod props {
        use super::*;
        use proptest::prelude::*;

        const TOPICS: [&str; 4] = ["t0", "t1", "t2", "t3"];

        /// Partition counts for t0..t3 (0..8 each).
        fn topic_counts() -> impl Strategy<Value = BTreeMap<String, u32>> {
            proptest::collection::vec(0u32..8, TOPICS.len())
                .prop_map(|n| TOPICS.iter().map(|t| (*t).to_owned()).zip(n).collect())
        }

        /// Topics selected by the low bits of `mask`; bit 4 adds a missing topic.
        fn topics_of(mask: u8) -> Vec<String> {
            let mut topics: Vec<String> =
                TOPICS.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, t)| (*t).to_owned()).collect();
            if mask & 0x10 != 0 {
                topics.push("missing".to_owned());
            }
            topics
        }

        /// Members m0.. with arbitrary subscriptions, in shuffled input order.
        fn any_members(max: usize) -> impl Strategy<Value = Vec<MemberSubscription>> {
            proptest::collection::vec(any::<u8>(), 1..=max)
                .prop_map(|masks| {
                    masks
                        .into_iter()
                        .enumerate()
                        .map(|(i, mask)| MemberSubscription::new(format!("m{i}"), topics_of(mask)))
                        .collect::<Vec<_>>()
                })
                .prop_shuffle()
        }

        /// `n` members m0.. all subscribing to the topics of `mask`.
        fn uniform(n: usize, mask: u8) -> Vec<MemberSubscription> {
            (0..n).map(|i| MemberSubscription::new(format!("m{i}"), topics_of(mask))).collect()
        }

        fn total_partitions(members: &[MemberSubscription], c: &BTreeMap<String, u32>) -> usize {
            let topics: BTreeSet<&String> = members.iter().flat_map(|m| &m.topics).collect();
            topics.iter().filter_map(|t| c.get(*t)).map(|&n| n as usize).sum()
        }

        /// Minimum number of retained partitions a balanced assignment must move, for
        /// uniform subscriptions: each member keeps at most its quota, and at most
        /// `total % members` members can keep `min + 1`.
        fn minimum_moves(kept: &[usize], total: usize) -> usize {
            let (min, extra) = (total / kept.len(), total % kept.len());
            let excess: usize = kept.iter().map(|&k| k.saturating_sub(min)).sum();
            let can_keep_one_more = kept.iter().filter(|&&k| k > min).count().min(extra);
            excess - can_keep_one_more
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]

            #[test]
            fn every_partition_assigned_once_to_a_subscriber(
                members in any_members(7),
                c in topic_counts(),
            ) {
                for kind in Kind::ALL {
                    let a = assign(kind, &members, &c, &Assignment::new());
                    let errors = validity_errors(&members, &c, &a);
                    prop_assert!(errors.is_empty(), "{}: {:?}", kind, errors);
                }
            }

            #[test]
            fn results_do_not_depend_on_input_order(
                members in any_members(7),
                c in topic_counts(),
            ) {
                let mut reversed = members.clone();
                reversed.reverse();
                for kind in Kind::ALL {
                    let previous = round_robin(&members, &c);
                    prop_assert_eq!(
                        assign(kind, &members, &c, &previous),
                        assign(kind, &reversed, &c, &previous)
                    );
                }
            }

            #[test]
            fn range_gives_each_topic_in_contiguous_balanced_ranges(
                members in any_members(7),
                c in topic_counts(),
            ) {
                let a = range(&members, &c);
                for (topic, &n) in &c {
                    // Subscribers in member-id order (ids m0..m6 sort as Java would).
                    let mut subscribers: Vec<&String> = members
                        .iter()
                        .filter(|m| m.topics.contains(topic))
                        .map(|m| &m.member_id)
                        .collect();
                    subscribers.sort();
                    if subscribers.is_empty() {
                        continue;
                    }
                    let ranges: Vec<Vec<u32>> = subscribers
                        .iter()
                        .map(|id| a[*id].iter().filter(|p| &p.topic == topic).map(|p| p.partition).collect())
                        .collect();
                    let concatenated: Vec<u32> = ranges.concat();
                    prop_assert_eq!(concatenated, (0..n).collect::<Vec<_>>());
                    let lens: Vec<usize> = ranges.iter().map(Vec::len).collect();
                    prop_assert!(lens.windows(2).all(|w| w[0] >= w[1] && w[0] - w[1] <= 1), "{:?}", lens);
                }
            }

            #[test]
            fn round_robin_and_sticky_balance_uniform_subscriptions(
                n in 1usize..8,
                mask in any::<u8>(),
                c in topic_counts(),
            ) {
                let members = uniform(n, mask);
                for kind in [Kind::RoundRobin, Kind::Sticky] {
                    let a = assign(kind, &members, &c, &Assignment::new());
                    prop_assert!(is_fully_balanced(&a), "{}: {:?}", kind, a);
                }
            }

            #[test]
            fn extra_members_get_nothing(
                n in 1usize..8,
                mask in any::<u8>(),
                c in topic_counts(),
            ) {
                let members = uniform(n, mask);
                let total = total_partitions(&members, &c);
                prop_assume!(total < n);
                for kind in [Kind::RoundRobin, Kind::Sticky] {
                    let a = assign(kind, &members, &c, &Assignment::new());
                    let l = loads(&a);
                    // Exactly `total` members get one partition: the first ones by id.
                    prop_assert_eq!(&l[..total], &vec![1; total][..], "{}", kind);
                    prop_assert!(l[total..].iter().all(|&x| x == 0), "{}", kind);
                }
                let widest = members[0]
                    .topics
                    .iter()
                    .filter_map(|t| c.get(t))
                    .copied()
                    .max()
                    .unwrap_or(0) as usize;
                let l = loads(&range(&members, &c));
                prop_assert!(l[widest.min(n)..].iter().all(|&x| x == 0));
            }

            #[test]
            fn sticky_moves_only_what_balance_requires(
                n in 1usize..8,
                mask in any::<u8>(),
                c in topic_counts(),
                leave in proptest::collection::vec(any::<bool>(), 8),
                join in 0usize..4,
            ) {
                let before = uniform(n, mask);
                let previous = sticky(&before, &c, &Assignment::new());
                let mut after: Vec<MemberSubscription> = before
                    .iter()
                    .zip(&leave)
                    .filter(|(_, gone)| !**gone)
                    .map(|(m, _)| m.clone())
                    .collect();
                after.extend((0..join).map(|j| MemberSubscription::new(format!("new{j}"), topics_of(mask))));
                prop_assume!(!after.is_empty());

                let a = sticky(&after, &c, &previous);
                let errors = validity_errors(&after, &c, &a);
                prop_assert!(errors.is_empty(), "{:?}", errors);
                prop_assert!(is_fully_balanced(&a));

                let kept: Vec<usize> = a.keys().map(|id| previous.get(id).map_or(0, Vec::len)).collect();
                let moved: usize = a
                    .iter()
                    .map(|(id, now)| previous.get(id).into_iter().flatten().filter(|p| !now.contains(p)).count())
                    .sum();
                prop_assert_eq!(moved, minimum_moves(&kept, total_partitions(&after, &c)));
            }

            #[test]
            fn sticky_with_unequal_subscriptions_is_valid_balanced_and_stable(
                before in any_members(6),
                after in any_members(6),
                c in topic_counts(),
            ) {
                let previous = sticky(&before, &c, &Assignment::new());
                let a = sticky(&after, &c, &previous);
                let errors = validity_errors(&after, &c, &a);
                prop_assert!(errors.is_empty(), "{:?}", errors);
                prop_assert!(no_balancing_move_left(&after, &a), "{:?}", a);
                prop_assert_eq!(sticky(&after, &c, &a), a.clone(), "not a fixed point");
            }

            #[test]
            fn sticky_survives_arbitrary_previous(
                members in any_members(5),
                c in topic_counts(),
                junk in proptest::collection::vec((0usize..7, 0usize..5, 0u32..10), 0..30),
            ) {
                let mut previous = Assignment::new();
                for (m, t, p) in junk {
                    let topic = TOPICS.get(t).copied().unwrap_or("missing");
                    previous.entry(format!("m{m}")).or_default().push(tp(topic, p));
                }
                let a = sticky(&members, &c, &previous);
                let errors = validity_errors(&members, &c, &a);
                prop_assert!(errors.is_empty(), "{:?}", errors);
            }
        }
    }
}

//! The sticky assignor: balanced, and keeping as many partitions with their previous owner
//! as balance allows (the goals of Kafka's `StickyAssignor`, not yet its algorithm).

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap, HashSet};

use super::common::{
    Member, group_members, into_assignment, partition_count, partitions_of, subscribed_topics, subscribers_of,
};
use super::{Assignment, MemberSubscription, TopicPartition};

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

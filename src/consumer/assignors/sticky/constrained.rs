//! Kafka's `ConstrainedAssignmentBuilder`, used when every member subscribes to the same
//! topics: members keep their owned partitions up to their quota, visited in Kafka's
//! `HashMap` order (owned partitions sorted by partition number, then topic), then the
//! remaining partitions, in (topic, partition) order, are dealt round robin to the members
//! under the minimum quota, then one each to members at the minimum, in member-id order.

use std::collections::{BTreeMap, HashMap, VecDeque};

use super::{Claims, Input, Tp};

/// The assignment (by member index) and the partitions transferring ownership.
pub(super) fn build(input: &Input<'_>, claims: &Claims) -> (Vec<Vec<Tp>>, BTreeMap<Tp, usize>) {
    let members = input.members.len();
    if members == 0 {
        return (Vec::new(), BTreeMap::new());
    }
    let total = input.total_partitions();
    let mut builder = Builder {
        min_quota: total / members,
        max_quota: total.div_ceil(members),
        expected_over_min: total % members,
        current_over_min: 0,
        assignment: vec![Vec::new(); members],
        maybe_revoked: HashMap::new(),
        transferring: BTreeMap::new(),
        under_min: Vec::new(),
        exactly_min: VecDeque::new(),
    };
    let assigned = builder.assign_owned(input, claims);
    let unassigned = unassigned(input, &assigned);
    builder.under_min.sort_unstable();
    builder.exactly_min.make_contiguous().sort_unstable();
    builder.assign_round_robin(&unassigned, claims);
    (builder.assignment, builder.transferring)
}

struct Builder {
    min_quota: usize,
    max_quota: usize,
    /// How many members end with `max_quota` when it exceeds `min_quota`.
    expected_over_min: usize,
    current_over_min: usize,
    assignment: Vec<Vec<Tp>>,
    /// Owned partitions beyond a member's quota, and that member.
    maybe_revoked: HashMap<Tp, usize>,
    transferring: BTreeMap<Tp, usize>,
    /// Members still short of `min_quota`.
    under_min: Vec<usize>,
    /// Members at `min_quota` that may still get one more.
    exactly_min: VecDeque<usize>,
}

impl Builder {
    /// Kafka's `assignOwnedPartitions`; returns the partitions kept.
    fn assign_owned(&mut self, input: &Input<'_>, claims: &Claims) -> Vec<Tp> {
        let mut assigned = Vec::new();
        for &member in &input.hash_order {
            let mut owned: Vec<Tp> =
                claims.owned[member].iter().copied().filter(|tp| !claims.multiply_owned.contains(tp)).collect();
            owned.sort_by_key(|tp| (tp.partition, tp.topic));
            let keep = if owned.len() < self.min_quota {
                self.under_min.push(member);
                owned.len()
            } else if owned.len() >= self.max_quota && self.current_over_min < self.expected_over_min {
                self.current_over_min += 1;
                if self.current_over_min == self.expected_over_min {
                    self.exactly_min.clear();
                }
                self.max_quota
            } else {
                if self.current_over_min < self.expected_over_min {
                    self.exactly_min.push_back(member);
                }
                self.min_quota
            };
            for &tp in &owned[keep..] {
                self.maybe_revoked.insert(tp, member);
            }
            owned.truncate(keep);
            assigned.extend_from_slice(&owned);
            self.assignment[member] = owned;
        }
        assigned
    }

    /// Kafka's `assignRoundRobin`: cycles over the members under `min_quota` (each leaves
    /// the cycle on reaching it), then gives the rest one each to members at `min_quota`.
    fn assign_round_robin(&mut self, unassigned: &[Tp], claims: &Claims) {
        let mut cursor = 0;
        for &tp in unassigned {
            let (member, from_under) = if cursor < self.under_min.len() {
                cursor += 1;
                (self.under_min[cursor - 1], true)
            } else if !self.under_min.is_empty() {
                cursor = 1;
                (self.under_min[0], true)
            } else if let Some(member) = self.exactly_min.pop_front() {
                (member, false)
            } else {
                // Kafka throws here; the quotas make it unreachable.
                debug_assert!(false, "no member left for {tp:?}");
                return;
            };
            let count = self.assign_new(tp, member, claims);
            if count == self.min_quota {
                if from_under {
                    cursor -= 1;
                    self.under_min.remove(cursor);
                }
                self.exactly_min.push_back(member);
            } else if count == self.max_quota {
                self.current_over_min += 1;
            }
        }
    }

    fn assign_new(&mut self, tp: Tp, member: usize, claims: &Claims) -> usize {
        self.assignment[member].push(tp);
        let revoked_elsewhere = self.maybe_revoked.get(&tp).is_some_and(|&owner| owner != member);
        if revoked_elsewhere || claims.multiply_owned.contains(&tp) {
            self.transferring.insert(tp, member);
        }
        self.assignment[member].len()
    }
}

/// Every partition no member kept, topic by topic in name order.
fn unassigned(input: &Input<'_>, assigned: &[Tp]) -> Vec<Tp> {
    let kept: std::collections::HashSet<Tp> = assigned.iter().copied().collect();
    let all: Vec<u32> = (0..input.topics.len() as u32).collect();
    input.partitions_of(&all).into_iter().filter(|tp| !kept.contains(tp)).collect()
}

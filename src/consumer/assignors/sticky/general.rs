//! Kafka's `GeneralAssignmentBuilder`, used when members subscribe to different topics:
//! keep every still-subscribed owned partition, give each unowned partition (topics with
//! the fewest subscribers first) to the subscriber holding the fewest, then move
//! partitions towards lighter members until no partition could go to a subscriber holding
//! two or more fewer (preferring to return a partition to its previous-generation owner,
//! and undoing earlier moves of the same topic), keeping the result only if it improved
//! the balance score.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::movements::Movements;
use super::{Claims, DEFAULT_GENERATION, Input, Tp};

/// The assignment, by member index.
pub(super) fn build(input: &Input<'_>, claims: &Claims) -> Vec<Vec<Tp>> {
    let members = input.members.len();
    let mut potential: Vec<Vec<usize>> = vec![Vec::new(); input.topics.len()];
    for (member, topics) in input.subscribed.iter().enumerate() {
        for &topic in topics {
            potential[topic as usize].push(member);
        }
    }
    let max_size: Vec<usize> =
        input.subscribed.iter().map(|topics| topics.iter().map(|&t| input.counts[t as usize] as usize).sum()).collect();

    let mut current = claims.owned.clone();
    let mut owner: HashMap<Tp, usize> = HashMap::new();
    for &member in &input.hash_order {
        owner.extend(current[member].iter().map(|&tp| (tp, member)));
    }
    let mut sorted_topics: Vec<u32> = (0..input.topics.len() as u32).collect();
    sorted_topics.sort_by_key(|&t| (potential[t as usize].len(), t));
    let sorted_all = input.partitions_of(&sorted_topics);
    let previous = previous_generations(input, claims.max_generation);

    // Keep the owned partitions of still-subscribed topics.
    let mut revocation_required = false;
    let mut kept = HashSet::new();
    for &member in &input.hash_order {
        current[member].retain(|tp| {
            let subscribed = input.subscribed[member].contains(&tp.topic);
            revocation_required |= !subscribed;
            if subscribed {
                kept.insert(*tp);
            }
            subscribed
        });
    }
    let unassigned: Vec<Tp> = sorted_all.iter().copied().filter(|tp| !kept.contains(tp)).collect();

    let sorted = (0..members).map(|m| (current[m].len(), m)).collect();
    let topic_count = input.topics.len();
    let mut subscribes = vec![false; members * topic_count];
    for (member, topics) in input.subscribed.iter().enumerate() {
        for &topic in topics {
            subscribes[member * topic_count + topic as usize] = true;
        }
    }
    let mut balancer = Balancer {
        input,
        subscribes,
        potential,
        max_size,
        current,
        active: vec![true; members],
        owner,
        sorted,
        movements: Movements::default(),
        balanced: None,
    };
    balancer.balance(&previous, unassigned, sorted_all, revocation_required);
    balancer.current
}

/// Kafka's `prepopulateCurrentAssignments`: for each partition, the member that owned it
/// in the latest generation older than the newest one (members without a generation
/// count as the oldest when anyone has one).
fn previous_generations(input: &Input<'_>, max_generation: i64) -> HashMap<Tp, (usize, i64)> {
    let mut previous: HashMap<Tp, (usize, i64)> = HashMap::new();
    for &member in &input.hash_order {
        let generation = match input.generations[member] {
            Some(g) if g < max_generation => g,
            None if max_generation > DEFAULT_GENERATION => DEFAULT_GENERATION,
            _ => continue,
        };
        for &tp in &input.reported[member] {
            match previous.get(&tp) {
                Some(&(_, older)) if generation <= older => {}
                _ => {
                    previous.insert(tp, (member, generation));
                }
            }
        }
    }
    previous
}

struct Balancer<'a> {
    input: &'a Input<'a>,
    /// Whether member m subscribes to topic t, at `m * topics + t`.
    subscribes: Vec<bool>,
    /// Subscribers of each topic.
    potential: Vec<Vec<usize>>,
    /// Each member's partition count if it had every partition of its topics.
    max_size: Vec<usize>,
    current: Vec<Vec<Tp>>,
    /// Members taking part in the balancing (Kafka removes the others from its maps).
    active: Vec<bool>,
    owner: HashMap<Tp, usize>,
    /// Active members by (partition count, member id): Kafka's `sortedCurrentSubscriptions`.
    sorted: BTreeSet<(usize, usize)>,
    movements: Movements,
    /// `is_balanced`, cached until the assignment changes.
    balanced: Option<bool>,
}

impl Balancer<'_> {
    fn balance(
        &mut self,
        previous: &HashMap<Tp, (usize, i64)>,
        mut unassigned: Vec<Tp>,
        mut sorted_all: Vec<Tp>,
        revocation_required: bool,
    ) {
        let initializing = self.sorted.last().is_none_or(|&(size, _)| size == 0);
        for &tp in &unassigned {
            if !self.potential[tp.topic as usize].is_empty() {
                self.assign_to_lightest(tp);
            }
        }

        // Partitions of topics with one subscriber, and members that cannot change, stay put.
        let movable = |tp: &Tp| self.potential[tp.topic as usize].len() >= 2;
        sorted_all.retain(movable);
        unassigned.retain(movable);
        let fixed: Vec<usize> = (0..self.current.len()).filter(|&m| !self.can_participate(m)).collect();
        for &member in &fixed {
            self.sorted.remove(&(self.current[member].len(), member));
            self.active[member] = false;
        }
        self.balanced = None;

        let before = (self.current.clone(), self.owner.clone());
        if !revocation_required {
            self.perform_reassignments(&unassigned, previous);
        }
        let reassigned = self.perform_reassignments(&sorted_all, previous);
        if !initializing && reassigned && self.balance_score(&self.current) >= self.balance_score(&before.0) {
            (self.current, self.owner) = before;
        }
        for member in fixed {
            self.active[member] = true;
        }
    }

    fn subscribes(&self, member: usize, topic: u32) -> bool {
        self.subscribes[member * self.input.topics.len() + topic as usize]
    }

    fn can_participate(&self, member: usize) -> bool {
        self.current[member].len() < self.max_size[member]
            || self.current[member].iter().any(|tp| self.potential[tp.topic as usize].len() >= 2)
    }

    /// Kafka's `maybeAssignPartition`: to the lightest subscriber.
    fn assign_to_lightest(&mut self, tp: Tp) {
        let subscribed = |m: usize| self.subscribes(m, tp.topic);
        if let Some(&(size, member)) = self.sorted.iter().find(|&&(_, m)| subscribed(m)) {
            self.sorted.remove(&(size, member));
            self.current[member].push(tp);
            self.owner.insert(tp, member);
            self.sorted.insert((size + 1, member));
        }
    }

    fn perform_reassignments(&mut self, partitions: &[Tp], previous: &HashMap<Tp, (usize, i64)>) -> bool {
        let mut reassigned = false;
        loop {
            let mut modified = false;
            for &tp in partitions {
                if self.is_balanced() {
                    break;
                }
                let consumer = self.owner[&tp];
                let size = self.current[consumer].len();
                if let Some(&(before, _)) = previous.get(&tp)
                    && self.active[before]
                    && size > self.current[before].len() + 1
                {
                    self.reassign(tp, before);
                    (reassigned, modified) = (true, true);
                    continue;
                }
                if self.potential[tp.topic as usize].iter().any(|&other| size > self.current[other].len() + 1) {
                    let lightest = self.sorted.iter().map(|&(_, m)| m).find(|&m| self.subscribes(m, tp.topic));
                    if let Some(to) = lightest {
                        self.reassign(tp, to);
                        (reassigned, modified) = (true, true);
                    }
                }
            }
            if !modified {
                return reassigned;
            }
        }
    }

    /// Moves `tp` (or the partition whose earlier move this one would undo) to `to`.
    fn reassign(&mut self, tp: Tp, to: usize) {
        let actual = self.movements.actual_partition_to_move(tp, self.owner[&tp], to);
        let from = self.owner[&actual];
        self.sorted.remove(&(self.current[from].len(), from));
        self.sorted.remove(&(self.current[to].len(), to));
        self.movements.move_partition(actual, from, to, &self.input.topic_hashes);
        if let Some(at) = self.current[from].iter().position(|x| *x == actual) {
            self.current[from].remove(at);
        }
        self.current[to].push(actual);
        self.owner.insert(actual, to);
        self.sorted.insert((self.current[to].len(), to));
        self.sorted.insert((self.current[from].len(), from));
        self.balanced = None;
    }

    /// Kafka's `isBalanced`: counts differ by at most one, or no member could take a
    /// partition of its topics from a member holding two or more than it.
    fn is_balanced(&mut self) -> bool {
        if let Some(balanced) = self.balanced {
            return balanced;
        }
        let balanced = self.compute_balanced();
        self.balanced = Some(balanced);
        balanced
    }

    /// Kafka walks every partition of every member's topics; the same answer comes from
    /// the two largest owners (by partition count) of each topic's partitions.
    fn compute_balanced(&self) -> bool {
        let (Some(&(min, _)), Some(&(max, _))) = (self.sorted.first(), self.sorted.last()) else {
            return true;
        };
        if min + 1 >= max {
            return true;
        }
        let mut largest: Vec<[Option<(usize, usize)>; 2]> = vec![[None, None]; self.input.topics.len()];
        for &(size, owner) in &self.sorted {
            for tp in &self.current[owner] {
                let top = &mut largest[tp.topic as usize];
                if top.iter().flatten().any(|&(_, m)| m == owner) {
                    continue;
                }
                if top[0].is_none_or(|(s, _)| size > s) {
                    top[1] = top[0];
                    top[0] = Some((size, owner));
                } else if top[1].is_none_or(|(s, _)| size > s) {
                    top[1] = Some((size, owner));
                }
            }
        }
        self.sorted.iter().all(|&(size, member)| {
            size == self.max_size[member]
                || self.input.subscribed[member].iter().all(|&topic| {
                    largest[topic as usize]
                        .iter()
                        .flatten()
                        .all(|&(other_size, other)| other == member || size + 1 >= other_size)
                })
        })
    }

    /// Sum over pairs of active members of the difference of their partition counts.
    fn balance_score(&self, assignment: &[Vec<Tp>]) -> usize {
        let mut sizes: Vec<usize> =
            (0..assignment.len()).filter(|&m| self.active[m]).map(|m| assignment[m].len()).collect();
        sizes.sort_unstable();
        // Each size is subtracted from every larger one: sum of (2i - n + 1) * size_i.
        let n = sizes.len() as i64;
        let score: i64 = sizes.iter().enumerate().map(|(i, &s)| (2 * i as i64 - n + 1) * s as i64).sum();
        score as usize
    }
}

//! Rack-unaware replica placement, following Kafka's classic
//! `AdminUtils.assignReplicasToBrokersRackUnaware`.
//!
//! Brokers are sorted by id. For partition id `p`:
//!
//! * the first replica (the preferred leader) is broker
//!   `(p + start_index) % n`, so leaders go round-robin over the brokers;
//! * follower `j` (0-based) sits `1 + (shift + j) % (n - 1)` places after the
//!   leader, so it is never the leader itself and never repeats;
//! * `shift` grows by one each time `p` reaches a non-zero multiple of `n`, so
//!   every new round of `n` partitions pairs each leader with a different set of
//!   followers.
//!
//! Kafka draws `start_index` and the initial shift at random. Here they are
//! explicit arguments, and [`assign_replicas_for_topic`] derives them from the
//! topic name with [`spread_seed`] so a topic always lands the same way.
//!
//! What this guarantees (the properties Kafka's `RackAwareTest` checks):
//! preferred-leader counts of any two brokers differ by at most one; when the
//! new partition ids are whole rounds (`first_partition` and `partitions` both
//! multiples of `n`), every broker leads exactly `partitions / n` partitions and
//! holds exactly `partitions * replication_factor / n` replicas.

use std::fmt;

/// Why replicas could not be placed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlacementError {
    /// The broker list was empty.
    NoBrokers,
    /// More replicas per partition were asked for than there are brokers.
    ReplicationFactorTooLarge {
        /// The replication factor that was asked for.
        replication_factor: u32,
        /// How many distinct brokers were available.
        brokers: u32,
    },
    /// A replication factor of zero was asked for.
    ZeroReplicationFactor,
    /// Zero partitions were asked for.
    ZeroPartitions,
}

impl fmt::Display for PlacementError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoBrokers => write!(f, "no brokers are available to place replicas on"),
            Self::ReplicationFactorTooLarge { replication_factor, brokers } => {
                write!(
                    f,
                    "replication factor {replication_factor} is larger than the number of available brokers ({brokers})"
                )
            }
            Self::ZeroReplicationFactor => write!(f, "replication factor must be larger than 0"),
            Self::ZeroPartitions => write!(f, "number of partitions must be larger than 0"),
        }
    }
}

impl std::error::Error for PlacementError {}

/// Places the replicas of `partitions` new partitions, with ids
/// `first_partition..first_partition + partitions`, on `brokers`.
///
/// `brokers` are the live broker ids in any order; they are sorted and
/// de-duplicated first. The result has one replica list per new partition, in
/// partition-id order; the first replica of each is the preferred leader.
///
/// `start_index` and `next_replica_shift` are the values Kafka picks at
/// random. Kafka's fixed-start-index mode uses one value for both, so a `None`
/// takes the other one's value, and both `None` means 0 for both. Use
/// [`assign_replicas_for_topic`] for a per-topic spread, and
/// [`growth_start_index`] when adding partitions to an existing topic.
///
/// # Errors
/// [`PlacementError`] when `partitions` or `replication_factor` is zero, when
/// there are no brokers, or when there are fewer brokers than replicas.
pub fn assign_replicas(
    brokers: &[u32],
    partitions: u32,
    replication_factor: u32,
    first_partition: u32,
    start_index: Option<u32>,
    next_replica_shift: Option<u32>,
) -> Result<Vec<Vec<u32>>, PlacementError> {
    let brokers = sorted_unique(brokers);
    validate(brokers.len(), partitions, replication_factor)?;
    let n = brokers.len() as u64;
    let start = u64::from(start_index.or(next_replica_shift).unwrap_or(0));
    let mut shift = u64::from(next_replica_shift.or(start_index).unwrap_or(0));
    let mut assignment = Vec::with_capacity(partitions as usize);
    for offset in 0..u64::from(partitions) {
        let partition_id = u64::from(first_partition) + offset;
        if partition_id > 0 && partition_id % n == 0 {
            shift += 1;
        }
        let first = (partition_id + start) % n;
        assignment.push(replicas_of(&brokers, first, shift, replication_factor));
    }
    Ok(assignment)
}

/// [`assign_replicas`] with the start index and shift derived from the topic
/// name through [`spread_seed`], so the same topic on the same brokers is
/// always placed the same way while different topics start on different
/// brokers.
///
/// # Errors
/// As [`assign_replicas`].
pub fn assign_replicas_for_topic(
    topic: &str,
    brokers: &[u32],
    partitions: u32,
    replication_factor: u32,
    first_partition: u32,
) -> Result<Vec<Vec<u32>>, PlacementError> {
    let n = u32::try_from(sorted_unique(brokers).len()).unwrap_or(u32::MAX).max(1);
    let seed = spread_seed(topic);
    let start_index = seed % n;
    let shift = seed.rotate_right(16) % n;
    assign_replicas(brokers, partitions, replication_factor, first_partition, Some(start_index), Some(shift))
}

/// The start index Kafka's `addPartitions` uses when a topic grows: the
/// position, in the sorted broker list, of the first broker whose id is at
/// least the preferred leader of the existing partition 0 (0 if there is
/// none). Kafka passes it as the fixed start index, so it also becomes the
/// initial shift; pass it as both to [`assign_replicas`], with the existing
/// partition count as `first_partition`.
pub fn growth_start_index(brokers: &[u32], partition_zero_leader: u32) -> u32 {
    let brokers = sorted_unique(brokers);
    let index = brokers.partition_point(|&id| id < partition_zero_leader);
    if index == brokers.len() { 0 } else { u32::try_from(index).unwrap_or(0) }
}

/// A stable 32-bit FNV-1a hash of a topic name, used as the deterministic
/// stand-in for Kafka's random start index and replica shift.
pub fn spread_seed(topic: &str) -> u32 {
    const OFFSET_BASIS: u32 = 0x811c_9dc5;
    const PRIME: u32 = 0x0100_0193;
    topic.bytes().fold(OFFSET_BASIS, |hash, byte| (hash ^ u32::from(byte)).wrapping_mul(PRIME))
}

fn sorted_unique(brokers: &[u32]) -> Vec<u32> {
    let mut sorted = brokers.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    sorted
}

fn validate(broker_count: usize, partitions: u32, replication_factor: u32) -> Result<(), PlacementError> {
    if partitions == 0 {
        return Err(PlacementError::ZeroPartitions);
    }
    if replication_factor == 0 {
        return Err(PlacementError::ZeroReplicationFactor);
    }
    if broker_count == 0 {
        return Err(PlacementError::NoBrokers);
    }
    let brokers = u32::try_from(broker_count).unwrap_or(u32::MAX);
    if replication_factor > brokers {
        return Err(PlacementError::ReplicationFactorTooLarge { replication_factor, brokers });
    }
    Ok(())
}

/// The replica list of one partition whose leader is `brokers[first]`.
fn replicas_of(brokers: &[u32], first: u64, shift: u64, replication_factor: u32) -> Vec<u32> {
    let n = brokers.len() as u64;
    let followers = (0..u64::from(replication_factor).saturating_sub(1)).map(|j| follower_index(first, shift, j, n));
    std::iter::once(first)
        .chain(followers)
        .filter_map(|index| usize::try_from(index).ok())
        .filter_map(|index| brokers.get(index).copied())
        .collect()
}

/// Kafka's `replicaIndex(firstReplicaIndex, secondReplicaShift, replicaIndex,
/// nBrokers)`: the broker index of follower `j`.
fn follower_index(first: u64, shift: u64, j: u64, n: u64) -> u64 {
    // `n >= 2` whenever there are followers (replication factor <= n); the
    // `max` only keeps the arithmetic total.
    let others = n.saturating_sub(1).max(1);
    let distance = 1 + (shift + j) % others;
    (first + distance) % n.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::{BTreeMap, BTreeSet};

    fn place(brokers: &[u32], partitions: u32, rf: u32, first: u32, start: u32) -> Vec<Vec<u32>> {
        assign_replicas(brokers, partitions, rf, first, Some(start), Some(start)).expect("valid placement")
    }

    // Kafka: AdminTest.testReplicaAssignment (also AdminZkClientTest) — 5
    // brokers, 10 partitions, RF 3, fixedStartIndex = 0.
    #[test]
    fn kafka_test_replica_assignment() {
        let expected = vec![
            vec![0, 1, 2],
            vec![1, 2, 3],
            vec![2, 3, 4],
            vec![3, 4, 0],
            vec![4, 0, 1],
            vec![0, 2, 3],
            vec![1, 3, 4],
            vec![2, 4, 0],
            vec![3, 0, 1],
            vec![4, 1, 2],
        ];
        assert_eq!(place(&[0, 1, 2, 3, 4], 10, 3, 0, 0), expected);
    }

    // Kafka: AdminTest.testReplicaAssignment — RF 0 and RF 6 on 5 brokers are
    // rejected with InvalidReplicationFactorException.
    #[test]
    fn kafka_test_replica_assignment_errors() {
        let brokers = [0, 1, 2, 3, 4];
        assert_eq!(assign_replicas(&brokers, 10, 0, 0, None, None), Err(PlacementError::ZeroReplicationFactor));
        assert_eq!(
            assign_replicas(&brokers, 10, 6, 0, None, None),
            Err(PlacementError::ReplicationFactorTooLarge { replication_factor: 6, brokers: 5 })
        );
    }

    #[test]
    fn rejects_zero_partitions_and_no_brokers() {
        assert_eq!(assign_replicas(&[0, 1], 0, 1, 0, None, None), Err(PlacementError::ZeroPartitions));
        assert_eq!(assign_replicas(&[], 3, 1, 0, None, None), Err(PlacementError::NoBrokers));
    }

    #[test]
    fn duplicate_broker_ids_count_once() {
        assert_eq!(
            assign_replicas(&[1, 1, 2], 1, 3, 0, None, None),
            Err(PlacementError::ReplicationFactorTooLarge { replication_factor: 3, brokers: 2 })
        );
    }

    #[test]
    fn error_messages_are_one_line() {
        let err = PlacementError::ReplicationFactorTooLarge { replication_factor: 3, brokers: 2 };
        assert_eq!(err.to_string(), "replication factor 3 is larger than the number of available brokers (2)");
        for e in [PlacementError::NoBrokers, PlacementError::ZeroReplicationFactor, PlacementError::ZeroPartitions] {
            assert!(!e.to_string().contains('\n'));
        }
    }

    #[test]
    fn broker_order_does_not_matter_and_ids_need_not_be_dense() {
        assert_eq!(place(&[4, 2, 0, 3, 1], 10, 3, 0, 0), place(&[0, 1, 2, 3, 4], 10, 3, 0, 0));
        let sparse = place(&[30, 10, 20], 3, 2, 0, 0);
        assert_eq!(sparse, vec![vec![10, 20], vec![20, 30], vec![30, 10]]);
    }

    // Kafka: AddPartitionsTest.testReplicaPlacementAllServers — 4 brokers,
    // topic3 has partition 0 on [2, 3, 0, 1]; growing to 7 partitions.
    // Kafka checks the leader and the replica set; the expected sets in the
    // test are written in exactly the order the algorithm produces.
    #[test]
    fn kafka_test_replica_placement_all_servers() {
        let brokers = [0, 1, 2, 3];
        let start = growth_start_index(&brokers, 2);
        assert_eq!(start, 2);
        let added = place(&brokers, 6, 4, 1, start);
        let expected = vec![
            vec![3, 2, 0, 1], // partition 1, leader 3
            vec![0, 3, 1, 2], // partition 2, leader 0
            vec![1, 0, 2, 3], // partition 3, leader 1
            vec![2, 3, 0, 1], // partition 4, leader 2
            vec![3, 0, 1, 2], // partition 5, leader 3
            vec![0, 1, 2, 3], // partition 6, leader 0
        ];
        assert_eq!(added, expected);
    }

    // Kafka: AddPartitionsTest.testReplicaPlacementPartialServers — 4 brokers,
    // topic2 has partition 0 on [1, 2]; growing to 3 partitions gives
    // partition 1 leader 2 on {0, 2} and partition 2 leader 3 on {1, 3}.
    #[test]
    fn kafka_test_replica_placement_partial_servers() {
        let brokers = [0, 1, 2, 3];
        let start = growth_start_index(&brokers, 1);
        assert_eq!(start, 1);
        assert_eq!(place(&brokers, 2, 2, 1, start), vec![vec![2, 0], vec![3, 1]]);
    }

    #[test]
    fn growth_start_index_wraps_to_zero_past_the_last_broker() {
        assert_eq!(growth_start_index(&[0, 1, 2], 7), 0);
        assert_eq!(growth_start_index(&[10, 20, 30], 15), 1);
        assert_eq!(growth_start_index(&[], 3), 0);
    }

    #[test]
    fn a_single_given_value_drives_both_like_kafkas_fixed_start_index() {
        let brokers = [0, 1, 2, 3, 4];
        let fixed = assign_replicas(&brokers, 10, 3, 0, Some(2), None);
        assert_eq!(fixed, assign_replicas(&brokers, 10, 3, 0, Some(2), Some(2)));
        let fixed = assign_replicas(&brokers, 10, 3, 0, None, Some(2));
        assert_eq!(fixed, assign_replicas(&brokers, 10, 3, 0, Some(2), Some(2)));
    }

    #[test]
    fn spread_seed_is_fnv1a() {
        // Reference values of 32-bit FNV-1a.
        assert_eq!(spread_seed(""), 0x811c_9dc5);
        assert_eq!(spread_seed("a"), 0xe40c_292c);
        assert_eq!(spread_seed("foobar"), 0xbf9c_f968);
    }

    #[test]
    fn topic_placement_is_stable() {
        let brokers = [0, 1, 2, 3, 4];
        let once = assign_replicas_for_topic("orders", &brokers, 8, 3, 0);
        assert_eq!(once, assign_replicas_for_topic("orders", &brokers, 8, 3, 0));
        assert!(once.is_ok());
        assert_eq!(assign_replicas_for_topic("orders", &[], 8, 3, 0), Err(PlacementError::NoBrokers));
    }

    fn leader_counts(assignment: &[Vec<u32>]) -> BTreeMap<u32, usize> {
        let mut counts = BTreeMap::new();
        for leader in assignment.iter().filter_map(|r| r.first()) {
            *counts.entry(*leader).or_insert(0) += 1;
        }
        counts
    }

    fn replica_counts(assignment: &[Vec<u32>]) -> BTreeMap<u32, usize> {
        let mut counts = BTreeMap::new();
        for broker in assignment.iter().flatten() {
            *counts.entry(*broker).or_insert(0) += 1;
        }
        counts
    }

    /// A broker set (1..=8 distinct ids), a replication factor that fits, and
    /// the other inputs.
    fn cluster() -> impl Strategy<Value = (Vec<u32>, u32, u32, u32, u32, u32)> {
        prop::collection::btree_set(0u32..50, 1..=8).prop_flat_map(|set| {
            let brokers: Vec<u32> = set.into_iter().collect();
            let n = brokers.len() as u32;
            (Just(brokers), 1..=n, 1u32..40, 0u32..40, any::<u32>(), any::<u32>())
        })
    }

    proptest! {
        #[test]
        fn every_partition_gets_rf_distinct_known_brokers(
            (brokers, rf, partitions, first, start, shift) in cluster()
        ) {
            let got = assign_replicas(&brokers, partitions, rf, first, Some(start), Some(shift))
                .expect("valid input");
            prop_assert_eq!(got.len(), partitions as usize);
            for replicas in &got {
                prop_assert_eq!(replicas.len(), rf as usize);
                let distinct: BTreeSet<_> = replicas.iter().collect();
                prop_assert_eq!(distinct.len(), replicas.len());
                prop_assert!(replicas.iter().all(|b| brokers.contains(b)));
            }
        }

        #[test]
        fn preferred_leaders_differ_by_at_most_one(
            (brokers, rf, partitions, first, start, shift) in cluster()
        ) {
            let got = assign_replicas(&brokers, partitions, rf, first, Some(start), Some(shift))
                .expect("valid input");
            let counts = leader_counts(&got);
            let max = counts.values().max().copied().unwrap_or(0);
            let min = if counts.len() == brokers.len() {
                counts.values().min().copied().unwrap_or(0)
            } else {
                0
            };
            prop_assert!(max - min <= 1);
        }

        // Kafka's RackAwareTest.checkReplicaDistribution: with whole rounds,
        // leader and replica counts are exactly even.
        #[test]
        fn whole_rounds_are_exactly_even(
            (brokers, rf, _p, _f, start, shift) in cluster(),
            rounds in 1u32..5,
            first_round in 0u32..4,
        ) {
            let n = brokers.len() as u32;
            let got = assign_replicas(&brokers, rounds * n, rf, first_round * n, Some(start), Some(shift))
                .expect("valid input");
            let leaders = leader_counts(&got);
            let replicas = replica_counts(&got);
            for broker in &brokers {
                prop_assert_eq!(leaders.get(broker).copied(), Some(rounds as usize));
                prop_assert_eq!(replicas.get(broker).copied(), Some((rounds * rf) as usize));
            }
        }

        // Within any run of partitions, each round contributes at most one
        // replica per role to a broker, so counts differ by at most the
        // replication factor when the run starts on a round boundary.
        #[test]
        fn replica_counts_stay_within_rf(
            (brokers, rf, partitions, _f, start, shift) in cluster(),
            first_round in 0u32..4,
        ) {
            let n = brokers.len() as u32;
            let got = assign_replicas(&brokers, partitions, rf, first_round * n, Some(start), Some(shift))
                .expect("valid input");
            let counts = replica_counts(&got);
            let max = counts.values().max().copied().unwrap_or(0);
            let min = if counts.len() == brokers.len() {
                counts.values().min().copied().unwrap_or(0)
            } else {
                0
            };
            prop_assert!(max - min <= rf as usize);
        }
    }
}

//! Partition leader election rules as pure functions, following Kafka's
//! `PartitionLeaderElectionAlgorithms` (ZooKeeper-era controller) and the ISR
//! bookkeeping its controller does around them.
//!
//! Every rule walks the *assignment* (the replica list, preferred leader
//! first), never the ISR, so when several replicas qualify the one earliest in
//! the assignment wins, whatever order the ISR is kept in.
//!
//! The ISR never becomes empty. When a broker dies, Kafka's controller
//! (`ReplicaStateMachine.doRemoveReplicasFromIsr`) drops it from every ISR it
//! was in *unless it was the only member*: then the ISR is left as it was and
//! the partition just loses its leader. The last in-sync replica stays on
//! record as the only copy known to hold every committed record, so a clean
//! election can only pick it again once it comes back; the alternative is an
//! unclean election. KIP-966 (Eligible Leader Replicas, Kafka 4.x with KRaft)
//! changes this by letting the ISR shrink to empty and remembering the
//! eligible replicas separately; this module keeps the classic rule.

/// The result of electing a leader for a partition that lost its leader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfflineElection {
    /// The new leader.
    pub leader: u32,
    /// The ISR to record with it.
    pub isr: Vec<u32>,
    /// Whether the leader came from outside the ISR, which may lose committed
    /// records (Kafka counts these in `UncleanLeaderElectionsPerSec`).
    pub unclean: bool,
}

/// Clean election: the first replica in assignment order that is in the ISR
/// and alive. When there is none and `unclean_allowed` is set, the first alive
/// replica in assignment order, in or out of the ISR (Kafka's
/// `unclean.leader.election.enable`). `None` when nobody qualifies.
pub fn offline_partition_leader(
    assignment: &[u32],
    isr: &[u32],
    live: &dyn Fn(u32) -> bool,
    unclean_allowed: bool,
) -> Option<u32> {
    offline_election(assignment, isr, live, unclean_allowed).map(|election| election.leader)
}

/// [`offline_partition_leader`] together with the ISR Kafka records for the
/// new leader: the old ISR without its dead members after a clean election,
/// or just the new leader after an unclean one.
pub fn offline_election(
    assignment: &[u32],
    isr: &[u32],
    live: &dyn Fn(u32) -> bool,
    unclean_allowed: bool,
) -> Option<OfflineElection> {
    if let Some(leader) = first_live_in_isr(assignment, isr, live) {
        let isr = isr.iter().copied().filter(|&id| live(id)).collect();
        return Some(OfflineElection { leader, isr, unclean: false });
    }
    if !unclean_allowed {
        return None;
    }
    let leader = assignment.iter().copied().find(|&id| live(id))?;
    Some(OfflineElection { leader, isr: vec![leader], unclean: true })
}

/// Preferred election: the first replica of the assignment, if it is alive
/// and in the ISR; otherwise `None` (leave the leader as it is).
pub fn preferred_replica_leader(assignment: &[u32], isr: &[u32], live: &dyn Fn(u32) -> bool) -> Option<u32> {
    assignment.first().copied().filter(|&id| live(id) && isr.contains(&id))
}

/// Election during a reassignment: the first replica of the *target*
/// assignment that is alive and in the ISR. Never unclean.
pub fn reassign_partition_leader(reassignment: &[u32], isr: &[u32], live: &dyn Fn(u32) -> bool) -> Option<u32> {
    first_live_in_isr(reassignment, isr, live)
}

/// Election when brokers shut down cleanly: the first replica in assignment
/// order that is alive, in the ISR and not shutting down. Never unclean, so
/// if the last ISR member is the one shutting down there is no new leader.
pub fn controlled_shutdown_leader(
    assignment: &[u32],
    isr: &[u32],
    live: &dyn Fn(u32) -> bool,
    shutting_down: &dyn Fn(u32) -> bool,
) -> Option<u32> {
    first_live_in_isr(assignment, isr, &|id| live(id) && !shutting_down(id))
}

/// The ISR after `dead_broker` goes down: the same list without it, in the
/// same order, except that an ISR whose only member is `dead_broker` is kept
/// as it is (the partition then has no leader, see the module docs). An ISR
/// that does not contain `dead_broker` is returned unchanged.
pub fn shrink_isr(isr: &[u32], dead_broker: u32) -> Vec<u32> {
    let remaining: Vec<u32> = isr.iter().copied().filter(|&id| id != dead_broker).collect();
    if remaining.is_empty() {
        // Only `dead_broker` was left (or the ISR was already empty): keep it.
        return isr.to_vec();
    }
    remaining
}

fn first_live_in_isr(candidates: &[u32], isr: &[u32], live: &dyn Fn(u32) -> bool) -> Option<u32> {
    candidates.iter().copied().find(|&id| live(id) && isr.contains(&id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn live_set(ids: &[u32]) -> impl Fn(u32) -> bool + '_ {
        move |id| ids.contains(&id)
    }

    // Kafka: PartitionLeaderElectionAlgorithmsTest.testOfflinePartitionLeaderElection
    #[test]
    fn kafka_offline_partition_leader_election() {
        let live = live_set(&[4]);
        assert_eq!(offline_partition_leader(&[2, 4], &[2, 4], &live, false), Some(4));
    }

    // Kafka: PartitionLeaderElectionAlgorithmsTest.
    // testOfflinePartitionLeaderElectionLastIsrOfflineUncleanLeaderElectionDisabled
    // (None, and the unclean-election counter stays at 0)
    #[test]
    fn kafka_offline_last_isr_offline_unclean_disabled() {
        let live = live_set(&[4]);
        assert_eq!(offline_partition_leader(&[2, 4], &[2], &live, false), None);
        assert_eq!(offline_election(&[2, 4], &[2], &live, false), None);
    }

    // Kafka: PartitionLeaderElectionAlgorithmsTest.
    // testOfflinePartitionLeaderElectionLastIsrOfflineUncleanLeaderElectionEnabled
    // (Some(4), and the unclean-election counter goes to 1)
    #[test]
    fn kafka_offline_last_isr_offline_unclean_enabled() {
        let live = live_set(&[4]);
        assert_eq!(offline_partition_leader(&[2, 4], &[2], &live, true), Some(4));
        let election = offline_election(&[2, 4], &[2], &live, true);
        assert_eq!(election, Some(OfflineElection { leader: 4, isr: vec![4], unclean: true }));
    }

    // Kafka's PartitionStateMachine.leaderForOffline: a clean election keeps
    // the live part of the old ISR.
    #[test]
    fn clean_offline_election_keeps_the_live_isr() {
        let live = live_set(&[1, 3]);
        assert_eq!(
            offline_election(&[2, 1, 3], &[3, 2, 1], &live, true),
            Some(OfflineElection { leader: 1, isr: vec![3, 1], unclean: false })
        );
    }

    #[test]
    fn unclean_allowed_still_prefers_the_isr() {
        let live = live_set(&[2, 4]);
        assert_eq!(offline_partition_leader(&[2, 4], &[4], &live, true), Some(4));
    }

    #[test]
    fn no_live_replica_means_no_leader_even_unclean() {
        let live = live_set(&[]);
        assert_eq!(offline_partition_leader(&[2, 4], &[2, 4], &live, true), None);
    }

    // Kafka: PartitionLeaderElectionAlgorithmsTest.testReassignPartitionLeaderElection
    #[test]
    fn kafka_reassign_partition_leader_election() {
        let live = live_set(&[4]);
        assert_eq!(reassign_partition_leader(&[2, 4], &[2, 4], &live), Some(4));
    }

    // Kafka: PartitionLeaderElectionAlgorithmsTest.testReassignPartitionLeaderElectionWithNoLiveIsr
    #[test]
    fn kafka_reassign_with_no_live_isr() {
        let live = live_set(&[]);
        assert_eq!(reassign_partition_leader(&[2, 4], &[2], &live), None);
    }

    // Kafka: PartitionLeaderElectionAlgorithmsTest.testReassignPartitionLeaderElectionWithEmptyIsr
    #[test]
    fn kafka_reassign_with_empty_isr() {
        let live = live_set(&[2]);
        assert_eq!(reassign_partition_leader(&[2, 4], &[], &live), None);
    }

    // Kafka: PartitionLeaderElectionAlgorithmsTest.testPreferredReplicaPartitionLeaderElection
    #[test]
    fn kafka_preferred_replica_election() {
        let live = live_set(&[2, 4]);
        assert_eq!(preferred_replica_leader(&[2, 4], &[2, 4], &live), Some(2));
    }

    // Kafka: PartitionLeaderElectionAlgorithmsTest.
    // testPreferredReplicaPartitionLeaderElectionPreferredReplicaInIsrNotLive
    #[test]
    fn kafka_preferred_in_isr_not_live() {
        let live = live_set(&[]);
        assert_eq!(preferred_replica_leader(&[2, 4], &[2], &live), None);
    }

    // Kafka: PartitionLeaderElectionAlgorithmsTest.
    // testPreferredReplicaPartitionLeaderElectionPreferredReplicaNotInIsrLive
    #[test]
    fn kafka_preferred_not_in_isr_live() {
        let live = live_set(&[2, 4]);
        assert_eq!(preferred_replica_leader(&[2, 4], &[4], &live), None);
    }

    // Kafka: PartitionLeaderElectionAlgorithmsTest.
    // testPreferredReplicaPartitionLeaderElectionPreferredReplicaNotInIsrNotLive
    #[test]
    fn kafka_preferred_not_in_isr_not_live() {
        let live = live_set(&[]);
        assert_eq!(preferred_replica_leader(&[2, 4], &[], &live), None);
    }

    #[test]
    fn preferred_of_empty_assignment_is_none() {
        let live = live_set(&[1]);
        assert_eq!(preferred_replica_leader(&[], &[1], &live), None);
    }

    // Kafka: PartitionLeaderElectionAlgorithmsTest.testControlledShutdownPartitionLeaderElection
    #[test]
    fn kafka_controlled_shutdown_election() {
        let live = live_set(&[2, 4]);
        let down = live_set(&[2]);
        assert_eq!(controlled_shutdown_leader(&[2, 4], &[2, 4], &live, &down), Some(4));
    }

    // Kafka: PartitionLeaderElectionAlgorithmsTest.
    // testControlledShutdownPartitionLeaderElectionLastIsrShuttingDown
    #[test]
    fn kafka_controlled_shutdown_last_isr_shutting_down() {
        let live = live_set(&[2, 4]);
        let down = live_set(&[2]);
        assert_eq!(controlled_shutdown_leader(&[2, 4], &[2], &live, &down), None);
    }

    // Kafka: PartitionLeaderElectionAlgorithmsTest.
    // testControlledShutdownPartitionLeaderElectionAllIsrSimultaneouslyShutdown
    #[test]
    fn kafka_controlled_shutdown_all_isr_shutting_down() {
        let live = live_set(&[2, 4]);
        let down = live_set(&[2, 4]);
        assert_eq!(controlled_shutdown_leader(&[2, 4], &[2, 4], &live, &down), None);
    }

    // Kafka: ReplicaStateMachineTest.testOnlineReplicaToOfflineReplicaTransition
    // — brokerId 5 and otherBrokerId 6, ISR [5, 6]; 5 goes offline and the
    // controller writes ISR [6] (with no leader, since 5 was leader).
    #[test]
    fn kafka_online_replica_to_offline_shrinks_isr() {
        assert_eq!(shrink_isr(&[5, 6], 5), vec![6]);
    }

    // ReplicaStateMachine.doRemoveReplicasFromIsr: `if (isr.size == 1) isr`.
    #[test]
    fn last_isr_member_is_kept() {
        assert_eq!(shrink_isr(&[5], 5), vec![5]);
    }

    #[test]
    fn shrink_isr_keeps_order_and_ignores_strangers() {
        assert_eq!(shrink_isr(&[3, 1, 2], 1), vec![3, 2]);
        assert_eq!(shrink_isr(&[3, 2], 7), vec![3, 2]);
        assert_eq!(shrink_isr(&[7], 3), vec![7]);
        assert_eq!(shrink_isr(&[], 3), Vec::<u32>::new());
    }

    #[test]
    fn after_the_last_isr_member_dies_only_unclean_can_elect() {
        let isr = shrink_isr(&[1], 1);
        let live = live_set(&[2, 3]);
        assert_eq!(offline_partition_leader(&[1, 2, 3], &isr, &live, false), None);
        assert_eq!(offline_partition_leader(&[1, 2, 3], &isr, &live, true), Some(2));
        let back = live_set(&[1, 2, 3]);
        assert_eq!(offline_partition_leader(&[1, 2, 3], &isr, &back, false), Some(1));
    }

    proptest! {
        #[test]
        fn shrink_never_empties_a_nonempty_isr(
            isr in prop::collection::btree_set(0u32..6, 1..6)
                .prop_map(|set| set.into_iter().collect::<Vec<_>>())
                .prop_shuffle(),
            dead in 0u32..6,
        ) {
            let shrunk = shrink_isr(&isr, dead);
            prop_assert!(!shrunk.is_empty());
            prop_assert!(shrunk.iter().all(|id| isr.contains(id)));
            if isr.len() > 1 {
                prop_assert!(!shrunk.contains(&dead));
            }
        }

        #[test]
        fn clean_leader_is_live_in_isr_and_first_in_assignment(
            assignment in prop::collection::vec(0u32..8, 0..6),
            isr in prop::collection::vec(0u32..8, 0..6),
            alive in prop::collection::vec(0u32..8, 0..8),
        ) {
            let live = live_set(&alive);
            let leader = offline_partition_leader(&assignment, &isr, &live, false);
            if let Some(leader) = leader {
                prop_assert!(alive.contains(&leader) && isr.contains(&leader));
                let position = assignment.iter().position(|&id| id == leader);
                prop_assert!(position.is_some());
                let earlier = &assignment[..position.unwrap_or(0)];
                prop_assert!(earlier.iter().all(|id| !(alive.contains(id) && isr.contains(id))));
            } else {
                prop_assert!(assignment.iter().all(|id| !(alive.contains(id) && isr.contains(id))));
            }
        }
    }
}

//! Kafka's `CooperativeStickyAssignorTest`: its own cases, and its version of
//! `verifyValidityAndBalance` ([`settle`]), which the shared sticky cases run through.

use super::sticky_assignor::{GENERATION, owned, owning};
use super::*;

/// Kafka's `CooperativeStickyAssignorTest.verifyValidityAndBalance`: no partition is
/// revoked from one member and given to another in the same rebalance; while any member
/// revokes something, the members rejoin owning what they were given (at most four
/// follow-up rebalances); the settled assignment must be valid and balanced.
pub(super) fn settle(
    members: &[MemberSubscription],
    c: &BTreeMap<String, u32>,
    own: &Ownership,
    mut a: Assignment,
) -> Assignment {
    let mut own = own.clone();
    for _ in 0..=4 {
        let mut added = BTreeSet::new();
        let mut revoked = BTreeSet::new();
        for (m, assigned) in &a {
            let before: &[TopicPartition] = own.get(m).map_or(&[], |o| &o.partitions);
            revoked.extend(before.iter().filter(|p| !assigned.contains(p)).cloned());
            added.extend(assigned.iter().filter(|p| !before.contains(p)).cloned());
        }
        let both: Vec<_> = added.intersection(&revoked).collect();
        assert!(both.is_empty(), "assigned in the rebalance that revokes them: {both:?}");
        if revoked.is_empty() {
            super::sticky_assignor::assert_kafka_balanced(members, c, &a);
            return a;
        }
        own = owning(&a);
        a = cooperative_sticky_owned(members, c, &own);
    }
    panic!("more than four follow-up rebalances: {a:#?}");
}

/// `testAllConsumersHaveOwnedPartitionInvalidatedWhenClaimedByMultipleConsumersInSameGeneration`
/// `WithEqualPartitionsPerConsumer` / `...WithUnequalPartitionsPerConsumer`: topic-0 counts
/// as owned, so nobody gets it until both claimants have revoked it.
#[test]
fn kafka_cooperative_owned_partition_invalidated_when_claimed_by_multiple_consumers_in_same_generation() {
    for (n, c1) in [(3, "topic-1"), (4, "topic-1, topic-3")] {
        let c = counts(&[("topic", n)]);
        let members =
            [member("consumer1", &["topic"]), member("consumer2", &["topic"]), member("consumer3", &["topic"])];
        let own = owned(&[
            ("consumer1", "topic-0, topic-1", Some(GENERATION)),
            ("consumer2", "topic-0, topic-2", Some(GENERATION)),
            ("consumer3", "", Some(GENERATION)),
        ]);
        let a = cooperative_sticky_owned(&members, &c, &own);
        assert_eq!(a, assignment(&[("consumer1", c1), ("consumer2", "topic-2"), ("consumer3", "")]));
        let last = settle(&members, &c, &own, a);
        assert!(is_fully_balanced(&last));
    }
}

/// `testAssignorWithOldVersionSubscriptions`: two members without a generation.
#[test]
fn kafka_cooperative_assignor_with_old_version_subscriptions() {
    let c = counts(&[("topic1", 3)]);
    let members =
        [member("consumer1", &["topic1"]), member("consumer2", &["topic1"]), member("consumer3", &["topic1"])];
    let own =
        owned(&[("consumer1", "topic1-0", None), ("consumer2", "topic1-1", None), ("consumer3", "", Some(GENERATION))]);
    let a = cooperative_sticky_owned(&members, &c, &own);
    assert_eq!(a, assignment(&[("consumer1", "topic1-0"), ("consumer2", "topic1-1"), ("consumer3", "topic1-2")]));
    assert_eq!(settle(&members, &c, &own, a.clone()), a);
}

/// KIP-429's walk-through: a member joins; the first rebalance only revokes, the
/// follow-up (where nobody owns the revoked partitions) assigns them.
#[test]
fn cooperative_join_is_two_rebalances() {
    let c = counts(&[("t", 4)]);
    let members = [member("a", &["t"]), member("b", &["t"])];
    let previous = assignment(&[("a", "t-0, t-1, t-2, t-3")]);
    let first = cooperative_sticky(&members, &c, &previous);
    assert_eq!(first, assignment(&[("a", "t-0, t-1"), ("b", "")]));
    let second = cooperative_sticky(&members, &c, &first);
    assert_eq!(second, assignment(&[("a", "t-0, t-1"), ("b", "t-2, t-3")]));
    assert_eq!(second, sticky(&members, &c, &previous), "ends where the eager sticky assignor goes at once");
    assert_eq!(cooperative_sticky(&members, &c, &second), second);
}

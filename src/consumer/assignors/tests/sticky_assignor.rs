//! The cases of Kafka's `AbstractStickyAssignorTest` beyond the shared ones, and runnel's
//! own sticky cases.

use super::*;

/// `testConsumerOwningMinQuotaExpectedMaxQuota`.
#[test]
fn kafka_sticky_consumer_owning_min_quota_expected_max_quota() {
    let c = counts(&[("topic1", 2), ("topic2", 3)]);
    let both = ["topic1", "topic2"];
    let members = [member("consumer1", &both), member("consumer2", &both)];
    let previous = assignment(&[("consumer1", "topic1-0, topic2-1"), ("consumer2", "topic1-1, topic2-2")]);
    let a = sticky(&members, &c, &previous);
    assert_valid(&members, &c, &a);
    let expected = assignment(&[("consumer1", "topic1-0, topic2-0, topic2-1"), ("consumer2", "topic1-1, topic2-2")]);
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
    let members =
        [member("consumer1", &all), member("consumer2", &odd), member("consumer3", &odd), member("consumer4", &all)];
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
    let members = [member("consumer1", &["topic"]), member("consumer2", &["topic"]), member("consumer3", &["topic"])];
    let previous = assignment(&[("consumer1", "topic-0, topic-1"), ("consumer2", "topic-2")]);
    let a = sticky(&members, &c, &previous);
    let expected = assignment(&[("consumer1", "topic-0, topic-1"), ("consumer2", "topic-2"), ("consumer3", "topic-3")]);
    assert_eq!(a, expected);
}

/// `testPartitionsTransferringOwnershipIncludeThePartitionClaimedByMultipleConsumersInSameGeneration`.
#[test]
fn kafka_sticky_partition_claimed_by_multiple_consumers() {
    let c = counts(&[("topic", 3)]);
    let members = [member("consumer1", &["topic"]), member("consumer2", &["topic"]), member("consumer3", &["topic"])];
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

//! Kafka's `AbstractStickyAssignorTest` and `StickyAssignorTest` (the cases that apply
//! without racks), with Kafka's expected assignments. The cases of `AbstractStickyAssignorTest`
//! run for both flavours, as Kafka runs them in both `StickyAssignorTest` and
//! `CooperativeStickyAssignorTest`: for cooperative-sticky, the assignment checked after
//! `verifyValidityAndBalance` is the one after the follow-up rebalances (see
//! `cooperative_sticky_assignor.rs`), as in Kafka, where that method replaces it.

use super::*;

/// Kafka's test generation (`generationId`).
pub(super) const GENERATION: i64 = 1;

/// Ownership from `(member, "t-0, t-1", generation)`; `None`: `DEFAULT_GENERATION`.
pub(super) fn owned(entries: &[(&str, &str, Option<i64>)]) -> Ownership {
    entries.iter().map(|&(m, spec, generation)| (m.to_owned(), Owned { partitions: tps(spec), generation })).collect()
}

/// Every member owning its partitions of `a` in `GENERATION` (`buildSubscriptionV2Above`).
pub(super) fn owning(a: &Assignment) -> Ownership {
    a.iter().map(|(m, p)| (m.clone(), Owned { partitions: p.clone(), generation: Some(GENERATION) })).collect()
}

/// Kafka's `verifyValidityAndBalance` (plus completeness): two members whose counts
/// differ by two or more hold no partitions of a common topic.
pub(super) fn assert_kafka_balanced(members: &[MemberSubscription], c: &BTreeMap<String, u32>, a: &Assignment) {
    assert_valid(members, c, a);
    for (m1, p1) in a {
        for (m2, p2) in a {
            if p1.len() >= p2.len() + 2 {
                let topics: BTreeSet<&str> = p2.iter().map(|p| p.topic.as_str()).collect();
                assert!(p1.iter().all(|p| !topics.contains(p.topic.as_str())), "{m1} could give {m2} one: {a:#?}");
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Flavor {
    Sticky,
    Cooperative,
}

pub(super) const FLAVORS: [Flavor; 2] = [Flavor::Sticky, Flavor::Cooperative];

/// One rebalance as Kafka's tests see it.
pub(super) struct Round {
    /// What `assignPartitions` returned.
    pub(super) first: Assignment,
    /// `partitionsTransferringOwnership` (`None`: the general builder, where Kafka's is null).
    pub(super) transferring: Option<BTreeMap<TopicPartition, String>>,
    /// After `verifyValidityAndBalance`: the same, or for cooperative the settled assignment.
    pub(super) last: Assignment,
}

pub(super) fn round(
    flavor: Flavor,
    members: &[MemberSubscription],
    c: &BTreeMap<String, u32>,
    own: &Ownership,
) -> Round {
    let outcome = sticky_owned(members, c, own);
    let uniform = members
        .windows(2)
        .all(|w| w[0].topics.iter().collect::<BTreeSet<_>>() == w[1].topics.iter().collect::<BTreeSet<_>>());
    let transferring = uniform.then(|| outcome.transferring.clone());
    match flavor {
        Flavor::Sticky => {
            assert_kafka_balanced(members, c, &outcome.assignment);
            Round { first: outcome.assignment.clone(), transferring, last: outcome.assignment }
        }
        Flavor::Cooperative => {
            let first = cooperative_sticky_owned(members, c, own);
            let last = super::cooperative_sticky_assignor::settle(members, c, own, first.clone());
            Round { first, transferring, last }
        }
    }
}

fn none_transferring(r: &Round) -> bool {
    r.transferring.as_ref().is_some_and(BTreeMap::is_empty)
}

fn transfers(entries: &[(&str, &str)]) -> Option<BTreeMap<TopicPartition, String>> {
    Some(entries.iter().map(|&(p, m)| (tps(p)[0].clone(), m.to_owned())).collect())
}

/// `testOnlyAssignsPartitionsFromSubscribedTopics`: owning partitions of a topic not subscribed.
#[test]
fn kafka_only_assigns_partitions_from_subscribed_topics_with_owned() {
    for flavor in FLAVORS {
        let c = counts(&[("topic", 2)]);
        let members = [member("consumer", &["topic"])];
        let own = owned(&[("consumer", "topic-0, topic-1, other-0, other-1", Some(GENERATION))]);
        let r = round(flavor, &members, &c, &own);
        assert_eq!(r.first, assignment(&[("consumer", "topic-0, topic-1")]));
        assert!(none_transferring(&r));
        assert_eq!(sticky(&members, &c, &assignment(&[("consumer", "topic-0, topic-1, other-0")])), r.first);
    }
}

/// `testConsumerOwningMinQuotaExpectedMaxQuota`.
#[test]
fn kafka_consumer_owning_min_quota_expected_max_quota() {
    for flavor in FLAVORS {
        let c = counts(&[("topic1", 2), ("topic2", 3)]);
        let both = ["topic1", "topic2"];
        let members = [member("consumer1", &both), member("consumer2", &both)];
        let own = owned(&[("consumer1", "topic1-0, topic2-1", Some(1)), ("consumer2", "topic1-1, topic2-2", Some(1))]);
        let r = round(flavor, &members, &c, &own);
        let expected =
            assignment(&[("consumer1", "topic1-0, topic2-1, topic2-0"), ("consumer2", "topic1-1, topic2-2")]);
        assert_eq!(r.first, expected, "{flavor:?}");
        assert!(none_transferring(&r));
        assert!(is_fully_balanced(&r.last));
    }
}

/// `testMaxQuotaConsumerMoreThanNumExpectedMaxCapacityMembers`. runnel asserted a different
/// answer before (consumer2 giving up topic2-1); this is Kafka's.
#[test]
fn kafka_max_quota_consumer_more_than_num_expected_max_capacity_members() {
    for flavor in FLAVORS {
        let c = counts(&[("topic1", 2), ("topic2", 2)]);
        let both = ["topic1", "topic2"];
        let members = [member("consumer1", &both), member("consumer2", &both), member("consumer3", &both)];
        let own = owned(&[
            ("consumer1", "topic1-0, topic2-0", Some(1)),
            ("consumer2", "topic1-1, topic2-1", Some(1)),
            ("consumer3", "", Some(1)),
        ]);
        let r = round(flavor, &members, &c, &own);
        assert_eq!(r.transferring, transfers(&[("topic2-0", "consumer3")]));
        let expected =
            assignment(&[("consumer1", "topic1-0"), ("consumer2", "topic1-1, topic2-1"), ("consumer3", "topic2-0")]);
        assert_eq!(r.last, expected, "{flavor:?}");
        assert!(is_fully_balanced(&r.last));
    }
}

/// `testAllConsumersAreUnderMinQuota`.
#[test]
fn kafka_all_consumers_are_under_min_quota() {
    for flavor in FLAVORS {
        let c = counts(&[("topic1", 2), ("topic2", 3)]);
        let both = ["topic1", "topic2"];
        let members = [member("consumer1", &both), member("consumer2", &both), member("consumer3", &both)];
        let own = owned(&[
            ("consumer1", "topic1-0", Some(1)),
            ("consumer2", "topic1-1", Some(1)),
            ("consumer3", "", Some(1)),
        ]);
        let r = round(flavor, &members, &c, &own);
        assert!(none_transferring(&r));
        let expected = assignment(&[
            ("consumer1", "topic1-0, topic2-1"),
            ("consumer2", "topic1-1, topic2-2"),
            ("consumer3", "topic2-0"),
        ]);
        assert_eq!(r.last, expected, "{flavor:?}");
    }
}

/// `testAddRemoveConsumerOneTopic`.
#[test]
fn kafka_add_remove_consumer_one_topic() {
    for flavor in FLAVORS {
        let c = counts(&[("topic", 3)]);
        let r = round(flavor, &[member("consumer1", &["topic"])], &c, &Ownership::new());
        assert_eq!(r.first, assignment(&[("consumer1", "topic-0, topic-1, topic-2")]));

        let two = [member("consumer1", &["topic"]), member("consumer2", &["topic"])];
        let r = round(flavor, &two, &c, &owning(&r.first));
        assert_eq!(r.transferring, transfers(&[("topic-2", "consumer2")]));
        assert_eq!(r.last, assignment(&[("consumer1", "topic-0, topic-1"), ("consumer2", "topic-2")]), "{flavor:?}");

        let survivor = [member("consumer2", &["topic"])];
        let mut own = owning(&r.last);
        own.remove("consumer1");
        let r = round(flavor, &survivor, &c, &own);
        assert_eq!(r.first, assignment(&[("consumer2", "topic-0, topic-1, topic-2")]));
        assert!(none_transferring(&r));
    }
}

/// `testTopicBalanceAfterReassignment`: 1, 2, 4 then 2 consumers over two topics of 12.
#[test]
fn kafka_topic_balance_after_reassignment() {
    for flavor in FLAVORS {
        let c = counts(&[("topic1", 12), ("topic2", 12)]);
        let all = ["topic1", "topic2"];
        let per_topic = |a: &Assignment, n: usize| {
            a.values().all(|p| ["topic1", "topic2"].iter().all(|t| p.iter().filter(|x| x.topic == *t).count() == n))
        };
        let mut ids = vec!["consumer1"];
        let r = round(flavor, &[member("consumer1", &all)], &c, &Ownership::new());
        assert!(per_topic(&r.last, 12));
        let mut last = r.last;
        for (add, remove, each) in [
            (&["consumer2"][..], &[][..], 6),
            (&["consumer3", "consumer4"], &[], 3),
            (&[], &["consumer1", "consumer2"], 6),
        ] {
            ids.extend_from_slice(add);
            ids.retain(|id| !remove.contains(id));
            let members: Vec<_> = ids.iter().map(|id| member(id, &all)).collect();
            let mut own = owning(&last);
            own.retain(|id, _| ids.contains(&id.as_str()));
            let r = round(flavor, &members, &c, &own);
            assert!(per_topic(&r.last, each), "{flavor:?} {ids:?}: {:#?}", r.last);
            assert!(is_fully_balanced(&r.last));
            last = r.last;
        }
    }
}

/// `testAddRemoveTwoConsumersTwoTopics`: runnel asserted a different third round before
/// (consumer3 and consumer4 swapping topic1-0 and topic1-1); these are Kafka's.
#[test]
fn kafka_add_remove_two_consumers_two_topics() {
    for flavor in FLAVORS {
        let c = counts(&[("topic1", 3), ("topic2", 4)]);
        let all = ["topic1", "topic2"];
        let m = |id: &str| member(id, &all);

        let r = round(flavor, &[m("consumer1"), m("consumer2")], &c, &Ownership::new());
        let expected = assignment(&[
            ("consumer1", "topic1-0, topic1-2, topic2-1, topic2-3"),
            ("consumer2", "topic1-1, topic2-0, topic2-2"),
        ]);
        assert_eq!(r.first, expected);
        assert!(none_transferring(&r));

        let four = [m("consumer1"), m("consumer2"), m("consumer3"), m("consumer4")];
        let r = round(flavor, &four, &c, &owning(&r.last));
        assert_eq!(
            r.transferring,
            transfers(&[("topic1-2", "consumer3"), ("topic2-3", "consumer3"), ("topic2-2", "consumer4")])
        );
        let expected = assignment(&[
            ("consumer1", "topic1-0, topic2-1"),
            ("consumer2", "topic2-0, topic1-1"),
            ("consumer3", "topic1-2, topic2-3"),
            ("consumer4", "topic2-2"),
        ]);
        assert_eq!(r.last, expected, "{flavor:?}");

        let two = [m("consumer3"), m("consumer4")];
        let mut own = owning(&r.last);
        own.retain(|id, _| id == "consumer3" || id == "consumer4");
        let r = round(flavor, &two, &c, &own);
        let expected = assignment(&[
            ("consumer3", "topic1-2, topic2-3, topic1-0, topic2-1"),
            ("consumer4", "topic2-2, topic1-1, topic2-0"),
        ]);
        assert_eq!(r.first, expected, "{flavor:?}");
        assert!(none_transferring(&r));
    }
}

/// `testPoorRoundRobinAssignmentScenario`: Kafka checks validity and balance; the test's
/// doc comment lists the sticky result, which is what Kafka's code gives.
#[test]
fn kafka_poor_round_robin_assignment_scenario() {
    let c = counts(&[("topic1", 2), ("topic2", 1), ("topic3", 2), ("topic4", 1), ("topic5", 2)]);
    let all = ["topic1", "topic2", "topic3", "topic4", "topic5"];
    let odd = ["topic1", "topic3", "topic5"];
    let members =
        [member("consumer1", &all), member("consumer2", &odd), member("consumer3", &odd), member("consumer4", &all)];
    for flavor in FLAVORS {
        let r = round(flavor, &members, &c, &Ownership::new());
        let expected = assignment(&[
            ("consumer1", "topic2-0, topic3-0"),
            ("consumer2", "topic1-0, topic3-1"),
            ("consumer3", "topic1-1, topic5-0"),
            ("consumer4", "topic4-0, topic5-1"),
        ]);
        assert_eq!(r.last, expected, "{flavor:?}");
    }
}

/// `testAddRemoveTopicTwoConsumers`.
#[test]
fn kafka_add_remove_topic_two_consumers() {
    for flavor in FLAVORS {
        let mut c = counts(&[("topic", 3)]);
        let m = |topics: &[&str]| [member("consumer1", topics), member("consumer2", topics)];
        let first = round(flavor, &m(&["topic"]), &c, &Ownership::new());
        assert!(none_transferring(&first));
        assert!(is_fully_balanced(&first.last));

        c.insert("topic2".to_owned(), 3);
        let second = round(flavor, &m(&["topic", "topic2"]), &c, &owning(&first.last));
        assert!(none_transferring(&second));
        assert_eq!(loads(&second.last), [3, 3]);
        for (id, before) in &first.last {
            assert!(before.iter().all(|p| second.last[id].contains(p)), "{id} lost a partition");
        }

        c.remove("topic");
        let third = round(flavor, &m(&["topic2"]), &c, &owning(&second.last));
        assert!(none_transferring(&third));
        assert!(is_fully_balanced(&third.last));
        for (id, after) in &third.last {
            assert!(after.iter().all(|p| second.last[id].contains(p)), "{id} gained a partition");
        }
    }
}

fn padded(prefix: &str, i: usize, max: usize) -> String {
    format!("{prefix}{i:0width$}", width = max.to_string().len())
}

/// `testReassignmentAfterOneConsumerLeaves`: consumer i subscribes to topics 1..=i, topic
/// i has i partitions. (Kafka's test then removes "consumer10", an id not in the group, so
/// its second round only re-runs with ownership; we do the same, then also remove c10.)
#[test]
fn kafka_reassignment_after_one_consumer_leaves() {
    let c: BTreeMap<String, u32> = (1..20u32).map(|i| (padded("t", i as usize, 20), i)).collect();
    let members: Vec<_> = (1..20)
        .map(|i| MemberSubscription::new(padded("c", i, 20), (1..=i).map(|j| padded("t", j, 20)).collect::<Vec<_>>()))
        .collect();
    for flavor in FLAVORS {
        let r = round(flavor, &members, &c, &Ownership::new());
        let again = round(flavor, &members, &c, &owning(&r.last));
        assert_eq!(again.first, r.last, "{flavor:?}: a settled assignment is kept");
        let rest: Vec<_> = members.iter().filter(|m| m.member_id != "c10").cloned().collect();
        let mut own = owning(&r.last);
        own.remove("c10");
        round(flavor, &rest, &c, &own);
    }
}

/// `testReassignmentAfterOneConsumerAdded`: 20 partitions, 9 then 10 consumers.
#[test]
fn kafka_reassignment_after_one_consumer_added() {
    let c = counts(&[("topic", 20)]);
    for flavor in FLAVORS {
        let mut members: Vec<_> = (1..10).map(|i| member(&padded("c", i, 10), &["topic"])).collect();
        let r = round(flavor, &members, &c, &Ownership::new());
        assert!(none_transferring(&r));
        members.push(member("c10", &["topic"]));
        // Kafka's test gives no ownership in the second round either.
        let r = round(flavor, &members, &c, &Ownership::new());
        assert!(none_transferring(&r));
        assert!(r.last.values().all(|p| p.len() == 2));
    }
}

/// `testSameSubscriptions`: 14 topics with 1..14 partitions, 8 consumers; c5 leaves.
#[test]
fn kafka_same_subscriptions() {
    let c: BTreeMap<String, u32> = (1..15u32).map(|i| (padded("t", i as usize, 15), i)).collect();
    let topics: Vec<String> = c.keys().cloned().collect();
    let members: Vec<_> = (1..9).map(|i| MemberSubscription::new(padded("c", i, 9), topics.clone())).collect();
    for flavor in FLAVORS {
        let r = round(flavor, &members, &c, &Ownership::new());
        assert!(none_transferring(&r));
        let rest: Vec<_> = members.iter().filter(|m| m.member_id != "c5").cloned().collect();
        let mut own = owning(&r.last);
        own.remove("c5");
        let b = round(flavor, &rest, &c, &own);
        assert!(none_transferring(&b));
        for (id, now) in &b.last {
            assert!(r.last[id].iter().all(|p| now.contains(p)), "{id} lost a partition");
        }
    }
}

/// A scaled-down `testLargeAssignmentAndGroupWithNonEqualSubscription` (Kafka: 500 topics x
/// 2000 partitions x 2000 consumers) to keep the general builder honest about cost.
#[test]
fn kafka_large_assignment_and_group_with_non_equal_subscription_scaled_down() {
    let topics: Vec<String> = (0..50).map(|i| padded("t", i, 50)).collect();
    let c: BTreeMap<String, u32> = topics.iter().map(|t| (t.clone(), 40)).collect();
    let members: Vec<_> = (0..100)
        .map(|i| {
            MemberSubscription::new(padded("c", i, 100), if i == 99 { topics[..1].to_vec() } else { topics.clone() })
        })
        .collect();
    let a = sticky(&members, &c, &none());
    assert_kafka_balanced(&members, &c, &a);
    assert_eq!(sticky(&members, &c, &a), a);
}

/// `testAssignmentAndGroupWithNonEqualSubscriptionNotTimeout`, full size: 100 topics of 200
/// partitions, 500 consumers (every fourth on the first half of the topics, the others on
/// the second half), then again with ownership.
#[test]
fn kafka_assignment_and_group_with_non_equal_subscription_not_timeout() {
    let topics: Vec<String> = (0..100).map(|i| padded("t", i, 100)).collect();
    let c: BTreeMap<String, u32> = topics.iter().map(|t| (t.clone(), 200)).collect();
    let members: Vec<_> = (0..500)
        .map(|i| {
            let mine = if i % 4 == 0 { &topics[..50] } else { &topics[50..] };
            MemberSubscription::new(padded("c", i, 500), mine.to_vec())
        })
        .collect();
    let a = sticky(&members, &c, &none());
    assert_kafka_balanced(&members, &c, &a);
    let mut own = owning(&a);
    own.remove(&padded("c", 0, 500));
    let b = sticky_owned(&members, &c, &own).assignment;
    assert_kafka_balanced(&members, &c, &b);
}

/// A scaled-down `testLargeAssignmentAndGroupWithUniformSubscription` (Kafka: 500 topics of
/// 2000 partitions, 2000 consumers): 50 topics of 200, 200 consumers.
#[test]
fn kafka_large_assignment_and_group_with_uniform_subscription_scaled_down() {
    let topics: Vec<String> = (0..50).map(|i| padded("t", i, 50)).collect();
    let c: BTreeMap<String, u32> = topics.iter().map(|t| (t.clone(), 200)).collect();
    let members: Vec<_> = (0..200).map(|i| MemberSubscription::new(padded("c", i, 200), topics.clone())).collect();
    let a = sticky(&members, &c, &none());
    assert!(is_fully_balanced(&a) && a.values().all(|p| p.len() == 50));
    let mut own = owning(&a);
    own.remove(&padded("c", 0, 200));
    assert_eq!(sticky_owned(&members, &c, &own).assignment, a, "c0's partitions go back to it");
}

/// `testLargeAssignmentWithMultipleConsumersLeavingAndRandomSubscription` (40 topics of 1..10
/// partitions, 200 consumers with random subscriptions, then 50 random leave), seeded.
#[test]
fn kafka_large_assignment_with_multiple_consumers_leaving_and_random_subscription() {
    let mut seed = 0x2026_u64;
    let mut rand = |n: u64| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % n
    };
    let c: BTreeMap<String, u32> = (0..40).map(|i| (padded("t", i, 40), rand(10) as u32 + 1)).collect();
    let mut members: Vec<MemberSubscription> = (0..200)
        .map(|i| {
            let n = rand(20);
            let topics: Vec<String> = (0..n).map(|_| padded("t", rand(40) as usize, 40)).collect();
            MemberSubscription::new(padded("c", i, 200), topics)
        })
        .collect();
    for flavor in FLAVORS {
        let r = round(flavor, &members, &c, &Ownership::new());
        let mut own = owning(&r.last);
        for _ in 0..50 {
            let gone = padded("c", rand(200) as usize, 200);
            own.remove(&gone);
            members.retain(|m| m.member_id != gone);
        }
        round(flavor, &members, &c, &own);
    }
}

/// `testReassignmentWithRandomSubscriptionsAndChanges` (seeded, 20 rounds of Kafka's 100):
/// 20..40 consumers on random subsets of 10..20 topics, then all change their subscriptions.
#[test]
fn kafka_reassignment_with_random_subscriptions_and_changes() {
    let mut seed = 0x1dea_u64;
    let mut rand = |n: u64| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % n
    };
    for _ in 0..20 {
        let topics: Vec<String> = (0..10 + rand(10) as usize).map(|i| padded("t", i, 20)).collect();
        let c: BTreeMap<String, u32> = topics.iter().enumerate().map(|(i, t)| (t.clone(), i as u32 + 1)).collect();
        let consumers = 20 + rand(20) as usize;
        let mut subscribe = || -> Vec<MemberSubscription> {
            (0..consumers)
                .map(|i| {
                    let sub: Vec<String> = topics.iter().filter(|_| rand(2) == 0).cloned().collect();
                    MemberSubscription::new(padded("c", i, 40), sub)
                })
                .collect()
        };
        let (before, after) = (subscribe(), subscribe());
        for flavor in FLAVORS {
            let r = round(flavor, &before, &c, &Ownership::new());
            round(flavor, &after, &c, &owning(&r.last));
        }
    }
}

/// `StickyAssignorTest.testAssignorWithOldVersionSubscriptions`: ownership from version 0
/// and 1 subscriptions (generation in the sticky user data) and a version 2 one.
#[test]
fn kafka_sticky_assignor_with_old_version_subscriptions() {
    let c = counts(&[("topic1", 3)]);
    let members =
        [member("consumer1", &["topic1"]), member("consumer2", &["topic1"]), member("consumer3", &["topic1"])];
    let own =
        owned(&[("consumer1", "topic1-0", Some(1)), ("consumer2", "topic1-1", Some(1)), ("consumer3", "", Some(1))]);
    let r = round(Flavor::Sticky, &members, &c, &own);
    assert_eq!(r.first, assignment(&[("consumer1", "topic1-0"), ("consumer2", "topic1-1"), ("consumer3", "topic1-2")]));
}

/// `testSubscriptionNotEqualAndAssignSamePartitionWith3Generation`.
#[test]
fn kafka_subscription_not_equal_and_assign_same_partition_with_3_generation() {
    let c = counts(&[("topic", 6), ("topic1", 1)]);
    let members = [
        member("consumer1", &["topic"]),
        member("consumer2", &["topic"]),
        member("consumer3", &["topic"]),
        member("consumer4", &["topic1"]),
    ];
    for g in [[1, 2, 3], [1, 3, 2], [2, 1, 3], [2, 3, 1], [3, 1, 2], [3, 2, 1]] {
        let own = owned(&[
            ("consumer1", "topic-0, topic-2", Some(g[0])),
            ("consumer2", "topic-1, topic-2, topic-3", Some(g[1])),
            ("consumer3", "topic-2, topic-4, topic-5", Some(g[2])),
            ("consumer4", "topic1-0", Some(2)),
        ]);
        let a = sticky_owned(&members, &c, &own).assignment;
        assert_valid(&members, &c, &a);
        assert!(a.values().all(|p| (1..=2).contains(&p.len())), "{g:?}: {a:#?}");
    }
}

/// `testNewSubscription`: a member adds a topic (Kafka's test passes no ownership).
#[test]
fn kafka_new_subscription() {
    let c: BTreeMap<String, u32> = (1..5).map(|i| (padded("t", i, 5), 1)).collect();
    let topics = |i: i32| (i..=3 * i - 2).map(|j| padded("t", j as usize, 5)).collect::<Vec<_>>();
    for flavor in FLAVORS {
        let mut members: Vec<_> =
            (0..3).map(|i| MemberSubscription::new(padded("c", i as usize, 3), topics(i))).collect();
        round(flavor, &members, &c, &Ownership::new());
        members[0].topics.push(padded("t", 1, 5));
        round(flavor, &members, &c, &Ownership::new());
    }
}

/// `testMoveExistingAssignments`: the general builder (Kafka's transferring map is null).
#[test]
fn kafka_move_existing_assignments() {
    let c: BTreeMap<String, u32> = (1..=6).map(|i| (format!("topic{i}"), 1)).collect();
    let members = [
        member("consumer1", &["topic1", "topic2"]),
        member("consumer2", &["topic1", "topic2", "topic3", "topic4"]),
        member("consumer3", &["topic2", "topic3", "topic4", "topic5", "topic6"]),
    ];
    let own = owned(&[
        ("consumer1", "topic1-0", Some(1)),
        ("consumer2", "topic2-0, topic3-0", Some(1)),
        ("consumer3", "topic4-0, topic5-0, topic6-0", Some(1)),
    ]);
    for flavor in FLAVORS {
        let r = round(flavor, &members, &c, &own);
        assert_eq!(r.transferring, None);
    }
}

/// `testStickiness`: four consumers, three partitions; consumer1 leaves.
#[test]
fn kafka_stickiness() {
    let c = counts(&[("topic1", 3)]);
    let members: Vec<_> = (1..=4).map(|i| member(&format!("consumer{i}"), &["topic1"])).collect();
    for flavor in FLAVORS {
        let r = round(flavor, &members, &c, &Ownership::new());
        assert!(none_transferring(&r));
        assert!(r.last.values().all(|p| p.len() <= 1));
        let mut own = owning(&r.last);
        own.remove("consumer1");
        let b = round(flavor, &members[1..], &c, &own);
        assert!(none_transferring(&b));
        for (id, now) in &b.last {
            assert_eq!(now.len(), 1, "{id}");
            assert!(r.last[id].iter().all(|p| now.contains(p)), "stickiness not honoured for {id}");
        }
    }
}

/// `testAssignmentUpdatedForDeletedTopic`.
#[test]
fn kafka_assignment_updated_for_deleted_topic() {
    let c = counts(&[("topic1", 1), ("topic3", 100)]);
    let members = [member("consumer", &["topic1", "topic2", "topic3"])];
    for flavor in FLAVORS {
        let r = round(flavor, &members, &c, &Ownership::new());
        assert_eq!(r.first["consumer"].len(), 101);
        assert!(none_transferring(&r));
    }
}

/// `testNoExceptionThrownWhenOnlySubscribedTopicDeleted`.
#[test]
fn kafka_no_exception_thrown_when_only_subscribed_topic_deleted() {
    let members = [member("consumer", &["topic"])];
    for flavor in FLAVORS {
        let r = round(flavor, &members, &counts(&[("topic", 3)]), &Ownership::new());
        let b = round(flavor, &members, &counts(&[]), &owning(&r.last));
        assert_eq!(b.first, assignment(&[("consumer", "")]));
        assert!(none_transferring(&b));
    }
}

/// `testAllConsumersReachExpectedQuotaAndAreConsideredFilled`.
#[test]
fn kafka_all_consumers_reach_expected_quota_and_are_considered_filled() {
    let c = counts(&[("topic", 4)]);
    let members = [member("consumer1", &["topic"]), member("consumer2", &["topic"]), member("consumer3", &["topic"])];
    let own = owned(&[
        ("consumer1", "topic-0, topic-1", Some(1)),
        ("consumer2", "topic-2", Some(1)),
        ("consumer3", "", Some(1)),
    ]);
    for flavor in FLAVORS {
        let r = round(flavor, &members, &c, &own);
        let expected =
            assignment(&[("consumer1", "topic-0, topic-1"), ("consumer2", "topic-2"), ("consumer3", "topic-3")]);
        assert_eq!(r.first, expected);
        assert!(none_transferring(&r));
    }
}

/// `testOwnedPartitionsAreInvalidatedForConsumerWithStaleGeneration` and `...WithNoGeneration`.
#[test]
fn kafka_owned_partitions_are_invalidated_for_consumer_with_stale_or_no_generation() {
    let c = counts(&[("topic", 3), ("topic2", 3)]);
    let both = ["topic", "topic2"];
    let members = [member("consumer1", &both), member("consumer2", &both)];
    for stale in [Some(9), None] {
        let own = owned(&[
            ("consumer1", "topic-0, topic-2, topic2-1", Some(10)),
            ("consumer2", "topic-0, topic-2, topic2-1", stale),
        ]);
        for flavor in FLAVORS {
            let r = round(flavor, &members, &c, &own);
            let expected = assignment(&[
                ("consumer1", "topic-0, topic-2, topic2-1"),
                ("consumer2", "topic-1, topic2-0, topic2-2"),
            ]);
            assert_eq!(r.first, expected, "{flavor:?} {stale:?}");
            assert!(none_transferring(&r));
        }
    }
}

/// `testPartitionsTransferringOwnershipIncludeThePartitionClaimedByMultipleConsumersInSameGeneration`.
#[test]
fn kafka_partitions_transferring_ownership_include_the_partition_claimed_by_multiple_consumers() {
    let c = counts(&[("topic", 3)]);
    let members = [member("consumer1", &["topic"]), member("consumer2", &["topic"]), member("consumer3", &["topic"])];
    let own = owned(&[
        ("consumer1", "topic-0, topic-1", Some(1)),
        ("consumer2", "topic-0, topic-2", Some(1)),
        ("consumer3", "", Some(1)),
    ]);
    for flavor in FLAVORS {
        let r = round(flavor, &members, &c, &own);
        assert_eq!(r.transferring, transfers(&[("topic-0", "consumer3")]));
        let expected = assignment(&[("consumer1", "topic-1"), ("consumer2", "topic-2"), ("consumer3", "topic-0")]);
        assert_eq!(r.last, expected, "{flavor:?}");
    }
}

/// `testEnsurePartitionsAssignedToHighestGeneration`.
#[test]
fn kafka_ensure_partitions_assigned_to_highest_generation() {
    let c = counts(&[("topic", 3), ("topic2", 3), ("topic3", 3)]);
    let all = ["topic", "topic2", "topic3"];
    let members = [member("consumer1", &all), member("consumer2", &all), member("consumer3", &all)];
    let own = owned(&[
        ("consumer1", "topic-0, topic2-0, topic3-0", Some(10)),
        ("consumer2", "topic-1, topic2-1, topic3-1", Some(9)),
        ("consumer3", "topic2-1, topic3-0, topic3-2", Some(8)),
    ]);
    for flavor in FLAVORS {
        let r = round(flavor, &members, &c, &own);
        let expected = assignment(&[
            ("consumer1", "topic-0, topic2-0, topic3-0"),
            ("consumer2", "topic-1, topic2-1, topic3-1"),
            ("consumer3", "topic-2, topic2-2, topic3-2"),
        ]);
        assert_eq!(r.first, expected, "{flavor:?}");
        assert!(none_transferring(&r));
    }
}

/// `testNoReassignmentOnCurrentMembers`.
#[test]
fn kafka_no_reassignment_on_current_members() {
    let c = counts(&[("topic", 3), ("topic1", 3), ("topic2", 3), ("topic3", 3)]);
    let all = ["topic", "topic2", "topic3", "topic1"];
    let members: Vec<_> = (1..=4).map(|i| member(&format!("consumer{i}"), &all)).collect();
    let own = owned(&[
        ("consumer1", "", None),
        ("consumer2", "topic-0, topic2-0, topic1-0", Some(9)),
        ("consumer3", "topic3-2, topic2-2, topic1-1", Some(8)),
        ("consumer4", "topic3-1, topic-1, topic-2", Some(7)),
    ]);
    for flavor in FLAVORS {
        let r = round(flavor, &members, &c, &own);
        assert_eq!(r.first["consumer1"], tps("topic1-2, topic2-1, topic3-0"));
        assert!(none_transferring(&r));
    }
}

/// `testOwnedPartitionsAreInvalidatedForConsumerWithMultipleGeneration`.
#[test]
fn kafka_owned_partitions_are_invalidated_for_consumer_with_multiple_generation() {
    let c = counts(&[("topic", 3), ("topic2", 3)]);
    let both = ["topic", "topic2"];
    let members = [member("consumer1", &both), member("consumer2", &both)];
    let own = owned(&[
        ("consumer1", "topic-0, topic2-1, topic-1", Some(10)),
        ("consumer2", "topic-0, topic2-1, topic2-2", Some(8)),
    ]);
    for flavor in FLAVORS {
        let r = round(flavor, &members, &c, &own);
        let expected =
            assignment(&[("consumer1", "topic-0, topic2-1, topic-1"), ("consumer2", "topic-2, topic2-2, topic2-0")]);
        assert_eq!(r.first, expected, "{flavor:?}");
        assert!(none_transferring(&r));
    }
}

/// `testRackAwareAssignmentWithUniformSubscription` / `...WithNonEqualSubscription`: their
/// expectations without racks (members `consumer0..`), fresh and again when owned.
#[test]
fn kafka_rack_aware_tests_without_racks() {
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
        for flavor in FLAVORS {
            assert_eq!(round(flavor, &members, &c, &Ownership::new()).first, want);
            assert_eq!(round(flavor, &members, &c, &owning(&want)).first, want);
        }
    }
}

// ---- StickyAssignorTest (eager only) ------------------------------------------------

/// `testAllConsumersHaveOwnedPartitionInvalidatedWhenClaimedByMultipleConsumersInSameGeneration`
/// `WithEqualPartitionsPerConsumer` and `...WithUnequalPartitionsPerConsumer`.
#[test]
fn kafka_sticky_owned_partition_invalidated_when_claimed_by_multiple_consumers_in_same_generation() {
    for (n, c1) in [(3, "topic-1"), (4, "topic-1, topic-3")] {
        let c = counts(&[("topic", n)]);
        let members =
            [member("consumer1", &["topic"]), member("consumer2", &["topic"]), member("consumer3", &["topic"])];
        let own = owned(&[
            ("consumer1", "topic-0, topic-1", Some(1)),
            ("consumer2", "topic-0, topic-2", Some(1)),
            ("consumer3", "", Some(1)),
        ]);
        let r = round(Flavor::Sticky, &members, &c, &own);
        assert_eq!(r.first, assignment(&[("consumer1", c1), ("consumer2", "topic-2"), ("consumer3", "topic-0")]));
        // Without generations (runnel's groups) the same.
        let previous = assignment(&[("consumer1", "topic-0, topic-1"), ("consumer2", "topic-0, topic-2")]);
        assert_eq!(sticky(&members, &c, &previous), r.first);
    }
}

/// `testAssignmentWithMultipleGenerations1`, both subscription modes.
#[test]
fn kafka_sticky_assignment_with_multiple_generations_1() {
    for equal in [true, false] {
        let c = counts(&[("topic", 6), ("topic2", 6)]);
        let all = ["topic", "topic2"];
        let c2_topics: &[&str] = if equal { &all } else { &["topic"] };
        let members = [member("consumer1", &all), member("consumer2", c2_topics), member("consumer3", &all)];
        let r1 = round(Flavor::Sticky, &members, &c, &Ownership::new()).first;
        assert!(r1.values().all(|p| p.len() == 4));

        let own =
            owned(&[("consumer1", &spec(&r1["consumer1"]), Some(1)), ("consumer2", &spec(&r1["consumer2"]), Some(1))]);
        let r2 = round(Flavor::Sticky, &members[..2], &c, &own).first;
        assert!(r2.values().all(|p| p.len() == 6));
        if equal {
            assert!(r1["consumer1"].iter().all(|p| r2["consumer1"].contains(p)));
        }
        assert!(r1["consumer2"].iter().all(|p| r2["consumer2"].contains(p)));
        assert!(r1["consumer3"].iter().any(|p| r2["consumer2"].contains(p)));

        let own =
            owned(&[("consumer2", &spec(&r2["consumer2"]), Some(2)), ("consumer3", &spec(&r1["consumer3"]), Some(1))]);
        let r3 = round(Flavor::Sticky, &members[1..], &c, &own).first;
        assert!(r3.values().all(|p| p.len() == 6));
        assert!(is_fully_balanced(&r3));
    }
}

/// `testAssignmentWithMultipleGenerations2`, both subscription modes.
#[test]
fn kafka_sticky_assignment_with_multiple_generations_2() {
    for equal in [true, false] {
        let c = counts(&[("topic", 4), ("topic2", 4), ("topic3", 4)]);
        let all = ["topic", "topic2", "topic3"];
        let c1_topics: &[&str] = if equal { &all } else { &["topic"] };
        let c3_topics: &[&str] = if equal { &all } else { &["topic", "topic2"] };
        let members = [member("consumer1", c1_topics), member("consumer2", &all), member("consumer3", c3_topics)];
        let r1 = round(Flavor::Sticky, &members, &c, &Ownership::new()).first;
        assert!(r1.values().all(|p| p.len() == 4));

        let own = owned(&[("consumer2", &spec(&r1["consumer2"]), Some(1))]);
        let r2 = round(Flavor::Sticky, &members[1..2], &c, &own).first;
        assert_eq!(r2["consumer2"].len(), 12);

        let own = owned(&[
            ("consumer1", &spec(&r1["consumer1"]), Some(1)),
            ("consumer2", &spec(&r2["consumer2"]), Some(2)),
            ("consumer3", &spec(&r1["consumer3"]), Some(1)),
        ]);
        let r3 = round(Flavor::Sticky, &members, &c, &own).first;
        assert!(r3.values().all(|p| p.len() == 4), "{equal}: {r3:#?}");
    }
}

/// `testAssignmentWithConflictingPreviousGenerations`, both subscription modes.
#[test]
fn kafka_sticky_assignment_with_conflicting_previous_generations() {
    for equal in [true, false] {
        let c = counts(&[("topic", 4), ("topic2", 4), ("topic3", 4)]);
        let all = ["topic", "topic2", "topic3"];
        let c1_topics: &[&str] = if equal { &all } else { &["topic"] };
        let c2_topics: &[&str] = if equal { &all } else { &["topic", "topic2"] };
        let members = [member("consumer1", c1_topics), member("consumer2", c2_topics), member("consumer3", &all)];
        let c1 = if equal {
            "topic-0, topic-1, topic-2, topic2-2, topic2-3, topic3-0"
        } else {
            "topic-0, topic-1, topic-2, topic-3"
        };
        let c2 = "topic-0, topic-1, topic2-0, topic2-1, topic2-2, topic2-3";
        let c3 = "topic-2, topic-3, topic3-0, topic3-1, topic3-2, topic3-3";
        let own = owned(&[("consumer1", c1, Some(1)), ("consumer2", c2, Some(2)), ("consumer3", c3, Some(2))]);
        let a = round(Flavor::Sticky, &members, &c, &own).first;
        assert!(a.values().all(|p| p.len() == 4), "{equal}: {a:#?}");
        assert!(a["consumer2"].iter().all(|p| tps(c2).contains(p)));
        assert!(a["consumer3"].iter().all(|p| tps(c3).contains(p)));
    }
}

fn spec(partitions: &[TopicPartition]) -> String {
    partitions.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
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

//! Tests of the assignors: shared helpers (Kafka's validity and balance checks), the
//! `Strategy` names and dispatch, and the cases Kafka's `RangeAssignorTest`,
//! `RoundRobinAssignorTest` and `AbstractStickyAssignorTest` share.
//! Each strategy's own cases are in the file named after its Kafka test class;
//! `differential.rs` compares the sticky assignors with Kafka's own classes.

use super::{
    Assignment, MemberSubscription, Owned, Ownership, Strategy as Kind, TopicPartition, assign, cooperative_sticky,
    cooperative_sticky_owned, range, round_robin, sticky, sticky_owned,
};
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
            members
                .iter()
                .all(|taker| !taker.topics.contains(&p.topic) || a.get(&taker.member_id).map_or(0, Vec::len) + 2 > held)
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
    assert_eq!(Kind::CooperativeSticky.name(), "cooperative-sticky");
    assert_eq!(Kind::parse("cooperative-sticky"), Some(Kind::CooperativeSticky));
    assert!(Kind::ALL.iter().all(|s| s.is_cooperative() == (*s == Kind::CooperativeSticky)));
    assert_eq!(Kind::parse("Range"), None);
    assert_eq!(Kind::parse("cooperativesticky"), None);
    assert_eq!(Kind::parse(""), None);
}

/// The serde name is what `state.json` holds: it must be the protocol name.
#[test]
fn strategy_serde_names_are_the_protocol_names() {
    for s in Kind::ALL {
        assert_eq!(serde_json::to_string(&s).expect("json"), format!("\"{}\"", s.name()));
        assert_eq!(serde_json::from_str::<Kind>(&format!("\"{}\"", s.name())).expect("parse"), s);
    }
    assert!(serde_json::from_str::<Kind>("\"Range\"").is_err());
    assert!(serde_json::from_str::<Kind>("\"fair\"").is_err());
}

#[test]
fn assign_dispatches_and_only_the_sticky_strategies_read_previous() {
    let members = [member("c1", &["t"]), member("c2", &["t"])];
    let c = counts(&[("t", 4)]);
    let previous = assignment(&[("c1", ""), ("c2", "t-0, t-1, t-2, t-3")]);
    assert_eq!(assign(Kind::Range, &members, &c, &previous), range(&members, &c));
    assert_eq!(assign(Kind::RoundRobin, &members, &c, &previous), round_robin(&members, &c));
    assert_eq!(assign(Kind::Sticky, &members, &c, &previous), assignment(&[("c1", "t-2, t-3"), ("c2", "t-0, t-1")]));
    // Cooperative: t-2 and t-3 move from c2 to c1, so c1 waits for them.
    assert_eq!(assign(Kind::CooperativeSticky, &members, &c, &previous), assignment(&[("c1", ""), ("c2", "t-0, t-1")]));
}

// ---- Cases shared by RangeAssignorTest, RoundRobinAssignorTest and
// ---- AbstractStickyAssignorTest (same names, same expectations) --------------------

const ALL_STRATEGIES: [Kind; 4] = Kind::ALL;

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

mod cooperative_sticky_assignor;
mod differential;
mod props;
mod range_assignor;
mod round_robin_assignor;
mod sticky_assignor;

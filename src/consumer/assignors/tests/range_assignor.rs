//! The cases of Kafka's `RangeAssignorTest` beyond the shared ones.

use super::*;

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
    let want: Assignment = expected.iter().enumerate().map(|(i, spec)| (format!("consumer{i}"), tps(spec))).collect();
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

//! The cases of Kafka's `RoundRobinAssignorTest` beyond the shared ones, and the member
//! order and merging every strategy relies on.

use super::*;

/// `RoundRobinAssignorTest.testStaticMemberAssignmentPersistent`; as for Range, these
/// member ids sort like Kafka's instance ids, so the expectation carries over.
#[test]
fn kafka_round_robin_static_member_assignment_persistent() {
    let c = counts(&[("topic1", 3), ("topic2", 3)]);
    let both = ["topic1", "topic2"];
    let mut members: Vec<_> =
        ["consumer1", "consumer2", "consumer3", "consumer4"].into_iter().map(|id| member(id, &both)).collect();
    let mut expected = assignment(&[
        ("consumer1", "topic1-0, topic2-1"),
        ("consumer2", "topic1-1, topic2-2"),
        ("consumer3", "topic1-2"),
        ("consumer4", "topic2-0"),
    ]);
    assert_eq!(run(Kind::RoundRobin, &members, &c), expected);

    members[3] = member("consumer5", &both);
    expected.remove("consumer4");
    expected.insert("consumer5".to_owned(), tps("topic2-0"));
    assert_eq!(run(Kind::RoundRobin, &members, &c), expected);
}

/// Kafka sorts member ids with Java's `String.compareTo` (UTF-16 code units). U+1F600
/// is the surrogate pair D83D DE00, which Java orders before U+FFFD even though its
/// UTF-8 encoding sorts after.
#[test]
fn members_are_ordered_like_java_strings() {
    let (bmp, astral) = ("\u{FFFD}", "\u{1F600}");
    assert!(bmp < astral, "Rust orders by code point");
    let members = [member(bmp, &["t"]), member(astral, &["t"])];
    let c = counts(&[("t", 1)]);
    for kind in ALL_STRATEGIES {
        let a = run(kind, &members, &c);
        assert_eq!(a[astral], tps("t-0"), "{kind}");
    }
}

#[test]
fn duplicate_member_entries_merge_their_subscriptions() {
    let members = [member("c", &["a"]), member("c", &["b", "b"]), member("d", &["a"])];
    let c = counts(&[("a", 2), ("b", 1)]);
    for kind in ALL_STRATEGIES {
        let a = run(kind, &members, &c);
        assert_eq!(a.len(), 2, "{kind}");
        assert!(a["c"].contains(&tp("b", 0)), "{kind}");
    }
}

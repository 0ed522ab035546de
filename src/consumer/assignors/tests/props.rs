//! Property tests: validity for every strategy, order independence, Range's contiguous
//! ranges, balance, and the sticky assignor's minimal movement and stability.

use super::*;
use proptest::prelude::*;

const TOPICS: [&str; 4] = ["t0", "t1", "t2", "t3"];

/// Partition counts for t0..t3 (0..8 each).
fn topic_counts() -> impl Strategy<Value = BTreeMap<String, u32>> {
    proptest::collection::vec(0u32..8, TOPICS.len())
        .prop_map(|n| TOPICS.iter().map(|t| (*t).to_owned()).zip(n).collect())
}

/// Topics selected by the low bits of `mask`; bit 4 adds a missing topic.
fn topics_of(mask: u8) -> Vec<String> {
    let mut topics: Vec<String> =
        TOPICS.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, t)| (*t).to_owned()).collect();
    if mask & 0x10 != 0 {
        topics.push("missing".to_owned());
    }
    topics
}

/// Members m0.. with arbitrary subscriptions, in shuffled input order.
fn any_members(max: usize) -> impl Strategy<Value = Vec<MemberSubscription>> {
    proptest::collection::vec(any::<u8>(), 1..=max)
        .prop_map(|masks| {
            masks
                .into_iter()
                .enumerate()
                .map(|(i, mask)| MemberSubscription::new(format!("m{i}"), topics_of(mask)))
                .collect::<Vec<_>>()
        })
        .prop_shuffle()
}

/// `n` members m0.. all subscribing to the topics of `mask`.
fn uniform(n: usize, mask: u8) -> Vec<MemberSubscription> {
    (0..n).map(|i| MemberSubscription::new(format!("m{i}"), topics_of(mask))).collect()
}

fn total_partitions(members: &[MemberSubscription], c: &BTreeMap<String, u32>) -> usize {
    let topics: BTreeSet<&String> = members.iter().flat_map(|m| &m.topics).collect();
    topics.iter().filter_map(|t| c.get(*t)).map(|&n| n as usize).sum()
}

/// Minimum number of retained partitions a balanced assignment must move, for
/// uniform subscriptions: each member keeps at most its quota, and at most
/// `total % members` members can keep `min + 1`.
fn minimum_moves(kept: &[usize], total: usize) -> usize {
    let (min, extra) = (total / kept.len(), total % kept.len());
    let excess: usize = kept.iter().map(|&k| k.saturating_sub(min)).sum();
    let can_keep_one_more = kept.iter().filter(|&&k| k > min).count().min(extra);
    excess - can_keep_one_more
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn every_partition_assigned_once_to_a_subscriber(
        members in any_members(7),
        c in topic_counts(),
    ) {
        for kind in Kind::ALL {
            let a = assign(kind, &members, &c, &Assignment::new());
            let errors = validity_errors(&members, &c, &a);
            prop_assert!(errors.is_empty(), "{}: {:?}", kind, errors);
        }
    }

    #[test]
    fn results_do_not_depend_on_input_order(
        members in any_members(7),
        c in topic_counts(),
    ) {
        let mut reversed = members.clone();
        reversed.reverse();
        for kind in Kind::ALL {
            let previous = round_robin(&members, &c);
            prop_assert_eq!(
                assign(kind, &members, &c, &previous),
                assign(kind, &reversed, &c, &previous)
            );
        }
    }

    #[test]
    fn range_gives_each_topic_in_contiguous_balanced_ranges(
        members in any_members(7),
        c in topic_counts(),
    ) {
        let a = range(&members, &c);
        for (topic, &n) in &c {
            // Subscribers in member-id order (ids m0..m6 sort as Java would).
            let mut subscribers: Vec<&String> = members
                .iter()
                .filter(|m| m.topics.contains(topic))
                .map(|m| &m.member_id)
                .collect();
            subscribers.sort();
            if subscribers.is_empty() {
                continue;
            }
            let ranges: Vec<Vec<u32>> = subscribers
                .iter()
                .map(|id| a[*id].iter().filter(|p| &p.topic == topic).map(|p| p.partition).collect())
                .collect();
            let concatenated: Vec<u32> = ranges.concat();
            prop_assert_eq!(concatenated, (0..n).collect::<Vec<_>>());
            let lens: Vec<usize> = ranges.iter().map(Vec::len).collect();
            prop_assert!(lens.windows(2).all(|w| w[0] >= w[1] && w[0] - w[1] <= 1), "{:?}", lens);
        }
    }

    #[test]
    fn round_robin_and_sticky_balance_uniform_subscriptions(
        n in 1usize..8,
        mask in any::<u8>(),
        c in topic_counts(),
    ) {
        let members = uniform(n, mask);
        for kind in [Kind::RoundRobin, Kind::Sticky] {
            let a = assign(kind, &members, &c, &Assignment::new());
            prop_assert!(is_fully_balanced(&a), "{}: {:?}", kind, a);
        }
    }

    #[test]
    fn extra_members_get_nothing(
        n in 1usize..8,
        mask in any::<u8>(),
        c in topic_counts(),
    ) {
        let members = uniform(n, mask);
        let total = total_partitions(&members, &c);
        prop_assume!(total < n);
        for kind in [Kind::RoundRobin, Kind::Sticky] {
            let a = assign(kind, &members, &c, &Assignment::new());
            let l = loads(&a);
            // Exactly `total` members get one partition: the first ones by id.
            prop_assert_eq!(&l[..total], &vec![1; total][..], "{}", kind);
            prop_assert!(l[total..].iter().all(|&x| x == 0), "{}", kind);
        }
        let widest = members[0]
            .topics
            .iter()
            .filter_map(|t| c.get(t))
            .copied()
            .max()
            .unwrap_or(0) as usize;
        let l = loads(&range(&members, &c));
        prop_assert!(l[widest.min(n)..].iter().all(|&x| x == 0));
    }

    #[test]
    fn sticky_moves_only_what_balance_requires(
        n in 1usize..8,
        mask in any::<u8>(),
        c in topic_counts(),
        leave in proptest::collection::vec(any::<bool>(), 8),
        join in 0usize..4,
    ) {
        let before = uniform(n, mask);
        let previous = sticky(&before, &c, &Assignment::new());
        let mut after: Vec<MemberSubscription> = before
            .iter()
            .zip(&leave)
            .filter(|(_, gone)| !**gone)
            .map(|(m, _)| m.clone())
            .collect();
        after.extend((0..join).map(|j| MemberSubscription::new(format!("new{j}"), topics_of(mask))));
        prop_assume!(!after.is_empty());

        let a = sticky(&after, &c, &previous);
        let errors = validity_errors(&after, &c, &a);
        prop_assert!(errors.is_empty(), "{:?}", errors);
        prop_assert!(is_fully_balanced(&a));

        let kept: Vec<usize> = a.keys().map(|id| previous.get(id).map_or(0, Vec::len)).collect();
        let moved: usize = a
            .iter()
            .map(|(id, now)| previous.get(id).into_iter().flatten().filter(|p| !now.contains(p)).count())
            .sum();
        prop_assert_eq!(moved, minimum_moves(&kept, total_partitions(&after, &c)));
    }

    #[test]
    fn sticky_with_unequal_subscriptions_is_valid_balanced_and_stable(
        before in any_members(6),
        after in any_members(6),
        c in topic_counts(),
    ) {
        let previous = sticky(&before, &c, &Assignment::new());
        let a = sticky(&after, &c, &previous);
        let errors = validity_errors(&after, &c, &a);
        prop_assert!(errors.is_empty(), "{:?}", errors);
        prop_assert!(no_balancing_move_left(&after, &a), "{:?}", a);
        prop_assert_eq!(sticky(&after, &c, &a), a.clone(), "not a fixed point");
    }

    #[test]
    fn sticky_survives_arbitrary_previous(
        members in any_members(5),
        c in topic_counts(),
        junk in proptest::collection::vec((0usize..7, 0usize..5, 0u32..10), 0..30),
    ) {
        let mut previous = Assignment::new();
        for (m, t, p) in junk {
            let topic = TOPICS.get(t).copied().unwrap_or("missing");
            previous.entry(format!("m{m}")).or_default().push(tp(topic, p));
        }
        let a = sticky(&members, &c, &previous);
        let errors = validity_errors(&members, &c, &a);
        prop_assert!(errors.is_empty(), "{:?}", errors);
    }
}

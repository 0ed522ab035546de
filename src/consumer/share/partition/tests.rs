use proptest::prelude::*;

use super::*;

fn limits(delivery_count_limit: u32, max_record_locks: u64) -> Limits {
    Limits { lock_duration_ms: 1000, delivery_count_limit, max_record_locks, dead_letter: false }
}

fn offsets(got: &[Acquired]) -> Vec<u64> {
    got.iter().map(|a| a.offset).collect()
}

#[test]
fn acquire_hands_out_new_records_once_each() {
    let l = limits(5, 100);
    let mut s = SharePartitionState::new(10);
    assert_eq!(offsets(&s.acquire("a", 0, &l, 15, 3)), [10, 11, 12]);
    assert_eq!(offsets(&s.acquire("b", 0, &l, 15, 3)), [13, 14]);
    assert!(s.acquire("c", 0, &l, 15, 3).is_empty());
    assert_eq!(s.records[&10].member_id.as_deref(), Some("a"));
    assert_eq!(s.records[&10].lock_until_ms, Some(1000));
    assert_eq!(s.next_offset, 15);
}

#[test]
fn accept_moves_the_start_offset_past_a_leading_run() {
    let l = limits(5, 100);
    let mut s = SharePartitionState::new(0);
    s.acquire("a", 0, &l, 4, 2);
    s.acquire("b", 0, &l, 4, 2);
    // b finishes first: 2 and 3 are acknowledged but 0 still leads, in flight.
    assert_eq!(s.acknowledge("b", &[2, 3], AcknowledgeType::Accept, &l).done, 2);
    assert_eq!(s.start_offset, 0);
    assert_eq!(s.records[&2].state, RecordState::Acknowledged);
    s.acknowledge("a", &[0, 1], AcknowledgeType::Accept, &l);
    assert_eq!((s.start_offset, s.next_offset, s.records.len()), (4, 4, 0));
}

#[test]
fn only_the_holder_acknowledges() {
    let l = limits(5, 100);
    let mut s = SharePartitionState::new(0);
    s.acquire("a", 0, &l, 2, 2);
    let out = s.acknowledge("b", &[0, 1], AcknowledgeType::Accept, &l);
    assert_eq!((out.done, out.refused), (0, vec![0, 1]));
    assert_eq!(s.records[&0].state, RecordState::Acquired);
}

#[test]
fn release_makes_records_available_with_their_delivery_count() {
    let l = limits(5, 100);
    let mut s = SharePartitionState::new(0);
    s.acquire("a", 0, &l, 3, 3);
    s.acknowledge("a", &[1], AcknowledgeType::Release, &l);
    assert_eq!(s.records[&1].state, RecordState::Available);
    assert_eq!(s.records[&1].member_id, None);
    let again = s.acquire("b", 5, &l, 3, 10);
    assert_eq!(again, [Acquired { offset: 1, delivery_count: 2 }]);
}

#[test]
fn an_expired_lock_makes_the_record_available_again() {
    let l = limits(5, 100);
    let mut s = SharePartitionState::new(0);
    s.acquire("a", 0, &l, 2, 2);
    assert!(s.expire(999, &l).is_empty());
    assert_eq!(s.records[&0].state, RecordState::Acquired);
    s.expire(1000, &l);
    assert_eq!(s.records[&0].state, RecordState::Available);
    // A late acknowledgement by the old holder is refused.
    assert_eq!(s.acknowledge("a", &[0], AcknowledgeType::Accept, &l).refused, [0]);
    let got = s.acquire("b", 1000, &l, 2, 5);
    assert_eq!(got, [Acquired { offset: 0, delivery_count: 2 }, Acquired { offset: 1, delivery_count: 2 }]);
}

#[test]
fn the_delivery_limit_archives() {
    let l = limits(2, 100);
    let mut s = SharePartitionState::new(0);
    s.acquire("a", 0, &l, 2, 2);
    s.expire(1000, &l);
    s.acquire("b", 1000, &l, 2, 2);
    // Second delivery failed: at the limit, a release archives.
    let out = s.acknowledge("b", &[0], AcknowledgeType::Release, &l);
    assert_eq!(out.archived, [0]);
    assert_eq!(s.start_offset, 1);
    // And an expiry too.
    assert_eq!(s.expire(2000, &l), [1]);
    assert_eq!((s.start_offset, s.records.len()), (2, 0));
}

#[test]
fn reject_archives_at_once() {
    let l = limits(5, 100);
    let mut s = SharePartitionState::new(0);
    s.acquire("a", 0, &l, 1, 1);
    s.acknowledge("a", &[0], AcknowledgeType::Reject, &l);
    assert_eq!((s.start_offset, s.records.len()), (1, 0));
}

#[test]
fn dead_letters_hold_the_start_offset_until_written() {
    let l = Limits { dead_letter: true, ..limits(1, 100) };
    let mut s = SharePartitionState::new(0);
    s.acquire("a", 0, &l, 2, 2);
    s.release_member("a", &l);
    assert_eq!(s.dead_letters(), [0, 1]);
    assert_eq!(s.start_offset, 0);
    assert!(s.acquire("b", 0, &l, 2, 2).is_empty());
    s.dead_lettered(&[0, 1]);
    assert_eq!((s.start_offset, s.records.len()), (2, 0));
}

#[test]
fn the_window_caps_records_in_flight() {
    let l = limits(5, 3);
    let mut s = SharePartitionState::new(0);
    assert_eq!(offsets(&s.acquire("a", 0, &l, 100, 10)), [0, 1, 2]);
    assert!(s.acquire("b", 0, &l, 100, 10).is_empty(), "the window is full");
    s.acknowledge("a", &[1, 2], AcknowledgeType::Accept, &l);
    assert!(s.acquire("b", 0, &l, 100, 10).is_empty(), "offset 0 still leads");
    s.acknowledge("a", &[0], AcknowledgeType::Accept, &l);
    assert_eq!(offsets(&s.acquire("b", 0, &l, 100, 10)), [3, 4, 5]);
}

#[test]
fn the_log_start_and_end_bound_the_state() {
    let l = limits(5, 100);
    let mut s = SharePartitionState::new(0);
    s.acquire("a", 0, &l, 10, 10);
    s.align(4, 10);
    assert_eq!((s.start_offset, *s.records.keys().next().expect("one")), (4, 4));
    s.align(4, 7);
    assert_eq!((s.start_offset, s.next_offset, s.records.len()), (4, 7, 3));
    s.align(20, 30);
    assert_eq!((s.start_offset, s.next_offset, s.records.len()), (20, 20, 0));
}

#[derive(Debug, Clone)]
enum Op {
    Acquire { member: u8, max: usize },
    Ack { member: u8, pick: usize, kind: u8 },
    Release { member: u8 },
    Tick { ms: i64 },
    Grow { by: u64 },
    Trim { by: u64 },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0u8..3, 1usize..6).prop_map(|(member, max)| Op::Acquire { member, max }),
        (0u8..3, 0usize..8, 0u8..3).prop_map(|(member, pick, kind)| Op::Ack { member, pick, kind }),
        (0u8..3).prop_map(|member| Op::Release { member }),
        (0i64..1500).prop_map(|ms| Op::Tick { ms }),
        (0u64..5).prop_map(|by| Op::Grow { by }),
        (0u64..2).prop_map(|by| Op::Trim { by }),
    ]
}

/// What must hold after any sequence of operations.
fn check(s: &SharePartitionState, l: &Limits, accepted: &std::collections::BTreeSet<u64>) {
    assert!(s.start_offset <= s.next_offset);
    let keys: Vec<u64> = s.records.keys().copied().collect();
    let dense: Vec<u64> = (s.start_offset..s.next_offset).collect();
    assert_eq!(keys, dense, "every offset in flight has a state");
    if let Some(first) = s.records.values().next() {
        assert!(
            !matches!(first.state, RecordState::Acknowledged | RecordState::Archived) || first.dead_letter,
            "a finished record never leads"
        );
    }
    for (offset, r) in &s.records {
        assert!(r.delivery_count >= 1 && r.delivery_count <= l.delivery_count_limit, "{offset}: {r:?}");
        let acquired = r.state == RecordState::Acquired;
        assert_eq!(acquired, r.member_id.is_some(), "{offset}: only an acquired record has an owner");
        assert_eq!(acquired, r.lock_until_ms.is_some(), "{offset}: only an acquired record has a lock");
        if accepted.contains(offset) {
            assert_eq!(r.state, RecordState::Acknowledged, "{offset}: acceptance is final");
        }
    }
    assert!(s.next_offset - s.start_offset <= l.max_record_locks);
}

proptest! {
    #[test]
    fn invariants_hold_under_any_interleaving(ops in proptest::collection::vec(op(), 1..80)) {
        let l = limits(3, 6);
        let mut s = SharePartitionState::new(0);
        let (mut now, mut log_start, mut log_end) = (0i64, 0u64, 4u64);
        let mut accepted = std::collections::BTreeSet::new();
        // Who holds what, as the members were told.
    let mut handed: std::collections::BTreeMap<u64, String> = std::collections::BTreeMap::new();
        for op in ops {
            match op {
                Op::Acquire { member, max } => {
                    s.expire(now, &l);
                    let m = format!("m{member}");
                    for a in s.acquire(&m, now, &l, log_end, max) {
                        // Never handed out while someone holds it, never after acceptance.
                        prop_assert!(!accepted.contains(&a.offset));
                        prop_assert!(!handed.contains_key(&a.offset), "{} is held", a.offset);
                        handed.insert(a.offset, m.clone());
                    }
                }
                Op::Ack { member, pick, kind } => {
                    let m = format!("m{member}");
                    let held = s.held_by(&m);
                    let Some(&offset) = held.get(pick % held.len().max(1)) else { continue };
                    let kind = [AcknowledgeType::Accept, AcknowledgeType::Release, AcknowledgeType::Reject][kind as usize];
                    let out = s.acknowledge(&m, &[offset], kind, &l);
                    prop_assert_eq!(out.done, 1);
                    if kind == AcknowledgeType::Accept {
                        accepted.insert(offset);
                    }
                    handed.remove(&offset);
                }
                Op::Release { member } => {
                    let m = format!("m{member}");
                    for o in s.held_by(&m) {
                        handed.remove(&o);
                    }
                    s.release_member(&m, &l);
                }
                Op::Tick { ms } => {
                    now += ms;
                    s.expire(now, &l);
                    handed.retain(|o, _| s.records.get(o).is_some_and(|r| r.state == RecordState::Acquired));
                }
                Op::Grow { by } => log_end += by,
                Op::Trim { by } => {
                    log_start = (log_start + by).min(log_end);
                    s.align(log_start, log_end);
                    handed.retain(|o, _| *o >= s.start_offset);
                }
            }
            check(&s, &l, &accepted);
        }
    }
}

//! Tests of the leader-epoch cache and divergence, with Kafka's own cases.

use super::*;
use proptest::prelude::*;

fn entry(epoch: u32, start_offset: u64) -> EpochEntry {
    EpochEntry { epoch, start_offset }
}

fn cache(entries: &[(u32, u64)]) -> EpochCache {
    let mut cache = EpochCache::new();
    for &(epoch, offset) in entries {
        cache.assign(epoch, offset);
    }
    cache
}

fn three_epochs() -> EpochCache {
    cache(&[(2, 6), (3, 8), (4, 11)])
}

// ---- Kafka: LeaderEpochFileCacheTest -------------------------------

#[test]
fn should_add_epoch_and_message_offset_to_cache() {
    let c = cache(&[(2, 10)]);
    assert_eq!(c.latest_epoch(), Some(2));
    assert_eq!(c.entries(), [entry(2, 10)]);
    assert_eq!(c.end_offset_for(2, 11), Some((2, 11)));
}

#[test]
fn should_return_log_end_offset_if_latest_epoch_requested() {
    let c = cache(&[(2, 11), (2, 12)]);
    assert_eq!(c.end_offset_for(2, 14), Some((2, 14)));
}

#[test]
fn should_not_overwrite_log_end_offset_for_a_leader_epoch_once_it_has_been_assigned() {
    let c = cache(&[(2, 9), (2, 10)]);
    assert_eq!(c.entries(), [entry(2, 9)]);
}

#[test]
fn should_enforce_monotonically_increasing_start_offsets() {
    let c = cache(&[(2, 9), (3, 9)]);
    assert_eq!(c.entries(), [entry(3, 9)]);
}

#[test]
fn should_not_overwrite_offset_for_a_leader_epoch_once_it_has_been_assigned() {
    let c = cache(&[(2, 6), (2, 10)]);
    assert_eq!(c.entries()[0].start_offset, 6);
}

#[test]
fn should_return_unsupported_if_no_epoch_recorded() {
    assert_eq!(EpochCache::new().end_offset_for(0, 0), None);
}

#[test]
fn should_return_first_epoch_if_requested_epoch_less_than_first_epoch() {
    let c = cache(&[(5, 11), (6, 12), (7, 13)]);
    assert_eq!(c.end_offset_for(4, 0), Some((4, 11)));
}

#[test]
fn should_truncate_if_matching_epoch_but_earlier_starting_offset() {
    let c = cache(&[(5, 11), (6, 12), (7, 13), (7, 12)]);
    assert_eq!(c.end_offset_for(5, 0), Some((5, 12)));
    assert_eq!(c.end_offset_for(6, 0), Some((5, 12)));
}

#[test]
fn should_get_first_offset_of_subsequent_epoch_when_offset_requested_for_previous_epoch() {
    let c = cache(&[(1, 11), (1, 12), (2, 13), (2, 14), (3, 15), (3, 16)]);
    assert_eq!(c.end_offset_for(2, 17), Some((2, 15)));
}

#[test]
fn should_return_next_available_epoch_if_there_is_no_exact_epoch_for_the_one_requested() {
    let c = cache(&[(0, 10), (2, 13), (4, 17)]);
    assert_eq!(c.end_offset_for(1, 0), Some((0, 13)));
    assert_eq!(c.end_offset_for(2, 0), Some((2, 17)));
    assert_eq!(c.end_offset_for(3, 0), Some((2, 17)));
}

#[test]
fn should_not_update_epoch_and_start_offset_if_it_did_not_change() {
    let c = cache(&[(2, 6), (2, 7)]);
    assert_eq!(c.entries(), [entry(2, 6)]);
}

#[test]
fn should_return_invalid_offset_if_epoch_is_requested_which_is_not_currently_tracked() {
    let c = cache(&[(2, 100)]);
    assert_eq!(c.end_offset_for(3, 100), None);
}

#[test]
fn should_support_epochs_that_do_not_start_from_zero() {
    let c = cache(&[(2, 6)]);
    assert_eq!(c.end_offset_for(2, 7), Some((2, 7)));
    assert_eq!(c.entries(), [entry(2, 6)]);
}

#[test]
fn should_enforce_monotonically_increasing_epochs() {
    let c = cache(&[(1, 5), (2, 6), (1, 7)]);
    assert_eq!(c.latest_epoch(), Some(1));
    assert_eq!(c.end_offset_for(1, 8), Some((1, 8)));
    assert_eq!(c.end_offset_for(2, 8), None);
    assert_eq!(c.entries(), [entry(1, 7)]);
}

#[test]
fn should_enforce_offsets_increase_monotonically() {
    let c = cache(&[(2, 6), (3, 5)]);
    assert_eq!(c.entries(), [entry(3, 5)]);
}

#[test]
fn should_increase_and_track_epochs_as_leaders_change_many_times() {
    let mut c = cache(&[(0, 0), (1, 0)]);
    assert_eq!(c.latest_epoch(), Some(1));
    assert_eq!(c.end_offset_for(1, 0), Some((1, 0)));
    assert_eq!(c.end_offset_for(0, 0), Some((0, 0)));
    assert_eq!(c.end_offset_for(1, 5), Some((1, 5)));
    assert_eq!(c.end_offset_for(0, 5), Some((0, 0)));
    c.assign(2, 5);
    assert_eq!(c.end_offset_for(2, 10), Some((2, 10)));
    assert_eq!(c.end_offset_for(1, 10), Some((1, 5)));
    assert_eq!(c.end_offset_for(0, 10), Some((0, 0)));
}

#[test]
fn should_increase_and_track_epochs_as_follower_receives_many_messages() {
    let mut c = cache(&[(0, 0), (0, 1), (0, 2)]);
    assert_eq!(c.latest_epoch(), Some(0));
    assert_eq!(c.end_offset_for(0, 3), Some((0, 3)));
    for offset in 3..6 {
        c.assign(1, offset);
    }
    assert_eq!(c.latest_epoch(), Some(1));
    assert_eq!(c.end_offset_for(1, 6), Some((1, 6)));
    for offset in 6..9 {
        c.assign(2, offset);
    }
    assert_eq!(c.latest_epoch(), Some(2));
    assert_eq!(c.end_offset_for(2, 9), Some((2, 9)));
    assert_eq!(c.end_offset_for(0, 9), Some((0, 3)));
    assert_eq!(c.end_offset_for(1, 9), Some((1, 6)));
}

#[test]
fn should_drop_entries_on_epoch_boundary_when_removing_latest_entries() {
    let mut c = three_epochs();
    c.truncate_from_end(8);
    assert_eq!(c.entries(), [entry(2, 6)]);
}

#[test]
fn should_preserve_reset_offset_on_clear_earliest_if_one_exists() {
    let mut c = three_epochs();
    c.truncate_from_start(8);
    assert_eq!(c.entries(), [entry(3, 8), entry(4, 11)]);
}

#[test]
fn should_update_saved_offset_when_offset_to_clear_to_is_between_epochs() {
    let mut c = three_epochs();
    c.truncate_from_start(9);
    assert_eq!(c.entries(), [entry(3, 9), entry(4, 11)]);
}

#[test]
fn should_not_clear_anything_if_offset_to_early() {
    let mut c = three_epochs();
    c.truncate_from_start(1);
    assert_eq!(c.entries(), [entry(2, 6), entry(3, 8), entry(4, 11)]);
}

#[test]
fn should_not_clear_anything_if_offset_to_first_offset() {
    let mut c = three_epochs();
    c.truncate_from_start(6);
    assert_eq!(c.entries(), [entry(2, 6), entry(3, 8), entry(4, 11)]);
}

#[test]
fn should_retain_latest_epoch_on_clear_all_earliest() {
    let mut c = three_epochs();
    c.truncate_from_start(11);
    assert_eq!(c.entries(), [entry(4, 11)]);
}

#[test]
fn should_update_offset_between_epoch_boundaries_on_clear_earliest_2() {
    let mut c = cache(&[(0, 0), (1, 7), (2, 10)]);
    c.truncate_from_start(5);
    assert_eq!(c.entries(), [entry(0, 5), entry(1, 7), entry(2, 10)]);
}

#[test]
fn should_retain_latest_epoch_on_clear_all_earliest_and_update_its_offset() {
    let mut c = three_epochs();
    c.truncate_from_start(15);
    assert_eq!(c.entries(), [entry(4, 15)]);
}

#[test]
fn should_drop_entries_between_epoch_boundary_when_removing_newest() {
    let mut c = three_epochs();
    c.truncate_from_end(9);
    assert_eq!(c.latest_epoch(), Some(3));
    assert_eq!(c.entries(), [entry(2, 6), entry(3, 8)]);
}

#[test]
fn should_clear_all_entries() {
    let mut c = three_epochs();
    c.clear();
    assert!(c.entries().is_empty());
}

#[test]
fn should_fetch_latest_epoch_of_empty_cache() {
    assert_eq!(EpochCache::new().latest_epoch(), None);
}

#[test]
fn should_fetch_end_offset_of_empty_cache() {
    assert_eq!(EpochCache::new().end_offset_for(7, 0), None);
}

#[test]
fn should_clear_earliest_and_latest_on_empty_cache() {
    let mut c = EpochCache::new();
    c.truncate_from_start(7);
    c.truncate_from_end(7);
    assert_eq!(c, EpochCache::new());
}

// ---- our own cache checks ------------------------------------------

#[test]
fn from_entries_resolves_conflicts_like_assign() {
    let c = EpochCache::from_entries(vec![entry(2, 6), entry(3, 8), entry(1, 7)]);
    assert_eq!(c.entries(), [entry(1, 7)]);
    assert_eq!(c.earliest_entry(), Some(entry(1, 7)));
}

#[test]
fn truncate_from_end_past_everything_is_a_no_op() {
    let mut c = three_epochs();
    c.truncate_from_end(12);
    assert_eq!(c, three_epochs());
    c.truncate_from_end(0);
    assert!(c.entries().is_empty());
}

// ---- divergence: KIP-101, KIP-279 and Kafka's fetcher tests ---------

// KIP-101 scenario 1 (high-watermark truncation then immediate leader
// election): the follower holds m1, m2 at epoch 0 but its high watermark
// is only 1. Truncating to the high watermark would drop m2, which the
// leader acknowledged; asking the leader for the end of epoch 0 gives its
// LEO, 2, so nothing is truncated.
#[test]
fn kip101_scenario_1_keeps_acknowledged_records() {
    let both = cache(&[(0, 0)]);
    assert_eq!(divergence_offset(&both, 2, &both, 2), 2);
}

// KIP-101 scenario 2 (divergence after multiple hardware failures): A had
// m1, m2 at epoch 0, B only m1. Both crash; B comes back first, leads
// epoch 1 and writes m3 at offset 1. A rejoins as follower: B ends epoch 0
// at offset 1, so A drops m2 and will copy m3.
#[test]
fn kip101_scenario_2_truncates_the_divergent_tail() {
    let follower_a = cache(&[(0, 0)]);
    let leader_b = cache(&[(0, 0), (1, 1)]);
    assert_eq!(divergence_offset(&follower_a, 2, &leader_b, 2), 1);
}

// KIP-279 (fast leader failover): A leads epoch 1 and writes m1, m2 at
// offsets 0, 1; B copies only m1. A dies; B leads epoch 2 and writes m3
// at offset 1. B dies; A comes back and leads epoch 3, writing m4 at
// offset 2. B rejoins. B asks for the end of epoch 2 and A answers
// (epoch 1, offset 2). KIP-101 alone truncated to 2 and kept m3 where A
// has m2; KIP-279 notices B's own end of epoch 1 is 1 and truncates there.
#[test]
fn kip279_fast_leader_failover() {
    let follower_b = cache(&[(1, 0), (2, 1)]);
    let leader_a = cache(&[(1, 0), (3, 2)]);
    assert_eq!(leader_a.end_offset_for(2, 3), Some((1, 2)));
    assert_eq!(divergence_offset(&follower_b, 2, &leader_a, 3), 1);
}

// Kafka: ReplicaFetcherThreadTest.shouldTruncateToOffsetSpecifiedInEpochOffsetResponse
// — follower at epoch 5 with LEO 200; the leader ends epoch 5 at 156
// (one partition) or 172 (the other); expected truncation 156 and 172.
#[test]
fn kafka_truncate_to_offset_specified_in_epoch_offset_response() {
    let follower = cache(&[(5, 100)]);
    for leader_end in [156, 172] {
        let leader = cache(&[(5, 100), (6, leader_end)]);
        assert_eq!(divergence_offset(&follower, 200, &leader, 250), leader_end);
    }
}

// Kafka: ReplicaFetcherThreadTest.
// shouldTruncateToOffsetSpecifiedInEpochOffsetResponseIfFollowerHasNoMoreEpochs
// — follower at epoch 5, LEO 200, nothing at or below epoch 4; the leader
// answers epoch 4 ending at 156 (expected 156) or 202 (expected 200, the
// follower's LEO).
#[test]
fn kafka_truncate_if_follower_has_no_more_epochs() {
    let follower = cache(&[(5, 200)]);
    let leader = cache(&[(4, 0), (6, 156)]);
    assert_eq!(divergence_offset(&follower, 200, &leader, 300), 156);
    let leader = cache(&[(4, 0), (6, 202)]);
    assert_eq!(divergence_offset(&follower, 200, &leader, 300), 200);
}

// Kafka: ReplicaFetcherThreadTest.
// shouldFetchLeaderEpochSecondTimeIfLeaderRepliesWithEpochNotKnownToFollower
// — follower at epoch 5 (LEO 200) knows epoch 3 ending at 120 but not 4.
// The leader first answers epoch 4 (ending 155 / 143); the follower
// truncates to 120 and asks again for epoch 3, which the leader ends at
// 101 / 102: expected truncation 101 and 102.
#[test]
fn kafka_fetch_leader_epoch_second_time_if_epoch_not_known_to_follower() {
    let follower = cache(&[(3, 0), (5, 120)]);
    for (epoch4_end, epoch3_end) in [(155, 101), (143, 102)] {
        let leader = cache(&[(3, 0), (4, epoch3_end), (6, epoch4_end)]);
        assert_eq!(leader.end_offset_for(5, 160), Some((4, epoch4_end)));
        assert_eq!(divergence_offset(&follower, 200, &leader, 160), epoch3_end);
    }
}

// Kafka: AbstractFetcherThreadTest.testTruncation — replica batches at
// offsets 0, 1, 2 with epochs 0, 2, 4; leader batches with epochs 1, 3,
// 5. Kafka asserts the follower ends up with the leader's log, which
// needs truncation all the way to 0 (the two share no record).
#[test]
fn kafka_abstract_fetcher_test_truncation() {
    let follower = cache(&[(0, 0), (2, 1), (4, 2)]);
    let leader = cache(&[(1, 0), (3, 1), (5, 2)]);
    assert_eq!(divergence_offset(&follower, 3, &leader, 3), 0);
}

// The setup of Kafka's AbstractFetcherThreadTest.testFollowerFetchOutOfRangeLow:
// the follower has one batch (offset 0) at epoch 0; the leader's log starts
// at offset 2 with epoch 4. The leader answers epoch 0 with its first start
// offset, 2, so epoch truncation keeps the follower's offset 0 (LEO 1).
// Kafka then fetches from 1, gets OFFSET_OUT_OF_RANGE and restarts the
// follower's log at the leader's log start (2): that reset is the caller's
// job, not this function's. A follower LEO past 2 is cut to 2.
#[test]
fn follower_epochs_older_than_the_leaders_first() {
    let follower = cache(&[(0, 0)]);
    let leader = cache(&[(4, 2)]);
    assert_eq!(divergence_offset(&follower, 1, &leader, 3), 1);
    assert_eq!(divergence_offset(&follower, 5, &leader, 3), 2);
}

#[test]
fn nothing_to_compare_means_zero() {
    let some = cache(&[(1, 0)]);
    assert_eq!(divergence_offset(&EpochCache::new(), 5, &some, 5), 0);
    assert_eq!(divergence_offset(&some, 5, &EpochCache::new(), 5), 0);
    // The follower is on an epoch the leader has never seen.
    assert_eq!(divergence_offset(&cache(&[(7, 0)]), 5, &some, 5), 0);
}

#[test]
fn a_follower_ahead_of_the_leader_in_the_same_epoch_is_cut_to_the_leader() {
    let both = cache(&[(0, 0), (1, 4)]);
    assert_eq!(divergence_offset(&both, 9, &both, 6), 6);
}

// ---- properties -------------------------------------------------------

/// A well-formed cache: strictly increasing epochs and start offsets.
fn epochs() -> impl Strategy<Value = Vec<(u32, u64)>> {
    prop::collection::vec((1u32..4, 1u64..20), 0..8).prop_map(|steps| {
        let (mut epoch, mut offset) = (0u32, 0u64);
        steps
            .into_iter()
            .map(|(de, doff)| {
                epoch += de;
                offset += doff;
                (epoch, offset)
            })
            .collect()
    })
}

proptest! {
    #[test]
    fn assign_keeps_both_orders_strict(
        steps in prop::collection::vec((0u32..10, 0u64..50), 0..30)
    ) {
        let c = cache(&steps);
        for pair in c.entries().windows(2) {
            prop_assert!(pair[0].epoch < pair[1].epoch);
            prop_assert!(pair[0].start_offset < pair[1].start_offset);
        }
    }

    #[test]
    fn divergence_never_exceeds_either_leo(
        follower in prop::collection::vec((0u32..8, 0u64..40), 0..10),
        leader in prop::collection::vec((0u32..8, 0u64..40), 0..10),
        follower_leo in 0u64..60,
        leader_leo in 0u64..60,
    ) {
        let got = divergence_offset(&cache(&follower), follower_leo, &cache(&leader), leader_leo);
        prop_assert!(got <= follower_leo);
        prop_assert!(got <= leader_leo);
    }

    #[test]
    fn a_follower_on_a_prefix_of_the_leader_keeps_its_whole_log(
        leader_entries in epochs(),
        cut in any::<prop::sample::Index>(),
        extra in 0u64..30,
        into_epoch in any::<prop::sample::Index>(),
    ) {
        prop_assume!(!leader_entries.is_empty());
        let leader = cache(&leader_entries);
        let last_start = leader_entries.last().map_or(0, |e| e.1);
        let leader_leo = last_start + extra;
        let kept = cut.index(leader_entries.len()) + 1;
        let follower = cache(&leader_entries[..kept]);
        // The follower's LEO lies inside its last epoch as the leader has
        // it: from that epoch's start up to where the leader's next epoch
        // begins (or the leader's LEO).
        let low = leader_entries[kept - 1].1;
        let high = leader_entries.get(kept).map_or(leader_leo, |e| e.1);
        let follower_leo = low + into_epoch.index((high - low + 1) as usize) as u64;
        prop_assert_eq!(divergence_offset(&follower, follower_leo, &leader, leader_leo), follower_leo);
    }

    #[test]
    fn identical_caches_agree_up_to_the_shorter_log(
        entries in epochs(),
        extra_f in 0u64..30,
        extra_l in 0u64..30,
    ) {
        prop_assume!(!entries.is_empty());
        let c = cache(&entries);
        let last_start = entries.last().map_or(0, |e| e.1);
        let (f, l) = (last_start + extra_f, last_start + extra_l);
        prop_assert_eq!(divergence_offset(&c, f, &c, l), f.min(l));
    }
}

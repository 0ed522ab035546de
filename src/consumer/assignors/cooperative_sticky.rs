//! Kafka's `CooperativeStickyAssignor` (KIP-429): the sticky assignment, less every
//! partition that would move from one member to another in this rebalance. Its owner
//! gives it up (commits and releases it) first; a follow-up rebalance, in which nobody
//! owns it any more, assigns it.

use std::collections::BTreeMap;

use super::sticky::{Ownership, StickyOutcome, same_generation, sticky_owned};
use super::{Assignment, MemberSubscription};

/// The cooperative-sticky assignment with each member owning its partitions in
/// `previous`, all in the same generation.
#[must_use]
pub fn cooperative_sticky(
    members: &[MemberSubscription],
    partition_counts: &BTreeMap<String, u32>,
    previous: &Assignment,
) -> Assignment {
    cooperative_sticky_owned(members, partition_counts, &same_generation(previous))
}

/// Kafka's `CooperativeStickyAssignor.assignPartitions`, with generations: the sticky
/// assignment without the partitions transferring ownership.
#[must_use]
pub fn cooperative_sticky_owned(
    members: &[MemberSubscription],
    partition_counts: &BTreeMap<String, u32>,
    owned: &Ownership,
) -> Assignment {
    let StickyOutcome { mut assignment, transferring } = sticky_owned(members, partition_counts, owned);
    for (tp, member) in transferring {
        if let Some(partitions) = assignment.get_mut(&member) {
            partitions.retain(|p| *p != tp);
        }
    }
    assignment
}

//! The leader-epoch cache of a partition replica (Kafka's
//! `LeaderEpochFileCache`) and the KIP-101 / KIP-279 rule a recovering
//! follower uses to find where its log diverges from its leader's.
//!
//! Every leader of a partition gets a new, larger *leader epoch*, and each
//! record batch is stamped with the epoch of the leader that wrote it. A
//! replica's cache lists, per epoch, the offset of the first record of that
//! epoch in its log. The end of epoch `e` is the start of the next epoch, or
//! the log end offset (LEO) for the latest one. Two replicas agree on every
//! offset below the end of the last epoch they share, so a follower truncates
//! there instead of to its high watermark, which can lose acknowledged records
//! (KIP-101) or keep divergent ones.
//!
//! This follows Kafka as it has been since KAFKA-7415 (Kafka 2.1):
//!
//! * entries are kept strictly increasing in *both* epoch and start offset:
//!   an assignment that would break either drops the conflicting entries from
//!   the end (so an older epoch, or a start offset at or below an existing
//!   one, truncates the cache rather than being ignored);
//! * asking for the end of an epoch older than the first cached one answers
//!   that epoch with the first entry's start offset, rather than "undefined",
//!   so a follower always lands at or below the leader's earliest offset.
//!
//! Kafka's `UNDEFINED_EPOCH` / `UNDEFINED_EPOCH_OFFSET` answers are `None`.

/// One cache entry: `epoch` began at log offset `start_offset`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EpochEntry {
    /// The leader epoch.
    pub epoch: u32,
    /// The offset of the first record written in that epoch.
    pub start_offset: u64,
}

/// An ordered list of `(epoch, start offset)` entries: epochs strictly
/// increasing and start offsets strictly increasing (Kafka's
/// `LeaderEpochFileCache`, without the file).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EpochCache {
    entries: Vec<EpochEntry>,
}

impl EpochCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// A cache built by assigning `entries` in order, as Kafka does when it
    /// loads the checkpoint file, so entries that break the ordering are
    /// resolved exactly as [`EpochCache::assign`] would.
    pub fn from_entries(entries: Vec<EpochEntry>) -> Self {
        let mut cache = Self::new();
        for entry in entries {
            cache.assign(entry.epoch, entry.start_offset);
        }
        cache
    }

    /// The entries, oldest first.
    pub fn entries(&self) -> &[EpochEntry] {
        &self.entries
    }

    /// Records that `epoch` starts at `start_offset`.
    ///
    /// A no-op when `epoch` is already the latest epoch and `start_offset` is
    /// not below its start (an epoch's start is never moved forward). Otherwise
    /// every entry from the end whose epoch is `>= epoch` or whose start offset
    /// is `>= start_offset` is dropped, then the new entry is appended. So a
    /// latest epoch re-assigned at an earlier offset moves back, a new epoch at
    /// the same offset as the previous one replaces it, and an epoch older than
    /// the latest truncates the newer ones.
    pub fn assign(&mut self, epoch: u32, start_offset: u64) {
        let unchanged =
            self.latest_entry().is_some_and(|last| last.epoch == epoch && start_offset >= last.start_offset);
        if unchanged {
            return;
        }
        self.pop_while(|last| last.epoch >= epoch || last.start_offset >= start_offset);
        self.entries.push(EpochEntry { epoch, start_offset });
    }

    /// The latest epoch, if any.
    pub fn latest_epoch(&self) -> Option<u32> {
        self.latest_entry().map(|entry| entry.epoch)
    }

    /// The latest entry, if any.
    pub fn latest_entry(&self) -> Option<EpochEntry> {
        self.entries.last().copied()
    }

    /// The earliest entry, if any.
    pub fn earliest_entry(&self) -> Option<EpochEntry> {
        self.entries.first().copied()
    }

    /// Kafka's `endOffsetFor(requestedEpoch, logEndOffset)`: `(epoch, end
    /// offset)` for `requested_epoch`.
    ///
    /// * the latest epoch: `(latest, log_end_offset)`;
    /// * otherwise the largest cached epoch `<= requested_epoch`, ending at the
    ///   start of the first cached epoch above `requested_epoch`;
    /// * an epoch below the first entry: `(requested_epoch, first start)`;
    /// * an empty cache, or an epoch above the latest: `None`.
    pub fn end_offset_for(&self, requested_epoch: u32, log_end_offset: u64) -> Option<(u32, u64)> {
        let latest = self.latest_entry()?;
        if latest.epoch == requested_epoch {
            return Some((requested_epoch, log_end_offset));
        }
        let higher = self.entries.iter().find(|e| e.epoch > requested_epoch)?;
        let found_epoch =
            self.entries.iter().rev().find(|e| e.epoch <= requested_epoch).map_or(requested_epoch, |floor| floor.epoch);
        Some((found_epoch, higher.start_offset))
    }

    /// Drops every entry whose start offset is `>= end_offset`, as when the
    /// log is truncated to `end_offset` (Kafka's `truncateFromEnd`).
    pub fn truncate_from_end(&mut self, end_offset: u64) {
        self.pop_while(|last| last.start_offset >= end_offset);
    }

    /// Drops the entries that start at or before `start_offset` and re-adds
    /// the last of them as starting at `start_offset`, as when the log's start
    /// moves up to `start_offset` (Kafka's `truncateFromStart`). The epoch in
    /// force at `start_offset` is kept; nothing changes when every entry starts
    /// after `start_offset`.
    pub fn truncate_from_start(&mut self, start_offset: u64) {
        let removed = self.entries.iter().take_while(|e| e.start_offset <= start_offset).count();
        let Some(in_force) = removed.checked_sub(1).and_then(|i| self.entries.get(i)) else {
            return;
        };
        let head = EpochEntry { epoch: in_force.epoch, start_offset };
        self.entries.splice(..removed, [head]);
    }

    /// Removes all entries.
    pub fn clear(&mut self) {
        self.entries.clear();
    }

    fn pop_while(&mut self, remove: impl Fn(&EpochEntry) -> bool) {
        while self.entries.last().is_some_and(&remove) {
            self.entries.pop();
        }
    }
}

/// The offset a follower must truncate its log to before copying from the
/// leader: KIP-101 with KIP-279's loop, done locally since the follower can
/// read the leader's cache directly (Kafka's
/// `AbstractFetcherThread.getOffsetTruncationState`).
///
/// 1. Ask the leader for the end of the follower's latest epoch `E`.
/// 2. The leader answers `(L, end)`, where `L` is its largest epoch `<= E`.
/// 3. If the follower's largest epoch `<= L` is `L` itself, both logs agree
///    below the end of `L`: the answer is the smallest of the leader's end,
///    the follower's own end of `L` and `follower_leo`.
/// 4. Otherwise the follower does not know `L`: it truncates to the end of its
///    largest epoch below `L` and starts again from step 1 with that epoch.
///
/// The answer never exceeds `follower_leo` or `leader_leo`. It is 0 when there
/// is no epoch to compare: the follower's cache is empty, the leader's is, or
/// the leader knows no epoch at or below the follower's (Kafka falls back to
/// the follower's high watermark there, which this function does not know;
/// a caller that does may use it instead). When the follower's epochs all
/// predate the leader's first one, the answer is the leader's first start
/// offset (or less), the point from which the leader still has records.
pub fn divergence_offset(follower: &EpochCache, follower_leo: u64, leader: &EpochCache, leader_leo: u64) -> u64 {
    let mut follower = follower.clone();
    let mut follower_leo = follower_leo;
    // Each round removes the follower's latest epoch, so this many rounds
    // always reach an answer.
    for _ in 0..=follower.entries().len() {
        let Some(requested) = follower.latest_epoch() else {
            return 0;
        };
        let Some((leader_epoch, leader_end)) = leader.end_offset_for(requested, leader_leo) else {
            return 0;
        };
        let leader_end = leader_end.min(leader_leo);
        match follower.end_offset_for(leader_epoch, follower_leo) {
            Some((epoch, follower_end)) if epoch == leader_epoch => {
                return follower_end.min(leader_end).min(follower_leo);
            }
            Some((_, follower_end)) => {
                follower_leo = follower_leo.min(follower_end);
                follower.truncate_from_end(follower_leo);
            }
            None => return leader_end.min(follower_leo),
        }
    }
    0
}

#[cfg(test)]
mod tests;

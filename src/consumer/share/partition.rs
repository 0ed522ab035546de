//! One share-partition's state (KIP-932's `SharePartition`), pure: the
//! share-partition start offset (SPSO), the next offset never acquired yet
//! (one past Kafka's end offset, SPEO), and every record in between with
//! its state, delivery count and, while acquired, its owner and lock.
//!
//! Transitions, as Kafka's `RecordState.validateTransition` allows them:
//! `AVAILABLE → ACQUIRED` (acquisition: delivery count + 1, a lock until
//! now + the lock duration); `ACQUIRED → ACKNOWLEDGED` (ACCEPT),
//! `ACQUIRED → AVAILABLE` (RELEASE, or the lock expiring), `ACQUIRED →
//! ARCHIVED` (REJECT). A record made AVAILABLE whose delivery count reached
//! the limit is ARCHIVED instead. ACKNOWLEDGED and ARCHIVED are final; the
//! start offset moves past them as soon as they lead ([`compact`]), so the
//! state holds only what is in flight. New records are acquired only while
//! fewer than `max_record_locks` offsets lie between the start offset and
//! the next offset (Kafka's `group.share.partition.max.record.locks`).
//!
//! [`compact`]: SharePartitionState::compact

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Kafka's `group.share.record.lock.duration.ms` default.
pub const DEFAULT_LOCK_DURATION_MS: u64 = 30_000;
/// Kafka's `group.share.delivery.count.limit` default.
pub const DEFAULT_DELIVERY_COUNT_LIMIT: u32 = 5;
/// Kafka's `group.share.partition.max.record.locks` default (4.1 and later).
pub const DEFAULT_MAX_RECORD_LOCKS: u64 = 2000;

/// A record's state, with Kafka's names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RecordState {
    Available,
    Acquired,
    Acknowledged,
    Archived,
}

/// How a member acknowledges a record it holds (Kafka's `AcknowledgeType`),
/// plus the gap a compacted log leaves (Kafka's type 0), archived silently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcknowledgeType {
    /// Processed: never delivered again.
    Accept,
    /// Not processed: available again (archived at the delivery limit).
    Release,
    /// Unprocessable: archived.
    Reject,
    /// No record at this offset (compaction): archived.
    Gap,
}

/// One record between the start offset and the next offset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InFlight {
    pub state: RecordState,
    /// How many times it was acquired.
    pub delivery_count: u32,
    /// The member holding it (ACQUIRED only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_id: Option<String>,
    /// When it was acquired last (ms since the epoch).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acquired_ms: Option<i64>,
    /// When the lock expires (ACQUIRED only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lock_until_ms: Option<i64>,
    /// Archived at the delivery limit and not yet written to the group's
    /// dead-letter topic: the start offset waits for it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub dead_letter: bool,
    /// How the last try of a command on it ended (`consume --share --exec`),
    /// for its dead letter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_exit: Option<crate::consumer::exec::Exit>,
}

/// The limits a share group works under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub lock_duration_ms: u64,
    pub delivery_count_limit: u32,
    pub max_record_locks: u64,
    /// Records archived at the delivery limit wait for a dead-letter write.
    pub dead_letter: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            lock_duration_ms: DEFAULT_LOCK_DURATION_MS,
            delivery_count_limit: DEFAULT_DELIVERY_COUNT_LIMIT,
            max_record_locks: DEFAULT_MAX_RECORD_LOCKS,
            dead_letter: false,
        }
    }
}

/// A record handed to a member: its offset and delivery count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Acquired {
    pub offset: u64,
    pub delivery_count: u32,
}

/// What an acknowledgement did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AckOutcome {
    /// Records whose state changed.
    pub done: usize,
    /// Offsets the member did not hold (its lock expired and they moved
    /// on): Kafka's `INVALID_RECORD_STATE`.
    pub refused: Vec<u64>,
    /// Offsets archived because they reached the delivery limit.
    pub archived: Vec<u64>,
}

/// One share-partition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharePartitionState {
    /// SPSO: every offset below it is done (acknowledged or archived).
    pub start_offset: u64,
    /// The next offset never acquired (Kafka's SPEO + 1).
    pub next_offset: u64,
    /// Every offset in `start_offset..next_offset`.
    pub records: BTreeMap<u64, InFlight>,
}

impl SharePartitionState {
    /// A share-partition starting at `offset`, nothing in flight.
    pub fn new(offset: u64) -> SharePartitionState {
        SharePartitionState { start_offset: offset, next_offset: offset, records: BTreeMap::new() }
    }

    /// Follows the log's bounds: records below a raised log start (retention,
    /// `topic trim`) are gone, and so is anything at or past a log end that
    /// moved back (an unclean election).
    pub fn align(&mut self, log_start: u64, log_end: u64) {
        if log_start > self.start_offset {
            self.records = self.records.split_off(&log_start);
            self.start_offset = log_start;
            self.next_offset = self.next_offset.max(log_start);
        }
        if log_end < self.next_offset {
            self.records.split_off(&log_end.max(self.start_offset));
            self.next_offset = log_end.max(self.start_offset);
        }
        self.compact();
    }

    /// Locks that ran out by `now_ms`: their records become available again
    /// (archived at the delivery limit). Returns the offsets archived.
    pub fn expire(&mut self, now_ms: i64, limits: &Limits) -> Vec<u64> {
        let mut archived = Vec::new();
        for (offset, r) in &mut self.records {
            let expired = r.state == RecordState::Acquired && r.lock_until_ms.is_none_or(|t| t <= now_ms);
            if expired && make_available(r, limits) {
                archived.push(*offset);
            }
        }
        self.compact();
        archived
    }

    /// Acquires at most `max` records for `member` until `now_ms` + the lock
    /// duration: available ones first (lowest offset first), then new ones
    /// below `log_end` while the in-flight window allows.
    pub fn acquire(&mut self, member: &str, now_ms: i64, limits: &Limits, log_end: u64, max: usize) -> Vec<Acquired> {
        let lock_until = now_ms.saturating_add(i64::try_from(limits.lock_duration_ms).unwrap_or(i64::MAX));
        let mut got = Vec::new();
        for (offset, r) in &mut self.records {
            if got.len() >= max {
                break;
            }
            if r.state == RecordState::Available {
                take(r, member, now_ms, lock_until);
                got.push(Acquired { offset: *offset, delivery_count: r.delivery_count });
            }
        }
        while got.len() < max
            && self.next_offset < log_end
            && self.next_offset - self.start_offset < limits.max_record_locks
        {
            let mut r = InFlight {
                state: RecordState::Available,
                delivery_count: 0,
                member_id: None,
                acquired_ms: None,
                lock_until_ms: None,
                dead_letter: false,
                last_exit: None,
            };
            take(&mut r, member, now_ms, lock_until);
            got.push(Acquired { offset: self.next_offset, delivery_count: 1 });
            self.records.insert(self.next_offset, r);
            self.next_offset += 1;
        }
        got
    }

    /// `member` acknowledges `offsets` it holds.
    pub fn acknowledge(&mut self, member: &str, offsets: &[u64], kind: AcknowledgeType, limits: &Limits) -> AckOutcome {
        let mut out = AckOutcome::default();
        for offset in offsets {
            let held = self
                .records
                .get_mut(offset)
                .filter(|r| r.state == RecordState::Acquired && r.member_id.as_deref() == Some(member));
            let Some(r) = held else {
                out.refused.push(*offset);
                continue;
            };
            out.done += 1;
            match kind {
                AcknowledgeType::Accept => finish(r, RecordState::Acknowledged),
                AcknowledgeType::Reject | AcknowledgeType::Gap => finish(r, RecordState::Archived),
                AcknowledgeType::Release => {
                    if make_available(r, limits) {
                        out.archived.push(*offset);
                    }
                }
            }
        }
        self.compact();
        out
    }

    /// Notes how a command's try on `offsets` (held by `member`) ended.
    pub fn note_exit(&mut self, member: &str, offsets: &[u64], exit: crate::consumer::exec::Exit) {
        for offset in offsets {
            if let Some(r) = self.records.get_mut(offset).filter(|r| r.member_id.as_deref() == Some(member)) {
                r.last_exit = Some(exit);
            }
        }
    }

    /// Releases every record `member` holds (a member leaving, Kafka's
    /// `releaseAcquiredRecords`). Returns the offsets archived.
    pub fn release_member(&mut self, member: &str, limits: &Limits) -> Vec<u64> {
        let held: Vec<u64> = self.held_by(member);
        self.acknowledge(member, &held, AcknowledgeType::Release, limits).archived
    }

    /// Offsets acquired by `member`.
    pub fn held_by(&self, member: &str) -> Vec<u64> {
        self.records
            .iter()
            .filter(|(_, r)| r.state == RecordState::Acquired && r.member_id.as_deref() == Some(member))
            .map(|(o, _)| *o)
            .collect()
    }

    /// Records archived at the delivery limit still waiting for their
    /// dead-letter write.
    pub fn dead_letters(&self) -> Vec<u64> {
        self.records.iter().filter(|(_, r)| r.dead_letter).map(|(o, _)| *o).collect()
    }

    /// The dead-letter writes of `offsets` are done.
    pub fn dead_lettered(&mut self, offsets: &[u64]) {
        for offset in offsets {
            if let Some(r) = self.records.get_mut(offset) {
                r.dead_letter = false;
            }
        }
        self.compact();
    }

    /// Moves the start offset past the leading acknowledged and archived
    /// records, dropping them.
    pub fn compact(&mut self) {
        while let Some(entry) = self.records.first_entry() {
            let r = entry.get();
            let done = matches!(r.state, RecordState::Acknowledged | RecordState::Archived) && !r.dead_letter;
            if *entry.key() != self.start_offset || !done {
                break;
            }
            entry.remove();
            self.start_offset += 1;
        }
        if self.records.is_empty() {
            self.start_offset = self.start_offset.max(self.next_offset);
        }
    }

    /// The earliest lock expiry, to wake for.
    pub fn next_expiry(&self) -> Option<i64> {
        self.records.values().filter(|r| r.state == RecordState::Acquired).filter_map(|r| r.lock_until_ms).min()
    }
}

fn take(r: &mut InFlight, member: &str, now_ms: i64, lock_until: i64) {
    r.state = RecordState::Acquired;
    r.delivery_count += 1;
    r.member_id = Some(member.to_string());
    r.acquired_ms = Some(now_ms);
    r.lock_until_ms = Some(lock_until);
}

fn finish(r: &mut InFlight, state: RecordState) {
    r.state = state;
    r.member_id = None;
    r.lock_until_ms = None;
}

/// ACQUIRED → AVAILABLE, or ARCHIVED at the delivery limit (true then).
fn make_available(r: &mut InFlight, limits: &Limits) -> bool {
    if r.delivery_count >= limits.delivery_count_limit {
        finish(r, RecordState::Archived);
        r.dead_letter = limits.dead_letter;
        true
    } else {
        finish(r, RecordState::Available);
        false
    }
}

#[cfg(test)]
mod tests;

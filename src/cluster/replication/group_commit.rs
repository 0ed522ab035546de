//! Cross-process group commit for one partition: a producer whose frame
//! another process's fsync already made durable exits without its own, and
//! one whose frame is not covered yet waits for the fsync in flight before
//! deciding — so eight concurrent one-message producers share a few
//! fsyncs instead of queueing eight.
//!
//! The record is a few atomic words at the start of the partition's lock
//! file (`locks/<topic>-<p>.lock`), mapped by every writer
//! ([`SharedWords`]): each append, under the partition lock, takes the next
//! *stamp* — a sequence number and a *generation* that changes whenever the
//! replicas' active segment files differ from the previous append's (a
//! roll, a reopened or replaced file, a leader or ISR change), so that every
//! append of one generation went to the same files. A syncing writer
//! (outside the partition lock) reads the latest stamp, fsyncs its files,
//! and if that stamp is of its own generation records it as durable: every
//! append of that generation up to it is in the files just synced. A writer
//! is covered when a durable stamp of its generation is at or past its own
//! (`acks=1` reads the leader's mark, `--acks all` the all-replicas one).
//! The record is only ever a shortcut: lost, zeroed or of another layout,
//! each writer syncs its own files as before. A failed fsync records the
//! latest stamp as suspect: stamps up to it are never taken as covered, so
//! their writers sync (and see the error) themselves.
//!
//! The record also counts the holds of the partition lock (`W_HOLDS`, see
//! `partition_lock`): every holder that may change the logs adds one.
//!
//! One byte lock (`F_OFD_SETLKW` on byte 0 of the lock file, independent of
//! the partition's `flock`) orders the syncing writers of a partition: a
//! writer not covered waits for the one syncing, then looks again; the lock
//! is only held across one fsync, never with the partition lock.

use std::fs::File;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::sys::range_lock;
use crate::sys::shared_words::SharedWords;

/// The record's layout version, in its first word.
const MAGIC: u64 = u64::from_le_bytes(*b"RNLGC\0\0\x01");
const SEQ_BITS: u32 = 40;
const SEQ_MASK: u64 = (1 << SEQ_BITS) - 1;
/// The largest generation; past it the record is no longer advanced.
const MAX_GENERATION: u64 = (1 << (64 - SEQ_BITS)) - 1;
/// Replicas a record describes at most; a larger replica set syncs alone.
const MAX_REPLICAS: usize = 8;

const W_MAGIC: usize = 0;
const W_APPENDED: usize = 1;
const W_DURABLE_LEADER: usize = 2;
const W_DURABLE_ALL: usize = 3;
const W_SUSPECT: usize = 4;
const W_SET_LEN: usize = 5;
/// The replica set of the latest append: broker, device, inode per replica.
const W_SET: usize = 6;
/// How many times the partition lock was taken (`partition_lock`), after
/// the replica set. Older runnel versions map the words before it only.
pub(super) const W_HOLDS: usize = W_SET + 3 * MAX_REPLICAS;
const WORDS: usize = W_HOLDS + 1;

/// The byte of the lock file whose OFD lock orders syncing writers.
const SYNC_BYTE: u64 = 0;

/// An append's place: generation and sequence number, packed so that
/// later ones compare greater.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Stamp(u64);

impl Stamp {
    fn generation(self) -> u64 {
        self.0 >> SEQ_BITS
    }

    fn seq(self) -> u64 {
        self.0 & SEQ_MASK
    }
}

/// Which replicas a sync made durable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// The leader's replica (`--acks 1`).
    Leader,
    /// Every replica appended to (`--acks all`).
    All,
}

/// One replica's active segment file: broker, device, inode.
pub type ReplicaFile = (u32, (u64, u64));

/// The shared record of one partition.
pub struct DurableMarks {
    words: SharedWords,
    file: Arc<File>,
}

impl DurableMarks {
    /// Maps the record in the partition's lock file; `None` if it cannot
    /// be mapped (the writer then syncs alone).
    pub fn map(lock_file: &Arc<File>) -> Option<DurableMarks> {
        let words = SharedWords::map(lock_file, WORDS).ok()?;
        Some(DurableMarks { words, file: Arc::clone(lock_file) })
    }

    fn word(&self, index: usize) -> Option<&AtomicU64> {
        self.words.word(index)
    }

    /// Stamps an append just made to `set` (the replicas in write order),
    /// with the partition lock held; `None` if the record cannot track it.
    pub fn record_append(&self, set: &[ReplicaFile]) -> Option<Stamp> {
        if set.len() > MAX_REPLICAS {
            return None;
        }
        let magic = self.word(W_MAGIC)?;
        match magic.load(Ordering::Acquire) {
            0 => magic.store(MAGIC, Ordering::Release),
            MAGIC => {}
            _ => return None,
        }
        let appended = self.word(W_APPENDED)?;
        let last = Stamp(appended.load(Ordering::Acquire));
        let mut generation = last.generation();
        if last.seq() >= SEQ_MASK {
            return None;
        }
        if !self.set_is(set)? {
            if generation >= MAX_GENERATION {
                return None;
            }
            generation += 1;
            self.write_set(set)?;
        }
        let stamp = Stamp((generation << SEQ_BITS) | (last.seq() + 1));
        appended.store(stamp.0, Ordering::Release);
        Some(stamp)
    }

    /// Counts a hold of the partition lock (held now) and returns the
    /// count before it; `None` if the record is of another layout.
    pub fn count_hold(&self) -> Option<u64> {
        if !matches!(self.word(W_MAGIC)?.load(Ordering::Acquire), 0 | MAGIC) {
            return None;
        }
        let holds = self.word(W_HOLDS)?;
        let before = holds.load(Ordering::Acquire);
        holds.store(before.wrapping_add(1), Ordering::Release);
        Some(before)
    }

    /// The latest append's stamp as the record holds it (0 before any):
    /// writers of this version and older ones move it at every append.
    pub fn latest_append(&self) -> Option<u64> {
        self.word(W_APPENDED).map(|w| w.load(Ordering::Acquire))
    }

    fn set_is(&self, set: &[ReplicaFile]) -> Option<bool> {
        if self.word(W_SET_LEN)?.load(Ordering::Acquire) != set.len() as u64 {
            return Some(false);
        }
        for (i, &(broker, (dev, ino))) in set.iter().enumerate() {
            let at = W_SET + 3 * i;
            let same = self.word(at)?.load(Ordering::Acquire) == u64::from(broker)
                && self.word(at + 1)?.load(Ordering::Acquire) == dev
                && self.word(at + 2)?.load(Ordering::Acquire) == ino;
            if !same {
                return Some(false);
            }
        }
        Some(true)
    }

    fn write_set(&self, set: &[ReplicaFile]) -> Option<()> {
        for (i, &(broker, (dev, ino))) in set.iter().enumerate() {
            let at = W_SET + 3 * i;
            self.word(at)?.store(u64::from(broker), Ordering::Release);
            self.word(at + 1)?.store(dev, Ordering::Release);
            self.word(at + 2)?.store(ino, Ordering::Release);
        }
        self.word(W_SET_LEN)?.store(set.len() as u64, Ordering::Release);
        Some(())
    }

    fn durable_word(&self, reach: Reach) -> Option<&AtomicU64> {
        self.word(match reach {
            Reach::Leader => W_DURABLE_LEADER,
            Reach::All => W_DURABLE_ALL,
        })
    }

    /// Whether an fsync already made the append `stamp` durable as far as
    /// `reach` asks.
    pub fn covered(&self, stamp: Stamp, reach: Reach) -> bool {
        let (Some(durable), Some(suspect)) = (self.durable_word(reach), self.word(W_SUSPECT)) else {
            return false;
        };
        if stamp.seq() <= suspect.load(Ordering::Acquire) {
            return false;
        }
        let durable = Stamp(durable.load(Ordering::Acquire));
        durable.generation() == stamp.generation() && durable.seq() >= stamp.seq()
    }

    /// What a sync of the files of `stamp`'s append, starting now, makes
    /// durable: every append of its generation so far (read before the
    /// fsync), or only `stamp` if the files changed since.
    pub fn vouch_from(&self, stamp: Stamp) -> Stamp {
        let latest = self.word(W_APPENDED).map_or(stamp, |w| Stamp(w.load(Ordering::Acquire)));
        if latest.generation() == stamp.generation() && latest >= stamp { latest } else { stamp }
    }

    /// Records that a sync of `reach` made everything up to `vouched` durable.
    pub fn advance(&self, reach: Reach, vouched: Stamp) {
        if let Some(w) = self.durable_word(Reach::Leader) {
            w.fetch_max(vouched.0, Ordering::AcqRel);
        }
        if reach == Reach::All
            && let Some(w) = self.durable_word(Reach::All)
        {
            w.fetch_max(vouched.0, Ordering::AcqRel);
        }
    }

    /// Records that an fsync failed: no append so far is taken as covered.
    pub fn suspect(&self) {
        if let (Some(appended), Some(suspect)) = (self.word(W_APPENDED), self.word(W_SUSPECT)) {
            suspect.fetch_max(appended.load(Ordering::Acquire) & SEQ_MASK, Ordering::AcqRel);
        }
    }

    /// Waits for the writer syncing this partition, if one is, and takes
    /// the turn; `None` if the lock cannot be taken (then sync anyway).
    pub fn wait_turn(&self) -> Option<SyncTurn> {
        range_lock::lock_wait(&self.file, SYNC_BYTE).ok()?;
        Some(SyncTurn { file: Arc::clone(&self.file) })
    }

    /// Takes the turn only if no writer is syncing this partition.
    pub fn try_turn(&self) -> Option<SyncTurn> {
        range_lock::try_lock(&self.file, SYNC_BYTE)
            .ok()
            .filter(|&taken| taken)
            .map(|_| SyncTurn { file: Arc::clone(&self.file) })
    }
}

/// The turn to sync a partition; released on drop.
pub struct SyncTurn {
    file: Arc<File>,
}

impl Drop for SyncTurn {
    fn drop(&mut self) {
        let _ = range_lock::unlock(&self.file, SYNC_BYTE);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marks(path: &std::path::Path) -> DurableMarks {
        let file = std::fs::OpenOptions::new().read(true).write(true).create(true).truncate(false).open(path);
        DurableMarks::map(&Arc::new(file.expect("open"))).expect("map")
    }

    #[test]
    fn a_sync_covers_the_appends_of_its_generation_before_it_and_no_other() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("p.lock");
        let (a, b) = (marks(&path), marks(&path));
        let files = [(1, (7, 100)), (0, (7, 200))];
        let first = a.record_append(&files).expect("stamp");
        let second = b.record_append(&files).expect("stamp");
        assert!(!a.covered(first, Reach::Leader) && !b.covered(second, Reach::All));
        // `a` syncs, having read the latest stamp first: both are covered.
        let vouched = a.vouch_from(first);
        assert_eq!(vouched, second);
        a.advance(Reach::All, vouched);
        assert!(b.covered(first, Reach::All) && b.covered(second, Reach::All) && b.covered(second, Reach::Leader));
        let third = a.record_append(&files).expect("stamp");
        assert!(!b.covered(third, Reach::Leader));
        // A leader-only sync does not cover an append that asks for all.
        b.advance(Reach::Leader, b.vouch_from(third));
        assert!(a.covered(third, Reach::Leader) && !a.covered(third, Reach::All));
        // A new segment (another inode): a new generation, which older
        // stamps never vouch for and which never covers older stamps.
        let rolled = b.record_append(&[(1, (7, 100)), (0, (7, 201))]).expect("stamp");
        assert_eq!(a.vouch_from(third), third, "the files changed since `third`");
        a.advance(Reach::All, rolled);
        assert!(a.covered(rolled, Reach::All));
        let fourth_old = Stamp((third.generation() << SEQ_BITS) | rolled.seq());
        assert!(!a.covered(fourth_old, Reach::All));
        // A failed fsync: nothing appended so far counts as covered.
        b.suspect();
        assert!(!a.covered(rolled, Reach::All));
        let next = a.record_append(&[(1, (7, 100)), (0, (7, 201))]).expect("stamp");
        a.advance(Reach::All, next);
        assert!(b.covered(next, Reach::All));
    }

    #[test]
    fn a_foreign_record_is_left_alone() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("p.lock");
        std::fs::write(&path, [0xffu8; 16]).expect("write");
        assert!(marks(&path).record_append(&[(0, (1, 2))]).is_none());
    }

    #[test]
    fn one_turn_at_a_time_across_descriptions() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("p.lock");
        let (a, b) = (marks(&path), marks(&path));
        let turn = a.wait_turn().expect("turn");
        assert!(b.try_turn().is_none());
        drop(turn);
        assert!(b.try_turn().is_some());
    }

    /// A frame of one record.
    fn frame() -> crate::store::FrameBuilder {
        let mut f = crate::store::FrameBuilder::new();
        f.push(&crate::store::RecordParts {
            timestamp: 1,
            key: None,
            value: Some(b"v"),
            headers: &[],
            header_count: 0,
        });
        f
    }

    /// A data dir of `replicas` brokers with topic `t` of `partitions`, each
    /// on every broker.
    fn topic_of(
        partitions: u32,
        replicas: u32,
    ) -> (tempfile::TempDir, crate::cluster::Cluster, crate::cluster::TopicMeta) {
        use crate::cluster::{Cluster, TopicSpec};
        let dir = tempfile::tempdir().expect("tempdir");
        let (cluster, _) = Cluster::init(dir.path(), replicas, std::time::Duration::from_secs(5)).expect("cluster");
        let spec = TopicSpec { name: "t".into(), partitions, replication_factor: replicas, config: Vec::new() };
        let topic = cluster.create_topic(&spec).expect("topic");
        (dir, cluster, topic)
    }

    #[test]
    fn a_writer_whose_append_another_process_synced_skips_its_own_fsync() {
        use crate::cluster::replication::partition_writer::{Acks, PartitionWriter, SyncStep};
        let (_dir, cluster, topic) = topic_of(1, 1);
        // Two writers, as two processes have: each its own lock file description.
        let mut a = PartitionWriter::new(&cluster, &topic, 0, Acks::All).expect("writer");
        let mut b = PartitionWriter::new(&cluster, &topic, 0, Acks::All).expect("writer");
        a.append(&mut frame()).expect("append");
        b.append(&mut frame()).expect("append");
        a.sync().expect("sync");
        assert!(matches!(b.begin_sync(true).expect("sync"), SyncStep::Done), "a's fsync covered b's frame");
        b.append(&mut frame()).expect("append");
        assert!(matches!(b.begin_sync(true).expect("sync"), SyncStep::Sync(_)), "b's new frame is not covered");
    }

    /// Writers synced together, three replicas each: each records what its
    /// fsyncs made durable on all of them (another writer's earlier frame
    /// on the same partition is covered for `--acks all`) and has its
    /// segment files closed; an append after that reopens them and goes on
    /// at the log end.
    #[test]
    fn writers_synced_together_record_their_syncs_and_close_their_segments() {
        use crate::cluster::replication::partition_writer::{Acks, PartitionWriter, SyncStep, sync_and_close_writers};
        let (_dir, cluster, topic) = topic_of(3, 3);
        let mut other = PartitionWriter::new(&cluster, &topic, 0, Acks::All).expect("writer");
        other.append(&mut frame()).expect("append");
        let mut writers: Vec<PartitionWriter> =
            (0..3).map(|p| PartitionWriter::new(&cluster, &topic, p, Acks::All).expect("writer")).collect();
        for writer in &mut writers {
            writer.append(&mut frame()).expect("append");
        }
        sync_and_close_writers(writers.iter_mut().collect()).expect("synced");
        assert!(writers.iter().all(|w| w.replicas.is_empty()), "segment files closed");
        assert!(matches!(other.begin_sync(true).expect("sync"), SyncStep::Done), "covered by the fsync of partition 0");
        let again = writers[0].append(&mut frame()).expect("append after closing");
        assert_eq!(again.base_offset, 2);
        let again = writers[2].append(&mut frame()).expect("append after closing");
        assert_eq!(again.base_offset, 1);
    }
}

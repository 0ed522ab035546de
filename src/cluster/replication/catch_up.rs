//! Bringing an out-of-sync replica back in line with its leader, Kafka's
//! way: cut the replica's log where it diverges from the leader's by the
//! leader-epoch rule (KIP-101 / KIP-279, [`divergence_offset`]) — not to the
//! high watermark, which can drop acknowledged records or keep records of a
//! deposed leader — and cut its last frame too if the leader does not hold
//! that very frame (followers are written before the leader, so a writer
//! killed in between leaves a frame of the *current* epoch that the epochs
//! cannot tell from the leader's), then copy the frames it lacks. A replica
//! whose folder is gone (a lost disk) is recreated and filled from the
//! leader's first offset.
//!
//! The caller holds the partition's writer lock and has made sure nobody
//! else writes the replica (it is out of the ISR, or its broker is down).

use std::path::Path;

use crate::cluster::replication::replica_epochs::{leader_cache, replica_epochs};
use crate::cluster::replication::replica_marker::write_partition_marker;
use crate::cluster::replication::replica_sync::copy_from;
use crate::cluster::rules::epoch_cache::divergence_offset;
use crate::error::Result;
use crate::store::{FrameHeader, Log, LogConfig, LogReader, PersistMode, holds_log, unrecorded_front_gap};

/// The leader a replica catches up from.
#[derive(Debug, Clone, Copy)]
pub struct LeaderSource<'a> {
    pub dir: &'a Path,
    /// The partition's current leader epoch.
    pub leader_epoch: u32,
}

/// What catching one replica up did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CatchUp {
    /// The replica's folder held no log and was created afresh.
    pub rebuilt: bool,
    /// The log end offset before and after the divergence truncation, when
    /// something was cut.
    pub truncated: Option<(u64, u64)>,
    pub frames_copied: u64,
    pub records_copied: u64,
    /// The replica's log end offset afterwards (the leader's).
    pub end_offset: u64,
}

/// Truncates the replica in `dir` to its divergence point with the leader,
/// copies the rest from the leader and makes it durable. `on_frame` sees
/// each copied frame (for progress).
pub fn catch_up(
    dir: &Path,
    leader: LeaderSource<'_>,
    config: LogConfig,
    topic_id: &str,
    on_frame: impl FnMut(&FrameHeader),
) -> Result<CatchUp> {
    let mut outcome = CatchUp::default();
    let leader_epochs = leader_cache(leader.dir, leader.leader_epoch)?;
    let holds = holds_log(dir)?;
    let mut log = if !holds || lost_its_front(dir, leader_epochs.start_offset)? {
        if holds {
            // Segments at its front are gone (not trimmed, not retained
            // away): rebuilt whole from the leader, like a lost disk.
            let (mut broken, _) = Log::open(dir, config, 0)?;
            broken.restart_at(leader_epochs.start_offset)?;
        }
        outcome.rebuilt = true;
        let (log, _) = Log::open(dir, config, leader_epochs.start_offset)?;
        write_partition_marker(dir, topic_id)?;
        log
    } else {
        // Opening cuts a torn tail, so the epochs below see whole frames only.
        let (log, _) = Log::open(dir, config, 0)?;
        let own = replica_epochs(dir)?;
        let keep = divergence_offset(&own.cache, own.end_offset, &leader_epochs.cache, leader_epochs.end_offset);
        let mut log = log;
        let from = log.next_offset();
        if from > keep {
            outcome.truncated = Some((from, log.truncate_to(keep)?));
        }
        // The epochs cannot see a frame of the leader's current epoch that a
        // writer killed between the followers and the leader left on this
        // replica only: followers are written first. Such a frame is always
        // the replica's last (writers level the in-sync followers before
        // each append, and a replica out of the ISR is written by nobody);
        // when the leader's later frames end at the same offset, nothing
        // else would replace it. Cut it unless the leader holds it too.
        if let Some(base) =
            last_frame_unknown_to_leader(dir, leader.dir, leader_epochs.start_offset, log.next_offset())?
        {
            outcome.truncated = Some((from, log.truncate_to(base)?));
        }
        log
    };
    let copied = copy_from(&mut log, leader.dir, leader_epochs.start_offset, leader_epochs.end_offset, on_frame)?;
    log.sync(PersistMode::SyncData)?;
    outcome.frames_copied = copied.frames;
    outcome.records_copied = copied.records;
    outcome.end_offset = log.next_offset();
    Ok(outcome)
}

/// Whether the replica in `dir` lost segments at its front that the leader
/// still holds ([`unrecorded_front_gap`]).
fn lost_its_front(dir: &Path, leader_start: u64) -> Result<bool> {
    Ok(unrecorded_front_gap(dir)?.is_some_and(|(_, first)| leader_start < first))
}

/// The base offset of the replica's last frame (the one ending at `end`)
/// if the leader does not hold that same frame, checksum and all.
fn last_frame_unknown_to_leader(dir: &Path, leader_dir: &Path, leader_start: u64, end: u64) -> Result<Option<u64>> {
    if end <= leader_start {
        return Ok(None);
    }
    let mut own = LogReader::open(dir, end - 1)?;
    let Some(mine) = own.next_frame()?.map(|f| f.header) else {
        return Ok(None);
    };
    let mut leader = LogReader::open(leader_dir, mine.base_offset)?;
    let theirs = leader.next_frame()?.map(|f| f.header);
    Ok((theirs != Some(mine)).then_some(mine.base_offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::store::append_epoch_frame as append;

    fn epochs_of(dir: &Path) -> Vec<(u64, u32)> {
        let mut reader = crate::store::LogReader::open(dir, 0).expect("reader");
        let mut out = Vec::new();
        while let Some(f) = reader.next_frame().expect("frame") {
            out.push((f.header.base_offset, f.header.leader_epoch));
        }
        out
    }

    // KIP-101 scenario 2: the follower's epoch-0 tail beyond where the
    // leader's epoch 0 ended is cut, then the leader's epoch-1 frames copied.
    #[test]
    fn divergent_tail_is_cut_by_epoch_then_filled() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let (ld, fd) = (tmp.path().join("l"), tmp.path().join("f"));
        let (mut leader, _) = Log::open(&ld, LogConfig::default(), 0).expect("open");
        let (mut follower, _) = Log::open(&fd, LogConfig::default(), 0).expect("open");
        append(&mut leader, 0, 2);
        append(&mut follower, 0, 2);
        append(&mut follower, 0, 3); // never reached the leader
        append(&mut leader, 1, 1);
        append(&mut leader, 1, 1);
        drop(follower);
        let source = LeaderSource { dir: &ld, leader_epoch: 1 };
        let out = catch_up(&fd, source, LogConfig::default(), "t", |_| {}).expect("catch up");
        assert_eq!(out.truncated, Some((5, 2)));
        assert_eq!((out.frames_copied, out.records_copied, out.end_offset), (2, 2, 4));
        assert_eq!(epochs_of(&fd), epochs_of(&ld));
    }

    #[test]
    fn a_replica_that_agrees_keeps_its_log() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let (ld, fd) = (tmp.path().join("l"), tmp.path().join("f"));
        let (mut leader, _) = Log::open(&ld, LogConfig::default(), 0).expect("open");
        let (mut follower, _) = Log::open(&fd, LogConfig::default(), 0).expect("open");
        for log in [&mut leader, &mut follower] {
            append(log, 0, 3);
        }
        append(&mut leader, 2, 3);
        drop(follower);
        let source = LeaderSource { dir: &ld, leader_epoch: 3 };
        let out = catch_up(&fd, source, LogConfig::default(), "t", |_| {}).expect("catch up");
        assert_eq!(out.truncated, None);
        assert_eq!((out.frames_copied, out.end_offset), (1, 6));
    }

    // The follower led epoch 1 and wrote a frame nobody copied; the leader
    // of epoch 2 has written nothing yet, so its frames all carry epoch 0.
    // Its current epoch, recorded at its log end, lets the follower find
    // where epoch 0 ended instead of starting over from 0.
    #[test]
    fn an_epoch_the_leader_never_wrote_in_is_cut_at_the_leaders_end() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let (ld, fd) = (tmp.path().join("l"), tmp.path().join("f"));
        let (mut leader, _) = Log::open(&ld, LogConfig::default(), 0).expect("open");
        let (mut follower, _) = Log::open(&fd, LogConfig::default(), 0).expect("open");
        for log in [&mut leader, &mut follower] {
            append(log, 0, 4);
        }
        append(&mut follower, 1, 2);
        drop(follower);
        let source = LeaderSource { dir: &ld, leader_epoch: 2 };
        let out = catch_up(&fd, source, LogConfig::default(), "t", |_| {}).expect("catch up");
        assert_eq!(out.truncated, Some((6, 4)));
        assert_eq!((out.frames_copied, out.end_offset), (0, 4));
    }

    // A writer killed after this follower and before the leader left it a
    // frame of the current epoch; the leader then wrote another frame ending
    // at the same offset. The epochs agree: only the frames tell them apart.
    #[test]
    fn a_last_frame_the_leader_never_had_is_replaced_even_in_the_same_epoch() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let (ld, fd) = (tmp.path().join("l"), tmp.path().join("f"));
        let (mut leader, _) = Log::open(&ld, LogConfig::default(), 0).expect("open");
        let (mut follower, _) = Log::open(&fd, LogConfig::default(), 0).expect("open");
        for log in [&mut leader, &mut follower] {
            append(log, 0, 3);
        }
        crate::store::append_frame(&mut follower, &[b"killed"], 1, 0);
        crate::store::append_frame(&mut leader, &[b"acked"], 1, 0);
        drop(follower);
        let source = LeaderSource { dir: &ld, leader_epoch: 0 };
        let out = catch_up(&fd, source, LogConfig::default(), "t", |_| {}).expect("catch up");
        assert_eq!(out.truncated, Some((4, 3)));
        assert_eq!((out.frames_copied, out.end_offset), (1, 4));
        let last = |d: &Path| {
            let mut r = crate::store::LogReader::open(d, 3).expect("reader");
            r.next_frame().expect("frame").map(|f| f.bytes.to_vec())
        };
        assert_eq!(last(&fd), last(&ld));
        // A replica that holds the leader's very frame keeps it.
        let again = catch_up(&fd, source, LogConfig::default(), "t", |_| {}).expect("catch up");
        assert_eq!((again.truncated, again.frames_copied), (None, 0));
    }

    #[test]
    fn a_missing_folder_is_rebuilt_from_the_leader() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let (ld, fd) = (tmp.path().join("l"), tmp.path().join("gone/f"));
        let (mut leader, _) = Log::open(&ld, LogConfig::default(), 0).expect("open");
        append(&mut leader, 0, 3);
        append(&mut leader, 1, 3);
        let source = LeaderSource { dir: &ld, leader_epoch: 1 };
        let out = catch_up(&fd, source, LogConfig::default(), "tid", |_| {}).expect("catch up");
        assert!(out.rebuilt);
        assert_eq!((out.frames_copied, out.records_copied, out.end_offset), (2, 6, 6));
        assert!(fd.join(crate::cluster::replication::replica_marker::PARTITION_METADATA).exists());
        assert_eq!(epochs_of(&fd), epochs_of(&ld));
    }
}

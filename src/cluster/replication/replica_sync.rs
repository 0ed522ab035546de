//! Levelling the in-sync replicas of a partition, under its writer lock:
//! [`level_all`] makes every in-sync replica end at the same offset without
//! ever cutting one below what another in-sync replica holds (replicas are
//! evidence: a leader that lost frames its followers hold takes them back
//! from them), [`level_with`] makes one follower end exactly where its
//! leader ends, and [`copy_from`] appends the frames a replica lacks,
//! reading the source folder read-only. Frames are copied verbatim, keeping
//! their offsets and leader epochs.

use std::path::Path;

use crate::error::{Error, Reason, Result};
use crate::store::{FrameHeader, Log, LogReader, cleaner_offset_checkpoint, log_start_checkpoint};

/// What reconciling a follower did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SyncOutcome {
    pub truncated_from: Option<u64>,
    pub copied: u64,
}

/// Frames and records [`copy_from`] appended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Copied {
    pub frames: u64,
    pub records: u64,
}

/// Where every in-sync replica must end, given the leader's end, the
/// followers': the largest of them all. No in-sync replica is ever
/// cut below what another validly holds. Frames some followers hold beyond
/// the leader are either what a writer killed after those followers and
/// before the leader left (never acknowledged: Kafka lets an unacknowledged
/// record appear, so taking it up loses nothing and duplicates nothing), or
/// frames the leader lost (a last frame cut or emptied, a deleted segment),
/// acknowledged perhaps — and the two cannot be told apart on disk when only
/// one follower holds one frame more. So the leader always takes them up.
pub fn level_target(leader_end: u64, follower_ends: &[u64]) -> u64 {
    follower_ends.iter().copied().fold(leader_end, u64::max)
}

/// What [`level_all`] did to the leader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Levelled {
    /// The leader's end before it took frames from a follower, if it did.
    pub leader_raised_from: Option<u64>,
    pub leader_end: u64,
}

/// Levels the in-sync replicas of a partition: the leader is first raised to
/// [`level_target`] from the follower holding the most, then every follower
/// is levelled with it ([`level_with`]).
pub fn level_all(leader: &mut Log, followers: &mut [&mut Log]) -> Result<Levelled> {
    let ends: Vec<u64> = followers.iter().map(|f| f.next_offset()).collect();
    let target = level_target(leader.next_offset(), &ends);
    let mut out = Levelled { leader_raised_from: None, leader_end: leader.next_offset() };
    if target > leader.next_offset() {
        // A source that holds everything from the leader's end to the target.
        let mut source = None;
        for f in followers.iter() {
            if f.next_offset() >= target && f.start_offset()? <= leader.next_offset() {
                source = Some(f);
                break;
            }
        }
        let Some(source) = source else {
            return Err(Error::corrupt(
                leader.dir(),
                0,
                format!(
                    "the leader's log ends at offset {}, below the offset {target} its in-sync replicas hold, \
                     and none of them holds every offset in between",
                    leader.next_offset()
                ),
            ));
        };
        out.leader_raised_from = Some(leader.next_offset());
        copy_from(leader, source.dir(), source.start_offset()?, target, |_| {})?;
        out.leader_end = leader.next_offset();
    }
    for follower in followers.iter_mut() {
        if follower.next_offset() != leader.next_offset() {
            level_with(follower, leader, |_| {})?;
        }
    }
    Ok(out)
}

/// How many frames the replica in `dir` holds from offset `from` up to
/// `until`, counting no further than two. Writers write each frame to the
/// followers and then to the leader, so a follower holds at most one frame
/// its leader lacks (a writer killed between them); two or more prove the
/// leader lost frames.
pub fn frames_beyond(dir: &Path, from: u64, until: u64) -> Result<usize> {
    let mut reader = LogReader::open(dir, from)?;
    let mut frames = 0;
    while frames < 2
        && let Some(frame) = reader.next_frame()?
    {
        if frame.header.base_offset >= until {
            break;
        }
        frames += 1;
    }
    Ok(frames)
}

/// Makes `follower` end exactly where `leader` ends.
pub fn level_with(follower: &mut Log, leader: &Log, mut on_progress: impl FnMut(u64)) -> Result<SyncOutcome> {
    let mut outcome = SyncOutcome::default();
    let target = leader.next_offset();
    if follower.next_offset() > target {
        outcome.truncated_from = Some(follower.next_offset());
        follower.truncate_to(target)?;
    }
    let copied = copy_from(follower, leader.dir(), leader.start_offset()?, target, |h| on_progress(h.next_offset()))?;
    outcome.copied = copied.records;
    Ok(outcome)
}

/// Appends to `follower` the leader's frames from the follower's end up to
/// `until` (the leader's end as the caller saw it). The leader's folder is
/// only read, so this is safe while a writer appends to it. A follower that
/// ends before `leader_start` (the leader deleted older segments) restarts
/// empty at `leader_start`; a follower frame that straddles a leader frame
/// boundary is cut and the leader's frame copied whole. `on_frame` sees each
/// copied frame's header.
pub fn copy_from(
    follower: &mut Log,
    leader_dir: &Path,
    leader_start: u64,
    until: u64,
    on_frame: impl FnMut(&FrameHeader),
) -> Result<Copied> {
    let copied = copy_frames(follower, leader_dir, leader_start, until, on_frame)?;
    // A `topic trim` on the leader holds for its copies too.
    if let Some(start) = log_start_checkpoint(leader_dir)? {
        follower.advance_log_start(start)?;
    }
    Ok(copied)
}

fn copy_frames(
    follower: &mut Log,
    leader_dir: &Path,
    leader_start: u64,
    until: u64,
    mut on_frame: impl FnMut(&FrameHeader),
) -> Result<Copied> {
    let mut copied = Copied::default();
    let mut last_restart = None;
    let mut leader_reach = None;
    'reopen: loop {
        if follower.next_offset() >= until {
            return Ok(copied);
        }
        if follower.next_offset() < leader_start {
            follower.restart_at(leader_start)?;
        }
        let from = follower.next_offset();
        if last_restart == Some(from) {
            return Err(Error::corrupt(
                leader_dir,
                0,
                format!("the leader's log has no frame starting at offset {from}"),
            )
            .because(Reason::LeaderLogGap { dir: leader_dir.to_path_buf(), offset: from }));
        }
        last_restart = Some(from);
        let mut reader = LogReader::open(leader_dir, from)?;
        while let Some(frame) = reader.next_frame()? {
            let header = frame.header;
            if header.base_offset >= until {
                return Ok(copied);
            }
            if header.base_offset < follower.next_offset() {
                // The leader's frame straddles the follower's end: re-copy it whole.
                follower.truncate_to(header.base_offset)?;
                if header.base_offset != follower.next_offset() {
                    // The follower's frames are cut differently: read again from its new end.
                    continue 'reopen;
                }
            }
            // A frame above the follower's end is a gap in the leader's log
            // (compaction): the copy keeps the same gap, and marks it as
            // compaction's (below its `cleaner-offset`) before it has it.
            if header.base_offset > follower.next_offset() {
                let reach = match leader_reach {
                    Some(reach) => reach,
                    None => *leader_reach.insert(cleaner_offset_checkpoint(leader_dir)?.unwrap_or(0)),
                };
                follower.allow_gaps_below(header.base_offset.max(reach))?;
            }
            follower.append_copied(frame.bytes, &header)?;
            copied.frames += 1;
            copied.records += u64::from(header.record_count);
            on_frame(&header);
        }
        return Ok(copied);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::LogConfig;

    use crate::store::append_epoch_frame as append;

    #[test]
    fn level_cuts_a_longer_follower_and_fills_a_shorter_one() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (mut leader, _) = Log::open(&dir.path().join("l"), LogConfig::default(), 0).expect("open");
        let (mut follower, _) = Log::open(&dir.path().join("f"), LogConfig::default(), 0).expect("open");
        append(&mut leader, 0, 2);
        append(&mut follower, 0, 2);
        append(&mut follower, 0, 3);
        let out = level_with(&mut follower, &leader, |_| {}).expect("level");
        assert_eq!(out, SyncOutcome { truncated_from: Some(5), copied: 0 });
        assert_eq!(follower.next_offset(), 2);
        append(&mut leader, 0, 4);
        let out = level_with(&mut follower, &leader, |_| {}).expect("level");
        assert_eq!(out, SyncOutcome { truncated_from: None, copied: 4 });
        assert_eq!(follower.next_offset(), 6);
    }

    #[test]
    fn the_target_is_never_below_what_another_replica_holds() {
        assert_eq!(level_target(10, &[10, 10]), 10);
        assert_eq!(level_target(10, &[12, 10]), 12, "one follower alone ahead is taken up, never cut");
        assert_eq!(level_target(10, &[12, 12]), 12, "two followers ahead: the leader lost frames");
        assert_eq!(level_target(10, &[15, 12]), 15);
        assert_eq!(level_target(10, &[4, 7]), 10);
        assert_eq!(level_target(10, &[]), 10);
        assert_eq!(level_target(10, &[12]), 12);
        assert_eq!(level_target(10, &[15]), 15, "the leader's index proves it lost frames");
        assert_eq!(level_target(10, &[15, 12]), 15);
        assert_eq!(level_target(10, &[15]), 15);
    }

    #[test]
    fn a_leader_that_lost_frames_two_followers_hold_takes_them_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        let open = |name: &str| Log::open(&dir.path().join(name), LogConfig::default(), 0).expect("open").0;
        let (mut leader, mut f1, mut f2) = (open("l"), open("f1"), open("f2"));
        for log in [&mut leader, &mut f1, &mut f2] {
            append(log, 0, 2);
        }
        // One frame each beyond the leader: a writer killed after both
        // followers, or a lost last frame; either way the leader takes it.
        for log in [&mut f1, &mut f2] {
            append(log, 0, 3);
        }
        let out = level_all(&mut leader, &mut [&mut f1, &mut f2]).expect("level");
        assert_eq!(out, Levelled { leader_raised_from: Some(2), leader_end: 5 });
        assert_eq!((leader.next_offset(), f1.next_offset(), f2.next_offset()), (5, 5, 5));
    }

    #[test]
    fn a_follower_ahead_of_its_leader_is_never_cut() {
        let dir = tempfile::tempdir().expect("tempdir");
        let open = |name: &str| Log::open(&dir.path().join(name), LogConfig::default(), 0).expect("open").0;
        let (mut leader, mut follower) = (open("l"), open("f"));
        append(&mut leader, 0, 2);
        append(&mut follower, 0, 2);
        // One frame ahead: a killed writer's, or the leader's lost last frame.
        append(&mut follower, 0, 3);
        let out = level_all(&mut leader, &mut [&mut follower]).expect("level");
        assert_eq!(out, Levelled { leader_raised_from: Some(2), leader_end: 5 }, "taken up, never cut");
        assert_eq!(follower.next_offset(), 5);
    }

    #[test]
    fn a_follower_behind_the_leaders_start_restarts_there() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (mut leader, _) = Log::open(&dir.path().join("l"), LogConfig::default(), 10).expect("open");
        let (mut follower, _) = Log::open(&dir.path().join("f"), LogConfig::default(), 0).expect("open");
        append(&mut follower, 0, 3);
        append(&mut leader, 1, 2);
        let copied = copy_from(&mut follower, &dir.path().join("l"), 10, 12, |_| {}).expect("copy");
        assert_eq!(copied, Copied { frames: 1, records: 2 });
        assert_eq!((follower.start_offset().expect("start"), follower.next_offset()), (10, 12));
        assert_eq!(crate::store::segment_bases(&dir.path().join("f")), vec![10]);
    }

    #[test]
    fn a_compacted_leader_is_copied_with_its_gaps() {
        let dir = tempfile::tempdir().expect("tempdir");
        let small = LogConfig { segment_bytes: 1024, ..LogConfig::default() };
        let (mut leader, _) = Log::open(&dir.path().join("l"), small, 0).expect("open");
        for i in 0..40u32 {
            let key = format!("k{}", i % 3);
            crate::store::append_keyed(&mut leader, key.as_bytes(), Some("v".repeat(100).as_bytes()), 1);
        }
        let end = leader.next_offset();
        let policy = crate::store::CompactPolicy::default();
        assert!(leader.compact(&policy, 10, end).expect("compact").records_removed > 0);
        let (mut follower, _) = Log::open(&dir.path().join("f"), small, 0).expect("open");
        level_with(&mut follower, &leader, |_| {}).expect("level");
        assert_eq!(follower.next_offset(), end);
        let offsets = |d: &Path| {
            let mut r = LogReader::open(d, 0).expect("reader");
            let mut out = Vec::new();
            while let Some(f) = r.next_frame().expect("frame") {
                out.push(f.header.base_offset);
            }
            out
        };
        assert_eq!(offsets(&dir.path().join("f")), offsets(&dir.path().join("l")));
    }
}

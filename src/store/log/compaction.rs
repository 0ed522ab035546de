//! Compaction (`cleanup.policy=compact`): closed segments are rewritten
//! keeping only the latest record of each key, offsets preserved (gaps are
//! allowed, as in Kafka). A tombstone (null value) that is the latest of its
//! key stays at least `delete.retention.ms` after the pass that first keeps
//! it (Kafka's KIP-534 delete horizon: that pass stamps its frame with
//! now + `delete.retention.ms`, and a later pass past the horizon removes
//! it), whatever its own timestamp, so a lagging reader sees the delete even
//! of a replayed or mirrored old tombstone. Segments holding
//! a record younger than `min.compaction.lag.ms` (and all after them) are
//! left alone, as are the active segment and anything above the high
//! watermark. Records without a key (refused by producers on compacted
//! topics, but possibly written before the policy changed) are kept.
//!
//! Crash safety, per segment: the new `.log`, `.index` and `.timeindex`
//! are written as `<base>.<ext>.cleaned` and fsynced; renaming
//! `<base>.log.cleaned` to `<base>.log.swap` (then fsyncing the folder) is
//! the commit point; then the indexes and the log are renamed over the old
//! files and the folder fsynced. `segment::swap::recover_leftovers` (run by
//! `Log::open` and before each pass) completes a committed swap and deletes uncommitted
//! `.cleaned` files. Readers that opened the old file keep reading it; a
//! segment is either wholly old or wholly new, and either holds every key's
//! latest value.

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::Path;

use super::Log;
use super::checkpoint::{self, CLEANER};
use super::policy::{CompactPolicy, Compacted, SegmentInfo};
use crate::error::{Error, IoContext, Result};
use crate::store::frame::{Frame, FrameBuilder, RecordParts};
use crate::store::segment::cursor::{DamagePolicy, FrameCursor, Problem, Step};
use crate::store::segment::index::IndexPolicy;
use crate::store::segment::swap::{CLEANED, SWAP, recover_leftovers, side_path};
use crate::store::segment::{self, INDEX_EXT, LOG_EXT, TIME_INDEX_EXT};
use crate::sys::fs::open_regular;
use crate::sys::fs::sync_dir;

impl Log {
    /// The closed segments below the high watermark whose records are all
    /// older than `min.compaction.lag.ms`.
    pub fn cleanable_segments(&self, policy: &CompactPolicy, now_ms: i64, hw: u64) -> Result<Vec<SegmentInfo>> {
        let mut out = Vec::new();
        for info in self.closed_segments()? {
            if info.next_base > hw {
                break;
            }
            if policy.min_compaction_lag_ms > 0
                && now_ms.saturating_sub(self.segment_max_timestamp(info.base)?) < policy.min_compaction_lag_ms
            {
                break;
            }
            out.push(info);
        }
        Ok(out)
    }

    /// Whether a pass is worth it while appending: the segments written
    /// since the last pass are at least as large as those it compacted
    /// (Kafka's `min.cleanable.dirty.ratio` of 0.5).
    pub fn compaction_due(&self, policy: &CompactPolicy, now_ms: i64, hw: u64) -> Result<bool> {
        let cleaned_to = checkpoint::read(self.dir(), CLEANER)?.unwrap_or(0);
        let segments = self.cleanable_segments(policy, now_ms, hw)?;
        let dirty: u64 = segments.iter().filter(|s| s.base >= cleaned_to).map(|s| s.size).sum();
        let clean: u64 = segments.iter().filter(|s| s.base < cleaned_to).map(|s| s.size).sum();
        Ok(dirty > 0 && dirty >= clean)
    }

    /// Compacts every cleanable segment. The caller holds the writer lock.
    pub fn compact(&mut self, policy: &CompactPolicy, now_ms: i64, hw: u64) -> Result<Compacted> {
        let dir = self.dir().to_path_buf();
        recover_leftovers(&dir)?;
        let segments = self.cleanable_segments(policy, now_ms, hw)?;
        let mut out = Compacted::default();
        let Some(last) = segments.last() else { return Ok(out) };
        let mut latest: HashMap<Vec<u8>, u64> = HashMap::new();
        for info in &segments {
            for_each_frame(&segment::file_path(&dir, info.base, LOG_EXT), |_, frame| {
                for record in frame.records().flatten() {
                    if let Some(key) = record.key {
                        latest.insert(key.to_vec(), record.offset);
                    }
                }
                Ok(())
            })?;
        }
        // Before any rewrite, so that no reader ever meets a gap this pass
        // makes above the checkpoint (which would be damage).
        let reach = checkpoint::read(&dir, CLEANER)?.unwrap_or(0);
        if reach < last.next_base {
            checkpoint::write(&dir, CLEANER, last.next_base)?;
        }
        let new_horizon = now_ms.saturating_add(policy.delete_retention_ms);
        let interval = self.config().index_interval_bytes;
        for info in &segments {
            let keep = |offset: u64, key: Option<&[u8]>, value: Option<&[u8]>, horizon: Option<i64>| match key {
                None => true,
                Some(key) => {
                    latest.get(key) == Some(&offset) && (value.is_some() || horizon.is_none_or(|h| now_ms < h))
                }
            };
            let rewrite = rewrite_segment(&dir, info.base, interval, new_horizon, keep)?;
            out.bytes_before += info.size;
            out.bytes_after += rewrite.size;
            if rewrite.removed > 0 {
                out.segments_rewritten += 1;
                out.records_removed += rewrite.removed;
            }
        }
        Ok(out)
    }
}

struct Rewrite {
    removed: u64,
    size: u64,
}

/// Writes the records of segment `base` that `keep(offset, key, value,
/// frame's delete horizon)` accepts into `.cleaned` files and swaps them in.
/// Frames keeping all their records, and any delete horizon they need, are
/// copied byte for byte; others are rebuilt with the same leader epoch and
/// the kept records' offsets, and a frame keeping a tombstone gets a delete
/// horizon (`new_horizon` unless it has one).
fn rewrite_segment(
    dir: &Path,
    base: u64,
    interval: u64,
    new_horizon: i64,
    keep: impl Fn(u64, Option<&[u8]>, Option<&[u8]>, Option<i64>) -> bool,
) -> Result<Rewrite> {
    let log_path = segment::file_path(dir, base, LOG_EXT);
    let new_log = side_path(dir, base, LOG_EXT, CLEANED);
    let mut out = BufWriter::with_capacity(1 << 20, File::create(&new_log).at("create", &new_log)?);
    let (mut offsets, mut times) = (Vec::new(), Vec::new());
    let mut policy = IndexPolicy::new(interval);
    let mut builder = FrameBuilder::new();
    let (mut size, mut removed, mut rebuilt) = (0u64, 0u64, false);
    for_each_frame(&log_path, |_, frame| {
        let records: Vec<_> = frame
            .records()
            .collect::<std::result::Result<_, _>>()
            .map_err(|bad| Error::corrupt(&log_path, bad.position_in_frame as u64, "a record does not decode"))?;
        let horizon = frame.header.delete_horizon();
        let kept: Vec<_> = records.iter().filter(|r| keep(r.offset, r.key, r.value, horizon)).collect();
        removed += (records.len() - kept.len()) as u64;
        let Some(first) = kept.first() else { return Ok(()) };
        let needs_horizon = horizon.is_none() && kept.iter().any(|r| r.key.is_some() && r.value.is_none());
        let bytes: &[u8] = if kept.len() == records.len() && !needs_horizon {
            frame.bytes
        } else {
            rebuilt = true;
            builder.clear();
            if needs_horizon || horizon.is_some() {
                builder.set_delete_horizon(horizon.unwrap_or(new_horizon));
            }
            for r in &kept {
                let (headers, header_count) = r.headers.raw();
                let parts = RecordParts { timestamp: r.timestamp, key: r.key, value: r.value, headers, header_count };
                builder.push_at(&parts, (r.offset - first.offset) as u32);
            }
            builder.seal(first.offset, frame.header.leader_epoch)
        };
        let max_ts = kept.iter().map(|r| r.timestamp).max().unwrap_or(frame.header.max_timestamp);
        let relative = (first.offset - base) as u32;
        policy.on_frame(relative, size as u32, bytes.len() as u32, max_ts, &mut offsets, &mut times);
        out.write_all(bytes).at("write", &new_log)?;
        size += bytes.len() as u64;
        Ok(())
    })?;
    let file = out.into_inner().map_err(|e| e.into_error()).at("write", &new_log)?;
    if removed == 0 && !rebuilt {
        drop(file);
        fs::remove_file(&new_log).at("remove", &new_log)?;
        let old = fs::metadata(&log_path).map(|m| m.len()).unwrap_or(0);
        return Ok(Rewrite { removed, size: old });
    }
    file.sync_all().at("fsync", &new_log)?;
    for (ext, bytes) in [(INDEX_EXT, &offsets), (TIME_INDEX_EXT, &times)] {
        let path = side_path(dir, base, ext, CLEANED);
        let mut f = File::create(&path).at("create", &path)?;
        f.write_all(bytes).at("write", &path)?;
        f.sync_all().at("fsync", &path)?;
    }
    let swap = side_path(dir, base, LOG_EXT, SWAP);
    fs::rename(&new_log, &swap).at("rename", &new_log)?;
    sync_dir(dir)?;
    // Committed: from here `recover_leftovers` would finish the job.
    recover_leftovers(dir)?;
    Ok(Rewrite { removed, size })
}

/// Calls `on_frame` with each frame of the closed segment at `path`, with
/// its byte position. A closed segment is never written again, so any frame
/// that fails its checks is corruption. Stops at the first error `on_frame`
/// returns.
fn for_each_frame(path: &Path, mut on_frame: impl FnMut(u64, Frame<'_>) -> Result<()>) -> Result<()> {
    let (file, meta) = open_regular(path).at("open", path)?;
    let len = meta.len();
    let mut cursor = FrameCursor::new(&file, path, 0, len, DamagePolicy::Refuse);
    loop {
        match cursor.next_frame()? {
            Step::Whole(position, frame) => on_frame(position, frame)?,
            Step::End => return Ok(()),
            Step::Bad(bad) => {
                let what = match bad.problem {
                    Problem::HeaderCut => "a closed segment ends inside a frame header".to_string(),
                    Problem::FrameCut => "a closed segment ends inside a frame".to_string(),
                    problem => problem.to_string(),
                };
                return Err(Error::corrupt(path, bad.position, what));
            }
        }
    }
}

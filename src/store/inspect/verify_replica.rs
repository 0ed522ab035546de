//! Verifying one replica folder without changing it: every frame (header
//! plausibility, checksum, offsets increasing, records decoding within the
//! header's offsets and timestamps) and every `.index` / `.timeindex` entry
//! (increasing, pointing at a real frame with the offset it claims). A write
//! cut short at the end of the last segment is a torn tail (the next writer
//! cuts it), not damage — the same rule readers and recovery use
//! (`segment/torn.rs`). Offsets missing between frames or segments above
//! the `cleaner-offset` checkpoint (below it compaction makes gaps) are
//! damage: a segment deleted or emptied.

use std::path::{Path, PathBuf};

use crate::error::{IoContext, Result};
use crate::store::frame::{Frame, FrameHeader};
use crate::store::log::checkpoint::gap_is_damage;
use crate::store::segment::cursor::{DamagePolicy, FrameCursor, Problem, Step};
use crate::store::segment::index::{OFFSET_ENTRY_LEN, OffsetIndex, TIME_ENTRY_LEN, TimeIndex};
use crate::store::segment::{self, INDEX_EXT, LOG_EXT, TIME_INDEX_EXT};
use crate::sys::fs::open_regular;
use crate::sys::fs::read_optional;

/// One problem found, with the file and byte position it is at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub path: PathBuf,
    pub position: u64,
    pub what: String,
}

/// What verifying a replica found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReplicaVerify {
    pub segments: usize,
    pub frames: u64,
    pub records: u64,
    /// Bytes of segment data checked.
    pub bytes: u64,
    /// The offset after the last whole frame.
    pub end_offset: u64,
    /// A torn tail at the end of the last segment (not damage).
    pub torn: Option<Finding>,
    /// Damage, in the order found.
    pub damage: Vec<Finding>,
}

impl ReplicaVerify {
    /// The first damage found in segment data rather than in an index
    /// (index damage is not data damage: indexes are rebuilt on their own).
    pub fn data_damage(&self) -> Option<&Finding> {
        self.damage.iter().find(|f| f.path.extension().is_some_and(|e| e == LOG_EXT))
    }
}

/// A verified frame's place, for the index checks.
#[derive(Debug, Clone, Copy)]
struct FramePlace {
    position: u64,
    base_offset: u64,
    max_timestamp: i64,
    /// Largest timestamp of the segment up to and including this frame.
    running_max: i64,
}

/// Verifies every segment of the replica in `dir`; `progress` is told how
/// many segment bytes were checked as it goes.
pub fn verify_replica(dir: &Path, mut progress: impl FnMut(u64)) -> Result<ReplicaVerify> {
    let bases = segment::list(dir)?;
    let mut report = ReplicaVerify { segments: bases.len(), ..ReplicaVerify::default() };
    let mut next_offset: Option<u64> = None;
    for (i, &base) in bases.iter().enumerate() {
        let is_last = i + 1 == bases.len();
        let path = segment::file_path(dir, base, LOG_EXT);
        if let Some(prev) = next_offset
            && base < prev
        {
            report.damage.push(Finding {
                path: path.clone(),
                position: 0,
                what: format!("segment base offset {base} is below the previous segment's end offset {prev}"),
            });
        }
        if let Some(prev) = next_offset
            && gap_is_damage(dir, prev, base)?
        {
            report.damage.push(Finding {
                path: path.clone(),
                position: 0,
                what: format!(
                    "offsets {prev}..{base} are missing: the segments before this one end at offset {prev} \
                     (a segment was deleted or emptied)"
                ),
            });
        }
        let frames_before = report.frames;
        let places = verify_segment(dir, &path, base, is_last, &mut next_offset, &mut report, &mut progress)?;
        if let Some(&next_base) = bases.get(i + 1)
            && report.frames == frames_before
            && gap_is_damage(dir, base, next_base)?
            && report.damage.iter().all(|d| d.path != path)
        {
            report.damage.push(Finding {
                path: path.clone(),
                position: 0,
                what: format!("the closed segment holds no frame: offsets {base}..{next_base} are missing"),
            });
            next_offset = Some(next_base);
        }
        next_offset = next_offset.or(Some(base));
        let valid_end = report.torn.as_ref().filter(|t| t.path == path).map(|t| t.position);
        check_lost_frames(dir, base, &path, &mut report.damage)?;
        check_offset_index(dir, base, &places, valid_end, &mut report.damage)?;
        check_time_index(dir, base, &places, valid_end, &mut report.damage)?;
    }
    check_deleted_last_segment(dir, bases.last().copied(), &mut report.damage)?;
    report.end_offset = next_offset.unwrap_or(bases.first().copied().unwrap_or(0));
    Ok(report)
}

/// Index entries past the end of a segment are evidence that it held
/// frames it has lost (cut, emptied): every walk that cuts a segment cuts
/// its entries too, and an entry is written after its frame.
fn check_lost_frames(dir: &Path, base: u64, path: &Path, damage: &mut Vec<Finding>) -> Result<()> {
    if damage.iter().any(|d| d.path == path) {
        return Ok(());
    }
    let len = std::fs::metadata(path).at("stat", path)?.len();
    let bytes = read_optional(&segment::file_path(dir, base, INDEX_EXT))?;
    let index = OffsetIndex::new(&bytes);
    let last = index.last();
    // Only a well-formed index is evidence (garbage is index damage).
    if let Some(e) = last.filter(|e| u64::from(e.position) >= len && index.valid_prefix(u64::MAX) == index.len()) {
        let offset = base + u64::from(e.relative_offset);
        damage.push(Finding {
            path: path.to_path_buf(),
            position: len,
            what: format!(
                "the segment ends at byte {len}, but its index has the frame of offset {offset} at byte {}: \
                 frames it held were lost (the segment was cut or emptied)",
                e.position
            ),
        });
    }
    Ok(())
}

/// Index files of a segment above the last one whose `.log` is gone: the
/// last segment was deleted (retention deletes only the oldest segments,
/// and their `.log` first).
fn check_deleted_last_segment(dir: &Path, last: Option<u64>, damage: &mut Vec<Finding>) -> Result<()> {
    let Some(listing) = segment::list_dir(dir)? else { return Ok(()) };
    let Some(last) = last else { return Ok(()) };
    let mut orphans: Vec<u64> = listing
        .others
        .iter()
        .filter_map(|n| n.to_str().and_then(segment::parse_index_name))
        .filter(|&b| b > last)
        .collect();
    orphans.sort_unstable();
    orphans.dedup();
    for base in orphans {
        damage.push(Finding {
            path: segment::file_path(dir, base, LOG_EXT),
            position: 0,
            what: format!("segment {base} is missing but its index files remain (the segment was deleted)"),
        });
    }
    Ok(())
}

fn verify_segment(
    dir: &Path,
    path: &Path,
    base: u64,
    is_last: bool,
    next_offset: &mut Option<u64>,
    report: &mut ReplicaVerify,
    progress: &mut impl FnMut(u64),
) -> Result<Vec<FramePlace>> {
    let (file, meta) = open_regular(path).at("open", path)?;
    let len = meta.len();
    let mut places = Vec::new();
    let policy = if is_last { DamagePolicy::TornTail } else { DamagePolicy::Refuse };
    let mut cursor = FrameCursor::new(&file, path, 0, len, policy);
    let mut running_max = i64::MIN;
    let mut expected = next_offset.unwrap_or(base).max(base);
    loop {
        let (position, what, torn) = match cursor.next_frame()? {
            Step::End => break,
            Step::Whole(position, frame) => {
                let h = frame.header;
                let gap = gap_is_damage(dir, expected, h.base_offset)?
                    .then(|| format!("offsets {expected}..{} are missing before this frame", h.base_offset));
                let Some(problem) = gap.or_else(|| check_records(&h, frame.bytes, expected)) else {
                    running_max = running_max.max(h.max_timestamp);
                    places.push(FramePlace {
                        position,
                        base_offset: h.base_offset,
                        max_timestamp: h.max_timestamp,
                        running_max,
                    });
                    report.frames += 1;
                    report.records += u64::from(h.record_count);
                    expected = h.next_offset();
                    *next_offset = Some(expected);
                    progress(u64::from(h.frame_len));
                    continue;
                };
                // A whole frame whose records do not decode is damage.
                (position, problem, false)
            }
            Step::Bad(bad) => {
                let what = match bad.problem {
                    Problem::HeaderCut | Problem::FrameCut => Problem::FrameCut.to_string(),
                    problem => problem.to_string(),
                };
                (bad.position, what, bad.torn)
            }
        };
        let finding = Finding { path: path.to_path_buf(), position, what };
        progress(len - position);
        if torn {
            report.torn = Some(finding);
        } else {
            report.damage.push(finding);
        }
        break;
    }
    report.bytes += len;
    Ok(places)
}

/// The checks a checksum cannot make: offsets increasing from `expected`,
/// and records that decode within the header's offsets and timestamps.
fn check_records(h: &FrameHeader, bytes: &[u8], expected: u64) -> Option<String> {
    if h.base_offset < expected {
        return Some(format!("frame offset {} goes back (expected at least {expected})", h.base_offset));
    }
    if h.delete_horizon().is_none() && !h.log_append_time() && h.first_timestamp > h.max_timestamp {
        return Some(format!("first timestamp {} is after the max timestamp {}", h.first_timestamp, h.max_timestamp));
    }
    let mut count = 0u32;
    let mut last: Option<u64> = None;
    for record in Frame::new(*h, bytes).records() {
        let Ok(record) = record else {
            return Some(format!("record {count} of the frame does not decode"));
        };
        if last.is_some_and(|l| record.offset <= l) || record.offset > h.last_offset() {
            return Some(format!("record offset {} is out of order or past the frame's last offset", record.offset));
        }
        if record.timestamp > h.max_timestamp {
            return Some(format!("record timestamp {} is after the frame's max timestamp", record.timestamp));
        }
        last = Some(record.offset);
        count += 1;
    }
    if count != h.record_count {
        return Some(format!("the frame holds {count} record(s), its header says {}", h.record_count));
    }
    if last != Some(h.last_offset()) {
        return Some(format!("the last record's offset is not the header's last offset {}", h.last_offset()));
    }
    None
}

/// The frame verified at `position`, if any.
fn frame_at(places: &[FramePlace], position: u64) -> Option<&FramePlace> {
    places.binary_search_by_key(&position, |p| p.position).ok().map(|i| &places[i])
}

/// An index entry pointing at or past a torn tail belongs to the torn tail.
fn in_torn_tail(position: u64, valid_end: Option<u64>) -> bool {
    valid_end.is_some_and(|end| position >= end)
}

fn check_offset_index(
    dir: &Path,
    base: u64,
    places: &[FramePlace],
    valid_end: Option<u64>,
    damage: &mut Vec<Finding>,
) -> Result<()> {
    let path = segment::file_path(dir, base, INDEX_EXT);
    let bytes = read_optional(&path)?;
    let index = OffsetIndex::new(&bytes);
    let mut prev = None;
    for i in 0..index.len() {
        let Some(e) = index.get(i) else { break };
        let position = (i * OFFSET_ENTRY_LEN) as u64;
        let offset = base + u64::from(e.relative_offset);
        let problem = if prev.is_some_and(|(o, p)| e.relative_offset <= o || e.position <= p) {
            Some("entries do not increase".to_string())
        } else if in_torn_tail(u64::from(e.position), valid_end) {
            None
        } else {
            match frame_at(places, u64::from(e.position)) {
                None => Some(format!("entry for offset {offset} points at byte {}, where no frame starts", e.position)),
                Some(f) if f.base_offset != offset => Some(format!(
                    "entry for offset {offset} points at the frame of offset {} (byte {})",
                    f.base_offset, e.position
                )),
                Some(_) => None,
            }
        };
        if let Some(what) = problem {
            damage.push(Finding { path, position, what });
            return Ok(());
        }
        prev = Some((e.relative_offset, e.position));
    }
    Ok(())
}

fn check_time_index(
    dir: &Path,
    base: u64,
    places: &[FramePlace],
    valid_end: Option<u64>,
    damage: &mut Vec<Finding>,
) -> Result<()> {
    let path = segment::file_path(dir, base, TIME_INDEX_EXT);
    let bytes = read_optional(&path)?;
    let index = TimeIndex::new(&bytes);
    let mut prev: Option<(u32, u32, i64)> = None;
    for i in 0..index.len() {
        let Some(e) = index.get(i) else { break };
        let position = (i * TIME_ENTRY_LEN) as u64;
        let offset = base + u64::from(e.relative_offset);
        let problem = if prev.is_some_and(|(o, p, t)| e.relative_offset <= o || e.position <= p || e.timestamp < t) {
            Some("entries do not increase".to_string())
        } else if in_torn_tail(u64::from(e.position), valid_end) {
            None
        } else {
            match frame_at(places, u64::from(e.position)) {
                None => Some(format!("entry for offset {offset} points at byte {}, where no frame starts", e.position)),
                Some(f) if f.base_offset != offset => Some(format!(
                    "entry for offset {offset} points at the frame of offset {} (byte {})",
                    f.base_offset, e.position
                )),
                Some(f) if e.timestamp < f.max_timestamp || e.timestamp > f.running_max => Some(format!(
                    "entry for offset {offset} has timestamp {}, outside the segment's timestamps up to that frame",
                    e.timestamp
                )),
                Some(_) => None,
            }
        };
        if let Some(what) = problem {
            damage.push(Finding { path, position, what });
            return Ok(());
        }
        prev = Some((e.relative_offset, e.position, e.timestamp));
    }
    Ok(())
}

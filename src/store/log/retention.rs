//! Retention: deleting whole segments from the start of a log, as Kafka's
//! `deleteOldSegments` does. A segment goes when it is older than
//! `retention.ms` (by its largest record timestamp), when the log is over
//! `retention.bytes` (oldest first, while what is left stays at or above the
//! limit, Kafka's rule), or when a closed segment's offsets all lie below the
//! log start offset (`topic trim`). The active segment goes too when it is
//! not empty, wholly below the high watermark and expired or over the size:
//! the log first rolls to a new empty segment at its end, as Kafka does, so
//! a quiet topic does not keep expired data forever. Nothing reaching above
//! the high watermark is deleted. [`retention_cut`] is the pure decision;
//! [`Log::apply_retention`] acts on it under the partition's writer lock.

use super::Log;
use super::checkpoint;
use super::policy::{Retained, RetentionPolicy, SegmentInfo};
use crate::error::{Error, Result};
use crate::store::segment;
use crate::sys::fs::sync_dir;

/// How many of `segments` (oldest first; the last is the active one when
/// `active_last`) to delete. `total_size` is the whole log's size.
/// `max_timestamp(i)` gives segment i's largest timestamp and is asked only
/// while segments keep expiring.
#[allow(clippy::too_many_arguments)]
pub fn retention_cut(
    segments: &[SegmentInfo],
    active_last: bool,
    total_size: u64,
    policy: &RetentionPolicy,
    now_ms: i64,
    log_start: u64,
    high_watermark: u64,
    mut max_timestamp: impl FnMut(usize) -> Result<i64>,
) -> Result<usize> {
    // Never a segment with offsets at or above the high watermark, nor an
    // empty active segment.
    let is_active = |i: usize| active_last && i + 1 == segments.len();
    let limit = segments
        .iter()
        .enumerate()
        .take_while(|(i, s)| s.next_base <= high_watermark && !(is_active(*i) && s.size == 0))
        .count();
    let closed = (0..limit).take_while(|&i| !is_active(i)).count();
    let segments = &segments[..limit];
    // The log start deletes closed segments only (Kafka: one whose next
    // segment starts at or below it).
    let by_start = segments[..closed].iter().take_while(|s| s.next_base <= log_start).count();
    let mut cut = by_start;
    if !policy.delete {
        return Ok(cut);
    }
    if let Some(bytes) = policy.retention_bytes {
        // Kafka's rule: oldest first, while the log stays at or above the limit.
        let mut over = total_size.saturating_sub(bytes);
        let mut n = 0;
        while n < segments.len() && over >= segments[n].size {
            over -= segments[n].size;
            n += 1;
        }
        cut = cut.max(n);
    }
    if let Some(ms) = policy.retention_ms {
        let mut n = 0;
        while n < segments.len() && now_ms.saturating_sub(max_timestamp(n)?) > ms {
            n += 1;
        }
        cut = cut.max(n);
    }
    Ok(cut)
}

impl Log {
    /// Deletes the segments that retention (or the log start offset) no
    /// longer keeps, oldest first; when that is every segment, the log
    /// first rolls to a new empty one at its end. The caller holds the
    /// writer lock.
    pub fn apply_retention(&mut self, policy: &RetentionPolicy, now_ms: i64, high_watermark: u64) -> Result<Retained> {
        self.segments_mut()?; // listed once, for the cut and the drain below
        let mut segments = self.closed_segments()?;
        let log_start = self.log_start_offset()?;
        let active_size = segment::log_size(self.dir(), self.active_base());
        let total_size = segments.iter().map(|s| s.size).sum::<u64>() + active_size;
        segments.push(SegmentInfo { base: self.active_base(), next_base: self.next_offset(), size: active_size });
        let closed = segments.len() - 1;
        let cut = retention_cut(&segments, true, total_size, policy, now_ms, log_start, high_watermark, |i| {
            let (max, end) = self.segment_scan(segments[i].base)?;
            // A closed segment short of the next one's base (emptied or cut,
            // not compacted) is damage for `log verify` and its repair:
            // retention never deletes it out of sight.
            let next = segments[i].next_base;
            if i < closed && end < next && checkpoint::gap_is_damage(self.dir(), end.max(segments[i].base), next)? {
                return Err(Error::corrupt(
                    &segment::file_path(self.dir(), segments[i].base, segment::LOG_EXT),
                    0,
                    format!("the closed segment ends at offset {end}, short of the next segment's base {next}"),
                ));
            }
            Ok(max)
        })?;
        if cut == segments.len() {
            self.roll()?;
        }
        let mut out = Retained::default();
        // The log start is recorded before the segments go, so that a first
        // segment above the recorded start always means segments were lost.
        let first_kept = segments.get(cut).map_or(self.active_base(), |s| s.base);
        if cut > 0 && first_kept > log_start {
            checkpoint::write(self.dir(), checkpoint::LOG_START, first_kept)?;
        }
        for info in &segments[..cut] {
            segment::remove_files(self.dir(), info.base)?;
            out.deleted_segments.push(info.base);
            out.deleted_bytes += info.size;
        }
        if cut > 0 {
            sync_dir(self.dir())?;
            self.segments_mut()?.drain(..cut);
        }
        out.log_start = self.log_start_offset()?;
        Ok(out)
    }

    /// Raises the log start offset to `offset` (Kafka's delete-records):
    /// persisted at once, so readers honour it before retention deletes
    /// the segments below it. Never lowers it; never past the log end.
    pub fn advance_log_start(&mut self, offset: u64) -> Result<u64> {
        let offset = offset.min(self.next_offset());
        if offset > self.log_start_offset()? {
            checkpoint::write(self.dir(), checkpoint::LOG_START, offset)?;
        }
        self.log_start_offset()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segs(sizes: &[u64]) -> Vec<SegmentInfo> {
        sizes
            .iter()
            .enumerate()
            .map(|(i, &size)| SegmentInfo { base: i as u64 * 10, next_base: (i as u64 + 1) * 10, size })
            .collect()
    }

    /// The cut over `closed` plus an active segment of 100 bytes after them
    /// (offsets up to 10 past the last), holding `times` for all of them.
    fn cut(closed: &[SegmentInfo], policy: RetentionPolicy, log_start: u64, hw: u64, times: &[i64]) -> usize {
        let mut all = closed.to_vec();
        let end = closed.last().map_or(0, |s| s.next_base);
        all.push(SegmentInfo { base: end, next_base: end + 10, size: 100 });
        let total = all.iter().map(|s| s.size).sum();
        retention_cut(&all, true, total, &policy, 1000, log_start, hw, |i| Ok(times[i])).expect("cut")
    }

    #[test]
    fn time_deletes_the_expired_prefix_only() {
        let policy = RetentionPolicy { delete: true, retention_ms: Some(100), retention_bytes: None };
        let closed = segs(&[100, 100, 100]);
        assert_eq!(cut(&closed, policy, 0, 40, &[500, 899, 950, 990]), 2);
        // A young segment stops the walk even if an older one follows it.
        assert_eq!(cut(&closed, policy, 0, 40, &[950, 100, 100, 100]), 0);
    }

    #[test]
    fn an_expired_active_segment_goes_too_as_in_kafka() {
        let policy = RetentionPolicy { delete: true, retention_ms: Some(100), retention_bytes: None };
        let closed = segs(&[100, 100]);
        // Everything expired and below the high watermark: all of it, the
        // active segment included (the log rolls first).
        assert_eq!(cut(&closed, policy, 0, 30, &[500, 600, 700]), 3);
        // Not the active segment while it reaches above the high watermark.
        assert_eq!(cut(&closed, policy, 0, 25, &[500, 600, 700]), 2);
        // Nor an empty active segment.
        let mut all = closed.clone();
        all.push(SegmentInfo { base: 20, next_base: 20, size: 0 });
        let empty = retention_cut(&all, true, 200, &policy, 1000, 0, 20, |_| Ok(0)).expect("cut");
        assert_eq!(empty, 2);
    }

    #[test]
    fn bytes_deletes_oldest_until_it_fits() {
        let policy = RetentionPolicy { delete: true, retention_ms: None, retention_bytes: Some(250) };
        let closed = segs(&[100, 100, 100]);
        // 400 bytes in all with the active segment: Kafka deletes while what
        // is left stays at or above 250, so one goes (300 left), not two.
        assert_eq!(cut(&closed, policy, 0, 30, &[0; 4]), 1);
        let exact = RetentionPolicy { retention_bytes: Some(200), ..policy };
        assert_eq!(cut(&closed, exact, 0, 30, &[0; 4]), 2, "200 left is at the limit");
        let roomy = RetentionPolicy { retention_bytes: Some(400), ..policy };
        assert_eq!(cut(&closed, roomy, 0, 30, &[0; 4]), 0);
    }

    #[test]
    fn never_above_the_high_watermark_and_log_start_applies_always() {
        let policy = RetentionPolicy { delete: true, retention_ms: Some(0), retention_bytes: Some(0) };
        let closed = segs(&[100, 100, 100]);
        assert_eq!(cut(&closed, policy, 0, 15, &[0; 4]), 1);
        let compact = RetentionPolicy { delete: false, ..policy };
        assert_eq!(cut(&closed, compact, 25, 30, &[0; 4]), 2);
        assert_eq!(cut(&closed, compact, 9, 30, &[0; 4]), 0);
        // The log start never deletes the active segment (Kafka: only a
        // segment whose next one starts at or below it).
        assert_eq!(cut(&closed, compact, 40, 40, &[0; 4]), 3);
    }
}

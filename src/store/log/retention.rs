//! Retention: deleting whole closed segments from the start of a log, as
//! Kafka's `deleteOldSegments` does. A segment goes when it is older than
//! `retention.ms` (by its largest record timestamp), when the log is over
//! `retention.bytes` (oldest first, until the rest fits), or when every
//! offset in it lies below the log start offset (`topic trim`). The active
//! segment and any segment reaching above the high watermark are never
//! deleted. [`retention_cut`] is the pure decision; [`Log::apply_retention`]
//! acts on it under the partition's writer lock.

use super::Log;
use super::checkpoint;
use super::policy::{Retained, RetentionPolicy, SegmentInfo};
use crate::error::Result;
use crate::store::segment;
use crate::sys::fs::sync_dir;

/// How many of `closed` (the closed segments, oldest first, the active one
/// excluded) to delete. `max_timestamp(i)` gives segment i's largest
/// timestamp and is asked only while segments keep expiring.
pub fn retention_cut(
    closed: &[SegmentInfo],
    active_size: u64,
    policy: &RetentionPolicy,
    now_ms: i64,
    log_start: u64,
    high_watermark: u64,
    mut max_timestamp: impl FnMut(usize) -> Result<i64>,
) -> Result<usize> {
    // Never a segment with offsets at or above the high watermark.
    let limit = closed.iter().take_while(|s| s.next_base <= high_watermark).count();
    let closed = &closed[..limit];
    let by_start = closed.iter().take_while(|s| s.next_base <= log_start).count();
    let mut cut = by_start;
    if !policy.delete {
        return Ok(cut);
    }
    if let Some(bytes) = policy.retention_bytes {
        let mut total: u64 = closed.iter().map(|s| s.size).sum::<u64>() + active_size;
        let mut n = 0;
        // Until the log fits. (Kafka stops one segment earlier, never going
        // below the limit; "fits" is easier to reason about.)
        while n < closed.len() && total > bytes {
            total -= closed[n].size;
            n += 1;
        }
        cut = cut.max(n);
    }
    if let Some(ms) = policy.retention_ms {
        let mut n = 0;
        while n < closed.len() && now_ms.saturating_sub(max_timestamp(n)?) > ms {
            n += 1;
        }
        cut = cut.max(n);
    }
    Ok(cut)
}

impl Log {
    /// Deletes the closed segments that retention (or the log start offset)
    /// no longer keeps, oldest first. The caller holds the writer lock.
    pub fn apply_retention(&mut self, policy: &RetentionPolicy, now_ms: i64, high_watermark: u64) -> Result<Retained> {
        self.segments_mut()?; // listed once, for the cut and the drain below
        let closed = self.closed_segments()?;
        let log_start = self.log_start_offset()?;
        let active_size = segment::log_size(self.dir(), self.active_base());
        let cut = retention_cut(&closed, active_size, policy, now_ms, log_start, high_watermark, |i| {
            self.segment_max_timestamp(closed[i].base)
        })?;
        let mut out = Retained::default();
        for info in &closed[..cut] {
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

    fn cut(closed: &[SegmentInfo], policy: RetentionPolicy, log_start: u64, hw: u64, times: &[i64]) -> usize {
        retention_cut(closed, 100, &policy, 1000, log_start, hw, |i| Ok(times[i])).expect("cut")
    }

    #[test]
    fn time_deletes_the_expired_prefix_only() {
        let policy = RetentionPolicy { delete: true, retention_ms: Some(100), retention_bytes: None };
        let closed = segs(&[100, 100, 100]);
        assert_eq!(cut(&closed, policy, 0, 30, &[500, 899, 950]), 2);
        // A young segment stops the walk even if an older one follows it.
        assert_eq!(cut(&closed, policy, 0, 30, &[950, 100, 100]), 0);
    }

    #[test]
    fn bytes_deletes_oldest_until_it_fits() {
        let policy = RetentionPolicy { delete: true, retention_ms: None, retention_bytes: Some(250) };
        let closed = segs(&[100, 100, 100]);
        // 400 bytes in all with the active segment: two must go.
        assert_eq!(cut(&closed, policy, 0, 30, &[0; 3]), 2);
        let roomy = RetentionPolicy { retention_bytes: Some(400), ..policy };
        assert_eq!(cut(&closed, roomy, 0, 30, &[0; 3]), 0);
    }

    #[test]
    fn never_above_the_high_watermark_and_log_start_applies_always() {
        let policy = RetentionPolicy { delete: true, retention_ms: Some(0), retention_bytes: Some(0) };
        let closed = segs(&[100, 100, 100]);
        assert_eq!(cut(&closed, policy, 0, 15, &[0; 3]), 1);
        let compact = RetentionPolicy { delete: false, ..policy };
        assert_eq!(cut(&closed, compact, 25, 30, &[0; 3]), 2);
        assert_eq!(cut(&closed, compact, 9, 30, &[0; 3]), 0);
    }
}

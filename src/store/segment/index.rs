//! The sparse offset index (`.index`) and time index (`.timeindex`) beside
//! each segment. Both are derived caches: always rebuildable from the segment,
//! never a reason for a log to be unopenable.
//!
//! `.index` entries are 8 bytes: `u32 relative_offset, u32 position` (the
//! first offset of a frame, relative to the segment's base offset, and the
//! frame's byte position). `.timeindex` entries are 16 bytes: `i64
//! max_timestamp_so_far, u32 relative_offset, u32 position`. All little-endian,
//! strictly increasing in offset (and non-decreasing in timestamp).

/// Bytes per offset index entry.
pub const OFFSET_ENTRY_LEN: usize = 8;
/// Bytes per time index entry.
pub const TIME_ENTRY_LEN: usize = 16;

/// One offset index entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OffsetEntry {
    pub relative_offset: u32,
    pub position: u32,
}

/// One time index entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeEntry {
    pub timestamp: i64,
    pub relative_offset: u32,
    pub position: u32,
}

fn u32_at(b: &[u8], i: usize) -> u32 {
    u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]])
}

impl OffsetEntry {
    pub fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.relative_offset.to_le_bytes());
        out.extend_from_slice(&self.position.to_le_bytes());
    }

    fn decode(b: &[u8]) -> OffsetEntry {
        OffsetEntry { relative_offset: u32_at(b, 0), position: u32_at(b, 4) }
    }
}

impl TimeEntry {
    pub fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.timestamp.to_le_bytes());
        out.extend_from_slice(&self.relative_offset.to_le_bytes());
        out.extend_from_slice(&self.position.to_le_bytes());
    }

    fn decode(b: &[u8]) -> TimeEntry {
        let mut ts = [0u8; 8];
        ts.copy_from_slice(&b[..8]);
        TimeEntry { timestamp: i64::from_le_bytes(ts), relative_offset: u32_at(b, 8), position: u32_at(b, 12) }
    }
}

/// A read-only view of an offset index file's bytes.
#[derive(Debug, Clone, Copy)]
pub struct OffsetIndex<'a> {
    bytes: &'a [u8],
}

impl<'a> OffsetIndex<'a> {
    /// Views whole entries only (a torn trailing entry is ignored).
    pub fn new(bytes: &'a [u8]) -> Self {
        let whole = bytes.len() / OFFSET_ENTRY_LEN * OFFSET_ENTRY_LEN;
        OffsetIndex { bytes: &bytes[..whole] }
    }

    pub fn len(&self) -> usize {
        self.bytes.len() / OFFSET_ENTRY_LEN
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<OffsetEntry> {
        let start = i.checked_mul(OFFSET_ENTRY_LEN)?;
        self.bytes.get(start..start + OFFSET_ENTRY_LEN).map(OffsetEntry::decode)
    }

    pub fn last(&self) -> Option<OffsetEntry> {
        self.len().checked_sub(1).and_then(|i| self.get(i))
    }

    /// The last entry whose offset is at or below `relative_offset`.
    pub fn floor(&self, relative_offset: u32) -> Option<OffsetEntry> {
        let n = self.len();
        // First index whose entry is above the target.
        let (mut lo, mut hi) = (0usize, n);
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.get(mid) {
                Some(e) if e.relative_offset <= relative_offset => lo = mid + 1,
                _ => hi = mid,
            }
        }
        lo.checked_sub(1).and_then(|i| self.get(i))
    }

    /// How many leading entries are well-formed: strictly increasing offsets
    /// and positions, and positions inside a segment of `segment_len` bytes.
    pub fn valid_prefix(&self, segment_len: u64) -> usize {
        let mut prev: Option<OffsetEntry> = None;
        for i in 0..self.len() {
            let Some(e) = self.get(i) else { return i };
            let ordered = prev.is_none_or(|p| e.relative_offset > p.relative_offset && e.position > p.position);
            if !ordered || u64::from(e.position) >= segment_len {
                return i;
            }
            prev = Some(e);
        }
        self.len()
    }
}

/// A read-only view of a time index file's bytes.
#[derive(Debug, Clone, Copy)]
pub struct TimeIndex<'a> {
    bytes: &'a [u8],
}

impl<'a> TimeIndex<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        let whole = bytes.len() / TIME_ENTRY_LEN * TIME_ENTRY_LEN;
        TimeIndex { bytes: &bytes[..whole] }
    }

    pub fn len(&self) -> usize {
        self.bytes.len() / TIME_ENTRY_LEN
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<TimeEntry> {
        let start = i.checked_mul(TIME_ENTRY_LEN)?;
        self.bytes.get(start..start + TIME_ENTRY_LEN).map(TimeEntry::decode)
    }

    pub fn last(&self) -> Option<TimeEntry> {
        self.len().checked_sub(1).and_then(|i| self.get(i))
    }

    /// The last entry whose timestamp is strictly below `timestamp`: every
    /// frame up to and including the one it names is older than `timestamp`,
    /// so a search for the first record at or after it may start there.
    pub fn last_before(&self, timestamp: i64) -> Option<TimeEntry> {
        let (mut lo, mut hi) = (0usize, self.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.get(mid) {
                Some(e) if e.timestamp < timestamp => lo = mid + 1,
                _ => hi = mid,
            }
        }
        lo.checked_sub(1).and_then(|i| self.get(i))
    }

    /// How many leading entries are well-formed (see [`OffsetIndex::valid_prefix`]).
    pub fn valid_prefix(&self, segment_len: u64) -> usize {
        let mut prev: Option<TimeEntry> = None;
        for i in 0..self.len() {
            let Some(e) = self.get(i) else { return i };
            let ordered = prev.is_none_or(|p| {
                e.relative_offset > p.relative_offset && e.position > p.position && e.timestamp >= p.timestamp
            });
            if !ordered || u64::from(e.position) >= segment_len {
                return i;
            }
            prev = Some(e);
        }
        self.len()
    }
}

/// Decides which frames get index entries while a segment is written:
/// one every `interval` bytes, as Kafka's `index.interval.bytes`.
#[derive(Debug, Clone)]
pub struct IndexPolicy {
    interval: u64,
    bytes_since_entry: u64,
    max_timestamp: i64,
    last_time_entry: i64,
}

impl IndexPolicy {
    pub fn new(interval: u64) -> Self {
        IndexPolicy {
            interval: interval.max(1),
            bytes_since_entry: 0,
            max_timestamp: i64::MIN,
            last_time_entry: i64::MIN,
        }
    }

    /// Resumes a policy for a segment whose last entries are known.
    pub fn resume(interval: u64, bytes_since_entry: u64, max_timestamp: i64, last_time_entry: i64) -> Self {
        IndexPolicy { interval: interval.max(1), bytes_since_entry, max_timestamp, last_time_entry }
    }

    /// Notes a frame about to be written at `position`; appends the entries it
    /// earns to `offsets` and `times`.
    pub fn on_frame(
        &mut self,
        relative_offset: u32,
        position: u32,
        frame_len: u32,
        max_timestamp: i64,
        offsets: &mut Vec<u8>,
        times: &mut Vec<u8>,
    ) {
        self.max_timestamp = self.max_timestamp.max(max_timestamp);
        if position > 0 && self.bytes_since_entry >= self.interval {
            OffsetEntry { relative_offset, position }.encode(offsets);
            if self.max_timestamp > self.last_time_entry {
                TimeEntry { timestamp: self.max_timestamp, relative_offset, position }.encode(times);
                self.last_time_entry = self.max_timestamp;
            }
            self.bytes_since_entry = 0;
        }
        self.bytes_since_entry += u64::from(frame_len);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn offsets(entries: &[(u32, u32)]) -> Vec<u8> {
        let mut out = Vec::new();
        for &(relative_offset, position) in entries {
            OffsetEntry { relative_offset, position }.encode(&mut out);
        }
        out
    }

    #[test]
    fn floor_finds_the_entry_at_or_below() {
        let bytes = offsets(&[(10, 4096), (20, 8192), (30, 12288)]);
        let index = OffsetIndex::new(&bytes);
        assert_eq!(index.floor(5), None);
        assert_eq!(index.floor(10).map(|e| e.position), Some(4096));
        assert_eq!(index.floor(29).map(|e| e.position), Some(8192));
        assert_eq!(index.floor(1000).map(|e| e.position), Some(12288));
    }

    #[test]
    fn valid_prefix_stops_at_disorder_or_out_of_range_positions() {
        let bytes = offsets(&[(10, 100), (20, 200), (15, 300), (40, 400)]);
        assert_eq!(OffsetIndex::new(&bytes).valid_prefix(1000), 2);
        assert_eq!(OffsetIndex::new(&bytes).valid_prefix(150), 1);
        let torn = &bytes[..bytes.len() - 3];
        assert_eq!(OffsetIndex::new(torn).len(), 3);
    }

    #[test]
    fn time_lookup_returns_last_entry_strictly_before() {
        let mut bytes = Vec::new();
        for (ts, rel, pos) in [(100, 1, 10), (200, 2, 20), (200, 3, 30), (300, 4, 40)] {
            TimeEntry { timestamp: ts, relative_offset: rel, position: pos }.encode(&mut bytes);
        }
        let index = TimeIndex::new(&bytes);
        assert_eq!(index.last_before(100), None);
        assert_eq!(index.last_before(200).map(|e| e.position), Some(10));
        assert_eq!(index.last_before(201).map(|e| e.position), Some(30));
        assert_eq!(index.valid_prefix(1000), 4);
    }

    #[test]
    fn policy_indexes_once_per_interval() {
        let mut policy = IndexPolicy::new(100);
        let (mut offs, mut times) = (Vec::new(), Vec::new());
        let mut pos = 0u32;
        for i in 0..10u32 {
            policy.on_frame(i, pos, 60, i64::from(i), &mut offs, &mut times);
            pos += 60;
        }
        let index = OffsetIndex::new(&offs);
        assert_eq!(index.len(), 4, "every second 60-byte frame crosses 100 bytes");
        assert_eq!(index.get(0), Some(OffsetEntry { relative_offset: 2, position: 120 }));
        assert_eq!(TimeIndex::new(&times).len(), 4);
    }

    proptest! {
        #[test]
        fn floor_matches_a_linear_scan(mut rels in proptest::collection::btree_set(0u32..10_000, 0..50), target in 0u32..11_000) {
            let entries: Vec<(u32, u32)> = std::mem::take(&mut rels).into_iter().enumerate().map(|(i, r)| (r, i as u32 * 10)).collect();
            let bytes = offsets(&entries);
            let expected = entries.iter().rev().find(|(r, _)| *r <= target).map(|&(r, _)| r);
            prop_assert_eq!(OffsetIndex::new(&bytes).floor(target).map(|e| e.relative_offset), expected);
        }

        #[test]
        fn garbage_index_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200), target: u32, seg: u64) {
            let index = OffsetIndex::new(&bytes);
            let _ = index.floor(target);
            let _ = index.valid_prefix(seg);
            let times = TimeIndex::new(&bytes);
            let _ = times.last_before(i64::from(target));
            let _ = times.valid_prefix(seg);
        }
    }
}

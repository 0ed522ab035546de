//! The frame: the unit of append, checksum and atomicity in a segment.
//!
//! A frame is a batch of records with a fixed 48-byte header (all integers
//! little-endian; see ARCHITECTURE.md for the byte-by-byte layout):
//!
//! ```text
//!  0 u64 base_offset        offset of the first record
//!  8 u32 frame_len          whole frame, header included
//! 12 u32 crc32c             over bytes [0,12) and [16,frame_len)
//! 16 u8  magic              format version (FORMAT_VERSION)
//! 17 u8  attributes         0 (no compression)
//! 18 u16 reserved           0
//! 20 u32 leader_epoch       epoch of the leader that appended the frame
//! 24 u32 record_count
//! 28 u32 last_offset_delta  last record's offset - base_offset
//! 32 i64 first_timestamp    ms since the Unix epoch
//! 40 i64 max_timestamp
//! 48 ... records
//! ```
//!
//! Each record: `varint len` (bytes that follow), `varint offset_delta`,
//! `zigzag timestamp_delta` (from first_timestamp), `zigzag key_len` (-1 =
//! null), key, `zigzag value_len` (-1 = null), value, `varint header_count`,
//! then per header `varint key_len`, key, `zigzag value_len`, value.
//!
//! [`FrameBuilder`] encodes (it never decodes); [`check_frame`] and
//! [`Frame`] decode and verify.

use super::varint;

/// The on-disk format version written in every frame's `magic` byte.
pub const FORMAT_VERSION: u8 = 1;
/// Size of the fixed frame header.
pub const HEADER_LEN: usize = 48;
/// Frames larger than this are never written and are treated as corrupt.
pub const MAX_FRAME_LEN: usize = 1 << 30;

/// A record's parts, borrowed: what producers hand to a [`FrameBuilder`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordParts<'a> {
    pub timestamp: i64,
    pub key: Option<&'a [u8]>,
    pub value: Option<&'a [u8]>,
    /// Headers, already encoded by [`encode_headers`] (empty slice = none).
    pub headers: &'a [u8],
    pub header_count: u32,
}

/// Encodes headers into the record wire form expected by [`RecordParts::headers`].
pub fn encode_headers<'a>(headers: impl IntoIterator<Item = (&'a [u8], Option<&'a [u8]>)>, out: &mut Vec<u8>) -> u32 {
    let mut count = 0;
    for (key, value) in headers {
        varint::put_u64(out, key.len() as u64);
        out.extend_from_slice(key);
        put_bytes(out, value);
        count += 1;
    }
    count
}

#[inline]
fn put_bytes(out: &mut Vec<u8>, bytes: Option<&[u8]>) {
    match bytes {
        Some(b) => {
            varint::put_i64(out, b.len() as i64);
            out.extend_from_slice(b);
        }
        None => varint::put_i64(out, -1),
    }
}

#[inline]
fn bytes_len(bytes: Option<&[u8]>) -> usize {
    match bytes {
        Some(b) => varint::len_i64(b.len() as i64) + b.len(),
        None => 1,
    }
}

/// Encoded size of one record, length prefix included. Producers use it to
/// enforce `max.message.bytes` and to decide when a frame is full.
pub fn record_len(parts: &RecordParts<'_>, offset_delta: u32, timestamp_delta: i64) -> usize {
    let body = body_len(parts, offset_delta, timestamp_delta);
    varint::len_u64(body as u64) + body
}

fn body_len(parts: &RecordParts<'_>, offset_delta: u32, timestamp_delta: i64) -> usize {
    varint::len_u64(u64::from(offset_delta))
        + varint::len_i64(timestamp_delta)
        + bytes_len(parts.key)
        + bytes_len(parts.value)
        + varint::len_u64(u64::from(parts.header_count))
        + parts.headers.len()
}

/// The encoded size of a record about to be pushed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Measured {
    offset_delta: u32,
    timestamp_delta: i64,
    body: usize,
    /// Bytes the record adds to the frame, length prefix included.
    pub total: usize,
}

/// Accumulates records into one frame. Offsets are relative until
/// [`FrameBuilder::seal`] stamps the base offset and checksum.
#[derive(Debug)]
pub struct FrameBuilder {
    buf: Vec<u8>,
    count: u32,
    /// Offset delta of the last record pushed.
    last_delta: u32,
    first_timestamp: i64,
    max_timestamp: i64,
}

impl Default for FrameBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl FrameBuilder {
    pub fn new() -> Self {
        Self::with_capacity(0)
    }

    pub fn with_capacity(bytes: usize) -> Self {
        let mut buf = Vec::with_capacity(bytes.max(HEADER_LEN));
        buf.resize(HEADER_LEN, 0);
        FrameBuilder { buf, count: 0, last_delta: 0, first_timestamp: 0, max_timestamp: i64::MIN }
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    pub fn record_count(&self) -> u32 {
        self.count
    }

    /// Bytes the frame would take if sealed now.
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    /// Bytes that `parts` would add to this frame.
    pub fn added_len(&self, parts: &RecordParts<'_>) -> usize {
        let first = if self.count == 0 { parts.timestamp } else { self.first_timestamp };
        record_len(parts, self.count, parts.timestamp.wrapping_sub(first))
    }

    /// Appends one record, at the offset after the previous one.
    pub fn push(&mut self, parts: &RecordParts<'_>) {
        let measured = self.measure(parts);
        self.push_measured(parts, measured);
    }

    /// What `parts` would take if pushed next; valid until the builder changes.
    #[inline]
    pub fn measure(&self, parts: &RecordParts<'_>) -> Measured {
        let offset_delta = if self.count == 0 { 0 } else { self.last_delta + 1 };
        let first = if self.count == 0 { parts.timestamp } else { self.first_timestamp };
        let timestamp_delta = parts.timestamp.wrapping_sub(first);
        let body = body_len(parts, offset_delta, timestamp_delta);
        Measured { offset_delta, timestamp_delta, body, total: varint::len_u64(body as u64) + body }
    }

    /// Appends one record measured by [`FrameBuilder::measure`] since the
    /// last change, without computing its size again.
    #[inline]
    pub fn push_measured(&mut self, parts: &RecordParts<'_>, m: Measured) {
        if self.count == 0 {
            self.first_timestamp = parts.timestamp;
        }
        self.write_record(parts, m.offset_delta, m.timestamp_delta, m.body);
    }

    /// Appends one record at `offset_delta` from the frame's base offset,
    /// which must be above the previous record's: compaction rebuilds
    /// frames whose offsets have gaps.
    pub fn push_at(&mut self, parts: &RecordParts<'_>, offset_delta: u32) {
        if self.count == 0 {
            self.first_timestamp = parts.timestamp;
        }
        let delta = parts.timestamp.wrapping_sub(self.first_timestamp);
        let body = body_len(parts, offset_delta, delta);
        self.write_record(parts, offset_delta, delta, body);
    }

    #[inline]
    fn write_record(&mut self, parts: &RecordParts<'_>, offset_delta: u32, delta: i64, body: usize) {
        let out = &mut self.buf;
        varint::put_u64(out, body as u64);
        varint::put_u64(out, u64::from(offset_delta));
        varint::put_i64(out, delta);
        put_bytes(out, parts.key);
        put_bytes(out, parts.value);
        varint::put_u64(out, u64::from(parts.header_count));
        out.extend_from_slice(parts.headers);
        self.count += 1;
        self.last_delta = offset_delta;
        self.max_timestamp = self.max_timestamp.max(parts.timestamp);
    }

    /// Stamps the header and checksum; returns the complete frame bytes.
    /// The builder stays sealed until [`FrameBuilder::clear`].
    pub fn seal(&mut self, base_offset: u64, leader_epoch: u32) -> &[u8] {
        let len = self.buf.len() as u32;
        let h = &mut self.buf[..HEADER_LEN];
        h[0..8].copy_from_slice(&base_offset.to_le_bytes());
        h[8..12].copy_from_slice(&len.to_le_bytes());
        h[16] = FORMAT_VERSION;
        h[17] = 0;
        h[18..20].copy_from_slice(&0u16.to_le_bytes());
        h[20..24].copy_from_slice(&leader_epoch.to_le_bytes());
        h[24..28].copy_from_slice(&self.count.to_le_bytes());
        h[28..32].copy_from_slice(&self.last_delta.to_le_bytes());
        h[32..40].copy_from_slice(&self.first_timestamp.to_le_bytes());
        h[40..48].copy_from_slice(&self.max_timestamp.to_le_bytes());
        let crc = frame_crc(&self.buf);
        self.buf[12..16].copy_from_slice(&crc.to_le_bytes());
        &self.buf
    }

    /// Empties the builder for the next frame, keeping its allocation.
    pub fn clear(&mut self) {
        self.buf.truncate(HEADER_LEN);
        self.count = 0;
        self.last_delta = 0;
        self.max_timestamp = i64::MIN;
    }
}

/// CRC32C of a whole frame, skipping the checksum field itself.
pub fn frame_crc(frame: &[u8]) -> u32 {
    let crc = crc32c::crc32c(&frame[..12]);
    crc32c::crc32c_append(crc, &frame[16..])
}

/// The decoded fixed header of a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameHeader {
    pub base_offset: u64,
    pub frame_len: u32,
    pub crc: u32,
    pub magic: u8,
    pub attributes: u8,
    pub leader_epoch: u32,
    pub record_count: u32,
    pub last_offset_delta: u32,
    pub first_timestamp: i64,
    pub max_timestamp: i64,
}

impl FrameHeader {
    /// Parses a header from at least [`HEADER_LEN`] bytes (no validation).
    pub fn parse(bytes: &[u8]) -> Option<FrameHeader> {
        let h = bytes.get(..HEADER_LEN)?;
        let u32_at = |i: usize| u32::from_le_bytes([h[i], h[i + 1], h[i + 2], h[i + 3]]);
        let u64_at = |i: usize| {
            let mut b = [0u8; 8];
            b.copy_from_slice(&h[i..i + 8]);
            u64::from_le_bytes(b)
        };
        Some(FrameHeader {
            base_offset: u64_at(0),
            frame_len: u32_at(8),
            crc: u32_at(12),
            magic: h[16],
            attributes: h[17],
            leader_epoch: u32_at(20),
            record_count: u32_at(24),
            last_offset_delta: u32_at(28),
            first_timestamp: u64_at(32) as i64,
            max_timestamp: u64_at(40) as i64,
        })
    }

    /// Offset one past the frame's last record.
    pub fn next_offset(&self) -> u64 {
        self.base_offset + u64::from(self.last_offset_delta) + 1
    }

    pub fn last_offset(&self) -> u64 {
        self.base_offset + u64::from(self.last_offset_delta)
    }

    /// Whether the header's own fields are plausible (before the CRC check).
    pub fn is_plausible(&self) -> bool {
        let len = self.frame_len as usize;
        self.magic == FORMAT_VERSION
            && (HEADER_LEN..=MAX_FRAME_LEN).contains(&len)
            && self.record_count > 0
            && self.last_offset_delta >= self.record_count - 1
            && self.offsets_fit()
    }

    /// Whether the frame's offsets stay within Kafka's range (`i64`), so
    /// that [`FrameHeader::next_offset`] cannot overflow.
    fn offsets_fit(&self) -> bool {
        self.base_offset.checked_add(u64::from(self.last_offset_delta) + 1).is_some_and(|n| n <= i64::MAX as u64)
    }
}

/// What lies at the start of a byte slice taken from a segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameCheck {
    /// A whole frame whose checksum matches.
    Whole(FrameHeader),
    /// The bytes end before the frame does: `needed` bytes in all would hold it
    /// (or just the header, if even that is cut).
    Incomplete { needed: usize },
    /// The header is implausible or the checksum does not match.
    Invalid(Damage),
}

/// Why a frame was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Damage {
    BadHeader,
    BadChecksum { stored: u32, computed: u32 },
}

impl std::fmt::Display for Damage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Damage::BadHeader => write!(f, "frame header is not valid"),
            Damage::BadChecksum { stored, computed } => {
                write!(f, "frame checksum mismatch (stored {stored:#010x}, computed {computed:#010x})")
            }
        }
    }
}

/// Examines the frame at the start of `bytes`, verifying its checksum.
pub fn check_frame(bytes: &[u8]) -> FrameCheck {
    match peek_header(bytes) {
        Err(check) => check,
        Ok(header) => {
            let frame = &bytes[..header.frame_len as usize];
            let computed = frame_crc(frame);
            if computed == header.crc {
                FrameCheck::Whole(header)
            } else {
                FrameCheck::Invalid(Damage::BadChecksum { stored: header.crc, computed })
            }
        }
    }
}

/// Like [`check_frame`] but trusts the checksum: only the header is examined
/// and the frame's length checked against `bytes`. Used to walk headers.
pub fn peek_header(bytes: &[u8]) -> Result<FrameHeader, FrameCheck> {
    let Some(header) = FrameHeader::parse(bytes) else {
        return Err(FrameCheck::Incomplete { needed: HEADER_LEN });
    };
    if !header.is_plausible() {
        return Err(FrameCheck::Invalid(Damage::BadHeader));
    }
    let len = header.frame_len as usize;
    if bytes.len() < len {
        return Err(FrameCheck::Incomplete { needed: len });
    }
    Ok(header)
}

/// A verified frame, borrowed from a buffer.
#[derive(Debug, Clone, Copy)]
pub struct Frame<'a> {
    pub header: FrameHeader,
    pub bytes: &'a [u8],
}

impl<'a> Frame<'a> {
    /// Wraps a frame already checked by [`check_frame`].
    pub fn new(header: FrameHeader, bytes: &'a [u8]) -> Self {
        Frame { header, bytes: &bytes[..header.frame_len as usize] }
    }

    pub fn records(&self) -> Records<'a> {
        Records {
            buf: self.bytes,
            pos: HEADER_LEN,
            remaining: self.header.record_count,
            base_offset: self.header.base_offset,
            first_timestamp: self.header.first_timestamp,
        }
    }
}

/// One decoded record, borrowed from its frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record<'a> {
    pub offset: u64,
    pub timestamp: i64,
    pub key: Option<&'a [u8]>,
    pub value: Option<&'a [u8]>,
    pub headers: Headers<'a>,
}

/// A record's headers, decoded lazily.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Headers<'a> {
    raw: &'a [u8],
    count: u32,
}

impl<'a> Headers<'a> {
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    pub fn len(&self) -> usize {
        self.count as usize
    }

    /// The encoded form, as [`RecordParts::headers`] takes it.
    pub fn raw(&self) -> (&'a [u8], u32) {
        (self.raw, self.count)
    }

    pub fn iter(&self) -> HeaderIter<'a> {
        HeaderIter { raw: self.raw, pos: 0, remaining: self.count }
    }
}

/// Iterator over `(key, value)` header pairs.
pub struct HeaderIter<'a> {
    raw: &'a [u8],
    pos: usize,
    remaining: u32,
}

impl<'a> Iterator for HeaderIter<'a> {
    type Item = (&'a [u8], Option<&'a [u8]>);

    fn next(&mut self) -> Option<Self::Item> {
        if self.remaining == 0 {
            return None;
        }
        self.remaining -= 1;
        let key_len = varint::get_u64(self.raw, &mut self.pos)? as usize;
        let key = take(self.raw, &mut self.pos, key_len)?;
        let value = get_bytes(self.raw, &mut self.pos)?;
        Some((key, value))
    }
}

#[inline]
fn take<'a>(buf: &'a [u8], pos: &mut usize, len: usize) -> Option<&'a [u8]> {
    let end = pos.checked_add(len)?;
    let out = buf.get(*pos..end)?;
    *pos = end;
    Some(out)
}

#[inline]
fn get_bytes<'a>(buf: &'a [u8], pos: &mut usize) -> Option<Option<&'a [u8]>> {
    let len = varint::get_i64(buf, pos)?;
    if len == -1 {
        return Some(None);
    }
    let len = usize::try_from(len).ok()?;
    take(buf, pos, len).map(Some)
}

/// Iterator over the records of a frame. Yields `Err` once, then stops, if
/// the record area is malformed (possible only with a colliding checksum or
/// a bug, since frames are verified first).
pub struct Records<'a> {
    buf: &'a [u8],
    pos: usize,
    remaining: u32,
    base_offset: u64,
    first_timestamp: i64,
}

/// A record inside a verified frame did not decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MalformedRecord {
    pub position_in_frame: usize,
}

impl<'a> Records<'a> {
    fn decode(&mut self) -> Option<Record<'a>> {
        let buf = self.buf;
        let len = varint::get_u64(buf, &mut self.pos)? as usize;
        let end = self.pos.checked_add(len)?;
        let body = buf.get(..end)?;
        let pos = &mut self.pos;
        let offset_delta = varint::get_u64(body, pos)?;
        let ts_delta = varint::get_i64(body, pos)?;
        let key = get_bytes(body, pos)?;
        let value = get_bytes(body, pos)?;
        let header_count = u32::try_from(varint::get_u64(body, pos)?).ok()?;
        let raw = body.get(*pos..end)?;
        *pos = end;
        Some(Record {
            offset: self.base_offset.checked_add(offset_delta)?,
            timestamp: self.first_timestamp.wrapping_add(ts_delta),
            key,
            value,
            headers: Headers { raw, count: header_count },
        })
    }
}

impl<'a> Iterator for Records<'a> {
    type Item = Result<Record<'a>, MalformedRecord>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.remaining == 0 {
            return None;
        }
        let start = self.pos;
        match self.decode() {
            Some(record) => {
                self.remaining -= 1;
                Some(Ok(record))
            }
            None => {
                self.remaining = 0;
                Some(Err(MalformedRecord { position_in_frame: start }))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    type OwnedRecord = (i64, Option<Vec<u8>>, Option<Vec<u8>>, Vec<(Vec<u8>, Option<Vec<u8>>)>);

    fn build(records: &[OwnedRecord], base: u64, epoch: u32) -> Vec<u8> {
        let mut builder = FrameBuilder::new();
        for (ts, key, value, headers) in records {
            let mut hbuf = Vec::new();
            let count = encode_headers(headers.iter().map(|(k, v)| (k.as_slice(), v.as_deref())), &mut hbuf);
            let parts = RecordParts {
                timestamp: *ts,
                key: key.as_deref(),
                value: value.as_deref(),
                headers: &hbuf,
                header_count: count,
            };
            let expected = builder.len() + builder.added_len(&parts);
            builder.push(&parts);
            assert_eq!(builder.len(), expected);
        }
        builder.seal(base, epoch).to_vec()
    }

    fn owned_record() -> impl Strategy<Value = OwnedRecord> {
        let bytes = proptest::collection::vec(any::<u8>(), 0..40);
        (
            any::<i64>(),
            proptest::option::of(bytes.clone()),
            proptest::option::of(bytes.clone()),
            proptest::collection::vec((bytes.clone(), proptest::option::of(bytes)), 0..3),
        )
    }

    #[test]
    fn header_fields_round_trip() {
        let frame =
            build(&[(1000, Some(b"k".to_vec()), Some(b"v".to_vec()), vec![]), (900, None, None, vec![])], 42, 7);
        let FrameCheck::Whole(h) = check_frame(&frame) else { panic!("frame should verify") };
        assert_eq!(h.base_offset, 42);
        assert_eq!(h.leader_epoch, 7);
        assert_eq!(h.record_count, 2);
        assert_eq!(h.next_offset(), 44);
        assert_eq!(h.first_timestamp, 1000);
        assert_eq!(h.max_timestamp, 1000);
        assert_eq!(h.frame_len as usize, frame.len());
    }

    #[test]
    fn a_flipped_bit_anywhere_is_detected() {
        let frame = build(&[(5, Some(b"key".to_vec()), Some(b"value".to_vec()), vec![])], 3, 0);
        for i in 0..frame.len() {
            let mut bad = frame.clone();
            bad[i] ^= 0x10;
            assert!(!matches!(check_frame(&bad), FrameCheck::Whole(_)), "flip at byte {i} went unnoticed");
        }
    }

    #[test]
    fn a_cut_frame_is_incomplete() {
        let frame = build(&[(5, None, Some(vec![7; 100]), vec![])], 0, 0);
        assert_eq!(check_frame(&frame[..10]), FrameCheck::Incomplete { needed: HEADER_LEN });
        assert_eq!(check_frame(&frame[..frame.len() - 1]), FrameCheck::Incomplete { needed: frame.len() });
    }

    #[test]
    fn offsets_past_i64_max_are_implausible_not_an_overflow() {
        for (base, delta) in [(u64::MAX, 0u32), (i64::MAX as u64, 0), (u64::MAX - 3, 5), (i64::MAX as u64 - 10, 10)] {
            let mut frame = build(&[(1, None, Some(b"v".to_vec()), vec![])], 0, 0);
            frame[0..8].copy_from_slice(&base.to_le_bytes());
            frame[28..32].copy_from_slice(&delta.to_le_bytes());
            let crc = frame_crc(&frame);
            frame[12..16].copy_from_slice(&crc.to_le_bytes());
            assert_eq!(check_frame(&frame), FrameCheck::Invalid(Damage::BadHeader), "base {base} delta {delta}");
        }
    }

    proptest! {
        #[test]
        fn records_round_trip(records in proptest::collection::vec(owned_record(), 1..20), base in 0u64..1 << 50, epoch: u32) {
            let frame = build(&records, base, epoch);
            let FrameCheck::Whole(header) = check_frame(&frame) else {
                return Err(TestCaseError::fail("frame did not verify"));
            };
            let decoded: Vec<_> = Frame::new(header, &frame).records().collect::<Result<_, _>>().map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
            prop_assert_eq!(decoded.len(), records.len());
            for (i, (rec, (ts, key, value, headers))) in decoded.iter().zip(&records).enumerate() {
                prop_assert_eq!(rec.offset, base + i as u64);
                prop_assert_eq!(rec.timestamp, *ts);
                prop_assert_eq!(rec.key, key.as_deref());
                prop_assert_eq!(rec.value, value.as_deref());
                let got: Vec<_> = rec.headers.iter().map(|(k, v)| (k.to_vec(), v.map(<[u8]>::to_vec))).collect();
                prop_assert_eq!(&got, headers);
            }
        }

        #[test]
        fn decoding_garbage_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            if let FrameCheck::Whole(h) = check_frame(&bytes) {
                for _ in Frame::new(h, &bytes).records() {}
            }
        }

        #[test]
        fn garbage_with_a_valid_checksum_never_panics(mut body in proptest::collection::vec(any::<u8>(), 0..200), count in 1u32..5) {
            let mut frame = vec![0u8; HEADER_LEN];
            frame.append(&mut body);
            let len = frame.len() as u32;
            frame[8..12].copy_from_slice(&len.to_le_bytes());
            frame[16] = FORMAT_VERSION;
            frame[24..28].copy_from_slice(&count.to_le_bytes());
            frame[28..32].copy_from_slice(&(count - 1).to_le_bytes());
            let crc = frame_crc(&frame);
            frame[12..16].copy_from_slice(&crc.to_le_bytes());
            let FrameCheck::Whole(h) = check_frame(&frame) else {
                return Err(TestCaseError::fail("crafted frame should verify"));
            };
            for _ in Frame::new(h, &frame).records() {}
        }
    }
}

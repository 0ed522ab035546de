//! Encoding records into a frame: [`RecordParts`], header encoding, record
//! sizes, and [`FrameBuilder`], which stamps the header and checksum.

use super::header::{DELETE_HORIZON, FORMAT_VERSION, HEADER_LEN, LOG_APPEND_TIME, frame_crc};
use crate::store::varint;

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

// Always inlined: a call per key and value costs the encoder ~10% (it
// stopped being inlined when the frame module was split).
#[inline(always)]
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

/// Kafka's `RECORD_BATCH_OVERHEAD`: the header of a v2 record batch.
pub const KAFKA_BATCH_OVERHEAD: usize = 61;

/// The size of `parts` alone in a Kafka v2 record batch: the batch header
/// plus Kafka's record encoding (an attributes byte, and zigzag varints
/// where runnel writes plain ones). `max.message.bytes` is checked against
/// it, so what runnel accepts a Kafka broker accepts, and the other way round.
pub fn kafka_batch_size(parts: &RecordParts<'_>) -> usize {
    let zigzag_len = |n: usize| varint::len_i64(n as i64);
    let mut headers = zigzag_len(parts.header_count as usize);
    for (key, value) in super::decode::header_pairs(parts.headers, parts.header_count) {
        headers += zigzag_len(key.len()) + key.len() + bytes_len(value);
    }
    let body = 1 + varint::len_i64(0) + zigzag_len(0) + bytes_len(parts.key) + bytes_len(parts.value) + headers;
    KAFKA_BATCH_OVERHEAD + zigzag_len(body) + body
}

/// An upper bound of [`kafka_batch_size`] from runnel's own record size
/// (`record_len` with deltas 0): Kafka adds an attributes byte and, at most,
/// one byte more for each zigzag varint where runnel writes a plain one (the
/// length, the offset delta, the header count, each header key's length).
/// Producers compute the exact size only for records near the limit.
pub fn kafka_batch_size_bound(runnel_record_len: usize, header_count: u32) -> usize {
    KAFKA_BATCH_OVERHEAD + runnel_record_len + 4 + header_count as usize
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

/// Writes one record: its length, deltas, key, value and headers.
#[inline(always)]
fn encode_record(out: &mut Vec<u8>, parts: &RecordParts<'_>, offset_delta: u32, delta: i64, body: usize) {
    varint::put_u64(out, body as u64);
    varint::put_u64(out, u64::from(offset_delta));
    varint::put_i64(out, delta);
    put_bytes(out, parts.key);
    put_bytes(out, parts.value);
    varint::put_u64(out, u64::from(parts.header_count));
    out.extend_from_slice(parts.headers);
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
    /// The frame's delete horizon: then `first_timestamp` holds it.
    delete_horizon: bool,
    /// Stamp the records with this append time when sealing.
    log_append_time: Option<i64>,
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
        FrameBuilder {
            buf,
            count: 0,
            last_delta: 0,
            first_timestamp: 0,
            max_timestamp: i64::MIN,
            delete_horizon: false,
            log_append_time: None,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    pub fn record_count(&self) -> u32 {
        self.count
    }

    /// Bytes the frame's buffer holds room for.
    pub fn capacity(&self) -> usize {
        self.buf.capacity()
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
        encode_record(&mut self.buf, parts, m.offset_delta, m.timestamp_delta, m.body);
        self.count_measured(parts, m);
    }

    /// Appends one record at `offset_delta` from the frame's base offset,
    /// which must be above the previous record's: compaction rebuilds
    /// frames whose offsets have gaps.
    pub fn push_at(&mut self, parts: &RecordParts<'_>, offset_delta: u32) {
        if self.count == 0 && !self.delete_horizon {
            self.first_timestamp = parts.timestamp;
        }
        let delta = parts.timestamp.wrapping_sub(self.first_timestamp);
        let body = body_len(parts, offset_delta, delta);
        encode_record(&mut self.buf, parts, offset_delta, delta, body);
        self.count_record(parts, offset_delta);
    }

    /// [`FrameBuilder::push_measured`], but the record's bytes go to the end
    /// of `staged` instead of the frame: the frame counts the record now, and
    /// `staged` must be [`FrameBuilder::append_staged`] to this frame before
    /// any other record is pushed to it or its bytes are read.
    #[inline]
    pub fn push_measured_staged(&mut self, parts: &RecordParts<'_>, m: Measured, staged: &mut Vec<u8>) {
        encode_record(staged, parts, m.offset_delta, m.timestamp_delta, m.body);
        self.count_measured(parts, m);
    }

    /// Appends the bytes of the records pushed with
    /// [`FrameBuilder::push_measured_staged`], written past the cache
    /// (`sys::stream_copy`): the frame is read next by its append thread.
    pub fn append_staged(&mut self, staged: &[u8]) {
        crate::sys::stream_copy::extend_streaming(&mut self.buf, staged);
    }

    /// Counts a record pushed as [`FrameBuilder::measure`] placed it (the
    /// first one's timestamp is the frame's).
    #[inline]
    fn count_measured(&mut self, parts: &RecordParts<'_>, m: Measured) {
        if self.count == 0 {
            self.first_timestamp = parts.timestamp;
        }
        self.count_record(parts, m.offset_delta);
    }

    #[inline]
    fn count_record(&mut self, parts: &RecordParts<'_>, offset_delta: u32) {
        self.count += 1;
        self.last_delta = offset_delta;
        self.max_timestamp = self.max_timestamp.max(parts.timestamp);
    }

    /// Marks the (still empty) frame with a delete horizon (KIP-534): the
    /// header's `first_timestamp` holds it and the records pushed next count
    /// their timestamps from it. Compaction rebuilds frames with it.
    pub fn set_delete_horizon(&mut self, horizon: i64) {
        debug_assert!(self.count == 0, "the delete horizon comes before the records");
        self.delete_horizon = true;
        self.first_timestamp = horizon;
    }

    /// Makes the next [`FrameBuilder::seal`] stamp every record with
    /// `append_ms` (`message.timestamp.type=LogAppendTime`): the header's
    /// `max_timestamp` becomes it and the attribute says the records carry it.
    pub fn set_log_append_time(&mut self, append_ms: i64) {
        self.log_append_time = Some(append_ms);
    }

    /// The broker's time stamped on the frame, if its topic takes
    /// `LogAppendTime` (set when it is appended).
    pub fn log_append_time(&self) -> Option<i64> {
        self.log_append_time
    }

    /// Stamps the header and checksum; returns the complete frame bytes.
    /// The builder stays sealed until [`FrameBuilder::clear`].
    pub fn seal(&mut self, base_offset: u64, leader_epoch: u32) -> &[u8] {
        let len = self.buf.len() as u32;
        let h = &mut self.buf[..HEADER_LEN];
        h[0..8].copy_from_slice(&base_offset.to_le_bytes());
        h[8..12].copy_from_slice(&len.to_le_bytes());
        h[16] = FORMAT_VERSION;
        let horizon = if self.delete_horizon { DELETE_HORIZON } else { 0 };
        h[17] = horizon | if self.log_append_time.is_some() { LOG_APPEND_TIME } else { 0 };
        h[18..20].copy_from_slice(&0u16.to_le_bytes());
        h[20..24].copy_from_slice(&leader_epoch.to_le_bytes());
        h[24..28].copy_from_slice(&self.count.to_le_bytes());
        h[28..32].copy_from_slice(&self.last_delta.to_le_bytes());
        h[32..40].copy_from_slice(&self.first_timestamp.to_le_bytes());
        h[40..48].copy_from_slice(&self.log_append_time.unwrap_or(self.max_timestamp).to_le_bytes());
        let crc = frame_crc(&self.buf);
        self.buf[12..16].copy_from_slice(&crc.to_le_bytes());
        &self.buf
    }

    /// The frame as [`FrameBuilder::seal`] left it.
    pub fn sealed(&self) -> &[u8] {
        &self.buf
    }

    /// Empties the builder for the next frame, keeping its allocation.
    pub fn clear(&mut self) {
        self.buf.truncate(HEADER_LEN);
        self.count = 0;
        self.last_delta = 0;
        self.max_timestamp = i64::MIN;
        self.delete_horizon = false;
        self.log_append_time = None;
    }
}

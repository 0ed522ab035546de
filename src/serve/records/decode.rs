//! A producer's record batches (Kafka's RecordBatch v2) → runnel's record
//! parts. Batches are checked as a Kafka broker checks them: magic 2, the
//! CRC32C, whole records, the record count; compressed record areas are
//! decompressed within a bound by `decompress` (gzip, snappy, lz4, zstd).

use bytes::{Buf, Bytes};
use kafka_protocol::ResponseError;

use super::decompress::{MAX_DECOMPRESSED_BYTES, decompress};
use super::varint;
use super::{BATCH_HEADER_LEN, COMPRESSION_MASK, CONTROL, TRANSACTIONAL};
use crate::store::{RecordParts, encode_headers};

/// One batch of a produce request, its record area decompressed.
#[derive(Debug, Clone)]
pub struct Batch {
    pub attributes: i16,
    pub last_offset_delta: i32,
    pub base_timestamp: i64,
    pub max_timestamp: i64,
    pub producer_id: i64,
    pub producer_epoch: i16,
    pub base_sequence: i32,
    pub record_count: i32,
    /// The batch's size on the wire (what `max.message.bytes` limits).
    pub wire_len: usize,
    records: Bytes,
}

impl Batch {
    pub fn is_transactional(&self) -> bool {
        self.attributes & TRANSACTIONAL != 0
    }

    pub fn is_control(&self) -> bool {
        self.attributes & CONTROL != 0
    }

    /// The sequence number of the batch's last record.
    pub fn last_sequence(&self) -> i32 {
        if self.base_sequence < 0 {
            return self.base_sequence;
        }
        // Sequences wrap at i32::MAX as Kafka's `DefaultRecordBatch.incrementSequence`.
        let next = i64::from(self.base_sequence) + i64::from(self.last_offset_delta);
        (next % (i64::from(i32::MAX) + 1)) as i32
    }

    /// Calls `each` with every record's parts, in order; Kafka's
    /// CORRUPT_MESSAGE when a record does not decode or the count is off.
    pub fn for_each_record(&self, mut each: impl FnMut(&RecordParts<'_>)) -> Result<(), ResponseError> {
        let buf = &self.records[..];
        let mut pos = 0;
        let mut headers = Vec::new();
        let corrupt = ResponseError::CorruptMessage;
        for _ in 0..self.record_count {
            let len = usize::try_from(varint::get(buf, &mut pos).ok_or(corrupt)?).map_err(|_| corrupt)?;
            let end = pos.checked_add(len).filter(|&e| e <= buf.len()).ok_or(corrupt)?;
            let record = &buf[..end];
            pos += 1; // attributes, unused in v2
            let timestamp_delta = varint::get(record, &mut pos).ok_or(corrupt)?;
            varint::get(record, &mut pos).ok_or(corrupt)?; // offset delta: offsets are the log's
            let key = bytes_field(record, &mut pos).ok_or(corrupt)?;
            let value = bytes_field(record, &mut pos).ok_or(corrupt)?;
            let count = varint::get(record, &mut pos).ok_or(corrupt)?;
            let count = u32::try_from(count).map_err(|_| corrupt)?;
            headers.clear();
            let mut pairs = Vec::with_capacity(count.min(1024) as usize);
            for _ in 0..count {
                let header_key = bytes_field(record, &mut pos).ok_or(corrupt)?.ok_or(corrupt)?;
                let header_value = bytes_field(record, &mut pos).ok_or(corrupt)?;
                pairs.push((header_key, header_value));
            }
            if pos != end {
                return Err(corrupt);
            }
            let header_count = encode_headers(pairs, &mut headers);
            let timestamp = self.base_timestamp.wrapping_add(timestamp_delta);
            each(&RecordParts { timestamp, key, value, headers: &headers, header_count });
        }
        if pos != buf.len() {
            return Err(corrupt);
        }
        Ok(())
    }
}

/// A length-prefixed byte field (`-1`: null).
fn bytes_field<'a>(buf: &'a [u8], pos: &mut usize) -> Option<Option<&'a [u8]>> {
    let len = varint::get(buf, pos)?;
    if len == -1 {
        return Some(None);
    }
    let len = usize::try_from(len).ok()?;
    let end = pos.checked_add(len)?;
    let out = buf.get(*pos..end)?;
    *pos = end;
    Some(Some(out))
}

/// The batches of one partition's `records` field.
pub fn batches(mut records: Bytes) -> Result<Vec<Batch>, ResponseError> {
    let mut out = Vec::new();
    while records.has_remaining() {
        if records.len() < BATCH_HEADER_LEN {
            return Err(ResponseError::CorruptMessage);
        }
        let h = &records[..BATCH_HEADER_LEN];
        let batch_len = i32::from_be_bytes([h[8], h[9], h[10], h[11]]);
        let total =
            usize::try_from(batch_len).ok().and_then(|l| l.checked_add(12)).ok_or(ResponseError::CorruptMessage)?;
        if total < BATCH_HEADER_LEN || total > records.len() {
            return Err(ResponseError::CorruptMessage);
        }
        if h[16] != 2 {
            // Kafka takes only RecordBatch v2 since Produce v3.
            return Err(ResponseError::InvalidRecord);
        }
        let whole = records.split_to(total);
        let stored_crc = u32::from_be_bytes([whole[17], whole[18], whole[19], whole[20]]);
        if crc32c::crc32c(&whole[21..]) != stored_crc {
            return Err(ResponseError::CorruptMessage);
        }
        let mut header = &whole[21..BATCH_HEADER_LEN];
        let attributes = header.get_i16();
        let last_offset_delta = header.get_i32();
        let base_timestamp = header.get_i64();
        let max_timestamp = header.get_i64();
        let producer_id = header.get_i64();
        let producer_epoch = header.get_i16();
        let base_sequence = header.get_i32();
        let record_count = header.get_i32();
        if record_count < 0 || last_offset_delta < 0 {
            return Err(ResponseError::CorruptMessage);
        }
        let area = whole.slice(BATCH_HEADER_LEN..);
        let records_area = decompress(attributes & COMPRESSION_MASK, area, MAX_DECOMPRESSED_BYTES)?;
        out.push(Batch {
            attributes,
            last_offset_delta,
            base_timestamp,
            max_timestamp,
            producer_id,
            producer_epoch,
            base_sequence,
            record_count,
            wire_len: total,
            records: records_area,
        });
    }
    Ok(out)
}

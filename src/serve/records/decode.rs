//! A producer's record batches (Kafka's RecordBatch v2) → runnel's record
//! parts, read as a Kafka broker reads them: batches are framed as Kafka's
//! `ByteBufferLogInputStream` frames them (a batch cut short at the end is
//! not a batch), each keeps whether its CRC32C matched for `validate` to
//! judge in Kafka's order, and records are walked as `DefaultRecord` reads
//! them (a negative key or value length is null; anything malformed is
//! INVALID_RECORD). Compressed record areas are decompressed within a bound
//! by `decompress` (gzip, snappy, lz4, zstd).

use bytes::{Buf, Bytes};
use kafka_protocol::ResponseError;

use super::decompress::{MAX_DECOMPRESSED_BYTES, decompress};
use super::varint;
use super::{BATCH_HEADER_LEN, COMPRESSION_MASK, CONTROL, LOG_APPEND_TIME, TRANSACTIONAL};
use crate::store::{RecordParts, encode_headers};

/// A batch's offset and length fields, before its magic (Kafka's `LOG_OVERHEAD`).
const LOG_OVERHEAD: usize = 12;
/// The least a batch's length field may say (Kafka's `RECORD_OVERHEAD_V0`):
/// less is a corrupt batch, not a short one.
const MIN_BATCH_LENGTH: i32 = 14;

/// One batch of a produce request, as sent.
#[derive(Debug, Clone)]
pub struct Batch {
    pub base_offset: i64,
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
    /// Whether the stored CRC32C is the batch's.
    pub crc_matches: bool,
    /// The record area as sent (compressed as the attributes say).
    area: Bytes,
}

impl Batch {
    pub fn is_transactional(&self) -> bool {
        self.attributes & TRANSACTIONAL != 0
    }

    pub fn is_control(&self) -> bool {
        self.attributes & CONTROL != 0
    }

    /// Whether the producer stamped the batch `LogAppendTime` (only a
    /// broker may).
    pub fn is_log_append_time(&self) -> bool {
        self.attributes & LOG_APPEND_TIME != 0
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

    /// Calls `each` with every record's offset delta and parts, in order.
    /// The area is decompressed first (its errors are the codec's:
    /// CORRUPT_MESSAGE, RECORD_LIST_TOO_LARGE); a record that does not
    /// decode, or a count that is not the records', is INVALID_RECORD, as
    /// Kafka's `DefaultRecord` and record iterator refuse them.
    pub fn for_each_record(&self, mut each: impl FnMut(i64, &RecordParts<'_>)) -> Result<(), ResponseError> {
        let area = decompress(self.attributes & COMPRESSION_MASK, self.area.clone(), MAX_DECOMPRESSED_BYTES)?;
        let buf = &area[..];
        let mut pos = 0;
        let mut headers = Vec::new();
        let invalid = ResponseError::InvalidRecord;
        for _ in 0..self.record_count.max(0) {
            let len = usize::try_from(varint::get(buf, &mut pos).ok_or(invalid)?).map_err(|_| invalid)?;
            let end = pos.checked_add(len).filter(|&e| e <= buf.len()).ok_or(invalid)?;
            let record = &buf[..end];
            pos += 1; // attributes, unused in v2
            let timestamp_delta = varint::get(record, &mut pos).ok_or(invalid)?;
            // Offsets are the log's: a delta only names the record in a refusal.
            let offset_delta = varint::get(record, &mut pos).ok_or(invalid)?;
            let key = bytes_field(record, &mut pos).ok_or(invalid)?;
            let value = bytes_field(record, &mut pos).ok_or(invalid)?;
            let count = varint::get(record, &mut pos).ok_or(invalid)?;
            let count = u32::try_from(count).map_err(|_| invalid)?;
            headers.clear();
            let mut pairs = Vec::with_capacity(count.min(1024) as usize);
            for _ in 0..count {
                let header_key = bytes_field(record, &mut pos).ok_or(invalid)?.ok_or(invalid)?;
                let header_value = bytes_field(record, &mut pos).ok_or(invalid)?;
                pairs.push((header_key, header_value));
            }
            if pos != end {
                return Err(invalid);
            }
            let header_count = encode_headers(pairs, &mut headers);
            // A LogAppendTime batch's records read as its max timestamp.
            let timestamp = if self.is_log_append_time() {
                self.max_timestamp
            } else {
                self.base_timestamp.wrapping_add(timestamp_delta)
            };
            each(offset_delta, &RecordParts { timestamp, key, value, headers: &headers, header_count });
        }
        if pos != buf.len() {
            return Err(invalid);
        }
        Ok(())
    }
}

/// A length-prefixed byte field; any negative length is null, as Kafka
/// reads keys, values and header values.
fn bytes_field<'a>(buf: &'a [u8], pos: &mut usize) -> Option<Option<&'a [u8]>> {
    let len = varint::get(buf, pos)?;
    let Ok(len) = usize::try_from(len) else {
        return Some(None);
    };
    let end = pos.checked_add(len)?;
    let out = buf.get(*pos..end)?;
    *pos = end;
    Some(Some(out))
}

/// The batches of one partition's `records` field. A batch longer than
/// what is left ends the batches, as Kafka reads them; a batch whose length
/// is below any batch's is CORRUPT_MESSAGE; one of an older magic is
/// INVALID_RECORD (Kafka takes only RecordBatch v2 since Produce v3).
pub fn batches(mut records: Bytes) -> Result<Vec<Batch>, ResponseError> {
    let mut out = Vec::new();
    while records.len() >= LOG_OVERHEAD {
        let h = &records[..LOG_OVERHEAD];
        let batch_len = i32::from_be_bytes([h[8], h[9], h[10], h[11]]);
        if batch_len < MIN_BATCH_LENGTH {
            return Err(ResponseError::CorruptMessage);
        }
        let total = batch_len as usize + LOG_OVERHEAD;
        if total > records.len() {
            break;
        }
        let whole = records.split_to(total);
        if whole[16] != 2 {
            return Err(ResponseError::InvalidRecord);
        }
        if total < BATCH_HEADER_LEN {
            return Err(ResponseError::CorruptMessage);
        }
        let mut header = &whole[..BATCH_HEADER_LEN];
        let base_offset = header.get_i64();
        header.advance(4 + 4 + 1); // length, partition leader epoch, magic
        let stored_crc = header.get_u32();
        let crc_matches = crc32c::crc32c(&whole[21..]) == stored_crc;
        out.push(Batch {
            base_offset,
            attributes: header.get_i16(),
            last_offset_delta: header.get_i32(),
            base_timestamp: header.get_i64(),
            max_timestamp: header.get_i64(),
            producer_id: header.get_i64(),
            producer_epoch: header.get_i16(),
            base_sequence: header.get_i32(),
            record_count: header.get_i32(),
            wire_len: total,
            crc_matches,
            area: whole.slice(BATCH_HEADER_LEN..),
        });
    }
    Ok(out)
}

//! A runnel frame → one Kafka RecordBatch v2, for Fetch: the frame's base
//! offset, leader epoch, timestamps and record count become the batch
//! header, each record is re-encoded with Kafka's zigzag varints and an
//! attributes byte, and the batch gets Kafka's CRC32C. Uncompressed, no
//! producer id (runnel's frames keep none), so clients read it as any
//! broker's batch.

use super::varint;
use super::{BATCH_HEADER_LEN, DELETE_HORIZON, LOG_APPEND_TIME};
use crate::store::{Frame, MalformedRecord};

/// Appends `frame` to `out` as one Kafka batch.
pub fn append_batch(frame: &Frame<'_>, out: &mut Vec<u8>) -> Result<(), MalformedRecord> {
    let h = frame.header;
    let start = out.len();
    out.resize(start + BATCH_HEADER_LEN, 0);
    let base_timestamp = h.first_timestamp;
    for record in frame.records() {
        let record = record?;
        let offset_delta = (record.offset - h.base_offset) as i64;
        let timestamp_delta = if h.log_append_time() { 0 } else { record.timestamp.wrapping_sub(base_timestamp) };
        let count = record.headers.len() as i64;
        let mut body_len = 1 + varint::len(timestamp_delta) + varint::len(offset_delta);
        body_len += field_len(record.key) + field_len(record.value) + varint::len(count);
        for (k, v) in record.headers.iter() {
            body_len += field_len(Some(k)) + field_len(v);
        }
        varint::put(out, body_len as i64);
        out.push(0);
        varint::put(out, timestamp_delta);
        varint::put(out, offset_delta);
        put_field(out, record.key);
        put_field(out, record.value);
        varint::put(out, count);
        for (k, v) in record.headers.iter() {
            put_field(out, Some(k));
            put_field(out, v);
        }
    }
    let batch_len = (out.len() - start - 12) as i32;
    let mut attributes: i16 = 0;
    if h.log_append_time() {
        attributes |= LOG_APPEND_TIME;
    }
    if h.delete_horizon().is_some() {
        attributes |= DELETE_HORIZON;
    }
    let header = &mut out[start..start + BATCH_HEADER_LEN];
    header[0..8].copy_from_slice(&(h.base_offset as i64).to_be_bytes());
    header[8..12].copy_from_slice(&batch_len.to_be_bytes());
    header[12..16].copy_from_slice(&(h.leader_epoch as i32).to_be_bytes());
    header[16] = 2;
    header[21..23].copy_from_slice(&attributes.to_be_bytes());
    header[23..27].copy_from_slice(&(h.last_offset_delta as i32).to_be_bytes());
    header[27..35].copy_from_slice(&base_timestamp.to_be_bytes());
    header[35..43].copy_from_slice(&h.max_timestamp.to_be_bytes());
    header[43..51].copy_from_slice(&(-1i64).to_be_bytes());
    header[51..53].copy_from_slice(&(-1i16).to_be_bytes());
    header[53..57].copy_from_slice(&(-1i32).to_be_bytes());
    header[57..61].copy_from_slice(&(h.record_count as i32).to_be_bytes());
    let crc = crc32c::crc32c(&out[start + 21..]);
    out[start + 17..start + 21].copy_from_slice(&crc.to_be_bytes());
    Ok(())
}

fn field_len(field: Option<&[u8]>) -> usize {
    match field {
        Some(b) => varint::len(b.len() as i64) + b.len(),
        None => 1,
    }
}

fn put_field(out: &mut Vec<u8>, field: Option<&[u8]>) {
    match field {
        Some(b) => {
            varint::put(out, b.len() as i64);
            out.extend_from_slice(b);
        }
        None => varint::put(out, -1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::records::decode::batches;
    use crate::store::{FrameBuilder, FrameCheck, RecordParts, check_frame, encode_headers};

    #[test]
    fn a_frame_reads_back_through_the_batch_decoder_byte_exact() {
        let mut headers = Vec::new();
        let count = encode_headers(
            [(&b"h"[..], Some(&b"1"[..])), (&b"h"[..], None), (&b"e"[..], Some(&b""[..]))],
            &mut headers,
        );
        let mut builder = FrameBuilder::new();
        builder.push(&RecordParts {
            timestamp: 1000,
            key: Some(b"k"),
            value: Some(b""),
            headers: &headers,
            header_count: count,
        });
        builder.push(&RecordParts { timestamp: 990, key: None, value: None, headers: &[], header_count: 0 });
        let bytes = builder.seal(42, 3).to_vec();
        let FrameCheck::Whole(header) = check_frame(&bytes) else { panic!("frame") };
        let frame = Frame::new(header, &bytes);
        let mut out = Vec::new();
        append_batch(&frame, &mut out).expect("encode");
        let decoded = batches(bytes::Bytes::from(out)).expect("decode");
        assert_eq!(decoded.len(), 1);
        let mut seen = Vec::new();
        decoded[0]
            .for_each_record(|_, p| {
                seen.push((
                    p.timestamp,
                    p.key.map(<[u8]>::to_vec),
                    p.value.map(<[u8]>::to_vec),
                    p.headers.to_vec(),
                    p.header_count,
                ))
            })
            .expect("records");
        assert_eq!(
            seen,
            vec![(1000, Some(b"k".to_vec()), Some(Vec::new()), headers.clone(), 3), (990, None, None, Vec::new(), 0),]
        );
    }
}

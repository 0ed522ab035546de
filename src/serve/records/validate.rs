//! Kafka's checks of a producer's batch, in Kafka's order, with Kafka's
//! answers: `UnifiedLog.analyzeAndValidateRecords` (base offset 0, the
//! size against `max.message.bytes`, the CRC), then `LogValidator`'s batch
//! checks (offset range and record count, no control batch, a sequence for
//! a producer id) and record checks (a key on a compacted topic, the
//! timestamp within the topic's bounds, no producer-set `LogAppendTime`).
//! A record refused is named by its index in Produce v8+'s `record_errors`
//! and the partition's `error_message`, worded as Kafka words them.

use kafka_protocol::ResponseError;

use super::decode::Batch;
use crate::cluster::rules::topic_config::NO_TIMESTAMP;
use crate::cluster::rules::topic_config::TopicSettings;
use crate::store::RecordParts;

/// A partition's produce refused: the error, and for record-level
/// refusals Kafka's message and every refused record's index and reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// Kafka's error code.
    pub code: i16,
    pub message: Option<String>,
    pub record_errors: Vec<(i32, String)>,
}

impl From<ResponseError> for Refusal {
    fn from(error: ResponseError) -> Refusal {
        Refusal::code(error.code())
    }
}

impl Refusal {
    /// A refusal with Kafka's `code` and nothing more to say.
    pub fn code(code: i16) -> Refusal {
        Refusal { code, message: None, record_errors: Vec::new() }
    }
}

/// The batch-level checks, before any record is read.
pub fn check_batch(batch: &Batch, settings: &TopicSettings) -> Result<(), ResponseError> {
    if batch.base_offset != 0 {
        return Err(ResponseError::InvalidRecord);
    }
    if batch.wire_len as u64 > settings.max_message_bytes {
        return Err(ResponseError::MessageTooLarge);
    }
    if !batch.crc_matches {
        return Err(ResponseError::CorruptMessage);
    }
    let count_from_offsets = i64::from(batch.last_offset_delta) + 1;
    if count_from_offsets <= 0 || batch.record_count <= 0 || count_from_offsets != i64::from(batch.record_count) {
        return Err(ResponseError::InvalidRecord);
    }
    if batch.is_control() {
        return Err(ResponseError::InvalidRecord);
    }
    if batch.producer_id >= 0 && batch.base_sequence < 0 {
        return Err(ResponseError::InvalidRecord);
    }
    Ok(())
}

/// Why Kafka refuses one record (its offset delta and parts) of `batch`
/// to partition `tp` at `now_ms`, if it does.
pub fn check_record(
    batch: &Batch,
    offset_delta: i64,
    parts: &RecordParts<'_>,
    settings: &TopicSettings,
    tp: &str,
    now_ms: i64,
) -> Option<(ResponseError, String)> {
    if settings.cleanup_compact && parts.key.is_none() {
        let why = format!("Compacted topic cannot accept message without key in topic partition {tp}");
        return Some((ResponseError::InvalidRecord, why));
    }
    if !settings.log_append_time && parts.timestamp != NO_TIMESTAMP {
        let (earliest, latest) = settings.timestamp_window(now_ms);
        if !(earliest..=latest).contains(&parts.timestamp) {
            let why = format!(
                "Timestamp {} of message with offset {offset_delta} is out of range. The timestamp should be within [{earliest}, {latest}]",
                parts.timestamp
            );
            return Some((ResponseError::InvalidTimestamp, why));
        }
    } else if batch.is_log_append_time() {
        let why = format!(
            "Invalid timestamp type in message DefaultRecord(offset={offset_delta}, timestamp={}, key={} bytes, value={} bytes). \
             Producer should not set timestamp type to LogAppendTime.",
            parts.timestamp,
            parts.key.map_or(0, <[u8]>::len),
            parts.value.map_or(0, <[u8]>::len)
        );
        return Some((ResponseError::InvalidTimestamp, why));
    }
    None
}

/// The refusal of a batch whose records were refused (`(index, error,
/// why)`, in order), as Kafka's `processRecordErrors` words it; `None`
/// if none was.
pub fn refusal(refused: Vec<(i32, ResponseError, String)>) -> Option<Refusal> {
    if refused.is_empty() {
        return None;
    }
    let (error, message) = if refused.iter().any(|(_, e, _)| *e == ResponseError::InvalidTimestamp) {
        (ResponseError::InvalidTimestamp, "One or more records have been rejected due to invalid timestamp".to_string())
    } else {
        let shown: Vec<String> = refused
            .iter()
            .take(3)
            .map(|(index, _, why)| format!("RecordError(batchIndex={index}, message='{why}')"))
            .collect();
        let message = format!(
            "One or more records have been rejected due to {} record errors in total, and only showing the first three errors at most: [{}]",
            refused.len(),
            shown.join(", ")
        );
        (ResponseError::InvalidRecord, message)
    };
    let record_errors = refused.into_iter().map(|(index, _, why)| (index, why)).collect();
    Some(Refusal { code: error.code(), message: Some(message), record_errors })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::serve::records::decode::batches;

    /// A batch of `values` as kafka-protocol's encoder writes it (Kafka's
    /// own layout), then changed by `tweak` with its CRC made right again.
    fn batch(values: &[Option<&str>], tweak: impl FnOnce(&mut [u8])) -> Batch {
        use kafka_protocol::records::{Compression, Record, RecordBatchEncoder, RecordEncodeOptions, TimestampType};
        let records: Vec<Record> = values
            .iter()
            .enumerate()
            .map(|(i, v)| Record {
                transactional: false,
                control: false,
                delete_horizon: false,
                partition_leader_epoch: 0,
                producer_id: -1,
                producer_epoch: -1,
                timestamp_type: TimestampType::Creation,
                offset: i as i64,
                // Consecutive, or the encoder starts a batch per record.
                sequence: i as i32,
                timestamp: crate::sys::clock::now_ms(),
                key: v.map(|_| bytes::Bytes::from_static(b"k")),
                value: v.map(|v| bytes::Bytes::from(v.to_string())),
                headers: Default::default(),
            })
            .collect();
        let mut out = bytes::BytesMut::new();
        let options = RecordEncodeOptions { version: 2, compression: Compression::None };
        RecordBatchEncoder::encode(&mut out, records.iter(), &options).expect("encode");
        let mut raw = out.to_vec();
        assert_eq!(raw.len(), 12 + i32::from_be_bytes([raw[8], raw[9], raw[10], raw[11]]) as usize, "one batch");
        tweak(&mut raw);
        let crc = crc32c::crc32c(&raw[21..]);
        raw[17..21].copy_from_slice(&crc.to_be_bytes());
        batches(bytes::Bytes::from(raw)).expect("framed").remove(0)
    }

    fn settings(config: &[(&str, &str)]) -> TopicSettings {
        let overrides: BTreeMap<String, String> = config.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        TopicSettings::resolve(&overrides).expect("settings")
    }

    /// Kafka's `LogValidatorTest` / `UnifiedLogTest` cases for a client's
    /// batch, each with Kafka's error.
    #[test]
    fn batch_checks_answer_as_kafka_in_kafkas_order() {
        let defaults = settings(&[]);
        assert_eq!(check_batch(&batch(&[Some("a"), Some("b")], |_| {}), &defaults), Ok(()));
        let base_offset_5 = batch(&[Some("a")], |raw| raw[..8].copy_from_slice(&5i64.to_be_bytes()));
        assert_eq!(check_batch(&base_offset_5, &defaults), Err(ResponseError::InvalidRecord));
        // Count 2 against a last offset delta of 0, and a count of 0.
        let count_2 = batch(&[Some("a")], |raw| raw[57..61].copy_from_slice(&2i32.to_be_bytes()));
        assert_eq!(check_batch(&count_2, &defaults), Err(ResponseError::InvalidRecord));
        let delta_5 = batch(&[Some("a"), Some("b")], |raw| raw[23..27].copy_from_slice(&5i32.to_be_bytes()));
        assert_eq!(check_batch(&delta_5, &defaults), Err(ResponseError::InvalidRecord));
        let control = batch(&[Some("a")], |raw| raw[22] |= 0x20);
        assert_eq!(check_batch(&control, &defaults), Err(ResponseError::InvalidRecord));
        // A producer id without a sequence.
        let no_sequence = batch(&[Some("a")], |raw| {
            raw[43..51].copy_from_slice(&7i64.to_be_bytes());
            raw[53..57].copy_from_slice(&(-1i32).to_be_bytes());
        });
        assert_eq!(check_batch(&no_sequence, &defaults), Err(ResponseError::InvalidRecord));
        // The size comes before the CRC, the base offset before both.
        let mut torn = batch(&[Some("a")], |_| {});
        torn.crc_matches = false;
        assert_eq!(check_batch(&torn, &defaults), Err(ResponseError::CorruptMessage));
        assert_eq!(check_batch(&torn, &settings(&[("max.message.bytes", "10")])), Err(ResponseError::MessageTooLarge));
        torn.base_offset = 1;
        assert_eq!(check_batch(&torn, &settings(&[("max.message.bytes", "10")])), Err(ResponseError::InvalidRecord));
    }

    #[test]
    fn record_checks_name_each_refused_record_as_kafka_does() {
        let compacted = settings(&[("cleanup.policy", "compact")]);
        let b = batch(&[Some("a"), None, None], |_| {});
        let mut refused = Vec::new();
        let mut index = 0;
        b.for_each_record(|delta, parts| {
            if let Some((e, why)) = check_record(&b, delta, parts, &compacted, "t-0", crate::sys::clock::now_ms()) {
                refused.push((index, e, why));
            }
            index += 1;
        })
        .expect("records");
        let r = refusal(refused).expect("refused");
        assert_eq!(r.code, ResponseError::InvalidRecord.code());
        let why = "Compacted topic cannot accept message without key in topic partition t-0";
        assert_eq!(r.record_errors, vec![(1, why.to_string()), (2, why.to_string())]);
        assert_eq!(
            r.message.as_deref(),
            Some(
                "One or more records have been rejected due to 2 record errors in total, and only showing the first \
                 three errors at most: [RecordError(batchIndex=1, message='Compacted topic cannot accept message without \
                 key in topic partition t-0'), RecordError(batchIndex=2, message='Compacted topic cannot accept message \
                 without key in topic partition t-0')]"
            )
        );

        // A producer may not stamp LogAppendTime: on a LogAppendTime topic
        // always refused; on a CreateTime one its time is range-checked.
        let stamped = batch(&[Some("a")], |raw| raw[22] |= 0x08);
        let check = |s: &TopicSettings, now: i64| {
            let mut out = None;
            stamped.for_each_record(|d, p| out = check_record(&stamped, d, p, s, "t-0", now)).expect("records");
            out.map(|(e, _)| e)
        };
        let now = crate::sys::clock::now_ms();
        assert_eq!(
            check(&settings(&[("message.timestamp.type", "LogAppendTime")]), now),
            Some(ResponseError::InvalidTimestamp)
        );
        assert_eq!(check(&settings(&[]), now), None);
        assert_eq!(check(&settings(&[]), now - 7_200_000), Some(ResponseError::InvalidTimestamp), "two hours behind");
        let timestamps = refusal(vec![
            (0, ResponseError::InvalidRecord, "x".into()),
            (1, ResponseError::InvalidTimestamp, "y".into()),
        ]);
        let timestamps = timestamps.expect("refused");
        assert_eq!(timestamps.code, ResponseError::InvalidTimestamp.code());
        assert_eq!(
            timestamps.message.as_deref(),
            Some("One or more records have been rejected due to invalid timestamp")
        );
    }

    #[test]
    fn malformed_records_behind_a_good_crc_are_invalid_records() {
        // A record whose length runs past the area.
        let long = batch(&[Some("a")], |raw| raw[61] = 0x7e);
        assert_eq!(long.for_each_record(|_, _| {}), Err(ResponseError::InvalidRecord));
        // One record fewer than counted (count and delta agree at 2).
        let short = batch(&[Some("a")], |raw| {
            raw[23..27].copy_from_slice(&1i32.to_be_bytes());
            raw[57..61].copy_from_slice(&2i32.to_be_bytes());
        });
        assert_eq!(check_batch(&short, &settings(&[])), Ok(()));
        assert_eq!(short.for_each_record(|_, _| {}), Err(ResponseError::InvalidRecord));
    }
}

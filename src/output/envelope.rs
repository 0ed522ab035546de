//! One record as the compact JSON envelope that `produce --format json`
//! reads back, `{"topic":..,"partition":..,"offset":..,"timestamp":..,
//! "key":..,"value":..,"headers":{..}}`, and an [`EnvelopeWriter`] that
//! builds what every record of a partition starts with once, not per record.

use crate::envelope::payload;
use crate::store::{Headers, Record};

/// Appends `record` as one compact JSON envelope (no newline).
pub fn write_envelope(topic: &str, partition: u32, record: &Record<'_>, out: &mut Vec<u8>) {
    write_start(topic, partition, out);
    write_rest(record, out);
}

/// Writes envelopes like [`write_envelope`], keeping the start that the
/// records of one partition share (`{"topic":"t","partition":0,"offset":`)
/// from one record to the next.
#[derive(Debug, Default)]
pub struct EnvelopeWriter {
    /// The topic and partition `start` is for.
    topic: String,
    partition: u32,
    /// Their envelope's start; empty until the first record.
    start: Vec<u8>,
}

impl EnvelopeWriter {
    /// Appends `record` as one compact JSON envelope (no newline), the same
    /// bytes as [`write_envelope`].
    pub fn write(&mut self, topic: &str, partition: u32, record: &Record<'_>, out: &mut Vec<u8>) {
        if self.start.is_empty() || self.partition != partition || self.topic != topic {
            self.topic.clear();
            self.topic.push_str(topic);
            self.partition = partition;
            self.start.clear();
            write_start(topic, partition, &mut self.start);
        }
        out.extend_from_slice(&self.start);
        write_rest(record, out);
    }
}

/// `{"topic":…,"partition":…,"offset":`
fn write_start(topic: &str, partition: u32, out: &mut Vec<u8>) {
    out.extend_from_slice(b"{\"topic\":");
    payload::write_json_string(topic, out);
    out.extend_from_slice(b",\"partition\":");
    out.extend_from_slice(itoa::Buffer::new().format(partition).as_bytes());
    out.extend_from_slice(b",\"offset\":");
}

/// The envelope after `"offset":`, to its closing brace.
fn write_rest(record: &Record<'_>, out: &mut Vec<u8>) {
    let mut number = itoa::Buffer::new();
    out.extend_from_slice(number.format(record.offset).as_bytes());
    out.extend_from_slice(b",\"timestamp\":");
    out.extend_from_slice(number.format(record.timestamp).as_bytes());
    out.push(b',');
    write_key_value_headers(record, out);
    out.push(b'}');
}

/// `"key":…,"value":…,"headers":{…}` as in the envelope (no braces around).
pub fn write_key_value_headers(record: &Record<'_>, out: &mut Vec<u8>) {
    out.extend_from_slice(b"\"key\":");
    payload::encode(record.key, out);
    out.extend_from_slice(b",\"value\":");
    payload::encode(record.value, out);
    out.extend_from_slice(b",\"headers\":");
    write_headers_json(&record.headers, out);
}

/// Headers as the envelope's JSON object, in order, duplicates kept.
pub fn write_headers_json(headers: &Headers<'_>, out: &mut Vec<u8>) {
    if headers.is_empty() {
        out.extend_from_slice(b"{}");
        return;
    }
    out.push(b'{');
    for (i, (name, value)) in headers.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        // JSON names are text: a (rare) non-UTF-8 header name is shown lossily.
        payload::write_json_string(&String::from_utf8_lossy(name), out);
        out.push(b':');
        payload::encode(value, out);
    }
    out.push(b'}');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::test_support::{OwnedHeaders, frame, record};
    use proptest::prelude::*;

    /// The envelope of a record without headers, as serde_json writes it.
    #[derive(serde::Serialize)]
    struct SerdeEnvelope<'a> {
        topic: &'a str,
        partition: u32,
        offset: u64,
        timestamp: i64,
        key: Option<&'a str>,
        value: Option<&'a str>,
        headers: std::collections::BTreeMap<String, String>,
    }

    proptest! {
        #[test]
        fn text_envelopes_match_serde_json(
            topic in "[a-zA-Z0-9._\\-]{1,12}",
            partition in 0..1000u32,
            offset in 0..=i64::MAX as u64,
            ts in 0..=i64::MAX,
            // Text without control characters, which serde_json writes
            // the same way (it spells \u{8} and \u{c} as `\b` and `\f`).
            key in proptest::option::of("\\PC{0,12}"),
            value in proptest::option::of("\\PC{0,100}"),
        ) {
            let (key, value) = (key.as_deref(), value.as_deref());
            let f = frame(offset, ts, key.map(str::as_bytes), value.map(str::as_bytes), &OwnedHeaders::new());
            let mut out = Vec::new();
            write_envelope(&topic, partition, &record(&f), &mut out);
            let envelope = SerdeEnvelope { topic: &topic, partition, offset, timestamp: ts, key, value, headers: Default::default() };
            let want = serde_json::to_vec(&envelope).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(String::from_utf8_lossy(&out), String::from_utf8_lossy(&want));
        }

        #[test]
        fn the_writer_writes_what_write_envelope_writes(
            records in proptest::collection::vec(("[ab\"]{1,3}", 0..3u32, 0..100u64, proptest::option::of("[ -~]{0,20}")), 1..12),
        ) {
            let mut writer = EnvelopeWriter::default();
            let (mut kept, mut fresh) = (Vec::new(), Vec::new());
            for (topic, partition, offset, value) in &records {
                let f = frame(*offset, 1, None, value.as_deref().map(str::as_bytes), &OwnedHeaders::new());
                writer.write(topic, *partition, &record(&f), &mut kept);
                write_envelope(topic, *partition, &record(&f), &mut fresh);
            }
            prop_assert_eq!(String::from_utf8_lossy(&kept), String::from_utf8_lossy(&fresh));
        }
    }
}

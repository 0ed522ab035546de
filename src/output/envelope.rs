//! One record as the compact JSON envelope that `produce --format json`
//! reads back, `{"topic":..,"partition":..,"offset":..,"timestamp":..,
//! "key":..,"value":..,"headers":{..}}`, and an [`EnvelopeWriter`] that
//! keeps what a partition's records start with (an `EnvelopeHead`) and
//! writes the rest of a record into room reserved once.

use super::envelope_head::{EnvelopeHead, write_start};
use crate::envelope::payload;
use crate::store::{Headers, Record};

/// Appends `record` as one compact JSON envelope (no newline).
pub fn write_envelope(topic: &str, partition: u32, record: &Record<'_>, out: &mut Vec<u8>) {
    write_start(topic, partition, out);
    write_rest(record, out);
}

/// Writes envelope lines, keeping the start that the records of one
/// partition share from one record to the next.
#[derive(Debug, Default)]
pub struct EnvelopeWriter {
    head: EnvelopeHead,
}

impl EnvelopeWriter {
    /// What follows the key.
    const VALUE: &[u8; 9] = b",\"value\":";
    /// What follows the value of a record without headers, and the newline.
    const NO_HEADERS: &[u8; 15] = b",\"headers\":{}}\n";

    /// Appends `record` as one compact JSON envelope and a newline, the same
    /// bytes as [`write_envelope`] and `\n`. Not inlined: the registers it
    /// needs would cost the caller's other formats a save and restore per
    /// record.
    #[inline(never)]
    pub fn write_line(&mut self, topic: &str, partition: u32, record: &Record<'_>, out: &mut Vec<u8>) {
        if !record.headers.is_empty() || !self.write_text_line(topic, partition, record, out) {
            write_envelope(topic, partition, record, out);
            out.push(b'\n');
        }
    }

    /// [`Self::write_line`] for a record without headers whose key and
    /// value are null or UTF-8 (the common case): its head copied, the rest
    /// written into room reserved once. `false`, and nothing appended, for
    /// a key or value that is not UTF-8.
    #[inline(always)]
    fn write_text_line(&mut self, topic: &str, partition: u32, record: &Record<'_>, out: &mut Vec<u8>) -> bool {
        let head = self.head.of(topic, partition, record.offset, record.timestamp);
        let (key, value) = (record.key, record.value);
        let key_room = payload::text_room(key.map_or(0, <[u8]>::len));
        let value_room = payload::text_room(value.map_or(0, <[u8]>::len));
        out.reserve(head.len() + key_room + Self::VALUE.len() + value_room + Self::NO_HEADERS.len());
        let len = out.len();
        // SAFETY: `reserve` made room for the head, the key's and the
        // value's `text_room`s and the two constant pieces after `len`;
        // each piece is written at the end of the one before, within its
        // own room (`write_text` may write past its end, within its room,
        // and the next piece overwrites that). `set_len` keeps exactly the
        // bytes written, all initialised, and only when all were.
        unsafe {
            let start = out.as_mut_ptr().add(len);
            start.copy_from_nonoverlapping(head.as_ptr(), head.len());
            let Some(p) = payload::write_text(key, start.add(head.len())) else {
                return false;
            };
            p.cast::<[u8; 9]>().write_unaligned(*Self::VALUE);
            let Some(p) = payload::write_text(value, p.add(Self::VALUE.len())) else {
                return false;
            };
            p.cast::<[u8; 15]>().write_unaligned(*Self::NO_HEADERS);
            let end = p.add(Self::NO_HEADERS.len());
            out.set_len(len + end.offset_from(start) as usize);
        }
        true
    }
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
            let mut want = serde_json::to_vec(&envelope).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(String::from_utf8_lossy(&out), String::from_utf8_lossy(&want));
            let mut line = Vec::new();
            EnvelopeWriter::default().write_line(&topic, partition, &record(&f), &mut line);
            want.push(b'\n');
            prop_assert_eq!(String::from_utf8_lossy(&line), String::from_utf8_lossy(&want));
        }

        #[test]
        fn the_writer_writes_what_write_envelope_writes(
            records in proptest::collection::vec(
                (
                    "[ab\"]{1,3}",
                    0..3u32,
                    // Mostly the next offset, as in a log; sometimes a jump.
                    prop_oneof![4 => Just(None), 1 => (0..2000u64).prop_map(Some)],
                    prop_oneof![4 => Just(None), 1 => any::<i64>().prop_map(Some)],
                    proptest::option::of(proptest::collection::vec(any::<u8>(), 0..12)),
                    proptest::option::of(prop_oneof![
                        "[ -~]{0,40}".prop_map(String::into_bytes),
                        "\\PC{0,40}".prop_map(String::into_bytes),
                        proptest::collection::vec(any::<u8>(), 0..40),
                    ]),
                    proptest::collection::vec(("[a-z]{1,3}", proptest::option::of(proptest::collection::vec(any::<u8>(), 0..4))), 0..2),
                ),
                1..40,
            ),
        ) {
            let mut writer = EnvelopeWriter::default();
            let (mut kept, mut fresh) = (Vec::new(), Vec::new());
            let (mut offset, mut ts) = (997u64, 1_732_523_000_000i64);
            for (topic, partition, jump, new_ts, key, value, headers) in &records {
                offset = jump.unwrap_or(offset + 1);
                ts = new_ts.unwrap_or(ts);
                let headers: OwnedHeaders = headers.iter().map(|(k, v)| (k.as_bytes().to_vec(), v.clone())).collect();
                let f = frame(offset, ts, key.as_deref(), value.as_deref(), &headers);
                let before = kept.len();
                writer.write_line(topic, *partition, &record(&f), &mut kept);
                write_envelope(topic, *partition, &record(&f), &mut fresh);
                fresh.push(b'\n');
                let line: serde_json::Value = serde_json::from_slice(&kept[before..]).map_err(|e| TestCaseError::fail(e.to_string()))?;
                prop_assert_eq!(line["offset"].as_u64(), Some(offset));
            }
            prop_assert_eq!(String::from_utf8_lossy(&kept), String::from_utf8_lossy(&fresh));
        }
    }
}

//! `--to TOPIC`: the command's standard output, one record per line, keyed
//! as `produce` keys its input (`--to-key-field`, `--to-key-separator`),
//! as `produce --format json` envelopes. Each record carries the header
//! [`MARKER`]: `GROUP:TOPIC:PARTITION:FIRST-LAST/N`, the input batch it came
//! from and its line number in the command's output — provenance for
//! readers, and how [`super::exactly_once`] finds which outputs of an
//! interrupted batch are already in TOPIC.

use crate::cluster::TopicMeta;
use crate::cluster::rules::topic_config::TopicSettings;
use crate::envelope::payload;
use crate::error::{Error, Result};
use crate::producer::{LineFormat, parse_line};
use crate::store::{RecordParts, encode_headers, kafka_batch_size};

/// The header each output record carries.
pub const MARKER: &str = "runnel.input";

/// The marker's value without the line number: names one input batch.
pub fn batch_marker(group: &str, topic: &str, partition: u32, first: u64, last: u64) -> String {
    format!("{group}:{topic}:{partition}:{first}-{last}")
}

/// Each line of `stdout` (a last line without a newline counts; nothing
/// after a final newline) as one envelope line, stamped `timestamp`. A
/// line that does not parse, or whose record would pass `to`'s
/// `max.message.bytes` (Kafka's batch encoding, marker header included),
/// is an error before anything is recorded or appended: an intent could
/// never be finished with it.
pub fn envelopes(
    stdout: &[u8],
    format: &LineFormat,
    marker: &str,
    timestamp: i64,
    to: &TopicMeta,
) -> Result<Vec<String>> {
    let text = stdout.strip_suffix(b"\n").unwrap_or(stdout);
    if stdout.is_empty() {
        return Ok(Vec::new());
    }
    let max = TopicSettings::resolve(&to.config)?.max_message_bytes;
    let mut out = Vec::new();
    for (i, line) in text.split(|&b| b == b'\n').enumerate() {
        let message = parse_line(format, line, None)
            .map_err(|why| Error::bad_input(format!("line {} of the command's output: {why}", i + 1)))?;
        let line_marker = format!("{marker}/{i}");
        check_size(to, max, message.key.as_deref(), message.value.as_deref(), &line_marker)
            .map_err(|why| Error::bad_input(format!("line {} of the command's output: {why}", i + 1)))?;
        let mut json = Vec::with_capacity(line.len() + 96);
        json.extend_from_slice(b"{\"key\":");
        payload::encode(message.key.as_deref(), &mut json);
        json.extend_from_slice(b",\"value\":");
        payload::encode(message.value.as_deref(), &mut json);
        json.extend_from_slice(b",\"headers\":{");
        payload::write_json_string(MARKER, &mut json);
        json.push(b':');
        payload::write_json_string(&line_marker, &mut json);
        json.extend_from_slice(b"},\"timestamp\":");
        json.extend_from_slice(timestamp.max(0).to_string().as_bytes());
        json.push(b'}');
        // Both encoders write UTF-8 (bytes that are not become base64).
        out.push(String::from_utf8(json).map_err(|e| Error::other(format!("an envelope is not UTF-8: {e}")))?);
    }
    Ok(out)
}

/// `Err(why)` when a record of `key`, `value` and the marker header would
/// pass `max` (`to`'s `max.message.bytes`) alone in a Kafka record batch.
fn check_size(to: &TopicMeta, max: u64, key: Option<&[u8]>, value: Option<&[u8]>, marker: &str) -> Result<(), String> {
    let mut headers = Vec::new();
    let header_count = encode_headers([(MARKER.as_bytes(), Some(marker.as_bytes()))], &mut headers);
    let size = kafka_batch_size(&RecordParts { timestamp: 0, key, value, headers: &headers, header_count });
    if size as u64 > max {
        return Err(format!(
            "its record of {size} bytes is larger than max.message.bytes={max} of topic '{}'",
            to.name
        ));
    }
    Ok(())
}

/// The line number a marker value names, when it belongs to `batch`.
pub fn line_of(value: &[u8], batch: &str) -> Option<usize> {
    let rest = value.strip_prefix(batch.as_bytes())?.strip_prefix(b"/")?;
    std::str::from_utf8(rest).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::producer::MissingSeparator;

    /// Output topic `out` with `max.message.bytes` set to `max`, if given.
    fn out_topic(max: Option<u64>) -> TopicMeta {
        TopicMeta::for_test("out", max)
    }

    #[test]
    fn lines_become_keyed_envelopes_with_their_marker() {
        let to = &out_topic(None);
        let format = LineFormat::KeySeparator { separator: b":".to_vec(), if_missing: MissingSeparator::Refuse };
        let lines = envelopes(b"a:1\nb:2\n", &format, "g:t:0:5-6", 9, to).expect("parses");
        assert_eq!(lines.len(), 2);
        let doc: serde_json::Value = serde_json::from_str(&lines[1]).expect("json");
        assert_eq!(doc["key"], "b");
        assert_eq!(doc["value"], "2");
        assert_eq!(doc["headers"][MARKER], "g:t:0:5-6/1");
        assert_eq!(line_of(b"g:t:0:5-6/1", "g:t:0:5-6"), Some(1));
        assert_eq!(line_of(b"g:t:0:5-60/1", "g:t:0:5-6"), None);
        let err = envelopes(b"nokey\n", &format, "m", 0, to).expect_err("no separator");
        assert!(err.message.contains("line 1"), "{err}");
        assert!(envelopes(b"", &LineFormat::Plain, "m", 0, to).expect("empty").is_empty());
    }

    #[test]
    fn a_line_too_large_for_the_output_topic_is_refused_before_anything_is_recorded() {
        // Kafka's batch of one record: 61 B of header, the record's fields and the marker header.
        let marker = "g:t:0:0-0";
        let fits = |value_len: usize, max: u64| {
            let line = vec![b'v'; value_len];
            envelopes(&line, &LineFormat::Plain, marker, 0, &out_topic(Some(max))).is_ok()
        };
        let size = |value_len: usize| {
            let mut headers = Vec::new();
            let n = encode_headers([(MARKER.as_bytes(), Some(format!("{marker}/0").as_bytes()))], &mut headers);
            let value = vec![b'v'; value_len];
            kafka_batch_size(&RecordParts {
                timestamp: 0,
                key: None,
                value: Some(&value),
                headers: &headers,
                header_count: n,
            })
        };
        let exact = size(1000) as u64;
        assert!(fits(1000, exact), "a record of exactly max.message.bytes passes, as in Kafka");
        assert!(!fits(1001, exact));
        let err = envelopes(
            b"ok\n".repeat(2).iter().chain(&[b'v'; 2000]).copied().collect::<Vec<u8>>().as_slice(),
            &LineFormat::Plain,
            marker,
            0,
            &out_topic(Some(exact)),
        )
        .expect_err("too large");
        assert!(err.message.contains("line 3") && err.message.contains("max.message.bytes"), "{err}");
        assert_eq!(err.exit_code(), 65);
    }
}

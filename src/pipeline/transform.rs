//! `--to TOPIC`: the command's standard output, one record per line, keyed
//! as `produce` keys its input (`--to-key-field`, `--to-key-separator`),
//! as `produce --format json` envelopes. Each record carries the header
//! [`MARKER`]: `GROUP:TOPIC:PARTITION:FIRST-LAST/N`, the input batch it came
//! from and its line number in the command's output — provenance for
//! readers, and how [`super::exactly_once`] finds which outputs of an
//! interrupted batch are already in TOPIC.

use crate::envelope::payload;
use crate::error::{Error, Result};
use crate::producer::{LineFormat, parse_line};

/// The header each output record carries.
pub const MARKER: &str = "runnel.input";

/// The marker's value without the line number: names one input batch.
pub fn batch_marker(group: &str, topic: &str, partition: u32, first: u64, last: u64) -> String {
    format!("{group}:{topic}:{partition}:{first}-{last}")
}

/// Each line of `stdout` (a last line without a newline counts; nothing
/// after a final newline) as one envelope line, stamped `timestamp`.
pub fn envelopes(stdout: &[u8], format: &LineFormat, marker: &str, timestamp: i64) -> Result<Vec<String>> {
    let text = stdout.strip_suffix(b"\n").unwrap_or(stdout);
    if stdout.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for (i, line) in text.split(|&b| b == b'\n').enumerate() {
        let message = parse_line(format, line, None)
            .map_err(|why| Error::bad_input(format!("line {} of the command's output: {why}", i + 1)))?;
        let mut json = Vec::with_capacity(line.len() + 96);
        json.extend_from_slice(b"{\"key\":");
        payload::encode(message.key.as_deref(), &mut json);
        json.extend_from_slice(b",\"value\":");
        payload::encode(message.value.as_deref(), &mut json);
        json.extend_from_slice(b",\"headers\":{");
        payload::write_json_string(MARKER, &mut json);
        json.push(b':');
        payload::write_json_string(&format!("{marker}/{i}"), &mut json);
        json.extend_from_slice(b"},\"timestamp\":");
        json.extend_from_slice(timestamp.max(0).to_string().as_bytes());
        json.push(b'}');
        // Both encoders write UTF-8 (bytes that are not become base64).
        out.push(String::from_utf8(json).map_err(|e| Error::other(format!("an envelope is not UTF-8: {e}")))?);
    }
    Ok(out)
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

    #[test]
    fn lines_become_keyed_envelopes_with_their_marker() {
        let format = LineFormat::KeySeparator { separator: b":".to_vec(), if_missing: MissingSeparator::Refuse };
        let lines = envelopes(b"a:1\nb:2\n", &format, "g:t:0:5-6", 9).expect("parses");
        assert_eq!(lines.len(), 2);
        let doc: serde_json::Value = serde_json::from_str(&lines[1]).expect("json");
        assert_eq!(doc["key"], "b");
        assert_eq!(doc["value"], "2");
        assert_eq!(doc["headers"][MARKER], "g:t:0:5-6/1");
        assert_eq!(line_of(b"g:t:0:5-6/1", "g:t:0:5-6"), Some(1));
        assert_eq!(line_of(b"g:t:0:5-60/1", "g:t:0:5-6"), None);
        let err = envelopes(b"nokey\n", &format, "m", 0).expect_err("no separator");
        assert!(err.message.contains("line 1"), "{err}");
        assert!(envelopes(b"", &LineFormat::Plain, "m", 0).expect("empty").is_empty());
    }
}

//! Rendering the `log` commands: the `log verify` report (a table or JSON)
//! and `log dump`'s per-frame and per-record lines (text like Kafka's
//! kafka-dump-log, or one JSON object per line).

use std::io::Write;
use std::path::Path;

use serde_json::json;

use super::tables::{AdminFormat, table, to_json};
use crate::cluster::admin::verify_data_dir::{ReplicaCheck, VerifyReport, VerifyStatus};
use crate::store::{FrameHeader, Record};

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

fn replica_detail(r: &ReplicaCheck) -> String {
    match r.status {
        VerifyStatus::Ok => String::new(),
        VerifyStatus::Missing => format!("{} is missing", r.dir.display()),
        VerifyStatus::TornTail | VerifyStatus::Damaged => {
            let finding = r.result.damage.first().or(r.result.torn.as_ref());
            // A finding about a whole replica (shorter than its in-sync
            // peers) names its folder, which has no byte position.
            let mut text = finding.map_or_else(String::new, |f| match f.path.extension() {
                Some(_) => format!("{} byte {}: {}", file_name(&f.path), f.position, f.what),
                None => f.what.clone(),
            });
            if r.result.damage.len() > 1 {
                text.push_str(&format!(" (and {} more)", r.result.damage.len() - 1));
            }
            if r.status == VerifyStatus::TornTail {
                text.push_str(" (torn tail: the next writer cuts it)");
            }
            text
        }
    }
}

/// The `log verify` report.
pub fn render_verify(report: &VerifyReport, format: AdminFormat) -> String {
    match format {
        AdminFormat::Json => to_json(&verify_json(report)),
        AdminFormat::Table => {
            let rows = report
                .replicas
                .iter()
                .map(|r| {
                    vec![
                        r.broker.to_string(),
                        r.topic.clone(),
                        r.partition.to_string(),
                        r.result.segments.to_string(),
                        r.result.frames.to_string(),
                        r.result.records.to_string(),
                        r.status.as_str().to_string(),
                        replica_detail(r),
                    ]
                })
                .collect();
            let headers = ["BROKER", "TOPIC", "PARTITION", "SEGMENTS", "FRAMES", "RECORDS", "STATUS", "DETAIL"];
            let mut out = table(&headers, rows);
            let bad: Vec<Vec<String>> = report
                .metadata
                .iter()
                .filter(|m| !m.status.is_healthy())
                .map(|m| vec![m.path.display().to_string(), m.status.as_str().to_string(), m.detail.clone()])
                .collect();
            if !bad.is_empty() {
                out.push('\n');
                out.push_str(&table(&["METADATA FILE", "STATUS", "DETAIL"], bad));
            }
            out
        }
    }
}

fn verify_json(report: &VerifyReport) -> serde_json::Value {
    let metadata: Vec<_> = report
        .metadata
        .iter()
        .map(|m| json!({"file": m.path, "status": m.status.as_str(), "detail": m.detail}))
        .collect();
    let replicas: Vec<_> = report
        .replicas
        .iter()
        .map(|r| {
            let damage: Vec<_> = r
                .result
                .damage
                .iter()
                .map(|f| json!({"file": f.path, "position": f.position, "what": f.what}))
                .collect();
            let torn = r.result.torn.as_ref().map(|f| json!({"file": f.path, "position": f.position, "what": f.what}));
            json!({
                "broker": r.broker, "topic": r.topic, "partition": r.partition,
                "segments": r.result.segments, "frames": r.result.frames, "records": r.result.records,
                "bytes": r.result.bytes, "end_offset": r.result.end_offset,
                "status": r.status.as_str(), "detail": replica_detail(r), "torn_tail": torn, "damage": damage,
            })
        })
        .collect();
    json!({"healthy": report.is_healthy(), "metadata": metadata, "replicas": replicas})
}

/// One frame line of `log dump` in text, like kafka-dump-log's batch line.
pub fn dump_frame_text(h: &FrameHeader, position: u64, out: &mut Vec<u8>) {
    let _ = writeln!(
        out,
        "baseOffset: {} lastOffset: {} count: {} position: {position} crc: {:#010x} epoch: {} firstTimestamp: {} maxTimestamp: {} size: {}",
        h.base_offset,
        h.last_offset(),
        h.record_count,
        h.crc,
        h.leader_epoch,
        h.first_timestamp,
        h.max_timestamp,
        h.frame_len
    );
    if let Some(horizon) = h.delete_horizon() {
        // Kafka's DumpLogSegments shows it too (KIP-534).
        out.truncate(out.len() - 1);
        let _ = writeln!(out, " deleteHorizonMs: {horizon}");
    }
}

/// One record line of `log dump` in text: bytes that are not printable
/// UTF-8 are shown escaped (`\xff`, `\n`).
pub fn dump_record_text(r: &Record<'_>, out: &mut Vec<u8>) {
    let size = |b: Option<&[u8]>| b.map_or(-1, |b| b.len() as i64);
    let _ = write!(
        out,
        "| offset: {} timestamp: {} keySize: {} valueSize: {} key: ",
        r.offset,
        r.timestamp,
        size(r.key),
        size(r.value)
    );
    escaped(r.key, out);
    out.extend_from_slice(b" value: ");
    escaped(r.value, out);
    out.extend_from_slice(b" headers: [");
    for (i, (k, v)) in r.headers.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        escaped(Some(k), out);
        out.push(b'=');
        escaped(v, out);
    }
    out.extend_from_slice(b"]\n");
}

/// `null`, or the bytes with non-printable and non-UTF-8 bytes escaped.
fn escaped(bytes: Option<&[u8]>, out: &mut Vec<u8>) {
    let Some(bytes) = bytes else {
        out.extend_from_slice(b"null");
        return;
    };
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\n' => out.extend_from_slice(b"\\n"),
                '\t' => out.extend_from_slice(b"\\t"),
                '\r' => out.extend_from_slice(b"\\r"),
                '\\' => out.extend_from_slice(b"\\\\"),
                c if c.is_control() => {
                    let _ = write!(out, "\\u{{{:x}}}", c as u32);
                }
                c => {
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
            }
        }
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
}

/// One frame of `log dump --format json` (no newline).
pub fn dump_frame_json(h: &FrameHeader, position: u64, out: &mut Vec<u8>) {
    let mut value = json!({
        "baseOffset": h.base_offset, "lastOffset": h.last_offset(), "count": h.record_count,
        "position": position, "crc": format!("{:#010x}", h.crc), "epoch": h.leader_epoch,
        "firstTimestamp": h.first_timestamp, "maxTimestamp": h.max_timestamp, "size": h.frame_len,
    });
    if let Some(horizon) = h.delete_horizon() {
        value["deleteHorizonMs"] = json!(horizon);
    }
    let _ = serde_json::to_writer(&mut *out, &value);
}

/// One record as JSON (keys, values and header values as in the envelope).
pub fn dump_record_json(r: &Record<'_>, out: &mut Vec<u8>) {
    let _ = write!(out, "{{\"offset\":{},\"timestamp\":{},", r.offset, r.timestamp);
    crate::output::envelope::write_key_value_headers(r, out);
    out.push(b'}');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::test_support::{frame, record};

    #[test]
    fn record_text_escapes_binary_and_control_bytes() {
        let headers = vec![(b"h".to_vec(), Some(vec![0xff]))];
        let f = frame(7, 100, Some(b"k\n"), Some(&[b'a', 0xc3, 0x28, 0x01]), &headers);
        let mut out = Vec::new();
        dump_record_text(&record(&f), &mut out);
        let text = String::from_utf8(out).expect("text output is UTF-8");
        assert_eq!(
            text,
            "| offset: 7 timestamp: 100 keySize: 2 valueSize: 4 key: k\\n value: a\\xc3(\\u{1} headers: [h=\\xff]\n"
        );
    }

    #[test]
    fn null_key_and_value() {
        let f = frame(0, 1, None, None, &Vec::new());
        let mut out = Vec::new();
        dump_record_text(&record(&f), &mut out);
        assert_eq!(out, b"| offset: 0 timestamp: 1 keySize: -1 valueSize: -1 key: null value: null headers: []\n");
    }
}

//! A record set aside after `--max-deliver` failed deliveries: the
//! original key, value, headers and timestamp, plus headers saying where it
//! came from and how the command failed — named like Kafka Connect's
//! dead-letter context headers (`__connect.errors.*`), under `runnel.errors.`:
//!
//! | Header | Value |
//! |---|---|
//! | `runnel.errors.topic`, `.partition`, `.offset` | where the record was read |
//! | `runnel.errors.group` | the consumer group |
//! | `runnel.errors.deliveries` | how many times the command got it |
//! | `runnel.errors.exit` | how the last try ended: `exit 3`, `signal 9`; `lock expired` (a share group member that never finished) |
//! | `runnel.errors.command` | the command |
//! | `runnel.errors.stderr` | the end of its standard error (at most 1 KiB) |
//!
//! Written as a `produce --format json` envelope, so either backend
//! appends it (partitioned by its key, as `produce` does).

use super::record::Item;
use crate::cluster::TopicMeta;
use crate::cluster::rules::topic_config::TopicSettings;
use crate::consumer::exec::Exit;
use crate::envelope::payload;
use crate::error::{Error, Result};
use crate::store::{RecordParts, encode_headers, kafka_batch_size};

/// Where the record came from and how it failed.
#[derive(Debug, Clone)]
pub struct Failure<'a> {
    pub topic: &'a str,
    pub partition: u32,
    pub group: Option<&'a str>,
    pub command: &'a str,
    /// `None`: no try ended (a share group's record whose lock expired).
    pub exit: Option<Exit>,
    pub stderr_tail: &'a [u8],
}

/// The header names, in the order written.
pub const HEADERS: [&str; 8] = [
    "runnel.errors.topic",
    "runnel.errors.partition",
    "runnel.errors.offset",
    "runnel.errors.group",
    "runnel.errors.deliveries",
    "runnel.errors.exit",
    "runnel.errors.command",
    "runnel.errors.stderr",
];

/// The dead letter of `item` for topic `to` as one envelope line (with
/// its newline). `Err` when it could never be appended: larger, with its
/// error headers, than `to`'s `max.message.bytes` — the member stops
/// before anything is written, the record not committed, rather than
/// failing the append at every try.
pub fn envelope(item: &Item, failure: &Failure<'_>, to: &TopicMeta, out: &mut Vec<u8>) -> Result<()> {
    let values = header_values(item, failure);
    check_size(item, failure, &values, to)?;
    write_envelope(item, &values, out);
    Ok(())
}

fn header_values(item: &Item, failure: &Failure<'_>) -> [Vec<u8>; 8] {
    [
        failure.topic.as_bytes().to_vec(),
        failure.partition.to_string().into_bytes(),
        item.offset.to_string().into_bytes(),
        failure.group.unwrap_or_default().as_bytes().to_vec(),
        item.deliveries.to_string().into_bytes(),
        failure.exit.map_or_else(|| "lock expired".to_string(), |e| e.to_string()).into_bytes(),
        failure.command.as_bytes().to_vec(),
        failure.stderr_tail.to_vec(),
    ]
}

/// The headers of a dead letter: the record's own, then the error headers.
fn headers<'a>(item: &'a Item, values: &'a [Vec<u8>; 8]) -> impl Iterator<Item = (&'a [u8], Option<&'a [u8]>)> {
    item.headers
        .iter()
        .map(|(n, v)| (n.as_slice(), v.as_deref()))
        .chain(HEADERS.iter().zip(values.iter()).map(|(n, v)| (n.as_bytes(), Some(v.as_slice()))))
}

fn check_size(item: &Item, failure: &Failure<'_>, values: &[Vec<u8>; 8], to: &TopicMeta) -> Result<()> {
    // A config this process cannot read is the append's to report.
    let Ok(max) = TopicSettings::resolve(&to.config).map(|s| s.max_message_bytes) else { return Ok(()) };
    let mut encoded = Vec::new();
    let header_count = encode_headers(headers(item, values), &mut encoded);
    let parts = RecordParts {
        timestamp: item.timestamp,
        key: item.key.as_deref(),
        value: item.value.as_deref(),
        headers: &encoded,
        header_count,
    };
    let size = kafka_batch_size(&parts) as u64;
    if size <= max {
        return Ok(());
    }
    Err(Error::bad_input(format!(
        "the dead letter of {}-{} offset {} is {size} bytes with its error headers, larger than max.message.bytes={max} \
         of dead-letter topic '{}'; raise it (`runnel topic alter {} --config max.message.bytes={size}`) and start \
         the member again: the record is not passed over",
        failure.topic, failure.partition, item.offset, to.name, to.name
    )))
}

fn write_envelope(item: &Item, values: &[Vec<u8>; 8], out: &mut Vec<u8>) {
    out.extend_from_slice(b"{\"key\":");
    payload::encode(item.key.as_deref(), out);
    out.extend_from_slice(b",\"value\":");
    payload::encode(item.value.as_deref(), out);
    out.extend_from_slice(b",\"headers\":{");
    let mut first = true;
    for (name, value) in headers(item, values) {
        if !first {
            out.push(b',');
        }
        first = false;
        payload::write_json_string(&String::from_utf8_lossy(name), out);
        out.push(b':');
        payload::encode(value, out);
    }
    out.extend_from_slice(b"},\"timestamp\":");
    out.extend_from_slice(item.timestamp.max(0).to_string().as_bytes());
    out.extend_from_slice(b"}\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dead_letter_keeps_the_record_and_says_where_it_came_from() {
        let item = Item {
            seq: 1,
            offset: 7,
            timestamp: 1732523000000,
            key: Some(b"k".to_vec()),
            value: Some(b"v".to_vec()),
            headers: vec![(b"h".to_vec(), Some(b"x".to_vec()))],
            formatted: Vec::new(),
            deliveries: 3,
        };
        let failure = Failure {
            topic: "in",
            partition: 2,
            group: Some("g"),
            command: "./work.sh",
            exit: Some(Exit::Code(4)),
            stderr_tail: b"bad\n",
        };
        let mut out = Vec::new();
        envelope(&item, &failure, &TopicMeta::for_test("dlq", None), &mut out).expect("fits");
        let doc: serde_json::Value = serde_json::from_slice(&out).expect("one JSON envelope");
        assert_eq!(doc["key"], "k");
        assert_eq!(doc["value"], "v");
        assert_eq!(doc["timestamp"], 1732523000000i64);
        let h = &doc["headers"];
        assert_eq!(h["h"], "x");
        assert_eq!(h["runnel.errors.topic"], "in");
        assert_eq!(h["runnel.errors.partition"], "2");
        assert_eq!(h["runnel.errors.offset"], "7");
        assert_eq!(h["runnel.errors.group"], "g");
        assert_eq!(h["runnel.errors.deliveries"], "3");
        assert_eq!(h["runnel.errors.exit"], "exit 4");
        assert_eq!(h["runnel.errors.stderr"], "bad\n");
    }

    /// A dead letter the topic could never take is refused before it is
    /// written, naming the record and the size to raise the topic to; one
    /// byte more room and it fits.
    #[test]
    fn a_dead_letter_too_large_for_its_topic_is_refused_naming_the_fix() {
        let item = Item {
            seq: 1,
            offset: 9,
            timestamp: 0,
            key: None,
            value: Some(vec![b'x'; 900]),
            headers: Vec::new(),
            formatted: Vec::new(),
            deliveries: 1,
        };
        let failure =
            Failure { topic: "in", partition: 0, group: Some("g"), command: "false", exit: None, stderr_tail: b"" };
        let mut out = Vec::new();
        let err = envelope(&item, &failure, &TopicMeta::for_test("dlq", Some(1000)), &mut out).expect_err("too large");
        assert!(out.is_empty(), "nothing written");
        let size: u64 = err
            .message
            .split(" is ")
            .nth(1)
            .and_then(|s| s.split(' ').next())
            .and_then(|n| n.parse().ok())
            .expect("size");
        assert!(
            size > 1000 && err.message.contains("in-0 offset 9") && err.message.contains("topic alter dlq"),
            "{}",
            err.message
        );
        envelope(&item, &failure, &TopicMeta::for_test("dlq", Some(size)), &mut out).expect("fits exactly");
        assert!(envelope(&item, &failure, &TopicMeta::for_test("dlq", Some(size - 1)), &mut Vec::new()).is_err());
    }
}

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
use crate::consumer::exec::Exit;
use crate::envelope::payload;

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

/// The dead letter of `item` as one envelope line (with its newline).
pub fn envelope(item: &Item, failure: &Failure<'_>, out: &mut Vec<u8>) {
    let values: [Vec<u8>; 8] = [
        failure.topic.as_bytes().to_vec(),
        failure.partition.to_string().into_bytes(),
        item.offset.to_string().into_bytes(),
        failure.group.unwrap_or_default().as_bytes().to_vec(),
        item.deliveries.to_string().into_bytes(),
        failure.exit.map_or_else(|| "lock expired".to_string(), |e| e.to_string()).into_bytes(),
        failure.command.as_bytes().to_vec(),
        failure.stderr_tail.to_vec(),
    ];
    out.extend_from_slice(b"{\"key\":");
    payload::encode(item.key.as_deref(), out);
    out.extend_from_slice(b",\"value\":");
    payload::encode(item.value.as_deref(), out);
    out.extend_from_slice(b",\"headers\":{");
    let mut first = true;
    for (name, value) in item
        .headers
        .iter()
        .map(|(n, v)| (n.as_slice(), v.as_deref()))
        .chain(HEADERS.iter().zip(values.iter()).map(|(n, v)| (n.as_bytes(), Some(v.as_slice()))))
    {
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
        envelope(&item, &failure, &mut out);
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
}

//! Records sent in runs (staged, then streamed to their frame) land exactly
//! as records sent one at a time: every partition holds its records in the
//! order sent, whole, when runs outgrow a frame, pass the buffer budget,
//! and are cut by sends outside a run.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io;
use std::time::Duration;

use super::message::{LineParts, Message};
use super::producer::{Producer, ProducerOptions};
use crate::cluster::Cluster;
use crate::cluster::admin::topics::TopicSpec;
use crate::consumer::{Consumer, PollState, Position, RecordSink};
use crate::store::Record;

type Sent = (Option<Vec<u8>>, Vec<u8>, Vec<(Vec<u8>, Vec<u8>)>);

#[derive(Default)]
struct Collect(BTreeMap<u32, Vec<Sent>>);

impl RecordSink for Collect {
    fn write(&mut self, _: &str, partition: u32, record: &Record<'_>) -> io::Result<()> {
        let headers = record.headers.iter().map(|(k, v)| (k.to_vec(), v.unwrap_or_default().to_vec())).collect();
        let sent = (record.key.map(<[u8]>::to_vec), record.value.unwrap_or_default().to_vec(), headers);
        self.0.entry(partition).or_default().push(sent);
        Ok(())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A small deterministic generator (no test depends on its exact values).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

#[test]
fn records_sent_in_runs_land_as_sent_across_frames_budget_and_interruptions() {
    const PARTITIONS: u32 = 40;
    let dir = tempfile::tempdir().expect("tempdir");
    let (cluster, _) = Cluster::init(dir.path(), 1, Duration::from_secs(5)).expect("init");
    let spec = TopicSpec { name: "t".into(), partitions: PARTITIONS, replication_factor: 1, config: Vec::new() };
    cluster.create_topic(&spec).expect("topic");
    let meta = cluster.topic("t").expect("topic");
    // A budget of 96 KiB: runs pass it, and a run of 200 records of up to
    // 300 bytes outgrows a 16 KiB frame.
    let options = ProducerOptions { max_buffered_bytes: 96 * 1024, ..ProducerOptions::default() };
    let mut producer = Producer::new(&cluster, meta, options).expect("producer");

    let mut rng = Lcg(7);
    let mut expected: BTreeMap<u32, Vec<Sent>> = BTreeMap::new();
    let mut n = 0u64;
    for _ in 0..400 {
        let partition = rng.below(u64::from(PARTITIONS)) as u32;
        let run = 1 + rng.below(200);
        for _ in 0..run {
            n += 1;
            let key = format!("k{n}").into_bytes();
            // Lengths that start and end the frame's bytes at every alignment.
            let value: Vec<u8> = (0..rng.below(300)).map(|i| (n + i) as u8).collect();
            match rng.below(20) {
                // A message with a header, in the run.
                0 => {
                    let message = Message {
                        key: Some(Cow::Borrowed(&key)),
                        value: Some(Cow::Borrowed(&value)),
                        headers: vec![(Cow::Borrowed(&b"h"[..]), Some(Cow::Borrowed(&key)))],
                        ..Message::default()
                    };
                    producer.send_in_run(partition, &message, 5).expect("send").expect("accepted");
                    expected.entry(partition).or_default().push((Some(key.clone()), value, vec![(b"h".to_vec(), key)]));
                }
                // A line sent outside the run, to any partition: it ends the run.
                1 => {
                    let other = rng.below(u64::from(PARTITIONS)) as u32;
                    let line = LineParts { key: Some(&key), value: Some(&value) };
                    producer.send_line_to(other, line, 5).expect("send").expect("accepted");
                    expected.entry(other).or_default().push((Some(key), value, Vec::new()));
                }
                _ => {
                    let line = LineParts { key: Some(&key), value: Some(&value) };
                    producer.send_line_in_run(partition, line, 5).expect("send").expect("accepted");
                    expected.entry(partition).or_default().push((Some(key), value, Vec::new()));
                }
            }
        }
        if rng.below(50) == 0 {
            producer.flush().expect("flush mid-run");
        }
    }
    let summary = producer.finish().expect("finish");
    assert_eq!(summary.messages, n);

    let mut consumer = Consumer::new(&cluster);
    for p in 0..PARTITIONS {
        consumer.assign("t", p, Position::Beginning, true).expect("assign");
    }
    let mut sink = Collect::default();
    for _ in 0..10_000 {
        if consumer.poll(&mut sink).expect("poll") == PollState::Idle {
            break;
        }
    }
    assert_eq!(sink.0.values().map(Vec::len).sum::<usize>() as u64, n, "every record read back");
    for (p, records) in &expected {
        assert!(sink.0.get(p) == Some(records), "partition {p}: records as sent, in order");
    }
}

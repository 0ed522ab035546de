//! A consumer that follows a partition across an unclean leader election
//! (KIP-320): the new leader lacks records the consumer read, then writes
//! others at those offsets; the consumer resumes where the logs diverge
//! instead of skipping them.

use std::io;
use std::sync::Mutex;
use std::time::Duration;

use super::{Consumer, PollState, Position, RecordSink};
use crate::cluster::Cluster;
use crate::cluster::admin::topics::TopicSpec;
use crate::consumer::group::AutoOffsetReset;
use crate::producer::{Message, Producer, ProducerOptions};
use crate::store::Record;

/// The warnings printed, from every test of this file.
static WARNINGS: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn warn(line: &str) {
    if let Ok(mut w) = WARNINGS.lock() {
        w.push(line.to_string());
    }
}

#[derive(Default)]
struct Collect(Vec<(u64, String)>);

impl RecordSink for Collect {
    fn write(&mut self, _: &str, _: u32, record: &Record<'_>) -> io::Result<()> {
        let value = String::from_utf8_lossy(record.value.unwrap_or_default()).into_owned();
        self.0.push((record.offset, value));
        Ok(())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn produce(cluster: &Cluster, values: impl Iterator<Item = String>) {
    let meta = cluster.topic("t").expect("topic");
    let mut producer = Producer::new(cluster, meta, ProducerOptions::default()).expect("producer");
    for v in values {
        producer.send(&Message::value(v.as_bytes()), 0).expect("send").expect("accepted");
    }
    producer.finish().expect("finish");
}

/// Polls until `sink` holds `count` records (a bounded number of rounds).
fn poll_to(consumer: &mut Consumer, sink: &mut Collect, count: usize) {
    for _ in 0..200 {
        if sink.0.len() >= count {
            return;
        }
        if consumer.poll(sink).expect("poll") == PollState::Idle {
            consumer.wait(Duration::from_millis(50));
        }
    }
    panic!("only {} of {count} records: {:?}", sink.0.len(), sink.0);
}

/// A 3-broker cluster with topic `t` (replication 2, unclean elections on):
/// follower `b` is failed after 5 records, leader `a` takes 5 more, and a
/// consumer has read all 10. Returns the temp dir (keep it), the cluster,
/// `a`, `b`, the consumer and what it read.
fn consumed_ten_with_a_stale_follower() -> (tempfile::TempDir, Cluster, u32, u32, Consumer, Collect) {
    let dir = tempfile::tempdir().expect("tempdir");
    let (cluster, _) = Cluster::init(dir.path(), 3, Duration::from_secs(5)).expect("init");
    let config = vec![("unclean.leader.election.enable".to_string(), "true".to_string())];
    cluster.create_topic(&TopicSpec { name: "t".into(), partitions: 1, replication_factor: 2, config }).expect("topic");
    let p = cluster.topic("t").expect("topic").partitions[0].clone();
    let a = p.leader.expect("a leader");
    let b = *p.replicas.iter().find(|&&r| r != a).expect("a follower");

    produce(&cluster, (0..5).map(|i| format!("old-{i}")));
    cluster.fail_broker(b).expect("fail b");
    produce(&cluster, (5..10).map(|i| format!("lost-{i}")));
    let mut consumer = Consumer::new(&cluster);
    consumer.on_truncation(AutoOffsetReset::Earliest, warn);
    consumer.assign("t", 0, Position::Beginning, true).expect("assign");
    let mut sink = Collect::default();
    poll_to(&mut consumer, &mut sink, 10);
    (dir, cluster, a, b, consumer, sink)
}

#[test]
fn a_following_consumer_resumes_at_the_divergence_point_after_an_unclean_election() {
    let (_dir, cluster, a, b, mut consumer, mut sink) = consumed_ten_with_a_stale_follower();

    // `a` is lost; `b`, which missed 5..9, comes back and leads (unclean).
    cluster.fail_broker(a).expect("fail a");
    cluster.recover_broker(b, |_| {}).expect("recover b");
    assert_eq!(cluster.topic("t").expect("topic").partitions[0].leader, Some(b));
    produce(&cluster, (5..13).map(|i| format!("new-{i}")));
    poll_to(&mut consumer, &mut sink, 18);
    let after: Vec<(u64, String)> = sink.0[10..].to_vec();
    assert_eq!(after, (5..13).map(|i| (i, format!("new-{i}"))).collect::<Vec<_>>());
    let warnings = WARNINGS.lock().expect("warnings").clone();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("t-0 was truncated below offset 10") && warnings[0].contains("offset 5"),
        "{warnings:?}"
    );
}

#[test]
fn the_same_leader_in_a_new_epoch_is_checked_too() {
    let (_dir, cluster, a, b, mut consumer, mut sink) = consumed_ten_with_a_stale_follower();

    // While the consumer does not look: `b` leads (unclean) and writes at 5..7,
    // then `a` comes back, is cut to `b`'s log, and leads again.
    cluster.fail_broker(a).expect("fail a");
    cluster.recover_broker(b, |_| {}).expect("recover b");
    produce(&cluster, (5..8).map(|i| format!("new-{i}")));
    cluster.recover_broker(a, |_| {}).expect("recover a");
    assert_eq!(cluster.topic("t").expect("topic").partitions[0].leader, Some(a), "the preferred leader again");
    produce(&cluster, (8..13).map(|i| format!("new-{i}")));
    poll_to(&mut consumer, &mut sink, 18);
    let after: Vec<(u64, String)> = sink.0[10..].to_vec();
    assert_eq!(after, (5..13).map(|i| (i, format!("new-{i}"))).collect::<Vec<_>>());
}

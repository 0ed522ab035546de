//! Assigning and unassigning partitions: a partition assigned twice is read
//! by one fetcher (its records once), and one unassigned then assigned
//! again is read again (the set that finds assigned partitions without a
//! scan stays in step with the fetchers).

use std::io;
use std::time::Duration;

use super::{Consumer, PollState, Position, RecordSink};
use crate::cluster::Cluster;
use crate::cluster::admin::topics::TopicSpec;
use crate::producer::{Message, Producer, ProducerOptions};
use crate::store::Record;

#[derive(Default)]
struct Count(usize);

impl RecordSink for Count {
    fn write(&mut self, _: &str, _: u32, _: &Record<'_>) -> io::Result<()> {
        self.0 += 1;
        Ok(())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Polls until a round is idle (a bounded number of rounds); returns the
/// records read.
fn drain(consumer: &mut Consumer) -> usize {
    let mut sink = Count::default();
    for _ in 0..100 {
        if consumer.poll(&mut sink).expect("poll") == PollState::Idle {
            return sink.0;
        }
    }
    panic!("never idle after {} records", sink.0);
}

#[test]
fn a_partition_assigned_twice_is_read_once_and_again_after_unassigning() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (cluster, _) = Cluster::init(dir.path(), 1, Duration::from_secs(5)).expect("init");
    let spec = TopicSpec { name: "t".into(), partitions: 3, replication_factor: 1, config: Vec::new() };
    cluster.create_topic(&spec).expect("topic");
    let meta = cluster.topic("t").expect("topic");
    let mut producer = Producer::new(&cluster, meta, ProducerOptions::default()).expect("producer");
    for p in 0..3 {
        for i in 0..4 {
            producer.send_to(p, &Message::value(format!("v{i}").as_bytes()), 0).expect("send").expect("accepted");
        }
    }
    producer.finish().expect("finish");

    let mut consumer = Consumer::new(&cluster);
    for p in 0..3 {
        consumer.assign("t", p, Position::Beginning, true).expect("assign");
    }
    consumer.assign("t", 1, Position::Beginning, true).expect("assign again");
    assert_eq!(consumer.positions().len(), 3);
    assert_eq!(drain(&mut consumer), 12, "each record once");

    assert_eq!(consumer.unassign("t", 1), Some(4));
    assert_eq!(consumer.unassign("t", 1), None);
    consumer.assign("t", 1, Position::Beginning, true).expect("assign after unassign");
    assert_eq!(consumer.positions().len(), 3);
    assert_eq!(drain(&mut consumer), 4, "partition 1 read again from its beginning");
}

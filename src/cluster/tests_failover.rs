//! Broker failure, recovery and leader election, driven through `Cluster`
//! on real data directories.

use std::path::PathBuf;
use std::time::Duration;

use super::*;
use crate::cluster::replication::partition_writer::{Acks, PartitionWriter};
use crate::cluster::rules::health;
use crate::error::{Reason, Result};
use crate::store::{FrameBuilder, FrameCheck, Log, LogConfig, LogReader, RecordParts, check_frame};

fn cluster(brokers: u32) -> (tempfile::TempDir, Cluster) {
    let dir = tempfile::tempdir().expect("tempdir");
    let (cluster, _) = Cluster::init(dir.path(), brokers, Duration::from_secs(5)).expect("init");
    (dir, cluster)
}

fn topic(cluster: &Cluster, name: &str, partitions: u32, rf: u32, config: &[(&str, &str)]) -> TopicMeta {
    let spec = TopicSpec {
        name: name.into(),
        partitions,
        replication_factor: rf,
        // Records here are stamped at 1 ms: keep them forever, or retention
        // would delete every closed segment as soon as one rolls.
        config: [("retention.ms", "-1")].iter().chain(config).map(|(k, v)| (k.to_string(), v.to_string())).collect(),
    };
    cluster.create_topic(&spec).expect("create topic")
}

fn state(cluster: &Cluster, name: &str, p: u32) -> PartitionMeta {
    cluster.topic(name).expect("topic").partitions[p as usize].clone()
}

fn produce(cluster: &Cluster, name: &str, p: u32, values: &[&str], acks: Acks) -> Result<()> {
    let meta = cluster.topic(name)?;
    let mut writer = PartitionWriter::new(cluster, &meta, p, acks)?;
    let mut frame = FrameBuilder::new();
    for v in values {
        frame.push(&RecordParts { timestamp: 1, key: None, value: Some(v.as_bytes()), headers: &[], header_count: 0 });
    }
    writer.append(&mut frame)?;
    writer.sync()
}

fn replica_dir(cluster: &Cluster, broker: u32, name: &str, p: u32) -> PathBuf {
    cluster.layout().replica_dir(broker, name, p)
}

/// `(offset, epoch, value)` of every record of one replica.
fn records(cluster: &Cluster, broker: u32, name: &str, p: u32) -> Vec<(u64, u32, String)> {
    let mut reader = LogReader::open(&replica_dir(cluster, broker, name, p), 0).expect("reader");
    let mut out = Vec::new();
    while let Some(frame) = reader.next_frame().expect("frame") {
        for r in frame.records() {
            let r = r.expect("record");
            let value = String::from_utf8_lossy(r.value.unwrap_or_default()).into_owned();
            out.push((r.offset, frame.header.leader_epoch, value));
        }
    }
    out
}

fn values(cluster: &Cluster, name: &str, p: u32) -> Vec<String> {
    let leader = state(cluster, name, p).leader.expect("a leader");
    records(cluster, leader, name, p).into_iter().map(|r| r.2).collect()
}

/// Appends a frame straight to one replica, as a writer with `epoch` would.
fn append_direct(cluster: &Cluster, broker: u32, name: &str, p: u32, epoch: u32, values: &[&str]) {
    let (mut log, _) = Log::open(&replica_dir(cluster, broker, name, p), LogConfig::default(), 0).expect("open");
    let mut b = FrameBuilder::new();
    for v in values {
        b.push(&RecordParts { timestamp: 1, key: None, value: Some(v.as_bytes()), headers: &[], header_count: 0 });
    }
    let bytes = b.seal(log.next_offset(), epoch).to_vec();
    let FrameCheck::Whole(h) = check_frame(&bytes) else { panic!("frame") };
    log.append(&bytes, &h).expect("append");
}

fn no_progress(_: RecoverProgress) {}

#[test]
fn add_and_list_brokers() {
    let (_dir, c) = cluster(2);
    topic(&c, "t", 4, 2, &[]);
    let added = c.add_broker().expect("add");
    assert_eq!((added.id, added.status), (2, BrokerStatus::Up));
    assert!(c.layout().broker_dir(2).is_dir());
    let list = c.list_brokers().expect("list");
    assert_eq!(list.iter().map(|b| b.leader_of).sum::<u32>(), 4);
    assert_eq!(list.iter().map(|b| b.replicas).sum::<u32>(), 8);
    assert_eq!(list[2], BrokerSummary { id: 2, status: BrokerStatus::Up, leader_of: 0, replicas: 0 });
    let json = serde_json::to_string(&list[2]).expect("json");
    assert_eq!(json, r#"{"id":2,"status":"up","leader_of":0,"replicas":0}"#);
}

#[test]
fn fail_moves_leaders_with_an_epoch_bump_and_shrinks_isrs() {
    let (_dir, c) = cluster(3);
    let before = topic(&c, "t", 6, 3, &[]);
    let changes = c.fail_broker(0).expect("fail");
    assert_eq!(changes.len(), 6, "broker 0 was in every ISR");
    let after = c.topic("t").expect("topic");
    for (old, new) in before.partitions.iter().zip(&after.partitions) {
        assert!(!new.isr.contains(&0) && new.isr.len() == 2);
        let leader = new.leader.expect("leader");
        assert_ne!(leader, 0);
        if old.leader == Some(0) {
            assert_eq!(new.leader_epoch, old.leader_epoch + 1);
            // Clean election: the first live in-sync replica in assignment order.
            assert_eq!(Some(leader), old.replicas.iter().copied().find(|&b| b != 0));
        } else {
            assert_eq!((new.leader, new.leader_epoch), (old.leader, old.leader_epoch));
        }
    }
    let list = c.list_brokers().expect("list");
    assert_eq!((list[0].status, list[0].leader_of), (BrokerStatus::Down, 0));
    assert!(changes.iter().any(LeadershipChange::leader_changed));
    let err = c.fail_broker(0).expect_err("already down");
    assert!(err.message.contains("already down"), "{}", err.message);
    assert_eq!(c.fail_broker(7).expect_err("unknown").exit_code(), 66);
}

#[test]
fn an_acked_write_survives_losing_the_leader() {
    let (_dir, c) = cluster(3);
    topic(&c, "t", 1, 3, &[("min.insync.replicas", "2")]);
    produce(&c, "t", 0, &["a", "b", "c"], Acks::All).expect("produce");
    let old_leader = state(&c, "t", 0).leader.expect("leader");
    c.fail_broker(old_leader).expect("fail");
    let s = state(&c, "t", 0);
    assert_ne!(s.leader, Some(old_leader));
    assert_eq!(values(&c, "t", 0), ["a", "b", "c"]);
    produce(&c, "t", 0, &["d"], Acks::All).expect("produce after failover");
    assert_eq!(values(&c, "t", 0), ["a", "b", "c", "d"]);
    let new = records(&c, s.leader.expect("leader"), "t", 0);
    assert_eq!(new[3].1, s.leader_epoch, "new frames carry the new epoch");
    // The failed broker's folder was left alone.
    assert_eq!(records(&c, old_leader, "t", 0).len(), 3);
}

#[test]
fn acks_all_below_min_insync_replicas_is_refused_and_writes_nothing() {
    let (_dir, c) = cluster(2);
    topic(&c, "t", 1, 2, &[("min.insync.replicas", "2")]);
    produce(&c, "t", 0, &["a"], Acks::All).expect("produce");
    let s = state(&c, "t", 0);
    let follower = s.replicas.iter().copied().find(|&b| Some(b) != s.leader).expect("follower");
    c.fail_broker(follower).expect("fail");
    let err = produce(&c, "t", 0, &["b"], Acks::All).expect_err("too few in sync");
    assert_eq!(err.exit_code(), 69);
    assert!(err.message.contains("min.insync.replicas"), "{}", err.message);
    assert_eq!(values(&c, "t", 0), ["a"]);
    produce(&c, "t", 0, &["b"], Acks::Leader).expect("acks 1 still works");
    assert_eq!(values(&c, "t", 0), ["a", "b"]);
}

#[test]
fn a_partition_goes_offline_when_every_isr_broker_is_down() {
    let (_dir, c) = cluster(2);
    topic(&c, "t", 1, 2, &[]);
    produce(&c, "t", 0, &["a"], Acks::All).expect("produce");
    let s = state(&c, "t", 0);
    let (leader, follower) = (s.replicas[0], s.replicas[1]);
    c.fail_broker(follower).expect("fail follower");
    let changes = c.fail_broker(leader).expect("fail leader");
    assert_eq!(changes.len(), 1);
    assert_eq!((changes[0].new_leader, changes[0].isr.as_slice()), (None, &[leader][..]));
    let s = state(&c, "t", 0);
    let meta = c.meta().expect("meta");
    assert!(health::unavailable(&s, &meta) && health::under_replicated(&s, &meta));
    let err = produce(&c, "t", 0, &["b"], Acks::Leader).expect_err("offline");
    assert_eq!(err.exit_code(), 69);
    assert!(matches!(err.reason(), Some(Reason::Offline { .. })), "{err:?}");
    // The follower comes back first: the last in-sync replica is still down,
    // so it stays offline (the topic does not allow unclean election).
    let report = c.recover_broker(follower, no_progress).expect("recover");
    assert_eq!(report.replicas[0].leader, None);
    assert!(!report.replicas[0].rejoined_isr);
    // The last in-sync replica comes back and leads again, epoch + 1.
    let report = c.recover_broker(leader, no_progress).expect("recover");
    let s = state(&c, "t", 0);
    assert_eq!(s.leader, Some(leader));
    assert_eq!(s.isr, s.replicas, "the other live replica caught up and rejoined");
    assert_eq!(report.changes.len(), 1);
    produce(&c, "t", 0, &["b"], Acks::All).expect("produce");
    assert_eq!(records(&c, follower, "t", 0), records(&c, leader, "t", 0));
}

#[test]
fn unclean_election_when_the_topic_allows_it() {
    let (_dir, c) = cluster(2);
    topic(&c, "t", 1, 2, &[("unclean.leader.election.enable", "true")]);
    produce(&c, "t", 0, &["a"], Acks::All).expect("produce");
    let s = state(&c, "t", 0);
    let (leader, follower) = (s.replicas[0], s.replicas[1]);
    c.fail_broker(follower).expect("fail follower");
    produce(&c, "t", 0, &["only-on-the-leader"], Acks::All).expect("produce");
    c.fail_broker(leader).expect("fail leader");
    let epoch = state(&c, "t", 0).leader_epoch;
    let report = c.recover_broker(follower, no_progress).expect("recover");
    let s = state(&c, "t", 0);
    assert_eq!((s.leader, s.isr.as_slice(), s.leader_epoch), (Some(follower), &[follower][..], epoch + 1));
    assert_eq!(report.replicas[0].leader, Some(follower));
    assert_eq!(values(&c, "t", 0), ["a"], "the unreplicated record is lost, as Kafka warns");
    produce(&c, "t", 0, &["b"], Acks::All).expect("produce");
    // The old leader comes back: its divergent tail is cut by epoch.
    let report = c.recover_broker(leader, no_progress).expect("recover");
    let r = &report.replicas[0];
    assert_eq!((r.truncated_from, r.truncated_to), (Some(2), Some(1)));
    assert_eq!(records(&c, leader, "t", 0), records(&c, follower, "t", 0));
}

#[test]
fn elect_leaders_unclean_for_a_topic_that_does_not_allow_it() {
    let (_dir, c) = cluster(2);
    topic(&c, "t", 1, 2, &[]);
    let s = state(&c, "t", 0);
    let (leader, follower) = (s.replicas[0], s.replicas[1]);
    c.fail_broker(follower).expect("fail");
    c.fail_broker(leader).expect("fail");
    c.recover_broker(follower, no_progress).expect("recover");
    assert_eq!(state(&c, "t", 0).leader, None);
    assert!(c.elect_leaders(ElectionMode::Preferred, None).expect("preferred").is_empty());
    let changes = c.elect_leaders(ElectionMode::Unclean, Some("t")).expect("unclean");
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].new_leader, Some(follower));
    produce(&c, "t", 0, &["x"], Acks::All).expect("writable again");
    assert_eq!(c.elect_leaders(ElectionMode::Unclean, Some("nope")).expect_err("unknown").exit_code(), 66);
}

#[test]
fn recovery_cuts_a_divergent_tail_by_epoch_then_catches_up() {
    let (_dir, c) = cluster(2);
    topic(&c, "t", 1, 2, &[]);
    produce(&c, "t", 0, &["a", "b", "c"], Acks::All).expect("produce");
    let s = state(&c, "t", 0);
    let (old, new) = (s.replicas[0], s.replicas[1]);
    c.fail_broker(old).expect("fail");
    // Before it went, the old leader wrote frames at epoch 0 that never
    // reached its follower (and were never acknowledged).
    append_direct(&c, old, "t", 0, s.leader_epoch, &["x1", "x2"]);
    append_direct(&c, old, "t", 0, s.leader_epoch, &["x3", "x4"]);
    produce(&c, "t", 0, &["d", "e"], Acks::All).expect("produce on the new leader");
    assert_eq!(records(&c, old, "t", 0).len(), 7);
    let mut seen = Vec::new();
    let report = c.recover_broker(old, |p| seen.push((p.copied, p.total))).expect("recover");
    let r = &report.replicas[0];
    assert!(r.rejoined_isr && !r.rebuilt);
    assert_eq!((r.truncated_from, r.truncated_to), (Some(7), Some(3)), "cut where epoch 0 ended, not at 0");
    assert_eq!((r.frames_copied, r.records_copied), (1, 2));
    assert_eq!(seen.last(), Some(&(2, 2)));
    assert_eq!(records(&c, old, "t", 0), records(&c, new, "t", 0));
    // The old leader is the preferred one: back in sync, it leads again
    // (Kafka's auto.leader.rebalance.enable), one epoch after the failover.
    assert_eq!(r.leader, Some(old));
    assert_eq!(report.changes.len(), 1);
    assert_eq!((report.changes[0].old_leader, report.changes[0].new_leader), (Some(new), Some(old)));
    assert_eq!(report.changes[0].leader_epoch, s.leader_epoch + 2);
    let after = state(&c, "t", 0);
    assert_eq!((after.leader, after.isr.len()), (Some(old), 2));
    assert!(c.elect_leaders(ElectionMode::Preferred, None).expect("again").is_empty());
    produce(&c, "t", 0, &["f"], Acks::All).expect("produce");
    assert_eq!(values(&c, "t", 0), ["a", "b", "c", "d", "e", "f"]);
}

#[test]
fn a_wiped_broker_is_rebuilt_from_the_leaders() {
    let (_dir, c) = cluster(3);
    topic(&c, "t", 3, 2, &[("segment.bytes", "1024")]);
    for p in 0..3 {
        for i in 0..20 {
            let v = format!("p{p}-{i:02}-{}", "x".repeat(40));
            produce(&c, "t", p, &[&v, "y"], Acks::All).expect("produce");
        }
    }
    c.fail_broker(1).expect("fail");
    std::fs::remove_dir_all(c.layout().broker_dir(1)).expect("wipe");
    let mut last = None;
    let report = c.recover_broker(1, |p| last = Some((p.copied, p.total))).expect("recover");
    assert_eq!(report.replicas.len(), 2);
    assert!(report.replicas.iter().all(|r| r.rebuilt && r.rejoined_isr && r.records_copied == 40));
    assert_eq!(last, Some((80, 80)));
    for p in 0..3 {
        let s = state(&c, "t", p);
        assert_eq!(s.isr.len(), 2);
        for &b in &s.replicas {
            assert_eq!(records(&c, b, "t", p).len(), 40);
        }
    }
    assert!(c.layout().replica_dir(1, "t", report.replicas[0].partition).join("partition.metadata").exists());
}

#[test]
fn a_wiped_leader_of_a_running_broker_is_refused_then_rebuilt() {
    let (_dir, c) = cluster(2);
    topic(&c, "t", 1, 2, &[]);
    produce(&c, "t", 0, &["a", "b"], Acks::All).expect("produce");
    let s = state(&c, "t", 0);
    let (leader, follower) = (s.replicas[0], s.replicas[1]);
    std::fs::remove_dir_all(replica_dir(&c, leader, "t", 0)).expect("wipe");
    let err = produce(&c, "t", 0, &["c"], Acks::All).expect_err("lost leader replica");
    assert_eq!(err.exit_code(), 69);
    assert_eq!(records(&c, follower, "t", 0).len(), 2, "the follower was not emptied");
    let report = c.recover_broker(leader, no_progress).expect("recover an up broker");
    assert!(!report.was_down && report.replicas[0].rebuilt);
    let s = state(&c, "t", 0);
    // Leadership moved to the follower to rebuild it, then back to the
    // preferred replica once it was in sync again.
    assert_eq!(s.leader, Some(leader));
    assert_eq!(s.isr.len(), 2);
    assert_eq!(records(&c, leader, "t", 0), records(&c, follower, "t", 0));
}

#[test]
fn a_wiped_broker_without_replicas_gets_its_folder_back() {
    let (_dir, c) = cluster(2);
    c.fail_broker(1).expect("fail");
    std::fs::remove_dir_all(c.layout().broker_dir(1)).expect("wipe");
    let report = c.recover_broker(1, no_progress).expect("recover");
    assert!(report.was_down && report.replicas.is_empty());
    assert!(c.layout().broker_dir(1).is_dir());
    assert_eq!(c.list_brokers().expect("list")[1].status, BrokerStatus::Up);
}

#[test]
fn a_follower_longer_than_its_leader_is_cut_back_out_of_the_isr_and_taken_up_in_it() {
    let (_dir, c) = cluster(2);
    topic(&c, "t", 1, 2, &[]);
    produce(&c, "t", 0, &["a"], Acks::All).expect("produce");
    let s = state(&c, "t", 0);
    let follower = s.replicas[1];
    // A writer killed after the follower and before the leader.
    append_direct(&c, follower, "t", 0, s.leader_epoch, &["torn-write"]);
    c.fail_broker(follower).expect("fail");
    let report = c.recover_broker(follower, no_progress).expect("recover");
    let r = &report.replicas[0];
    assert_eq!((r.truncated_from, r.truncated_to, r.records_copied), (Some(2), Some(1), 0));
    assert_eq!(records(&c, follower, "t", 0), records(&c, s.replicas[0], "t", 0));
    // The same tail left on an in-sync follower is taken up by the next
    // writer: it may be a frame the leader lost (an unacknowledged one may
    // appear, as in Kafka).
    append_direct(&c, follower, "t", 0, s.leader_epoch, &["torn-again"]);
    produce(&c, "t", 0, &["b"], Acks::All).expect("produce");
    assert_eq!(values(&c, "t", 0), ["a", "torn-again", "b"]);
    assert_eq!(records(&c, follower, "t", 0), records(&c, s.replicas[0], "t", 0));
}

#[test]
fn a_writer_never_touches_a_down_broker_left_in_the_isr() {
    let (_dir, c) = cluster(2);
    topic(&c, "t", 1, 2, &[]);
    let s = state(&c, "t", 0);
    let follower = s.replicas[1];
    // An interrupted `broker fail`: cluster.json says down, the ISR still has it.
    let mut meta = c.meta().expect("meta");
    meta.brokers[follower as usize].status = BrokerStatus::Down;
    c.write_meta(&meta).expect("write");
    produce(&c, "t", 0, &["a"], Acks::All).expect("produce");
    assert!(records(&c, follower, "t", 0).is_empty());
    // Recovering it catches it up although the ISR never lost it.
    let report = c.recover_broker(follower, no_progress).expect("recover");
    assert_eq!(report.replicas[0].records_copied, 1);
    assert_eq!(records(&c, follower, "t", 0), records(&c, s.replicas[0], "t", 0));
    assert_eq!(state(&c, "t", 0).isr, s.isr);
}

#[test]
fn failing_again_finishes_an_interrupted_fail() {
    let (_dir, c) = cluster(2);
    topic(&c, "t", 1, 2, &[]);
    let s = state(&c, "t", 0);
    let leader = s.replicas[0];
    let mut meta = c.meta().expect("meta");
    meta.brokers[leader as usize].status = BrokerStatus::Down;
    c.write_meta(&meta).expect("write");
    assert_eq!(produce(&c, "t", 0, &["a"], Acks::Leader).expect_err("leader down").exit_code(), 69);
    let changes = c.fail_broker(leader).expect("finish");
    assert_eq!((changes[0].new_leader, changes[0].isr.as_slice()), (Some(s.replicas[1]), &[s.replicas[1]][..]));
    produce(&c, "t", 0, &["a"], Acks::All).expect("produce");
}

#[test]
fn acked_writes_survive_failures_and_recoveries_under_load() {
    let (_dir, c) = cluster(3);
    topic(&c, "t", 1, 3, &[("min.insync.replicas", "2"), ("segment.bytes", "2048")]);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let producer = {
        let (c, stop) = (c.clone(), stop.clone());
        std::thread::spawn(move || {
            let meta = c.topic("t").expect("topic");
            let mut writer = PartitionWriter::new(&c, &meta, 0, Acks::All).expect("writer");
            let mut acked = Vec::new();
            let mut i = 0u32;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) || acked.len() < 50 {
                let v = format!("v{i}");
                let mut frame = FrameBuilder::new();
                frame.push(&RecordParts {
                    timestamp: 1,
                    key: None,
                    value: Some(v.as_bytes()),
                    headers: &[],
                    header_count: 0,
                });
                if writer.append(&mut frame).and_then(|_| writer.sync()).is_ok() {
                    acked.push(v);
                }
                i += 1;
            }
            acked
        })
    };
    for b in [0, 1, 2, 0] {
        std::thread::sleep(Duration::from_millis(20));
        c.fail_broker(b).expect("fail");
        std::thread::sleep(Duration::from_millis(20));
        c.recover_broker(b, no_progress).expect("recover");
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let acked = producer.join().expect("producer");
    let got = values(&c, "t", 0);
    let mut it = got.iter();
    for v in &acked {
        assert!(it.any(|g| g == v), "acked {v} is missing or out of order");
    }
    let s = state(&c, "t", 0);
    assert_eq!(s.isr.len(), 3);
    let leader = records(&c, s.leader.expect("leader"), "t", 0);
    for &b in &s.replicas {
        assert_eq!(records(&c, b, "t", 0), leader, "replica {b} differs");
    }
}

#[test]
fn a_partition_that_cannot_catch_up_does_not_stop_the_others() {
    let (_dir, c) = cluster(2);
    topic(&c, "a", 1, 2, &[]);
    topic(&c, "b", 1, 2, &[]);
    let f = state(&c, "a", 0).replicas[1];
    c.fail_broker(f).expect("fail");
    produce(&c, "a", 0, &["x"], Acks::All).expect("produce");
    produce(&c, "b", 0, &["y"], Acks::All).expect("produce");
    let lost = state(&c, "a", 0).leader.expect("leader");
    std::fs::remove_dir_all(replica_dir(&c, lost, "a", 0)).expect("wipe the leader of a");
    let report = c.recover_broker(f, no_progress).expect("recover");
    let by_topic = |t: &str| report.replicas.iter().find(|r| r.topic == t).expect("replica");
    assert!(by_topic("a").skipped.as_deref().is_some_and(|m| m.contains("missing")));
    assert!(!by_topic("a").rejoined_isr);
    assert!(by_topic("b").rejoined_isr && by_topic("b").skipped.is_none());
}

// Found by tests/it/soak.rs: producers exited 69 ("no leader") while a
// `broker fail` of their partition's leader was between its commit point
// (cluster.json) and the partition's election. A writer now waits for it.
#[test]
fn a_writer_waits_for_a_broker_fail_that_is_moving_its_leader() {
    let (_dir, c) = cluster(3);
    topic(&c, "t", 1, 3, &[("min.insync.replicas", "2")]);
    let s = state(&c, "t", 0);
    let (leader, next) = (s.replicas[0], s.replicas[1]);
    // `broker fail` half way: cluster.json says down, the election is to come.
    let lock = c.lock_metadata().expect("lock");
    let guard = lock.lock(Duration::from_secs(5)).expect("cluster lock");
    let mut meta = c.meta().expect("meta");
    meta.brokers[leader as usize].status = BrokerStatus::Down;
    c.write_meta(&meta).expect("write");
    let writer = {
        let c = c.clone();
        std::thread::spawn(move || produce(&c, "t", 0, &["a"], Acks::All))
    };
    std::thread::sleep(Duration::from_millis(200));
    assert!(!writer.is_finished(), "the writer waits for the election");
    let mut t = c.topic("t").expect("topic");
    let isr = s.isr.iter().copied().filter(|&b| b != leader).collect();
    crate::cluster::replication::leader_change::set_leader(&mut t.partitions[0], Some(next), isr);
    c.write_topic(&t).expect("write topic");
    drop(guard);
    writer.join().expect("writer thread").expect("produce after the election");
    assert_eq!(records(&c, next, "t", 0), vec![(0, 1, "a".to_string())]);
}

// Found by tests/it/crash.rs under load: a writer killed after a follower
// and before the leader left that follower one frame longer, in the current
// epoch; the follower was failed before any writer levelled it. The leader,
// in the same epoch, then wrote acknowledged frames ending at the same
// offset. The epochs agree and the ends match, so recovery kept the killed
// writer's frame in place of the acknowledged one and put the replica back in
// the ISR; once it led, the acknowledged records were gone.
#[test]
fn recovery_drops_a_killed_writers_frame_the_leader_wrote_over_in_the_same_epoch() {
    let (_dir, c) = cluster(3);
    topic(&c, "t", 1, 3, &[("min.insync.replicas", "2")]);
    produce(&c, "t", 0, &["a"], Acks::All).expect("produce");
    let s = state(&c, "t", 0);
    let (leader, next) = (s.replicas[0], s.replicas[1]);
    append_direct(&c, next, "t", 0, s.leader_epoch, &["killed-1", "killed-2"]);
    c.fail_broker(next).expect("fail");
    produce(&c, "t", 0, &["acked-1", "acked-2"], Acks::All).expect("produce");
    let report = c.recover_broker(next, no_progress).expect("recover");
    assert_eq!(state(&c, "t", 0).isr, s.replicas);
    // The recovered replica is the next in line: it leads once the leader goes.
    let copy = records(&c, leader, "t", 0);
    c.fail_broker(leader).expect("fail the leader");
    assert_eq!(state(&c, "t", 0).leader, Some(next));
    assert_eq!(values(&c, "t", 0), ["a", "acked-1", "acked-2"], "acknowledged records survive");
    assert_eq!(records(&c, next, "t", 0), copy);
    let r = &report.replicas[0];
    assert_eq!((r.truncated_from, r.truncated_to, r.records_copied), (Some(3), Some(1), 2));
}

// A producer opens partitions ahead of their first frame and ignores a
// failure there (the append meets it again). A follower that failed to open
// after another one had opened left the writer with that one only, which the
// next append took for the leader: `--acks all` exited 0 with the record on
// one follower, never on the leader, and the next writer levelled it away.
#[test]
fn a_failed_open_ahead_never_leaves_the_leader_out() {
    let (_dir, c) = cluster(3);
    topic(&c, "t", 1, 3, &[("min.insync.replicas", "2")]);
    produce(&c, "t", 0, &["a"], Acks::All).expect("produce");
    produce(&c, "t", 0, &["b"], Acks::All).expect("produce");
    let s = state(&c, "t", 0);
    let order = s.write_order().expect("order");
    let (second, leader) = (order[1], order[2]);
    // Damage in the second follower's active segment: its first frame fails
    // its checksum and a whole frame follows, so opening it fails (74).
    let seg = replica_dir(&c, second, "t", 0).join("00000000000000000000.log");
    let mut bytes = std::fs::read(&seg).expect("read");
    let at = crate::store::HEADER_LEN + 2;
    bytes[at] ^= 0xff;
    std::fs::write(&seg, &bytes).expect("write");
    let meta = c.topic("t").expect("topic");
    let mut writer = PartitionWriter::new(&c, &meta, 0, Acks::All).expect("writer");
    let _ = writer.open();
    let mut frame = FrameBuilder::new();
    frame.push(&RecordParts { timestamp: 1, key: None, value: Some(b"c"), headers: &[], header_count: 0 });
    let appended = writer.append(&mut frame).and_then(|_| writer.sync());
    assert_eq!(appended.expect_err("the damaged follower fails the append").exit_code(), 74);
    assert_eq!(records(&c, leader, "t", 0).len(), 2);
    assert_eq!(records(&c, order[0], "t", 0).len(), 2, "nothing written anywhere");
}

/// Appends one record through `writer` and syncs it.
fn append(writer: &mut PartitionWriter, value: &str) -> Result<()> {
    let mut frame = FrameBuilder::new();
    frame.push(&RecordParts { timestamp: 1, key: None, value: Some(value.as_bytes()), headers: &[], header_count: 0 });
    writer.append(&mut frame)?;
    writer.sync()
}

// A writer that keeps appending stops looking at the metadata files once the
// shared count of metadata changes is mapped (`change_count`); a change made
// meanwhile through another handle (another process) must still reach it.
#[test]
fn a_long_lived_writer_sees_a_leader_move_made_by_another_process() {
    let (dir, c) = cluster(3);
    topic(&c, "t", 1, 3, &[("min.insync.replicas", "2")]);
    let meta = c.topic("t").expect("topic");
    let mut writer = PartitionWriter::new(&c, &meta, 0, Acks::All).expect("writer");
    for v in ["a", "b", "c", "d"] {
        append(&mut writer, v).expect("append");
    }
    assert!(c.settled_metadata_changes().is_some(), "the writer trusts the change count by now");
    let old = state(&c, "t", 0).leader.expect("leader");
    let other = Cluster::open(dir.path(), Duration::from_secs(5)).expect("another handle");
    other.fail_broker(old).expect("fail the leader");
    let new = state(&c, "t", 0).leader.expect("a new leader");
    assert_ne!(new, old);
    append(&mut writer, "e").expect("append after the move");
    assert_eq!(values(&c, "t", 0), ["a", "b", "c", "d", "e"]);
    let on_old: Vec<String> = records(&c, old, "t", 0).into_iter().map(|r| r.2).collect();
    assert_eq!(on_old, ["a", "b", "c", "d"], "nothing went to the failed leader");
    // The topic deleted by the other handle: the writer's next append says so.
    other.delete_topic("t").expect("delete");
    let err = append(&mut writer, "f").expect_err("the topic is gone");
    assert!(err.message.contains("was deleted"), "{}", err.message);
}

// The other half: while the count stands, the writer really does not look.
// A change runnel did not count (a topic file removed by hand) goes unseen
// until the next counted change, as RELIABILITY.md declares.
#[test]
fn a_writer_on_a_settled_count_looks_at_the_files_only_after_a_counted_change() {
    let (_dir, c) = cluster(1);
    topic(&c, "t", 1, 1, &[]);
    let meta = c.topic("t").expect("topic");
    let mut writer = PartitionWriter::new(&c, &meta, 0, Acks::All).expect("writer");
    for v in ["a", "b", "c"] {
        append(&mut writer, v).expect("append");
    }
    crate::sys::json_file::remove(&c.layout().topic_file("t")).expect("remove by hand");
    append(&mut writer, "d").expect("the files are not looked at");
    c.write_meta(&c.meta().expect("meta")).expect("a counted change");
    let err = append(&mut writer, "e").expect_err("looked, and the topic is gone");
    assert!(err.message.contains("was deleted"), "{}", err.message);
}

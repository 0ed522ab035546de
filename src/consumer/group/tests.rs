//! Module tests: groups driven through the library API on temporary data
//! dirs, several members in one process (each with its own handles, so
//! the OS locks behave as between processes).

use std::collections::BTreeMap;
use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::*;
use crate::cluster::{Cluster, TopicSpec};
use crate::consumer::assignors::Strategy;
use crate::consumer::{RecordSink, TopicPartition};
use crate::error::Reason;
use crate::producer::{Message, Producer, ProducerOptions};
use crate::store::Record;

type Seen = Arc<Mutex<Vec<(String, u32, u64)>>>;

/// Collects what it is given (a byte per record); `flush` can be made to
/// fail like a pipe whose reader left without taking anything.
#[derive(Default)]
struct VecSink {
    seen: Seen,
    broken: bool,
    accepted: u64,
}

impl RecordSink for VecSink {
    fn write(&mut self, topic: &str, partition: u32, record: &Record<'_>) -> io::Result<()> {
        if let Ok(mut seen) = self.seen.lock() {
            seen.push((topic.to_string(), partition, record.offset));
        }
        self.accepted += 1;
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.broken { Err(io::Error::from(io::ErrorKind::BrokenPipe)) } else { Ok(()) }
    }

    fn accepted_bytes(&self) -> u64 {
        self.accepted
    }

    fn written_bytes(&self) -> u64 {
        if self.broken { 0 } else { self.accepted }
    }

    fn taken_bytes(&self) -> u64 {
        self.written_bytes()
    }
}

/// A data dir with `topics` (name, partitions); also the remote coordinator's tests' setup.
pub(super) fn setup(topics: &[(&str, u32)]) -> (tempfile::TempDir, Cluster) {
    let dir = tempfile::tempdir().expect("tempdir");
    let cluster = Cluster::open(dir.path(), Duration::from_secs(5)).expect("open");
    for (name, partitions) in topics {
        let spec = TopicSpec { name: name.to_string(), partitions: *partitions, replication_factor: 1, config: vec![] };
        cluster.create_topic(&spec).expect("create topic");
    }
    (dir, cluster)
}

/// Produces `per_partition` records to every partition, with timestamps 1000 + offset.
fn produce(cluster: &Cluster, topic: &str, per_partition: u64) {
    let meta = cluster.topic(topic).expect("topic");
    let n = meta.partition_count();
    let mut producer = Producer::new(cluster, meta, ProducerOptions::default()).expect("producer");
    for p in 0..n {
        for i in 0..per_partition {
            let msg = Message { partition: Some(p), timestamp: Some(1000 + i as i64), ..Message::value(b"v") };
            producer.send(&msg, 0).expect("send").expect("accepted");
        }
    }
    producer.finish().expect("finish");
}

fn join(cluster: &Cluster, group: &str, strategy: Strategy) -> Membership {
    let opts = JoinOptions {
        group: group.to_string(),
        topics: vec!["t".to_string()],
        client_id: Some("test".to_string()),
        strategy,
        session_timeout: Duration::from_secs(10),
    };
    Membership::join(cluster, &opts).expect("join")
}

fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn members_get_disjoint_assignments_and_stale_commits_are_refused() {
    let (_dir, cluster) = setup(&[("t", 4)]);
    let mut a = join(&cluster, "g", Strategy::Range);
    assert_eq!((a.generation(), a.assignment().len()), (1, 4));
    let b = join(&cluster, "g", Strategy::Range);
    assert_eq!(b.generation(), 2);
    assert_eq!(a.refresh().expect("refresh"), GroupEvent::Rebalanced);
    assert_eq!(a.generation(), 2);
    let (pa, pb) = (a.assignment().to_vec(), b.assignment().to_vec());
    assert_eq!((pa.len(), pb.len()), (2, 2));
    assert!(pa.iter().all(|p| !pb.contains(p)), "{pa:?} {pb:?}");
    // Own partition, current generation: accepted.
    assert_eq!(a.commit(&[(pa[0].clone(), at(1))]).expect("commit"), CommitOutcome::Committed);
    // Someone else's partition: refused.
    assert!(matches!(a.commit(&[(pb[0].clone(), at(1))]).expect("commit"), CommitOutcome::Fenced(_)));
    // An older generation: refused.
    let stale = offsets::commit(&cluster, a.paths(), a.member_id(), 1, &[(pa[0].clone(), at(2))]).expect("commit");
    assert!(matches!(stale, CommitOutcome::Fenced(ref r) if r.contains("stale")), "{stale:?}");
    // Different strategy: refused, naming both.
    let opts = JoinOptions {
        group: "g".into(),
        topics: vec!["t".into()],
        client_id: None,
        strategy: Strategy::Sticky,
        session_timeout: Duration::from_secs(10),
    };
    let err = Membership::join(&cluster, &opts).expect_err("mismatch");
    assert!(err.message.contains("range") && err.message.contains("sticky"), "{}", err.message);
    // b leaves: a gets everything in the next generation.
    b.leave().expect("leave");
    assert_eq!(a.refresh().expect("refresh"), GroupEvent::Rebalanced);
    assert_eq!((a.generation(), a.assignment().len()), (3, 4));
}

#[test]
fn a_dead_member_is_noticed_and_its_partitions_reassigned() {
    let (_dir, cluster) = setup(&[("t", 2)]);
    let mut a = join(&cluster, "g", Strategy::RoundRobin);
    let b = join(&cluster, "g", Strategy::RoundRobin);
    a.refresh().expect("refresh");
    assert_eq!(a.assignment().len(), 1);
    drop(b); // like SIGKILL: the lock is released, nothing else happens
    eventually("a to take over", || {
        a.refresh().expect("refresh");
        a.assignment().len() == 2
    });
    let d = describe_group(&cluster, "g").expect("describe");
    assert_eq!(d.members.len(), 1);
}

#[test]
fn a_member_reads_commits_and_the_next_resumes() {
    let (_dir, cluster) = setup(&[("t", 3)]);
    produce(&cluster, "t", 10);
    let stop = AtomicBool::new(false);
    let opts = MemberOptions::new("g", vec!["t".into()]);
    let mut sink = VecSink::default();
    let report = run_member(&cluster, &opts, &mut sink, &stop).expect("run");
    assert_eq!((report.delivered, report.stop), (30, MemberStop::Drained));
    let d = describe_group(&cluster, "g").expect("describe");
    assert_eq!(d.state, GroupStateName::Empty);
    assert!(d.offsets.iter().all(|o| o.committed == Some(10) && o.lag == Some(0)), "{:?}", d.offsets);
    // Nothing new: nothing delivered. Then only the new records.
    assert_eq!(run_member(&cluster, &opts, &mut VecSink::default(), &stop).expect("run").delivered, 0);
    produce(&cluster, "t", 2);
    let sink = VecSink::default();
    let seen = Arc::clone(&sink.seen);
    let mut sink = sink;
    assert_eq!(run_member(&cluster, &opts, &mut sink, &stop).expect("run").delivered, 6);
    assert!(seen.lock().expect("seen").iter().all(|(_, _, o)| *o >= 10));
    // max_messages stops early and commits exactly what was delivered.
    produce(&cluster, "t", 5);
    let limited = MemberOptions { max_messages: Some(4), ..opts.clone() };
    let r = run_member(&cluster, &limited, &mut VecSink::default(), &stop).expect("run");
    assert_eq!((r.delivered, r.stop), (4, MemberStop::CountReached));
    assert_eq!(describe_group(&cluster, "g").expect("describe").total_lag, 11);
}

#[test]
fn nothing_is_committed_that_a_closed_pipe_did_not_take() {
    let (_dir, cluster) = setup(&[("t", 1)]);
    produce(&cluster, "t", 5);
    let opts = MemberOptions::new("g", vec!["t".into()]);
    let mut sink = VecSink { broken: true, ..VecSink::default() };
    let err = run_member(&cluster, &opts, &mut sink, &AtomicBool::new(false)).expect_err("broken pipe");
    assert!(member::is_output_closed(&err), "{err}");
    let d = describe_group(&cluster, "g").expect("describe");
    // At most the start position: no record the reader did not take.
    assert!(d.offsets.iter().all(|o| o.committed.unwrap_or(0) == 0), "{:?}", d.offsets);
    assert!(d.members.is_empty(), "left the group");
}

#[test]
fn two_following_members_share_the_work_exactly_once() {
    let (_dir, cluster) = setup(&[("t", 4)]);
    produce(&cluster, "t", 50);
    let stop = Arc::new(AtomicBool::new(false));
    let seen: Seen = Arc::default();
    let mut threads = Vec::new();
    for _ in 0..2 {
        let (cluster, stop, seen) = (cluster.clone(), Arc::clone(&stop), Arc::clone(&seen));
        threads.push(std::thread::spawn(move || {
            let opts = MemberOptions { follow: true, ..MemberOptions::new("g", vec!["t".into()]) };
            let mut sink = VecSink { seen, ..VecSink::default() };
            run_member(&cluster, &opts, &mut sink, &stop)
        }));
    }
    eventually("a stable group of two with everything committed", || {
        let Ok(d) = describe_group(&cluster, "g") else { return false };
        d.state == GroupStateName::Stable && d.members.len() == 2 && d.offsets.iter().all(|o| o.lag == Some(0))
    });
    let d = describe_group(&cluster, "g").expect("describe");
    assert!(d.members.iter().all(|m| m.assignment.len() == 2), "{:?}", d.members);
    assert!(d.offsets.iter().all(|o| o.member_id.is_some()));
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        assert_eq!(t.join().expect("thread").expect("member").stop, MemberStop::Stopped);
    }
    let mut all = seen.lock().expect("seen").clone();
    all.sort();
    let before = all.len();
    all.dedup();
    assert_eq!(all.len(), 200, "every record delivered");
    assert_eq!(before, 200, "no duplicates in clean rebalances");
    assert_eq!(describe_group(&cluster, "g").expect("describe").state, GroupStateName::Empty);
}

#[test]
fn reset_offsets_in_every_mode() {
    let (_dir, cluster) = setup(&[("t", 2)]);
    produce(&cluster, "t", 10);
    let opts = MemberOptions::new("g", vec!["t".into()]);
    run_member(&cluster, &opts, &mut VecSink::default(), &AtomicBool::new(false)).expect("run");
    let all = |target| ResetSpec { scopes: vec![ResetScope::parse("t").expect("scope")], target };
    let committed = |p: u32| {
        let d = describe_group(&cluster, "g").expect("describe");
        d.offsets.iter().find(|o| o.partition == p).and_then(|o| o.committed)
    };
    let plan = reset_offsets(&cluster, "g", &all(ResetTarget::Earliest), false).expect("dry run");
    assert!(plan.iter().all(|r| r.current == Some(10) && r.new == 0), "{plan:?}");
    assert_eq!(committed(0), Some(10), "a dry run changes nothing");
    reset_offsets(&cluster, "g", &all(ResetTarget::Earliest), true).expect("execute");
    assert_eq!((committed(0), committed(1)), (Some(0), Some(0)));
    let some = ResetSpec { scopes: vec![ResetScope::parse("t:1").expect("scope")], target: ResetTarget::Offset(7) };
    let plan = reset_offsets(&cluster, "g", &some, true).expect("to-offset");
    assert_eq!(plan.len(), 1);
    assert_eq!((committed(0), committed(1)), (Some(0), Some(7)));
    reset_offsets(&cluster, "g", &all(ResetTarget::ShiftBy(-2)), true).expect("shift");
    assert_eq!((committed(0), committed(1)), (Some(0), Some(5)), "clamped at the log start");
    reset_offsets(&cluster, "g", &all(ResetTarget::Offset(99)), true).expect("clamp");
    assert_eq!(committed(1), Some(10), "clamped at the log end");
    reset_offsets(&cluster, "g", &all(ResetTarget::Datetime(1004)), true).expect("to-datetime");
    assert_eq!((committed(0), committed(1)), (Some(4), Some(4)));
    reset_offsets(&cluster, "g", &all(ResetTarget::Latest), true).expect("latest");
    assert_eq!(committed(0), Some(10));
    let bad = ResetSpec { scopes: vec![ResetScope::parse("t:9").expect("scope")], target: ResetTarget::Latest };
    assert_eq!(reset_offsets(&cluster, "g", &bad, false).expect_err("no partition 9").exit_code(), 2);
    assert!(ResetScope::parse("t:x").is_err());
    // Refused while a member is alive.
    let member = join(&cluster, "g", Strategy::Range);
    let err = reset_offsets(&cluster, "g", &all(ResetTarget::Earliest), true).expect_err("live member");
    assert!(err.message.contains(member.member_id()), "{}", err.message);
    assert!(delete_group(&cluster, "g").is_err());
    member.leave().expect("leave");
    delete_group(&cluster, "g").expect("delete");
    assert_eq!(describe_group(&cluster, "g").expect_err("gone").exit_code(), 66);
}

#[test]
fn describe_has_the_interface_shape_and_names_are_checked() {
    let (_dir, cluster) = setup(&[("t", 2)]);
    produce(&cluster, "t", 3);
    let mut member = join(&cluster, "g", Strategy::Range);
    member.mark_synced().expect("sync");
    let p = member.assignment()[0].clone();
    assert_eq!(member.commit(&[(p, at(1))]).expect("commit"), CommitOutcome::Committed);
    let value = serde_json::to_value(describe_group(&cluster, "g").expect("describe")).expect("json");
    assert_eq!(value["group"], "g");
    assert_eq!(value["state"], "Stable");
    assert_eq!(value["generation"], 1);
    let m = &value["members"][0];
    for key in ["member_id", "client_id", "host", "pid"] {
        assert!(!m[key].is_null(), "{key}");
    }
    assert_eq!(m["assignment"][0], serde_json::json!({"topic": "t", "partition": 0}));
    let o = &value["offsets"][0];
    assert_eq!((o["committed"].as_u64(), o["log_end_offset"].as_u64(), o["lag"].as_u64()), (Some(1), Some(3), Some(2)));
    assert_eq!(o["member_id"], m["member_id"]);
    let list = list_groups(&cluster).expect("list");
    assert_eq!((list.len(), list[0].members, list[0].state), (1, 1, GroupStateName::Stable));
    // Any group id is a name, as on Kafka ("../etc" is one that does not exist); an empty one is not.
    assert_eq!(describe_group(&cluster, "../etc").expect_err("unknown").exit_code(), 66);
    assert_eq!(describe_group(&cluster, "").expect_err("empty").exit_code(), 2);
    let err = describe_group(&cluster, "gg").expect_err("unknown");
    assert_eq!(err.exit_code(), 66);
    assert!(matches!(err.reason(), Some(Reason::UnknownGroup { suggestion: Some(g), .. }) if g == "g"));
    drop(member);
}

#[test]
fn an_unknown_strategy_in_state_json_is_a_damaged_file() {
    let (_dir, cluster) = setup(&[("t", 2)]);
    let member = join(&cluster, "g", Strategy::RoundRobin);
    let path = member.paths().state_file();
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains("\"strategy\": \"roundrobin\","), "{text}");
    std::fs::write(&path, text.replace("\"roundrobin\"", "\"fair\"")).expect("write");
    let opts = JoinOptions {
        group: "g".into(),
        topics: vec!["t".into()],
        client_id: None,
        strategy: Strategy::RoundRobin,
        session_timeout: Duration::from_secs(10),
    };
    let errors = [
        describe_group(&cluster, "g").expect_err("describe"),
        list_groups(&cluster).expect_err("list"),
        Membership::join(&cluster, &opts).expect_err("join"),
    ];
    for err in errors {
        assert_eq!(err.exit_code(), 74, "{}", err.message);
        for word in ["state.json", "damaged", "fair"] {
            assert!(err.message.contains(word), "{word}: {}", err.message);
        }
    }
    drop(member);
}

#[test]
fn a_silent_member_is_evicted_its_claims_broken_and_its_commits_refused() {
    let (_dir, cluster) = setup(&[("t", 2)]);
    let mut a = join(&cluster, "g", Strategy::Range);
    let opts = JoinOptions {
        group: "g".into(),
        topics: vec!["t".into()],
        client_id: Some("hung".into()),
        strategy: Strategy::Range,
        session_timeout: Duration::from_millis(300),
    };
    // b holds its liveness lock and a partition claim but never heartbeats (like SIGSTOP).
    let mut b = Membership::join(&cluster, &opts).expect("join");
    b.stop_heartbeat();
    let pb = b.assignment()[0].clone();
    let held = b.take_partition(&pb).expect("take").expect("free");
    a.refresh().expect("refresh");
    assert!(a.take_partition(&pb).expect("take").is_none(), "b is a member: a waits");
    eventually("b's eviction", || {
        a.refresh().expect("refresh");
        a.assignment().len() == 2
    });
    let claim = a.take_partition(&pb).expect("take");
    assert!(claim.is_some(), "an evicted member's claim is broken");
    assert!(matches!(b.commit(&[(pb.clone(), at(1))]).expect("commit"), CommitOutcome::Fenced(_)));
    assert!(matches!(b.refresh().expect("refresh"), GroupEvent::Fenced(_)));
    drop(held);
}

#[test]
fn a_commit_below_the_log_start_resumes_there_and_lags_from_it() {
    let (_dir, cluster) = setup(&[]);
    // Kept forever: the records are stamped in 1970, and the trim's
    // retention pass would otherwise delete them all.
    let config = vec![("retention.ms".to_string(), "-1".to_string())];
    cluster
        .create_topic(&TopicSpec { name: "t".into(), partitions: 1, replication_factor: 1, config })
        .expect("create");
    produce(&cluster, "t", 10);
    let stop = AtomicBool::new(false);
    let opts = MemberOptions { max_messages: Some(3), ..MemberOptions::new("g", vec!["t".into()]) };
    run_member(&cluster, &opts, &mut VecSink::default(), &stop).expect("run");
    let trim = |w: &mut crate::cluster::replication::partition_writer::PartitionWriter| {
        w.trim(crate::cluster::TrimPoint::Offset(6))
    };
    cluster.for_each_partition("t", None, trim).expect("trim");
    let d = describe_group(&cluster, "g").expect("describe");
    let o = &d.offsets[0];
    assert_eq!((o.committed, o.log_start_offset, o.log_end_offset, o.lag), (Some(3), Some(6), Some(10), Some(4)));
    assert!(o.below_log_start);
    let sink = VecSink::default();
    let seen = Arc::clone(&sink.seen);
    let mut sink = sink;
    let all = MemberOptions::new("g", vec!["t".into()]);
    assert_eq!(run_member(&cluster, &all, &mut sink, &stop).expect("run").delivered, 4);
    assert_eq!(seen.lock().expect("seen").first().map(|s| s.2), Some(6));
    let o = &describe_group(&cluster, "g").expect("describe").offsets[0];
    assert_eq!((o.committed, o.lag, o.below_log_start), (Some(10), Some(0), false));
}

/// Delivers slowly, so rebalances happen while records are in flight.
struct SlowSink(Seen);

impl RecordSink for SlowSink {
    fn write(&mut self, topic: &str, partition: u32, record: &Record<'_>) -> io::Result<()> {
        std::thread::sleep(Duration::from_micros(200));
        if let Ok(mut seen) = self.0.lock() {
            seen.push((topic.to_string(), partition, record.offset));
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn members_joining_and_leaving_mid_read_cause_no_duplicates() {
    let (_dir, cluster) = setup(&[("t", 2)]);
    produce(&cluster, "t", 1500);
    let stop = Arc::new(AtomicBool::new(false));
    let seen: Seen = Arc::default();
    let reader = {
        let (cluster, stop, seen) = (cluster.clone(), Arc::clone(&stop), Arc::clone(&seen));
        std::thread::spawn(move || {
            let opts = MemberOptions {
                follow: true,
                commit: CommitPolicy { every_records: 50, interval: Duration::from_millis(5) },
                ..MemberOptions::new("g", vec!["t".into()])
            };
            run_member(&cluster, &opts, &mut SlowSink(seen), &stop)
        })
    };
    // Others join and leave while the reader is busy: each bumps the
    // generation under the reader's in-flight commits.
    for _ in 0..4 {
        eventually("the reader to make progress", || seen.lock().map(|s| s.len()).unwrap_or(0) > 0);
        let other = join(&cluster, "g", Strategy::Range);
        std::thread::sleep(Duration::from_millis(30));
        other.leave().expect("leave");
    }
    eventually("everything read and committed", || {
        describe_group(&cluster, "g").is_ok_and(|d| d.offsets.iter().filter(|o| o.lag == Some(0)).count() == 2)
    });
    stop.store(true, Ordering::Relaxed);
    let report = reader.join().expect("thread").expect("member");
    assert_eq!(report.delivered, 3000);
    let mut all = seen.lock().expect("seen").clone();
    assert_eq!(all.len(), 3000, "no record delivered twice ({} rebalances)", report.rebalances);
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 3000);
}

/// Cooperative-sticky at the protocol level: a join first only revokes (the joiner gets
/// nothing, the old owner keeps what it retains); after the old owner releases what it
/// lost, the follow-up generation gives it to the joiner.
#[test]
fn cooperative_join_revokes_first_and_assigns_in_a_follow_up_generation() {
    let (_dir, cluster) = setup(&[("t", 4)]);
    let mut a = join(&cluster, "g", Strategy::CooperativeSticky);
    assert_eq!((a.generation(), a.assignment().len()), (1, 4));
    let all: Vec<TopicPartition> = a.assignment().to_vec();
    let mut claims: BTreeMap<TopicPartition, owners::OwnerClaim> = BTreeMap::new();
    for p in &all {
        claims.insert(p.clone(), a.take_partition(p).expect("take").expect("free"));
    }

    let mut b = join(&cluster, "g", Strategy::CooperativeSticky);
    assert_eq!((b.generation(), b.assignment()), (2, &[][..]), "nothing moves in the first phase");
    assert_eq!(a.refresh().expect("refresh"), GroupEvent::Rebalanced);
    let kept = [TopicPartition::new("t", 0), TopicPartition::new("t", 1)];
    assert_eq!(a.assignment(), &kept[..]);
    assert!(a.state().has_unassigned_partitions());
    // b's share is unassigned, not b's: still a's to commit.
    let moving = TopicPartition::new("t", 2);
    assert_eq!(a.commit(&[(moving.clone(), at(7))]).expect("commit"), CommitOutcome::Committed);

    // a releases what it lost (after committing it) and completes the rebalance.
    claims.retain(|p, _| kept.contains(p));
    assert!(a.complete_cooperative_rebalance().expect("follow-up"));
    assert!(!a.complete_cooperative_rebalance().expect("nothing left to do"), "no third generation");
    assert_eq!(b.refresh().expect("refresh"), GroupEvent::Rebalanced);
    assert_eq!(b.generation(), 3);
    assert_eq!(b.assignment(), &[moving.clone(), TopicPartition::new("t", 3)][..]);
    assert!(b.take_partition(&moving).expect("take").is_some(), "released by a");
    assert_eq!(b.committed(&moving).expect("committed").map(|c| c.offset), Some(7));
    assert_eq!(a.refresh().expect("refresh"), GroupEvent::Rebalanced);
    assert_eq!(a.assignment(), &kept[..], "a kept its partitions through both generations");
}

/// With cooperative-sticky, a member reading through another member's join never stops
/// reading the partitions it keeps (their ownership claims are never released or taken
/// again), and the partitions that move are handed over at the committed offset: across
/// both members every record is read once, none skipped.
#[test]
fn cooperative_members_keep_reading_what_they_retain_and_hand_over_the_rest_exactly_once() {
    let (_dir, cluster) = setup(&[("t", 4)]);
    produce(&cluster, "t", 500);
    let stop = Arc::new(AtomicBool::new(false));
    let member_opts = || MemberOptions {
        follow: true,
        strategy: Strategy::CooperativeSticky,
        commit: CommitPolicy { every_records: 50, interval: Duration::from_millis(5) },
        ..MemberOptions::new("g", vec!["t".into()])
    };
    let start = |seen: Seen| {
        let (cluster, stop, opts) = (cluster.clone(), Arc::clone(&stop), member_opts());
        std::thread::spawn(move || run_member(&cluster, &opts, &mut SlowSink(seen), &stop))
    };
    let (seen_a, seen_b): (Seen, Seen) = (Arc::default(), Arc::default());
    let a = start(Arc::clone(&seen_a));
    let paths = paths::GroupPaths::new(&cluster, "g").expect("paths");
    // The partitions a keeps when b joins (Kafka's sticky choice: t-0 and t-1).
    let kept = [0u32, 1];
    // (holder, times taken): a claim released and taken again shows a new count.
    let claim_of = |p: u32| match owners::owner(&paths, &TopicPartition::new("t", p)).ok()? {
        owners::Owner::Held { member, takes } => Some((member?, takes)),
        owners::Owner::Free => None,
    };
    eventually("a to hold every partition and read some", || {
        (0..4).all(|p| claim_of(p).is_some()) && seen_a.lock().map(|s| s.len()).unwrap_or(0) > 100
    });
    let before: Vec<_> = kept.iter().map(|&p| claim_of(p)).collect();

    let b = start(Arc::clone(&seen_b));
    eventually("a stable group of two, each with two partitions", || {
        describe_group(&cluster, "g").is_ok_and(|d| {
            d.state == GroupStateName::Stable
                && d.members.len() == 2
                && d.members.iter().all(|m| m.assignment.len() == 2)
        })
    });
    // More records, so that b surely reads some of the partitions that moved to it.
    produce(&cluster, "t", 500);
    eventually("a stable group of two with everything read and committed", || {
        let Ok(d) = describe_group(&cluster, "g") else { return false };
        d.state == GroupStateName::Stable
            && d.members.len() == 2
            && d.members.iter().all(|m| m.assignment.len() == 2)
            && d.offsets.len() == 4
            && d.offsets.iter().all(|o| o.lag == Some(0))
    });
    let after: Vec<_> = kept.iter().map(|&p| claim_of(p)).collect();
    assert_eq!(before, after, "a's claims on the partitions it kept were never released");
    stop.store(true, Ordering::Relaxed);
    let report_a = a.join().expect("thread").expect("member a");
    let report_b = b.join().expect("thread").expect("member b");
    assert!(report_b.delivered > 0, "b read the partitions that moved to it");

    let by = |seen: &Seen| seen.lock().expect("seen").clone();
    let (read_a, read_b) = (by(&seen_a), by(&seen_b));
    for p in 0..4u32 {
        let offsets = |read: &[(String, u32, u64)]| read.iter().filter(|r| r.1 == p).map(|r| r.2).collect::<Vec<_>>();
        let (from_a, from_b) = (offsets(&read_a), offsets(&read_b));
        if kept.contains(&p) {
            assert_eq!(from_a, (0..1000).collect::<Vec<_>>(), "t-{p}: read by a alone, in one pass");
            assert!(from_b.is_empty(), "t-{p}");
        } else {
            // a read a prefix, b the rest from exactly where a committed.
            let mut both = from_a.clone();
            both.extend(&from_b);
            assert_eq!(both, (0..1000).collect::<Vec<_>>(), "t-{p}: a read {} then b {}", from_a.len(), from_b.len());
        }
    }
    assert_eq!(report_a.delivered + report_b.delivered, 4000);
}

/// A committed position without a leader epoch.
fn at(offset: u64) -> super::CommitPoint {
    super::CommitPoint { offset, leader_epoch: None }
}

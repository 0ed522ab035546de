//! Admin commands killed (`kill -9`) between their steps, then run again:
//! each step of `broker fail`, `broker recover`, `elect-leaders`, `topic
//! create`, `topic alter --partitions` and `topic delete` is a point where
//! `RUNNEL_FAULT_KILL_AT=<step>@<n>` makes the command SIGKILL itself (see
//! `src/sys/fault.rs`). After each kill the invariants hold: a broker marked
//! down never counts as a written in-sync replica (`--acks all` refuses, or
//! writes enough copies), re-running finishes the change, and nothing
//! acknowledged is lost.

use std::collections::BTreeSet;
use std::os::unix::process::ExitStatusExt;

use serde_json::Value;

use crate::common::Sandbox;

/// Runs `args` under a kill at the `nth` time `step` is reached. Returns
/// whether the process died there (false: it never reached that step and
/// ran to its end, whatever its exit code).
fn killed_at(s: &Sandbox, step: &str, nth: u32, args: &[&str]) -> bool {
    let out = s.std_cmd(args).env("RUNNEL_FAULT_KILL_AT", format!("{step}@{nth}")).output().expect("run runnel");
    match out.status.signal() {
        Some(9) => true,
        Some(other) => panic!("runnel {args:?} died of signal {other}"),
        None => false,
    }
}

fn values(from: u32, n: u32) -> String {
    (from..from + n).map(|i| format!("m{i}\n")).collect()
}

fn expected(from: u32, n: u32) -> BTreeSet<String> {
    (from..from + n).map(|i| format!("m{i}")).collect()
}

fn consumed(s: &Sandbox, topic: &str) -> BTreeSet<String> {
    s.consume(topic, &[]).lines().map(str::to_string).collect()
}

fn down(s: &Sandbox) -> Vec<u64> {
    let meta: Value =
        serde_json::from_str(&std::fs::read_to_string(s.path().join("cluster.json")).expect("read")).expect("json");
    meta["brokers"]
        .as_array()
        .expect("brokers")
        .iter()
        .filter(|b| b["status"] == "down")
        .map(|b| b["id"].as_u64().expect("id"))
        .collect()
}

/// The invariant of a finished change: every partition with a leader is
/// led by a broker that is up, and no broker that is down is in its ISR.
fn no_down_broker_in_a_written_isr(s: &Sandbox, topic: &str) {
    let down = down(s);
    let d = s.describe(topic);
    for p in d["partitions"].as_array().expect("partitions") {
        let Some(leader) = p["leader"].as_u64() else { continue };
        assert!(!down.contains(&leader), "partition led by down broker {leader}: {p}");
        let isr: Vec<u64> = p["isr"].as_array().expect("isr").iter().filter_map(Value::as_u64).collect();
        assert!(isr.iter().all(|b| !down.contains(b)), "down broker in the ISR {isr:?} of {p} (down: {down:?})");
    }
}

/// Two brokers, `min.insync.replicas=2`: once broker 0 is marked down,
/// however far its `broker fail` got, one copy is all that can be written,
/// so `--acks all` refuses (69) — it never exits 0 with one copy.
#[test]
fn acks_all_refuses_after_a_fail_killed_at_any_step() {
    for step in ["fail.marked-down", "fail.levelled", "fail.committed"] {
        let s = Sandbox::with_brokers(2);
        s.ok(&["topic", "create", "rides", "-p", "2", "-r", "2", "--config", "min.insync.replicas=2"]);
        s.ok_with(&["produce", "rides", "--acks", "all"], values(0, 50));
        assert!(killed_at(&s, step, 1, &["broker", "fail", "0"]), "broker fail never reached {step}");
        assert_eq!(down(&s), vec![0], "{step}: the commit point is past");
        let err = s.fails_with(&["produce", "rides", "--acks", "all"], &values(50, 10), 69);
        assert!(err.contains("min.insync.replicas") || err.contains("no leader"), "{step}: {err}");
        // Running the fail again finishes it (never "already down" while
        // something is left); afterwards the state is whole.
        s.ok(&["broker", "fail", "0"]);
        no_down_broker_in_a_written_isr(&s, "rides");
        s.fails_with(&["produce", "rides", "--acks", "all"], &values(50, 10), 69);
        s.ok_with(&["produce", "rides", "--acks", "1"], values(50, 10));
        assert_eq!(consumed(&s, "rides"), expected(0, 60), "{step}");
        s.fails(&["broker", "fail", "0"], 73);
    }
}

/// Three brokers: `broker fail 0` killed at each step (and each partition
/// of the per-partition steps), `--acks all` produced in between, then
/// `broker recover 0` killed at each of its steps, then both run again.
/// Failing the two other brokers leaves broker 0 leading everything: it
/// must hold every acknowledged record, so a stale replica never rejoined
/// an ISR.
#[test]
fn fail_and_recover_killed_at_every_step_lose_nothing_acknowledged() {
    let fail_steps = [("fail.marked-down", 1), ("fail.levelled", 1), ("fail.committed", 1), ("fail.committed", 3)];
    let recover_steps = [
        ("recover.fail-finished", 1),
        ("recover.marked-up", 1),
        ("recover.caught-up", 1),
        ("recover.caught-up", 3),
        ("recover.committed", 2),
    ];
    for (i, &(fail_step, fail_nth)) in fail_steps.iter().enumerate() {
        for (j, &(recover_step, recover_nth)) in recover_steps.iter().enumerate() {
            // Not every pair: each fail step meets each recover step once
            // over the loop, with the rest sampled (the pairs are independent).
            if (i + j) % 2 == 1 && j != 0 {
                continue;
            }
            let what = format!("{fail_step}@{fail_nth} then {recover_step}@{recover_nth}");
            let s = Sandbox::with_brokers(3);
            s.ok(&["topic", "create", "rides", "-p", "4", "-r", "3", "--config", "min.insync.replicas=2"]);
            s.ok_with(&["produce", "rides", "--acks", "all"], values(0, 100));
            let mut acked = expected(0, 100);
            assert!(killed_at(&s, fail_step, fail_nth, &["broker", "fail", "0"]), "{what}: fail not killed");
            // Written while the fail is half done: acknowledged only with
            // two copies on brokers that are up.
            if s.run_with(&["produce", "rides", "--acks", "all"], values(100, 100)).status.success() {
                acked.extend(expected(100, 100));
            }
            if killed_at(&s, recover_step, recover_nth, &["broker", "recover", "0"]) {
                // Written while the recovery is half done.
                if s.run_with(&["produce", "rides", "--acks", "all"], values(200, 100)).status.success() {
                    acked.extend(expected(200, 100));
                }
            }
            s.ok(&["broker", "recover", "0"]);
            no_down_broker_in_a_written_isr(&s, "rides");
            crate::harness::check_replicas_agree(&s, "rides");
            s.ok_with(&["produce", "rides", "--acks", "all"], values(300, 100));
            acked.extend(expected(300, 100));
            // Broker 0 alone: it leads every partition now.
            s.ok(&["broker", "fail", "1"]);
            s.ok(&["broker", "fail", "2"]);
            let d = s.describe("rides");
            for p in d["partitions"].as_array().expect("partitions") {
                assert_eq!(p["leader"].as_u64(), Some(0), "{what}: {p}");
            }
            let got = consumed(&s, "rides");
            let lost: Vec<&String> = acked.difference(&got).collect();
            assert!(lost.is_empty(), "{what}: acknowledged records lost: {lost:?}");
        }
    }
}

/// An unclean election killed before and after its commit: running it
/// again elects the live replica, and the partition serves what it holds.
#[test]
fn an_unclean_election_killed_at_any_step_completes_when_run_again() {
    for step in ["elect.levelled", "elect.committed"] {
        let s = Sandbox::with_brokers(2);
        s.ok(&["topic", "create", "rides", "-p", "1", "-r", "2"]);
        s.ok_with(&["produce", "rides", "--acks", "all"], values(0, 20));
        let lead = s.describe("rides")["partitions"][0]["leader"].as_u64().expect("leader") as u32;
        let other = 1 - lead;
        s.ok(&["broker", "fail", &other.to_string()]);
        s.ok(&["broker", "fail", &lead.to_string()]);
        // The follower comes back; the last in-sync replica stays down.
        s.ok(&["broker", "recover", &other.to_string()]);
        assert!(s.describe("rides")["partitions"][0]["leader"].is_null(), "{step}: offline");
        assert!(killed_at(&s, step, 1, &["elect-leaders", "--unclean"]), "{step}: not reached");
        s.ok(&["elect-leaders", "--unclean"]);
        let p = &s.describe("rides")["partitions"][0];
        assert_eq!(p["leader"].as_u64(), Some(u64::from(other)), "{step}: {p}");
        no_down_broker_in_a_written_isr(&s, "rides");
        assert_eq!(consumed(&s, "rides"), expected(0, 20), "{step}: the follower held every record");
    }
}

/// `topic delete` killed after its commit (the topic file removed), before
/// and between the removal of its replicas: the topic is gone, and creating
/// it again gives an empty topic with no leftover data or group offsets
/// (an offset a member committed while the delete ran included).
#[test]
fn a_topic_delete_killed_after_its_commit_is_finished_by_the_next_create() {
    for (step, nth) in [("delete.committed", 1), ("delete.partition-removed", 1), ("delete.partition-removed", 2)] {
        let s = Sandbox::with_brokers(2);
        s.ok(&["topic", "create", "rides", "-p", "3", "-r", "2"]);
        s.ok(&["topic", "create", "other"]);
        s.ok_with(&["produce", "rides"], values(0, 30));
        s.ok_with(&["produce", "other"], values(0, 3));
        s.ok(&["consume", "rides", "other", "--group", "g"]);
        assert!(killed_at(&s, step, nth, &["topic", "delete", "rides"]), "{step}: not reached");
        s.fails(&["consume", "rides"], 66);
        // The replica folders left are reported, and running the delete
        // again finishes it.
        let report = s.fails(&["log", "verify"], 74);
        assert!(report.contains("topic delete rides"), "{step}: {report}");
        let finished = s.ok_with(&["topic", "delete", "rides"], "");
        assert!(finished.is_empty(), "{finished}");
        s.fails(&["topic", "delete", "rides"], 66);
        s.ok(&["log", "verify"]);
        // As a member's commit between the delete's two passes over the
        // groups leaves it.
        let path = s.path().join("groups").join("g").join("offsets.json");
        let mut offsets: Value = serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
        offsets["offsets"].as_array_mut().expect("offsets").push(serde_json::json!({
            "topic": "rides", "partition": 0, "offset": 7, "member_id": null, "generation": 0, "commit_ms": 0
        }));
        std::fs::write(&path, offsets.to_string()).expect("write");
        s.ok(&["topic", "create", "rides", "-p", "3", "-r", "2"]);
        assert_eq!(consumed(&s, "rides"), BTreeSet::new(), "{step}: the new topic is empty");
        let described = s.ok(&["group", "describe", "g", "--format", "json"]);
        assert!(described.contains("\"other\""), "{described}");
        assert!(!described.contains("\"rides\""), "{step}: offsets of the deleted topic remain: {described}");
        s.ok(&["log", "verify"]);
    }
}

/// Create and grow killed after the replica folders exist but before the
/// topic file names them: nothing changed, and running again succeeds.
#[test]
fn create_and_grow_killed_before_their_commit_leave_nothing_and_run_again() {
    let s = Sandbox::with_brokers(2);
    assert!(killed_at(&s, "create.replicas-created", 1, &["topic", "create", "rides", "-p", "2", "-r", "2"]));
    s.fails(&["topic", "describe", "rides"], 66);
    s.ok(&["topic", "create", "rides", "-p", "2", "-r", "2"]);
    s.ok_with(&["produce", "rides"], values(0, 10));
    assert!(killed_at(&s, "alter.replicas-created", 1, &["topic", "alter", "rides", "--partitions", "4"]));
    assert_eq!(s.describe("rides")["partitions"].as_array().expect("partitions").len(), 2);
    s.ok(&["topic", "alter", "rides", "--partitions", "4"]);
    assert_eq!(s.describe("rides")["partitions"].as_array().expect("partitions").len(), 4);
    assert_eq!(consumed(&s, "rides"), expected(0, 10));
}

/// A delete whose cleanup cannot take a partition's lock still exits 0:
/// the topic is gone (its file was the commit point); the folder it could
/// not remove is a warning, and the next create of the name removes it.
#[test]
fn a_topic_delete_that_cannot_clean_up_still_succeeds() {
    let s = Sandbox::with_brokers(1);
    s.ok(&["topic", "create", "rides", "-p", "2"]);
    s.ok_with(&["produce", "rides"], values(0, 10));
    let lock = std::fs::File::open(s.path().join("locks").join("rides-1.lock")).expect("open lock");
    lock.lock().expect("hold the partition lock");
    let out = s.run(&["--lock-timeout", "200ms", "topic", "delete", "rides"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("warning") && stderr.contains("rides-1"), "{stderr}");
    s.fails(&["topic", "describe", "rides"], 66);
    drop(lock);
    assert!(s.replica_dir(0, "rides", 1).exists(), "left behind");
    s.ok(&["topic", "create", "rides", "-p", "2"]);
    assert_eq!(consumed(&s, "rides"), BTreeSet::new());
}

/// A `broker fail` that cannot take a partition's lock has still marked
/// the broker down (its commit point): it exits 75 saying so and how to
/// finish, `--acks all` meanwhile never counts the broker, and running it
/// again once the lock is free completes it.
#[test]
fn a_fail_stopped_by_a_held_lock_says_the_broker_is_down_and_finishes_on_rerun() {
    let s = Sandbox::with_brokers(2);
    s.ok(&["topic", "create", "rides", "-p", "1", "-r", "2", "--config", "min.insync.replicas=2"]);
    s.ok_with(&["produce", "rides", "--acks", "all"], values(0, 10));
    let lock = std::fs::File::open(s.path().join("locks").join("rides-0.lock")).expect("open lock");
    lock.lock().expect("hold the partition lock");
    let err = s.fails(&["--lock-timeout", "200ms", "broker", "fail", "1"], 75);
    assert!(err.contains("broker 1 is down") && err.contains("runnel broker fail 1"), "{err}");
    assert_eq!(down(&s), vec![1]);
    drop(lock);
    s.fails_with(&["produce", "rides", "--acks", "all"], &values(10, 5), 69);
    s.ok(&["broker", "fail", "1"]);
    no_down_broker_in_a_written_isr(&s, "rides");
    assert_eq!(consumed(&s, "rides"), expected(0, 10));
}

/// `topic trim` and `log clean` work partition by partition, each
/// partition's pass whole on its own: killed after the first, running again
/// finishes the rest, and the replicas stay identical.
#[test]
fn trim_and_clean_killed_between_partitions_finish_when_run_again() {
    let s = Sandbox::with_brokers(2);
    s.ok(&["topic", "create", "rides", "-p", "3", "-r", "2", "--config", "segment.bytes=1024"]);
    for batch in 0..20 {
        let input: String = (0..15).map(|i| format!("k{}:v{batch}-{i}-{}\n", i % 5, "x".repeat(40))).collect();
        s.ok_with(&["produce", "rides", "--key-separator", ":", "--acks", "all"], input);
    }
    assert!(killed_at(&s, "lifecycle.partition-done", 1, &["topic", "trim", "rides", "--before", "-2"]));
    s.ok(&["topic", "trim", "rides", "--before", "-2"]);
    let d = s.describe("rides");
    for p in d["partitions"].as_array().expect("partitions") {
        let start = p["log_start_offset"].as_u64().or_else(|| p["start_offset"].as_u64());
        let end = p["high_watermark"].as_u64().or_else(|| p["end_offset"].as_u64());
        if let (Some(start), Some(end)) = (start, end) {
            assert_eq!(end - start, 2, "{p}");
        }
    }
    assert_eq!(s.consume("rides", &[]).lines().count(), 6, "the last two of each partition");
    s.ok(&["topic", "alter", "rides", "--config", "cleanup.policy=compact"]);
    assert!(killed_at(&s, "lifecycle.partition-done", 1, &["log", "clean", "rides"]));
    s.ok(&["log", "clean", "rides"]);
    crate::harness::check_replicas_agree(&s, "rides");
    s.ok(&["log", "verify", "rides"]);
}

/// `topic alter` with configs and a growth is one change: a growth that
/// is refused leaves the configs as they were (never "failed" with half of
/// it done).
#[test]
fn an_alter_refused_in_part_changes_nothing() {
    let s = Sandbox::with_brokers(2);
    s.ok(&["topic", "create", "rides", "-p", "2", "-r", "2"]);
    s.ok(&["broker", "fail", "1"]);
    let err = s.fails(&["topic", "alter", "rides", "--partitions", "4", "--config", "retention.ms=1000"], 69);
    assert!(err.contains("brokers up"), "{err}");
    let topic = std::fs::read_to_string(s.path().join("topics").join("rides.json")).expect("read");
    assert!(!topic.contains("retention.ms"), "{topic}");
    s.ok(&["broker", "recover", "1"]);
    s.ok(&["topic", "alter", "rides", "--partitions", "4", "--config", "retention.ms=1000"]);
    let topic = std::fs::read_to_string(s.path().join("topics").join("rides.json")).expect("read");
    assert!(topic.contains("retention.ms"), "{topic}");
    assert_eq!(s.describe("rides")["partitions"].as_array().expect("partitions").len(), 4);
}

/// Two fails cut short one after the other, then the last broker failed:
/// the partition's last in-sync replica is the broker written last, never
/// a stale one an interrupted fail left in the ISR, so recovering the
/// stale broker first does not elect it and lose what came after.
#[test]
fn fails_cut_short_in_a_row_keep_the_broker_written_last_as_the_last_in_sync_replica() {
    let s = Sandbox::with_brokers(3);
    s.ok(&["topic", "create", "rides", "-p", "1", "-r", "3"]);
    s.ok_with(&["produce", "rides", "--acks", "all"], values(0, 20));
    let lead = s.describe("rides")["partitions"][0]["leader"].as_u64().expect("leader") as u32;
    let (first, second) = ((lead + 1) % 3, (lead + 2) % 3);
    assert!(killed_at(&s, "fail.marked-down", 1, &["broker", "fail", &first.to_string()]));
    s.ok_with(&["produce", "rides", "--acks", "all"], values(20, 20));
    assert!(killed_at(&s, "fail.marked-down", 1, &["broker", "fail", &second.to_string()]));
    s.ok_with(&["produce", "rides", "--acks", "all"], values(40, 20));
    s.ok(&["broker", "fail", &lead.to_string()]);
    let p = &s.describe("rides")["partitions"][0];
    assert!(p["leader"].is_null(), "{p}");
    assert_eq!(p["isr"], serde_json::json!([lead]), "broker {lead} was written last: {p}");
    // The stale brokers come back first: they must not lead.
    s.ok(&["broker", "recover", &first.to_string()]);
    s.ok(&["broker", "recover", &second.to_string()]);
    s.fails(&["consume", "rides"], 69);
    s.ok(&["broker", "recover", &lead.to_string()]);
    assert_eq!(consumed(&s, "rides"), expected(0, 60));
    no_down_broker_in_a_written_isr(&s, "rides");
    crate::harness::check_replicas_agree(&s, "rides");
}

//! Segments lost at the front of a replica (found by the fault campaign):
//! told from retention, which records the new log start before it deletes,
//! reported by `log verify` and rebuilt by `log verify --repair`, leader or
//! follower.

use crate::common::Sandbox;
use crate::harness::check_replicas_agree;

/// Three brokers, one partition over several segments, 60 acknowledged values.
fn replicated() -> (Sandbox, Vec<String>) {
    let sb = Sandbox::with_brokers(3);
    sb.ok(&["topic", "create", "t", "-r", "3", "--config", "segment.bytes=1024", "--config", "min.insync.replicas=2"]);
    let mut all = Vec::new();
    for run in 0..6 {
        let values: Vec<String> = (0..10).map(|i| format!("run{run}-{i}-{}", "x".repeat(40))).collect();
        sb.produce("t", &["--acks", "all"], values.join("\n") + "\n");
        all.extend(values);
    }
    (sb, all)
}

fn first_segment(sb: &Sandbox, broker: u32) -> std::path::PathBuf {
    let mut logs = sb.segment_logs(broker, "t", 0);
    assert!(logs.len() > 2, "several segments: {logs:?}");
    logs.remove(0)
}

#[test]
fn a_first_segment_deleted_from_the_leader_or_a_follower_is_reported_and_rebuilt() {
    for broker in [0, 1] {
        let (sb, all) = replicated();
        let leader = sb.describe("t")["partitions"][0]["leader"].as_u64().expect("leader") as u32;
        let victim = if broker == 0 { leader } else { (leader + 1) % 3 };
        std::fs::remove_file(first_segment(&sb, victim)).expect("delete");
        let report = sb.fails(&["log", "verify"], 74);
        assert!(report.contains("a segment was deleted"), "{report}");
        let repaired = sb.run(&["log", "verify", "--repair"]);
        assert!(repaired.status.success(), "{}", String::from_utf8_lossy(&repaired.stderr));
        assert_eq!(sb.consume("t", &[]).lines().collect::<Vec<_>>(), all, "broker {victim}: every value, in order");
        check_replicas_agree(&sb, "t");
    }
}

#[test]
fn retention_and_a_trim_are_not_lost_segments() {
    let (sb, all) = replicated();
    sb.ok(&["topic", "trim", "t", "--before", "25"]);
    sb.ok(&["log", "verify"]);
    sb.ok(&["topic", "alter", "t", "--config", "retention.bytes=1024"]);
    sb.produce("t", &["--acks", "all"], "last\n");
    sb.ok(&["log", "clean"]);
    sb.ok(&["log", "verify"]);
    let left = sb.consume("t", &[]);
    assert!(left.lines().count() < all.len() + 1 - 25, "retention removed more: {left}");
}

#[test]
fn a_read_that_would_start_in_offsets_the_leader_lost_is_damage_not_a_silent_skip() {
    let (sb, all) = replicated();
    let leader = sb.describe("t")["partitions"][0]["leader"].as_u64().expect("leader") as u32;
    std::fs::remove_file(first_segment(&sb, leader)).expect("delete");
    for args in [
        vec!["consume", "t", "-o", "earliest"],
        vec!["consume", "t", "-o", "0"],
        vec!["consume", "t", "-o", "-60"],
        vec!["consume", "t", "--group", "g"],
    ] {
        let err = sb.fails(&args, 74);
        assert!(err.contains("starts at offset") && err.contains("log verify --repair"), "{args:?}: {err}");
    }
    // Reads that start above the lost offsets go on.
    assert_eq!(sb.consume("t", &["-o", "-5"]).lines().count(), 5);
    sb.ok(&["log", "verify", "--repair"]);
    assert_eq!(sb.consume("t", &["--group", "g"]).lines().collect::<Vec<_>>(), all);
}

//! File descriptors under a low limit on open files: a producer to far
//! more partitions than it may hold files open for closes its least
//! recently used partition writers (syncing them first), and readers
//! (`consume`, `topic describe`, `log verify`, `log du`) hold no descriptor
//! per partition. Each command runs under `ulimit -n 256` (soft and hard),
//! which runnel cannot raise.

use std::collections::BTreeSet;
use std::process::Output;

use crate::common::Sandbox;

/// Runs runnel with `args` under `ulimit -n <limit>`, `input` on stdin.
fn under_limit(sb: &Sandbox, limit: u32, args: &[&str], input: &str) -> Output {
    assert_cmd::Command::new("sh")
        .args(["-c", &format!("ulimit -n {limit} && exec \"$@\""), "sh"])
        .arg(Sandbox::bin())
        .arg("--data-dir")
        .arg(sb.path())
        .args(args)
        .write_stdin(input.as_bytes().to_vec())
        .output()
        .expect("run")
}

fn ok_under_limit(sb: &Sandbox, limit: u32, args: &[&str], input: &str) -> String {
    let out = under_limit(sb, limit, args, input);
    assert!(out.status.success(), "runnel {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8")
}

fn keyed(n: usize) -> (String, BTreeSet<String>) {
    let input = (0..n).map(|i| format!("k{i}:v{i}\n")).collect();
    (input, (0..n).map(|i| format!("v{i}")).collect())
}

/// Keyed records to a 2,000-partition topic under 256 open files: produce
/// needs about 8,000 descriptors if it kept every partition open.
#[test]
fn producing_to_2000_partitions_under_256_open_files_succeeds() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "wide", "--partitions", "2000"]);
    let (input, values) = keyed(20_000);
    ok_under_limit(&sb, 256, &["-q", "produce", "wide", "--key-separator", ":", "--acks", "all"], &input);
    // A second run appends to partitions whose writers were closed.
    let (more, more_values) = keyed(2_000);
    ok_under_limit(&sb, 256, &["-q", "produce", "wide", "--key-separator", ":"], &more);
    let got: Vec<String> =
        ok_under_limit(&sb, 256, &["-q", "consume", "wide"], "").lines().map(str::to_string).collect();
    assert_eq!(got.len(), 22_000);
    let got: BTreeSet<String> = got.into_iter().collect();
    assert!(values.is_subset(&got) && more_values.is_subset(&got));
    // Keys kept their partitions across closes and reopens: k7 twice, one partition.
    let json = ok_under_limit(&sb, 256, &["-q", "consume", "wide", "--format", "json"], "");
    let partitions_of_k7: BTreeSet<u64> = json
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("json"))
        .filter(|v| v["key"] == "k7")
        .map(|v| v["partition"].as_u64().expect("partition"))
        .collect();
    assert_eq!(partitions_of_k7.len(), 1, "{partitions_of_k7:?}");
    let describe = ok_under_limit(&sb, 256, &["topic", "describe", "wide", "--format", "json"], "");
    assert!(describe.contains("\"partition\": 1999") || describe.contains("\"partition\":1999"), "{describe}");
    ok_under_limit(&sb, 256, &["log", "verify", "wide"], "");
    ok_under_limit(&sb, 256, &["log", "du"], "");
}

/// Replicated, `--acks all`: writers closed for room were synced and
/// reopened with their followers levelled; every in-sync follower holds
/// exactly the leader's frames.
#[test]
fn replicated_writers_closed_for_room_keep_replicas_identical() {
    let sb = Sandbox::with_brokers(3);
    sb.ok(&["topic", "create", "wide", "--partitions", "300", "-r", "3"]);
    let (input, values) = keyed(6_000);
    ok_under_limit(&sb, 256, &["-q", "produce", "wide", "--key-separator", ":", "--acks", "all"], &input);
    ok_under_limit(&sb, 256, &["-q", "produce", "wide", "--key-separator", ":", "--acks", "all"], &input);
    let got: Vec<String> =
        ok_under_limit(&sb, 256, &["-q", "consume", "wide"], "").lines().map(str::to_string).collect();
    assert_eq!(got.len(), 12_000);
    assert_eq!(got.into_iter().collect::<BTreeSet<_>>(), values);
    assert!(crate::harness::check_replicas_agree(&sb, "wide") > 0);
}

/// The real case: 10,000 partitions with the machine's own limits (a hard
/// limit of 20,000 here, and 4 descriptors per partition written). Slow in
/// a debug build; run with `cargo test --test it descriptors:: -- --ignored`.
#[test]
#[ignore]
fn producing_to_10000_partitions_does_not_run_out_of_descriptors() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "huge", "--partitions", "10000"]);
    let (input, values) = keyed(100_000);
    sb.ok_with(&["-q", "produce", "huge", "--key-separator", ":", "--acks", "all"], input);
    let got: BTreeSet<String> = sb.consume("huge", &[]).lines().map(str::to_string).collect();
    assert_eq!(got, values);
    sb.ok(&["topic", "describe", "huge"]);
    sb.ok(&["log", "verify", "huge"]);
}

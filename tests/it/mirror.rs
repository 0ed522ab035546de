//! `runnel mirror`: topics copied between data dirs and a real Kafka
//! broker, either way — the same records per partition (keys, values with
//! null kept apart from empty, headers, timestamps, offsets when the source
//! starts at 0), the target topic made with the source's partition count
//! and configs, progress kept in the mirror's group on the source (resumed
//! after kill -9 with nothing lost), and `--follow` keeping up with new
//! records and partitions.

use std::time::Duration;

use crate::common::{Sandbox, assert_one_error_line, wait_until};
use crate::harness::Proc;
use crate::kafka_cluster;

/// Records that cover every shape a copy must keep: null and empty keys and
/// values, headers (a repeated name, a null value), explicit timestamps,
/// three partitions.
fn varied_input() -> String {
    let mut lines = String::new();
    for i in 0..30 {
        let key = match i % 3 {
            0 => "null".to_string(),
            1 => "\"\"".to_string(),
            _ => format!("\"k{i}\""),
        };
        let value = match i % 5 {
            0 => "null".to_string(),
            1 => "\"\"".to_string(),
            _ => format!("\"v{i}\""),
        };
        let headers = match i % 4 {
            0 => String::new(),
            1 => r#", "headers": {"h": "1", "n": null}"#.to_string(),
            _ => format!(r#", "headers": {{"trace": "t{i}"}}"#),
        };
        lines.push_str(&format!(
            "{{\"key\": {key}, \"value\": {value}, \"partition\": {}, \"timestamp\": {}{headers}}}\n",
            i % 3,
            1_700_000_000_000u64 + i * 1000
        ));
    }
    lines
}

/// Each record as JSON, without the topic name (which may differ), sorted
/// by partition and offset.
fn records(sandbox: &Sandbox, extra: &[&str], topic: &str) -> Vec<serde_json::Value> {
    let mut args = extra.to_vec();
    args.extend(["-q", "consume", topic, "--format", "json"]);
    let out = sandbox.ok(&args);
    let mut all: Vec<serde_json::Value> = out
        .lines()
        .map(|l| {
            let mut v: serde_json::Value = serde_json::from_str(l).expect("json");
            v.as_object_mut().expect("object").remove("topic");
            v
        })
        .collect();
    all.sort_by_key(|v| (v["partition"].as_u64(), v["offset"].as_u64()));
    all
}

fn mirror(sandbox: &Sandbox, from: &str, to: &str, extra: &[&str]) -> String {
    let mut args = vec!["mirror", "--from", from, "--to", to];
    args.extend_from_slice(extra);
    let out = sandbox.run(&args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "runnel {args:?}: {stderr}");
    stderr
}

#[test]
fn dir_to_dir_copies_every_record_shape_partition_and_config() {
    let src = Sandbox::new();
    src.ok(&["-q", "topic", "create", "rides", "-p", "3", "--config", "retention.ms=86400000"]);
    src.produce("rides", &["--format", "json"], varied_input());
    let dst = Sandbox::new();
    let to = dst.path().display().to_string();
    let from = src.path().display().to_string();
    let stderr = mirror(&src, &from, &to, &[]);
    assert!(stderr.contains("mirrored 30 records"), "{stderr}");
    assert_eq!(records(&dst, &[], "rides"), records(&src, &[], "rides"));
    let described = dst.describe("rides");
    assert_eq!(described["partitions"].as_array().map(Vec::len), Some(3), "{described}");
    let configs = dst.ok(&["topic", "describe", "rides", "--configs", "--format", "json"]);
    assert!(configs.contains("\"retention.ms\"") && configs.contains("86400000"), "{configs}");

    // A second run copies only what is new: the group on the source
    // remembers where the first one stopped.
    src.produce("rides", &["-K", ":"], "a:new\n");
    let stderr = mirror(&src, &from, &to, &[]);
    assert!(stderr.contains("mirrored 1 record"), "{stderr}");
    assert_eq!(records(&dst, &[], "rides"), records(&src, &[], "rides"));
    let groups = src.ok(&["group", "list"]);
    assert!(groups.contains("runnel-mirror-"), "{groups}");
}

#[test]
fn mirror_errors_are_one_line_with_their_codes() {
    let src = Sandbox::new();
    src.ok(&["-q", "topic", "create", "t"]);
    let from = src.path().display().to_string();
    let dst = Sandbox::new();
    let to = dst.path().display().to_string();
    // An unknown topic: 66.
    assert_one_error_line(&src.fails(&["mirror", "--from", &from, "--to", &to, "nosuch"], 66));
    // The same place twice: 2.
    assert_one_error_line(&src.fails(&["mirror", "--from", &from, "--to", &format!("dir:{from}")], 2));
    assert_one_error_line(&src.fails(&["mirror", "--from", &from, "--to", &format!("{from}/../data")], 2));
    // An unreachable cluster at either end: 69 within the deadline, never a hang.
    let nowhere = "127.0.0.1:9";
    for (a, b) in [(nowhere, to.as_str()), (from.as_str(), nowhere)] {
        let started = std::time::Instant::now();
        let stderr = src.fails(&["-X", "socket.timeout.ms=1000", "mirror", "--from", a, "--to", b, "t"], 69);
        assert_one_error_line(&stderr);
        assert!(started.elapsed() < Duration::from_secs(30), "took {:?}", started.elapsed());
    }
}

/// Asserts `copy` is `source` copied at least once: the source up to some
/// point `a`, then the source again from a point `b <= a` to its end — what
/// a mirror killed after committing `b` and resumed from there writes.
fn at_least_once(source: &[String], copy: &[String]) {
    let a = source.iter().zip(copy).take_while(|(s, c)| s == c).count();
    assert!(copy.len() >= source.len(), "lost records: {} of {}", copy.len(), source.len());
    let b = source.len() - (copy.len() - a);
    assert!(b <= a, "copied past the source: a={a} b={b}");
    assert_eq!(&copy[a..], &source[b..], "the copy resumes from a committed point");
}

/// Mirrors a 400,000-record topic, killed (SIGKILL) at its second sync of
/// the target, before the commit on the source: the target then holds
/// records past the committed offsets. Runs it again to the end, and
/// returns each partition's records on the source and on the target. With
/// `trim`, the source's first records are deleted first, so offsets do not
/// line up.
fn killed_and_resumed(trim: bool) -> Vec<(Vec<String>, Vec<String>)> {
    let src = Sandbox::new();
    src.ok(&["-q", "topic", "create", "big", "-p", "2"]);
    let input: String = (0..400_000).map(|i| format!("{i}\n")).collect();
    src.produce("big", &[], input);
    if trim {
        src.ok(&["-q", "topic", "trim", "big", "--before", "1000"]);
    }
    let dst = Sandbox::new();
    let (from, to) = (src.path().display().to_string(), dst.path().display().to_string());
    let killed =
        src.std_cmd(&["mirror", "--from", &from, "--to", &to]).env("RUNNEL_FAULT_KILL_AT", "mirror.synced@2").output();
    let killed = killed.expect("run");
    assert_eq!(killed.status.code(), None, "killed at its second sync: {}", String::from_utf8_lossy(&killed.stderr));
    mirror(&src, &from, &to, &[]);
    ["0", "1"]
        .iter()
        .map(|p| {
            let source: Vec<String> = src.consume("big", &["-p", p]).lines().map(str::to_string).collect();
            let copy: Vec<String> = dst.consume("big", &["-p", p]).lines().map(str::to_string).collect();
            (source, copy)
        })
        .collect()
}

#[test]
fn a_mirror_killed_midway_resumes_exactly_where_offsets_line_up() {
    for (source, copy) in killed_and_resumed(false) {
        assert_eq!(copy.len(), source.len(), "no record lost, none copied twice");
        assert!(copy == source, "the copy is the source");
    }
}

#[test]
fn a_mirror_of_a_trimmed_source_resumes_at_least_once() {
    let copies = killed_and_resumed(true);
    for (source, copy) in &copies {
        at_least_once(source, copy);
    }
    // What was synced but not committed is copied again: the resume did
    // not take the target's end where the offsets do not line up.
    assert!(copies.iter().any(|(source, copy)| copy.len() > source.len()), "nothing was copied twice");
}

#[test]
fn follow_picks_up_new_records_and_partitions() {
    let src = Sandbox::new();
    src.ok(&["-q", "topic", "create", "live", "-p", "2"]);
    src.produce("live", &["-p", "1"], "before\n");
    let dst = Sandbox::new();
    let (from, to) = (src.path().display().to_string(), dst.path().display().to_string());
    let proc = Proc::spawn(&src, &["mirror", "--from", &from, "--to", &to, "--follow"], None);
    let count = |sb: &Sandbox| sb.run(&["-q", "consume", "live"]).stdout.iter().filter(|&&b| b == b'\n').count();
    assert!(wait_until(Duration::from_secs(30), || count(&dst) == 1), "the first record was not copied");
    src.produce("live", &["-p", "0"], "after\n");
    assert!(wait_until(Duration::from_secs(30), || count(&dst) == 2), "a new record was not copied");
    src.ok(&["-q", "topic", "alter", "live", "--partitions", "3"]);
    src.produce("live", &["-p", "2"], "new partition\n");
    assert!(wait_until(Duration::from_secs(30), || count(&dst) == 3), "a new partition was not copied");
    assert_eq!(dst.consume("live", &["-p", "2"]), "new partition\n");
    proc.signal(libc::SIGTERM);
    let ended = proc.wait(Duration::from_secs(30));
    assert_eq!(ended.status.code(), Some(0), "{}", ended.stderr);
}

#[test]
fn dir_to_kafka_to_dir_is_an_exact_copy() {
    let Some(bootstrap) = kafka_cluster::bootstrap() else { return };
    let src = Sandbox::new();
    let topic = format!("mirrored-{}", std::process::id());
    src.ok(&["-q", "topic", "create", &topic, "-p", "3", "--config", "retention.ms=86400000"]);
    src.produce(&topic, &["--format", "json"], varied_input());
    let from = src.path().display().to_string();
    mirror(&src, &from, bootstrap, &[&topic]);
    // On Kafka: the same partition count and config, read by runnel...
    let kafka = ["--bootstrap-server", bootstrap];
    assert_eq!(records(&src, &kafka, &topic), records(&src, &[], &topic));
    let configs = src.ok(&["--bootstrap-server", bootstrap, "topic", "describe", &topic, "--configs"]);
    assert!(configs.contains("retention.ms") && configs.contains("86400000"), "{configs}");
    // ... and by kcat, an independent client: keys and partitions.
    if std::process::Command::new("kcat").arg("-V").output().is_ok() {
        let out = std::process::Command::new("kcat")
            .args(["-C", "-b", bootstrap, "-t", &topic, "-e", "-q", "-f", "%p %k\\n", "-p", "2"])
            .output()
            .expect("kcat");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.lines().any(|l| l == "2 k2"), "{text}");
    }
    // Back to a second data dir: byte for byte the source.
    let back = Sandbox::new();
    let to = back.path().display().to_string();
    mirror(&src, bootstrap, &to, &[&topic]);
    assert_eq!(records(&back, &[], &topic), records(&src, &[], &topic));
    let configs = back.ok(&["topic", "describe", &topic, "--configs", "--format", "json"]);
    assert!(configs.contains("86400000"), "{configs}");
    // The mirror's progress is a group on the Kafka source, as Kafka's tools see it.
    let groups = src.ok(&["--bootstrap-server", bootstrap, "group", "list"]);
    assert!(groups.contains("runnel-mirror-"), "{groups}");
}

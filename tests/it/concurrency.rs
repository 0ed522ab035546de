//! Several runnel processes on one directory at once: producers never lose
//! or duplicate a message, consumers never see a partial one.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::process::{Child, Stdio};
use std::time::Duration;

use crate::common::{self, Sandbox};
use serde_json::Value;

const PRODUCERS: usize = 8;
const PER_PRODUCER: usize = 2000;

/// A value whose every byte is checkable: a partial write can't pass.
fn value(producer: usize, i: usize) -> String {
    format!("p{producer}-{i:05}-{}-end", "x".repeat(20 + (i % 50)))
}

fn is_whole(v: &str) -> bool {
    let parts: Vec<&str> = v.split('-').collect();
    if parts.len() != 4 || parts[3] != "end" {
        return false;
    }
    let Ok(i) = parts[1].parse::<usize>() else { return false };
    let Some(p) = parts[0].strip_prefix('p').and_then(|p| p.parse::<usize>().ok()) else { return false };
    v == value(p, i)
}

fn spawn_producers(sb: &Sandbox, topic: &str) -> Vec<(Child, std::thread::JoinHandle<()>)> {
    (0..PRODUCERS)
        .map(|p| {
            let mut child = sb
                .std_cmd(&["-q", "produce", topic])
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn produce");
            let mut stdin = child.stdin.take().expect("stdin");
            let writer = std::thread::spawn(move || {
                let input: String = (0..PER_PRODUCER).map(|i| value(p, i) + "\n").collect();
                // Several writes, so that the producers interleave.
                for chunk in input.as_bytes().chunks(7_000) {
                    stdin.write_all(chunk).expect("write stdin");
                }
            });
            (child, writer)
        })
        .collect()
}

fn wait_producers(children: Vec<(Child, std::thread::JoinHandle<()>)>) {
    for (child, writer) in children {
        writer.join().expect("writer");
        let out = child.wait_with_output().expect("wait produce");
        assert!(out.status.success(), "a producer failed: {}", String::from_utf8_lossy(&out.stderr));
    }
}

/// Checks a consumer's JSON lines: whole values, no duplicates, and per
/// partition offsets 0, 1, 2, ... with no gap. Returns the values.
fn check_prefix(lines: &[String]) -> BTreeSet<String> {
    let mut values = BTreeSet::new();
    let mut next: BTreeMap<u64, u64> = BTreeMap::new();
    for line in lines {
        let m: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("partial or bad line {line:?}: {e}"));
        let v = m["value"].as_str().expect("value").to_string();
        assert!(is_whole(&v), "partial message {v:?}");
        let p = m["partition"].as_u64().expect("partition");
        let o = m["offset"].as_u64().expect("offset");
        let expected = next.entry(p).or_insert(0);
        assert_eq!(o, *expected, "partition {p}: offset gap or repeat");
        *expected += 1;
        assert!(values.insert(v.clone()), "duplicate message {v}");
    }
    values
}

fn all_values() -> BTreeSet<String> {
    (0..PRODUCERS).flat_map(|p| (0..PER_PRODUCER).map(move |i| value(p, i))).collect()
}

#[test]
fn eight_producers_at_once_lose_and_duplicate_nothing() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t", "--partitions", "4"]);
    wait_producers(spawn_producers(&sb, "t"));
    let out = sb.consume("t", &["--format", "json"]);
    let lines: Vec<String> = out.lines().map(String::from).collect();
    assert_eq!(lines.len(), PRODUCERS * PER_PRODUCER);
    assert_eq!(check_prefix(&lines), all_values());
    let d = sb.describe("t");
    let total: u64 =
        d["partitions"].as_array().expect("parts").iter().map(|p| p["high_watermark"].as_u64().expect("hw")).sum();
    assert_eq!(total, (PRODUCERS * PER_PRODUCER) as u64);

    // Each producer's own messages keep their order within a partition.
    let mut last: BTreeMap<(u64, String), usize> = BTreeMap::new();
    for line in &lines {
        let m: Value = serde_json::from_str(line).expect("json");
        let v = m["value"].as_str().expect("value");
        let (producer, rest) = v.split_once('-').expect("producer");
        let i: usize = rest[..5].parse().expect("index");
        let key = (m["partition"].as_u64().expect("p"), producer.to_string());
        if let Some(prev) = last.insert(key, i) {
            assert!(i > prev, "{v} after {prev} in one partition");
        }
    }
}

/// Above 32 partitions each producer appends from two threads, and a
/// writer checks the log before each append without listing its folder:
/// with 1 KiB segments, rolls by one process under another's open handle
/// happen all the time, and every offset is still handed out once.
#[test]
fn eight_producers_on_many_partitions_with_tiny_segments_lose_and_duplicate_nothing() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t", "--partitions", "48", "--config", "segment.bytes=1024"]);
    wait_producers(spawn_producers(&sb, "t"));
    let out = sb.consume("t", &["--format", "json"]);
    let lines: Vec<String> = out.lines().map(String::from).collect();
    assert_eq!(lines.len(), PRODUCERS * PER_PRODUCER);
    assert_eq!(check_prefix(&lines), all_values());
    let segments: usize = (0..48)
        .map(|p| {
            std::fs::read_dir(sb.replica_dir(0, "t", p))
                .expect("replica folder")
                .filter(|e| e.as_ref().is_ok_and(|e| e.file_name().to_string_lossy().ends_with(".log")))
                .count()
        })
        .sum();
    // At least one frame per producer per partition, most over 1 KiB: far more
    // rolls than partitions (how many depends on how stdin arrives).
    assert!(segments > 48 * 4, "segments rolled often: {segments}");
    sb.ok(&["log", "verify"]);
}

#[test]
fn consumers_running_during_produce_never_see_partial_or_duplicate_messages() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t", "--partitions", "3"]);

    let (mut follower, rx, reader) =
        common::spawn_lines(&mut sb.std_cmd(&["-q", "consume", "t", "--follow", "--format", "json"]));

    let producers = spawn_producers(&sb, "t");
    // Plain consumers that read up to the end as it is while producers write.
    let mut snapshots = 0;
    let mut largest = 0;
    loop {
        let out = sb.run(&["-q", "consume", "t", "--format", "json"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let lines: Vec<String> = String::from_utf8(out.stdout).expect("utf-8").lines().map(String::from).collect();
        largest = largest.max(check_prefix(&lines).len());
        snapshots += 1;
        if largest == PRODUCERS * PER_PRODUCER || snapshots >= 200 {
            break;
        }
    }
    wait_producers(producers);

    let mut followed = Vec::new();
    while followed.len() < PRODUCERS * PER_PRODUCER {
        match rx.recv_timeout(Duration::from_secs(30)) {
            Ok(line) => followed.push(line),
            Err(_) => break,
        }
    }
    let _ = follower.kill();
    let _ = follower.wait();
    let _ = reader.join();
    assert_eq!(followed.len(), PRODUCERS * PER_PRODUCER, "the follower saw every message");
    assert_eq!(check_prefix(&followed), all_values());
}

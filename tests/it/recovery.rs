//! Damage on disk through the real binary: a torn tail is repaired, a
//! flipped byte is reported, lost indexes are rebuilt.

use std::fs::OpenOptions;
use std::os::unix::fs::FileExt;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use crate::common::{self, Sandbox};

fn segment_files(sb: &Sandbox, topic: &str, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(sb.replica_dir(0, topic, 0))
        .expect("replica dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    files
}

fn flip_byte(path: &std::path::Path, position: u64) {
    let file = OpenOptions::new().read(true).write(true).open(path).expect("open segment");
    let mut byte = [0u8];
    file.read_exact_at(&mut byte, position).expect("read byte");
    byte[0] ^= 0x5a;
    file.write_all_at(&byte, position).expect("write byte");
}

#[test]
fn a_torn_tail_is_cut_once_and_appends_continue() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t"]);
    sb.produce("t", &[], "a1\na2\n");
    sb.produce("t", &[], "b1\nb2\nb3\n");
    sb.produce("t", &[], "c1\nc2\n");
    let log = sb.replica_dir(0, "t", 0).join("00000000000000000000.log");
    let len = std::fs::metadata(&log).expect("log").len();
    OpenOptions::new().write(true).open(&log).expect("open").set_len(len - 3).expect("truncate");

    let out = sb.run_with(&["produce", "t"], "d1\nd2\n");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let repairs = stderr.lines().filter(|l| l.contains("repair")).count();
    assert_eq!(repairs, 1, "one line about the repair: {stderr}");
    assert!(stderr.contains("00000000000000000000.log"), "names the file: {stderr}");

    let out = sb.run_with(&["produce", "t"], "e1\n");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("repair"), "repaired only once");

    let json = sb.consume_json("t", &[]);
    let got: Vec<(u64, &str)> =
        json.iter().map(|m| (m["offset"].as_u64().expect("offset"), m["value"].as_str().expect("value"))).collect();
    assert_eq!(got, [(0, "a1"), (1, "a2"), (2, "b1"), (3, "b2"), (4, "b3"), (5, "d1"), (6, "d2"), (7, "e1")]);
    assert_eq!(sb.describe("t")["partitions"][0]["high_watermark"], 8);
}

#[test]
fn a_flipped_byte_in_a_closed_segment_exits_74_naming_file_and_position() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t", "--config", "segment.bytes=1024"]);
    for run in 0..8 {
        let input: String = (0..40).map(|i| format!("run{run}-message-{i}\n")).collect();
        sb.produce("t", &[], input);
    }
    let logs = segment_files(&sb, "t", "log");
    assert!(logs.len() >= 3, "several segments: {logs:?}");
    let first = &logs[0];
    let len = std::fs::metadata(first).expect("segment").len();
    flip_byte(first, len / 2);

    let err = sb.fails(&["consume", "t"], 74);
    assert!(err.contains(&first.display().to_string()), "names the file: {err}");
    let position: u64 = err
        .split("byte ")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("names a byte position: {err}"));
    assert!(position <= len / 2, "the damaged frame starts at or before the flipped byte: {err}");
    common::assert_one_error_line(&err);

    // The segments after the damage still read.
    let last = segment_files(&sb, "t", "log").last().cloned().expect("last");
    let base: u64 = last.file_stem().and_then(|s| s.to_str()).and_then(|s| s.parse().ok()).expect("base");
    let tail = sb.consume("t", &["--from", &base.to_string()]);
    assert!(tail.contains("run7-message-39"), "{tail}");
}

#[test]
fn a_flipped_byte_in_the_active_segment_does_not_hang_consume() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t"]);
    sb.produce("t", &[], (0..500).map(|i| format!("{i}\n")).collect::<String>());
    let log = sb.replica_dir(0, "t", 0).join("00000000000000000000.log");
    let len = std::fs::metadata(&log).expect("log").len();
    flip_byte(&log, len / 2);
    let mut child = sb.std_cmd(&["consume", "t"]).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().expect("spawn");
    let exited = common::wait_until(Duration::from_secs(20), || child.try_wait().expect("try_wait").is_some());
    if !exited {
        let _ = child.kill();
        let _ = child.wait();
        panic!("consume hung on a corrupt active segment");
    }
    assert_eq!(child.wait().expect("wait").code(), Some(74));
}

/// A topic of 2 KiB segments with an index entry every 64 bytes, filled by
/// `runs` produce runs of 30 timestamped values; returns the values in order.
fn many_small_segments(runs: u64) -> (Sandbox, Vec<String>) {
    let sb = Sandbox::new();
    let create = ["topic", "create", "t", "--config", "segment.bytes=2048", "--config", "index.interval.bytes=64"];
    // The records are stamped in 1970: keep them from retention.
    sb.ok(&[&create[..], &["--config", "retention.ms=-1"]].concat());
    let mut expected = Vec::new();
    for run in 0..runs {
        let input: String = (0..30u64)
            .map(|i| {
                let n = run * 30 + i;
                expected.push(format!("v{n}"));
                format!("{{\"value\":\"v{n}\",\"timestamp\":{}}}\n", 1_000_000 + n * 10)
            })
            .collect();
        sb.produce("t", &["--format", "json"], input);
    }
    (sb, expected)
}

#[test]
fn deleted_indexes_are_rebuilt() {
    let (sb, expected) = many_small_segments(10);
    let indexes: Vec<PathBuf> =
        segment_files(&sb, "t", "index").into_iter().chain(segment_files(&sb, "t", "timeindex")).collect();
    assert!(indexes.len() >= 4, "{indexes:?}");
    for index in &indexes {
        std::fs::remove_file(index).expect("remove index");
    }

    let all: Vec<String> = sb.consume("t", &[]).lines().map(String::from).collect();
    assert_eq!(all, expected);
    for from in [0u64, 1, 59, 150, 211, 299] {
        let got = sb.consume("t", &["--from", &from.to_string(), "--max-messages", "1"]);
        assert_eq!(got, format!("v{from}\n"), "--from {from}");
    }
    let got = sb.consume("t", &["--from", "@1001205", "--max-messages", "1"]);
    assert_eq!(got, "v121\n", "--from @time");
    let json = sb.consume_json("t", &["--from", "250"]);
    let offsets: Vec<u64> = json.iter().map(|m| m["offset"].as_u64().expect("offset")).collect();
    assert_eq!(offsets, (250..300).collect::<Vec<u64>>());

    // Appending still works and the indexes come back.
    sb.produce("t", &[], "after\n");
    assert_eq!(sb.consume("t", &["--from", "300"]), "after\n");
    assert_eq!(sb.consume("t", &["--from", "-1"]), "after\n");
}

#[test]
fn a_garbage_index_and_a_truncated_time_index_are_ignored_and_rebuilt() {
    let (sb, expected) = many_small_segments(6);
    let indexes = segment_files(&sb, "t", "index");
    let times = segment_files(&sb, "t", "timeindex");
    assert!(indexes.len() >= 2, "{indexes:?}");
    // Random bytes (a fixed LCG) in the active segment's offset index ...
    let mut x = 0x2545_f491_4f6c_dd1du64;
    let garbage: Vec<u8> = (0..203)
        .map(|_| {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (x >> 56) as u8
        })
        .collect();
    std::fs::write(indexes.last().expect("active index"), &garbage).expect("garbage");
    // ... and every time index cut in the middle of an entry.
    for t in &times {
        let len = std::fs::metadata(t).expect("time index").len();
        if len > 20 {
            OpenOptions::new().write(true).open(t).expect("open").set_len(len - 9).expect("cut");
        }
    }
    let all: Vec<String> = sb.consume("t", &[]).lines().map(String::from).collect();
    assert_eq!(all, expected);
    for from in [0u64, 61, 150, 179] {
        assert_eq!(sb.consume("t", &["--from", &from.to_string(), "--max-messages", "1"]), format!("v{from}\n"));
    }
    assert_eq!(sb.consume("t", &["--from", "@1001205", "--max-messages", "1"]), "v121\n");

    // The next writer rebuilds the active segment's indexes; then all verifies.
    sb.produce("t", &[], "after\n");
    assert_eq!(sb.consume("t", &["--from", "180"]), "after\n");
    sb.ok(&["log", "verify"]);
}

#[test]
fn a_lost_leader_replica_is_exit_69_for_readers_and_groups_never_go_back() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t"]);
    sb.ok_with(&["produce", "t", "-q"], "1\n2\n3\n4\n5\n");
    sb.ok(&["consume", "t", "--group", "g", "-q"]);
    std::fs::remove_dir_all(sb.replica_dir(0, "t", 0)).expect("lose the leader's replica");
    // Not an empty partition: an error naming what is missing, for readers as for writers.
    let err = sb.fails(&["consume", "t"], 69);
    assert!(err.contains("lost its leader's replica"), "{err}");
    let err = sb.fails(&["consume", "t", "--group", "g"], 69);
    assert!(!err.contains("warning"), "a lost replica is not a truncated log: {err}");
    sb.fails_with(&["produce", "t"], "x\n", 69);
    let d: serde_json::Value =
        serde_json::from_str(&sb.ok(&["group", "describe", "g", "--format", "json"])).expect("json");
    assert_eq!(d["offsets"][0]["committed"], 5, "the committed offset did not go back");
    assert!(!sb.replica_dir(0, "t", 0).exists(), "a reader recreated nothing");
}

#[test]
fn a_following_group_member_whose_leader_replica_is_lost_exits_69_and_keeps_its_commit() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t"]);
    sb.ok_with(&["produce", "t", "-q"], "1\n2\n3\n4\n5\n");
    let (mut child, lines, reader) =
        crate::common::spawn_lines(&mut sb.std_cmd(&["consume", "t", "--group", "g", "--follow"]));
    for want in ["1", "2", "3", "4", "5"] {
        let got = lines.recv_timeout(std::time::Duration::from_secs(30)).expect("a line");
        assert_eq!(got, want);
    }
    let committed = || {
        let d: serde_json::Value =
            serde_json::from_str(&sb.ok(&["group", "describe", "g", "--format", "json"])).expect("json");
        d["offsets"][0]["committed"].as_u64()
    };
    assert!(crate::common::wait_until(std::time::Duration::from_secs(30), || committed() == Some(5)));
    std::fs::remove_dir_all(sb.replica_dir(0, "t", 0)).expect("lose the leader's replica");
    // Not a partition with nothing new, waited on forever: exit 69.
    let mut status = None;
    assert!(crate::common::wait_until(std::time::Duration::from_secs(30), || {
        status = child.try_wait().expect("wait");
        status.is_some()
    }));
    assert_eq!(status.and_then(|s| s.code()), Some(69));
    reader.join().expect("reader");
    assert_eq!(committed(), Some(5), "the committed offset did not go back");
    assert!(!sb.replica_dir(0, "t", 0).exists(), "a reader recreated nothing");
}

#[test]
fn damage_mid_log_prints_the_records_before_it_then_exits_74_and_a_group_commits_up_to_it() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t", "--config", "segment.bytes=1024"]);
    let mut all = Vec::new();
    for run in 0..8 {
        let input: Vec<String> = (0..40).map(|i| format!("run{run}-message-{i}")).collect();
        sb.produce("t", &[], input.join("\n") + "\n");
        all.extend(input);
    }
    let logs = segment_files(&sb, "t", "log");
    assert!(logs.len() >= 3, "several segments: {logs:?}");
    // The first frame of the second segment is damaged: offsets before its base are healthy.
    let damaged = &logs[1];
    let base: usize = damaged.file_stem().and_then(|s| s.to_str()).and_then(|s| s.parse().ok()).expect("base");
    assert!(base > 0);
    flip_byte(damaged, 60);
    let healthy: String = all[..base].iter().map(|v| format!("{v}\n")).collect();

    let out = sb.run(&["consume", "t"]);
    assert_eq!(out.status.code(), Some(74));
    assert_eq!(String::from_utf8_lossy(&out.stdout), healthy, "the records before the damage, flushed");
    let err = String::from_utf8_lossy(&out.stderr);
    common::assert_one_error_line(&err);
    assert!(err.contains(&damaged.display().to_string()), "{err}");

    // A group member prints the same, commits up to the damage and not past it.
    let out = sb.run(&["consume", "t", "--group", "g"]);
    assert_eq!(out.status.code(), Some(74));
    assert_eq!(String::from_utf8_lossy(&out.stdout), healthy);
    let d: serde_json::Value =
        serde_json::from_str(&sb.ok(&["group", "describe", "g", "--format", "json"])).expect("json");
    assert_eq!(d["offsets"][0]["committed"].as_u64(), Some(base as u64));
    // The next run prints nothing new before failing at the same place.
    let out = sb.run(&["consume", "t", "--group", "g"]);
    assert_eq!((out.status.code(), out.stdout.len()), (Some(74), 0));
}

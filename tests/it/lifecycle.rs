//! The log lifecycle through the real binary: retention by time and size,
//! compaction (latest value per key, tombstones, lag, a kill -9 mid-pass),
//! `topic trim`, consumers below the log start, disk usage and config
//! validation.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::common::Sandbox;
use serde_json::Value;

/// `n` JSON envelopes stamped `ts0`, `ts0 + 1`, ... with ~100-byte values.
fn old_records(from: u32, n: u32, ts0: i64) -> String {
    (from..from + n)
        .map(|i| format!("{{\"value\":\"v{i:04}-{}\",\"timestamp\":{}}}\n", "x".repeat(90), ts0 + i64::from(i)))
        .collect()
}

fn consume_json(sb: &Sandbox, args: &[&str]) -> Vec<Value> {
    let mut all = vec!["consume"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    sb.ok(&all).lines().map(|l| serde_json::from_str(l).expect("json line")).collect()
}

fn partition0(sb: &Sandbox, topic: &str) -> (u64, u64) {
    let d = sb.describe(topic);
    let p = &d["partitions"][0];
    (p["log_start_offset"].as_u64().expect("start"), p["high_watermark"].as_u64().expect("hw"))
}

fn segments(sb: &Sandbox, broker: u32, topic: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(sb.replica_dir(broker, topic, 0))
        .expect("replica dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".log"))
        .collect();
    names.sort();
    names
}

#[test]
fn retention_by_time_deletes_old_closed_segments_on_every_replica() {
    let sb = Sandbox::with_brokers(3);
    sb.ok(&["topic", "create", "t", "-r", "3", "--config", "segment.bytes=1024", "--config", "retention.ms=3600000"]);
    sb.ok_with(&["produce", "t", "--format", "json"], old_records(0, 40, 1000));
    let recent = chrono_free_now() - 1000;
    sb.ok_with(&["produce", "t", "--format", "json"], old_records(40, 10, recent));
    sb.ok(&["log", "clean", "t"]);
    let (start, hw) = partition0(&sb, "t");
    assert_eq!(hw, 50, "the high watermark never moves");
    assert!((30..=40).contains(&start), "old segments gone, recent kept: start {start}");
    let records = consume_json(&sb, &["t"]);
    assert_eq!(records.first().map(|r| r["offset"].as_u64()), Some(Some(start)));
    assert_eq!(records.len() as u64, hw - start);
    for broker in 0..3 {
        let first = segments(&sb, broker, "t").first().cloned().expect("a segment");
        assert_eq!(first, format!("{start:020}.log"), "broker {broker}");
    }
}

fn chrono_free_now() -> i64 {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock");
    i64::try_from(now.as_millis()).expect("ms")
}

#[test]
fn retention_by_size_and_time_follow_kafkas_rules_active_segment_included() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "s", "--config", "segment.bytes=1024", "--config", "retention.bytes=2048"]);
    for batch in 0..6 {
        // One frame (~1.3 KiB) per produce: each gets a segment of its own.
        // Stamped a minute ago, so all of it has expired once retention.ms=0.
        sb.ok_with(&["produce", "s", "--format", "json"], old_records(batch * 10, 10, chrono_free_now() - 60_000));
    }
    sb.ok(&["log", "clean"]);
    let du: Value = serde_json::from_str(&sb.ok(&["log", "du", "--format", "json"])).expect("du");
    let sizes: Vec<u64> = segments(&sb, 0, "s")
        .iter()
        .map(|n| std::fs::metadata(sb.replica_dir(0, "s", 0).join(n)).expect("stat").len())
        .collect();
    let bytes: u64 = sizes.iter().sum();
    // Kafka's rule: the oldest go while what is left stays at or above the limit.
    assert!(bytes >= 2048 && bytes - sizes[0] < 2048, "{sizes:?}: {bytes} bytes of segments left");
    assert!(du["total_bytes"].as_u64().expect("total") >= bytes);
    let (start, hw) = partition0(&sb, "s");
    assert_eq!(hw, 60);
    assert!(start > 0);
    assert_eq!(consume_json(&sb, &["s"]).len() as u64, hw - start);

    // Everything expired: the active segment goes too, after a roll to an
    // empty one at the log end (Kafka's deleteSegments); the HW stays.
    sb.ok(&["topic", "alter", "s", "--config", "retention.ms=0", "--delete-config", "retention.bytes"]);
    std::thread::sleep(Duration::from_millis(5));
    sb.ok(&["log", "clean", "s"]);
    assert_eq!(segments(&sb, 0, "s"), ["00000000000000000060.log"]);
    assert_eq!(partition0(&sb, "s"), (60, 60));
    assert!(consume_json(&sb, &["s"]).is_empty());
    // Appends go on at the end; --from below the log start starts there.
    sb.ok(&["topic", "alter", "s", "--delete-config", "retention.ms"]);
    sb.ok_with(&["produce", "s"], "after\n");
    let from_low = consume_json(&sb, &["s", "--from", "1"]);
    assert_eq!(from_low.first().and_then(|r| r["offset"].as_u64()), Some(60));
}

/// Keyed lines `k<i % keys>:<i>` then enough filler to close their segment.
fn keyed(n: u32, keys: u32) -> String {
    (0..n).map(|i| format!("k{}:value-{i}-{}\n", i % keys, "y".repeat(40))).collect()
}

fn latest_by_key(records: &[Value]) -> BTreeMap<String, (u64, Value)> {
    let mut out = BTreeMap::new();
    for r in records {
        if let Some(k) = r["key"].as_str() {
            out.insert(k.to_string(), (r["offset"].as_u64().expect("offset"), r["value"].clone()));
        }
    }
    out
}

#[test]
fn compaction_keeps_the_latest_value_per_key_and_expires_tombstones() {
    let sb = Sandbox::with_brokers(2);
    sb.ok(&["topic", "create", "c", "-r", "2", "--config", "cleanup.policy=compact", "--config", "segment.bytes=1024"]);
    sb.ok_with(&["produce", "c", "-K", ":"], keyed(60, 5));
    sb.ok_with(&["produce", "c", "-K", ":", "--null-value", "NULL"], "k3:NULL\n");
    sb.ok_with(&["produce", "c", "-K", ":"], (0..30).map(|i| format!("f{i}:{}\n", "z".repeat(60))).collect::<String>());
    let before = consume_json(&sb, &["c"]);
    sb.ok(&["log", "clean", "c"]);
    let after = consume_json(&sb, &["c"]);
    assert!(after.len() < before.len(), "compaction removed records");
    assert_eq!(latest_by_key(&after), latest_by_key(&before), "same latest values at the same offsets");
    assert!(after.iter().all(|r| before.contains(r)), "every kept record is unchanged");
    assert!(latest_by_key(&after)["k3"].1.is_null(), "the tombstone stays for delete.retention.ms");
    // (Appends already compacted some as segments rolled; the log end stays.)
    let end = before.last().and_then(|r| r["offset"].as_u64()).expect("offset") + 1;
    assert_eq!(partition0(&sb, "c").1, end);

    // min.compaction.lag.ms: nothing new is touched while young.
    sb.ok_with(&["produce", "c", "-K", ":"], keyed(40, 2));
    sb.ok(&["topic", "alter", "c", "--config", "min.compaction.lag.ms=3600000"]);
    let young = consume_json(&sb, &["c"]);
    sb.ok(&["log", "clean", "c"]);
    assert_eq!(consume_json(&sb, &["c"]), young);

    sb.ok(&["topic", "alter", "c", "--config", "delete.retention.ms=0", "--delete-config", "min.compaction.lag.ms"]);
    sb.ok_with(&["produce", "c", "-K", ":"], (0..30).map(|i| format!("g{i}:{}\n", "z".repeat(60))).collect::<String>());
    std::thread::sleep(Duration::from_millis(5));
    let pre = consume_json(&sb, &["c"]);
    sb.ok(&["log", "clean", "c"]);
    let done = consume_json(&sb, &["c"]);
    // KIP-534: the first pass that kept the tombstone fixed its delete
    // horizon (then + 24 h); a shorter delete.retention.ms does not move it.
    assert!(latest_by_key(&done)["k3"].1.is_null(), "the tombstone stays until its horizon");
    assert_eq!(latest_by_key(&done), latest_by_key(&pre));
    // The follower was compacted too and still agrees on the log end.
    assert_eq!(segments(&sb, 0, "c").len(), segments(&sb, 1, "c").len());
}

#[test]
fn an_old_tombstone_stays_delete_retention_ms_after_the_first_cleaning_as_kip_534() {
    let sb = Sandbox::new();
    let config = [
        "--config",
        "cleanup.policy=compact",
        "--config",
        "segment.bytes=1024",
        "--config",
        "delete.retention.ms=1500",
    ];
    sb.ok(&[&["topic", "create", "c"][..], &config].concat());
    // A tombstone replayed from long ago (stamped 1970), then filler that
    // closes its segment.
    let replayed =
        "{\"key\":\"k\",\"value\":\"v\",\"timestamp\":1000}\n{\"key\":\"k\",\"value\":null,\"timestamp\":1001}\n";
    sb.ok_with(&["produce", "c", "--format", "json"], replayed);
    let filler: String = (0..30).map(|i| format!("{{\"key\":\"f{i}\",\"value\":\"{}\"}}\n", "z".repeat(60))).collect();
    sb.ok_with(&["produce", "c", "--format", "json"], filler);
    sb.ok(&["log", "clean", "c"]);
    let records = consume_json(&sb, &["c"]);
    assert!(
        records.iter().any(|r| r["key"] == "k" && r["value"].is_null()),
        "the first cleaning keeps the delete visible"
    );
    let dump = sb.ok(&["log", "dump", "c:0", "--format", "json"]);
    assert!(dump.contains("deleteHorizonMs"), "{dump}");
    // (1.5 s, so a slow machine still cleans before the horizon above.)
    std::thread::sleep(Duration::from_millis(1600));
    sb.ok(&["log", "clean", "c"]);
    let records = consume_json(&sb, &["c"]);
    assert!(records.iter().all(|r| r["key"] != "k"), "gone past its horizon: {records:?}");
    sb.ok(&["log", "verify"]);
}

#[test]
fn a_kill_during_compaction_leaves_the_same_latest_values() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "k", "--config", "cleanup.policy=compact", "--config", "segment.bytes=65536"]);
    sb.ok_with(&["produce", "k", "-K", ":"], keyed(20_000, 500));
    sb.ok_with(&["produce", "k", "-K", ":"], keyed(3000, 3000).replace('k', "tail"));
    let expected = latest_by_key(&consume_json(&sb, &["k"]));
    for delay_ms in [3u64, 15, 40, 90] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("runnel"))
            .arg("--data-dir")
            .arg(sb.path())
            .args(["log", "clean", "k"])
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        assert_eq!(latest_by_key(&consume_json(&sb, &["k"])), expected, "after a kill at {delay_ms} ms");
        // Another batch of appends also reopens (and repairs) the log.
        sb.ok_with(&["produce", "k", "-K", ":"], "");
    }
    sb.ok(&["log", "clean", "k"]);
    assert_eq!(latest_by_key(&consume_json(&sb, &["k"])), expected);
    let leftovers: Vec<String> = std::fs::read_dir(sb.replica_dir(0, "k", 0))
        .expect("dir")
        .map(|e| e.expect("e").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".cleaned") || n.ends_with(".swap"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn trim_by_offset_and_by_time() {
    let sb = Sandbox::with_brokers(2);
    sb.ok(&[
        "topic",
        "create",
        "r",
        "-p",
        "2",
        "-r",
        "2",
        "--config",
        "segment.bytes=1024",
        "--config",
        "retention.ms=-1",
    ]);
    let input: String = (0..40)
        .map(|i| {
            format!("{{\"value\":\"{i}-{}\",\"partition\":{},\"timestamp\":{}}}\n", "w".repeat(60), i % 2, 1000 + i)
        })
        .collect();
    sb.ok_with(&["produce", "r", "--format", "json"], input);
    sb.ok(&["topic", "trim", "r", "--before", "5", "--partition", "0"]);
    let d = sb.describe("r");
    assert_eq!(d["partitions"][0]["log_start_offset"], 5);
    assert_eq!(d["partitions"][1]["log_start_offset"], 0);
    let p0 = consume_json(&sb, &["r", "--partition", "0"]);
    assert_eq!(p0.first().map(|r| r["offset"].clone()), Some(Value::from(5)));
    assert_eq!(p0.len(), 15);
    // The follower honours it too (it would if it became leader).
    let follower_start = std::fs::read_to_string(
        [0, 1].iter().map(|b| sb.replica_dir(*b, "r", 0).join("log-start-offset")).find(|p| p.exists()).expect("ckpt"),
    )
    .expect("read");
    assert_eq!(follower_start.trim(), "5");

    // By time: partition 1 holds timestamps 1001, 1003, ...; before 1021 -> offset 10.
    let out = sb.ok(&["topic", "trim", "r", "--before", "@1021", "--format", "json"]);
    let rows: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(rows[1]["log_start"], 10);
    assert_eq!(rows[0]["log_start"], 11, "partition 0's first record at or after 1021 is offset 11");
    // Past the high watermark: refused (Kafka's OffsetOutOfRange), and nothing is trimmed.
    let err = sb.fails(&["topic", "trim", "r", "--before", "21"], 2);
    assert!(err.contains("above the high watermark 20") && err.contains("nothing was trimmed"), "{err}");
    let d = sb.describe("r");
    assert_eq!(
        (d["partitions"][0]["log_start_offset"].clone(), d["partitions"][1]["log_start_offset"].clone()),
        (Value::from(11), Value::from(10))
    );
    // `end` (Kafka's -1): everything up to the high watermark.
    sb.ok(&["topic", "trim", "r", "--before", "end"]);
    let d = sb.describe("r");
    assert_eq!(d["partitions"][0]["log_start_offset"], d["partitions"][0]["high_watermark"]);
    assert!(consume_json(&sb, &["r"]).is_empty());
    sb.ok_with(&["produce", "r", "-p", "1"], "after\n");
    assert_eq!(consume_json(&sb, &["r"]).len(), 1);
    sb.fails(&["topic", "trim", "r", "--before", "soon"], 2);
    sb.fails(&["topic", "trim", "r", "--before", "1", "--partition", "9"], 2);
    sb.fails(&["topic", "trim", "nope", "--before", "1"], 66);
}

#[test]
fn trim_is_refused_on_a_compact_only_topic_as_in_kafka() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "c", "--config", "cleanup.policy=compact"]);
    sb.ok_with(&["produce", "c", "--key-separator", ":"], "k:1\nk:2\n");
    let err = sb.fails(&["topic", "trim", "c", "--before", "1"], 2);
    assert!(err.contains("cleanup.policy is compact"), "{err}");
    assert_eq!(sb.describe("c")["partitions"][0]["log_start_offset"], 0);
    sb.ok(&["topic", "create", "cd", "--config", "cleanup.policy=compact,delete"]);
    sb.ok_with(&["produce", "cd", "--key-separator", ":"], "k:1\nk:2\n");
    sb.ok(&["topic", "trim", "cd", "--before", "1"]);
    assert_eq!(sb.describe("cd")["partitions"][0]["log_start_offset"], 1);
}

#[test]
fn every_config_is_validated() {
    let sb = Sandbox::new();
    let bad = [
        ("retention.ms", "-2"),
        ("retention.ms", "soon"),
        ("retention.bytes", "lots"),
        ("segment.bytes", "100"),
        ("segment.ms", "0"),
        ("cleanup.policy", "shred"),
        ("min.insync.replicas", "0"),
        ("max.message.bytes", "-1"),
        ("unclean.leader.election.enable", "maybe"),
        ("delete.retention.ms", "-1"),
        ("min.compaction.lag.ms", "x"),
        ("no.such.config", "1"),
    ];
    for (key, value) in bad {
        let kv = format!("{key}={value}");
        let err = sb.fails(&["topic", "create", "v", "--config", &kv], 65);
        assert!(err.contains(key), "{err}");
    }
    sb.ok(&["topic", "create", "v", "--config", "cleanup.policy=compact,delete", "--config", "segment.ms=1000"]);
    for (key, value) in bad {
        sb.fails(&["topic", "alter", "v", "--config", &format!("{key}={value}")], 65);
    }
    sb.fails(&["topic", "alter", "v", "--delete-config", "no.such.config"], 65);
    let err = sb.fails(&["topic", "create", "w", "--config", "segment.bytes=1"], 65);
    assert!(err.contains("1024"), "names the range: {err}");
    assert_eq!(sb.describe("v")["config"]["cleanup.policy"], "compact,delete");
}

#[test]
fn times_with_any_utc_offset_name_the_same_instant_for_consume_reset_and_trim() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "r", "--config", "retention.ms=-1"]);
    // 2026-01-01T00:00:00Z plus 10 minutes per record, 12 records.
    let base = 1_767_225_600_000_i64;
    let input: String =
        (0..12).map(|i| format!("{{\"value\":\"{i}\",\"timestamp\":{}}}\n", base + i * 600_000)).collect();
    sb.ok_with(&["produce", "r", "--format", "json"], input);
    let first_value = |from: &str| consume_json(&sb, &["r", "--from", from]).first().map(|r| r["value"].clone());
    // 01:00Z is record 6, written every way a user or a tool writes it.
    for from in [
        "2026-01-01T02:00:00.000+01:00",
        "2026-01-01T02:00:00+01:00",
        "2025-12-31T20:00:00-05:00",
        "2026-01-01t01:00:00z",
        "2026-01-01T01:00:00.000",
    ] {
        assert_eq!(first_value(from), Some(Value::from("6")), "{from}");
    }
    sb.ok(&["consume", "r", "--group", "g", "-q"]);
    sb.ok(&["group", "reset-offsets", "g", "--topic", "r", "--to-datetime", "2026-01-01T01:30:00+01:00", "--execute"]);
    let d: Value = serde_json::from_str(&sb.ok(&["group", "describe", "g", "--format", "json"])).expect("json");
    assert_eq!(d["offsets"][0]["committed"], 3, "00:30Z is record 3");
    // 01:30Z: the trim deletes records 0..9, not an hour more.
    sb.ok(&["topic", "trim", "r", "--before", "2025-12-31T20:30:00-05:00"]);
    assert_eq!(sb.describe("r")["partitions"][0]["log_start_offset"], 9);
}

#[test]
fn no_read_path_goes_below_the_log_start_after_a_trim_inside_a_frame() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "r", "--config", "retention.ms=-1"]);
    // One produce of ten lines is one frame: the trim below cuts inside it.
    // Timestamps 1000, 2000, ...: out of order at offset 7 (500).
    let input: String = (0..10)
        .map(|i| format!("{{\"value\":\"{i}\",\"timestamp\":{}}}\n", if i == 7 { 500 } else { 1000 * (i + 1) }))
        .collect();
    sb.ok_with(&["produce", "r", "--format", "json"], input);
    sb.ok(&["topic", "trim", "r", "--before", "5"]);
    let values = |args: &[&str]| -> Vec<String> {
        consume_json(&sb, args).iter().map(|r| r["value"].as_str().expect("value").to_string()).collect()
    };
    assert_eq!(values(&["r"]), ["5", "6", "7", "8", "9"]);
    assert_eq!(values(&["r", "--from", "@0"]), ["5", "6", "7", "8", "9"], "a time before every record");
    assert_eq!(values(&["r", "--from", "@2000"]), ["5", "6", "7", "8", "9"], "offset 1 is below the log start");
    assert_eq!(
        values(&["r", "--from", "@7500"]),
        ["8", "9"],
        "the first record at or after 7500 from the log start on"
    );
    assert_eq!(values(&["r", "--from", "2"]), ["5", "6", "7", "8", "9"], "an offset below the log start");
    sb.ok(&["consume", "r", "--group", "g", "--from", "@0", "-q"]);
    sb.ok(&["group", "reset-offsets", "g", "--topic", "r", "--to-datetime", "@0", "--execute"]);
    let d: Value = serde_json::from_str(&sb.ok(&["group", "describe", "g", "--format", "json"])).expect("json");
    assert_eq!(d["offsets"][0]["committed"], 5);
    sb.ok(&["topic", "trim", "r", "--before", "@0"]);
    assert_eq!(sb.describe("r")["partitions"][0]["log_start_offset"], 5, "a trim by time never moves the start back");
}

#[test]
fn a_compacted_topic_refuses_records_without_a_key_as_kafka_does() {
    let sb = Sandbox::new();
    for (topic, policy) in [("c", "compact"), ("cd", "compact,delete")] {
        sb.ok(&["topic", "create", topic, "--partitions", "2", "--config", &format!("cleanup.policy={policy}")]);
        let err = sb.fails_with(&["produce", topic, "--key-separator", ":", "--allow-keyless"], "k:1\nno key\n", 65);
        assert!(err.contains("line 2") && err.contains("without a key"), "{err}");
        let err = sb.fails_with(&["produce", topic, "--format", "json"], "{\"value\":\"v\",\"partition\":1}\n", 65);
        assert!(err.contains("line 1") && err.contains("without a key"), "{err}");
        assert_eq!(consume_json(&sb, &[topic]).len(), 1, "only the keyed record before the bad line");
    }
}

#[test]
fn log_append_time_stamps_records_when_they_are_appended() {
    let sb = Sandbox::with_brokers(2);
    sb.ok(&["topic", "create", "a", "-r", "2", "--config", "message.timestamp.type=LogAppendTime"]);
    // Kafka 4 refuses a CreateTime timestamp over an hour ahead unless the
    // topic allows it (message.timestamp.after.max.ms).
    sb.ok(&["topic", "create", "c", "--config", "message.timestamp.after.max.ms=9223372036854775807"]);
    let before = chrono_free_now();
    for topic in ["a", "c"] {
        sb.ok_with(
            &["produce", topic, "--format", "json"],
            "{\"value\":\"old\",\"timestamp\":1000}\n{\"value\":\"future\",\"timestamp\":9999999999999}\n",
        );
    }
    let after = chrono_free_now();
    let stamps = |topic: &str| -> Vec<i64> {
        consume_json(&sb, &[topic]).iter().map(|r| r["timestamp"].as_i64().expect("ts")).collect()
    };
    let appended = stamps("a");
    assert_eq!(appended.len(), 2);
    assert!(
        appended.iter().all(|&t| (before..=after).contains(&t)),
        "the append time, not the producer's: {appended:?} not in {before}..{after}"
    );
    assert_eq!(stamps("c"), [1000, 9_999_999_999_999], "CreateTime keeps the producer's");
    // Time lookups and verification see the append time too.
    assert_eq!(consume_json(&sb, &["a", "--from", &format!("@{before}")]).len(), 2);
    sb.ok(&["log", "verify"]);
    sb.fails(&["topic", "create", "x", "--config", "message.timestamp.type=Sometime"], 65);
    sb.ok(&["topic", "alter", "c", "--config", "message.timestamp.type=LogAppendTime"]);
    sb.ok_with(&["produce", "c", "--format", "json"], "{\"value\":\"later\",\"timestamp\":1000}\n");
    assert!(stamps("c")[2] >= after, "an altered topic stamps what comes after");
}

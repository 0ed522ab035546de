//! produce and consume through the real binary: formats, keys, Kafka's
//! partitioning, offsets, positions, templates, exact JSON round trips,
//! errors in the input, --follow and closed pipes.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::common::{self, Sandbox};
use runnel::sys::pipe::{WIDE_PIPE_BYTES, capacity};
use serde_json::{Value, json};

/// Apache Kafka's `Utils.murmur2`, written independently of runnel's.
fn murmur2(data: &[u8]) -> i32 {
    const SEED: u32 = 0x9747_b28c;
    const M: u32 = 0x5bd1_e995;
    const R: u32 = 24;
    let len = data.len();
    let mut h: u32 = SEED ^ len as u32;
    for chunk in data.chunks_exact(4) {
        let mut k = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        k = k.wrapping_mul(M);
        k ^= k >> R;
        k = k.wrapping_mul(M);
        h = h.wrapping_mul(M);
        h ^= k;
    }
    let tail = &data[len - len % 4..];
    if tail.len() >= 3 {
        h ^= u32::from(tail[2]) << 16;
    }
    if tail.len() >= 2 {
        h ^= u32::from(tail[1]) << 8;
    }
    if !tail.is_empty() {
        h ^= u32::from(tail[0]);
        h = h.wrapping_mul(M);
    }
    h ^= h >> 13;
    h = h.wrapping_mul(M);
    h ^= h >> 15;
    h as i32
}

/// Kafka's `Utils.toPositive(murmur2(key)) % partitions`.
fn kafka_partition(key: &[u8], partitions: u32) -> u32 {
    (murmur2(key) & 0x7fff_ffff) as u32 % partitions
}

#[test]
fn the_reference_murmur2_matches_kafkas_test_vectors() {
    assert_eq!(murmur2(b"21"), -973_932_308);
    assert_eq!(murmur2(b"foobar"), -790_332_482);
    assert_eq!(murmur2(b"a-little-bit-long-string"), -985_981_536);
    assert_eq!(murmur2(b"a-little-bit-longer-string"), -1_486_304_829);
    assert_eq!(murmur2(b"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8"), -58_897_971);
    assert_eq!(murmur2(b"abc"), 479_470_107);
}

#[test]
fn plain_lines_round_trip_with_empty_lines_and_no_final_newline() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t"]);
    sb.produce("t", &[], "first\n\n  spaced  \n\nlast");
    assert_eq!(sb.consume("t", &[]), "first\n\n  spaced  \n\nlast\n");
    let json = sb.consume_json("t", &[]);
    let values: Vec<&str> = json.iter().map(|m| m["value"].as_str().expect("value")).collect();
    assert_eq!(values, ["first", "", "  spaced  ", "", "last"]);
    assert!(json.iter().all(|m| m["key"].is_null()));
}

#[test]
fn produce_summary_counts_the_messages() {
    let sb = Sandbox::new();
    let out = sb.run_with(&["produce", "t", "--create"], "a\nb\nc\n");
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.lines().any(|l| l.starts_with("produced 3 messages")), "{stderr}");
}

#[test]
fn key_separator_splits_at_the_first_separator() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t"]);
    sb.produce("t", &["--key-separator", "::", "--allow-keyless"], "k1::v1\nk2::v::2\n::empty-key\nno-separator\n");
    let out = sb.consume("t", &["--format", "[%k|%s]\n"]);
    assert_eq!(out, "[k1|v1]\n[k2|v::2]\n[|empty-key]\n[|no-separator]\n");
    let json = sb.consume_json("t", &[]);
    assert_eq!(json[2]["key"], "");
    assert!(json[3]["key"].is_null(), "with --allow-keyless a line without the separator has no key: {}", json[3]);
}

#[test]
fn a_line_without_the_key_separator_is_an_error_naming_it_as_in_kafka() {
    let sb = Sandbox::new();
    for (topic, partitions) in [("few", "3"), ("many", "40")] {
        sb.ok(&["topic", "create", topic, "--partitions", partitions]);
        let err = sb.fails_with(&["produce", topic, "--key-separator", ":"], "k1:v1\nk2:v2\nno separator\nk3:v3\n", 65);
        assert!(err.contains("line 3") && err.contains("no key separator") && err.contains("--allow-keyless"), "{err}");
        let seen: Vec<String> = sb.consume_json(topic, &[]).iter().map(|m| m["key"].to_string()).collect();
        assert_eq!(seen.len(), 2, "{topic}: the lines before the bad one are produced, none after: {seen:?}");
        assert!(seen.contains(&"\"k1\"".to_string()) && seen.contains(&"\"k2\"".to_string()), "{topic}: {seen:?}");
    }
    sb.fails(&["produce", "few", "--allow-keyless"], 2);
}

#[test]
fn key_field_takes_a_nested_path_with_or_without_a_leading_dot() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t"]);
    let input = "{\"user\":{\"id\":\"u1\"},\"n\":1}\n{\"user\":{\"id\":42},\"n\":2}\n";
    sb.produce("t", &["--key-field", "user.id"], input);
    sb.produce("t", &["--key-field", ".user.id"], input);
    let json = sb.consume_json("t", &[]);
    let keys: Vec<&str> = json.iter().map(|m| m["key"].as_str().expect("key")).collect();
    assert_eq!(keys, ["u1", "42", "u1", "42"]);
    let values: Vec<&str> = json.iter().map(|m| m["value"].as_str().expect("value")).collect();
    let lines: Vec<&str> = input.lines().collect();
    assert_eq!(values, [lines[0], lines[1], lines[0], lines[1]], "the whole line stays the value");
}

#[test]
fn keyed_messages_land_where_kafkas_java_client_puts_them() {
    let sb = Sandbox::new();
    for partitions in [7u32, 12] {
        let topic = format!("keyed{partitions}");
        sb.ok(&["topic", "create", &topic, "--partitions", &partitions.to_string()]);
        let mut keys: Vec<String> = (0..300).map(|i| format!("key-{i}")).collect();
        keys.extend(
            ["21", "foobar", "a-little-bit-long-string", "a-little-bit-longer-string", "x", "ab", "abc", "abcd"]
                .map(String::from),
        );
        let input: String = keys.iter().map(|k| format!("{k}\t{k}-value\n")).collect();
        sb.produce(&topic, &["--key-separator", "\t"], input);
        let out = sb.consume(&topic, &["--format", "%k %p\n"]);
        let mut seen = 0;
        let mut used = std::collections::BTreeSet::new();
        for line in out.lines() {
            let (key, partition) = line.rsplit_once(' ').expect("key and partition");
            let partition: u32 = partition.parse().expect("partition");
            assert_eq!(partition, kafka_partition(key.as_bytes(), partitions), "key {key:?} of {topic}");
            used.insert(partition);
            seen += 1;
        }
        assert_eq!(seen, keys.len());
        assert_eq!(used.len() as u32, partitions, "300 keys use every partition");
    }
}

#[test]
fn keyed_partitioning_holds_for_key_field_and_json_keys() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t", "--partitions", "5"]);
    let input: String = (0..50).map(|i| format!("{{\"car\":{{\"id\":\"car-{i}\"}}}}\n")).collect();
    sb.produce("t", &["--key-field", "car.id"], input);
    let envelopes: String = (0..50).map(|i| format!("{{\"key\":\"user-{i}\",\"value\":\"v\"}}\n")).collect();
    sb.produce("t", &["--format", "json"], envelopes);
    let json = sb.consume_json("t", &[]);
    assert_eq!(json.len(), 100);
    for m in &json {
        let key = m["key"].as_str().expect("key");
        assert_eq!(m["partition"], kafka_partition(key.as_bytes(), 5), "{m}");
    }
}

#[test]
fn unkeyed_messages_spread_round_robin() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t", "--partitions", "6"]);
    let input: String = (0..600).map(|i| format!("m{i}\n")).collect();
    sb.produce("t", &[], input);
    let d = sb.describe("t");
    for p in d["partitions"].as_array().expect("parts") {
        let hw = p["high_watermark"].as_u64().expect("hw");
        assert!((90..=110).contains(&hw), "partition {} holds {hw} of 600: {d}", p["partition"]);
    }
}

#[test]
fn offsets_are_contiguous_from_zero_in_every_partition() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t", "--partitions", "4"]);
    for run in 0..3 {
        let input: String = (0..150).map(|i| format!("k{}:r{run}-{i}\n", i % 17)).collect();
        sb.produce("t", &["--key-separator", ":"], input);
        let unkeyed: String = (0..50).map(|i| format!("u{run}-{i}\n")).collect();
        sb.produce("t", &[], unkeyed);
    }
    let json = sb.consume_json("t", &[]);
    assert_eq!(json.len(), 600);
    let mut by_partition: BTreeMap<u64, Vec<u64>> = BTreeMap::new();
    for m in &json {
        by_partition.entry(m["partition"].as_u64().expect("p")).or_default().push(m["offset"].as_u64().expect("o"));
    }
    for (p, offsets) in by_partition {
        let expected: Vec<u64> = (0..offsets.len() as u64).collect();
        assert_eq!(offsets, expected, "partition {p}");
    }
}

/// Above 32 partitions two threads append, each owning every other
/// partition, and frames go out as the buffers fill: every partition still
/// holds its messages in input order, at offsets contiguous from zero.
#[test]
fn many_partitions_keep_each_partitions_messages_in_input_order() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "wide", "--partitions", "64"]);
    // ~24 MB: several frames per partition, and more than the buffer budget.
    let pad = "x".repeat(100);
    let input: String = (0..200_000).map(|i| format!("k{}:{i:07}{pad}\n", i % 500)).collect();
    sb.produce("wide", &["--key-separator", ":"], input);
    let out = sb.consume("wide", &["--format", "%p %o %s\n"]);
    let mut by_partition: BTreeMap<u64, Vec<(u64, u64)>> = BTreeMap::new();
    for line in out.lines() {
        let mut fields = line.split(' ');
        let mut number = || fields.next().and_then(|f| f.get(..7).unwrap_or(f).parse::<u64>().ok()).expect("field");
        let (p, o, seq) = (number(), number(), number());
        by_partition.entry(p).or_default().push((o, seq));
    }
    assert_eq!(by_partition.values().map(Vec::len).sum::<usize>(), 200_000);
    assert_eq!(by_partition.len(), 64, "500 keys reach every partition");
    for (p, records) in by_partition {
        assert!(records.iter().enumerate().all(|(i, &(o, _))| o == i as u64), "partition {p}: offsets");
        assert!(records.windows(2).all(|w| w[0].1 < w[1].1), "partition {p}: input order");
    }
}

#[test]
fn explicit_partition_on_produce_and_consume() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t", "--partitions", "3"]);
    sb.produce("t", &["--partition", "2", "--key-separator", ":"], "a:1\nb:2\nc:3\n");
    sb.produce("t", &["--partition", "0"], "zero\n");
    assert_eq!(sb.consume("t", &["--partition", "2"]), "1\n2\n3\n");
    assert_eq!(sb.consume("t", &["--partition", "0"]), "zero\n");
    assert_eq!(sb.consume("t", &["--partition", "1"]), "");
    assert!(sb.consume_json("t", &["--partition", "2"]).iter().all(|m| m["partition"] == 2));
    let out = sb.run_with(&["produce", "t", "--partition", "3"], "x\n");
    assert!(!out.status.success(), "partition 3 of a 3-partition topic");
    let out = sb.run(&["consume", "t", "--partition", "3"]);
    assert!(!out.status.success(), "partition 3 of a 3-partition topic");
    assert_eq!(sb.describe("t")["partitions"][1]["high_watermark"], 0);
}

#[test]
fn from_beginning_end_offset_minus_n_and_time() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t"]);
    let input: String =
        (0..10).map(|i| format!("{{\"value\":\"v{i}\",\"timestamp\":{}}}\n", 1_000 * (i + 1))).collect();
    sb.produce("t", &["--format", "json"], input);
    let values = |from: &str| -> Vec<String> { sb.consume("t", &["--from", from]).lines().map(String::from).collect() };
    assert_eq!(values("beginning").len(), 10);
    assert!(values("end").is_empty());
    assert_eq!(values("7"), ["v7", "v8", "v9"]);
    assert_eq!(values("0").len(), 10);
    assert_eq!(values("10"), Vec::<String>::new());
    assert_eq!(values("-2"), ["v8", "v9"]);
    assert_eq!(values("-100").len(), 10, "-N before the start clamps to the start");
    assert_eq!(values("@7500"), ["v7", "v8", "v9"]);
    assert_eq!(values("@8000"), ["v7", "v8", "v9"], "the first message at or after the time");
    assert_eq!(values("@1"), values("beginning"));
    assert!(values("@99999999999999").is_empty());
}

#[test]
fn max_messages_stops_early() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t"]);
    sb.produce("t", &[], (0..20).map(|i| format!("{i}\n")).collect::<String>());
    assert_eq!(sb.consume("t", &["--max-messages", "3"]), "0\n1\n2\n");
    assert_eq!(sb.consume("t", &["--max-messages", "2", "--from", "5"]), "5\n6\n");
    assert_eq!(sb.consume("t", &["-n", "50"]).lines().count(), 20);
}

#[test]
fn template_tokens_and_escapes() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "tpl", "--partitions", "2"]);
    let env = json!({"key": "k1", "value": "hello", "headers": {"h1": "x"}, "partition": 1, "timestamp": 1_700_000_000_000u64});
    sb.produce("tpl", &["--format", "json"], format!("{env}\n{env}\n"));
    let out = sb.consume("tpl", &["--format", "%t|%p|%o|%k|%s|%T|%h|%d\\t%S %K %%\\n"]);
    let lines: Vec<&str> = out.split('\n').collect();
    assert_eq!(lines.len(), 3, "{out:?}");
    assert_eq!(lines[2], "");
    for (i, line) in lines[..2].iter().enumerate() {
        let (left, right) = line.split_once('\t').expect("a tab from \\t");
        let fields: Vec<&str> = left.split('|').collect();
        assert_eq!(&fields[..7], ["tpl", "1", &i.to_string(), "k1", "hello", "1700000000000", "h1=x"], "{line}");
        assert!(fields[7].starts_with("2023-11-14T22:13:20"), "RFC 3339 time: {line}");
        assert_eq!(right, "5 2 %");
    }
}

#[test]
fn json_round_trip_is_exact_for_bytes_nulls_and_headers() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "src", "--partitions", "3"]);
    sb.ok(&["topic", "create", "dst", "--partitions", "3"]);
    let envelopes = [
        json!({"key": {"base64": "/wCA"}, "value": {"base64": "AAEC/w=="}, "headers": {"bin": {"base64": "gA=="}, "txt": "t"}, "timestamp": 1_000}),
        json!({"key": null, "value": ""}),
        json!({"key": "", "value": null}),
        json!({"key": "k", "value": "caf\u{e9} \u{1F600} \"quoted\" \\ tab\t", "partition": 2}),
        json!({"value": {"nested": [1, 2, {"a": null}]}, "headers": {"empty": ""}}),
        json!({"key": 17, "value": true, "timestamp": 42}),
        json!({"value": "v", "headers": {}}),
    ];
    let input: String = envelopes.iter().map(|e| format!("{e}\n")).collect();
    sb.produce("src", &["--format", "json"], input);
    let src = sb.consume_bytes("src", &["--format", "json"]);
    assert_eq!(String::from_utf8_lossy(&src).lines().count(), envelopes.len());
    sb.produce("dst", &["--format", "json"], src.clone());
    let dst = sb.consume_bytes("dst", &["--format", "json"]);
    let src_text = String::from_utf8(src).expect("json output is UTF-8");
    let dst_text = String::from_utf8(dst).expect("json output is UTF-8");
    assert_eq!(
        src_text.replace("\"topic\":\"src\"", "\"topic\":\"\""),
        dst_text.replace("\"topic\":\"dst\"", "\"topic\":\"\""),
        "the copy differs"
    );

    // The bytes themselves survive, not only their JSON text.
    let parsed: Vec<Value> = src_text.lines().map(|l| serde_json::from_str(l).expect("json")).collect();
    let first = parsed.iter().find(|m| m["timestamp"] == 1_000).expect("first envelope");
    assert_eq!(first["key"], json!({"base64": "/wCA"}));
    assert_eq!(first["value"], json!({"base64": "AAEC/w=="}));
    assert_eq!(first["headers"]["bin"], json!({"base64": "gA=="}));
    assert_eq!(first["headers"]["txt"], "t");
    assert!(parsed.iter().any(|m| m["key"].is_null() && m["value"] == ""), "null key, empty value");
    assert!(parsed.iter().any(|m| m["key"] == "" && m["value"].is_null()), "empty key, null value");
    let values = sb.consume_bytes("src", &["--format", "%s\n"]);
    assert!(values.windows(4).any(|w| w == [0, 1, 2, 0xff]), "raw value bytes in %s: {values:?}");
}

#[test]
fn produce_create_makes_the_topic() {
    let sb = Sandbox::new();
    sb.produce("fresh", &["--create", "--partitions", "3"], "a\nb\nc\n");
    let d = sb.describe("fresh");
    assert_eq!(d["partitions"].as_array().expect("parts").len(), 3);
    assert_eq!(sb.consume("fresh", &[]).lines().count(), 3);
    sb.produce("fresh", &["--create"], "d\n");
    assert_eq!(
        sb.describe("fresh")["partitions"].as_array().expect("parts").len(),
        3,
        "--create keeps an existing topic"
    );
}

#[test]
fn produce_to_an_unknown_topic_exits_66_with_a_hint() {
    let sb = Sandbox::new();
    let err = sb.fails_with(&["produce", "nope"], "x\n", 66);
    assert!(err.contains("nope") && err.contains("runnel topic create"), "{err}");
    common::assert_one_error_line(&err);
    sb.fails(&["topic", "describe", "nope"], 66);
}

#[test]
fn a_bad_json_line_exits_65_naming_the_line_and_keeps_the_lines_before() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t"]);
    let input = "{\"value\":\"one\"}\n{\"value\":\"two\"}\n{\"value\": oops}\n{\"value\":\"four\"}\n";
    let err = sb.fails_with(&["produce", "t", "--format", "json"], input, 65);
    assert!(err.contains("line 3"), "{err}");
    common::assert_one_error_line(&err);
    assert_eq!(sb.consume("t", &[]), "one\ntwo\n");

    let err = sb.fails_with(&["produce", "t", "--format", "json"], "{\"key\":\"no value\"}\n", 65);
    assert!(err.contains("line 1"), "{err}");
    let err = sb.fails_with(&["produce", "t", "--key-field", "id"], "{\"id\":1}\nnot json\n", 65);
    assert!(err.contains("line 2"), "{err}");
    assert_eq!(sb.consume("t", &[]), "one\ntwo\n{\"id\":1}\n");
}

#[test]
fn a_message_above_max_message_bytes_exits_65() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t", "--config", "max.message.bytes=200"]);
    sb.produce("t", &[], "small\n");
    let big = "x".repeat(1000);
    let err = sb.fails_with(&["produce", "t"], &format!("{big}\n"), 65);
    assert!(err.contains("max.message.bytes") || err.contains("200"), "{err}");
    common::assert_one_error_line(&err);
    assert_eq!(sb.consume("t", &[]), "small\n");
}

#[test]
fn max_message_bytes_is_checked_against_kafkas_batch_encoding() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t", "--config", "max.message.bytes=1000"]);
    // A record with no key and a value of L bytes (64 <= L < 8185) is, in a
    // Kafka v2 batch of one, 61 + 2 + (1 + 1 + 1 + 1 + 2 + L + 1) = L + 70
    // bytes: a broker with max.message.bytes=1000 takes L = 930, not 931.
    sb.produce("t", &[], format!("{}\n", "x".repeat(930)));
    let err = sb.fails_with(&["produce", "t"], &format!("{}\n", "y".repeat(931)), 65);
    assert!(err.contains("message of 1001 bytes is larger than max.message.bytes=1000"), "{err}");
    assert_eq!(sb.consume("t", &["--format", "%S\n"]), "930\n");
    // An envelope's record is measured the same way.
    let envelope = |n: usize| format!("{{\"value\":\"{}\"}}\n", "z".repeat(n));
    sb.produce("t", &["--format", "json"], envelope(930));
    sb.fails_with(&["produce", "t", "--format", "json"], &envelope(931), 65);
}

#[test]
fn negative_timestamps_are_refused_as_kafkas_producer_refuses_them() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t"]);
    let err = sb.fails_with(
        &["produce", "t", "--format", "json"],
        "{\"value\":\"a\",\"timestamp\":0}\n{\"value\":\"b\",\"timestamp\":-5}\n",
        65,
    );
    assert!(err.contains("line 2") && err.contains("negative"), "{err}");
    assert_eq!(sb.consume("t", &[]), "a\n");
}

#[test]
fn follow_receives_a_message_produced_after_it_started() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t", "--partitions", "2"]);
    sb.produce("t", &[], "before\n");
    let (mut child, rx, reader) = common::spawn_lines(&mut sb.std_cmd(&["-q", "consume", "t", "--follow"]));
    let first = rx.recv_timeout(Duration::from_secs(20));
    let mut outcome = Err("never saw 'before'".to_string());
    if first.as_deref() == Ok("before") {
        sb.produce("t", &[], "after-1\nafter-2\n");
        let mut got = Vec::new();
        while got.len() < 2 {
            match rx.recv_timeout(Duration::from_secs(20)) {
                Ok(line) => got.push(line),
                Err(_) => break,
            }
        }
        got.sort();
        outcome = if got == ["after-1", "after-2"] { Ok(()) } else { Err(format!("got {got:?}")) };
    }
    let still_running = child.try_wait().expect("try_wait").is_none();
    let _ = child.kill();
    let _ = child.wait();
    let _ = reader.join();
    outcome.expect("consume --follow");
    assert!(still_running, "--follow exited on its own");
}

#[test]
fn consume_piped_into_head_exits_quietly() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t"]);
    let input: String = (0..100_000).map(|i| format!("line-{i}\n")).collect();
    sb.produce("t", &[], input);
    let rc_file = sb.root().join("rc");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg("{ \"$0\" --data-dir \"$1\" consume t; echo $? > \"$2\"; } | head -1")
        .arg(Sandbox::bin())
        .arg(sb.path())
        .arg(&rc_file)
        .output()
        .expect("sh");
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), "line-0\n");
    assert_eq!(String::from_utf8_lossy(&out.stderr), "", "a closed pipe is a quiet end");
    let rc = std::fs::read_to_string(&rc_file).expect("rc file");
    assert_eq!(rc.trim(), "0", "consume's own exit code");
}

/// Above 32 partitions lines are produced a buffer at a time, grouped by
/// partition: the same rules hold — keys keep Kafka's partitions, order
/// within a partition is input order, and nothing at or after a bad line
/// (bad JSON, too large, partition out of range) is produced.
#[test]
fn many_partitions_keep_order_and_the_bad_line_rules() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "wide", "--partitions", "40", "--config", "max.message.bytes=300"]);
    let good: String = (0..400).map(|i| format!("k{}:{i}\n", i % 50)).collect();
    sb.produce("wide", &["--key-separator", ":"], good);
    let out = sb.consume("wide", &["--format", "%p %k %s\\n"]);
    assert_eq!(out.lines().count(), 400);
    let mut last: std::collections::BTreeMap<String, u32> = Default::default();
    for line in out.lines() {
        let parts: Vec<&str> = line.split(' ').collect();
        let (p, key, n): (u32, &str, u32) = (parts[0].parse().expect("p"), parts[1], parts[2].parse().expect("n"));
        assert_eq!(p, kafka_partition(key.as_bytes(), 40), "{line}");
        assert!(last.insert(key.to_string(), n).is_none_or(|prev| prev < n), "input order within a key: {line}");
    }

    let too_large = format!("b1:before\nb2:{}\nb3:after\n", "y".repeat(400));
    let err = sb.fails_with(&["produce", "wide", "--key-separator", ":"], &too_large, 65);
    assert!(err.contains("line 2") && err.contains("max.message.bytes"), "{err}");
    let bad_json = "{\"id\":\"c1\"}\nnot json\n{\"id\":\"c3\"}\n";
    let err = sb.fails_with(&["produce", "wide", "--key-field", "id"], bad_json, 65);
    assert!(err.contains("line 2"), "{err}");
    let err = sb.fails_with(
        &["produce", "wide", "--format", "json"],
        "{\"value\":\"d1\"}\n{\"value\":\"d2\",\"partition\":40}\n",
        65,
    );
    assert!(err.contains("line 2"), "{err}");

    let values = sb.consume("wide", &["--format", "%s\\n"]);
    for kept in ["before", "{\"id\":\"c1\"}", "d1"] {
        assert!(values.lines().any(|v| v == kept), "{kept} (before the bad line) was produced");
    }
    for dropped in ["after", "{\"id\":\"c3\"}"] {
        assert!(!values.lines().any(|v| v == dropped), "{dropped} (after the bad line) was not produced");
    }
}

/// The lines formats go unparsed into messages on both paths (few and many
/// partitions): a line without the separator has no key, the null value is
/// a tombstone, `--partition` overrides the key.
#[test]
fn lines_formats_keep_keyless_lines_tombstones_and_explicit_partitions() {
    let sb = Sandbox::new();
    for (topic, partitions) in [("few", 3), ("many", 40)] {
        sb.ok(&["topic", "create", topic, "--partitions", &partitions.to_string()]);
        sb.produce(
            topic,
            &["--key-separator", "::", "--allow-keyless", "--null-value", "NULL"],
            "k1::v1\nno separator\nk2::NULL\nk3::\n",
        );
        let messages = sb.consume_json(topic, &[]);
        let seen: Vec<(serde_json::Value, serde_json::Value)> =
            messages.iter().map(|m| (m["key"].clone(), m["value"].clone())).collect();
        assert_eq!(seen.len(), 4, "{topic}: {messages:?}");
        assert!(seen.contains(&(serde_json::Value::Null, "no separator".into())), "{topic}: keyless line: {seen:?}");
        assert!(seen.contains(&("k2".into(), serde_json::Value::Null)), "{topic}: tombstone: {seen:?}");
        for (k, v) in [("k1", "v1"), ("k3", "")] {
            assert!(seen.contains(&(k.into(), v.into())), "{topic}: {k}: {seen:?}");
        }
        for m in &messages {
            if let Some(key) = m["key"].as_str() {
                assert_eq!(m["partition"], kafka_partition(key.as_bytes(), partitions), "{topic}: {m}");
            }
        }
        sb.produce(topic, &["--key-separator", ":", "--partition", "1"], "a:1\nb:2\nc:3\n");
        assert_eq!(sb.consume(topic, &["--partition", "1", "--from", "-3", "--format", "%k=%s\\n"]), "a=1\nb=2\nc=3\n");
    }
}

/// Whether a pipe may be widened to a mebibyte here (a lower
/// `pipe-max-size`, or the user's pipe memory used up, would refuse it):
/// asked of the kernel on a scratch pipe, not through runnel's code.
fn wide_pipes_allowed() -> bool {
    use std::os::fd::AsRawFd;
    let (reader, _writer) = std::io::pipe().expect("pipe");
    // SAFETY: F_SETPIPE_SZ on a pipe this function owns.
    unsafe { libc::fcntl(reader.as_raw_fd(), libc::F_SETPIPE_SZ, WIDE_PIPE_BYTES as libc::c_int) >= 0 }
}

/// A pipe that comes full (`cat big | runnel produce`) is widened to a
/// mebibyte, so each read takes that much; one that brings a line (`echo
/// x | runnel produce`) is left as it was. `consume` widens the pipe it
/// writes to. Every line arrives either way.
#[test]
fn pipes_into_produce_that_come_full_and_out_of_consume_are_widened() {
    use std::io::{Read, Write};
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t", "--partitions", "3"]);

    // The test keeps a read end of each pipe: the capacity stays readable
    // after the writer is closed (the end of input) and runnel exits.
    let (reader, mut writer) = std::io::pipe().expect("pipe");
    let kept = reader.try_clone().expect("dup");
    let before = capacity(&kept).expect("a pipe");
    let mut child =
        sb.std_cmd(&["-q", "produce", "t", "--key-separator", ":"]).stdin(reader).spawn().expect("spawn runnel");
    let input: String = (0..200_000).map(|i| format!("k{}:{i:07}\n", i % 7)).collect();
    writer.write_all(input.as_bytes()).expect("write the lines");
    drop(writer);
    assert!(child.wait().expect("wait").success());
    if wide_pipes_allowed() {
        assert_eq!(capacity(&kept), Some(WIDE_PIPE_BYTES), "the bulk pipe was not widened from {before}");
    }

    let (reader, mut writer) = std::io::pipe().expect("pipe");
    let kept = reader.try_clone().expect("dup");
    let mut child = sb.std_cmd(&["-q", "produce", "t"]).stdin(reader).spawn().expect("spawn runnel");
    writer.write_all(b"one line\n").expect("write");
    drop(writer);
    assert!(child.wait().expect("wait").success());
    assert_eq!(capacity(&kept), Some(before), "a one-line pipe was widened");

    let (mut reader, writer) = std::io::pipe().expect("pipe");
    let mut child = sb.std_cmd(&["-q", "consume", "t", "--format", "%s\n"]).stdout(writer).spawn().expect("spawn");
    let mut out = String::new();
    reader.read_to_string(&mut out).expect("read");
    assert!(child.wait().expect("wait").success());
    if wide_pipes_allowed() {
        assert_eq!(capacity(&reader), Some(WIDE_PIPE_BYTES), "consume left its pipe at {before}");
    }
    assert_eq!(out.lines().count(), 200_001);
    assert_eq!(out.lines().filter(|l| *l == "one line").count(), 1);
}

/// A producer to many partitions puts its frame buffers on the kernel's
/// transparent huge pages (where they are offered on request, as here):
/// while it runs, its resident memory includes huge pages.
#[test]
fn a_producer_to_many_partitions_puts_its_frames_on_huge_pages() {
    use std::io::Write;
    let enabled = std::fs::read_to_string("/sys/kernel/mm/transparent_hugepage/enabled").unwrap_or_default();
    if !enabled.contains("[madvise]") {
        eprintln!("skipped: transparent huge pages are not offered on request here ({})", enabled.trim());
        return;
    }
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t", "-p", "1000"]);
    let mut child = sb
        .std_cmd(&["produce", "t", "--key-separator", ":"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn produce");
    let smaps = format!("/proc/{}/smaps_rollup", child.id());
    let huge_kib = || common::proc_kib(&smaps, "AnonHugePages").unwrap_or(0);
    let mut stdin = child.stdin.take().expect("stdin");
    // ~20 MB of records over 1000 keys: more than the frames being filled.
    let chunk: String = (0..1000).map(|i| format!("key-{i}:{}\n", "v".repeat(90))).collect();
    for _ in 0..200 {
        stdin.write_all(chunk.as_bytes()).expect("write input");
    }
    let mut seen = 0;
    common::wait_until(Duration::from_secs(20), || {
        seen = huge_kib();
        seen >= 2048
    });
    drop(stdin);
    let out = child.wait_with_output().expect("produce ends");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(seen >= 2048, "no huge page in the producer's memory while it ran ({seen} KiB)");
    let summary = String::from_utf8_lossy(&out.stderr);
    assert!(summary.contains("produced 200000 messages"), "{summary}");
}

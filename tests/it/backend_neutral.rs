//! The contract both backends keep, defined once and run on a data dir and
//! on a real Kafka broker: produce/consume round trips (keys, values, null
//! against empty, headers, timestamps), Kafka's partitioner, positions,
//! topic admin and its JSON, consumer groups (commits of delivered output
//! only, describe, reset, delete), `--exec` pipelines (commit on success,
//! dead letters) and exit codes.

use serde_json::{Value, json};

use crate::backends::{Env, backend_tests};

backend_tests! {
    json_envelopes_round_trip_exactly,
    keys_land_on_kafkas_murmur2_partitions,
    positions_and_stops,
    follow_with_timeout_exits_124,
    topic_admin_and_its_json,
    unknown_topics_are_66_and_taken_names_73,
    a_bad_line_is_65_after_the_lines_before_it,
    trim_deletes_records_before_a_point,
    metadata_lists_brokers_topics_and_partitions,
    a_group_commits_what_it_delivered,
    group_reset_and_delete,
    a_group_id_of_any_characters_is_a_group,
    group_delete_offsets_as_kafkas_tool_does,
    topic_wait_and_group_wait,
    a_group_commits_only_what_its_reader_took,
    exec_commits_on_success_and_dead_letters,
}

/// The first record timestamp of the time tests: an hour ago (whole
/// seconds), so no retention (7 days by default, on a data dir and on
/// Kafka) deletes the records meanwhile.
fn base() -> i64 {
    static BASE: std::sync::OnceLock<i64> = std::sync::OnceLock::new();
    *BASE.get_or_init(|| {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_secs();
        (now as i64 - 3600) * 1000
    })
}

fn create(env: &Env, topic: &str, partitions: u32) {
    env.ok(&["-q", "topic", "create", topic, "--partitions", &partitions.to_string()]);
}

fn json_envelopes_round_trip_exactly(env: &Env) {
    let t = env.name("round-trip");
    create(env, &t, 2);
    let input = [
        json!({"key": "k1", "value": "v1", "headers": {"h": "x", "n": null}, "timestamp": 1_700_000_000_000i64, "partition": 1}),
        json!({"key": null, "value": "", "partition": 0, "timestamp": 1_700_000_000_001i64}),
        json!({"key": "", "value": null, "partition": 0, "timestamp": 1_700_000_000_002i64}),
        json!({"key": "k2", "value": "{\"nested\": [1, 2]}", "partition": 1, "timestamp": 1_700_000_000_003i64}),
    ];
    let lines: String = input.iter().map(|v| format!("{v}\n")).collect();
    env.produce(&t, &["--format", "json"], lines);
    let got = env.consume_json(&t, &[]);
    let mut got: Vec<Value> = got;
    got.sort_by_key(|v| (v["partition"].as_u64(), v["offset"].as_u64()));
    let expect = [
        json!({"topic": t, "partition": 0, "offset": 0, "timestamp": 1_700_000_000_001i64, "key": null, "value": "", "headers": {}}),
        json!({"topic": t, "partition": 0, "offset": 1, "timestamp": 1_700_000_000_002i64, "key": "", "value": null, "headers": {}}),
        json!({"topic": t, "partition": 1, "offset": 0, "timestamp": 1_700_000_000_000i64, "key": "k1", "value": "v1", "headers": {"h": "x", "n": null}}),
        json!({"topic": t, "partition": 1, "offset": 1, "timestamp": 1_700_000_000_003i64, "key": "k2", "value": "{\"nested\": [1, 2]}", "headers": {}}),
    ];
    assert_eq!(got, expect);
    // And back in: an exact copy through the JSON format.
    let copy = env.name("round-trip-copy");
    create(env, &copy, 2);
    let dump = env.consume(&t, &["--format", "json"]);
    env.produce(&copy, &["--format", "json"], dump.clone());
    let again: Vec<Value> = env.consume_json(&copy, &[]);
    let strip = |v: &Value| {
        let mut v = v.clone();
        v["topic"] = json!("");
        v
    };
    let mut a: Vec<Value> = dump.lines().map(|l| strip(&serde_json::from_str(l).expect("json"))).collect();
    let mut b: Vec<Value> = again.iter().map(strip).collect();
    a.sort_by_key(|v| (v["partition"].as_u64(), v["offset"].as_u64()));
    b.sort_by_key(|v| (v["partition"].as_u64(), v["offset"].as_u64()));
    assert_eq!(a, b);
}

fn keys_land_on_kafkas_murmur2_partitions(env: &Env) {
    let t = env.name("keys");
    create(env, &t, 6);
    let keys: Vec<String> = (0..60).map(|i| format!("car-{i}")).collect();
    let input: String = keys.iter().map(|k| format!("{k}:x\n")).collect();
    env.produce(&t, &["-K", ":"], input);
    let out = env.consume(&t, &["--format", "%k %p\n"]);
    assert_eq!(out.lines().count(), 60);
    for line in out.lines() {
        let (key, partition) = line.split_once(' ').expect("key partition");
        let expected = runnel::producer::partitioner::partition_for_key(key.as_bytes(), 6);
        assert_eq!(partition, expected.to_string(), "key {key}");
    }
}

fn positions_and_stops(env: &Env) {
    let t = env.name("positions");
    create(env, &t, 1);
    let input: String =
        (0..10).map(|i| format!("{{\"value\": \"m{i}\", \"timestamp\": {}}}\n", base() + i * 1000)).collect();
    env.produce(&t, &["--format", "json"], input);
    let values = |extra: &[&str]| -> Vec<String> { env.consume(&t, extra).lines().map(str::to_string).collect() };
    assert_eq!(values(&[]).len(), 10);
    assert_eq!(values(&["--from", "7"]), ["m7", "m8", "m9"]);
    assert_eq!(values(&["--from", "-2"]), ["m8", "m9"]);
    assert_eq!(values(&["--from", "end"]), Vec::<String>::new());
    assert_eq!(values(&["--from", "2", "--until", "4"]), ["m2", "m3"]);
    assert_eq!(values(&["--until", "-8"]), ["m0", "m1"]);
    let at = |i: i64| format!("@{}", base() + i * 1000);
    assert_eq!(values(&["--from", &at(5)]), ["m5", "m6", "m7", "m8", "m9"]);
    assert_eq!(values(&["--from", &at(3), "--until", &at(5)]), ["m3", "m4"]);
    assert_eq!(values(&["--partition", "0", "--max-messages", "3"]), ["m0", "m1", "m2"]);
    assert_eq!(values(&["--from", "100"]), Vec::<String>::new(), "an offset past the end reads nothing");
    let fmt = env.consume(&t, &["--from", "9", "--format", "%t %p %o %T %s\n"]);
    assert_eq!(fmt, format!("{t} 0 9 {} m9\n", base() + 9000));
    let stderr = env.fails(&["consume", &t, "--partition", "3"], 2);
    assert!(stderr.contains("no partition 3"), "{stderr}");
    // topic offsets (kcat -Q): the same positions, without consuming.
    let offsets = |time: &str| env.json(&["topic", "offsets", &t, "--time", time]);
    assert_eq!(offsets("latest"), json!([{"topic": t, "partition": 0, "offset": 10}]));
    assert_eq!(offsets("earliest")[0]["offset"], json!(0));
    assert_eq!(offsets(&at(4))[0]["offset"], json!(4));
    env.fails(&["topic", "offsets", &t, "--partition", "1"], 2);
}

fn follow_with_timeout_exits_124(env: &Env) {
    let t = env.name("follow");
    create(env, &t, 1);
    env.produce(&t, &[], "one\n");
    let out = env.run(&["-q", "consume", &t, "--follow", "--timeout", "1s"]);
    assert_eq!(out.status.code(), Some(124), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "one\n");
    let out = env.run(&["-q", "consume", &t, "--follow", "--timeout", "5s", "--max-messages", "1"]);
    assert_eq!(out.status.code(), Some(0));
}

fn topic_admin_and_its_json(env: &Env) {
    let t = env.name("admin");
    env.ok(&["-q", "topic", "create", &t, "--partitions", "2", "--config", "retention.ms=3600000"]);
    let list = env.json(&["topic", "list"]);
    let entry = list.as_array().expect("array").iter().find(|e| e["name"] == json!(t)).expect("listed").clone();
    assert_eq!(entry, json!({"name": t, "partitions": 2, "replication_factor": 1}));
    env.produce(&t, &["--partition", "1"], "a\nb\n");
    let d = env.json(&["topic", "describe", &t]);
    let keys: Vec<&str> = d.as_object().expect("object").keys().map(String::as_str).collect();
    assert_eq!(keys, ["config", "name", "partitions", "replication_factor"]);
    assert_eq!(d["config"]["retention.ms"], json!("3600000"));
    let p1 = &d["partitions"][1];
    let pkeys: Vec<&str> = p1.as_object().expect("object").keys().map(String::as_str).collect();
    assert_eq!(
        pkeys,
        [
            "high_watermark",
            "isr",
            "leader",
            "leader_epoch",
            "log_start_offset",
            "messages",
            "partition",
            "replicas",
            "size_bytes"
        ]
    );
    assert_eq!((p1["high_watermark"].clone(), p1["log_start_offset"].clone()), (json!(2), json!(0)));
    assert!(p1["leader"].is_u64(), "{p1}");
    env.ok(&["-q", "topic", "alter", &t, "--partitions", "3", "--config", "retention.ms=7200000"]);
    let d = env.json(&["topic", "describe", &t]);
    assert_eq!(d["partitions"].as_array().map(Vec::len), Some(3));
    assert_eq!(d["config"]["retention.ms"], json!("7200000"));
    let under = env.json(&["topic", "describe", &t, "--under-replicated"]);
    assert_eq!(under["partitions"], json!([]));
    env.ok(&["-q", "topic", "delete", &t]);
    env.fails(&["consume", &t], 66);
}

fn unknown_topics_are_66_and_taken_names_73(env: &Env) {
    let t = env.name("missing");
    for args in [
        vec!["consume", t.as_str()],
        vec!["topic", "describe", t.as_str()],
        vec!["topic", "delete", t.as_str()],
        vec!["topic", "alter", t.as_str(), "--partitions", "4"],
    ] {
        let stderr = env.fails(&args, 66);
        crate::common::assert_one_error_line(&stderr);
    }
    env.fails_with(&["produce", &t], "x\n", 66);
    let taken = env.name("taken");
    create(env, &taken, 1);
    env.fails(&["topic", "create", &taken], 73);
    // --create makes a missing topic on the way.
    let made = env.name("made");
    env.produce(&made, &["--create", "--partitions", "2"], "a\n");
    assert_eq!(env.json(&["topic", "describe", &made])["partitions"].as_array().map(Vec::len), Some(2));
}

fn a_bad_line_is_65_after_the_lines_before_it(env: &Env) {
    let t = env.name("bad-line");
    create(env, &t, 1);
    let stderr = env.fails_with(&["produce", &t, "-K", ":"], "a:1\nb:2\nno separator\nc:3\n", 65);
    assert!(stderr.contains("line 3"), "{stderr}");
    assert_eq!(env.consume(&t, &["--format", "%k=%s\n"]), "a=1\nb=2\n");
    let stderr = env.fails_with(&["produce", &t, "--format", "json"], "{\"value\": \"ok\"}\n{not json\n", 65);
    assert!(stderr.contains("line 2"), "{stderr}");
    assert_eq!(env.consume(&t, &[]).lines().count(), 3);
}

fn committed(env: &Env, group: &str) -> Vec<(String, u64, Option<u64>)> {
    let d = env.json(&["group", "describe", group]);
    let mut out: Vec<(String, u64, Option<u64>)> = d["offsets"]
        .as_array()
        .expect("offsets")
        .iter()
        .map(|o| {
            (
                o["topic"].as_str().expect("topic").to_string(),
                o["partition"].as_u64().expect("partition"),
                o["committed"].as_u64(),
            )
        })
        .collect();
    out.sort();
    out
}

fn a_group_commits_what_it_delivered(env: &Env) {
    let t = env.name("grouped");
    let g = env.name("billing");
    create(env, &t, 2);
    let input: String = (0..20).map(|i| format!("{{\"value\": \"v{i}\", \"partition\": {}}}\n", i % 2)).collect();
    env.produce(&t, &["--format", "json"], input);
    // Three records delivered: three committed, no more.
    let first = env.consume(&t, &["--group", &g, "--max-messages", "3"]);
    assert_eq!(first.lines().count(), 3);
    let sum: u64 = committed(env, &g).iter().filter_map(|c| c.2).sum();
    assert_eq!(sum, 3, "{:?}", committed(env, &g));
    // The rest, once; then nothing.
    let rest = env.consume(&t, &["--group", &g]);
    assert_eq!(rest.lines().count(), 17);
    let mut all: Vec<&str> = first.lines().chain(rest.lines()).collect();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 20);
    assert_eq!(committed(env, &g), [(t.clone(), 0, Some(10)), (t.clone(), 1, Some(10))]);
    assert_eq!(env.consume(&t, &["--group", &g]), "");
    let d = env.json(&["group", "describe", &g]);
    assert_eq!(d["total_lag"], json!(0));
    assert_eq!(d["members"], json!([]));
    let groups = env.json(&["group", "list"]);
    assert!(groups.as_array().expect("array").iter().any(|e| e["group"] == json!(g)), "{groups}");
}

fn group_reset_and_delete(env: &Env) {
    let t = env.name("reset");
    let g = env.name("resetting");
    create(env, &t, 1);
    env.produce(&t, &[], "a\nb\nc\n");
    assert_eq!(env.consume(&t, &["--group", &g]), "a\nb\nc\n");
    let plan = env.json(&["group", "reset-offsets", &g, "--topic", &t, "--to-offset", "1"]);
    assert_eq!(plan, json!([{"topic": t, "partition": 0, "current": 3, "new": 1}]));
    assert_eq!(committed(env, &g), [(t.clone(), 0, Some(3))], "a dry run changes nothing");
    env.ok(&["-q", "group", "reset-offsets", &g, "--topic", &t, "--to-offset", "1", "--execute"]);
    assert_eq!(env.consume(&t, &["--group", &g]), "b\nc\n");
    env.ok(&["-q", "group", "reset-offsets", &g, "--all-topics", "--shift-by", "-1", "--execute"]);
    assert_eq!(env.consume(&t, &["--group", &g]), "c\n");
    // No committed offset and --offset-reset none: Kafka's NoOffsetForPartition.
    env.fails(&["consume", &t, "--group", &env.name("fresh"), "--offset-reset", "none"], 66);
    env.ok(&["-q", "group", "delete", &g]);
    env.fails(&["group", "describe", &g], 66);
    env.fails(&["group", "delete", &g], 66);
}

/// Kafka takes any non-empty group id: one with a colon, spaces, a slash
/// and a dot-dot, and one longer than a folder name can be, each consumes,
/// commits, runs a pipeline, is listed, described, reset and deleted by
/// that id on both backends; an empty one is a usage error.
fn a_group_id_of_any_characters_is_a_group(env: &Env) {
    let odd = format!("app:v1 / ../{} ü", env.name("eu"));
    let long = format!("{}/{}:{}", env.name("long"), "ü".repeat(100), "x".repeat(400));
    for (at, g) in [odd, long].iter().enumerate() {
        any_group_id_is_a_group(env, &env.name(&format!("any-id-{at}")), g);
    }
    env.fails(&["consume", &env.name("any-id-0"), "--group", ""], 2);
}

fn any_group_id_is_a_group(env: &Env, t: &str, g: &str) {
    let (t, g) = (t.to_string(), g.to_string());
    create(env, &t, 1);
    env.produce(&t, &[], "a\nb\n");
    assert_eq!(env.consume(&t, &["--group", &g]), "a\nb\n");
    assert_eq!(committed(env, &g), [(t.clone(), 0, Some(2))]);
    let names = env.ok(&["group", "list", "--names"]);
    assert!(names.lines().any(|n| n == g), "{names}");
    env.ok(&["-q", "group", "reset-offsets", &g, "--topic", &t, "--to-offset", "1", "--execute"]);
    assert_eq!(env.consume(&t, &["--group", &g]), "b\n");
    // A pipeline under that id: its fence and files sit in the group's folder.
    env.produce(&t, &[], "c\n");
    env.ok(&["-q", "consume", &t, "--group", &g, "--exec", "cat > /dev/null"]);
    assert_eq!(committed(env, &g), [(t.clone(), 0, Some(3))]);
    env.ok(&["-q", "group", "delete", &g]);
    env.fails(&["group", "describe", &g], 66);
}

/// `group delete-offsets` (Kafka's OffsetDelete): the partitions asked go,
/// the group's others stay; a partition that does not exist is shown and
/// exit 66; while a member subscribes to the topic, its offsets stay
/// (GROUP_SUBSCRIBED_TO_TOPIC, exit 73).
fn group_delete_offsets_as_kafkas_tool_does(env: &Env) {
    let t = env.name("offsets");
    let u = env.name("others");
    let g = env.name("forgetful");
    create(env, &t, 2);
    create(env, &u, 1);
    env.produce(&t, &["-p", "0"], "a\nb\n");
    env.produce(&t, &["-p", "1"], "c\n");
    env.produce(&u, &[], "d\n");
    assert_eq!(env.consume(&t, &["--group", &g]).lines().count(), 3);
    assert_eq!(env.consume(&u, &["--group", &g]), "d\n");
    let deleted = env.json(&["group", "delete-offsets", &g, "--topic", &format!("{t}:1")]);
    assert_eq!(deleted, json!([{"topic": t, "partition": 1, "status": "deleted"}]));
    assert_eq!(committed(env, &g), [(t.clone(), 0, Some(2)), (u.clone(), 0, Some(1))]);
    // A partition that does not exist: shown, then exit 66.
    let stderr = env.fails(&["group", "delete-offsets", &g, "--topic", &format!("{t}:0,5")], 66);
    assert!(stderr.contains("1 partition asked for does not exist"), "{stderr}");
    assert_eq!(committed(env, &g), [(u.clone(), 0, Some(1))], "partition 0 went, as asked");
    env.fails(&["group", "delete-offsets", &g, "--topic", &env.name("missing")], 66);
    env.fails(&["group", "delete-offsets", &env.name("nobody"), "--topic", &t], 66);
    // A live member subscribed to the topic keeps its offsets.
    let mut member = env.std_cmd(&["-q", "consume", &u, "--group", &g, "--follow"]);
    let mut member = member.stdout(std::process::Stdio::null()).spawn().expect("member");
    let stable = crate::common::wait_until(std::time::Duration::from_secs(60), || {
        env.json(&["group", "describe", &g])["state"] == json!("Stable")
    });
    assert!(stable, "the member never joined");
    let stderr = env.fails(&["group", "delete-offsets", &g, "--topic", &u], 73);
    assert!(stderr.contains("live members subscribed"), "{stderr}");
    let _ = member.kill();
    let _ = member.wait();
}

fn topic_wait_and_group_wait(env: &Env) {
    let t = env.name("waited");
    let g = env.name("waiter");
    create(env, &t, 2);
    env.produce(&t, &[], "a\nb\nc\n");
    env.ok(&["topic", "wait", &t, "--messages", "3", "--timeout", "20s"]);
    env.fails(&["topic", "wait", &t, "--messages", "4", "--timeout", "1s"], 124);
    // A producer that comes later wakes the waiter.
    let mut waiter = env.std_cmd(&["topic", "wait", &t, "--messages", "5", "--timeout", "30s"]).spawn().expect("spawn");
    env.produce(&t, &[], "d\ne\n");
    assert_eq!(waiter.wait().expect("wait").code(), Some(0));
    assert_eq!(env.consume(&t, &["--group", &g]).lines().count(), 5);
    env.ok(&["group", "wait", &g, "--lag", "0", "--timeout", "20s"]);
    env.produce(&t, &[], "f\n");
    env.fails(&["group", "wait", &g, "--lag", "0", "--timeout", "1s"], 124);
    env.fails(&["group", "wait", &env.name("nobody"), "--lag", "0", "--timeout", "1s"], 66);
}

fn a_group_commits_only_what_its_reader_took(env: &Env) {
    let t = env.name("taken");
    let g = env.name("taker");
    create(env, &t, 3);
    let all: Vec<String> = (0..3000).map(|i| format!("m-{i}")).collect();
    env.produce(&t, &[], all.join("\n") + "\n");
    // `read` takes a pipe's bytes one at a time: the reader takes exactly
    // 500 lines, writes them down, and kill -9s itself.
    let script = format!(
        r#"$RUNNEL consume {t} --group {g} | sh -c '
        i=0
        while [ $i -lt 500 ] && IFS= read -r line; do
            printf "%s\n" "$line" >> taken; i=$((i+1))
        done
        kill -9 $$'"#
    );
    let out = env.shell(&script);
    assert!(!out.status.success(), "the reader was killed: {out:?}");
    let taken = std::fs::read_to_string(env.sandbox.root().join("taken")).expect("taken");
    let taken: Vec<&str> = taken.lines().collect();
    assert_eq!(taken.len(), 500);
    let sum: u64 = committed(env, &g).iter().filter_map(|c| c.2).sum();
    assert_eq!(sum, 500, "committed exactly what the reader took: {:?}", committed(env, &g));
    // The group goes on with the rest: nothing lost, nothing read twice.
    let rest = env.consume(&t, &["--group", &g]);
    let mut seen: Vec<&str> = taken.iter().copied().chain(rest.lines()).collect();
    assert_eq!(seen.len(), 3000);
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen.len(), 3000);
}

fn trim_deletes_records_before_a_point(env: &Env) {
    let t = env.name("trimmed");
    create(env, &t, 1);
    let input: String =
        (0..10).map(|i| format!("{{\"value\": \"m{i}\", \"timestamp\": {}}}\n", base() + i * 1000)).collect();
    env.produce(&t, &["--format", "json"], input);
    let rows = env.json(&["topic", "trim", &t, "--before", "3"]);
    assert_eq!((rows[0]["log_start_before"].clone(), rows[0]["log_start"].clone()), (json!(0), json!(3)), "{rows}");
    assert_eq!(rows[0]["high_watermark"], json!(10));
    assert_eq!(env.consume(&t, &[]).lines().next(), Some("m3"));
    let rows = env.json(&["topic", "trim", &t, "--before", &format!("@{}", base() + 5000)]);
    assert_eq!(rows[0]["log_start"], json!(5));
    let rows = env.json(&["topic", "trim", &t, "--before", "-2"]);
    assert_eq!(rows[0]["log_start"], json!(8));
    assert_eq!(env.consume(&t, &[]), "m8\nm9\n");
    assert_eq!(env.json(&["topic", "describe", &t])["partitions"][0]["log_start_offset"], json!(8));
    let stderr = env.fails(&["topic", "trim", &t, "--before", "11"], 2);
    crate::common::assert_one_error_line(&stderr);
    env.fails(&["topic", "trim", &env.name("nope"), "--before", "1"], 66);
}

fn exec_commits_on_success_and_dead_letters(env: &Env) {
    let t = env.name("piped");
    let g = env.name("workers");
    let dlq = env.name("piped-dlq");
    create(env, &t, 2);
    let input: String = (0..10).map(|i| format!("{{\"value\": \"v{i}\", \"partition\": {}}}\n", i % 2)).collect();
    env.produce(&t, &["--format", "json"], input);
    let worker = r#"while read -r v; do [ "$v" = v7 ] && exit 1; echo "$v"; done"#;
    let args = ["-q", "consume", &t, "--group", &g, "--exec", worker, "--batch", "2", "--max-deliver", "2"];
    let mut args = args.to_vec();
    args.extend(["--retry-backoff", "10ms", "--dead-letter", &dlq]);
    let out = env.ok(&args);
    let mut seen: Vec<&str> = out.lines().collect();
    seen.sort();
    seen.dedup();
    assert_eq!(seen, ["v0", "v1", "v2", "v3", "v4", "v5", "v6", "v8", "v9"]);
    assert_eq!(committed(env, &g), [(t.clone(), 0, Some(5)), (t.clone(), 1, Some(5))]);
    let letters = env.consume(&dlq, &["--format", "%s %h\n"]);
    assert_eq!(letters.lines().count(), 1, "{letters}");
    for part in [
        "v7 ",
        &format!("runnel.errors.topic={t},"),
        "runnel.errors.partition=1,",
        "runnel.errors.offset=3,",
        "runnel.errors.deliveries=2,",
        "runnel.errors.exit=exit 1,",
    ] {
        assert!(letters.contains(part), "{part:?} in {letters}");
    }
}

fn metadata_lists_brokers_topics_and_partitions(env: &Env) {
    let t = env.name("meta");
    create(env, &t, 2);
    let m = env.json(&["metadata"]);
    let keys: Vec<&str> = m.as_object().expect("object").keys().map(String::as_str).collect();
    let expected: &[&str] = if env.is_kafka() {
        &["bootstrap_servers", "brokers", "cluster_id", "data_dir", "topics"]
    } else {
        &["brokers", "cluster_id", "data_dir", "topics"]
    };
    assert_eq!(keys, expected);
    assert!(!m["cluster_id"].as_str().unwrap_or_default().is_empty(), "{m}");
    assert_eq!(m["data_dir"].is_null(), env.is_kafka(), "{m}");
    let brokers = m["brokers"].as_array().expect("brokers");
    assert!(brokers.iter().all(|b| b["status"] == json!("up")), "{m}");
    let topic = m["topics"].as_array().expect("topics").iter().find(|x| x["name"] == json!(t)).expect("listed");
    let partitions = topic["partitions"].as_array().expect("partitions");
    assert_eq!(partitions.len(), 2);
    for (i, p) in partitions.iter().enumerate() {
        assert_eq!(p["partition"], json!(i));
        let leader = p["leader"].as_u64().expect("a leader");
        assert_eq!(p["replicas"], json!([leader]));
        assert_eq!(p["isr"], json!([leader]));
    }
    let text = env.ok(&["metadata"]);
    assert!(text.starts_with("Metadata for all topics (cluster "), "{text}");
    assert!(text.contains(&format!("  topic \"{t}\" with 2 partitions:")), "{text}");
}

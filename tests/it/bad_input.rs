//! Bad and unusual input to `produce`: each refusal is one line naming the
//! input line, exits 65, and leaves only the messages before the bad line;
//! unusual but valid input (non-UTF-8 bytes, no final newline, no input at
//! all) is produced as it is. (Bad configs and hostile topic names are in
//! topics.rs; groups and client ids wait for the group commands.)

use std::io::Write;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::common::{Sandbox, assert_one_error_line, assert_panicked_at};

fn sandbox() -> Sandbox {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t", "--partitions", "2"]);
    sb
}

#[test]
fn invalid_utf8_lines_are_produced_as_bytes_and_round_trip_through_json() {
    let sb = sandbox();
    let input: &[u8] = b"ok\n\xff\xfe\x00raw\nk\xc3:v\x80\n";
    sb.produce("t", &["--partition", "0"], input);
    assert_eq!(sb.consume_bytes("t", &[]), b"ok\n\xff\xfe\x00raw\nk\xc3:v\x80\n");
    let json = sb.consume_json("t", &[]);
    assert_eq!(json[1]["value"]["base64"], "//4AcmF3");

    sb.ok(&["topic", "create", "copy"]);
    let envelopes = sb.consume("t", &["--format", "json"]);
    sb.produce("copy", &["--format", "json"], envelopes);
    assert_eq!(sb.consume_bytes("copy", &[]), sb.consume_bytes("t", &[]), "exact round trip");

    sb.ok(&["topic", "create", "keyed"]);
    sb.produce("keyed", &["-K", ":"], &b"k\xc3:v\x80\n"[..]);
    let json = sb.consume_json("keyed", &[]);
    assert_eq!(json[0]["key"]["base64"], "a8M=");
    assert_eq!(json[0]["value"]["base64"], "doA=");
}

#[test]
fn envelope_fields_of_the_wrong_type_exit_65_naming_the_line() {
    let sb = sandbox();
    for (bad, says) in [
        (r#"{"value":"v","timestamp":"yesterday"}"#, "timestamp"),
        (r#"{"value":"v","partition":"one"}"#, "partition"),
        (r#"{"value":"v","partition":1.5}"#, "partition"),
        (r#"{"value":"v","headers":["h"]}"#, "header"),
        (r#"{"value":"v","key":{"base64":"not base64!"}}"#, "base64"),
        (r#"{"value":"v","timestamp":99999999999999999999}"#, "timestamp"),
    ] {
        let input = format!("{{\"value\":\"good\",\"partition\":0}}\n{bad}\n{{\"value\":\"after\"}}\n");
        let err = sb.fails_with(&["produce", "t", "--format", "json"], &input, 65);
        assert!(err.contains("line 2") && err.contains(says), "{bad}: {err}");
        assert_one_error_line(&err);
    }
    let values = sb.consume("t", &[]);
    assert_eq!(values, "good\n".repeat(6), "only the lines before each bad one");
}

#[test]
fn a_partition_out_of_range_in_an_envelope_exits_65_naming_the_line() {
    let sb = sandbox();
    let input = "{\"value\":\"a\",\"partition\":1}\n{\"value\":\"b\",\"partition\":2}\n";
    let err = sb.fails_with(&["produce", "t", "--format", "json"], input, 65);
    assert!(err.contains("line 2") && err.contains("partition 2 is out of range"), "{err}");
    assert_one_error_line(&err);
    assert_eq!(sb.consume("t", &[]), "a\n");
}

#[test]
fn a_missing_key_field_exits_65_naming_the_line() {
    let sb = sandbox();
    let input = "{\"id\":\"a\"}\n{\"user\":{\"id\":1}}\n{\"id\":\"c\"}\n";
    let err = sb.fails_with(&["produce", "t", "--key-field", "id"], input, 65);
    assert!(err.contains("line 2") && err.contains("'id' is missing"), "{err}");
    assert_one_error_line(&err);
    assert_eq!(sb.consume("t", &[]), "{\"id\":\"a\"}\n");
    let err = sb.fails_with(&["produce", "t", "--key-field", "user.id"], "{\"user\":\"flat\"}\n", 65);
    assert!(err.contains("line 1") && err.contains("'user.id' is missing"), "{err}");
}

/// The most data memory (`ulimit -d`, KiB) runnel gets while refusing a
/// 100 MiB line: reading the line into memory would need more, and fail.
/// A limit rather than the child's peak as `wait4` reports it: a child
/// spawned with `vfork` takes its parent's peak as its own at `exec`, so
/// that figure rises with whatever this test process, running many tests
/// at once, holds.
const DATA_LIMIT_KIB: u32 = 64 * 1024;

#[test]
fn a_100_mib_line_exits_65_quickly_without_reading_it_into_memory() {
    let sb = sandbox();
    sb.produce("t", &[], "before\n");
    let started = Instant::now();
    let mut child = sb
        .std_cmd_under_ulimit(&format!("-d {DATA_LIMIT_KIB}"), &["produce", "t"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    let feeder = std::thread::spawn(move || {
        let chunk = vec![b'x'; 1 << 20];
        for _ in 0..100 {
            if stdin.write_all(&chunk).is_err() {
                return; // the producer gave up early, as it should
            }
        }
        let _ = stdin.write_all(b"\nnext\n");
    });
    let out = child.wait_with_output().expect("wait");
    let elapsed = started.elapsed();
    let _ = feeder.join();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(65), "{stderr}");
    assert!(stderr.contains("line 1") && stderr.contains("max.message.bytes"), "{stderr}");
    assert_one_error_line(&stderr);
    assert!(elapsed < Duration::from_secs(30), "took {elapsed:?}");
    eprintln!("100 MiB line refused in {elapsed:?} within {} MiB of data memory", DATA_LIMIT_KIB / 1024);
    assert_eq!(sb.consume("t", &[]), "before\n");
}

#[test]
fn a_last_line_without_a_newline_is_produced_in_every_format() {
    let sb = sandbox();
    sb.produce("t", &["--partition", "0"], "a\nlast-plain");
    sb.produce("t", &["--partition", "0", "-K", ":"], "k:last-keyed");
    sb.produce("t", &["--partition", "0", "--key-field", "id"], "{\"id\":1}");
    sb.produce("t", &["--format", "json"], "{\"value\":\"last-json\",\"partition\":0}");
    assert_eq!(sb.consume("t", &[]), "a\nlast-plain\nlast-keyed\n{\"id\":1}\nlast-json\n");
}

#[test]
fn empty_input_produces_nothing_and_exits_0() {
    let sb = sandbox();
    for format in ["lines", "json"] {
        let out = sb.run_with(&["produce", "t", "--format", format], "");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        assert!(stderr.contains("produced 0 messages"), "{stderr}");
    }
    let d = sb.describe("t");
    assert!(d["partitions"].as_array().expect("parts").iter().all(|p| p["high_watermark"] == 0), "{d}");
    assert_eq!(sb.consume("t", &[]), "");
}

#[test]
fn durations_past_100_years_and_unreadable_config_files_are_usage_errors_never_a_panic() {
    let sb = Sandbox::new();
    sb.produce("t", &["--create"], "x\n");
    let huge = [
        vec!["topic", "wait", "t", "--messages", "5", "--timeout", "300000000000y"],
        vec!["group", "wait", "g", "--lag", "0", "--timeout", "500000000000y"],
        vec!["consume", "t", "--group", "g", "--exec", "false", "--retry-backoff", "300000000000y"],
        vec!["--lock-timeout", "101y", "topic", "list"],
    ];
    for args in huge {
        let stderr = sb.fails(&args, 2);
        crate::common::assert_one_error_line(&stderr);
        assert!(stderr.contains("more than 100 years"), "{args:?}: {stderr}");
    }
    for path in ["/nonexistent/runnel.toml", "/tmp"] {
        let stderr = sb.fails(&["--config-file", path, "topic", "list"], 2);
        assert!(stderr.contains("cannot read the config file"), "{stderr}");
    }
}

/// A bad value from a config file or an environment variable is named
/// with its file or variable, not with a flag the user never typed; an
/// empty variable counts as unset, and an empty `data-dir` in a file is
/// refused instead of breaking an explicit `--data-dir`.
#[test]
fn config_file_and_environment_values_are_checked_and_named_where_they_came_from() {
    let sb = Sandbox::new();
    sb.produce("t", &["--create"], "x\n");
    for (text, named) in [
        ("data-dir = \"\"\n", "data-dir is empty"),
        ("lock-timeout = \"zz\"\n", "lock-timeout \"zz\""),
        ("consume-format = \"%zz\"\n", "consume-format \"%zz\""),
        ("client-id = \"\"\n", "client-id is empty"),
    ] {
        let path = sb.root().join("bad.toml");
        std::fs::write(&path, text).expect("config");
        let stderr = sb.fails(&["--config-file", path.to_str().expect("utf-8"), "topic", "list"], 2);
        assert_one_error_line(&stderr);
        assert!(stderr.contains("bad.toml is not valid") && stderr.contains(named), "{text}: {stderr}");
    }
    for (var, value) in [("RUNNEL_LOCK_TIMEOUT", "zz"), ("RUNNEL_QUIET", "maybe"), ("RUNNEL_ADMIN_FORMAT", "xml")] {
        let out = sb.std_cmd(&["topic", "list"]).env(var, value).output().expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(&format!("in environment variable {var}")), "{stderr}");
    }
    // A flag given beats its variable, whatever the variable holds.
    for (var, value, flag) in [
        ("RUNNEL_LOCK_TIMEOUT", "zz", &["--lock-timeout", "2s"][..]),
        ("RUNNEL_LOCK_TIMEOUT", "zz", &["--lock-timeout=2s"][..]),
        ("RUNNEL_QUIET", "maybe", &["-q"][..]),
        ("RUNNEL_ADMIN_FORMAT", "xml", &["--format", "json"][..]),
    ] {
        let args: Vec<&str> = ["topic", "list"].iter().chain(flag).copied().collect();
        let out = sb.std_cmd(&args).env(var, value).output().expect("run");
        assert!(out.status.success(), "{var}={value} with {flag:?}: {}", String::from_utf8_lossy(&out.stderr));
    }
    for var in ["RUNNEL_DATA_DIR", "RUNNEL_LOCK_TIMEOUT", "RUNNEL_CONFIG", "RUNNEL_ADMIN_FORMAT"] {
        let out = sb.std_cmd(&["topic", "list"]).env(var, "").output().expect("run");
        assert!(out.status.success(), "{var} empty: {}", String::from_utf8_lossy(&out.stderr));
    }
    // Kafka's tools take the last second of year 9999 as a time.
    assert_eq!(sb.consume("t", &["-o", "9999-12-31T23:59:59Z"]), "");
}

#[test]
fn a_range_with_an_end_and_until_is_refused_not_one_silently_taken() {
    let sb = Sandbox::new();
    sb.produce("t", &["--create"], (1..=9).map(|i| format!("{i}\n")).collect::<String>());
    let stderr = sb.fails(&["consume", "t", "-o", "3:5", "--until", "7"], 2);
    assert_one_error_line(&stderr);
    assert!(stderr.contains("both say where to stop"), "{stderr}");
    assert_eq!(sb.consume("t", &["-o", "3:5"]), "4\n5\n");
    assert_eq!(sb.consume("t", &["-o", "3", "--until", "5"]), "4\n5\n");
}

/// A report to a closed standard output (`>&-`) is an error (exit 74), not
/// a silent exit 0: std's stdout takes a closed descriptor for a sink.
#[test]
fn reports_to_a_closed_stdout_fail_instead_of_vanishing() {
    let sb = Sandbox::new();
    sb.produce("t", &["--create"], "x\n");
    let bin = Sandbox::bin();
    for args in [
        "topic list",
        "topic describe t --format json",
        "group list",
        "log dump t:0",
        "consume t",
        "--help",
        "--version",
    ] {
        let line = format!("exec '{}' --data-dir '{}' {args} >&-", bin.display(), sb.path().display());
        let out = std::process::Command::new("sh").args(["-c", &line]).output().expect("sh");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(74), "{args}: {stderr}");
        assert!(stderr.contains("standard output"), "{args}: {stderr}");
    }
}

/// `log verify` reports what every other command refuses in a hand-edited
/// metadata file: a negative committed offset, a topic config value that
/// `topic alter` would not have set.
#[test]
fn log_verify_reports_a_negative_committed_offset_and_a_bad_topic_config_value() {
    let sb = Sandbox::new();
    sb.produce("t", &["--create"], "x\n");
    sb.consume("t", &["--group", "g"]);
    sb.ok(&["log", "verify"]);
    let offsets = sb.path().join("groups/g/offsets.json");
    let text = std::fs::read_to_string(&offsets).expect("offsets");
    let edited = text.replacen("\"offset\": 1", "\"offset\": -5", 1);
    assert_ne!(edited, text, "{text}");
    std::fs::write(&offsets, edited).expect("edit");
    let report = sb.fails(&["log", "verify"], 74);
    assert!(report.contains("offsets.json") && report.contains("-5"), "{report}");
    std::fs::write(&offsets, text).expect("restore");
    let topic = sb.path().join("topics/t.json");
    let mut meta: serde_json::Value = serde_json::from_slice(&std::fs::read(&topic).expect("topic")).expect("json");
    meta["config"] = serde_json::json!({"retention.ms": "abc"});
    std::fs::write(&topic, meta.to_string()).expect("edit");
    let report = sb.fails(&["log", "verify"], 74);
    assert!(report.contains("t.json") && report.contains("retention.ms"), "{report}");
}

/// A config value edited by hand into a topic file is damage to that file
/// for every command that writes the topic (exit 74 naming the file and
/// how to mend it), not bad input of the command; `topic list` and reads
/// still work, and `topic alter` mends it.
#[test]
fn a_bad_config_value_in_a_topic_file_is_damage_named_with_its_mend() {
    let sb = Sandbox::new();
    sb.produce("t", &["--create", "--partitions", "2"], "x\n");
    let topic = sb.path().join("topics/t.json");
    let mut meta: serde_json::Value = serde_json::from_slice(&std::fs::read(&topic).expect("topic")).expect("json");
    meta["config"] = serde_json::json!({"max.message.bytes": "-3"});
    std::fs::write(&topic, meta.to_string()).expect("edit");
    let err = sb.fails_with(&["produce", "t"], "y\n", 74);
    assert!(err.contains("t.json") && err.contains("max.message.bytes") && err.contains("topic alter t"), "{err}");
    let grow = sb.fails(&["topic", "alter", "t", "--partitions", "3"], 74);
    assert!(grow.contains("t.json"), "{grow}");
    assert!(sb.ok(&["topic", "list"]).contains('t'));
    assert_eq!(sb.consume("t", &[]).lines().count(), 1);
    sb.ok(&["topic", "alter", "t", "--delete-config", "max.message.bytes"]);
    sb.produce("t", &[], "y\n");
    assert_eq!(sb.consume("t", &[]).lines().count(), 2);
    // A topic file that does not parse is damage to elect-leaders too, not
    // a topic to pass over.
    std::fs::write(&topic, "{ not json").expect("damage");
    let err = sb.fails(&["elect-leaders"], 74);
    assert!(err.contains("t.json"), "{err}");
}

/// A command that runs out of memory (here a producer to 1000 partitions
/// under 16 MiB of data memory, less than its frame buffers need) ends with
/// one error line naming it and exit 71, not an abort and a backtrace.
#[test]
fn running_out_of_memory_is_one_error_line_and_exit_71() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t", "-p", "1000"]);
    let input: String = (0..200_000).map(|i| format!("key-{}:{}\n", i % 1000, "v".repeat(90))).collect();
    let out =
        assert_cmd::Command::from_std(sb.std_cmd_under_ulimit("-d 16384", &["produce", "t", "--key-separator", ":"]))
            .write_stdin(input.into_bytes())
            .output()
            .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(71), "{stderr}");
    assert!(stderr.starts_with("runnel: error: out of memory: could not allocate "), "{stderr}");
    assert_one_error_line(&stderr);
    // The data dir is still usable.
    sb.ok(&["topic", "list"]);
}

/// A panic (a bug; here one injected into `topic create` between its
/// writes) ends with one error line naming where, and exit 1, an internal
/// error: not std's message and its backtrace, nor exit 101, even with
/// `RUST_BACKTRACE=1` exported (`RUNNEL_BACKTRACE=1` asks for std's report).
#[test]
fn a_panic_is_one_error_line_and_exit_1() {
    let sb = Sandbox::new();
    let out = sb
        .std_cmd(&["topic", "create", "t"])
        .env("RUNNEL_FAULT_PANIC_AT", "create.replicas-created")
        .env("RUST_BACKTRACE", "1")
        .output()
        .expect("run");
    assert_panicked_at(&out, "src/cluster/admin/topics.rs:");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("fault injected at step create.replicas-created"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    // (Another topic: the first create stopped half way.)
    let debugging = sb
        .std_cmd(&["topic", "create", "u"])
        .env("RUNNEL_FAULT_PANIC_AT", "create.replicas-created")
        .env("RUNNEL_BACKTRACE", "1")
        .env("RUST_BACKTRACE", "1")
        .output()
        .expect("run");
    assert!(String::from_utf8_lossy(&debugging.stderr).contains("stack backtrace"), "{debugging:?}");
    assert_eq!(debugging.status.code(), Some(1), "still an internal error's exit code: {debugging:?}");
}

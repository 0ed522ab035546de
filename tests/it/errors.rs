//! Every error exit code of REFERENCE.md the CLI can produce today, each with one
//! clear line on stderr and never a panic.

use std::fs::{File, OpenOptions};

use crate::common::{Sandbox, assert_one_error_line};

/// A sandbox with topic `t` (2 partitions) holding a few messages.
fn sandbox() -> Sandbox {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t", "--partitions", "2"]);
    sb.produce("t", &["--partition", "0"], "a\nb\n");
    sb
}

#[test]
fn exit_2_for_bad_flags_positions_and_templates() {
    let sb = sandbox();
    let cases: &[&[&str]] = &[
        &["consume", "t", "--bogus"],
        &["consume"],
        &["toppic", "list"],
        &["consume", "t", "--from", "yesterday-ish"],
        &["consume", "t", "--from", "@soon"],
        &["consume", "t", "--max-messages", "many"],
        &["consume", "t", "--format", "%x"],
        &["consume", "t", "--format", "%k %"],
        &["produce", "t", "--format", "xml"],
        &["produce", "t", "--acks", "2"],
        &["init", "--brokers", "0"],
        &["topic", "create", "bad/name"],
        &["topic", "create", "t2", "--partitions", "0"],
        &["--lock-timeout", "forever", "topic", "list"],
    ];
    for args in cases {
        let err = sb.fails(args, 2);
        assert_one_error_line(&err);
        assert!(err.starts_with("runnel: error: "), "{args:?}: {err}");
    }
    let err = sb.fails(&["consume", "t", "--format", "%x"], 2);
    assert!(err.contains("%x"), "names the bad token: {err}");
    let err = sb.fails(&["consume", "t", "--from", "yesterday-ish"], 2);
    assert!(err.contains("yesterday-ish") && err.contains("beginning"), "{err}");
}

#[test]
fn help_and_version_exit_0_on_stdout() {
    let sb = Sandbox::new();
    let help = sb.ok(&["--help"]);
    assert!(help.contains("produce") && help.contains("consume"), "{help}");
    let version = sb.ok(&["--version"]);
    assert!(version.starts_with("runnel "), "{version}");
}

#[test]
fn exit_65_for_bad_input_data_with_the_line_number() {
    let sb = sandbox();
    let err = sb.fails_with(&["produce", "t", "--format", "json"], "{\"value\":\"ok\"}\n[1,2]\n", 65);
    assert!(err.contains("line 2"), "{err}");
    assert_one_error_line(&err);
    let err =
        sb.fails_with(&["produce", "t", "--format", "json"], "{\"value\":\"v\",\"key\":{\"base64\":\"***\"}}\n", 65);
    assert!(err.contains("line 1"), "{err}");
    assert_one_error_line(&err);
    let err = sb.fails(&["topic", "alter", "t", "--config", "cleanup.policy=sometimes"], 65);
    assert_one_error_line(&err);
}

#[test]
fn exit_66_for_unknown_topics() {
    let sb = sandbox();
    for args in [
        &["consume", "nope"][..],
        &["topic", "describe", "nope"],
        &["topic", "delete", "nope"],
        &["topic", "alter", "nope", "--partitions", "4"],
    ] {
        let err = sb.fails(args, 66);
        assert!(err.contains("'nope'"), "{args:?}: {err}");
        assert_one_error_line(&err);
    }
    let err = sb.fails_with(&["produce", "nope"], "x\n", 66);
    assert!(err.contains("runnel topic create"), "{err}");
    assert_one_error_line(&err);
}

#[test]
fn exit_74_for_a_corrupt_topic_metadata_file_naming_it() {
    let sb = sandbox();
    let meta = sb.path().join("topics").join("t.json");
    assert!(meta.is_file(), "metadata lives in topics/<t>.json");
    std::fs::write(&meta, "{\"name\": \"t\", \"partit").expect("damage");
    for args in [&["consume", "t"][..], &["topic", "describe", "t"]] {
        let err = sb.fails(args, 74);
        assert!(err.contains(&meta.display().to_string()), "names the file: {err}");
        assert_one_error_line(&err);
    }
    let err = sb.fails_with(&["produce", "t"], "x\n", 74);
    assert!(err.contains("t.json"), "{err}");
    assert_one_error_line(&err);
}

#[test]
fn exit_75_when_the_partition_lock_is_held_naming_the_holder() {
    let sb = sandbox();
    let path = sb.path().join("locks").join("t-0.lock");
    assert!(path.is_file(), "produce left its partition lock file");
    let file: File = OpenOptions::new().read(true).write(true).open(&path).expect("open lock");
    file.lock().expect("lock");
    let out = sb.run_with(&["--lock-timeout", "200ms", "produce", "t", "--partition", "0"], "blocked\n");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(75), "{stderr}");
    assert!(stderr.contains(&format!("pid {}", std::process::id())), "names the holder's pid: {stderr}");
    assert!(stderr.contains("t-0.lock"), "names the lock: {stderr}");
    assert_one_error_line(&stderr);
    file.unlock().expect("unlock");
    drop(file);

    sb.produce("t", &["--partition", "0"], "free\n");
    assert_eq!(sb.consume("t", &["--partition", "0"]), "a\nb\nfree\n", "nothing of the blocked run was written");
}

#[test]
fn errors_are_one_line_without_panics_or_backtraces() {
    let sb = sandbox();
    let out = sb.cmd(&["consume", "t", "--from", "x"]).env("RUST_BACKTRACE", "1").output().expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert_one_error_line(&stderr);
    let out = sb.cmd(&["consume", "nope"]).env("RUST_BACKTRACE", "full").output().expect("run");
    assert_one_error_line(&String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.stdout, b"", "errors go to stderr only");
}

#[test]
fn crafted_or_incomplete_topic_files_exit_74_and_write_nothing_outside_the_data_dir() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t"]);
    let file = sb.path().join("topics").join("t.json");
    let original = std::fs::read_to_string(&file).expect("topic file");
    let outside: Vec<_> = std::fs::read_dir(sb.dir.path()).expect("tempdir").flatten().map(|e| e.file_name()).collect();
    let crafted = [
        original.replace("\"name\": \"t\"", "\"name\": \"../../escaped\""),
        original.replace("\"name\": \"t\"", "\"name\": \"other\""),
        {
            let mut doc: serde_json::Value = serde_json::from_str(&original).expect("json");
            doc["partitions"] = serde_json::json!([]);
            doc.to_string()
        },
    ];
    for text in crafted {
        assert_ne!(text, original, "the test must change the file");
        std::fs::write(&file, &text).expect("write");
        for args in [&["produce", "t"][..], &["consume", "t"], &["topic", "describe", "t"]] {
            let err = sb.fails_with(args, "x\n", 74);
            assert!(err.contains("t.json") && err.contains("damaged"), "{args:?}: {err}");
            assert_one_error_line(&err);
        }
    }
    let after: Vec<_> = std::fs::read_dir(sb.dir.path()).expect("tempdir").flatten().map(|e| e.file_name()).collect();
    assert_eq!(after, outside, "nothing was created next to the data dir");
    assert!(!sb.path().join("escaped").exists() && !sb.dir.path().parent().expect("parent").join("escaped").exists());
}

/// A topic file placing a replica on a broker `cluster.json` does not list
/// is damage on every path that reads it (74 naming the file), and no
/// `broker-N` folder is created for the unknown id.
#[test]
fn a_topic_file_naming_an_unknown_broker_exits_74() {
    let sb = Sandbox::with_brokers(2);
    sb.ok(&["topic", "create", "t", "-r", "2"]);
    let file = sb.path().join("topics").join("t.json");
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("read")).expect("json");
    doc["partitions"][0]["replicas"] = serde_json::json!([0, 7]);
    doc["partitions"][0]["isr"] = serde_json::json!([0, 7]);
    doc["partitions"][0]["leader"] = serde_json::json!(0);
    std::fs::write(&file, doc.to_string()).expect("write");
    for args in [&["produce", "t"][..], &["consume", "t"], &["topic", "describe", "t"], &["broker", "fail", "1"]] {
        let err = sb.fails_with(args, "x\n", 74);
        assert!(err.contains("t.json") && err.contains("broker 7"), "{args:?}: {err}");
        assert_one_error_line(&err);
    }
    let err = sb.fails(&["log", "verify"], 74);
    assert!(err.contains("t.json"), "{err}");
    let table = String::from_utf8(sb.run(&["log", "verify"]).stdout).expect("utf-8");
    assert!(table.contains("broker 7"), "{table}");
    assert!(!sb.path().join("broker-7").exists(), "no folder for an unknown broker");
}

/// Group files are validated as they are read: a crafted member id (a path
/// out of the group folder), a newer format, an offset listed twice — each
/// is 74 naming the file for the group's readers and for `log verify`,
/// never a panic, a default or a file touched outside the group.
#[test]
fn crafted_or_newer_group_files_exit_74_naming_them() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t", "-p", "2"]);
    sb.produce("t", &[], "a\nb\n");
    sb.ok(&["consume", "t", "--group", "g"]);
    let group = sb.path().join("groups").join("g");
    let state = std::fs::read_to_string(group.join("state.json")).expect("state");
    let offsets = std::fs::read_to_string(group.join("offsets.json")).expect("offsets");
    let mut state_doc: serde_json::Value = serde_json::from_str(&state).expect("json");
    state_doc["members"] = serde_json::json!([{
        "member_id": "../../../cluster", "client_id": "c", "host": "h", "pid": 1, "topics": ["t"],
        "session_timeout_ms": 1, "joined_ms": 0, "synced_generation": 0, "assignment": []
    }]);
    let mut twice: serde_json::Value = serde_json::from_str(&offsets).expect("json");
    let first = twice["offsets"][0].clone();
    twice["offsets"].as_array_mut().expect("offsets").push(first);
    let cases = [
        ("state.json", state_doc.to_string()),
        ("state.json", state.replace("\"format_version\": 3", "\"format_version\": 4")),
        ("offsets.json", offsets.replace("\"format_version\": 1", "\"format_version\": 2")),
        ("offsets.json", twice.to_string()),
    ];
    for (name, text) in cases {
        let path = group.join(name);
        std::fs::write(&path, &text).expect("write");
        for args in [&["consume", "t", "--group", "g"][..], &["group", "describe", "g"], &["log", "verify"]] {
            let err = sb.fails(args, 74);
            assert!(err.contains(name) && err.contains("damaged"), "{args:?} with {text}: {err}");
            assert!(!err.contains("panicked"), "{err}");
        }
        assert!(sb.path().join("cluster.json").exists(), "nothing removed through a crafted member id");
        std::fs::write(group.join("state.json"), &state).expect("restore");
        std::fs::write(group.join("offsets.json"), &offsets).expect("restore");
    }
    sb.ok(&["log", "verify"]);
}

/// Refusals have their documented codes, never 1: a cluster file written by
/// a newer runnel is 74 naming it, as is a `cluster.json` lost under a
/// command; the conflicts are 73.
#[test]
fn refusals_exit_with_their_documented_codes() {
    let sb = Sandbox::with_brokers(2);
    sb.ok(&["topic", "create", "t"]);
    sb.fails(&["topic", "create", "t"], 73);
    sb.fails(&["init", "--brokers", "3"], 73);
    sb.ok(&["broker", "fail", "1"]);
    sb.fails(&["broker", "fail", "1"], 73);
    let cluster = sb.path().join("cluster.json");
    let text = std::fs::read_to_string(&cluster).expect("read");
    std::fs::write(&cluster, text.replace("\"format_version\": 1", "\"format_version\": 9")).expect("write");
    for args in [&["topic", "list"][..], &["produce", "t"], &["broker", "list"], &["log", "verify"]] {
        let err = sb.fails_with(args, "x\n", 74);
        assert!(err.contains("cluster.json") && err.contains("newer"), "{args:?}: {err}");
    }
}

/// `log verify` judges metadata as its readers do: a topic file naming
/// another topic than its file name is damage, reported and exit 74.
#[test]
fn log_verify_reports_a_topic_file_naming_another_topic() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t"]);
    sb.ok(&["topic", "create", "other"]);
    let file = sb.path().join("topics").join("t.json");
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(&file, text.replace("\"name\": \"t\"", "\"name\": \"other\"")).expect("write");
    let err = sb.fails(&["log", "verify"], 74);
    assert!(err.contains("t.json"), "{err}");
    let table = String::from_utf8(sb.run(&["log", "verify"]).stdout).expect("utf-8");
    assert!(table.contains("names topic 'other'"), "{table}");
}

//! What a kcat/rpk/Kafka-tools user types on a first day works: boolean
//! environment variables, config-file formats, clear JSON errors, kcat's
//! and rpk's flags and positions, headers, template modifiers, idempotent
//! scripts and the overviews (issue 21).

use crate::common::Sandbox;

#[test]
fn boolean_environment_variables_take_1_0_yes_no_true_false() {
    let sb = Sandbox::new();
    sb.produce("t", &["--create"], "a\n");
    for (value, quiet) in
        [("1", true), ("yes", true), ("true", true), ("on", true), ("0", false), ("no", false), ("false", false)]
    {
        let out = sb.cmd(&["consume", "t"]).env("RUNNEL_QUIET", value).output().expect("run");
        assert!(out.status.success(), "RUNNEL_QUIET={value}: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(out.stderr.is_empty(), quiet, "RUNNEL_QUIET={value}: {}", String::from_utf8_lossy(&out.stderr));
    }
    let out = sb.cmd(&["consume", "t"]).env("RUNNEL_QUIET", "maybe").output().expect("run");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_config_files_admin_format_leaves_log_dumps_own_format_alone() {
    let sb = Sandbox::new();
    sb.produce("t", &["--create"], "a\n");
    let config = sb.root().join("config.toml");
    std::fs::write(&config, "admin-format = \"json\"\n").expect("config");
    let listed = sb.cmd(&["topic", "list"]).env("RUNNEL_CONFIG", &config).output().expect("run");
    assert!(listed.status.success());
    assert!(serde_json::from_slice::<serde_json::Value>(&listed.stdout).is_ok(), "topic list follows admin-format");
    std::fs::write(&config, "admin-format = \"table\"\n").expect("config");
    let dump = sb.cmd(&["log", "dump", "t:0"]).env("RUNNEL_CONFIG", &config).output().expect("run");
    assert!(dump.status.success(), "{}", String::from_utf8_lossy(&dump.stderr));
    assert!(String::from_utf8_lossy(&dump.stdout).contains("baseOffset"), "log dump keeps its text format");
}

#[test]
fn a_line_that_is_not_json_says_so() {
    let sb = Sandbox::new();
    let err = sb.fails_with(&["produce", "t", "--create", "--format", "json"], "{bad\n", 65);
    assert!(
        err.contains("line 1: invalid envelope: not valid JSON: a field name must be in double quotes (column 2)"),
        "{err}"
    );
    assert!(!err.contains("key must be"), "{err}");
}

/// Ten records in one partition, stamped a minute apart from 2024-11-25T08:23:20Z.
fn stamped(sb: &Sandbox) {
    let input: String = (0..10)
        .map(|i| {
            format!("{{\"key\":\"k{i}\",\"value\":\"v{i}\",\"timestamp\":{}}}\n", 1_732_523_000_000i64 + i * 60_000)
        })
        .collect();
    sb.produce("t", &["--format", "json", "--create"], input);
}

#[test]
fn f_is_the_format_and_positions_take_kcats_and_rpks_forms() {
    let sb = Sandbox::new();
    stamped(&sb);
    let offsets = |args: &[&str]| {
        let mut all = vec!["-f", "%o "];
        all.extend_from_slice(args);
        sb.consume("t", &all)
    };
    assert_eq!(offsets(&["-o", "beginning", "-c", "2"]), "0 1 ");
    assert_eq!(offsets(&["--offset", "7"]), "7 8 9 ");
    assert_eq!(offsets(&["-o", "-2", "-e"]), "8 9 ");
    assert_eq!(offsets(&["-o", "+8"]), "8 9 ");
    assert_eq!(offsets(&["-o", "s@1732523180000"]), "3 4 5 6 7 8 9 ");
    assert_eq!(offsets(&["-o", ":end", "-n", "3"]), "0 1 2 ");
    assert_eq!(offsets(&["-o", "2:4"]), "2 3 ");
    assert_eq!(offsets(&["-o", "@1732523060000:e@1732523180000"]), "1 2 ");
    assert_eq!(offsets(&["--from-beginning", "-c", "1"]), "0 ");
    // kcat's -f with %k and %s, as kcat users type it.
    assert_eq!(sb.consume("t", &["-f", "%k %s\\n", "-o", "-1"]), "k9 v9\n");
    // -F follows (with a timeout here: exit 124 after printing everything).
    let out = sb.run(&["consume", "t", "-F", "--timeout", "200ms", "-f", "%o "]);
    assert_eq!((out.status.code(), String::from_utf8_lossy(&out.stdout).as_ref()), (Some(124), "0 1 2 3 4 5 6 7 8 9 "));
    sb.fails(&["consume", "t", "-F", "-e"], 2);
    sb.fails(&["consume", "t", "-o", "soon"], 2);
    sb.fails(&["consume", "t", "-o", "3", "--from-beginning"], 2);
    sb.fails(&["consume", "t", "-o", ":end", "--group", "g"], 2);
}

#[test]
fn a_thirteen_digit_offset_warns_that_it_looks_like_a_time() {
    let sb = Sandbox::new();
    stamped(&sb);
    let out = sb.run(&["consume", "t", "-o", "1732523000000"]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("did you mean @1732523000000"), "{stderr}");
    let quiet = sb.run(&["consume", "t", "-o", "12"]);
    assert!(!String::from_utf8_lossy(&quiet.stderr).contains("did you mean"));
}

#[test]
fn several_partitions_and_topic_patterns() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "rides.eu", "--partitions", "3"]);
    sb.ok(&["topic", "create", "rides.us"]);
    sb.ok(&["topic", "create", "audit"]);
    for p in 0..3 {
        sb.produce("rides.eu", &["-p", &p.to_string()], format!("eu{p}\n"));
    }
    sb.produce("rides.us", &[], "us\n");
    sb.produce("audit", &[], "a\n");
    let mut got: Vec<String> = sb.consume("rides.eu", &["-p", "0,2"]).lines().map(String::from).collect();
    got.sort();
    assert_eq!(got, ["eu0", "eu2"]);
    let mut got: Vec<String> = sb.consume("rides.eu", &["-p", "1", "-p", "2"]).lines().map(String::from).collect();
    got.sort();
    assert_eq!(got, ["eu1", "eu2"]);
    let mut got: Vec<String> =
        sb.consume("rides.*", &["-r", "-f", "%t "]).split_whitespace().map(String::from).collect();
    got.sort();
    assert_eq!(got, ["rides.eu", "rides.eu", "rides.eu", "rides.us"], "the pattern matches whole names");
    let err = sb.fails(&["consume", "rides", "-r"], 66);
    assert!(err.contains("no topic matches rides"), "a pattern matches whole names: {err}");
    let members = sb.ok(&["-q", "consume", "rides[.].*", "-r", "--group", "g", "-f", "%t\n"]);
    assert_eq!(members.lines().count(), 4, "a group member reads every matching topic");
    sb.fails(&["consume", "(", "-r"], 2);
}

#[test]
fn headers_from_the_command_line_repeat_and_survive_a_json_round_trip() {
    let sb = Sandbox::new();
    sb.produce(
        "h",
        &["--create", "-H", "a=1", "-H", "a=2", "--header", "b=x=y"],
        "hi
",
    );
    assert_eq!(sb.consume("h", &["-f", "%h|%h{json}\n"]), "a=1,a=2,b=x=y|{\"a\":\"1\",\"a\":\"2\",\"b\":\"x=y\"}\n");
    let json = sb.consume("h", &["-f", "json"]);
    sb.produce("h2", &["-f", "json", "--create", "-H", "c=3"], json);
    assert_eq!(sb.consume("h2", &["-f", "%h\n"]), "c=3,a=1,a=2,b=x=y\n", "duplicates kept, -H first");
    sb.fails_with(&["produce", "h", "-H", "novalue"], "x\n", 2);
}

#[test]
fn template_modifiers_and_kcats_null_marker() {
    let sb = Sandbox::new();
    let input = "{\"key\":null,\"value\":\"hi\"}\n{\"key\":\"k\",\"value\":null}\n{\"key\":\"k\",\"value\":{\"base64\":\"/w==\"}}\n";
    sb.produce("m", &["-f", "json", "--create"], input);
    assert_eq!(sb.consume_bytes("m", &["-f", "[%k][%v]\\n"]), b"[][hi]\n[k][]\n[k][\xff]\n", "%v is %s");
    assert_eq!(
        sb.consume("m", &["-f", "%k{hex}|%v{hex}|%v{base64}|%v{json}\\n"]),
        "|6869|aGk=|\"hi\"\n6b|||null\n6b|ff|/w==|{\"base64\":\"/w==\"}\n"
    );
    assert_eq!(sb.consume("m", &["-Z", "-f", "[%k][%v]\\n", "-c", "2"]), "[NULL][hi]\n[k][NULL]\n");
    assert_eq!(sb.consume("m", &["-Z", "-c", "2"]), "hi\nNULL\n", "-Z in the value format");
    assert!(sb.consume("m", &["-Z", "-f", "json", "-c", "1"]).contains("\"key\":null"), "JSON keeps null");
    sb.fails(&["consume", "m", "-f", "%p{hex}"], 2);
}

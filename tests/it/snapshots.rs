//! Snapshot tests of every admin table and JSON document, so a change in
//! what users see (columns, field names, alignment) is a reviewed change.
//! Review with `cargo insta review` or set INSTA_UPDATE=always to accept.

use crate::common::Sandbox;

fn fixed_cluster() -> Sandbox {
    let sb = Sandbox::with_brokers(3);
    sb.ok(&[
        "topic",
        "create",
        "rides",
        "--partitions",
        "3",
        "--replication-factor",
        "2",
        "--config",
        "retention.ms=3600000",
    ]);
    sb.ok(&["topic", "create", "logs"]);
    let input: String = (0..12)
        .map(|i| format!("{{\"key\":\"car-{}\",\"value\":\"ride {i}\",\"timestamp\":1732523000000}}\n", i % 4))
        .collect();
    sb.produce("rides", &["--format", "json"], input);
    sb
}

fn snapshot(name: &str, text: &str) {
    let filters = vec![(r"\b[0-9a-f]{16}\b", "[id]"), (r#"/[^\s"]*/\.tmp[^/\s"]*/data"#, "[data-dir]")];
    insta::with_settings!({ filters => filters }, {
        insta::assert_snapshot!(name, text);
    });
}

#[test]
fn topic_tables_and_json() {
    let sb = fixed_cluster();
    snapshot("topic_list_table", &sb.ok(&["topic", "list"]));
    snapshot("topic_list_json", &sb.ok(&["topic", "list", "--format", "json"]));
    snapshot("topic_describe_table", &sb.ok(&["topic", "describe", "rides"]));
    snapshot("topic_describe_json", &sb.ok(&["topic", "describe", "rides", "--format", "json"]));
}

#[test]
fn broker_tables_and_json() {
    let sb = fixed_cluster();
    snapshot("broker_list_table", &sb.ok(&["broker", "list"]));
    snapshot("broker_list_json", &sb.ok(&["broker", "list", "--format", "json"]));
    snapshot("broker_fail", &sb.ok(&["broker", "fail", "1"]));
    snapshot("topic_describe_under_replicated", &sb.ok(&["topic", "describe", "rides", "--under-replicated"]));
    snapshot("broker_recover", &sb.ok(&["-q", "broker", "recover", "1"]));
}

#[test]
fn group_and_log_tables_and_json() {
    let sb = fixed_cluster();
    // One member reads everything, commits and leaves: an Empty group with offsets.
    sb.ok(&["-q", "consume", "rides", "--group", "billing", "--client-id", "biller"]);
    snapshot("group_list_table", &sb.ok(&["group", "list"]));
    snapshot("group_list_json", &sb.ok(&["group", "list", "--format", "json"]));
    snapshot("group_describe_table", &sb.ok(&["group", "describe", "billing"]));
    snapshot("group_describe_json", &sb.ok(&["group", "describe", "billing", "--format", "json"]));
    snapshot(
        "group_reset_plan",
        &sb.ok(&["-q", "group", "reset-offsets", "billing", "--topic", "rides", "--to-earliest"]),
    );
    snapshot("log_du_table", &sb.ok(&["log", "du"]));
    snapshot("log_verify_json", &sb.ok(&["log", "verify", "--format", "json"]));
}

#[test]
fn overview_tables_and_json() {
    let sb = fixed_cluster();
    snapshot("metadata_text", &sb.ok(&["metadata"]));
    snapshot("metadata_json", &sb.ok(&["metadata", "--format", "json"]));
    snapshot("topic_describe_all", &sb.ok(&["topic", "describe"]));
    snapshot("topic_describe_configs", &sb.ok(&["topic", "describe", "rides", "--configs"]));
    snapshot("topic_describe_configs_all", &sb.ok(&["topic", "describe", "rides", "--configs", "--all"]));
    snapshot("topic_offsets", &sb.ok(&["topic", "offsets", "rides", "--time", "1732523000000"]));
    snapshot("topic_offsets_latest_json", &sb.ok(&["topic", "offsets", "rides", "-f", "json"]));
    sb.ok(&["-q", "consume", "rides", "--group", "billing", "--client-id", "biller"]);
    snapshot("group_describe_state", &sb.ok(&["group", "describe", "billing", "--state"]));
}

/// The informational lines and errors users read, with one of everything
/// (singular forms) and many of some (plural forms, rates).
#[test]
fn stderr_texts_say_one_thing_and_many_things() {
    let sb = Sandbox::new();
    let stderr = |args: &[&str], input: &str| String::from_utf8_lossy(&sb.run_with(args, input).stderr).into_owned();
    let mut text = String::new();
    text += &stderr(&["init", "--brokers", "1"], "");
    text += &stderr(&["init", "--brokers", "1"], "");
    text += &stderr(&["init", "--brokers", "2"], "");
    text += &stderr(&["topic", "create", "one"], "");
    text += &stderr(&["topic", "create", "two", "--replication-factor", "2"], "");
    text += &stderr(&["produce", "one"], "a\n");
    text += &stderr(&["consume", "one"], "");
    text += &stderr(&["topic", "alter", "one", "--partitions", "1"], "");
    text += &stderr(&["topic", "alter", "one", "--partitions", "2"], "");
    text += &stderr(&["produce", "one"], "a\nb\nc\n");
    text += &stderr(&["topic", "wait", "one", "--messages", "1", "--timeout", "1s"], "");
    text += &stderr(&["topic", "delete", "one"], "");
    let filters = vec![
        (r"in \d+\.\d\ds \([^)]*msgs/s\)", "in [time] ([rate] msgs/s)"),
        (r#"/[^\s"]*/\.tmp[^/\s"]*/data"#, "[data-dir]"),
    ];
    insta::with_settings!({ filters => filters }, {
        insta::assert_snapshot!("stderr_texts", text);
    });
}

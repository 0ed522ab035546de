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

//! The Java and Python examples of README.md's "runnel as the Kafka of your
//! tests", run as they are written: each block marked
//! `<!-- README test: java ... -->` / `python` is taken out of the README
//! (so the README and the tested code cannot drift), run against `runnel
//! serve` beside a topic the CLI created, and checked from the CLI: what it
//! printed, the records on disk, the group's commits.
//!
//! Java needs Java + Maven (Kafka's jars from Maven Central), Python needs
//! `pip install kafka-python`; each test skips with a printed reason when
//! its client is missing, and fails instead when `CI` is set.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::common::{Sandbox, wait_until};
use crate::serve_harness::Served;

/// The block after the README's `<!-- README test: LANG` mark.
fn readme_block(lang: &str) -> String {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).expect("README");
    let mark = format!("<!-- README test: {lang} ");
    let after = readme.split_once(&mark).map(|(_, rest)| rest).unwrap_or_else(|| panic!("no {mark} in README.md"));
    let fence = format!("```{lang}\n");
    let body = after.split_once(&fence).map(|(_, rest)| rest).expect("the marked block");
    body.split_once("\n```").map(|(code, _)| format!("{code}\n")).expect("the block's end")
}

fn skip(why: &str) {
    assert!(std::env::var_os("CI").is_none(), "{why}, and CI is set");
    eprintln!("skipped: {why}");
}

/// Runs `command` (BOOTSTRAP set to the server) to its end within a minute;
/// returns its stdout lines, sorted.
fn run_example(command: &mut Command, served: &Served) -> Vec<String> {
    let mut child = command
        .env("BOOTSTRAP", served.bootstrap())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn the example");
    let ended = wait_until(Duration::from_secs(120), || matches!(child.try_wait(), Ok(Some(_))));
    if !ended {
        let _ = child.kill();
    }
    let out = child.wait_with_output().expect("the example's output");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(ended, "the example did not end: {stderr}");
    assert!(out.status.success(), "the example failed: {stderr}");
    let mut lines: Vec<String> = String::from_utf8_lossy(&out.stdout).lines().map(String::from).collect();
    lines.sort();
    lines
}

/// What both examples leave: two records the CLI reads, and group
/// `billing`'s commits at the end of each partition.
fn assert_left_behind(sb: &Sandbox, printed: &[String]) {
    assert_eq!(printed, ["car1 hello", "car2 world"]);
    let mut records: Vec<String> = sb.consume("rides", &["--format", "%k %s\\n"]).lines().map(String::from).collect();
    records.sort();
    assert_eq!(records, ["car1 hello", "car2 world"]);
    let out = sb.run(&["group", "describe", "billing", "--format", "json"]);
    let group: serde_json::Value = serde_json::from_slice(&out.stdout).expect("group describe json");
    assert_eq!(group["total_lag"], 0, "{group}");
    let committed: u64 =
        group["offsets"].as_array().into_iter().flatten().filter_map(|o| o["committed"].as_u64()).sum();
    assert_eq!(committed, 2, "{group}");
}

fn setup() -> (Sandbox, Served) {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "rides", "--partitions", "3"]);
    let served = Served::start(&sb, 1);
    (sb, served)
}

#[test]
fn the_readme_java_example_produces_and_consumes_in_a_group() {
    if crate::kafka_cluster::bootstrap_allowed().is_none() {
        return;
    }
    let classpath = crate::kafka_cluster::classpath();
    let (sb, served) = setup();
    let source = sb.root().join("RidesTest.java");
    std::fs::write(&source, readme_block("java")).expect("write the example");
    let printed = run_example(Command::new("java").arg("-cp").arg(&classpath).arg(&source), &served);
    assert_left_behind(&sb, &printed);
    assert_eq!(served.stop(), Some(0));
}

#[test]
fn the_readme_python_example_produces_and_consumes_in_a_group() {
    let python = Command::new("python3").args(["-c", "import kafka"]).output().is_ok_and(|o| o.status.success());
    if !python {
        return skip("kafka-python is missing (pip install kafka-python)");
    }
    let (sb, served) = setup();
    let source = sb.root().join("rides_test.py");
    std::fs::write(&source, readme_block("python")).expect("write the example");
    let printed = run_example(Command::new("python3").arg(&source), &served);
    assert_left_behind(&sb, &printed);
    assert_eq!(served.stop(), Some(0));
}

#[test]
fn the_readme_blocks_are_found() {
    assert!(readme_block("java").contains("public class RidesTest"));
    assert!(readme_block("python").contains("KafkaConsumer(\"rides\""));
}

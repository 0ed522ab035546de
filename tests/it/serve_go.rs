//! `runnel serve` against franz-go, the Go client (github.com/twmb/franz-go,
//! from the Go module proxy): `tests/go/` creates a topic and reads its
//! configs with kadm, produces with the client's default producer
//! (idempotent, acks=all), reads everything back as a group member, commits
//! and leaves, then reads the group's commits back with kadm. franz-go
//! negotiates the newest versions a broker offers and checks what it gets,
//! so it is a strict reader of serve's answers.
//!
//! Needs `go` (installed on the machine) and the modules of `tests/go/go.sum`
//! (`.ci/run` downloads them and warms the build). Skips with a printed
//! reason when either is missing, and fails instead when `CI` is set.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::Sandbox;
use crate::serve_harness::Served;

/// `Some(())`, or `None` after printing why the test skips (a panic under CI).
fn require(available: Result<(), String>) -> Option<()> {
    match available {
        Ok(()) => Some(()),
        Err(why) => {
            assert!(std::env::var_os("CI").is_none(), "{why}, and CI is set");
            eprintln!("skipped: {why}");
            None
        }
    }
}

fn program() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/go")
}

/// Builds `tests/go` into `out`: `Err` when Go or the modules are missing.
fn build(out: &Path) -> Result<(), String> {
    let go = Command::new("go").arg("version").output();
    if !go.is_ok_and(|o| o.status.success()) {
        return Err("go is not installed".to_string());
    }
    let download = Command::new("go").args(["mod", "download"]).current_dir(program()).output();
    match download {
        Ok(o) if o.status.success() => {}
        Ok(o) => {
            return Err(format!(
                "the Go modules of tests/go cannot be fetched ({})",
                String::from_utf8_lossy(&o.stderr).trim()
            ));
        }
        Err(e) => return Err(format!("go mod download: {e}")),
    }
    let built = Command::new("go").arg("build").arg("-o").arg(out).arg(".").current_dir(program()).output();
    let built = built.map_err(|e| format!("go build: {e}"))?;
    // The modules are there: a build failure is the program's, never a skip.
    assert!(built.status.success(), "go build: {}", String::from_utf8_lossy(&built.stderr));
    Ok(())
}

#[test]
fn franz_go_creates_produces_idempotently_consumes_in_a_group_and_commits() {
    let sb = Sandbox::new();
    let client = sb.root().join("serveclient");
    if require(build(&client)).is_none() {
        return;
    }
    sb.ok(&["init", "--brokers", "1"]);
    let served = Served::start(&sb, 1);
    let run = Command::new(&client).args([&served.bootstrap(), "gorides", "gogroup", "200"]).output().expect("run");
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "the Go client failed: {stderr}");
    // franz-go logs its warnings and errors on stderr: none against serve.
    assert!(stderr.trim().is_empty(), "franz-go warned: {stderr}");

    // Every record was read once by the group member; each key on one partition.
    let read: Vec<&str> = stdout.lines().filter(|l| !l.starts_with("committed ")).collect();
    assert_eq!(read.len(), 200, "{stdout}");
    let mut values: Vec<String> = read.iter().filter_map(|l| l.split(' ').nth(2)).map(String::from).collect();
    values.sort_by_key(|v| v.trim_start_matches("go-").parse::<u32>().unwrap_or(u32::MAX));
    assert_eq!(values, (0..200).map(|i| format!("go-{i}")).collect::<Vec<_>>());
    let mut partition_of: BTreeMap<String, String> = BTreeMap::new();
    for line in &read {
        let mut parts = line.split(' ');
        let (p, k) = (parts.next().unwrap_or_default(), parts.next().unwrap_or_default());
        let first = partition_of.entry(k.to_string()).or_insert_with(|| p.to_string());
        assert_eq!(first, p, "key {k} on two partitions");
    }

    // The CLI reads what the Go client wrote, keys where franz-go's murmur2 put them.
    let records = sb.consume_json("gorides", &[]);
    assert_eq!(records.len(), 200);
    for r in &records {
        let key = r["key"].as_str().unwrap_or_default();
        assert_eq!(partition_of.get(key).map(String::as_str), Some(r["partition"].to_string().as_str()), "{r}");
    }
    let described = sb.describe("gorides");
    assert_eq!(described["partitions"].as_array().map(Vec::len), Some(3), "{described}");
    // The idempotent producer's state was kept (what recognises a retried batch).
    let producers = sb.path().join("serve/producers");
    let kept = std::fs::read_dir(&producers).map(|d| d.count()).unwrap_or(0);
    assert!(kept > 0, "no idempotent producer state under {}", producers.display());

    // The commits kadm read back are the group's, at the log end, and the
    // CLI sees them: `group describe` shows no lag and no member left.
    let commits: Vec<&str> = stdout.lines().filter(|l| l.starts_with("committed ")).collect();
    let group = sb.run(&["group", "describe", "gogroup", "--format", "json"]);
    let group: serde_json::Value = serde_json::from_slice(&group.stdout).expect("group describe json");
    assert_eq!(group["state"], "Empty", "the member left: {group}");
    let offsets = group["offsets"].as_array().cloned().unwrap_or_default();
    assert_eq!(offsets.len(), 3, "{group}");
    for o in &offsets {
        assert_eq!(o["committed"], o["log_end_offset"], "{group}");
        let line = format!("committed {} {}", o["partition"], o["committed"]);
        assert!(commits.contains(&line.as_str()), "{line} not in what kadm read: {commits:?}");
    }
    assert_eq!(served.stop(), Some(0));
}

//! The one real Kafka cluster of this test binary: a single KRaft broker
//! started by `scripts/kafka-cluster.sh up 1` in its own folder at first
//! use and stopped (`down`) when the process exits; or the cluster `.ci/run`
//! started, given as `RUNNEL_TEST_KAFKA`. Without Java or Maven the Kafka
//! tests are skipped with a printed reason — unless `CI` is set, where that
//! is a failure.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The repository's cluster script.
pub fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/kafka-cluster.sh")
}

/// Where the cluster this process started keeps its files (for `down`).
static STARTED_IN: OnceLock<PathBuf> = OnceLock::new();

/// The bootstrap servers of the shared cluster, or `None` (after printing
/// why) when Kafka cannot run here and `CI` is not set.
pub fn bootstrap() -> Option<&'static str> {
    static CLUSTER: OnceLock<Result<String, String>> = OnceLock::new();
    match CLUSTER.get_or_init(start) {
        Ok(bootstrap) => Some(bootstrap),
        Err(why) if std::env::var_os("CI").is_some() => panic!("the Kafka tests cannot run under CI: {why}"),
        Err(why) => {
            eprintln!("skipping a Kafka test: {why}");
            None
        }
    }
}

/// `Some(())` when Kafka can run here; `None` (after printing why) when it
/// cannot and `CI` is not set; a panic under `CI`.
pub fn bootstrap_allowed() -> Option<()> {
    let missing = ["java", "mvn"].into_iter().find(|tool| !has(tool));
    match missing {
        None => Some(()),
        Some(tool) if std::env::var_os("CI").is_some() => {
            panic!("the Kafka tests cannot run under CI: {tool} is missing")
        }
        Some(tool) => {
            eprintln!("skipping a Kafka test: {tool} is not installed (.ci/run installs it)");
            None
        }
    }
}

fn has(tool: &str) -> bool {
    Command::new("sh").arg("-c").arg(format!("command -v {tool}")).output().is_ok_and(|o| o.status.success())
}

fn start() -> Result<String, String> {
    if let Some(given) = std::env::var("RUNNEL_TEST_KAFKA").ok().filter(|b| !b.is_empty()) {
        return Ok(given);
    }
    for tool in ["java", "mvn"] {
        if !has(tool) {
            return Err(format!("{tool} is not installed (.ci/run installs it)"));
        }
    }
    let dir = tempfile::Builder::new().prefix("runnel-it-kafka-").tempdir().map_err(|e| e.to_string())?.keep();
    let _ = STARTED_IN.set(dir.clone());
    // SAFETY: registers a plain extern "C" function once; it runs at exit.
    unsafe { libc::atexit(stop_at_exit) };
    let out = Command::new(script())
        .args(["up", "1"])
        .env("KAFKA_CLUSTER_DIR", &dir)
        .output()
        .map_err(|e| format!("cannot run {}: {e}", script().display()))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let bootstrap = stdout.lines().rev().find_map(|l| l.strip_prefix("BOOTSTRAP=")).map(str::to_string);
    match (out.status.success(), bootstrap) {
        (true, Some(b)) => Ok(b),
        _ => Err(format!("kafka-cluster.sh up 1 failed: {}", String::from_utf8_lossy(&out.stderr).trim())),
    }
}

extern "C" fn stop_at_exit() {
    if let Some(dir) = STARTED_IN.get() {
        let _ = Command::new(script()).arg("down").env("KAFKA_CLUSTER_DIR", dir).output();
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// Runs one of Kafka's own tools on the cluster's classpath; returns stdout.
pub fn kafka_run(class: &str, args: &[&str]) -> String {
    let mut cmd = Command::new(script());
    cmd.arg("kafka-run").arg(class).args(args);
    if let Some(dir) = STARTED_IN.get() {
        cmd.env("KAFKA_CLUSTER_DIR", dir);
    }
    let out = cmd.output().expect("run kafka-cluster.sh kafka-run");
    assert!(out.status.success(), "{class} {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Kafka's classpath, as the script resolves it.
pub fn classpath() -> String {
    let out = Command::new(script()).arg("classpath").output().expect("run kafka-cluster.sh classpath");
    assert!(out.status.success(), "classpath: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

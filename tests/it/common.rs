//! Helpers shared by the integration tests: a data directory per test and
//! the real `runnel` binary pointed at it.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

/// A temporary data directory and commands that run `runnel` on it. The
/// data dir is `<tempdir>/data`, so that the private parent folder shows
/// anything a command wrongly writes next to the data dir.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
    data: PathBuf,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let dir = tempfile::tempdir().expect("tempdir");
        let data = dir.path().join("data");
        std::fs::create_dir(&data).expect("mkdir data");
        Sandbox { dir, data }
    }

    /// A sandbox with a cluster of `brokers` brokers.
    pub fn with_brokers(brokers: u32) -> Sandbox {
        let sandbox = Sandbox::new();
        sandbox.ok(&["init", "--brokers", &brokers.to_string()]);
        sandbox
    }

    /// The data directory.
    pub fn path(&self) -> &Path {
        &self.data
    }

    /// The private folder that holds the data directory.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// The `runnel` binary under test.
    pub fn bin() -> PathBuf {
        assert_cmd::cargo::cargo_bin("runnel")
    }

    /// `runnel --data-dir <dir> ...` as a std command, for spawning.
    pub fn std_cmd(&self, args: &[&str]) -> std::process::Command {
        let mut cmd = std::process::Command::new(Self::bin());
        self.runnel_args(&mut cmd, args);
        cmd
    }

    /// [`Sandbox::std_cmd`] run by `sh` under `ulimit LIMIT` (`-n 256`,
    /// `-d 65536`): a limit runnel cannot raise for itself.
    pub fn std_cmd_under_ulimit(&self, limit: &str, args: &[&str]) -> std::process::Command {
        let mut cmd = std::process::Command::new("sh");
        cmd.args(["-c", &format!("ulimit {limit} && exec \"$@\""), "sh"]).arg(Self::bin());
        self.runnel_args(&mut cmd, args);
        cmd
    }

    /// The sandbox's environment and `--data-dir <dir> ARGS`.
    fn runnel_args(&self, cmd: &mut std::process::Command, args: &[&str]) {
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.root())
            .arg("--data-dir")
            .arg(self.path())
            .args(args);
    }

    /// Runs without stdin and returns the output, whatever the exit code.
    pub fn run(&self, args: &[&str]) -> Output {
        self.run_with(args, Vec::new())
    }

    /// `runnel -q produce TOPIC EXTRA...` with `input`; asserts exit 0.
    pub fn produce(&self, topic: &str, extra: &[&str], input: impl Into<Vec<u8>>) {
        let mut args = vec!["-q", "produce", topic];
        args.extend_from_slice(extra);
        self.ok_with(&args, input);
    }

    /// `runnel -q consume TOPIC EXTRA...`; asserts exit 0; returns stdout bytes.
    pub fn consume_bytes(&self, topic: &str, extra: &[&str]) -> Vec<u8> {
        let mut args = vec!["-q", "consume", topic];
        args.extend_from_slice(extra);
        let out = self.run(&args);
        assert!(out.status.success(), "runnel {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        out.stdout
    }

    /// `runnel -q consume TOPIC EXTRA...`; asserts exit 0; returns stdout.
    pub fn consume(&self, topic: &str, extra: &[&str]) -> String {
        String::from_utf8(self.consume_bytes(topic, extra)).expect("utf-8 stdout")
    }

    /// `consume --format json`, parsed line by line.
    pub fn consume_json(&self, topic: &str, extra: &[&str]) -> Vec<serde_json::Value> {
        let mut args = vec!["--format", "json"];
        args.extend_from_slice(extra);
        self.consume(topic, &args)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad json line {l:?}: {e}")))
            .collect()
    }

    /// `runnel --data-dir <dir> ...`, as assert_cmd's command.
    pub fn cmd(&self, args: &[&str]) -> Command {
        Command::from_std(self.std_cmd(args))
    }

    /// Runs and asserts exit 0; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd(args).output().expect("run runnel");
        assert!(out.status.success(), "runnel {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    /// Runs with `input` on stdin; asserts exit 0; returns stdout.
    pub fn ok_with(&self, args: &[&str], input: impl Into<Vec<u8>>) -> String {
        let out = self.run_with(args, input);
        assert!(out.status.success(), "runnel {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn run_with(&self, args: &[&str], input: impl Into<Vec<u8>>) -> Output {
        self.cmd(args).write_stdin(input.into()).output().expect("run runnel")
    }

    /// Runs and asserts the exit code; returns stderr.
    pub fn fails(&self, args: &[&str], code: i32) -> String {
        self.fails_with(args, "", code)
    }

    pub fn fails_with(&self, args: &[&str], input: &str, code: i32) -> String {
        let out = self.run_with(args, input);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(code), "runnel {args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        stderr
    }

    /// `topic describe --format json`, parsed.
    pub fn describe(&self, topic: &str) -> serde_json::Value {
        let text = self.ok(&["topic", "describe", topic, "--format", "json"]);
        serde_json::from_str(&text).expect("describe json")
    }

    pub fn replica_dir(&self, broker: u32, topic: &str, partition: u32) -> PathBuf {
        self.path().join(format!("broker-{broker}")).join(format!("{topic}-{partition}"))
    }

    /// The segment files (`.log`) of a replica, oldest first.
    pub fn segment_logs(&self, broker: u32, topic: &str, partition: u32) -> Vec<PathBuf> {
        let mut logs: Vec<PathBuf> = std::fs::read_dir(self.replica_dir(broker, topic, partition))
            .expect("replica")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "log"))
            .collect();
        logs.sort();
        logs
    }
}

/// Lines of a command's output.
pub fn lines(text: &str) -> Vec<&str> {
    text.lines().collect()
}

/// Asserts that an error output is one line naming the error (plus, for
/// produce, its summary line), with no panic or backtrace.
pub fn assert_one_error_line(stderr: &str) {
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    assert!(!stderr.contains("stack backtrace") && !stderr.contains("RUST_BACKTRACE"), "backtrace: {stderr}");
    let errors: Vec<&str> = stderr.lines().filter(|l| !l.starts_with("produced ")).collect();
    assert_eq!(errors.len(), 1, "expected exactly one error line, got: {stderr:?}");
    assert!(errors[0].contains("error"), "{stderr:?}");
}

/// A command that panicked (a fault injected with `RUNNEL_FAULT_PANIC_AT`):
/// exit 1, an internal error, and one error line, the panic's, naming
/// `place` (a source path, or its start).
pub fn assert_panicked_at(out: &std::process::Output, place: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let line = format!("runnel: error: internal error: runnel panicked at {place}");
    assert!(stderr.starts_with(&line), "expected {line:?}: {stderr}");
    assert_eq!(stderr.lines().filter(|l| l.contains("error")).count(), 1, "{stderr}");
    assert!(!stderr.contains("backtrace"), "{stderr}");
}

/// A `Field:  N kB` line's N from a `/proc` file (`/proc/self/status`,
/// `/proc/<pid>/smaps_rollup`), or `None` if the file or field is missing.
pub fn proc_kib(path: &str, field: &str) -> Option<u64> {
    let text = std::fs::read_to_string(path).ok()?;
    let line = text.lines().find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))?;
    line.split_whitespace().next()?.parse().ok()
}

/// Polls `cond` until it holds or `limit` passes; returns whether it held.
pub fn wait_until(limit: std::time::Duration, mut cond: impl FnMut() -> bool) -> bool {
    let deadline = std::time::Instant::now() + limit;
    loop {
        if cond() {
            return true;
        }
        if std::time::Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Spawns `command` with its stdout piped and streams the lines into a
/// channel from a thread (which ends with the child's stdout).
pub fn spawn_lines(
    command: &mut std::process::Command,
) -> (std::process::Child, std::sync::mpsc::Receiver<String>, std::thread::JoinHandle<()>) {
    spawn_lines_to(command.stderr(std::process::Stdio::null()))
}

/// [`spawn_lines`], the process's stderr kept in `log` (for a failure's message).
pub fn spawn_lines_logged(
    command: &mut std::process::Command,
    log: &std::path::Path,
) -> (std::process::Child, std::sync::mpsc::Receiver<String>, std::thread::JoinHandle<()>) {
    spawn_lines_to(command.stderr(std::fs::File::create(log).expect("stderr log")))
}

fn spawn_lines_to(
    command: &mut std::process::Command,
) -> (std::process::Child, std::sync::mpsc::Receiver<String>, std::thread::JoinHandle<()>) {
    use std::io::BufRead;
    let mut child = command.stdout(std::process::Stdio::piped()).spawn().expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    (child, rx, reader)
}

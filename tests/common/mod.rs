//! Helpers shared by the integration tests: a data directory per test and
//! the real `runnel` binary pointed at it.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

/// A temporary data directory and commands that run `runnel` on it.
pub struct Sandbox {
    pub dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        Sandbox { dir: tempfile::tempdir().expect("tempdir") }
    }

    /// A sandbox with a cluster of `brokers` brokers.
    pub fn with_brokers(brokers: u32) -> Sandbox {
        let sandbox = Sandbox::new();
        sandbox.ok(&["init", "--brokers", &brokers.to_string()]);
        sandbox
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `runnel --data-dir <dir> ...`.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("runnel").expect("runnel binary");
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.path())
            .arg("--data-dir")
            .arg(self.path())
            .args(args);
        cmd
    }

    /// The same command as a plain `std::process::Command`, for children
    /// that run alongside the test (spawned, signalled, killed).
    pub fn std_cmd(&self, args: &[&str]) -> std::process::Command {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_runnel"));
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.path())
            .arg("--data-dir")
            .arg(self.path())
            .args(args);
        cmd
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
}

/// Lines of a command's output.
pub fn lines(text: &str) -> Vec<&str> {
    text.lines().collect()
}

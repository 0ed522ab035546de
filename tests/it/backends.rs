//! One definition, two backends: [`Env`] runs `runnel` either on a data dir
//! or with `--bootstrap-server` on the shared Kafka cluster
//! (`kafka_cluster`), and [`backend_tests!`] turns each `fn name(env: &Env)`
//! into a test per backend (`backend_neutral::data_dir::name`,
//! `backend_neutral::kafka::name`). Topic and group names go through
//! [`Env::name`], unique per test, since Kafka tests share one cluster.

#![allow(dead_code)]

use std::process::Output;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::common::Sandbox;

pub struct Env {
    pub sandbox: Sandbox,
    /// The bootstrap servers when the test runs against Kafka.
    pub kafka: Option<String>,
    id: String,
    /// For the `serve` variant: the `runnel serve` the commands talk to
    /// (dropped, so stopped, before the data dir it serves).
    served: Option<(crate::serve_harness::Served, Sandbox)>,
}

impl Env {
    pub fn data_dir() -> Env {
        Env::with(None)
    }

    /// `None` (the test is skipped, with a printed reason) where Kafka
    /// cannot run and `CI` is not set.
    pub fn kafka() -> Option<Env> {
        crate::kafka_cluster::bootstrap().map(|b| Env::with(Some(b.to_string())))
    }

    /// `--bootstrap-server` pointed at a `runnel serve` of its own data
    /// dir (one broker), so the Kafka backend runs against runnel itself.
    pub fn serve() -> Env {
        let data = Sandbox::with_brokers(1);
        let served = crate::serve_harness::Served::start(&data, 1);
        let mut env = Env::with(Some(served.bootstrap()));
        env.served = Some((served, data));
        env
    }

    fn with(kafka: Option<String>) -> Env {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let id = format!("{}-{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
        Env { sandbox: Sandbox::new(), kafka, id, served: None }
    }

    pub fn is_kafka(&self) -> bool {
        self.kafka.is_some()
    }

    /// A topic or group name unique to this test.
    pub fn name(&self, base: &str) -> String {
        format!("{base}-{}", self.id)
    }

    fn args<'a>(&'a self, args: &[&'a str]) -> Vec<&'a str> {
        let mut all = Vec::with_capacity(args.len() + 2);
        if let Some(b) = &self.kafka {
            all.extend(["--bootstrap-server", b.as_str()]);
        }
        all.extend_from_slice(args);
        all
    }

    pub fn std_cmd(&self, args: &[&str]) -> std::process::Command {
        self.sandbox.std_cmd(&self.args(args))
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.sandbox.run(&self.args(args))
    }

    pub fn run_with(&self, args: &[&str], input: impl Into<Vec<u8>>) -> Output {
        self.sandbox.run_with(&self.args(args), input)
    }

    pub fn ok(&self, args: &[&str]) -> String {
        self.sandbox.ok(&self.args(args))
    }

    pub fn ok_with(&self, args: &[&str], input: impl Into<Vec<u8>>) -> String {
        self.sandbox.ok_with(&self.args(args), input)
    }

    pub fn fails(&self, args: &[&str], code: i32) -> String {
        self.sandbox.fails(&self.args(args), code)
    }

    pub fn fails_with(&self, args: &[&str], input: &str, code: i32) -> String {
        self.sandbox.fails_with(&self.args(args), input, code)
    }

    /// Runs `script` with `sh -c`, its first `$RUNNEL` replaced by the
    /// `runnel` command line of this backend, in the sandbox's folder.
    pub fn shell(&self, script: &str) -> Output {
        let mut runnel = format!("'{}' --data-dir '{}'", Sandbox::bin().display(), self.sandbox.path().display());
        if let Some(b) = &self.kafka {
            runnel.push_str(&format!(" --bootstrap-server '{b}'"));
        }
        std::process::Command::new("sh")
            .args(["-c", &script.replacen("$RUNNEL", &runnel, 1)])
            .current_dir(self.sandbox.root())
            .output()
            .expect("sh")
    }

    pub fn produce(&self, topic: &str, extra: &[&str], input: impl Into<Vec<u8>>) {
        let mut args = vec!["-q", "produce", topic];
        args.extend_from_slice(extra);
        self.ok_with(&args, input);
    }

    pub fn consume(&self, topic: &str, extra: &[&str]) -> String {
        String::from_utf8(self.consume_bytes(topic, extra)).expect("utf-8 stdout")
    }

    pub fn consume_bytes(&self, topic: &str, extra: &[&str]) -> Vec<u8> {
        let mut args = vec!["-q", "consume", topic];
        args.extend_from_slice(extra);
        let out = self.sandbox.cmd(&self.args(&args)).output().expect("run runnel");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        out.stdout
    }

    pub fn consume_json(&self, topic: &str, extra: &[&str]) -> Vec<serde_json::Value> {
        let mut args = vec!["--format", "json"];
        args.extend_from_slice(extra);
        self.consume(topic, &args)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad json line {l:?}: {e}")))
            .collect()
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut all = args.to_vec();
        all.extend(["--format", "json"]);
        serde_json::from_str(&self.ok(&all)).expect("json output")
    }
}

impl Drop for Env {
    /// Against Kafka, nothing may be written to the data dir.
    fn drop(&mut self) {
        if self.kafka.is_some() && !std::thread::panicking() {
            let written: Vec<_> = std::fs::read_dir(self.sandbox.path())
                .map(|d| d.flatten().map(|e| e.path()).collect())
                .unwrap_or_default();
            assert!(written.is_empty(), "a command against Kafka wrote to the data dir: {written:?}");
        }
    }
}

/// Each listed `fn name(env: &Env)` becomes `data_dir::name`, `kafka::name`
/// and `serve::name` (the Kafka backend against `runnel serve`, groups
/// through its group coordinator).
macro_rules! backend_tests {
    ($($name:ident),* $(,)?) => {
        mod data_dir {
            $(
                #[test]
                fn $name() {
                    super::$name(&crate::backends::Env::data_dir());
                }
            )*
        }
        mod kafka {
            $(
                #[test]
                fn $name() {
                    if let Some(env) = crate::backends::Env::kafka() {
                        super::$name(&env);
                    }
                }
            )*
        }
        mod serve {
            $(
                #[test]
                fn $name() {
                    super::$name(&crate::backends::Env::serve());
                }
            )*
        }
    };
}

pub(crate) use backend_tests;

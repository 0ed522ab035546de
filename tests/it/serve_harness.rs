//! `runnel serve` for a test: started on system-chosen ports over a
//! sandbox's data dir (its stdout names each broker's address), stopped
//! with SIGTERM when dropped; [`Served::stop`] checks it exits 0.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Stdio};

use crate::common::Sandbox;

pub struct Served {
    child: Option<Child>,
    /// `HOST:PORT` of each broker, by broker id.
    pub brokers: Vec<String>,
    /// Where its stderr goes, when captured ([`Served::start_logged`]).
    log: Option<PathBuf>,
}

impl Served {
    /// Starts `runnel serve --listen 127.0.0.1:0` over `sandbox`, which
    /// holds a cluster of `brokers` brokers, and waits until it listens.
    pub fn start(sandbox: &Sandbox, brokers: u32) -> Served {
        Served::spawn(sandbox, brokers, None, false)
    }

    /// As [`Served::start`], its stderr kept in a file ([`Served::stderr`]).
    pub fn start_logged(sandbox: &Sandbox, brokers: u32) -> Served {
        Served::spawn(sandbox, brokers, Some(Served::log_file(sandbox)), false)
    }

    /// As [`Served::start_logged`], with every request logged
    /// (`--log-requests`): what a failing test shows of the server's side.
    pub fn start_traced(sandbox: &Sandbox, brokers: u32) -> Served {
        Served::spawn(sandbox, brokers, Some(Served::log_file(sandbox)), true)
    }

    /// Where [`Served::start_logged`] keeps serve's stderr.
    pub fn log_file(sandbox: &Sandbox) -> PathBuf {
        sandbox.root().join("serve.stderr")
    }

    fn spawn(sandbox: &Sandbox, brokers: u32, log: Option<PathBuf>, traced: bool) -> Served {
        let stderr = match &log {
            Some(path) => Stdio::from(std::fs::File::create(path).expect("serve's stderr file")),
            None => Stdio::inherit(),
        };
        let mut args = vec!["-q", "serve", "--listen", "127.0.0.1:0"];
        if traced {
            args.push("--log-requests");
        }
        let mut child = sandbox
            .std_cmd(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("spawn runnel serve");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let mut addrs = Vec::new();
        for _ in 0..brokers {
            let line = lines.next().expect("a listening line").expect("read");
            let addr = line.rsplit(' ').next().expect("address").to_string();
            addrs.push(addr);
        }
        Served { child: Some(child), brokers: addrs, log }
    }

    /// What it wrote on stderr so far (started with [`Served::start_logged`]).
    pub fn stderr(&self) -> String {
        self.log.as_ref().and_then(|p| std::fs::read_to_string(p).ok()).unwrap_or_default()
    }

    /// Its process id.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// Every broker, comma-separated, for `bootstrap.servers`.
    pub fn bootstrap(&self) -> String {
        self.brokers.join(",")
    }

    /// SIGTERM, then the exit code.
    pub fn stop(mut self) -> Option<i32> {
        let mut child = self.child.take()?;
        terminate(&child);
        child.wait().ok()?.code()
    }
}

fn terminate(child: &Child) {
    // SAFETY: kill(2) on our own child's pid.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
}

impl Drop for Served {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            terminate(&child);
            let _ = child.wait();
        }
        // A failing test shows the end of what serve said (with
        // `--log-requests`, the requests it received and answered, but
        // for heartbeats, fetches and metadata).
        if std::thread::panicking() {
            let log = self.stderr();
            // Not the requests every client repeats many times a second.
            let noise = [" Heartbeat v", " Fetch v", " Metadata v"];
            let lines: Vec<&str> = log.lines().filter(|l| !noise.iter().any(|n| l.contains(n))).collect();
            eprintln!("serve's stderr, its last lines:\n{}", lines[lines.len().saturating_sub(300)..].join("\n"));
        }
    }
}

//! `runnel serve` for a test: started on system-chosen ports over a
//! sandbox's data dir (its stdout names each broker's address), stopped
//! with SIGTERM when dropped; [`Served::stop`] checks it exits 0.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};

use crate::common::Sandbox;

pub struct Served {
    child: Option<Child>,
    /// `HOST:PORT` of each broker, by broker id.
    pub brokers: Vec<String>,
}

impl Served {
    /// Starts `runnel serve --listen 127.0.0.1:0` over `sandbox`, which
    /// holds a cluster of `brokers` brokers, and waits until it listens.
    pub fn start(sandbox: &Sandbox, brokers: u32) -> Served {
        let mut child = sandbox
            .std_cmd(&["-q", "serve", "--listen", "127.0.0.1:0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
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
        Served { child: Some(child), brokers: addrs }
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
    }
}

//! Support for the crash harness (`tests/it/crash.rs`) and the concurrency
//! soak (`tests/it/soak.rs`): a small seeded PRNG, `runnel` children whose
//! output is collected line by line and that can be SIGKILLed at any
//! moment, self-checking message values, and the checks of a final read
//! of the log.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::Sandbox;

/// SplitMix64: small, deterministic, good enough to pick kill points.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[lo, hi]`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next_u64() % (hi - lo + 1)
    }

    /// True with probability `num / den`.
    pub fn chance(&mut self, num: u64, den: u64) -> bool {
        self.next_u64() % den < num
    }

    /// A duration uniform in `[0, max]`.
    pub fn upto(&mut self, max: Duration) -> Duration {
        let micros = max.as_micros().max(1) as u64;
        Duration::from_micros(self.range(0, micros))
    }
}

/// The seed: `var` if set, else from the clock. Printed, so that a failure
/// (whose captured stderr cargo shows) says how to replay it.
/// Three brokers and `topic` with `partitions` partitions, replication
/// factor 3 and min.insync.replicas 2 (one broker may be down), plus a plain
/// `consume --follow` reading it from the start, in JSON.
pub fn replicated_cluster(topic: &str, partitions: u32, segment_bytes: u32) -> (Sandbox, Proc) {
    let sb = Sandbox::with_brokers(3);
    let (partitions, segment_bytes) = (partitions.to_string(), format!("segment.bytes={segment_bytes}"));
    sb.ok(&["topic", "create", topic, "--partitions", &partitions, "--replication-factor", "3"]
        .into_iter()
        .chain(["--config", "min.insync.replicas=2", "--config", &segment_bytes])
        .collect::<Vec<_>>());
    let follower = Proc::spawn(&sb, &["-q", "consume", topic, "--follow", "--format", "json"], None);
    (sb, follower)
}

pub fn seed_from_env(var: &str) -> u64 {
    let seed = match std::env::var(var) {
        Ok(s) => s.trim().parse().unwrap_or_else(|_| panic!("{var}={s:?} is not a number")),
        Err(_) => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(42),
    };
    eprintln!("seed {seed} (replay with {var}={seed})");
    seed
}

pub fn env_number(var: &str, default: u64) -> u64 {
    std::env::var(var).ok().and_then(|s| s.trim().parse().ok()).unwrap_or(default)
}

// ---- Message values -------------------------------------------------------

/// The value of message `i` of producer run `run`: unique, and every byte
/// checkable, so a partial value cannot pass [`parse_value`].
pub fn value(run: u64, i: u64) -> String {
    let pad = 8 + (run.wrapping_mul(31) ^ i.wrapping_mul(17)) % 57;
    format!("m{run}-{i}-{}-end", "x".repeat(pad as usize))
}

/// `(run, i)` of a whole value made by [`value`], else `None`.
pub fn parse_value(v: &str) -> Option<(u64, u64)> {
    let rest = v.strip_prefix('m')?;
    let mut parts = rest.splitn(3, '-');
    let run = parts.next()?.parse().ok()?;
    let i = parts.next()?.parse().ok()?;
    (value(run, i) == v).then_some((run, i))
}

/// stdin for one producer run: `n` lines.
pub fn input(run: u64, n: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(n as usize * 60);
    for i in 0..n {
        out.extend_from_slice(value(run, i).as_bytes());
        out.push(b'\n');
    }
    out
}

// ---- Children --------------------------------------------------------------

/// A `runnel` child: stdin fed by a thread (if given), stdout collected as
/// lines by a thread, stderr collected. A line the child had not finished
/// writing when it died (no newline) is kept apart in `partial`.
pub struct Proc {
    pub child: Child,
    pub started: Instant,
    lines: Arc<Mutex<Vec<String>>>,
    partial: Arc<Mutex<Option<String>>>,
    stdin: Option<JoinHandle<()>>,
    stdout: Option<JoinHandle<()>>,
    stderr: Option<JoinHandle<String>>,
}

/// How a [`Proc`] ended.
pub struct Ended {
    pub status: ExitStatus,
    pub lines: Vec<String>,
    /// A last line without its newline (only a killed child may leave one).
    pub partial: Option<String>,
    pub stderr: String,
    pub took: Duration,
}

impl Ended {
    pub fn killed(&self) -> bool {
        use std::os::unix::process::ExitStatusExt;
        self.status.signal() == Some(libc::SIGKILL)
    }
}

impl Proc {
    pub fn spawn(sb: &Sandbox, args: &[&str], stdin: Option<Vec<u8>>) -> Proc {
        let mut cmd = sb.std_cmd(args);
        cmd.stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap_or_else(|e| panic!("spawn runnel {args:?}: {e}"));
        let started = Instant::now();
        let stdin = stdin.map(|data| {
            let mut pipe = child.stdin.take().expect("stdin");
            std::thread::spawn(move || {
                // Several writes, so that a kill lands mid-stream; a killed
                // child closes the pipe, which ends the writes.
                for chunk in data.chunks(64 * 1024) {
                    if pipe.write_all(chunk).is_err() {
                        return;
                    }
                }
            })
        });
        let lines: Arc<Mutex<Vec<String>>> = Arc::default();
        let partial: Arc<Mutex<Option<String>>> = Arc::default();
        let out = child.stdout.take().expect("stdout");
        let (sink, part) = (Arc::clone(&lines), Arc::clone(&partial));
        let stdout = std::thread::spawn(move || {
            let mut reader = BufReader::with_capacity(256 * 1024, out);
            let mut buf = Vec::new();
            loop {
                buf.clear();
                match reader.read_until(b'\n', &mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {
                        let text = String::from_utf8_lossy(&buf).into_owned();
                        match text.strip_suffix('\n') {
                            Some(line) => sink.lock().expect("lines").push(line.to_string()),
                            None => *part.lock().expect("partial") = Some(text),
                        }
                    }
                }
            }
        });
        let mut err = child.stderr.take().expect("stderr");
        let stderr = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = err.read_to_string(&mut text);
            text
        });
        Proc { child, started, lines, partial, stdin, stdout: Some(stdout), stderr: Some(stderr) }
    }

    pub fn pid(&self) -> i32 {
        self.child.id() as i32
    }

    pub fn count(&self) -> usize {
        self.lines.lock().expect("lines").len()
    }

    pub fn signal(&self, signal: i32) {
        // SAFETY: kill(2) on our own child's pid; no memory is involved.
        unsafe { libc::kill(self.pid(), signal) };
    }

    pub fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// SIGKILL now (if it still runs), then [`Proc::wait`].
    pub fn kill9(mut self) -> Ended {
        if self.running() {
            self.signal(libc::SIGKILL);
        }
        self.wait(Duration::from_secs(60))
    }

    /// Waits for the end (panics after `limit`), then for its output.
    pub fn wait(mut self, limit: Duration) -> Ended {
        let deadline = Instant::now() + limit;
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                break status;
            }
            if Instant::now() >= deadline {
                self.signal(libc::SIGKILL);
                panic!("runnel child {} did not end within {limit:?}", self.pid());
            }
            std::thread::sleep(Duration::from_millis(2));
        };
        let took = self.started.elapsed();
        let _ = self.stdin.take().map(JoinHandle::join);
        let _ = self.stdout.take().map(JoinHandle::join);
        let stderr = self.stderr.take().map(|t| t.join().unwrap_or_default()).unwrap_or_default();
        let lines = std::mem::take(&mut *self.lines.lock().expect("lines"));
        let partial = self.partial.lock().expect("partial").take();
        Ended { status, lines, partial, stderr, took }
    }

    /// Kills it at `after` from its start (or lets it finish first).
    pub fn kill_at(mut self, after: Duration) -> Ended {
        let deadline = self.started + after;
        while Instant::now() < deadline && self.running() {
            std::thread::sleep(Duration::from_micros(500));
        }
        self.kill9()
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        if self.running() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

// ---- Records and checks ----------------------------------------------------

/// One record of `consume --format json`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Rec {
    pub partition: u64,
    pub offset: u64,
    pub value: String,
}

/// Parses a `consume --format json` line; panics, naming `who`, on a line
/// that is not a whole envelope with a whole known value (invariant: no
/// partial frame or record is ever visible).
pub fn parse_rec(line: &str, who: &str) -> Rec {
    let m: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{who}: partial or bad line {line:?}: {e}"));
    let value = m["value"].as_str().unwrap_or_else(|| panic!("{who}: no value in {line}")).to_string();
    assert!(parse_value(&value).is_some(), "{who}: partial or unknown value {value:?}");
    let partition = m["partition"].as_u64().unwrap_or_else(|| panic!("{who}: no partition in {line}"));
    let offset = m["offset"].as_u64().unwrap_or_else(|| panic!("{who}: no offset in {line}"));
    Rec { partition, offset, value }
}

/// The final read of a topic: every record, checked (offsets contiguous
/// from the log start per partition, whole values, no value twice).
pub struct FinalLog {
    /// (partition, offset) -> value.
    pub records: BTreeMap<(u64, u64), String>,
    /// Every (run, i) in the log.
    pub ids: BTreeSet<(u64, u64)>,
}

impl FinalLog {
    pub fn read(sb: &Sandbox, topic: &str, partitions: u64) -> FinalLog {
        let out = sb.run(&["-q", "consume", topic, "--format", "json"]);
        assert!(out.status.success(), "final consume failed: {}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8(out.stdout).expect("utf-8 stdout");
        let mut next: BTreeMap<u64, u64> = (0..partitions).map(|p| (p, 0)).collect();
        let mut records = BTreeMap::new();
        let mut ids = BTreeSet::new();
        for line in text.lines() {
            let r = parse_rec(line, "final consume");
            let expected = next.get_mut(&r.partition).expect("known partition");
            assert_eq!(r.offset, *expected, "partition {}: offsets not contiguous", r.partition);
            *expected += 1;
            let id = parse_value(&r.value).expect("checked");
            assert!(
                ids.insert(id),
                "duplicate in the log: {} (partition {} offset {})",
                r.value,
                r.partition,
                r.offset
            );
            records.insert((r.partition, r.offset), r.value);
        }
        // The log ends where `topic describe` says.
        let d = sb.describe(topic);
        for p in d["partitions"].as_array().expect("partitions") {
            let (pn, hw) = (p["partition"].as_u64().expect("p"), p["high_watermark"].as_u64().expect("hw"));
            assert_eq!(next[&pn], hw, "partition {pn}: read up to {} but the high watermark is {hw}", next[&pn]);
        }
        FinalLog { records, ids }
    }

    /// A `consume --follow` that ran throughout: waits (at most a minute)
    /// until it has printed the whole log, kills it, and checks it saw every
    /// record once, in order, as the log holds it. Returns how many it saw.
    pub fn check_follower(&self, follower: Proc) -> u64 {
        let total = self.records.len();
        let deadline = Instant::now() + Duration::from_secs(60);
        while follower.count() < total && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        let ended = follower.kill9();
        let seen: Vec<Rec> = ended.lines.iter().map(|l| parse_rec(l, "follower")).collect();
        assert_eq!(seen.len(), total, "the follower saw every record, once");
        check_contiguous("follower", &seen);
        self.check_seen("follower", &seen);
        seen.len() as u64
    }

    /// Every record a reader saw is the record the log holds at that place.
    pub fn check_seen(&self, who: &str, seen: &[Rec]) {
        for r in seen {
            match self.records.get(&(r.partition, r.offset)) {
                Some(v) if *v == r.value => {}
                other => panic!(
                    "{who} saw {:?} at partition {} offset {}, the log holds {other:?}",
                    r.value, r.partition, r.offset
                ),
            }
        }
    }
}

/// Per-partition offsets of a group member's output only go up. (Not
/// contiguous: a member can lose a partition in a rebalance and get it back
/// later at what another member committed meanwhile; that the group as a
/// whole printed every record is checked at the end of a round.)
pub fn check_increasing(who: &str, seen: &[Rec]) {
    let mut last: BTreeMap<u64, u64> = BTreeMap::new();
    for r in seen {
        if let Some(prev) = last.insert(r.partition, r.offset) {
            assert!(r.offset > prev, "{who}: partition {} went back from offset {prev} to {}", r.partition, r.offset);
        }
    }
}

/// Per-partition offsets of one reader's output are contiguous (each next
/// offset follows the one before; the first may be anywhere).
pub fn check_contiguous(who: &str, seen: &[Rec]) {
    let mut last: BTreeMap<u64, u64> = BTreeMap::new();
    for r in seen {
        if let Some(prev) = last.insert(r.partition, r.offset) {
            assert_eq!(
                r.offset,
                prev + 1,
                "{who}: partition {} jumped from offset {prev} to {}",
                r.partition,
                r.offset
            );
        }
    }
}

/// `group describe G --format json` committed offsets per partition, or
/// `None` while the group does not exist.
pub fn committed(sb: &Sandbox, group: &str) -> Option<BTreeMap<u64, u64>> {
    let out = sb.run(&["group", "describe", group, "--format", "json"]);
    if out.status.code() == Some(66) {
        return None;
    }
    assert!(out.status.success(), "group describe: {}", String::from_utf8_lossy(&out.stderr));
    let d: Value = serde_json::from_slice(&out.stdout).expect("describe json");
    let mut map = BTreeMap::new();
    for o in d["offsets"].as_array().expect("offsets") {
        if let Some(c) = o["committed"].as_u64() {
            map.insert(o["partition"].as_u64().expect("partition"), c);
        }
    }
    Some(map)
}

/// The brokers `broker list` shows down.
pub fn down_brokers(sb: &Sandbox) -> Vec<u64> {
    let v: Value = serde_json::from_str(&sb.ok(&["broker", "list", "--format", "json"])).expect("broker json");
    v.as_array()
        .expect("brokers")
        .iter()
        .filter(|b| b["status"] == "down")
        .map(|b| b["id"].as_u64().expect("id"))
        .collect()
}

/// `log verify` exits 0 (torn tails are allowed, they are not damage).
pub fn verify_clean(sb: &Sandbox) -> String {
    let out = sb.run(&["log", "verify"]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "log verify: {text}\n{}", String::from_utf8_lossy(&out.stderr));
    text
}

/// Every in-sync replica of every partition holds exactly the leader's
/// frames (offsets, record counts, epochs, checksums). Consumers read only
/// the leader, so a follower that differs would go unnoticed until it
/// leads. A follower may go on past the leader's end: a writer killed
/// between the followers and the leader leaves such a tail, never
/// acknowledged, for the next writer to cut. Returns how many frames were
/// compared.
pub fn check_replicas_agree(sb: &Sandbox, topic: &str) -> u64 {
    let frames = |broker: u64, partition: u64| -> Vec<(u64, u64, u64, String)> {
        let dir = sb.replica_dir(broker as u32, topic, partition as u32);
        let text = sb.ok(&["log", "dump", dir.to_str().expect("utf-8 path"), "--no-records", "--format", "json"]);
        text.lines()
            .map(|l| {
                let f: Value = serde_json::from_str(l).expect("log dump json");
                let n = |k: &str| f[k].as_u64().unwrap_or_else(|| panic!("log dump: no {k} in {l}"));
                (n("baseOffset"), n("count"), n("epoch"), f["crc"].as_str().expect("crc").to_string())
            })
            .collect()
    };
    let mut compared = 0;
    let d = sb.describe(topic);
    for p in d["partitions"].as_array().expect("partitions") {
        let partition = p["partition"].as_u64().expect("partition");
        let Some(leader) = p["leader"].as_u64() else { continue };
        let lead = frames(leader, partition);
        for b in p["isr"].as_array().expect("isr").iter().map(|b| b.as_u64().expect("broker")) {
            if b == leader {
                continue;
            }
            let copy = frames(b, partition);
            if copy.get(..lead.len()) != Some(&lead[..]) {
                let at = copy.iter().zip(&lead).position(|(a, b)| a != b).unwrap_or(copy.len().min(lead.len()));
                panic!(
                    "partition {partition}: in-sync replica {b} differs from the leader {leader} at frame {at}: {:?} vs {:?}",
                    copy.get(at),
                    lead.get(at)
                );
            }
            compared += lead.len() as u64;
        }
    }
    compared
}

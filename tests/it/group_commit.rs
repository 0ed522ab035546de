//! Cross-process group commit with real processes: eight loops of
//! one-message producers on one replicated partition, some killed with
//! SIGKILL at random points (while appending, while waiting for another's
//! fsync, while holding the turn to sync). Every producer that exited 0 has
//! its message on the partition afterwards, exactly once; none hangs on a
//! turn a killed process held; the data dir verifies.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::common::Sandbox;
use crate::harness::{Rng, seed_from_env};

const LOOPS: usize = 8;
const PER_LOOP: usize = 12;

#[test]
fn concurrent_one_message_producers_killed_at_random_keep_every_acknowledged_message() {
    let mut seed_rng = Rng::new(seed_from_env("RUNNEL_GROUP_COMMIT_SEED"));
    let sb = Sandbox::with_brokers(2);
    sb.ok(&["topic", "create", "t", "--replication-factor", "2"]);
    let threads: Vec<_> = (0..LOOPS)
        .map(|l| {
            let mut rng = Rng::new(seed_rng.next_u64());
            let cmd = sb.std_cmd(&["-q", "produce", "t"]);
            let (program, args): (std::path::PathBuf, Vec<std::ffi::OsString>) =
                (cmd.get_program().into(), cmd.get_args().map(Into::into).collect());
            let envs: Vec<_> = cmd.get_envs().map(|(k, v)| (k.to_owned(), v.map(ToOwned::to_owned))).collect();
            std::thread::spawn(move || {
                let mut outcomes = Vec::new();
                for i in 0..PER_LOOP {
                    let mut child = std::process::Command::new(&program);
                    child.env_clear().args(&args);
                    for (k, v) in &envs {
                        if let Some(v) = v {
                            child.env(k, v);
                        }
                    }
                    let mut child = child
                        .stdin(Stdio::piped())
                        .stdout(Stdio::null())
                        .stderr(Stdio::piped())
                        .spawn()
                        .expect("spawn");
                    let value = format!("loop{l}-msg{i:03}");
                    child.stdin.take().expect("stdin").write_all(format!("{value}\n").as_bytes()).expect("write");
                    // A third are killed, at a moment anywhere in their life.
                    if rng.chance(1, 3) {
                        std::thread::sleep(rng.upto(Duration::from_millis(25)));
                        let _ = child.kill();
                    }
                    let out = child.wait_with_output().expect("wait");
                    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
                    outcomes.push((value, out.status.code(), stderr));
                }
                outcomes
            })
        })
        .collect();
    let started = Instant::now();
    let mut acknowledged = BTreeSet::new();
    let mut killed = 0;
    for thread in threads {
        for (value, code, stderr) in thread.join().expect("loop") {
            match code {
                Some(0) => {
                    acknowledged.insert(value);
                }
                None => killed += 1,
                Some(other) => panic!("{value}: exit {other}: {stderr}"),
            }
        }
    }
    assert!(started.elapsed() < Duration::from_secs(120), "the loops took {:?}", started.elapsed());
    assert!(!acknowledged.is_empty() && killed > 0, "{} acknowledged, {killed} killed", acknowledged.len());
    // A writer after them all: no turn or lock is left held by the dead.
    sb.ok_with(&["-q", "produce", "t"], "after\n");
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for line in sb.consume("t", &["--format", "value"]).lines() {
        *seen.entry(line.to_string()).or_default() += 1;
    }
    for value in &acknowledged {
        assert_eq!(seen.get(value), Some(&1), "acknowledged {value} is not there exactly once");
    }
    assert!(seen.values().all(|&n| n == 1), "a message appears twice: {seen:?}");
    assert_eq!(seen.get("after"), Some(&1));
    sb.ok(&["log", "verify"]);
}

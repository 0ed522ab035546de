//! Cross-process group commit with real processes: eight loops of
//! one-message producers on one replicated partition, some killed with
//! SIGKILL at random points (while appending, while waiting for another's
//! fsync, while holding the turn to sync). Every producer that exited 0 has
//! its message on the partition afterwards, exactly once; none hangs on a
//! turn a killed process held; the data dir verifies. And the same loops
//! with every fsync failing: none exits 0, since nothing was made durable.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::common::Sandbox;
use crate::harness::{Rng, seed_from_env};

const LOOPS: usize = 8;
const PER_LOOP: usize = 12;

/// What one producer of a loop did: its message, exit code (`None`:
/// killed) and stderr.
type Outcome = (String, Option<i32>, String);

/// Runs `LOOPS` concurrent loops of `per_loop` one-message producers on
/// topic `t`, each with `env` set; a third of them are killed at a random
/// moment if `kill`.
fn run_loops(sb: &Sandbox, seed_rng: &mut Rng, per_loop: usize, kill: bool, env: &[(&str, &str)]) -> Vec<Outcome> {
    let threads: Vec<_> = (0..LOOPS)
        .map(|l| {
            let mut rng = Rng::new(seed_rng.next_u64());
            let mut cmd = sb.std_cmd(&["-q", "produce", "t"]);
            cmd.envs(env.iter().copied());
            let (program, args): (std::path::PathBuf, Vec<std::ffi::OsString>) =
                (cmd.get_program().into(), cmd.get_args().map(Into::into).collect());
            let envs: Vec<_> = cmd.get_envs().map(|(k, v)| (k.to_owned(), v.map(ToOwned::to_owned))).collect();
            std::thread::spawn(move || {
                let mut outcomes = Vec::new();
                for i in 0..per_loop {
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
                    if kill && rng.chance(1, 3) {
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
    threads.into_iter().flat_map(|t| t.join().expect("loop")).collect()
}

#[test]
fn concurrent_one_message_producers_killed_at_random_keep_every_acknowledged_message() {
    let mut seed_rng = Rng::new(seed_from_env("RUNNEL_GROUP_COMMIT_SEED"));
    let sb = Sandbox::with_brokers(2);
    sb.ok(&["topic", "create", "t", "--replication-factor", "2"]);
    let started = Instant::now();
    let mut acknowledged = BTreeSet::new();
    let mut killed = 0;
    for (value, code, stderr) in run_loops(&sb, &mut seed_rng, PER_LOOP, true, &[]) {
        match code {
            Some(0) => {
                acknowledged.insert(value);
            }
            None => killed += 1,
            Some(other) => panic!("{value}: exit {other}: {stderr}"),
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

/// Every fsync fails (`RUNNEL_FAULT_FSYNC=fail`) in every producer: no
/// frame is ever durable, so none may be taken as covered by another's
/// fsync — every producer, waiting for a failed sync or not, exits 74.
/// Recording a failed fsync as durable, or skipping a sync that nothing
/// covered, makes one of them exit 0.
#[test]
fn concurrent_producers_whose_fsyncs_all_fail_all_fail() {
    let mut seed_rng = Rng::new(seed_from_env("RUNNEL_GROUP_COMMIT_SEED"));
    let sb = Sandbox::with_brokers(2);
    sb.ok(&["topic", "create", "t", "--replication-factor", "2"]);
    let outcomes = run_loops(&sb, &mut seed_rng, PER_LOOP / 2, false, &[("RUNNEL_FAULT_FSYNC", "fail")]);
    for (value, code, stderr) in &outcomes {
        assert_eq!(*code, Some(74), "{value} was acknowledged though no fsync succeeded: {stderr}");
        assert!(stderr.contains("cannot fsync"), "{value}: {stderr}");
    }
    // The failures left nothing behind that a healthy writer trips on.
    sb.ok_with(&["-q", "produce", "t"], "after\n");
    sb.ok(&["log", "verify"]);
}

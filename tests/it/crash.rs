//! The crash harness (redb's and sled's crash tests, Kafka's system tests
//! are the models): through the real binary, SIGKILL at seeded random
//! points of producers fed a large stdin, group members, `broker recover`
//! mid catch-up of a large backlog (RF 3) and `group reset-offsets
//! --execute`, many times over on one data dir, with a plain `consume
//! --follow` reading throughout. Then the invariants:
//!
//! (a) every message of a produce that exited 0 is in the log exactly once;
//!     messages of killed producers are present or absent, never twice;
//!     every value is a whole original line;
//! (b) offsets are contiguous per partition, up to the high watermark;
//! (c) no partial frame is ever visible: the concurrent follower and every
//!     group member print only whole known values, at the offsets the final
//!     log holds them, contiguous per partition;
//! (d) committed group offsets never go back, except by a reset (polled
//!     with `group describe --format json` after every iteration);
//! (e) `log verify` exits 0 afterwards;
//! (f) every in-sync follower holds exactly the leader's frames, up to the
//!     leader's end (consumers read only the leader: a follower that
//!     differs would lose data only once it leads);
//!
//! and at-least-once for the group: every record of the log was printed by
//! some member (the killed ones, then one final draining member).
//!
//! `RUNNEL_CRASH_SEED` replays a run (the seed is printed first);
//! `RUNNEL_CRASH_ITERATIONS` sets the long run's length (default 300):
//! `cargo test --test it crash::crash_harness_soak -- --ignored --nocapture`.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use crate::common::Sandbox;
use crate::harness::{
    self, FinalLog, Proc, Rec, Rng, check_increasing, committed, down_brokers, parse_rec, parse_value,
};

const TOPIC: &str = "t";
const PARTITIONS: u64 = 6;
const GROUP: &str = "g";
/// Iterations per data dir: a long run is split into rounds, each on a
/// fresh data dir and checked at its end, so the log stays small.
const ROUND: u64 = 50;

/// What a round did, summed over rounds for the report.
#[derive(Default, Debug)]
struct Figures {
    iterations: u64,
    /// Processes SIGKILLed while still running, by kind.
    killed: BTreeMap<&'static str, u64>,
    /// Processes that had ended before their kill point, by kind.
    finished: BTreeMap<&'static str, u64>,
    messages_checked: u64,
    acked: u64,
    /// Frames of in-sync followers found equal to the leader's, (f).
    replica_frames_compared: u64,
    /// Records group members printed more than once, all causes.
    group_rereads: u64,
    /// Of those, the records resets moved the committed offsets back over.
    reset_rewound: u64,
    partial_lines_of_killed: u64,
    follower_lines: u64,
    /// Killed producer runs by how much of their input reached the log:
    /// [none, some, all].
    killed_runs_present: [u64; 3],
    /// Killed `broker recover` runs by where the kill landed.
    recover_kill_points: BTreeMap<&'static str, u64>,
}

struct Round<'a> {
    sb: Sandbox,
    rng: &'a mut Rng,
    figures: &'a mut Figures,
    next_run: u64,
    /// Producer runs: run -> (messages, exited 0).
    runs: BTreeMap<u64, (u64, bool)>,
    group_seen: Vec<Rec>,
    max_committed: BTreeMap<u64, u64>,
    /// Expected duration of each kind of command, to aim kills inside it.
    est: BTreeMap<&'static str, Duration>,
    follower: Option<Proc>,
    /// A broker whose `broker recover` was killed.
    pending_recover: Option<u32>,
}

impl<'a> Round<'a> {
    fn new(rng: &'a mut Rng, figures: &'a mut Figures) -> Round<'a> {
        let (sb, follower) = harness::replicated_cluster(TOPIC, PARTITIONS as u32, 262144);
        let est = [("produce", 60), ("member", 600), ("recover", 60), ("reset", 20)]
            .into_iter()
            .map(|(k, ms)| (k, Duration::from_millis(ms)))
            .collect();
        Round {
            sb,
            rng,
            figures,
            next_run: 0,
            runs: BTreeMap::new(),
            group_seen: Vec::new(),
            max_committed: BTreeMap::new(),
            est,
            follower: Some(follower),
            pending_recover: None,
        }
    }

    fn new_run(&mut self) -> u64 {
        self.next_run += 1;
        self.next_run
    }

    /// Kills `proc` at a random point of its expected run time; counts it.
    fn kill_somewhere(&mut self, kind: &'static str, proc: Proc) -> harness::Ended {
        let est = self.est[kind];
        let at = self.rng.upto(est + est / 3);
        let ended = proc.kill_at(at);
        if ended.killed() {
            *self.figures.killed.entry(kind).or_default() += 1;
        } else {
            *self.figures.finished.entry(kind).or_default() += 1;
            if ended.status.success() {
                // Learn how long a whole run takes (a moving average).
                let e = self.est.get_mut(kind).expect("kind");
                *e = (*e * 3 + ended.took) / 4;
            }
        }
        ended
    }

    /// A produce that must succeed; returns its run.
    fn produce_acked(&mut self, n: u64) -> u64 {
        let run = self.new_run();
        let out = self.sb.run_with(&["-q", "produce", TOPIC, "--acks", "all"], harness::input(run, n));
        assert!(out.status.success(), "produce failed: {}", String::from_utf8_lossy(&out.stderr));
        self.runs.insert(run, (n, true));
        run
    }

    /// A producer fed a large stdin, killed mid-stream.
    fn kill_producer(&mut self) {
        let run = self.new_run();
        let n = self.rng.range(2_000, 20_000);
        let p = Proc::spawn(&self.sb, &["-q", "produce", TOPIC, "--acks", "all"], Some(harness::input(run, n)));
        let ended = self.kill_somewhere("produce", p);
        assert!(
            ended.killed() || ended.status.success(),
            "run {run}: a producer failed on its own: {:?} {}",
            ended.status,
            ended.stderr
        );
        assert!(!ended.stderr.contains("panicked"), "{}", ended.stderr);
        self.runs.insert(run, (n, ended.status.success()));
    }

    /// One or two group members, each killed at a random point.
    fn kill_members(&mut self) {
        if self.rng.chance(1, 2) {
            let n = self.rng.range(500, 5_000);
            self.produce_acked(n);
        }
        let count = self.rng.range(1, 2);
        let members: Vec<Proc> = (0..count)
            .map(|_| {
                Proc::spawn(
                    &self.sb,
                    &[
                        "-q",
                        "consume",
                        TOPIC,
                        "--group",
                        GROUP,
                        "--follow",
                        "--format",
                        "json",
                        "--session-timeout",
                        "60s",
                    ],
                    None,
                )
            })
            .collect();
        for (i, m) in members.into_iter().enumerate() {
            let ended = self.kill_somewhere("member", m);
            assert!(ended.killed(), "member {i} ended on its own: {:?} {}", ended.status, ended.stderr);
            self.take_group_output("killed member", ended);
        }
    }

    fn take_group_output(&mut self, who: &str, ended: harness::Ended) {
        let recs: Vec<Rec> = ended.lines.iter().map(|l| parse_rec(l, who)).collect();
        check_increasing(who, &recs);
        if ended.partial.is_some() {
            assert!(ended.killed(), "{who} left a partial line without being killed: {:?}", ended.partial);
            self.figures.partial_lines_of_killed += 1;
        }
        self.group_seen.extend(recs);
    }

    fn recover_fully(&mut self, broker: u32) {
        let out = self.sb.run(&["-q", "broker", "recover", &broker.to_string()]);
        assert!(out.status.success(), "broker recover {broker}: {}", String::from_utf8_lossy(&out.stderr));
        self.pending_recover = None;
    }

    /// `broker fail B`, a large backlog, then `broker recover B` killed mid
    /// catch-up.
    fn kill_recover(&mut self) {
        if let Some(b) = self.pending_recover {
            self.recover_fully(b);
        }
        let b = self.rng.range(0, 2) as u32;
        self.sb.ok(&["-q", "broker", "fail", &b.to_string()]);
        let n = self.rng.range(20_000, 60_000);
        self.produce_acked(n);
        let p = Proc::spawn(&self.sb, &["-q", "broker", "recover", &b.to_string()], None);
        let ended = self.kill_somewhere("recover", p);
        assert!(ended.killed() || ended.status.success(), "broker recover {b}: {:?} {}", ended.status, ended.stderr);
        if ended.killed() {
            // Where the kill landed: before the broker was marked up, with
            // some of its replicas still out of the ISR, or after them all.
            let point = if down_brokers(&self.sb).contains(&u64::from(b)) {
                "before marking the broker up"
            } else {
                let d = self.sb.describe(TOPIC);
                let parts = d["partitions"].as_array().expect("partitions");
                let behind = parts.iter().filter(|p| !p["isr"].as_array().expect("isr").contains(&b.into())).count();
                if behind > 0 { "mid catch-up" } else { "after every replica rejoined" }
            };
            *self.figures.recover_kill_points.entry(point).or_default() += 1;
        }
        self.pending_recover = Some(b);
        if self.rng.chance(1, 2) {
            self.recover_fully(b);
        }
    }

    /// `group reset-offsets --execute`, killed at a random point.
    fn kill_reset(&mut self) {
        let Some(before) = committed(&self.sb, GROUP) else { return };
        // A shift needs every partition's committed offset (Kafka's tool
        // refuses it otherwise, and so does runnel): with a
        // partition not committed yet, the draw is a move to the earliest.
        let every_partition = before.len() as u64 == PARTITIONS;
        let spec: Vec<String> = match self.rng.range(0, 2) {
            1 if !every_partition => vec!["--to-earliest".into()],
            0 => vec!["--to-earliest".into()],
            1 => vec!["--shift-by".into(), format!("-{}", self.rng.range(1, 3_000))],
            _ => {
                let low = before.values().copied().min().unwrap_or(0);
                vec!["--to-offset".into(), self.rng.range(0, low).to_string()]
            }
        };
        let mut args = vec!["-q", "group", "reset-offsets", GROUP, "--topic", TOPIC, "--execute"];
        args.extend(spec.iter().map(String::as_str));
        let p = Proc::spawn(&self.sb, &args, None);
        let ended = self.kill_somewhere("reset", p);
        assert!(ended.killed() || ended.status.success(), "reset-offsets: {:?} {}", ended.status, ended.stderr);
        let after = committed(&self.sb, GROUP).unwrap_or_default();
        for (p, b) in &before {
            let a = after.get(p).copied().unwrap_or(0);
            self.figures.reset_rewound += b.saturating_sub(a);
        }
        // A reset may move offsets back: the new values are the new floor.
        self.max_committed = after;
    }

    /// (d): committed offsets never went back since the last look.
    fn check_committed(&mut self, ctx: &str) {
        let Some(now) = committed(&self.sb, GROUP) else { return };
        for (p, max) in &self.max_committed {
            let c = now.get(p).copied();
            assert!(
                c.is_some_and(|c| c >= *max),
                "{ctx}: partition {p} committed offset went back from {max} to {c:?}"
            );
        }
        self.max_committed = now;
    }

    fn iteration(&mut self, i: u64) {
        let action = self.rng.range(0, 99);
        let what = match action {
            0..=39 => {
                self.kill_producer();
                "producer"
            }
            40..=69 => {
                self.kill_members();
                "members"
            }
            70..=84 => {
                self.kill_recover();
                "recover"
            }
            _ => {
                self.kill_reset();
                "reset"
            }
        };
        self.check_committed(&format!("iteration {i} ({what})"));
        let follower = self.follower.as_mut().expect("follower");
        if !follower.running() {
            let ended = self.follower.take().expect("follower").wait(Duration::from_secs(5));
            panic!("the following consumer died ({}): {}", ended.status, ended.stderr);
        }
        self.figures.iterations += 1;
    }

    /// The end of a round: recover, verify, read everything back, check.
    fn finish(mut self) {
        if let Some(b) = self.pending_recover {
            self.recover_fully(b);
        }
        for b in down_brokers(&self.sb) {
            self.recover_fully(b as u32);
        }
        harness::verify_clean(&self.sb);
        let log = FinalLog::read(&self.sb, TOPIC, PARTITIONS);

        // (a) acked messages all there (once: FinalLog refuses duplicates);
        // every value from a run that was started, of its own range.
        for id in &log.ids {
            let (n, _) = self.runs.get(&id.0).unwrap_or_else(|| panic!("value of an unknown run {id:?}"));
            assert!(id.1 < *n, "value {id:?} beyond its run's {n} lines");
        }
        let mut lost = Vec::new();
        for (run, (n, acked)) in &self.runs {
            if *acked {
                self.figures.acked += n;
                lost.extend((0..*n).map(|i| (*run, i)).filter(|id| !log.ids.contains(id)).take(3));
            }
        }
        assert!(lost.is_empty(), "acked messages lost, e.g. {lost:?}");
        // (f) no in-sync follower differs from its leader.
        self.figures.replica_frames_compared += harness::check_replicas_agree(&self.sb, TOPIC);
        for (run, (n, acked)) in &self.runs {
            if !*acked {
                let present = log.ids.range((*run, 0)..(*run + 1, 0)).count() as u64;
                let slot = if present == 0 {
                    0
                } else if present < *n {
                    1
                } else {
                    2
                };
                self.figures.killed_runs_present[slot] += 1;
            }
        }
        // A producer's messages keep their order within a partition.
        let mut last: BTreeMap<(u64, u64), u64> = BTreeMap::new();
        for ((p, o), v) in &log.records {
            let (run, i) = parse_value(v).expect("checked");
            if let Some(prev) = last.insert((*p, run), i) {
                assert!(i > prev, "partition {p} offset {o}: run {run} message {i} after {prev}");
            }
        }

        // (c) the follower saw only whole records, where the log holds them.
        self.figures.follower_lines += log.check_follower(self.follower.take().expect("follower"));

        // Drain the group with one last member; then at-least-once.
        let drain = Proc::spawn(&self.sb, &["-q", "consume", TOPIC, "--group", GROUP, "--format", "json"], None);
        let ended = drain.wait(Duration::from_secs(120));
        assert!(ended.status.success(), "draining member: {:?} {}", ended.status, ended.stderr);
        self.take_group_output("draining member", ended);
        log.check_seen("group member", &self.group_seen);
        let distinct: BTreeSet<(u64, u64)> = self.group_seen.iter().map(|r| (r.partition, r.offset)).collect();
        let missed: Vec<_> = log.records.keys().filter(|k| !distinct.contains(k)).take(5).collect();
        assert!(missed.is_empty(), "records the group never printed, e.g. {missed:?}");
        let after = committed(&self.sb, GROUP).unwrap_or_default();
        for p in 0..PARTITIONS {
            let end = log.records.range((p, 0)..(p + 1, 0)).count() as u64;
            assert_eq!(after.get(&p).copied().unwrap_or(0), end, "partition {p}: the drained group committed the end");
        }
        self.figures.group_rereads += (self.group_seen.len() - distinct.len()) as u64;
        self.figures.messages_checked += log.records.len() as u64;
    }
}

fn run(iterations: u64) {
    let seed = harness::seed_from_env("RUNNEL_CRASH_SEED");
    let mut rng = Rng::new(seed);
    let mut figures = Figures::default();
    let start = Instant::now();
    let mut done = 0;
    while done < iterations {
        let n = ROUND.min(iterations - done);
        let mut round = Round::new(&mut rng, &mut figures);
        for i in done..done + n {
            round.iteration(i);
        }
        round.finish();
        done += n;
    }
    eprintln!("crash harness, seed {seed}, {:?}: {figures:#?}", start.elapsed());
}

#[test]
fn crash_harness_kills_producers_members_recovery_and_resets() {
    run(30);
}

#[test]
#[ignore = "long: RUNNEL_CRASH_ITERATIONS (default 300) kill iterations"]
fn crash_harness_soak() {
    run(harness::env_number("RUNNEL_CRASH_ITERATIONS", 300));
}

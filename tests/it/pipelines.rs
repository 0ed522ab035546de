//! `consume --group G --exec CMD` (issue 19): real runnel processes running
//! real shell commands. Offsets are committed only after the command
//! succeeded; a failing record is retried, then dead-lettered with headers
//! saying where it came from, or stops the member (exit 123) with the
//! offsets just before it; kill -9 of runnel or of the command loses
//! nothing; `--parallel` keeps each partition's order; and `--to` appends
//! every output exactly once across kill -9 at the named kill points and
//! at random moments.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Duration;

use serde_json::Value;

use crate::common::Sandbox;
use crate::harness::{Proc, Rng, env_number, seed_from_env};

fn committed(sb: &Sandbox, group: &str, topic: &str, partition: u64) -> Option<u64> {
    let d: Value = serde_json::from_str(&sb.ok(&["group", "describe", group, "--format", "json"])).expect("json");
    d["offsets"]
        .as_array()?
        .iter()
        .find(|o| o["topic"] == topic && o["partition"] == partition)
        .and_then(|o| o["committed"].as_u64())
}

/// The group's total lag, every partition it lists committed (an assigned
/// partition not committed yet has a null lag, which the total leaves out).
fn total_lag(sb: &Sandbox, group: &str) -> u64 {
    let d: Value = serde_json::from_str(&sb.ok(&["group", "describe", group, "--format", "json"])).expect("json");
    let rows = d["offsets"].as_array().expect("offsets");
    assert!(!rows.is_empty() && rows.iter().all(|r| r["committed"].is_u64()), "uncommitted partitions: {d}");
    d["total_lag"].as_u64().expect("total_lag")
}

fn read_lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path).unwrap_or_default().lines().map(str::to_string).collect()
}

/// A topic `t` with `partitions` partitions and `per` records in each,
/// valued `P-I` (partition, index = offset).
fn topic_with(sb: &Sandbox, partitions: u32, per: u32) -> Vec<String> {
    sb.ok(&["topic", "create", "t", "--partitions", &partitions.to_string()]);
    let mut input = String::new();
    let mut all = Vec::new();
    for p in 0..partitions {
        for i in 0..per {
            input.push_str(&format!("{{\"value\":\"{p}-{i}\",\"key\":\"k{i}\",\"partition\":{p}}}\n"));
            all.push(format!("{p}-{i}"));
        }
    }
    sb.produce("t", &["--format", "json"], input);
    all
}

#[test]
fn the_command_gets_each_batch_on_stdin_with_its_environment_and_the_group_commits_after_it() {
    let sb = Sandbox::new();
    topic_with(&sb, 2, 3);
    let cmd = r#"printf '%s|%s|%s|%s|%s|%s|%s|%s|' "$RUNNEL_TOPIC" "$RUNNEL_PARTITION" "$RUNNEL_OFFSET" "$RUNNEL_OFFSET_LAST" "$RUNNEL_COUNT" "${RUNNEL_KEY-none}" "$RUNNEL_DELIVERY" "$RUNNEL_GROUP"; cat"#;
    let out = sb.ok(&["-q", "consume", "t", "--group", "g", "--exec", cmd, "--format", "%o:%s\n"]);
    let mut got: Vec<&str> = out.lines().collect();
    got.sort();
    assert_eq!(
        got,
        [
            "t|0|0|0|1|k0|1|g|0:0-0",
            "t|0|1|1|1|k1|1|g|1:0-1",
            "t|0|2|2|1|k2|1|g|2:0-2",
            "t|1|0|0|1|k0|1|g|0:1-0",
            "t|1|1|1|1|k1|1|g|1:1-1",
            "t|1|2|2|1|k2|1|g|2:1-2",
        ]
    );
    assert_eq!(total_lag(&sb, "g"), 0);
    // Batches: the first and last offsets, the count, no key variable.
    let out = sb.ok(&["-q", "consume", "t", "--group", "g2", "--exec", cmd, "--batch", "3", "--format", "json"]);
    let firsts: Vec<&str> = out.lines().filter(|l| l.starts_with("t|")).collect();
    assert_eq!(firsts.len(), 2, "one batch per partition: {out}");
    for line in firsts {
        let env: Vec<&str> = line.splitn(9, '|').collect();
        assert_eq!(&env[2..7], ["0", "2", "3", "none", "1"], "{line}");
        let first: Value = serde_json::from_str(env[8]).expect("an envelope per line");
        assert_eq!(first["offset"], 0);
    }
    assert_eq!(out.lines().count(), 6, "three envelopes per batch");
}

/// Writes each value it reads to `log`, and fails (exit 3, "bad V" on
/// stderr) on the values in `bad`.
fn failing_worker(log: &Path, bad: &[&str]) -> String {
    let cases = bad.join("|");
    format!(
        r#"while read -r v; do case "$v" in {cases}) echo "bad $v" >&2; exit 3;; esac; echo "$v" >> '{}'; done"#,
        log.display()
    )
}

#[test]
fn a_failing_record_is_retried_then_dead_lettered_with_its_origin_and_the_rest_committed() {
    let sb = Sandbox::new();
    let all = topic_with(&sb, 1, 20);
    let log = sb.root().join("log");
    let worker = failing_worker(&log, &["0-7", "0-13"]);
    let args = ["-q", "consume", "t", "--group", "g", "--exec", &worker, "--batch", "5", "--max-deliver", "3"];
    let mut args = args.to_vec();
    args.extend(["--retry-backoff", "5ms", "--dead-letter", "dlq"]);
    sb.ok(&args);
    // Every other record reached a successful command, the failing ones never did.
    let seen: BTreeSet<String> = read_lines(&log).into_iter().collect();
    let expected: BTreeSet<String> = all.iter().filter(|v| *v != "0-7" && *v != "0-13").cloned().collect();
    assert_eq!(seen, expected);
    assert_eq!(committed(&sb, "g", "t", 0), Some(20));
    let letters = sb.consume_json("dlq", &[]);
    assert_eq!(letters.len(), 2, "{letters:?}");
    for (letter, offset) in letters.iter().zip(["7", "13"]) {
        assert_eq!(letter["value"], format!("0-{offset}"));
        assert_eq!(letter["key"], format!("k{offset}"));
        let h = &letter["headers"];
        assert_eq!(h["runnel.errors.topic"], "t");
        assert_eq!(h["runnel.errors.partition"], "0");
        assert_eq!(h["runnel.errors.offset"], offset);
        assert_eq!(h["runnel.errors.group"], "g");
        assert_eq!(h["runnel.errors.deliveries"], "3");
        assert_eq!(h["runnel.errors.exit"], "exit 3");
        assert_eq!(h["runnel.errors.stderr"], format!("bad 0-{offset}\n"));
    }
}

#[test]
fn without_a_dead_letter_topic_the_member_stops_with_123_committed_up_to_the_failing_record() {
    let sb = Sandbox::new();
    topic_with(&sb, 1, 20);
    let log = sb.root().join("log");
    let worker = failing_worker(&log, &["0-7"]);
    let args = ["consume", "t", "--group", "g", "--exec", &worker, "--batch", "4", "--retry-backoff", "5ms"];
    let with = |max: &'static str| [&args[..], &["--max-deliver", max]].concat();
    let stderr = sb.fails(&with("2"), 123);
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("runnel: error:")).collect();
    assert_eq!(errors.len(), 1, "{stderr}");
    assert!(errors[0].contains("t-0 offset 7") && errors[0].contains("2 times"), "{stderr}");
    assert!(errors[0].contains("--dead-letter"), "the hint names the way out: {stderr}");
    assert_eq!(committed(&sb, "g", "t", 0), Some(7));
    // The delivery count is kept with the group: one more try allowed is one more try.
    let stderr = sb.fails(&with("3"), 123);
    assert!(stderr.contains("t-0 offset 7 3 times"), "{stderr}");
    // Fixed, the group resumes at that record.
    let out = sb.ok(&["-q", "consume", "t", "--group", "g", "--exec", "cat"]);
    assert_eq!(out.lines().next(), Some("0-7"));
    assert_eq!(out.lines().count(), 13);
}

#[test]
fn kill9_of_runnel_and_of_the_command_loses_nothing() {
    let sb = Sandbox::new();
    let all = topic_with(&sb, 3, 60);
    let log = sb.root().join("log");
    // The command kills itself (kill -9) on its first delivery of every 7th offset.
    let worker = format!(
        r#"if [ "$RUNNEL_DELIVERY" = 1 ] && [ $((RUNNEL_OFFSET % 7)) = 3 ]; then kill -9 $$; fi; cat >> '{}'"#,
        log.display()
    );
    let mut rng = Rng::new(seed_from_env("RUNNEL_PIPELINES_SEED"));
    let args = ["-q", "consume", "t", "--group", "g", "--exec", &worker, "--batch", "2", "--retry-backoff", "1ms"];
    for _ in 0..4 {
        let run = Proc::spawn(&sb, &args, None);
        run.kill_at(rng.upto(Duration::from_millis(300)));
    }
    let last = Proc::spawn(&sb, &args, None).wait(Duration::from_secs(60));
    assert!(last.status.success(), "{}", last.stderr);
    let seen: BTreeSet<String> = read_lines(&log).into_iter().collect();
    assert_eq!(seen, all.into_iter().collect::<BTreeSet<_>>(), "every record reached a successful command");
    assert_eq!(total_lag(&sb, "g"), 0);
}

#[test]
fn parallel_batches_keep_the_order_within_each_partition() {
    let sb = Sandbox::new();
    topic_with(&sb, 4, 40);
    let dir = sb.root().to_path_buf();
    // Each batch appends its records to its partition's file, and notes when it starts and ends.
    let worker = format!(
        r#"d='{}'; echo "start $RUNNEL_PARTITION" >> "$d/events"; sleep 0.05; cat >> "$d/p$RUNNEL_PARTITION"; echo "end $RUNNEL_PARTITION" >> "$d/events""#,
        dir.display()
    );
    sb.ok(&["-q", "consume", "t", "--group", "g", "--exec", &worker, "--batch", "4", "--parallel", "4"]);
    for p in 0..4 {
        let got = read_lines(&dir.join(format!("p{p}")));
        let expected: Vec<String> = (0..40).map(|i| format!("{p}-{i}")).collect();
        assert_eq!(got, expected, "partition {p} in offset order, each record once");
    }
    // Batches of different partitions overlapped (at most 4 at once).
    let mut running = 0i32;
    let mut most = 0;
    for event in read_lines(&dir.join("events")) {
        running += if event.starts_with("start") { 1 } else { -1 };
        most = most.max(running);
    }
    assert!((2..=4).contains(&most), "at most --parallel batches ran at once, and more than one: {most}");
}

#[test]
fn a_partition_moved_by_a_rebalance_is_handed_over_after_its_running_batch() {
    let sb = Sandbox::new();
    topic_with(&sb, 4, 30);
    let dir = sb.root().to_path_buf();
    // Each batch notes its start and end per partition, and appends its records.
    let worker = format!(
        r#"d='{}'; echo start >> "$d/e$RUNNEL_PARTITION"; sleep 0.03; cat >> "$d/p$RUNNEL_PARTITION"; echo end >> "$d/e$RUNNEL_PARTITION""#,
        dir.display()
    );
    let args = ["-q", "consume", "t", "--group", "g", "--exec", &worker, "--batch", "2"];
    let first = Proc::spawn(&sb, &args, None);
    // The second member joins while the first is busy: two partitions move.
    assert!(crate::common::wait_until(Duration::from_secs(30), || dir.join("p0").exists() || dir.join("p1").exists()));
    let second = Proc::spawn(&sb, &args, None);
    for run in [first.wait(Duration::from_secs(120)), second.wait(Duration::from_secs(120))] {
        assert!(run.status.success(), "{}", run.stderr);
    }
    for p in 0..4 {
        let events = read_lines(&dir.join(format!("e{p}")));
        assert!(
            events.chunks(2).all(|pair| pair == ["start", "end"]),
            "partition {p}: never two batches at once: {events:?}"
        );
        let got = read_lines(&dir.join(format!("p{p}")));
        let expected: Vec<String> = (0..30).map(|i| format!("{p}-{i}")).collect();
        assert_eq!(got, expected, "partition {p}: in order, once (what succeeded was committed before the move)");
    }
    assert_eq!(total_lag(&sb, "g"), 0);
}

/// The output topic's values, counted.
fn outputs(sb: &Sandbox) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for record in sb.consume_json("out", &[]) {
        *counts.entry(record["value"].as_str().expect("text value").to_string()).or_insert(0) += 1;
    }
    counts
}

/// `consume --exec --to` with its output as `KEY:out-VALUE` (batches of 3).
const TO_OUT: [&str; 13] = [
    "-q",
    "consume",
    "t",
    "--group",
    "g",
    "--exec",
    "sed 's/.*/&:out-&/'",
    "--batch",
    "3",
    "--to",
    "out",
    "--to-key-separator",
    ":",
];

/// Runs `consume --exec --to` until the group has nothing left, killing it
/// (at a kill point, or at a random moment) in the first `kills` runs;
/// then every output must be in `out` exactly once.
fn exactly_once_through_kills(seed: u64, kills: u64, per: u32) {
    let sb = Sandbox::new();
    let all = topic_with(&sb, 2, per);
    sb.ok(&["topic", "create", "out", "--partitions", "3"]);
    let mut rng = Rng::new(seed);
    let args = TO_OUT;
    let points = ["exec.intent-written", "exec.appended", "exec.recovered"];
    for _ in 0..kills {
        if rng.chance(1, 2) {
            let point = points[rng.range(0, points.len() as u64 - 1) as usize];
            let at = format!("{point}@{}", rng.range(1, 6));
            let out = sb.std_cmd(&args).env("RUNNEL_FAULT_KILL_AT", &at).output().expect("run");
            assert!(
                out.status.success() || out.status.code().is_none(),
                "{at}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        } else {
            Proc::spawn(&sb, &args, None).kill_at(rng.upto(Duration::from_millis(400)));
        }
    }
    let last = sb.std_cmd(&args).output().expect("run");
    assert!(last.status.success(), "{}", String::from_utf8_lossy(&last.stderr));
    assert_eq!(total_lag(&sb, "g"), 0);
    let expected: BTreeMap<String, usize> = all.iter().map(|v| (format!("out-{v}"), 1)).collect();
    assert_eq!(outputs(&sb), expected, "seed {seed}: each output exactly once");
    // Keys as --to-key-separator says, and the batch each came from.
    for record in sb.consume_json("out", &[]) {
        let value = record["value"].as_str().expect("text");
        assert_eq!(Some(record["key"].as_str().expect("a key")), value.strip_prefix("out-"));
        assert!(record["headers"]["runnel.input"].as_str().is_some_and(|m| m.starts_with("g:t:")), "{record}");
    }
}

#[test]
fn to_appends_each_output_exactly_once_across_kill9() {
    exactly_once_through_kills(seed_from_env("RUNNEL_PIPELINES_SEED"), 8, 40);
}

/// Each kill point in turn, each one reached (the random loop above may
/// miss one): killed between the intent and the append, the next run
/// appends the missing outputs (and is killed right after); killed between
/// the append and the commit, the batch must not run again.
#[test]
fn to_finishes_an_interrupted_append_and_skips_an_appended_batch() {
    let sb = Sandbox::new();
    let all = topic_with(&sb, 2, 15);
    sb.ok(&["topic", "create", "out", "--partitions", "3"]);
    for at in ["exec.intent-written@2", "exec.recovered@1", "exec.appended@2", "exec.appended@1"] {
        let out = sb.std_cmd(&TO_OUT).env("RUNNEL_FAULT_KILL_AT", at).output().expect("run");
        assert_eq!(out.status.code(), None, "killed at {at}: {}", String::from_utf8_lossy(&out.stderr));
    }
    let last = sb.std_cmd(&TO_OUT).output().expect("run");
    assert!(last.status.success(), "{}", String::from_utf8_lossy(&last.stderr));
    assert_eq!(total_lag(&sb, "g"), 0);
    let expected: BTreeMap<String, usize> = all.iter().map(|v| (format!("out-{v}"), 1)).collect();
    assert_eq!(outputs(&sb), expected, "each output exactly once");
}

#[test]
#[ignore = "soak: RUNNEL_PIPELINES_SOAK iterations of the exactly-once kill loop"]
fn soak_to_appends_each_output_exactly_once_across_kill9() {
    let base = seed_from_env("RUNNEL_PIPELINES_SEED");
    for i in 0..env_number("RUNNEL_PIPELINES_SOAK", 20) {
        exactly_once_through_kills(base.wrapping_add(i), 30, 200);
    }
}

/// A member evicted while its command runs (issue 19): member A's first
/// command waits (its first invocation only) until the test lets it go; A
/// is stopped with SIGSTOP meanwhile, so it stops heartbeating and member B
/// evicts it, takes the partition over and runs everything, A's batch too.
/// Then A's command ends and A is continued: what it would append or
/// commit for that batch must be fenced. `tail`: the command after the
/// wait; `extra`: more flags. Returns A's and B's ends.
fn evicted_while_the_command_runs(
    sb: &Sandbox,
    tail: &str,
    extra: &[&str],
) -> (crate::harness::Ended, crate::harness::Ended) {
    topic_with(sb, 1, 6);
    let d = sb.root().display().to_string();
    let cmd = format!(
        r#"d='{d}'; if mkdir "$d/first" 2>/dev/null; then touch "$d/started"; while [ ! -e "$d/go" ]; do sleep 0.02; done; fi; {tail}"#
    );
    let mut args =
        vec!["-q", "consume", "t", "--group", "g", "--exec", &cmd, "--batch", "3", "--session-timeout", "1s"];
    args.extend_from_slice(extra);
    let a = Proc::spawn(sb, &args, None);
    assert!(crate::common::wait_until(Duration::from_secs(30), || sb.root().join("started").exists()));
    stop_outside_the_group_lock(sb, &a);
    // B joins (with nothing assigned while A is in the group), evicts the
    // silent A and runs all six records.
    let mut b_args = args.clone();
    b_args.push("--follow");
    let b = Proc::spawn(sb, &b_args, None);
    if !crate::common::wait_until(Duration::from_secs(60), || committed(sb, "g", "t", 0) == Some(6)) {
        let b = b.kill9();
        panic!("b did not commit everything: {} {:?}", b.stderr, b.lines);
    }
    b.signal(libc::SIGTERM);
    let b = b.wait(Duration::from_secs(60));
    assert!(b.status.success(), "b: {}", b.stderr);
    std::fs::write(sb.root().join("go"), b"").expect("go");
    a.signal(libc::SIGCONT);
    let a = a.wait(Duration::from_secs(60));
    assert!(a.status.success(), "the fenced member goes on and ends normally: {}", a.stderr);
    assert_eq!(total_lag(sb, "g"), 0);
    assert_eq!(committed(sb, "g", "t", 0), Some(6), "the evicted member's commit was refused");
    (a, b)
}

/// Stops `a` (SIGSTOP) at a moment it does not hold the group lock (a
/// commit or a look at the group takes it briefly): a member stopped
/// holding it would keep every other member out, which is not the case
/// under test.
fn stop_outside_the_group_lock(sb: &Sandbox, a: &Proc) {
    let lock = sb.path().join("groups").join("g").join("group.lock");
    for _ in 0..1000 {
        a.signal(libc::SIGSTOP);
        // Only once every thread stopped is what it holds settled.
        let pid = a.pid();
        assert!(crate::common::wait_until(Duration::from_secs(10), || {
            let Ok(mut tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else { return false };
            tasks.all(|task| {
                let stat = task.and_then(|t| std::fs::read_to_string(t.path().join("stat"))).unwrap_or_default();
                stat.rsplit_once(") ").is_some_and(|(_, rest)| rest.starts_with('T') || rest.starts_with('t'))
            })
        }));
        let free = std::fs::File::open(&lock).map(|f| f.try_lock().is_ok()).unwrap_or(true);
        if free {
            return;
        }
        a.signal(libc::SIGCONT);
        std::thread::sleep(Duration::from_millis(5));
    }
    panic!("member A always held the group lock");
}

/// The warning an evicted member prints when it drops a batch: `when`
/// names the offsets and what is dropped.
fn assert_fenced_warning(a: &crate::harness::Ended, when: &str) {
    let warning = "runnel: warning: group 'g': this member lost t-0 (evicted: silent past --session-timeout) ";
    let lines: Vec<&str> = a.stderr.lines().filter(|l| l.starts_with("runnel: warning:")).collect();
    assert_eq!(lines.len(), 1, "one warning line: {}", a.stderr);
    assert!(lines[0].starts_with(warning) && lines[0].contains(when), "{}", lines[0]);
    assert!(lines[0].ends_with("the partition's new owner runs them; rejoining"), "{}", lines[0]);
}

#[test]
fn an_evicted_member_appends_no_output_its_successor_appended() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "out"]);
    let (a, _) = evicted_while_the_command_runs(&sb, "sed 's/.*/out-&/'", &["--to", "out"]);
    let expected: BTreeMap<String, usize> = (0..6).map(|i| (format!("out-0-{i}"), 1)).collect();
    assert_eq!(outputs(&sb), expected, "each output exactly once");
    assert_fenced_warning(&a, "while the command ran on offsets 0-2; its outputs are dropped");
}

#[test]
fn an_evicted_member_commits_nothing_after_its_command_ran() {
    let sb = Sandbox::new();
    let seen = sb.root().join("seen");
    let tail = format!("cat >> '{}'", seen.display());
    let (a, _) = evicted_while_the_command_runs(&sb, &tail, &[]);
    // A's batch succeeded, but its commit is refused (A is no longer in the
    // group's generation); A runs nothing more of t-0 (its queued batch is
    // dropped) and rejoins at the group's offset (6).
    assert_fenced_warning(
        &a,
        "before the command ran on offsets 3-5; the batch and what is queued after it are dropped",
    );
    let mut got = read_lines(&seen);
    got.sort();
    let mut expected: Vec<String> = (0..6).chain(0..3).map(|i| format!("0-{i}")).collect();
    expected.sort();
    assert_eq!(got, expected, "A's batch ran twice (at least once), the rest once: A committed nothing");
}

#[test]
fn an_evicted_member_writes_no_dead_letter_its_successor_wrote() {
    let sb = Sandbox::new();
    let extra = ["--max-deliver", "1", "--dead-letter", "dlq"];
    let (a, _) = evicted_while_the_command_runs(&sb, "cat >/dev/null; exit 3", &extra);
    let mut letters: Vec<String> =
        sb.consume_json("dlq", &[]).iter().map(|r| r["value"].as_str().expect("text").to_string()).collect();
    letters.sort();
    assert_eq!(letters, (0..6).map(|i| format!("0-{i}")).collect::<Vec<_>>(), "each dead letter once");
    assert_fenced_warning(&a, "while the command ran on offsets 0-2; its dead letters are dropped");
}

/// The `runnel` command lines of README's pipeline recipes, in order
/// (continuation lines joined, trailing comments cut).
fn readme_recipe_lines() -> Vec<String> {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).expect("README");
    let start = readme.find("## Pipelines: commit on success").expect("the pipelines section");
    let section = &readme[start..];
    let block = &section[section.find("```sh").expect("a block") + 5..];
    let block = &block[..block.find("```").expect("its end")];
    let mut lines = Vec::new();
    let mut current = String::new();
    for line in block.lines() {
        let line = line.split("  #").next().unwrap_or_default().trim();
        if line.starts_with('#') || (line.is_empty() && current.is_empty()) {
            continue;
        }
        match line.strip_suffix('\\') {
            Some(head) => current.push_str(head),
            None => {
                current.push_str(line);
                lines.push(std::mem::take(&mut current));
            }
        }
    }
    lines.into_iter().filter(|l| l.starts_with("runnel ")).collect()
}

/// README's recipes (worker pool, dead-letter queue, exactly-once
/// transform, parallel batches) run as written, with stand-in scripts: the
/// `--follow` ones until their group has nothing left, then stopped with
/// SIGTERM; the others to their end.
#[test]
fn the_readme_recipes_run_as_written() {
    let has_jq = std::process::Command::new("jq").arg("--version").output().is_ok_and(|o| o.status.success());
    if !has_jq {
        assert!(std::env::var_os("CI").is_none(), "jq is needed (apt-get install jq)");
        eprintln!("skipped: jq is not installed");
        return;
    }
    let lines = readme_recipe_lines();
    assert_eq!(lines.len(), 6, "{lines:#?}");
    let sb = Sandbox::new();
    let work = sb.root();
    let script = |name: &str, body: &str| {
        use std::os::unix::fs::PermissionsExt;
        let path = work.join(name);
        std::fs::write(&path, body).expect("script");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    };
    script("handle-one.sh", &format!("#!/bin/sh\ncat >> '{}'\n", work.join("handled").display()));
    script("bill.sh", "#!/bin/sh\n! grep -q bad\n");
    script("load.sh", "#!/bin/sh\ncat >/dev/null\n");
    sb.ok(&["topic", "create", "jobs", "--partitions", "3"]);
    sb.produce("jobs", &[], (0..20).map(|i| format!("job-{i}\n")).collect::<String>());
    sb.ok(&["topic", "create", "orders"]);
    sb.produce("orders", &[], "o1\nbad-2\no3\no4\nbad-5\no6\n");
    sb.ok(&["topic", "create", "rides", "--partitions", "4"]);
    let rides: String =
        (0..200).map(|i| format!("{{\"car_id\":\"car-{}\",\"fare\":{{\"eur\":{i}}}}}\n", i % 7)).collect();
    sb.produce("rides", &[], rides);
    let bin_dir = Sandbox::bin().parent().expect("bin dir").to_path_buf();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    let mut printed = Vec::new();
    for line in &lines {
        let mut cmd = std::process::Command::new("bash");
        cmd.args(["-c", &format!("exec {line}")])
            .current_dir(work)
            .env_clear()
            .env("PATH", &path)
            .env("HOME", work)
            .env("RUNNEL_DATA_DIR", sb.path())
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let out = if line.contains("--follow") {
            let group = line.split("--group ").nth(1).and_then(|r| r.split(' ').next()).expect("a group");
            let topic = line.split(' ').nth(2).expect("a topic");
            let partitions = sb.describe(topic)["partitions"].as_array().map_or(0, Vec::len);
            let child = cmd.spawn().expect("spawn");
            let drained = crate::common::wait_until(Duration::from_secs(60), || {
                let out = sb.run(&["group", "describe", group, "--format", "json"]);
                let d: Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
                // Every partition committed at its end: a partition assigned
                // and not committed yet has no lag (null), not lag 0.
                d["offsets"]
                    .as_array()
                    .is_some_and(|o| o.len() == partitions && o.iter().all(|row| row["lag"].as_u64() == Some(0)))
            });
            // SAFETY: kill(2) on our own child.
            unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
            let out = child.wait_with_output().expect("wait");
            assert!(drained, "{line}: {}", String::from_utf8_lossy(&out.stderr));
            out
        } else {
            cmd.output().expect("run")
        };
        assert!(out.status.success(), "{line}: {:?} {}", out.status, String::from_utf8_lossy(&out.stderr));
        printed.push(String::from_utf8_lossy(&out.stdout).into_owned());
    }
    // The worker pool handled every job.
    let mut handled = read_lines(&work.join("handled"));
    handled.sort();
    handled.dedup();
    assert_eq!(handled.len(), 20);
    // The dead-letter queue: the two bad orders, with where they came from.
    let dlq: Vec<&str> = printed[2].lines().collect();
    assert_eq!(dlq.len(), 2, "{dlq:?}");
    assert!(dlq.iter().all(|l| l.contains("\"runnel.errors.offset\"") && l.contains(" bad-")), "{dlq:?}");
    // The exactly-once transform: one output per ride, keyed by car.
    let fares = sb.consume_json("fares", &[]);
    assert_eq!(fares.len(), 200);
    let mut eur: Vec<u64> = fares
        .iter()
        .map(|r| {
            let v: Value = serde_json::from_str(r["value"].as_str().expect("text")).expect("json output");
            assert_eq!(r["key"], v["car"], "{r}");
            v["eur"].as_u64().expect("eur")
        })
        .collect();
    eur.sort();
    assert_eq!(eur, (0..200).collect::<Vec<u64>>());
    assert_eq!(total_lag(&sb, "fast"), 0);
}

/// Partial batches of many partitions can fill the member's queue with no
/// batch full (6 × 4,000 records against a bound of 20,000, `--batch
/// 10000`): it then runs them rather than wait out `--batch-timeout`, which
/// here is an hour — the member would stall until the test's limit.
#[test]
fn a_queue_full_of_partial_batches_runs_them_without_waiting_for_the_batch_timeout() {
    let sb = Sandbox::new();
    let all = topic_with(&sb, 6, 4_000);
    let out = sb.root().join("out");
    let worker = format!("cat >> '{}'", out.display());
    let member = Proc::spawn(
        &sb,
        &["-q", "consume", "t", "--group", "g", "--exec", &worker, "--batch", "10000", "--batch-timeout", "1h"],
        None,
    );
    let ended = member.wait(Duration::from_secs(120));
    assert!(ended.status.success(), "the member ends at the end of the partitions: {}", ended.stderr);
    let mut got = read_lines(&out);
    got.sort();
    let mut expected = all;
    expected.sort();
    assert_eq!(got, expected, "every record went to a command once");
    assert_eq!(total_lag(&sb, "g"), 0, "and the group committed them all");
}

/// `runnel ARGS | head -n 1` in bash: runnel's exit code, and its stderr.
fn piped_to_head(sb: &Sandbox, args: &str) -> (String, String) {
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!("\"$R\" --data-dir \"$D\" {args} | head -n 1 > /dev/null; echo \"${{PIPESTATUS[0]}}\""))
        .env("R", Sandbox::bin())
        .env("D", sb.path())
        .output()
        .expect("bash");
    (String::from_utf8_lossy(&out.stdout).trim().to_string(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn a_reader_that_goes_away_stops_the_member_as_a_closed_output_never_a_failed_command() {
    let sb = Sandbox::new();
    topic_with(&sb, 1, 2000);
    sb.ok(&["topic", "create", "dlq"]);
    // The command writes to runnel's stdout; `head -n 1` leaves after one
    // line, and the next batch's `cat` dies of SIGPIPE.
    let (code, stderr) = piped_to_head(&sb, "consume t --group g --exec cat --batch 100 --dead-letter dlq");
    assert_eq!(code, "0", "{stderr}");
    assert!(!stderr.contains("runnel: error"), "{stderr}");
    assert_eq!(sb.consume("dlq", &[]), "", "no record is dead-lettered for a closed output");
    assert!(committed(&sb, "g", "t", 0).unwrap_or(0) < 2000, "the rest is not committed as processed");
    let (code, stderr) = piped_to_head(&sb, "consume t --group g2 --exec cat --batch 100 --max-deliver 1");
    assert_eq!(code, "0", "not exit 123 for a command that died of our closed output: {stderr}");

    // A share group: what the reader did not take goes back, not to the archive.
    sb.ok(&["topic", "create", "t2"]);
    sb.produce("t2", &[], (0..200).map(|i| format!("{i}\n")).collect::<String>());
    let (code, stderr) = piped_to_head(&sb, "consume t2 --share s --exec cat --batch 10 --max-deliver 2");
    assert_eq!(code, "0", "{stderr}");
    let described = sb.ok(&["group", "describe", "s"]);
    let held = |state: &str| described.lines().any(|l| l.starts_with("t2 ") && l.contains(state));
    assert!(!held(" ARCHIVED ") && !held(" ACQUIRED "), "released, not archived nor still held: {described}");
    let again = sb.ok(&["-q", "consume", "t2", "--share", "s", "--exec", "cat"]);
    assert!(again.lines().count() >= 190, "every record the reader did not take comes again: {again}");
}

#[test]
fn an_empty_command_a_self_feeding_pipeline_and_negative_counts_are_usage_errors() {
    let sb = Sandbox::new();
    topic_with(&sb, 1, 3);
    let refused = [
        (vec!["consume", "t", "--group", "g", "--exec", " "], "--exec needs a command"),
        (vec!["consume", "t", "--group", "g", "--exec", "cat", "--to", "t"], "--to t is a topic this member reads"),
        (vec!["consume", "t", "--group", "g", "--exec", "cat", "--dead-letter", "t"], "--dead-letter t is a topic"),
        (vec!["consume", "t", "--share", "s", "--exec", "cat", "--dead-letter", "t"], "--dead-letter t is a topic"),
        (vec!["consume", "t", "--group", "g", "--exec", "cat", "--batch", "-1"], "invalid value '-1' for '--batch"),
        (
            vec!["group", "reset-offsets", "g", "--topic", "t", "--to-offset", "-5"],
            "invalid value '-5' for '--to-offset",
        ),
    ];
    for (args, says) in refused {
        let stderr = sb.fails(&args, 2);
        crate::common::assert_one_error_line(&stderr);
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
    sb.fails(&["group", "describe", "g"], 66);
}

/// A member stopped (SIGTERM) starts nothing more: not a retry waiting out
/// its backoff, not a queued batch. It leaves at once, exit 0, with only
/// what was done committed; the next member runs the rest.
#[test]
fn a_stopped_member_starts_no_retry_or_queued_batch_and_commits_only_what_was_done() {
    let sb = Sandbox::new();
    topic_with(&sb, 1, 5);
    let log = sb.root().join("ran");
    // Offset 1 fails; every try is logged.
    let cmd = format!(r#"echo "$RUNNEL_OFFSET" >> '{}'; [ "$RUNNEL_OFFSET" != 1 ]"#, log.display());
    let args = ["-q", "consume", "t", "--group", "g", "--follow", "--exec", &cmd, "--retry-backoff", "60s"];
    let a = Proc::spawn(&sb, &args, None);
    assert!(crate::common::wait_until(Duration::from_secs(30), || read_lines(&log).len() >= 2));
    assert!(crate::common::wait_until(Duration::from_secs(30), || committed(&sb, "g", "t", 0) == Some(1)));
    a.signal(libc::SIGTERM);
    let a = a.wait(Duration::from_secs(20));
    assert!(a.status.success(), "{}", a.stderr);
    assert!(a.took < Duration::from_secs(20), "the 60 s backoff was not waited out: {:?}", a.took);
    assert_eq!(read_lines(&log), ["0", "1"], "nothing ran after the stop");
    assert_eq!(committed(&sb, "g", "t", 0), Some(1), "committed up to the record that failed");
    // The next member tries offset 1 again (its second delivery) and runs the rest.
    let fixed = format!(r#"echo "$RUNNEL_OFFSET $RUNNEL_DELIVERY" >> '{}'"#, log.display());
    sb.ok(&["-q", "consume", "t", "--group", "g", "--exec", &fixed]);
    assert_eq!(read_lines(&log)[2..], ["1 2", "2 1", "3 1", "4 1"]);
    assert_eq!(total_lag(&sb, "g"), 0);
}

/// At the end of its input a member works off what it queued, heartbeating
/// and committing as it goes: a kill -9 then re-runs only the work not yet
/// done, not everything since it stopped reading.
#[test]
fn a_member_working_off_its_queue_commits_as_batches_succeed() {
    let sb = Sandbox::new();
    topic_with(&sb, 2, 40);
    let log = sb.root().join("ran");
    let cmd = format!("cat >> '{}'; sleep 0.1", log.display());
    let a = Proc::spawn(&sb, &["-q", "consume", "t", "--group", "g", "--exec", &cmd, "--batch", "2"], None);
    // Every record is read at once; 40 batches of 0.1 s each follow.
    assert!(crate::common::wait_until(Duration::from_secs(30), || !read_lines(&log).is_empty()), "joined and ran");
    let progressed = crate::common::wait_until(Duration::from_secs(60), || {
        [0, 1].iter().all(|&p| committed(&sb, "g", "t", p).is_some_and(|c| c >= 4))
    });
    let a = a.kill9();
    assert!(progressed, "no commit while the queue was worked off: {}", a.stderr);
    let done: u64 = [0, 1].iter().map(|&p| committed(&sb, "g", "t", p).unwrap_or(0)).sum();
    assert!(done < 80, "killed before the end: {done}");
    // Everything committed was run.
    assert!(read_lines(&log).len() as u64 >= done);
}

/// An output line too large for the output topic is refused before its
/// intent is recorded (exit 65, naming the line): an intent whose append
/// can never succeed would block the partition until a reset. With the
/// command fixed, the next run goes on from the same record.
#[test]
fn an_output_too_large_for_the_to_topic_stops_the_member_without_blocking_the_partition() {
    let sb = Sandbox::new();
    topic_with(&sb, 1, 3);
    sb.ok(&["topic", "create", "out", "--config", "max.message.bytes=1000"]);
    let big = "head -c 5000 /dev/zero | tr '\\0' x; echo";
    let out = sb.run(&["-q", "consume", "t", "--group", "g", "--exec", big, "--to", "out"]);
    assert_eq!(out.status.code(), Some(65), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("line 1 of the command's output") && stderr.contains("max.message.bytes=1000"), "{stderr}");
    assert_eq!(sb.consume("out", &[]), "", "nothing appended");
    sb.ok(&["-q", "consume", "t", "--group", "g", "--exec", "cat", "--to", "out"]);
    assert_eq!(sb.consume("out", &[]).lines().collect::<Vec<_>>(), ["0-0", "0-1", "0-2"]);
    assert_eq!(total_lag(&sb, "g"), 0);
}

/// A dead letter its topic could never take (the record with its error
/// headers above the dead-letter topic's `max.message.bytes`) stops the
/// member before anything is written, naming the size to raise the topic
/// to, for consumer and share groups alike; the record is not passed over,
/// and once the topic is raised the same member run sets it aside.
#[test]
fn a_dead_letter_too_large_for_its_topic_stops_the_member_naming_the_fix() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t"]);
    sb.ok(&["topic", "create", "dlq", "--config", "max.message.bytes=2000"]);
    sb.produce("t", &[], format!("{}\nsmall\n", "x".repeat(1950)));
    let member = |kind: &'static str, name: &'static str| {
        ["-q", "consume", "t", kind, name, "--exec", "false", "--dead-letter", "dlq", "--max-deliver", "1", "-e"]
    };
    // The size the error names to raise the topic to.
    let size_named = |stderr: &str| -> u64 {
        let size = stderr.split("max.message.bytes=").nth(2).and_then(|s| s.split('`').next());
        size.and_then(|n| n.parse().ok()).unwrap_or_else(|| panic!("no size to raise to: {stderr}"))
    };
    let mut size = 0;
    for (kind, name) in [("--group", "g"), ("--share", "s")] {
        let stderr = sb.fails(&member(kind, name), 65);
        assert!(stderr.contains("t-0 offset 0") && stderr.contains("max.message.bytes=2000"), "{stderr}");
        size = size_named(&stderr);
        assert!(size > 2000, "{stderr}");
        assert_eq!(sb.consume("dlq", &[]), "", "nothing written");
    }
    let described: Value = serde_json::from_str(&sb.ok(&["group", "describe", "g", "--format", "json"])).expect("json");
    assert!(matches!(described["offsets"][0]["committed"].as_u64(), None | Some(0)), "{described}");
    sb.ok(&["topic", "alter", "dlq", "--config", &format!("max.message.bytes={size}")]);
    sb.ok(&member("--group", "g"));
    assert_eq!(sb.consume("dlq", &["--format", "%s\n"]).lines().map(str::len).collect::<Vec<_>>(), [1950, 5]);
    assert_eq!(total_lag(&sb, "g"), 0);
}

/// A second SIGTERM ends the member at once (exit 143) and every command
/// running with it whole: the programs of a shell pipeline too, not only
/// the shell runnel started.
#[test]
fn a_second_sigterm_ends_the_running_commands_with_everything_they_started() {
    let sb = Sandbox::new();
    topic_with(&sb, 1, 1);
    let started = sb.root().join("started");
    // A marker only this test's processes carry in their command line.
    let marker = format!("{}.7", std::process::id());
    let cmd = format!("touch '{}'; sleep {marker} | cat >/dev/null", started.display());
    let a = Proc::spawn(&sb, &["-q", "consume", "t", "--group", "g", "--exec", &cmd], None);
    assert!(crate::common::wait_until(Duration::from_secs(30), || started.exists()));
    let sleeping = || {
        std::fs::read_dir("/proc").expect("proc").flatten().any(|e| {
            let cmdline = std::fs::read(e.path().join("cmdline")).unwrap_or_default();
            let stat = std::fs::read_to_string(e.path().join("stat")).unwrap_or_default();
            let zombie = stat.rsplit_once(')').is_some_and(|(_, rest)| rest.trim_start().starts_with('Z'));
            !zombie && cmdline.split(|&b| b == 0).any(|arg| arg == marker.as_bytes())
        })
    };
    assert!(crate::common::wait_until(Duration::from_secs(10), sleeping), "the command's sleep runs");
    a.signal(libc::SIGTERM);
    std::thread::sleep(Duration::from_millis(200));
    a.signal(libc::SIGTERM);
    let a = a.wait(Duration::from_secs(30));
    assert_eq!(a.status.code(), Some(143), "{}", a.stderr);
    assert!(crate::common::wait_until(Duration::from_secs(10), || !sleeping()), "the pipeline's sleep was ended");
}

//! Consumer groups across real processes: `runnel consume --group` children
//! (stdout read by threads) and `runnel group ...` commands on one data dir.
//! Synchronisation is by polling `group describe --format json` with
//! deadlines, never by fixed sleeps.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::common::Sandbox;
use serde_json::Value;

/// How long any awaited state may take on a loaded machine.
const DEADLINE: Duration = Duration::from_secs(30);

/// A `runnel consume --group` child whose stdout and stderr are collected.
struct Member {
    child: Child,
    lines: Arc<Mutex<Vec<String>>>,
    /// Set to let a reader held by `spawn_held` go on reading.
    release: Arc<AtomicBool>,
    stdout: Option<JoinHandle<()>>,
    stderr: Option<JoinHandle<String>>,
}

impl Member {
    fn spawn(sb: &Sandbox, group: &str, topics: &[&str], extra: &[&str]) -> Member {
        Member::spawn_held(sb, group, topics, extra, usize::MAX)
    }

    /// A member whose stdout is not read past `hold_after` lines until
    /// `release` is set: its output backs up like a slow pipe's.
    fn spawn_held(sb: &Sandbox, group: &str, topics: &[&str], extra: &[&str], hold_after: usize) -> Member {
        let mut args = vec!["consume"];
        args.extend_from_slice(topics);
        args.extend_from_slice(&["--group", group]);
        args.extend_from_slice(extra);
        let mut child = sb
            .std_cmd(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn runnel consume --group");
        let lines: Arc<Mutex<Vec<String>>> = Arc::default();
        let out = child.stdout.take().expect("stdout");
        let sink = Arc::clone(&lines);
        let release = Arc::new(AtomicBool::new(false));
        let released = Arc::clone(&release);
        let stdout = std::thread::spawn(move || {
            for (i, line) in BufReader::new(out).lines().enumerate() {
                let Ok(line) = line else { break };
                sink.lock().expect("lines").push(line);
                while i + 1 >= hold_after && !released.load(Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(5));
                }
            }
        });
        let mut err = child.stderr.take().expect("stderr");
        let stderr = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = err.read_to_string(&mut text);
            text
        });
        Member { child, lines, release, stdout: Some(stdout), stderr: Some(stderr) }
    }

    fn pid(&self) -> i32 {
        self.child.id() as i32
    }

    fn count(&self) -> usize {
        self.lines.lock().expect("lines").len()
    }

    fn signal(&self, signal: i32) {
        // SAFETY: kill(2) on our own child's pid; no memory is involved.
        let rc = unsafe { libc::kill(self.pid(), signal) };
        assert_eq!(rc, 0, "kill({}, {signal})", self.pid());
    }

    /// Waits for the process to end; returns its status, output lines and stderr.
    fn finish(mut self) -> (ExitStatus, Vec<String>, String) {
        let deadline = Instant::now() + DEADLINE;
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                break status;
            }
            assert!(Instant::now() < deadline, "member {} did not exit", self.pid());
            std::thread::sleep(Duration::from_millis(10));
        };
        self.release.store(true, Ordering::Relaxed);
        let _ = self.stdout.take().map(JoinHandle::join);
        let stderr = self.stderr.take().map(|t| t.join().expect("stderr thread")).unwrap_or_default();
        let lines = std::mem::take(&mut *self.lines.lock().expect("lines"));
        (status, lines, stderr)
    }

    /// SIGTERM, then the clean end: exit 0, nothing on stderr but notes.
    fn stop(self) -> Vec<String> {
        self.signal(libc::SIGTERM);
        let (status, lines, stderr) = self.finish();
        assert!(status.success(), "stopped member failed: {status:?} {stderr}");
        assert!(!stderr.contains("error"), "{stderr}");
        lines
    }
}

impl Drop for Member {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn eventually(what: &str, mut check: impl FnMut() -> bool) -> Duration {
    let start = Instant::now();
    while !check() {
        assert!(start.elapsed() < DEADLINE, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(25));
    }
    start.elapsed()
}

fn describe(sb: &Sandbox, group: &str) -> Value {
    serde_json::from_str(&sb.ok(&["group", "describe", group, "--format", "json"])).expect("describe json")
}

/// `describe` once the group exists (a member may not have joined yet).
fn try_describe(sb: &Sandbox, group: &str) -> Option<Value> {
    let out = sb.cmd(&["group", "describe", group, "--format", "json"]).output().expect("run");
    out.status.success().then(|| serde_json::from_slice(&out.stdout).expect("describe json"))
}

/// Member id -> how many partitions it owns.
fn assignment_sizes(d: &Value) -> BTreeMap<String, usize> {
    d["members"]
        .as_array()
        .expect("members")
        .iter()
        .map(|m| {
            (m["member_id"].as_str().expect("id").to_string(), m["assignment"].as_array().expect("assignment").len())
        })
        .collect()
}

/// A Stable group of `members` members that owns `partitions` partitions,
/// each held by a live member, all read to the end.
fn settled(d: &Value, members: usize, partitions: usize) -> bool {
    let Some(offsets) = d["offsets"].as_array() else { return false };
    d["state"] == "Stable"
        && d["members"].as_array().is_some_and(|m| m.len() == members)
        && assignment_sizes(d).values().sum::<usize>() == partitions
        && offsets.len() == partitions
        && offsets.iter().all(|o| !o["member_id"].is_null() && o["lag"] == 0)
}

fn wait_settled(sb: &Sandbox, group: &str, members: usize, partitions: usize) -> Value {
    let mut last = Value::Null;
    eventually(&format!("group {group}: {members} members owning {partitions} partitions, no lag"), || {
        last = try_describe(sb, group).unwrap_or(Value::Null);
        settled(&last, members, partitions)
    });
    last
}

/// Produces `count` lines `<prefix>-<i>` (round robin over the partitions).
fn produce(sb: &Sandbox, topic: &str, prefix: &str, count: usize) -> BTreeSet<String> {
    let values: Vec<String> = (0..count).map(|i| format!("{prefix}-{i}")).collect();
    sb.ok_with(&["produce", topic, "-q"], values.join("\n") + "\n");
    values.into_iter().collect()
}

/// Asserts that `seen` holds every value of `expected`; returns the duplicates.
fn assert_no_loss(expected: &BTreeSet<String>, seen: &[String]) -> usize {
    let got: BTreeSet<&String> = seen.iter().collect();
    let missing: Vec<&String> = expected.iter().filter(|v| !got.contains(v)).take(5).collect();
    assert!(missing.is_empty(), "lost messages, e.g. {missing:?} ({} of {} seen)", got.len(), expected.len());
    seen.len() - got.len()
}

fn committed(d: &Value, topic: &str, partition: u64) -> Option<u64> {
    d["offsets"]
        .as_array()?
        .iter()
        .find(|o| o["topic"] == topic && o["partition"] == partition)
        .and_then(|o| o["committed"].as_u64())
}

#[test]
fn fewer_equal_and_more_members_than_partitions() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t", "--partitions", "6"]);
    let expected = produce(&sb, "t", "m", 600);
    for (count, sizes) in [(3, vec![2, 2, 2]), (6, vec![1; 6]), (8, vec![0, 0, 1, 1, 1, 1, 1, 1])] {
        let group = format!("g{count}");
        let members: Vec<Member> =
            (0..count).map(|_| Member::spawn(&sb, &group, &["t"], &["--follow", "--client-id", &group])).collect();
        let d = wait_settled(&sb, &group, count, 6);
        let mut got: Vec<usize> = assignment_sizes(&d).into_values().collect();
        got.sort();
        assert_eq!(got, sizes, "{count} members: {d}");
        assert_eq!(d["generation"].as_u64().map(|g| g >= count as u64), Some(true), "{d}");
        let table = sb.ok(&["group", "describe", &group]);
        assert!(table.starts_with(&format!("Group '{group}' is Stable: generation ")), "{table}");
        assert!(table.contains("CURRENT-OFFSET  LOG-END-OFFSET  LAG"), "{table}");
        let mut all = Vec::new();
        for m in members {
            all.extend(m.stop());
        }
        assert_eq!(assert_no_loss(&expected, &all), 0, "clean rebalances deliver each message once");
        // Everything was committed: the next run of the group reads nothing.
        let out = sb.cmd(&["consume", "t", "--group", &group]).output().expect("run");
        assert!(out.status.success());
        assert!(out.stdout.is_empty(), "{}", String::from_utf8_lossy(&out.stdout));
        assert!(String::from_utf8_lossy(&out.stderr).contains("consumed 0 messages"));
    }
    let list = sb.ok(&["group", "list"]);
    assert_eq!(list.lines().next(), Some("GROUP  TYPE      STATE  MEMBERS  STRATEGY"), "{list}");
    assert_eq!(list.lines().filter(|l| l.contains("Empty")).count(), 3, "{list}");
}

#[test]
fn a_killed_member_is_replaced_within_seconds_and_nothing_is_lost() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t", "--partitions", "6"]);
    let mut expected = produce(&sb, "t", "a", 600);
    // The victim's output backs up after 2000 lines: it is killed with
    // records written to its pipe but not yet committed.
    let mut victim = Member::spawn_held(&sb, "g", &["t"], &["--follow"], 2000);
    let victim_pid = victim.pid();
    let members: Vec<Member> = (0..2).map(|_| Member::spawn(&sb, "g", &["t"], &["--follow"])).collect();
    let before = wait_settled(&sb, "g", 3, 6);
    expected.extend(produce(&sb, "t", "b", 60_000));
    eventually("the victim to be reading the backlog", || victim.count() >= 2000);
    victim.child.kill().expect("kill -9");
    let took = eventually("the others to own all six partitions", || {
        let Some(d) = try_describe(&sb, "g") else { return false };
        let pids: Vec<i64> =
            d["members"].as_array().expect("members").iter().filter_map(|m| m["pid"].as_i64()).collect();
        d["state"] == "Stable"
            && pids.len() == 2
            && !pids.contains(&i64::from(victim_pid))
            && assignment_sizes(&d).values().sum::<usize>() == 6
    });
    eprintln!("kill -9: partitions reassigned after {took:?}");
    assert!(took < Duration::from_secs(5), "reassignment took {took:?}");
    expected.extend(produce(&sb, "t", "c", 600));
    let after = wait_settled(&sb, "g", 2, 6);
    assert!(after["generation"].as_u64() > before["generation"].as_u64());
    let (_, mut all, _) = victim.finish();
    eprintln!("the killed member printed {} messages", all.len());
    for m in members {
        all.extend(m.stop());
    }
    let duplicates = assert_no_loss(&expected, &all);
    eprintln!("duplicates after the crash: {duplicates}");
}

#[test]
fn a_stopped_member_is_evicted_after_its_session_timeout() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t", "--partitions", "6"]);
    let expected = produce(&sb, "t", "m", 600);
    let extra = ["--follow", "--session-timeout", "2s"];
    let keeper = Member::spawn(&sb, "g", &["t"], &extra);
    let hung = Member::spawn(&sb, "g", &["t"], &extra);
    wait_settled(&sb, "g", 2, 6);
    hung.signal(libc::SIGSTOP);
    let took = eventually("the hung member's eviction", || {
        let d = describe(&sb, "g");
        let members = d["members"].as_array().expect("members");
        members.len() == 1
            && members[0]["pid"].as_i64() == Some(i64::from(keeper.pid()))
            && assignment_sizes(&d).values().sum::<usize>() == 6
    });
    eprintln!("SIGSTOP: evicted and reassigned after {took:?}");
    wait_settled(&sb, "g", 1, 6);
    // Woken up, it finds itself fenced and joins again as a new member.
    hung.signal(libc::SIGCONT);
    wait_settled(&sb, "g", 2, 6);
    let mut all = hung.stop();
    all.extend(keeper.stop());
    assert_no_loss(&expected, &all);
}

#[test]
fn a_member_joining_during_heavy_consumption_shares_the_work() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t", "--partitions", "6"]);
    let mut expected = produce(&sb, "t", "m", 200_000);
    let first = Member::spawn(&sb, "g", &["t"], &["--follow"]);
    eventually("the first member to be reading", || first.count() > 0);
    let second = Member::spawn(&sb, "g", &["t"], &["--follow"]);
    expected.extend(produce(&sb, "t", "late", 20_000));
    let d = wait_settled(&sb, "g", 2, 6);
    assert_eq!(assignment_sizes(&d).into_values().collect::<Vec<_>>(), [3, 3], "{d}");
    let mut all = first.stop();
    let second_lines = second.stop();
    assert!(!second_lines.is_empty(), "the member that joined read some of the backlog");
    all.extend(second_lines);
    assert_eq!(assert_no_loss(&expected, &all), 0, "a clean join duplicates nothing");
}

#[test]
fn sigint_commits_what_was_printed_and_leaves() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t", "--partitions", "2"]);
    let expected = produce(&sb, "t", "m", 100);
    let member = Member::spawn(&sb, "g", &["t"], &["--follow", "--client-id", "billing"]);
    let d = wait_settled(&sb, "g", 1, 2);
    assert_eq!(d["members"][0]["client_id"], "billing");
    member.signal(libc::SIGINT);
    let (status, lines, stderr) = member.finish();
    assert!(status.success(), "{status:?} {stderr}");
    assert!(stderr.contains("consumed 100 messages in group 'g'"), "{stderr}");
    assert_eq!(assert_no_loss(&expected, &lines), 0);
    let d = describe(&sb, "g");
    assert_eq!(d["state"], "Empty");
    assert_eq!(d["total_lag"], 0);
}

fn produce_at(sb: &Sandbox, topic: &str, partition: u32, timestamps: impl Iterator<Item = i64>) {
    let lines: Vec<String> =
        timestamps.map(|ts| format!(r#"{{"value": "v{ts}", "partition": {partition}, "timestamp": {ts}}}"#)).collect();
    sb.ok_with(&["produce", topic, "--format", "json", "-q"], lines.join("\n") + "\n");
}

#[test]
fn reset_offsets_follows_kafkas_tool_current_duration_file_export_and_commit_rules() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t", "--partitions", "2"]);
    sb.ok_with(
        &["produce", "t", "-q", "--key-separator", ":"],
        (0..40).map(|i| format!("k{i}:v\n")).collect::<String>(),
    );
    let d: Value = serde_json::from_str(&sb.ok(&["topic", "describe", "t", "--format", "json"])).expect("json");
    let ends: Vec<u64> = (0..2).map(|p| d["partitions"][p]["high_watermark"].as_u64().expect("hw")).collect();
    let offsets = |sb: &Sandbox| {
        let d = describe(sb, "g");
        (committed(&d, "t", 0), committed(&d, "t", 1))
    };
    let reset = |extra: &[&str]| {
        let mut args = vec!["-q", "group", "reset-offsets", "g"];
        args.extend_from_slice(extra);
        sb.ok(&args)
    };
    reset(&["--topic", "t:0", "--to-offset", "4", "--execute"]);
    assert_eq!(offsets(&sb), (Some(4), None));
    // --all-topics: only the partitions with a commit.
    let plan = reset(&["--all-topics", "--to-earliest", "--execute"]);
    assert_eq!(plan.lines().count(), 2, "a header and t:0 only: {plan}");
    assert_eq!(offsets(&sb), (Some(0), None));
    // --shift-by needs a committed offset, as in Kafka.
    let err = sb.fails(&["group", "reset-offsets", "g", "--topic", "t", "--shift-by", "1"], 2);
    assert!(err.contains("t-1") && err.contains("no committed offset"), "{err}");
    assert_eq!(offsets(&sb), (Some(0), None));
    // --to-current: the commit, else the log end; --export is Kafka's CSV.
    let csv = reset(&["--topic", "t", "--to-current", "--export"]);
    assert_eq!(csv, format!("t,0,0\nt,1,{}\n", ends[1]));
    let plan = sb.dir.path().join("plan.csv");
    std::fs::write(&plan, "t,0,3\nother,t,1,1\ng,t,1,2\n").expect("write plan");
    reset(&["--from-file", plan.to_str().expect("utf-8"), "--execute"]);
    assert_eq!(offsets(&sb), (Some(3), Some(2)), "the plan's lines for this group");
    // --by-duration: ISO-8601 as in Kafka (and 1h); every record is newer than an hour.
    reset(&["--topic", "t", "--by-duration", "PT1H", "--execute"]);
    assert_eq!(offsets(&sb), (Some(0), Some(0)));
    reset(&["--topic", "t", "--by-duration", "P1DT2H", "--execute"]);
    reset(&["--topic", "t", "--by-duration", "1h30m", "--execute"]);
    reset(&["--topic", "t", "--to-latest", "--dry-run"]);
    assert_eq!(offsets(&sb), (Some(0), Some(0)), "--dry-run changes nothing");
    sb.fails(&["group", "reset-offsets", "g", "--topic", "t", "--by-duration", "soon"], 2);
    sb.fails(&["group", "reset-offsets", "g", "--topic", "t", "--to-latest", "--dry-run", "--execute"], 2);
    std::fs::write(&plan, "t;0;3\n").expect("write plan");
    let err = sb.fails(&["group", "reset-offsets", "g", "--from-file", plan.to_str().expect("utf-8")], 65);
    assert!(err.contains("line 1"), "{err}");
}

#[test]
fn reset_offsets_in_every_mode_and_delete() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t", "--partitions", "2"]);
    for p in 0..2 {
        produce_at(&sb, "t", p, 1000..1010);
    }
    assert_eq!(sb.ok(&["consume", "t", "--group", "g"]).lines().count(), 20);
    let offsets = |sb: &Sandbox| {
        let d = describe(sb, "g");
        (committed(&d, "t", 0), committed(&d, "t", 1))
    };
    let reset = |extra: &[&str]| {
        let mut args = vec!["group", "reset-offsets", "g"];
        args.extend_from_slice(extra);
        sb.ok(&args)
    };
    let plan = reset(&["--topic", "t", "--to-earliest"]);
    assert_eq!(plan, "TOPIC  PARTITION  CURRENT  NEW\nt      0          10       0\nt      1          10       0\n");
    assert_eq!(offsets(&sb), (Some(10), Some(10)), "a dry run changes nothing");
    reset(&["--topic", "t", "--to-earliest", "--execute"]);
    assert_eq!(offsets(&sb), (Some(0), Some(0)));
    reset(&["--topic", "t:1", "--to-offset", "7", "--execute"]);
    assert_eq!(offsets(&sb), (Some(0), Some(7)));
    reset(&["--all-topics", "--shift-by", "-2", "--execute"]);
    assert_eq!(offsets(&sb), (Some(0), Some(5)), "kept at the log start");
    reset(&["--topic", "t:0", "--shift-by", "3", "--execute"]);
    assert_eq!(offsets(&sb), (Some(3), Some(5)));
    reset(&["--topic", "t", "--to-datetime", "@1004", "--execute"]);
    assert_eq!(offsets(&sb), (Some(4), Some(4)));
    reset(&["--topic", "t", "--to-datetime", "2000-01-01T00:00:00Z", "--execute"]);
    assert_eq!(offsets(&sb), (Some(10), Some(10)), "a time after every message: the end");
    reset(&["--topic", "t", "--to-datetime", "-1h", "--execute"]);
    reset(&["--topic", "t", "--to-earliest", "--execute"]);
    reset(&["--topic", "t", "--to-latest", "--execute"]);
    assert_eq!(offsets(&sb), (Some(10), Some(10)));
    let json: Value =
        serde_json::from_str(&reset(&["--topic", "t:0", "--to-offset", "2", "--format", "json"])).expect("json");
    assert_eq!(json, serde_json::json!([{"topic": "t", "partition": 0, "current": 10, "new": 2}]));
    sb.fails(&["group", "reset-offsets", "g", "--topic", "t"], 2);
    sb.fails(&["group", "reset-offsets", "g", "--topic", "t", "--to-earliest", "--to-latest"], 2);
    sb.fails(&["group", "reset-offsets", "g", "--topic", "t", "--to-datetime", "soon"], 2);
    sb.fails(&["group", "reset-offsets", "g", "--topic", "t:5", "--to-earliest"], 2);

    // Refused while a member is live.
    let member = Member::spawn(&sb, "g", &["t"], &["--follow"]);
    wait_settled(&sb, "g", 1, 2);
    let err = sb.fails(&["group", "reset-offsets", "g", "--topic", "t", "--to-earliest", "--execute"], 73);
    assert!(err.contains("active member") && err.contains("stop its consumers"), "{err}");
    sb.fails(&["group", "delete", "g"], 73);
    member.stop();
    reset(&["--topic", "t", "--to-earliest", "--execute"]);
    assert_eq!(offsets(&sb), (Some(0), Some(0)));
    sb.ok(&["group", "delete", "g"]);
    let err = sb.fails(&["group", "describe", "g"], 66);
    assert!(err.contains("unknown group 'g'"), "{err}");
    sb.fails(&["group", "delete", "g"], 66);
    assert_eq!(sb.ok(&["group", "list", "--format", "json"]).trim(), "[]");
}

#[test]
fn usage_errors_and_strategy_mismatch() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t", "--partitions", "2"]);
    let err = sb.fails(&["group", "describe", "nope"], 66);
    assert!(err.contains("unknown group 'nope'"), "{err}");
    sb.fails(&["consume", "t", "--group", "g", "--partition", "0"], 2);
    sb.fails(&["consume", "t", "--client-id", "x"], 2);
    sb.fails(&["consume", "t", "--group", "g", "--assignment-strategy", "fair"], 2);
    sb.fails(&["consume", "missing", "--group", "g"], 66);
    produce(&sb, "t", "m", 2);
    let member = Member::spawn(&sb, "g", &["t"], &["--follow"]);
    wait_settled(&sb, "g", 1, 2);
    let err = sb.fails(&["consume", "t", "--group", "g", "--assignment-strategy", "sticky"], 2);
    assert!(err.contains("range") && err.contains("sticky") && err.contains("--assignment-strategy range"), "{err}");
    member.stop();
    // Once the group is empty another strategy may take over.
    sb.ok(&["consume", "t", "--group", "g", "--assignment-strategy", "sticky"]);
}

#[test]
fn one_group_over_several_topics() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "a", "--partitions", "2"]);
    sb.ok(&["topic", "create", "b", "--partitions", "3"]);
    let mut expected = produce(&sb, "a", "a", 200);
    expected.extend(produce(&sb, "b", "b", 300));
    let extra = ["--follow", "--assignment-strategy", "roundrobin"];
    let members: Vec<Member> = (0..2).map(|_| Member::spawn(&sb, "multi", &["a", "b"], &extra)).collect();
    let d = wait_settled(&sb, "multi", 2, 5);
    let mut sizes: Vec<usize> = assignment_sizes(&d).into_values().collect();
    sizes.sort();
    assert_eq!(sizes, [2, 3], "{d}");
    let topics: BTreeSet<&str> =
        d["offsets"].as_array().expect("offsets").iter().filter_map(|o| o["topic"].as_str()).collect();
    assert_eq!(topics, BTreeSet::from(["a", "b"]));
    assert_eq!(d["strategy"], "roundrobin");
    let list: Value = serde_json::from_str(&sb.ok(&["group", "list", "--format", "json"])).expect("json");
    assert_eq!(
        list,
        serde_json::json!([{"group": "multi", "type": "consumer", "state": "Stable", "members": 2, "strategy": "roundrobin"}])
    );
    let mut all = Vec::new();
    for m in members {
        all.extend(m.stop());
    }
    assert_eq!(assert_no_loss(&expected, &all), 0);
}

#[test]
fn the_demo_tours_a_consumer_group() {
    let out = Sandbox::new().ok(&["demo"]);
    for step in ["Consumer groups", "A member leaves", "The lag drains", "total lag 0"] {
        assert!(out.contains(step), "{step}: {out}");
    }
    assert!(out.contains("6000 messages delivered for 6000 produced"), "{out}");
    assert!(out.contains("Group 'billing' is Stable: generation "), "{out}");
}

#[test]
fn deleting_a_topic_deletes_its_committed_offsets_as_kafka_does() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t", "--partitions", "2"]);
    sb.ok(&["topic", "create", "u"]);
    sb.ok_with(&["produce", "t", "-q"], "1\n2\n3\n4\n");
    sb.ok_with(&["produce", "u", "-q"], "a\n");
    sb.ok(&["consume", "t", "--group", "only-t", "-q"]);
    sb.ok(&["consume", "t", "u", "--group", "both", "-q"]);
    let out = sb.run(&["topic", "delete", "t"]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("group(s) both, only-t"), "{stderr}");
    // A group left with neither members nor offsets is gone, as in Kafka.
    sb.fails(&["group", "describe", "only-t"], 66);
    let d = describe(&sb, "both");
    let topics: Vec<&str> =
        d["offsets"].as_array().expect("offsets").iter().filter_map(|o| o["topic"].as_str()).collect();
    assert_eq!(topics, ["u"], "{d}");
    // The topic created again starts fresh: no group skips its first records.
    sb.ok(&["topic", "create", "t", "--partitions", "2"]);
    sb.ok_with(&["produce", "t", "-q"], "x\ny\nz\n");
    assert_eq!(sb.ok(&["consume", "t", "--group", "both", "-q"]).lines().count(), 3);
    assert_eq!(sb.ok(&["consume", "t", "--group", "only-t", "-q"]).lines().count(), 3);
}

#[test]
fn offset_reset_is_kafkas_auto_offset_reset() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t", "--config", "retention.ms=-1"]);
    sb.ok_with(&["produce", "t", "-q"], "1\n2\n3\n");
    // latest: a new group skips what is there and reads only what comes.
    assert_eq!(sb.ok(&["consume", "t", "--group", "late", "--offset-reset", "latest", "-q"]), "");
    sb.ok_with(&["produce", "t", "-q"], "4\n5\n");
    assert_eq!(sb.ok(&["consume", "t", "--group", "late", "-q"]), "4\n5\n");
    // none: no committed offset is an error, as Kafka's NoOffsetForPartition.
    let err = sb.fails(&["consume", "t", "--group", "fresh", "--offset-reset", "none"], 66);
    assert!(err.contains("no committed offset for t-0") && err.contains("--offset-reset is none"), "{err}");
    // --from still names where a partition without a commit starts.
    assert_eq!(sb.ok(&["consume", "t", "--group", "fresh", "--offset-reset", "none", "--from", "3", "-q"]), "4\n5\n");
    // A commit below the log start follows the policy.
    sb.ok(&["-q", "group", "reset-offsets", "fresh", "--topic", "t", "--to-offset", "1", "--execute"]);
    sb.ok(&["topic", "trim", "t", "--before", "2"]);
    let err = sb.fails(&["consume", "t", "--group", "fresh", "--offset-reset", "none"], 66);
    assert!(err.contains("committed offset 1 of t-0 is outside its log (2 to 5"), "{err}");
    assert_eq!(sb.ok(&["consume", "t", "--group", "fresh", "--offset-reset", "latest", "-q"]), "");
    sb.ok(&["-q", "group", "reset-offsets", "fresh", "--topic", "t", "--to-offset", "2", "--execute"]);
    sb.ok(&["topic", "trim", "t", "--before", "3"]);
    assert_eq!(sb.ok(&["consume", "t", "--group", "fresh", "-q"]), "4\n5\n", "earliest: from the log start");
    sb.fails(&["consume", "t", "--offset-reset", "latest"], 2);
}

/// A group over more partitions than one claims file holds (1,024): its
/// claims spread over shard files, and two members one after the other read
/// every record exactly once.
#[test]
fn a_group_over_thousands_of_partitions_keeps_its_claims_in_shard_files() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t", "--partitions", "2600"]);
    let input: String = (0..5200).map(|i| format!("k{i}:v{i}\n")).collect();
    sb.produce("t", &["--key-separator", ":"], input);
    let mut seen = Vec::new();
    for _ in 0..2 {
        let out = sb.ok(&["consume", "t", "--group", "g", "-n", "2600", "--assignment-strategy", "roundrobin"]);
        seen.extend(out.lines().map(str::to_string));
    }
    seen.sort();
    let mut expected: Vec<String> = (0..5200).map(|i| format!("v{i}")).collect();
    expected.sort();
    assert_eq!(seen, expected, "every record read once");
    let owners = sb.path().join("groups").join("g").join("owners");
    let mut files: Vec<String> = std::fs::read_dir(&owners)
        .expect("owners folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files, ["t.claims.0", "t.claims.1", "t.claims.2"], "one file per 1,024 partitions");
}

//! Share groups (KIP-932) across real processes: `runnel consume --share`
//! children on one data dir, their output read by threads (or not read at
//! all, to hold records in a pipe), killed with SIGKILL while holding
//! records; the state checked through `group describe --format json` and
//! `group pending`. Synchronisation is by polling with deadlines.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::Sandbox;

/// How long any awaited state may take on a loaded machine.
const DEADLINE: Duration = Duration::from_secs(60);

/// A `runnel consume --share` child.
struct Member {
    child: Child,
    lines: Arc<Mutex<Vec<String>>>,
    stdout: Option<JoinHandle<()>>,
    stderr: Option<JoinHandle<String>>,
}

impl Member {
    /// A member whose stdout a thread reads, waiting `per_line` after each line.
    fn spawn(sb: &Sandbox, group: &str, extra: &[&str], per_line: Duration) -> Member {
        let mut m = Member::spawn_unread(sb, group, extra);
        let out = m.child.stdout.take().expect("stdout");
        let sink = Arc::clone(&m.lines);
        m.stdout = Some(std::thread::spawn(move || {
            for line in BufReader::new(out).lines() {
                let Ok(line) = line else { break };
                sink.lock().expect("lines").push(line);
                if !per_line.is_zero() {
                    std::thread::sleep(per_line);
                }
            }
        }));
        m
    }

    /// A member whose stdout nobody reads: what it writes stays in the pipe,
    /// never taken, so it holds what it acquired.
    fn spawn_unread(sb: &Sandbox, group: &str, extra: &[&str]) -> Member {
        let mut args = vec!["consume", "t", "--share", group];
        args.extend_from_slice(extra);
        let mut child = sb
            .std_cmd(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn runnel consume --share");
        let mut err = child.stderr.take().expect("stderr");
        let stderr = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = err.read_to_string(&mut text);
            text
        });
        Member { child, lines: Arc::default(), stdout: None, stderr: Some(stderr) }
    }

    fn count(&self) -> usize {
        self.lines.lock().expect("lines").len()
    }

    fn signal(&self, signal: i32) {
        // SAFETY: kill(2) on our own child's pid; no memory is involved.
        let rc = unsafe { libc::kill(self.child.id() as i32, signal) };
        assert_eq!(rc, 0, "kill({}, {signal})", self.child.id());
    }

    fn finish(mut self) -> (ExitStatus, Vec<String>, String) {
        let deadline = Instant::now() + DEADLINE;
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                break status;
            }
            assert!(Instant::now() < deadline, "member {} did not exit", self.child.id());
            std::thread::sleep(Duration::from_millis(10));
        };
        let _ = self.stdout.take().map(JoinHandle::join);
        let stderr = self.stderr.take().map(|t| t.join().expect("stderr thread")).unwrap_or_default();
        let lines = std::mem::take(&mut *self.lines.lock().expect("lines"));
        (status, lines, stderr)
    }

    /// SIGKILL: no chance to release anything.
    fn kill9(mut self) {
        self.child.kill().expect("kill -9");
        let _ = self.child.wait();
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

fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let start = Instant::now();
    while !check() {
        assert!(start.elapsed() < DEADLINE, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(25));
    }
}

fn describe(sb: &Sandbox, group: &str) -> Value {
    let out = sb.run(&["group", "describe", group, "--format", "json"]);
    if !out.status.success() {
        return Value::Null;
    }
    serde_json::from_slice(&out.stdout).expect("describe json")
}

/// The runs of records in flight of partition 0.
fn in_flight(d: &Value) -> Vec<Value> {
    d["partitions"][0]["in_flight"].as_array().cloned().unwrap_or_default()
}

/// How many records of partition 0 are ACQUIRED by `member` with `count` deliveries.
fn held(d: &Value, member: &str, count: u64) -> u64 {
    in_flight(d)
        .iter()
        .filter(|r| r["state"] == "ACQUIRED" && r["member_id"] == member && r["delivery_count"] == count)
        .map(|r| r["last_offset"].as_u64().unwrap_or(0) - r["first_offset"].as_u64().unwrap_or(0) + 1)
        .sum()
}

/// The member ids of the group's live members.
fn member_ids(d: &Value) -> Vec<String> {
    d["members"]
        .as_array()
        .map(|ms| ms.iter().filter_map(|m| m["member_id"].as_str().map(String::from)).collect())
        .unwrap_or_default()
}

fn records(n: usize) -> String {
    (0..n).map(|i| format!("r{i}\n")).collect()
}

#[test]
fn several_members_on_one_partition_accept_every_record_exactly_once() {
    let sb = Sandbox::new();
    sb.ok(&["-q", "topic", "create", "t", "--partitions", "1"]);
    // Slow readers (as workers are): no member can take everything at once.
    let members: Vec<Member> =
        (0..3).map(|_| Member::spawn(&sb, "w", &["--follow"], Duration::from_micros(500))).collect();
    eventually("three members", || member_ids(&describe(&sb, "w")).len() == 3);
    sb.ok(&["group", "wait", "w", "--members", "3", "--state", "stable"]);
    let n = 3000;
    sb.produce("t", &[], records(n));
    eventually("every record delivered", || members.iter().map(Member::count).sum::<usize>() >= n);
    // Every record accepted: the start offset passed them all, nothing in flight.
    eventually("every record accepted", || {
        let d = describe(&sb, "w");
        d["partitions"][0]["start_offset"] == n as u64 && in_flight(&d).is_empty()
    });
    let d = describe(&sb, "w");
    assert_eq!(d["partitions"][0]["lag"], 0, "{d}");
    sb.ok(&["group", "wait", "w", "--lag", "0", "--timeout", "5s"]);
    let mut seen = BTreeSet::new();
    let mut busy = 0;
    for m in members {
        m.signal(libc::SIGTERM);
        let (status, lines, stderr) = m.finish();
        assert!(status.success(), "{status:?} {stderr}");
        assert!(stderr.contains("in share group 'w'"), "{stderr}");
        busy += usize::from(!lines.is_empty());
        for line in lines {
            assert!(seen.insert(line.clone()), "{line} delivered twice");
        }
    }
    assert_eq!(seen.len(), n, "every record once");
    assert!(busy >= 2, "the records were shared among the members");
}

#[test]
fn a_killed_members_records_come_back_after_the_lock_expires_with_delivery_count_two() {
    let sb = Sandbox::new();
    sb.produce("t", &["--create"], records(10));
    let lock = ["--follow", "--lock-duration", "1s"];
    // A acquires all ten and holds them in its unread pipe; then it is killed.
    let a = Member::spawn_unread(&sb, "w", &lock);
    let mut a_id = String::new();
    eventually("A holds all ten", || {
        let d = describe(&sb, "w");
        a_id = member_ids(&d).into_iter().next().unwrap_or_default();
        !a_id.is_empty() && held(&d, &a_id, 1) == 10
    });
    a.kill9();
    // B gets them once A's lock expired: the second delivery of each.
    let b = Member::spawn_unread(&sb, "w", &lock);
    let mut b_id = String::new();
    eventually("B holds all ten, delivered twice", || {
        let d = describe(&sb, "w");
        b_id = member_ids(&d).into_iter().next().unwrap_or_default();
        !b_id.is_empty() && b_id != a_id && held(&d, &b_id, 2) == 10
    });
    assert_eq!(member_ids(&describe(&sb, "w")), [b_id.clone()], "A is gone");
    // `group pending` shows them in flight and retried, with owner and count.
    let pending: Value =
        serde_json::from_str(&sb.ok(&["group", "pending", "w", "--format", "json"])).expect("pending json");
    assert_eq!((pending["type"].as_str(), pending["in_flight"].as_u64()), (Some("share"), Some(10)), "{pending}");
    assert_eq!((pending["retried"].as_u64(), pending["waiting"].as_u64()), (Some(10), Some(0)), "{pending}");
    let first = &pending["partitions"][0]["records"][0];
    assert_eq!((first["offset"].as_u64(), first["delivery_count"].as_u64()), (Some(0), Some(2)), "{pending}");
    assert_eq!(first["member_id"], b_id.as_str());
    let table = sb.ok(&["group", "pending", "w"]);
    assert!(table.starts_with("Share group 'w': 10 in flight, 10 retried, 0 waiting\n"), "{table}");
    b.kill9();
    // C reads them (a third delivery) and accepts them all.
    let c = Member::spawn(&sb, "w", &["--follow", "--max-messages", "10"], Duration::ZERO);
    let (status, lines, stderr) = c.finish();
    assert!(status.success(), "{stderr}");
    assert_eq!(lines, records(10).lines().collect::<Vec<_>>());
    assert!(stderr.contains("10 accepted"), "{stderr}");
    let d = describe(&sb, "w");
    assert_eq!((d["partitions"][0]["start_offset"].as_u64(), in_flight(&d).len()), (Some(10), 0), "{d}");
}

#[test]
fn the_delivery_limit_archives_records() {
    let sb = Sandbox::new();
    sb.produce("t", &["--create"], records(5));
    let flags = ["--follow", "--lock-duration", "500ms", "--max-deliver", "2"];
    for delivery in 1..=2 {
        let m = Member::spawn_unread(&sb, "w", &flags);
        eventually("a member holds all five", || {
            let d = describe(&sb, "w");
            member_ids(&d).first().is_some_and(|id| held(&d, id, delivery) == 5)
        });
        m.kill9();
    }
    // The second lock expires: at the limit, the records are archived, and
    // the start offset passes them. A member finds nothing to acquire.
    eventually("the records archived", || {
        let out = sb.run(&["consume", "t", "--share", "w", "--max-deliver", "2"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(out.stdout.is_empty(), "an archived record was delivered");
        describe(&sb, "w")["partitions"][0]["start_offset"] == 5
    });
    let pending = sb.ok(&["group", "pending", "w"]);
    assert!(pending.starts_with("Share group 'w': 0 in flight, 0 retried, 0 waiting"), "{pending}");
}

#[test]
fn max_messages_and_a_closed_pipe_accept_what_was_taken() {
    let sb = Sandbox::new();
    sb.produce("t", &["--create"], records(4));
    // --max-messages 2: two accepted; the other two never acquired.
    let out = sb.ok(&["consume", "t", "--share", "w", "--max-messages", "2"]);
    assert_eq!(out, "r0\nr1\n");
    let d = describe(&sb, "w");
    assert_eq!((d["partitions"][0]["start_offset"].as_u64(), d["partitions"][0]["lag"].as_u64()), (Some(2), Some(2)));
    // A reader that takes one line from the pipe and closes it: what it took
    // is accepted, what it left in the pipe released (available again, not
    // held, not accepted), and the member ends quietly.
    let mut child = sb.std_cmd(&["-q", "consume", "t", "--share", "w"]).stdout(Stdio::piped()).spawn().expect("spawn");
    let mut out = child.stdout.take().expect("stdout");
    let mut first = [0u8; 3];
    out.read_exact(&mut first).expect("read");
    assert_eq!(&first, b"r2\n");
    drop(out);
    let status = child.wait().expect("wait");
    assert!(status.success(), "{status:?}");
    let d = describe(&sb, "w");
    assert_eq!(d["partitions"][0]["start_offset"], 3, "r2 accepted: {d}");
    let runs = in_flight(&d);
    assert_eq!(runs.len(), 1, "{d}");
    assert_eq!(
        (&runs[0]["state"], &runs[0]["first_offset"], &runs[0]["last_offset"], &runs[0]["delivery_count"]),
        (&Value::from("AVAILABLE"), &Value::from(3), &Value::from(3), &Value::from(1)),
        "r3 released: {d}"
    );
    // The released record is delivered again (its second delivery), once.
    let rest = sb.ok(&["-q", "consume", "t", "--share", "w"]);
    assert_eq!(rest, "r3\n");
    let d = describe(&sb, "w");
    assert_eq!((d["partitions"][0]["start_offset"].as_u64(), in_flight(&d).len()), (Some(4), 0), "{d}");
}

#[test]
fn a_group_is_one_type_or_the_other_and_admin_follows_kafka() {
    let sb = Sandbox::new();
    sb.produce("t", &["--create"], records(3));
    sb.ok(&["-q", "consume", "t", "--group", "c"]);
    sb.ok(&["-q", "consume", "t", "--share", "s", "--max-messages", "1"]);
    let err = sb.fails(&["consume", "t", "--share", "c"], 73);
    assert!(err.contains("group 'c' is not a share group: it is a consumer group"), "{err}");
    assert!(err.contains("use another group name, or read it with --group G"), "{err}");
    crate::common::assert_one_error_line(&err);
    let err = sb.fails(&["consume", "t", "--group", "s"], 73);
    assert!(err.contains("group 's' is not a consumer group: it is a share group"), "{err}");
    let list = sb.ok(&["group", "list"]);
    assert_eq!(
        list,
        "GROUP  TYPE      STATE  MEMBERS  STRATEGY\nc      consumer  Empty  0        -\ns      share     Empty  0        -\n"
    );
    let text = sb.ok(&["group", "describe", "s"]);
    assert!(text.starts_with("Share group 's' is Empty: no active members, total lag 2\n"), "{text}");
    assert!(text.contains("s      t      0          1             3               2    0"), "{text}");
    // A consumer group's pending: committed offsets only.
    let pending: Value = serde_json::from_str(&sb.ok(&["group", "pending", "c", "--format", "json"])).expect("json");
    assert_eq!((pending["type"].as_str(), pending["in_flight_known"].as_bool()), (Some("consumer"), Some(false)));
    assert_eq!(pending["waiting"], 0);
    // Reset (Kafka: only an empty group), then delete.
    let live = Member::spawn_unread(&sb, "s", &["--follow"]);
    eventually("a live member", || member_ids(&describe(&sb, "s")).len() == 1);
    let err = sb.fails(&["group", "reset-offsets", "s", "--topic", "t", "--to-earliest", "--execute"], 73);
    assert!(err.contains("active member"), "{err}");
    sb.fails(&["group", "delete", "s"], 73);
    live.kill9();
    eventually("no live member", || member_ids(&describe(&sb, "s")).is_empty());
    sb.ok(&["group", "reset-offsets", "s", "--topic", "t", "--to-earliest", "--execute"]);
    let d = describe(&sb, "s");
    assert_eq!((d["partitions"][0]["start_offset"].as_u64(), in_flight(&d).len()), (Some(0), 0), "{d}");
    assert_eq!(sb.ok(&["-q", "consume", "t", "--share", "s"]), "r0\nr1\nr2\n");
    sb.ok(&["group", "delete", "s"]);
    sb.fails(&["group", "describe", "s"], 66);
}

#[test]
fn share_flags_need_share_and_kafka_has_no_share_consumer() {
    let sb = Sandbox::new();
    sb.produce("t", &["--create"], records(1));
    let err = sb.fails(&["consume", "t", "--lock-duration", "5s"], 2);
    assert!(err.contains("--lock-duration needs --share"), "{err}");
    sb.fails(&["consume", "t", "--share", "w", "--group", "g"], 2);
    let err = sb.fails(&["consume", "t", "--share", "w", "--session-timeout", "5s"], 2);
    assert!(err.contains("not share groups"), "{err}");
    let err = sb.fails(&["--bootstrap-server", "127.0.0.1:9", "consume", "t", "--share", "w"], 2);
    assert!(err.contains("librdkafka") && err.contains("share consumer"), "{err}");
}

#[test]
fn exec_accepts_on_success_releases_on_failure_and_dead_letters_at_the_limit() {
    let sb = Sandbox::new();
    sb.produce("t", &["--create"], records(12));
    let log = sb.root().join("done.log");
    let command = format!(
        r#"read -r line; echo "$line $RUNNEL_DELIVERY" >> '{}'; case "$line" in r3|r7) exit 1;; esac"#,
        log.display()
    );
    let flags = |extra: &'static [&'static str]| {
        let mut f =
            vec!["--exec", command.as_str(), "--max-deliver", "2", "--dead-letter", "dlq", "--retry-backoff", "10ms"];
        f.extend_from_slice(extra);
        f
    };
    // Two members at once, each until nothing is left to acquire.
    let members: Vec<Member> =
        (0..2).map(|_| Member::spawn(&sb, "w", &flags(&["--client-id", "x"]), Duration::ZERO)).collect();
    for m in members {
        let (status, _, stderr) = m.finish();
        assert!(status.success(), "{stderr}");
    }
    // Any record left (a member drained while the other still held it) is done by one more run.
    let out =
        sb.run(&["consume", "t", "--share", "w", "--exec", &command, "--max-deliver", "2", "--dead-letter", "dlq"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let d = describe(&sb, "w");
    assert_eq!((d["partitions"][0]["start_offset"].as_u64(), in_flight(&d).len()), (Some(12), 0), "{d}");
    assert_eq!(d["dead_letter_topic"], "dlq");
    // Each good record ran once and succeeded; r3 and r7 twice, then went to the dead letters.
    let text = std::fs::read_to_string(&log).expect("log");
    let mut runs: Vec<&str> = text.lines().collect();
    runs.sort_unstable();
    let mut expected: Vec<String> = (0..12).map(|i| format!("r{i} 1")).collect();
    expected.extend(["r3 2".to_string(), "r7 2".to_string()]);
    expected.sort_unstable();
    assert_eq!(runs, expected);
    let letters = sb.consume_json("dlq", &[]);
    let offsets: Vec<&str> = letters.iter().filter_map(|l| l["headers"]["runnel.errors.offset"].as_str()).collect();
    assert_eq!(offsets, ["3", "7"], "{letters:?}");
    for l in &letters {
        assert_eq!(l["headers"]["runnel.errors.deliveries"], "2");
        assert_eq!(l["headers"]["runnel.errors.exit"], "exit 1");
        assert_eq!(l["headers"]["runnel.errors.group"], "w");
        assert_eq!(l["headers"]["runnel.errors.command"], command.as_str(), "the writer's own last try");
    }
    assert_eq!(letters[0]["value"], "r3");
}

/// A record whose holder died and whose lock expired at the delivery limit
/// is dead-lettered by the member that finds it, which names no command:
/// no try ended, and the finder may run another command than the holder.
#[test]
fn a_dead_letter_for_an_expired_lock_names_no_command() {
    let sb = Sandbox::new();
    sb.produce("t", &["--create"], records(1));
    let started = sb.root().join("started");
    let holder = format!("touch '{}'; exec sleep 60", started.display());
    let args = ["-q", "consume", "t", "--share", "w", "--lock-duration", "500ms", "--max-deliver", "1", "--exec"];
    let a = crate::harness::Proc::spawn(&sb, &[&args[..], &[holder.as_str()]].concat(), None);
    assert!(crate::common::wait_until(Duration::from_secs(30), || started.exists()));
    a.kill9();
    std::thread::sleep(Duration::from_millis(800));
    sb.ok(&[&args[..], &["cat", "--dead-letter", "dlq"]].concat());
    let letters = sb.consume_json("dlq", &[]);
    assert_eq!(letters.len(), 1, "{letters:?}");
    assert_eq!(letters[0]["headers"]["runnel.errors.exit"], "lock expired");
    assert_eq!(letters[0]["headers"]["runnel.errors.command"], "", "not the finder's 'cat'");
}

#[test]
fn pending_of_a_consumer_group_shows_a_pipelines_retried_records() {
    let sb = Sandbox::new();
    sb.produce("t", &["--create"], records(3));
    let args = ["consume", "t", "--group", "c", "--exec", r#"read -r l; test "$l" != r1"#];
    let err = sb.fails(&[&args[..], &["--max-deliver", "2", "--retry-backoff", "10ms"]].concat(), 123);
    assert!(err.contains("offset 1"), "{err}");
    let pending: Value = serde_json::from_str(&sb.ok(&["group", "pending", "c", "--format", "json"])).expect("json");
    assert_eq!((pending["type"].as_str(), pending["in_flight_known"].as_bool()), (Some("consumer"), Some(false)));
    assert_eq!((pending["retried"].as_u64(), pending["waiting"].as_u64()), (Some(1), Some(2)), "{pending}");
    let retried = &pending["partitions"][0]["records"][0];
    assert_eq!((retried["offset"].as_u64(), retried["delivery_count"].as_u64()), (Some(1), Some(2)), "{pending}");
    let table = sb.ok(&["group", "pending", "c"]);
    assert!(table.starts_with("Consumer group 'c': - in flight, 1 retried, 2 waiting"), "{table}");
}

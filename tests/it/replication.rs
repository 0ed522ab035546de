//! Brokers and replication through the real binary: placement, `broker
//! fail|recover|add|list`, `elect-leaders`, describe filters, and what
//! producers and consumers see across failures.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::common::Sandbox;
use serde_json::Value;

/// `n` distinct values starting at `from`, one per line.
fn values(from: u32, n: u32) -> String {
    (from..from + n).map(|i| format!("msg-{i}\n")).collect()
}

fn expected(from: u32, n: u32) -> BTreeSet<String> {
    (from..from + n).map(|i| format!("msg-{i}")).collect()
}

/// Every value `consume` prints, asserting none repeats.
fn consumed(s: &Sandbox, topic: &str) -> BTreeSet<String> {
    let out = s.ok(&["consume", topic]);
    let all: Vec<String> = out.lines().map(str::to_string).collect();
    let set: BTreeSet<String> = all.iter().cloned().collect();
    assert_eq!(set.len(), all.len(), "a value was consumed twice");
    set
}

fn partitions(desc: &Value) -> &Vec<Value> {
    desc["partitions"].as_array().expect("partitions")
}

/// Partition 0 of a topic, as `topic describe` shows it.
fn first(s: &Sandbox, topic: &str) -> Value {
    partitions(&s.describe(topic))[0].clone()
}

fn ids(v: &Value) -> Vec<u32> {
    v.as_array().expect("ids").iter().map(|x| x.as_u64().expect("id") as u32).collect()
}

fn leader(p: &Value) -> Option<u32> {
    p["leader"].as_u64().map(|l| l as u32)
}

fn brokers(s: &Sandbox) -> Value {
    serde_json::from_str(&s.ok(&["broker", "list", "--format", "json"])).expect("broker list json")
}

#[test]
fn placement_is_distinct_and_balanced() {
    for (broker_count, partition_count, rf) in [(3u32, 6u32, 3u32), (4, 8, 2), (5, 10, 3), (3, 3, 1)] {
        let s = Sandbox::with_brokers(broker_count);
        s.ok(&["topic", "create", "t", "-p", &partition_count.to_string(), "-r", &rf.to_string()]);
        let desc = s.describe("t");
        let mut leads: BTreeMap<u32, u32> = BTreeMap::new();
        for p in partitions(&desc) {
            let replicas = ids(&p["replicas"]);
            assert_eq!(replicas.len(), rf as usize, "{p}");
            assert_eq!(replicas.iter().collect::<BTreeSet<_>>().len(), replicas.len(), "replicas distinct: {p}");
            assert!(replicas.iter().all(|&b| b < broker_count), "{p}");
            assert_eq!(leader(p), Some(replicas[0]), "the preferred replica leads at creation: {p}");
            assert_eq!(ids(&p["isr"]), replicas);
            assert_eq!(p["leader_epoch"], 0);
            *leads.entry(replicas[0]).or_default() += 1;
        }
        let per_broker = partition_count / broker_count;
        assert!(leads.values().all(|&n| n == per_broker), "{broker_count}/{partition_count}/{rf}: {leads:?}");
        let list = brokers(&s);
        for b in list.as_array().expect("array") {
            assert_eq!(b["status"], "up");
            assert_eq!(b["leader_of"], per_broker);
            assert_eq!(b["replicas"], partition_count * rf / broker_count, "{list}");
        }
    }
}

#[test]
fn acked_messages_survive_failing_leaders() {
    let s = Sandbox::with_brokers(3);
    s.ok(&["topic", "create", "rides", "-p", "6", "-r", "3"]);
    s.ok_with(&["produce", "rides", "--acks", "all"], values(0, 300));
    let before = s.describe("rides");
    let victim = leader(&partitions(&before)[0]).expect("leader");

    let out = s.ok(&["broker", "fail", &victim.to_string(), "--format", "json"]);
    let changes: Value = serde_json::from_str(&out).expect("changes json");
    let after = s.describe("rides");
    let mut moved = 0;
    for (old, new) in partitions(&before).iter().zip(partitions(&after)) {
        assert!(!ids(&new["isr"]).contains(&victim), "{new}");
        if leader(old) == Some(victim) {
            moved += 1;
            assert_ne!(leader(new), Some(victim));
            assert!(leader(new).is_some());
            assert_eq!(new["leader_epoch"], old["leader_epoch"].as_u64().expect("epoch") + 1);
            assert_eq!(new["high_watermark"], old["high_watermark"], "the new leader has every acked record");
        } else {
            assert_eq!(leader(new), leader(old));
            assert_eq!(new["leader_epoch"], old["leader_epoch"]);
        }
    }
    assert_eq!(moved, 2);
    let changes = changes.as_array().expect("array");
    assert_eq!(changes.len(), 6, "every ISR shrank: {changes:?}");
    assert_eq!(changes.iter().filter(|c| c["old_leader"] != c["new_leader"]).count(), moved);
    assert_eq!(consumed(&s, "rides"), expected(0, 300));

    // A second leader goes: one broker is left, and it still has everything.
    let second = leader(&partitions(&after)[0]).expect("leader");
    let text = s.ok(&["broker", "fail", &second.to_string()]);
    let lines: Vec<&str> = text.lines().filter(|l| l.contains(&format!("leader {second} -> "))).collect();
    assert!(!lines.is_empty(), "{text}");
    assert!(lines.iter().all(|l| l.contains("(epoch ")), "{text}");
    assert_eq!(consumed(&s, "rides"), expected(0, 300));
    s.ok_with(&["produce", "rides", "--acks", "all"], values(300, 30));
    assert_eq!(consumed(&s, "rides"), expected(0, 330));
    let list = brokers(&s);
    let survivor = list.as_array().expect("array").iter().find(|b| b["status"] == "up").expect("one up");
    assert_eq!(survivor["leader_of"], 6);
}

#[test]
fn acks_all_below_min_insync_replicas_writes_nothing() {
    let s = Sandbox::with_brokers(3);
    s.ok(&["topic", "create", "strict", "-p", "2", "-r", "3", "--config", "min.insync.replicas=3"]);
    s.ok_with(&["produce", "strict", "--acks", "all"], values(0, 20));
    s.ok(&["broker", "fail", "1"]);
    let before = s.describe("strict");
    let err = s.fails_with(&["produce", "strict", "--acks", "all"], &values(20, 20), 69);
    assert!(err.contains("min.insync.replicas=3"), "{err}");
    let after = s.describe("strict");
    for (b, a) in partitions(&before).iter().zip(partitions(&after)) {
        assert_eq!(a["high_watermark"], b["high_watermark"]);
    }
    assert_eq!(consumed(&s, "strict"), expected(0, 20));
    // --acks 1 needs only the leader.
    s.ok_with(&["produce", "strict", "--acks", "1"], values(20, 2));
    assert_eq!(consumed(&s, "strict").len(), 22);
}

/// A one-partition RF-2 topic whose two replicas are `(first, second)`.
fn pair(s: &Sandbox, topic: &str, config: &[&str]) -> (u32, u32) {
    let mut args = vec!["topic", "create", topic, "-p", "1", "-r", "2"];
    for c in config {
        args.extend(["--config", c]);
    }
    s.ok(&args);
    let replicas = ids(&partitions(&s.describe(topic))[0]["replicas"]);
    (replicas[0], replicas[1])
}

#[test]
fn an_offline_partition_refuses_produce_and_consume() {
    let s = Sandbox::with_brokers(3);
    let (a, b) = pair(&s, "solo", &[]);
    s.ok_with(&["produce", "solo"], values(0, 5));
    s.ok(&["broker", "fail", &b.to_string()]);
    s.ok_with(&["produce", "solo"], values(5, 5)); // only on `a` now
    let out = s.ok(&["broker", "fail", &a.to_string()]);
    assert_eq!(out.trim(), "solo-0: offline (no in-sync replica up)");
    let p = &first(&s, "solo");
    assert_eq!(leader(p), None);
    assert!(s.fails_with(&["produce", "solo"], "x\n", 69).contains("no leader"));
    let err = s.fails(&["consume", "solo"], 69);
    assert!(err.contains("partition 0 of 'solo'") && err.contains("no leader"), "{err}");
    let unavailable = s.ok(&["topic", "describe", "solo", "--unavailable", "--format", "json"]);
    let unavailable: Value = serde_json::from_str(&unavailable).expect("json");
    assert_eq!(partitions(&unavailable).len(), 1);

    // `b` comes back, but it missed records: no clean election...
    s.ok(&["broker", "recover", &b.to_string()]);
    assert_eq!(leader(&partitions(&s.describe("solo"))[0]), None);
    s.fails(&["consume", "solo"], 69);
    // ...until an unclean one, which loses what only `a` had.
    let out = s.ok(&["elect-leaders", "--unclean", "solo"]);
    assert!(out.contains(&format!("solo-0: leader - -> {b}")), "{out}");
    assert_eq!(consumed(&s, "solo"), expected(0, 5));
    // `a` returns: its divergent tail is cut, it rejoins the ISR, and as the
    // preferred replica it leads again (Kafka's auto.leader.rebalance.enable).
    s.ok(&["broker", "recover", &a.to_string()]);
    let p = &first(&s, "solo");
    assert_eq!(leader(p), Some(ids(&p["replicas"])[0]));
    assert_eq!(ids(&p["isr"]).len(), 2);
    assert_eq!(consumed(&s, "solo"), expected(0, 5));
}

#[test]
fn unclean_election_enabled_brings_a_partition_back_on_recovery() {
    let s = Sandbox::with_brokers(3);
    let (a, b) = pair(&s, "loose", &["unclean.leader.election.enable=true"]);
    s.ok_with(&["produce", "loose"], values(0, 5));
    s.ok(&["broker", "fail", &b.to_string()]);
    s.ok_with(&["produce", "loose"], values(5, 5));
    s.ok(&["broker", "fail", &a.to_string()]);
    s.fails(&["consume", "loose"], 69);
    let epoch_offline = partitions(&s.describe("loose"))[0]["leader_epoch"].as_u64().expect("epoch");
    // The topic allows unclean election: recovering `b` makes it leader at once.
    s.ok(&["broker", "recover", &b.to_string()]);
    let p = &first(&s, "loose");
    assert_eq!(leader(p), Some(b));
    assert_eq!(p["leader_epoch"], epoch_offline + 1);
    assert_eq!(consumed(&s, "loose"), expected(0, 5));
    s.ok_with(&["produce", "loose", "--acks", "all"], values(100, 3));
    let mut want = expected(0, 5);
    want.extend(expected(100, 3));
    assert_eq!(consumed(&s, "loose"), want);
}

#[test]
fn recover_catches_up_after_the_leader_moved_on() {
    let s = Sandbox::with_brokers(3);
    s.ok(&["topic", "create", "rides", "-p", "3", "-r", "3"]);
    s.ok_with(&["produce", "rides", "--acks", "all"], values(0, 30));
    s.ok(&["broker", "fail", "1"]);
    s.ok_with(&["produce", "rides", "--acks", "all"], values(30, 60));
    let out = s.ok(&["broker", "recover", "1"]);
    let rows: Vec<&str> = out.lines().filter(|l| l.starts_with("rides-") && !l.contains(": ")).collect();
    assert_eq!(rows.len(), 3, "{out}");
    let followers: Vec<&&str> = rows.iter().filter(|r| r.contains("rejoined")).collect();
    assert!(!followers.is_empty(), "{out}");
    for p in partitions(&s.describe("rides")) {
        assert_eq!(ids(&p["isr"]), ids(&p["replicas"]), "{p}");
    }
    let list = brokers(&s);
    assert!(list.as_array().expect("array").iter().all(|b| b["status"] == "up"));
    // Broker 1 alone now serves everything.
    s.ok(&["broker", "fail", "0"]);
    s.ok(&["broker", "fail", "2"]);
    assert_eq!(consumed(&s, "rides"), expected(0, 90));
}

/// The bytes of every `.log` segment of one replica, by file name.
fn segments(s: &Sandbox, broker: u32, topic: &str, p: u32) -> BTreeMap<String, Vec<u8>> {
    let dir = s.replica_dir(broker, topic, p);
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).expect("replica dir") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "log") {
            let name = path.file_name().expect("name").to_string_lossy().into_owned();
            out.insert(name, std::fs::read(&path).expect("read segment"));
        }
    }
    out
}

#[test]
fn a_wiped_broker_is_rebuilt_from_the_leaders() {
    let s = Sandbox::with_brokers(3);
    s.ok(&["topic", "create", "rides", "-p", "3", "-r", "3", "--config", "segment.bytes=1024"]);
    for batch in 0..10 {
        s.ok_with(&["produce", "rides", "--acks", "all"], values(batch * 20, 20));
    }
    let led = partitions(&s.describe("rides"))
        .iter()
        .find(|p| leader(p) == Some(1))
        .map(|p| p["partition"].to_string())
        .expect("broker 1 leads a partition");
    std::fs::remove_dir_all(s.path().join("broker-1")).expect("wipe broker-1");
    // Broker 1 leads a partition whose replica is now gone: writes refuse.
    let err = s.fails_with(&["produce", "rides", "--partition", &led], "x\n", 69);
    assert!(err.contains("broker recover 1"), "{err}");
    let out = s.ok(&["broker", "recover", "1"]);
    let rows: Vec<&str> = out.lines().filter(|l| l.starts_with("rides-") && !l.contains(": ")).collect();
    assert_eq!(rows.len(), 3, "{out}");
    assert!(rows.iter().all(|r| r.contains(" yes ")), "every replica rebuilt: {out}");
    let desc = s.describe("rides");
    for p in partitions(&desc) {
        let n = p["partition"].as_u64().expect("partition") as u32;
        assert_eq!(ids(&p["isr"]), ids(&p["replicas"]), "{p}");
        let lead = leader(p).expect("leader");
        assert_eq!(lead, ids(&p["replicas"])[0], "rebuilt, the preferred replica leads again: {p}");
        let theirs = segments(&s, lead, "rides", n);
        assert!(theirs.len() > 1, "several segments");
        assert_eq!(segments(&s, 1, "rides", n), theirs, "partition {n}: same segments, same bytes");
    }
    s.ok(&["broker", "fail", "0"]);
    s.ok(&["broker", "fail", "2"]);
    assert_eq!(consumed(&s, "rides"), expected(0, 200));
}

#[test]
fn preferred_election_gives_leadership_back() {
    let s = Sandbox::with_brokers(3);
    s.ok(&["topic", "create", "rides", "-p", "6", "-r", "3"]);
    s.ok_with(&["produce", "rides"], values(0, 60));
    s.ok(&["broker", "fail", "0"]);
    let failed_over = s.describe("rides");
    let displaced: Vec<u64> = partitions(&failed_over)
        .iter()
        .filter(|p| leader(p) != Some(ids(&p["replicas"])[0]))
        .map(|p| p["partition"].as_u64().expect("partition"))
        .collect();
    assert_eq!(displaced.len(), 2, "{failed_over}");
    // Back in sync, broker 0 leads its preferred partitions again at once
    // (Kafka's auto.leader.rebalance.enable).
    let out = s.ok(&["broker", "recover", "0"]);
    assert_eq!(out.lines().filter(|l| l.contains(" -> 0 (epoch 2)")).count(), 2, "{out}");
    for p in partitions(&s.describe("rides")) {
        assert_eq!(leader(p), Some(ids(&p["replicas"])[0]), "{p}");
    }
    // A leader moved off its preferred replica by hand (as an interrupted
    // change could leave it): `elect-leaders --preferred` moves it back.
    let file = s.path().join("topics").join("rides.json");
    let mut topic: Value = serde_json::from_str(&std::fs::read_to_string(&file).expect("read")).expect("json");
    for &n in &displaced {
        let p = &mut topic["partitions"][n as usize];
        p["leader"] = p["replicas"][1].clone();
        p["leader_epoch"] = Value::from(p["leader_epoch"].as_u64().expect("epoch") + 1);
    }
    std::fs::write(&file, serde_json::to_string_pretty(&topic).expect("json")).expect("write");
    let out = s.ok(&["elect-leaders", "--preferred"]);
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(out.lines().all(|l| l.contains(" -> 0 (epoch 4)")), "{out}");
    for p in partitions(&s.describe("rides")) {
        assert_eq!(leader(p), Some(ids(&p["replicas"])[0]), "{p}");
    }
    // Nothing left to do: no output, exit 0; the default is --preferred.
    assert_eq!(s.ok(&["elect-leaders", "rides"]), "");
    assert_eq!(consumed(&s, "rides"), expected(0, 60));
    s.fails(&["elect-leaders", "nope"], 66);
    s.fails(&["elect-leaders", "--preferred", "--unclean"], 2);
}

#[test]
fn broker_add_and_list() {
    let s = Sandbox::with_brokers(3);
    s.ok(&["topic", "create", "rides", "-p", "3", "-r", "2"]);
    s.ok(&["broker", "add"]);
    let list = brokers(&s);
    assert_eq!(list.as_array().expect("array").len(), 4);
    assert_eq!(list[3], serde_json::json!({"id": 3, "status": "up", "leader_of": 0, "replicas": 0}));
    assert!(s.path().join("broker-3").is_dir());
    s.ok(&["topic", "create", "wide", "-p", "4", "-r", "4"]);
    assert_eq!(brokers(&s)[3]["replicas"], 4);
    let table = s.ok(&["broker", "list"]);
    assert_eq!(table.lines().next(), Some("ID  STATUS  LEADER-OF  REPLICAS"));
    assert_eq!(table.lines().count(), 5);
}

#[test]
fn describe_filters_under_replicated_and_unavailable() {
    let s = Sandbox::with_brokers(3);
    s.ok(&["topic", "create", "rides", "-p", "6", "-r", "2"]);
    let filtered = |flag: &str| -> Vec<u32> {
        let out = s.ok(&["topic", "describe", "rides", flag, "--format", "json"]);
        let v: Value = serde_json::from_str(&out).expect("json");
        partitions(&v).iter().map(|p| p["partition"].as_u64().expect("p") as u32).collect()
    };
    assert!(filtered("--under-replicated").is_empty());
    assert!(filtered("--unavailable").is_empty());
    s.ok(&["broker", "fail", "1"]);
    let desc = s.describe("rides");
    let hosted: Vec<u32> = partitions(&desc)
        .iter()
        .filter(|p| ids(&p["replicas"]).contains(&1))
        .map(|p| p["partition"].as_u64().expect("p") as u32)
        .collect();
    assert_eq!(filtered("--under-replicated"), hosted);
    assert_eq!(filtered("--under-replicated-partitions"), hosted);
    assert!(filtered("--unavailable").is_empty());
    s.ok(&["broker", "fail", "2"]);
    let both: Vec<u32> = partitions(&s.describe("rides"))
        .iter()
        .filter(|p| {
            let r = ids(&p["replicas"]);
            r.contains(&1) && r.contains(&2)
        })
        .map(|p| p["partition"].as_u64().expect("p") as u32)
        .collect();
    assert!(!both.is_empty());
    assert_eq!(filtered("--unavailable"), both);
    let table = s.ok(&["topic", "describe", "rides", "--unavailable"]);
    let rows = table.lines().skip_while(|l| !l.starts_with("PARTITION")).count();
    assert_eq!(rows, both.len() + 1, "{table}");
}

#[test]
fn unknown_and_repeated_broker_commands() {
    let s = Sandbox::with_brokers(3);
    assert!(s.fails(&["broker", "fail", "9"], 66).contains("unknown broker 9"));
    s.fails(&["broker", "recover", "9"], 66);
    s.ok(&["broker", "fail", "2"]);
    let err = s.fails(&["broker", "fail", "2"], 73);
    assert!(err.contains("already down"), "{err}");
    // Recovering a broker that is up is harmless.
    s.ok(&["broker", "recover", "0"]);
}

/// A `consume --follow` process whose stdout lines arrive on a channel.
struct Follower {
    child: Child,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Follower {
    fn start(s: &Sandbox, topic: &str) -> Follower {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("runnel"))
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", s.path())
            .arg("--data-dir")
            .arg(s.path())
            .args(["consume", topic, "--follow", "--format", "%p %o %s\\n"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn consumer");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Follower { child, lines, seen: Vec::new() }
    }

    /// Waits (up to a deadline) until `n` lines arrived in all.
    fn wait_for(&mut self, n: usize) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.seen.len() < n {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => self.seen.push(line),
                Err(_) => panic!("only {} of {n} lines arrived: {:?}", self.seen.len(), self.seen.last()),
            }
        }
    }
}

impl Drop for Follower {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn a_following_consumer_moves_to_the_new_leader_without_gap_or_repeat() {
    let s = Sandbox::with_brokers(3);
    s.ok(&["topic", "create", "rides", "-p", "3", "-r", "3"]);
    s.ok_with(&["produce", "rides", "--acks", "all"], values(0, 90));
    let mut follower = Follower::start(&s, "rides");
    follower.wait_for(90);
    let victim = leader(&partitions(&s.describe("rides"))[0]).expect("leader");
    s.ok(&["broker", "fail", &victim.to_string()]);
    s.ok_with(&["produce", "rides", "--acks", "all"], values(90, 90));
    follower.wait_for(180);
    let next = leader(&partitions(&s.describe("rides"))[0]).expect("leader");
    s.ok(&["broker", "fail", &next.to_string()]);
    s.ok_with(&["produce", "rides", "--acks", "all"], values(180, 90));
    follower.wait_for(270);
    // Nothing more is coming: a further line would be a repeat.
    assert!(follower.lines.recv_timeout(Duration::from_millis(300)).is_err(), "an extra line arrived");

    let mut offsets: BTreeMap<u32, Vec<u64>> = BTreeMap::new();
    let mut got = BTreeSet::new();
    for line in &follower.seen {
        let mut parts = line.splitn(3, ' ');
        let p: u32 = parts.next().and_then(|x| x.parse().ok()).expect("partition");
        let o: u64 = parts.next().and_then(|x| x.parse().ok()).expect("offset");
        offsets.entry(p).or_default().push(o);
        assert!(got.insert(parts.next().expect("value").to_string()), "repeated: {line}");
    }
    assert_eq!(got, expected(0, 270));
    for (p, offs) in offsets {
        let want: Vec<u64> = (0..offs.len() as u64).collect();
        assert_eq!(offs, want, "partition {p}: offsets in order, no gap, no repeat");
    }
}

#[test]
fn a_consumer_never_reads_a_leader_whose_broker_is_down() {
    let s = Sandbox::with_brokers(2);
    s.ok(&["topic", "create", "rides", "-p", "1", "-r", "2"]);
    s.ok_with(&["produce", "rides"], values(0, 5));
    let lead = leader(&first(&s, "rides")).expect("leader");
    // As an interrupted `broker fail` leaves it: the broker is marked down,
    // the topic still names it as leader.
    let path = s.path().join("cluster.json");
    let mut meta: Value = serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
    for b in meta["brokers"].as_array_mut().expect("brokers") {
        if b["id"] == lead {
            b["status"] = "down".into();
        }
    }
    std::fs::write(&path, serde_json::to_string(&meta).expect("json")).expect("write");
    let err = s.fails(&["consume", "rides"], 69);
    assert!(err.contains(&format!("broker {lead}, is down")), "{err}");
    assert!(err.contains(&format!("runnel broker fail {lead}")), "{err}");
    // Finishing the fail moves leadership; the records are all there.
    s.ok(&["broker", "fail", &lead.to_string()]);
    assert_eq!(consumed(&s, "rides"), expected(0, 5));
}

#[test]
fn a_corrupt_replica_is_repaired_from_an_in_sync_replica() {
    let s = Sandbox::with_brokers(3);
    s.ok(&["topic", "create", "rides", "-r", "3", "--config", "segment.bytes=1024"]);
    for batch in 0..10 {
        s.ok_with(&["produce", "rides", "--acks", "all"], values(batch * 20, 20));
    }
    // A flipped byte in the middle of a closed segment of broker 1's copy.
    let damaged = segments(&s, 1, "rides", 0).into_keys().next().expect("a segment");
    let path = s.replica_dir(1, "rides", 0).join(&damaged);
    let mut bytes = std::fs::read(&path).expect("read");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0xff;
    std::fs::write(&path, &bytes).expect("write");
    let err = s.fails(&["log", "verify", "rides"], 74);
    assert!(err.contains(&damaged), "verify names the damaged file: {err}");
    // Plain recovery does not read every frame; --repair does, and rebuilds the copy.
    let out = s.ok(&["broker", "recover", "1", "--repair"]);
    assert!(out.contains("repaired:") && out.contains(&damaged), "{out}");
    s.ok(&["log", "verify", "rides"]);
    let lead = leader(&first(&s, "rides")).expect("leader");
    assert_eq!(segments(&s, 1, "rides", 0), segments(&s, lead, "rides", 0), "same bytes as the leader");
    // Broker 1's copy alone serves every message.
    s.ok(&["broker", "fail", "0"]);
    s.ok(&["broker", "fail", "2"]);
    assert_eq!(consumed(&s, "rides"), expected(0, 200));
}

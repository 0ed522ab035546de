//! Replicas are evidence (issue 15, class 1): damage to a leader's copy —
//! a flipped byte in its last whole frame, a deleted or emptied segment, a
//! lost folder — is found by `log verify`, never cut away by a writer (which
//! would truncate the healthy followers to match), and repaired from the
//! in-sync replicas by `log verify --repair`; a follower short of the high
//! watermark is reported. Each test drives the real binary on real files.

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::common::Sandbox;

fn values(from: u32, n: u32) -> String {
    (from..from + n).map(|i| format!("msg-{i}\n")).collect()
}

fn expected(n: u32) -> BTreeSet<String> {
    (0..n).map(|i| format!("msg-{i}")).collect()
}

/// Every value `consume` prints, asserting none repeats.
fn consumed(s: &Sandbox) -> BTreeSet<String> {
    let out = s.ok(&["consume", "rides"]);
    let set: BTreeSet<String> = out.lines().map(str::to_string).collect();
    assert_eq!(set.len(), out.lines().count(), "a value was consumed twice");
    set
}

fn leader(s: &Sandbox) -> u32 {
    s.describe("rides")["partitions"][0]["leader"].as_u64().expect("leader") as u32
}

/// The segment files of a broker's replica, ascending.
fn segments(s: &Sandbox, broker: u32) -> Vec<PathBuf> {
    s.segment_logs(broker, "rides", 0)
}

/// All frames of a broker's replica, segment after segment.
fn log_bytes(s: &Sandbox, broker: u32) -> Vec<u8> {
    segments(s, broker).iter().flat_map(|p| std::fs::read(p).expect("read")).collect()
}

/// Three brokers, `rides` with RF 3 and small segments, `batches` produces
/// of 20 records each with `--acks all`, every one exit 0.
fn acked(batches: u32) -> Sandbox {
    acked_with(batches, "segment.bytes=1024")
}

fn acked_with(batches: u32, config: &str) -> Sandbox {
    let s = Sandbox::with_brokers(3);
    s.ok(&["topic", "create", "rides", "-r", "3", "--config", "segment.bytes=1024", "--config", config]);
    for b in 0..batches {
        s.ok_with(&["produce", "rides", "--acks", "all"], values(b * 20, 20));
    }
    s
}

/// After a repair: verify is clean, another acknowledged produce works, and
/// every acknowledged record is on every replica (byte for byte) and read.
fn every_acked_record_on_every_replica(s: &Sandbox, produced: u32) {
    s.ok(&["log", "verify", "rides"]);
    s.ok_with(&["produce", "rides", "--acks", "all"], values(produced, 20));
    assert_eq!(consumed(s), expected(produced + 20));
    let lead = log_bytes(s, leader(s));
    for b in 0..3 {
        assert_eq!(log_bytes(s, b), lead, "broker {b} holds the leader's frames");
    }
    s.ok(&["log", "verify", "rides"]);
}

#[test]
fn a_flipped_byte_in_the_leaders_last_whole_frame_is_corruption_repaired_from_a_follower() {
    let s = acked(3);
    let lead = leader(&s);
    let active = segments(&s, lead).pop().expect("active segment");
    let mut bytes = std::fs::read(&active).expect("read");
    let at = bytes.len() - 3;
    bytes[at] ^= 0x20;
    std::fs::write(&active, &bytes).expect("write");
    let name = active.file_name().expect("name").to_string_lossy().into_owned();
    let followers: Vec<(u32, Vec<u8>)> = (0..3).filter(|&b| b != lead).map(|b| (b, log_bytes(&s, b))).collect();

    let err = s.fails(&["log", "verify", "rides"], 74);
    assert!(err.contains(&name), "verify names the damaged file: {err}");
    // The next produce refuses rather than cutting the frame (and the followers with it).
    let err = s.fails_with(&["produce", "rides", "--acks", "all"], &values(1000, 1), 74);
    assert!(err.contains(&name) && err.contains("log verify --repair"), "{err}");
    for (b, before) in &followers {
        assert_eq!(&log_bytes(&s, *b), before, "broker {b}'s copy untouched");
    }
    assert_eq!(std::fs::read(&active).expect("read"), bytes, "the damaged frame is not cut");
    let out = s.run(&["log", "verify", "rides", "--repair"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("repaired:") && stderr.contains(&name), "says what it did: {stderr}");
    every_acked_record_on_every_replica(&s, 60);
}

#[test]
fn the_flipped_last_frame_is_also_repaired_by_broker_recover() {
    let s = acked(2);
    let lead = leader(&s);
    let active = segments(&s, lead).pop().expect("active segment");
    let mut bytes = std::fs::read(&active).expect("read");
    let at = bytes.len() - 10;
    bytes[at] ^= 1;
    std::fs::write(&active, &bytes).expect("write");
    let out = s.ok(&["broker", "recover", &lead.to_string(), "--repair"]);
    assert!(out.contains("repaired"), "{out}");
    every_acked_record_on_every_replica(&s, 40);
}

/// A leader segment deleted or emptied: `which` counts from the first.
fn damage_a_leader_segment(which: Which, how: How) {
    let s = acked(8);
    let lead = leader(&s);
    let files = segments(&s, lead);
    assert!(files.len() >= 3, "small segments: {files:?}");
    let victim = match which {
        Which::Middle => files[1].clone(),
        Which::Last => files[files.len() - 1].clone(),
    };
    // More than the one frame a writer killed before the leader can leave.
    let frames = s.ok(&["log", "dump", &victim.to_string_lossy(), "--no-records", "--format", "json"]);
    assert!(frames.lines().count() >= 2, "{frames}");
    match how {
        How::Deleted => std::fs::remove_file(&victim).expect("delete"),
        How::Emptied => std::fs::write(&victim, b"").expect("empty"),
    }
    let err = s.fails(&["log", "verify", "rides"], 74);
    assert!(err.contains(&format!("broker-{lead}")), "verify names the leader's replica: {err}");
    if let Which::Middle = which {
        // Never a silent gap: reading the leader stops at it with 74.
        let out = s.run(&["consume", "rides"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(74), "{stderr}");
        assert!(stderr.contains("are missing"), "{stderr}");
    }
    let out = s.run(&["log", "verify", "--repair"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{which:?} {how:?}: {stderr}");
    assert!(stderr.contains("repaired:"), "{stderr}");
    every_acked_record_on_every_replica(&s, 160);
}

#[derive(Debug, Clone, Copy)]
enum Which {
    Middle,
    Last,
}

#[derive(Debug, Clone, Copy)]
enum How {
    Deleted,
    Emptied,
}

#[test]
fn a_deleted_middle_segment_of_the_leader_is_damage_repaired_from_the_isr() {
    damage_a_leader_segment(Which::Middle, How::Deleted);
}

#[test]
fn an_emptied_middle_segment_of_the_leader_is_damage_repaired_from_the_isr() {
    damage_a_leader_segment(Which::Middle, How::Emptied);
}

#[test]
fn a_deleted_last_segment_of_the_leader_is_damage_repaired_from_the_isr() {
    damage_a_leader_segment(Which::Last, How::Deleted);
}

#[test]
fn an_emptied_last_segment_of_the_leader_is_damage_repaired_from_the_isr() {
    damage_a_leader_segment(Which::Last, How::Emptied);
}

#[test]
fn the_next_produce_gives_a_leader_that_lost_its_last_segment_the_records_back() {
    let s = acked(8);
    let lead = leader(&s);
    let last = segments(&s, lead).pop().expect("segment");
    std::fs::write(&last, b"").expect("empty");
    // Two in-sync followers hold what the leader lost: the writer does not
    // cut them to the leader, the leader takes it back from them.
    s.ok_with(&["produce", "rides", "--acks", "all"], values(160, 20));
    assert_eq!(consumed(&s), expected(180));
    s.ok(&["log", "verify", "rides"]);
}

#[test]
fn a_lost_leader_replica_folder_is_repaired_from_the_isr() {
    let s = acked(4);
    let lead = leader(&s);
    std::fs::remove_dir_all(s.replica_dir(lead, "rides", 0)).expect("remove");
    let err = s.fails(&["log", "verify", "rides"], 74);
    assert!(err.contains("missing"), "{err}");
    s.fails_with(&["produce", "rides", "--acks", "all"], &values(1000, 1), 69);
    let out = s.run(&["log", "verify", "--repair"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("repaired:") && stderr.contains("lost replica"), "{stderr}");
    every_acked_record_on_every_replica(&s, 80);
}

#[test]
fn a_follower_shorter_than_the_isr_is_reported_and_levelled() {
    let s = acked(8);
    let lead = leader(&s);
    let follower = (0..3).find(|&b| b != lead).expect("follower");
    let last = segments(&s, follower).pop().expect("segment");
    std::fs::write(&last, b"").expect("empty");
    let err = s.fails(&["log", "verify", "rides"], 74);
    assert!(err.contains(&format!("broker-{follower}")), "{err}");
    let table = s.run(&["log", "verify", "rides"]);
    let out = String::from_utf8_lossy(&table.stdout);
    assert!(out.contains("below the high watermark"), "{out}");
    let out = s.run(&["log", "verify", "--repair"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    every_acked_record_on_every_replica(&s, 160);
}

#[test]
fn a_damaged_copy_with_no_healthy_replica_is_refused_naming_the_file() {
    let s = Sandbox::new();
    s.ok(&["topic", "create", "rides"]);
    s.ok_with(&["produce", "rides"], values(0, 20));
    let active = segments(&s, 0).pop().expect("segment");
    let mut bytes = std::fs::read(&active).expect("read");
    let at = bytes.len() - 3;
    bytes[at] ^= 0x20;
    std::fs::write(&active, &bytes).expect("write");
    let out = s.run(&["log", "verify", "--repair"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(74), "{stderr}");
    assert!(stderr.contains("not repaired") && stderr.contains("00000000000000000000.log"), "{stderr}");
    assert_eq!(std::fs::read(&active).expect("read"), bytes, "the only copy is kept as it is");
}

#[test]
fn a_damaged_index_is_reported_and_rebuilt_from_its_segment() {
    let s = acked_with(8, "index.interval.bytes=100");
    let closed = segments(&s, 1)[0].with_extension("index");
    let good = std::fs::read(&closed).expect("read index");
    assert!(!good.is_empty(), "small segments still earn index entries");
    std::fs::write(&closed, vec![0xab; good.len()]).expect("damage the index");
    let err = s.fails(&["log", "verify", "rides"], 74);
    assert!(err.contains(".index"), "{err}");
    let out = s.run(&["log", "verify", "--repair"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("rebuilt the damaged index"), "{stderr}");
    assert_eq!(std::fs::read(&closed).expect("read index"), good, "the entries an append writes");
    every_acked_record_on_every_replica(&s, 160);
}

/// Two brokers, `rides` with RF 2, small segments with index entries.
fn acked_pair(batches: u32) -> Sandbox {
    let s = Sandbox::with_brokers(2);
    let config = ["--config", "segment.bytes=1024", "--config", "index.interval.bytes=100"];
    s.ok(&[&["topic", "create", "rides", "-r", "2"][..], &config[..]].concat());
    for b in 0..batches {
        s.ok_with(&["produce", "rides", "--acks", "all"], values(b * 20, 20));
    }
    s
}

#[test]
fn with_two_replicas_the_leaders_index_is_the_evidence_that_its_last_segment_lost_frames() {
    for deleted in [false, true] {
        let s = acked_pair(8);
        let lead = leader(&s);
        let last = segments(&s, lead).pop().expect("segment");
        assert!(!std::fs::read(last.with_extension("index")).expect("index").is_empty(), "entries");
        if deleted {
            // The .log alone: its index files remain as evidence.
            std::fs::remove_file(&last).expect("delete");
        } else {
            std::fs::write(&last, b"").expect("empty");
        }
        let err = s.fails(&["log", "verify", "rides"], 74);
        assert!(err.contains(&format!("broker-{lead}")), "{err}");
        // One follower alone holds the lost frames, and the leader's index
        // proves it had them: the writer takes them back rather than
        // cutting the follower.
        s.ok_with(&["produce", "rides", "--acks", "all"], values(160, 20));
        assert_eq!(consumed(&s), expected(180), "deleted: {deleted}");
        assert_eq!(log_bytes(&s, 0), log_bytes(&s, 1));
        s.ok(&["log", "verify", "rides"]);
    }
}

#[test]
fn with_two_replicas_log_verify_repair_restores_a_leaders_emptied_last_segment() {
    let s = acked_pair(8);
    let lead = leader(&s);
    let last = segments(&s, lead).pop().expect("segment");
    std::fs::write(&last, b"").expect("empty");
    let out = s.run(&["log", "verify", "--repair"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("repaired:"), "{stderr}");
    assert_eq!(consumed(&s), expected(160));
    assert_eq!(log_bytes(&s, 0), log_bytes(&s, 1));
}

#[test]
fn with_two_replicas_a_follower_two_frames_beyond_the_leader_is_evidence_too() {
    // Without index entries (segments under index.interval.bytes) and with
    // the index files deleted too: the follower alone holding two frames
    // more than its leader proves the leader lost them (a writer killed
    // between follower and leader leaves one).
    for emptied in [false, true] {
        let s = Sandbox::with_brokers(2);
        s.ok(&["topic", "create", "rides", "-r", "2", "--config", "segment.bytes=1024"]);
        for b in 0..8 {
            s.ok_with(&["produce", "rides", "--acks", "all"], values(b * 20, 20));
        }
        let lead = leader(&s);
        let last = segments(&s, lead).pop().expect("segment");
        let frames = s.ok(&["log", "dump", &last.to_string_lossy(), "--no-records", "--format", "json"]);
        assert!(frames.lines().count() >= 2, "{frames}");
        if emptied {
            std::fs::write(&last, b"").expect("empty");
        } else {
            for ext in ["log", "index", "timeindex"] {
                std::fs::remove_file(last.with_extension(ext)).expect("delete");
            }
        }
        let err = s.fails(&["log", "verify", "rides"], 74);
        assert!(err.contains(&format!("broker-{lead}")), "{err}");
        s.ok_with(&["produce", "rides", "--acks", "all"], values(160, 20));
        assert_eq!(consumed(&s), expected(180), "emptied: {emptied}");
        assert_eq!(log_bytes(&s, 0), log_bytes(&s, 1));
        s.ok(&["log", "verify", "rides"]);
    }
}

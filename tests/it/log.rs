//! `runnel log verify` and `runnel log dump` through the real binary: a
//! healthy cluster verifies, each kind of damage is found with its file and
//! byte position (exit 74), verify changes nothing, and dump prints frames
//! and records like kafka-dump-log.

use std::collections::BTreeMap;
use std::fs::OpenOptions;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use crate::common::{Sandbox, assert_one_error_line};

/// Two brokers, topic `t` with 2 partitions on both, several segments.
fn cluster() -> Sandbox {
    let sb = Sandbox::with_brokers(2);
    sb.ok(&[
        "topic",
        "create",
        "t",
        "--partitions",
        "2",
        "--replication-factor",
        "2",
        "--config",
        "segment.bytes=1024",
        "--config",
        "index.interval.bytes=64",
    ]);
    for run in 0..6 {
        let input: String = (0..30).map(|i| format!("k{i}:run{run}-value-{i}\n")).collect();
        sb.produce("t", &["-K", ":"], input);
    }
    sb
}

fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    out.sort();
    out
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(path.clone(), std::fs::read(&path).expect("read"));
            }
        }
    }
    out
}

fn flip_byte(path: &Path, position: u64) {
    let file = OpenOptions::new().read(true).write(true).open(path).expect("open");
    let mut byte = [0u8];
    file.read_exact_at(&mut byte, position).expect("read");
    byte[0] ^= 0x5a;
    file.write_all_at(&byte, position).expect("write");
}

fn verify_json(sb: &Sandbox) -> serde_json::Value {
    let out = sb.run(&["log", "verify", "--format", "json"]);
    serde_json::from_slice(&out.stdout).expect("verify json")
}

#[test]
fn a_healthy_cluster_verifies_in_a_table_and_in_json() {
    let sb = cluster();
    let table = sb.ok(&["log", "verify"]);
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("BROKER  TOPIC  PARTITION  SEGMENTS  FRAMES  RECORDS  STATUS"), "{table}");
    assert_eq!(lines.len(), 5, "one row per replica: {table}");
    assert!(lines[1..].iter().all(|l| l.contains(" ok")), "{table}");

    let json = verify_json(&sb);
    assert_eq!(json["healthy"], true);
    let replicas = json["replicas"].as_array().expect("replicas");
    assert_eq!(replicas.len(), 4);
    let records: u64 = replicas.iter().map(|r| r["records"].as_u64().expect("records")).sum();
    assert_eq!(records, 2 * 180, "every record on both replicas");
    assert!(replicas.iter().all(|r| r["segments"].as_u64() > Some(1)), "several segments");
    assert!(json["metadata"].as_array().expect("metadata").len() >= 2, "cluster.json and the topic file");

    let one = sb.ok(&["log", "verify", "t:1", "--format", "json"]);
    let one: serde_json::Value = serde_json::from_str(&one).expect("json");
    assert!(one["replicas"].as_array().expect("replicas").iter().all(|r| r["partition"] == 1));
    sb.fails(&["log", "verify", "nope"], 66);
    sb.fails(&["log", "verify", "t:9"], 66);
    sb.fails(&["log", "verify", "t:x"], 2);
}

#[test]
fn a_flipped_byte_is_damage_named_by_file_and_position_and_verify_changes_nothing() {
    let sb = cluster();
    let dir = sb.replica_dir(1, "t", 0);
    let first = files(&dir, "log")[0].clone();
    let len = std::fs::metadata(&first).expect("segment").len();
    flip_byte(&first, len / 2);
    let before = snapshot(sb.path());
    let err = sb.fails(&["log", "verify"], 74);
    assert!(err.contains(&first.display().to_string()), "names the file: {err}");
    assert!(err.contains("at byte "), "names the position: {err}");
    assert!(err.contains("1 damaged replica"), "{err}");
    assert_one_error_line(&err);
    assert_eq!(snapshot(sb.path()), before, "verify changed nothing");

    let json = verify_json(&sb);
    assert_eq!(json["healthy"], false);
    let bad: Vec<&serde_json::Value> =
        json["replicas"].as_array().expect("replicas").iter().filter(|r| r["status"] != "ok").collect();
    assert_eq!(bad.len(), 1);
    assert_eq!((bad[0]["broker"].as_u64(), bad[0]["partition"].as_u64()), (Some(1), Some(0)));
    assert_eq!(bad[0]["status"], "damaged");
    let position = bad[0]["damage"][0]["position"].as_u64().expect("position");
    assert!(position <= len / 2);
    let table = String::from_utf8(sb.run(&["log", "verify"]).stdout).expect("utf-8");
    assert!(table.contains("damaged") && table.contains(&format!("byte {position}")), "{table}");
}

#[test]
fn a_torn_tail_is_reported_but_is_not_damage() {
    let sb = cluster();
    let last = files(&sb.replica_dir(0, "t", 1), "log").pop().expect("segment");
    let len = std::fs::metadata(&last).expect("log").len();
    OpenOptions::new().write(true).open(&last).expect("open").set_len(len - 5).expect("cut");
    let table = sb.ok(&["log", "verify"]);
    assert!(table.contains("torn-tail"), "{table}");
    assert!(table.contains("the next writer cuts it"), "{table}");
}

#[test]
fn garbage_indexes_and_a_lost_replica_are_damage() {
    let sb = cluster();
    let dir = sb.replica_dir(0, "t", 0);
    let index = files(&dir, "index")[0].clone();
    let garbage: Vec<u8> = (0..64u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    std::fs::write(&index, &garbage).expect("garbage index");
    let err = sb.fails(&["log", "verify", "t:0"], 74);
    assert!(err.contains(&index.display().to_string()), "names the index: {err}");

    let sb = cluster();
    let times = files(&sb.replica_dir(1, "t", 1), "timeindex");
    let time_index = times.iter().find(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0) >= 32).expect("entries");
    let bytes = std::fs::read(time_index).expect("read");
    let mut swapped = bytes[16..32].to_vec();
    swapped.extend_from_slice(&bytes[..16]);
    swapped.extend_from_slice(&bytes[32..]);
    std::fs::write(time_index, swapped).expect("swap entries");
    let err = sb.fails(&["log", "verify"], 74);
    assert!(err.contains(&time_index.display().to_string()), "names the time index: {err}");

    let sb = cluster();
    std::fs::remove_dir_all(sb.replica_dir(1, "t", 0)).expect("lose the replica");
    let err = sb.fails(&["log", "verify"], 74);
    assert!(err.contains("missing") && err.contains("t-0"), "{err}");
}

#[test]
fn damaged_metadata_files_are_named() {
    let sb = cluster();
    let cluster_json = sb.path().join("cluster.json");
    std::fs::write(&cluster_json, "{\"format_version\": 1, \"brok").expect("damage");
    let err = sb.fails(&["log", "verify"], 74);
    assert!(err.contains(&cluster_json.display().to_string()), "names cluster.json: {err}");
    assert_one_error_line(&err);
    let err = sb.fails_with(&["produce", "t"], "x\n", 74);
    assert!(err.contains("cluster.json"), "{err}");

    let sb = cluster();
    let group = sb.path().join("groups").join("g");
    std::fs::create_dir_all(&group).expect("group dir");
    std::fs::write(group.join("offsets.json"), "[1, 2").expect("damage");
    let err = sb.fails(&["log", "verify"], 74);
    assert!(err.contains("offsets.json") && err.contains("damaged"), "{err}");
    let table = String::from_utf8(sb.run(&["log", "verify"]).stdout).expect("utf-8");
    assert!(table.contains("METADATA FILE"), "{table}");

    // A long group id's hashed folder whose id file names another id.
    let sb = cluster();
    sb.ok(&["consume", "t", "--group", &"long-group-".repeat(30)]);
    sb.ok(&["log", "verify"]);
    let folder = std::fs::read_dir(sb.path().join("groups")).expect("groups/").next().expect("one").expect("entry");
    std::fs::write(folder.path().join("id.json"), "{\"group_id\": \"another\"}").expect("damage");
    let err = sb.fails(&["log", "verify"], 74);
    assert!(err.contains("id.json") && err.contains("another folder"), "{err}");
    assert_eq!(sb.ok(&["group", "list", "--names"]), "", "a group that names no folder is not listed");
}

#[test]
fn dump_prints_frames_and_records_like_kafka_dump_log() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "d"]);
    sb.produce("d", &["-K", ":"], "k1:v1\nk2:v2\n");
    sb.produce(
        "d",
        &["--format", "json"],
        "{\"key\":null,\"value\":{\"base64\":\"/wAK\"},\"headers\":{\"h\":\"x\"},\"timestamp\":5}\n",
    );

    let text = sb.ok(&["log", "dump", "d:0"]);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("Dumping ") && lines[0].ends_with("00000000000000000000.log"), "{text}");
    assert_eq!(lines[1], "Log starting offset: 0", "{text}");
    assert!(lines[2].starts_with("baseOffset: 0 lastOffset: 1 count: 2 position: 0 crc: 0x"), "{text}");
    assert!(lines[2].contains(" epoch: 0 firstTimestamp: ") && lines[2].contains(" size: "), "{text}");
    assert!(
        lines[3].starts_with("| offset: 0 timestamp: ")
            && lines[3].contains("keySize: 2 valueSize: 2 key: k1 value: v1"),
        "{text}"
    );
    assert!(lines[5].starts_with("baseOffset: 2 lastOffset: 2 count: 1 position: "), "{text}");
    assert!(lines[6].ends_with("keySize: -1 valueSize: 3 key: null value: \\xff\\u{0}\\n headers: [h=x]"), "{text}");

    let frames_only = sb.ok(&["log", "dump", "d:0", "--no-records"]);
    assert_eq!(frames_only.lines().count(), 4, "{frames_only}");
    let dir = sb.replica_dir(0, "d", 0);
    assert_eq!(sb.ok(&["log", "dump", dir.to_str().expect("path")]), text, "a replica folder");
    let file = dir.join("00000000000000000000.log");
    assert_eq!(sb.ok(&["log", "dump", file.to_str().expect("path")]), text, "a segment file");

    let json = sb.ok(&["log", "dump", "d:0", "--format", "json"]);
    let frames: Vec<serde_json::Value> = json.lines().map(|l| serde_json::from_str(l).expect("json line")).collect();
    assert_eq!(frames.len(), 2);
    assert_eq!(frames[0]["count"], 2);
    assert_eq!(frames[0]["records"][1]["key"], "k2");
    assert_eq!(frames[1]["records"][0]["value"]["base64"], "/wAK");
    assert_eq!(frames[1]["records"][0]["timestamp"], 5);

    sb.fails(&["log", "dump", "nope:0"], 66);
    sb.fails(&["log", "dump", "d:3"], 66);
    sb.fails(&["log", "dump", "/no/such/file.log"], 66);
    let err = sb.fails(&["log", "dump", dir.join("partition.metadata").to_str().expect("path")], 2);
    assert!(err.contains("is not a segment (.log), offset index (.index) or time index (.timeindex) file"), "{err}");
    let empty = sb.root().join("empty");
    std::fs::create_dir(&empty).expect("folder");
    let err = sb.fails(&["log", "dump", empty.to_str().expect("path")], 66);
    assert!(err.contains("holds no segment: it is not a replica folder"), "{err}");
}

/// An index file dumps as kafka-dump-log dumps one: `offset: N position: P`
/// per `.index` entry (the offset of the frame at that byte), `timestamp: T
/// offset: N` per `.timeindex` entry; entries that do not hold against the
/// segment are noted on stderr, and the exit code stays 0.
#[test]
fn dump_prints_index_entries_like_kafka_dump_log_and_notes_the_ones_that_do_not_hold() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "d"]);
    // Frames past index.interval.bytes (4096): each after the first gets entries.
    let big = "v".repeat(5000);
    for i in 0..4 {
        sb.produce("d", &[], format!("{big}{i}\n"));
    }
    let dir = sb.replica_dir(0, "d", 0);
    let log = dir.join("00000000000000000000.log");
    let frames: Vec<serde_json::Value> = sb
        .ok(&["log", "dump", log.to_str().expect("path"), "--no-records", "--format", "json"])
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(frames.len(), 4);

    // The first frame of a segment is never indexed: one entry per frame after it.
    let dumps_as = |file: &std::path::Path, line: &dyn Fn(&serde_json::Value) -> String| {
        let text = sb.ok(&["log", "dump", file.to_str().expect("path")]);
        let mut expected = vec![format!("Dumping {}", file.display())];
        expected.extend(frames[1..].iter().map(line));
        assert_eq!(text.lines().collect::<Vec<_>>(), expected, "{text}");
    };
    let index = dir.join("00000000000000000000.index");
    dumps_as(&index, &|frame| format!("offset: {} position: {}", frame["baseOffset"], frame["position"]));
    let time_index = dir.join("00000000000000000000.timeindex");
    dumps_as(&time_index, &|frame| format!("timestamp: {} offset: {}", frame["maxTimestamp"], frame["baseOffset"]));
    let json: Vec<serde_json::Value> = sb
        .ok(&["log", "dump", time_index.to_str().expect("path"), "--format", "json"])
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(json.len(), 3);
    assert_eq!(json[0]["offset"], frames[1]["baseOffset"]);
    assert_eq!(json[0]["position"], frames[1]["position"]);
    assert_eq!(json[0]["timestamp"], frames[1]["maxTimestamp"]);
    assert_eq!(json[0]["file"], time_index.to_str().expect("path"));

    // The second entry made to point at byte 7, and 3 stray bytes after the last.
    let mut bytes = std::fs::read(&index).expect("index");
    bytes[12..16].copy_from_slice(&7u32.to_le_bytes());
    bytes.extend_from_slice(&[1, 2, 3]);
    std::fs::write(&index, &bytes).expect("write index");
    let out = sb.run(&["log", "dump", index.to_str().expect("path")]);
    assert!(out.status.success(), "an index is a hint: exit 0");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains(&format!("offset: {} position: 7", frames[2]["baseOffset"])), "{stdout}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "the entry for offset {} at byte 7: no frame starts at byte 7",
            frames[2]["baseOffset"]
        )),
        "{stderr}"
    );
    assert!(stderr.contains("1 entries do not hold") && stderr.contains("log verify --repair"), "{stderr}");
    assert!(stderr.contains("the last 3 bytes are not a whole entry"), "{stderr}");

    // An index alone, its segment elsewhere: dumped, not checked.
    let alone = sb.root().join("alone");
    std::fs::create_dir(&alone).expect("folder");
    let copy = alone.join("00000000000000000000.timeindex");
    std::fs::copy(&time_index, &copy).expect("copy");
    let out = sb.run(&["log", "dump", copy.to_str().expect("path")]);
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 4);
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not there: the entries were not checked"));

    // A segment of one frame has no entries.
    sb.ok(&["topic", "create", "e"]);
    sb.produce("e", &[], "one\n");
    let empty = sb.replica_dir(0, "e", 0).join("00000000000000000000.index");
    let text = sb.ok(&["log", "dump", empty.to_str().expect("path")]);
    assert_eq!(text.lines().last(), Some(format!("{} is empty.", empty.display()).as_str()), "{text}");
}

#[test]
fn dump_stops_at_damage_with_exit_74_and_notes_a_torn_tail() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "d"]);
    sb.produce("d", &[], "one\n");
    sb.produce("d", &[], "two\n");
    let file = sb.replica_dir(0, "d", 0).join("00000000000000000000.log");
    let len = std::fs::metadata(&file).expect("log").len();
    OpenOptions::new().write(true).open(&file).expect("open").set_len(len - 2).expect("cut");
    let out = sb.run(&["log", "dump", "d:0"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("torn frame"));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).lines().count(),
        4,
        "header, starting offset, one frame, one record"
    );

    sb.produce("d", &[], "three\n");
    flip_byte(&file, 20);
    let err = sb.fails(&["log", "dump", "d:0"], 74);
    assert!(err.contains("at byte 0"), "{err}");
}

#[test]
fn temporary_files_left_by_interrupted_metadata_writes_are_noted_and_repair_removes_them() {
    use std::time::{Duration, SystemTime};
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t", "--partitions", "1"]);
    sb.produce("t", &[], "a\n");
    sb.ok(&["consume", "t", "--group", "g"]);
    // What a metadata write killed before its rename leaves: the new
    // document in a temporary file beside the old one, an hour ago.
    let hour_ago = SystemTime::now() - Duration::from_secs(3600);
    let mut left = Vec::new();
    for document in ["cluster.json", "topics/t.json", "groups/g/offsets.json"] {
        let document = sb.path().join(document);
        let temp = document.with_file_name(".tmpAb12Cd");
        std::fs::copy(&document, &temp).expect("copy");
        let file = OpenOptions::new().write(true).open(&temp).expect("open");
        file.set_modified(hour_ago).expect("set the time");
        left.push(temp);
    }
    // A write under way now.
    let fresh = sb.path().join("topics/.tmpXy34Zw");
    std::fs::write(&fresh, "{").expect("write");
    let cluster_before = std::fs::read(sb.path().join("cluster.json")).expect("cluster.json");

    let out = sb.run(&["log", "verify"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "not damage: {stderr}");
    assert!(
        stderr.contains("3 temporary files left by interrupted metadata writes") && stderr.contains("--repair"),
        "{stderr}"
    );
    assert!(left.iter().chain([&fresh]).all(|p| p.exists()), "verify removes nothing");

    let out = sb.run(&["log", "verify", "--repair"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    for path in &left {
        assert!(stderr.contains(&format!("runnel: repaired: removed {}", path.display())), "{stderr}");
        assert!(!path.exists(), "{} removed", path.display());
    }
    assert!(fresh.exists() && !stderr.contains("Xy34Zw"), "a write under way keeps its file: {stderr}");
    assert_eq!(std::fs::read(sb.path().join("cluster.json")).expect("cluster.json"), cluster_before);
    assert_eq!(sb.consume("t", &[]), "a\n", "the topic reads as before");
    assert_eq!(sb.consume("t", &["--group", "g"]), "", "the group's offsets stay");

    let out = sb.run(&["log", "verify"]);
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stderr).contains("temporary"), "nothing left to note");
}

//! The golden data dir of on-disk format version 1 (frames `magic` 1,
//! metadata `format_version` 1), committed under `tests/fixtures/golden-v1/`:
//! a copy of it must read back exactly as `golden-v1.expected.jsonl` says and
//! verify clean, and must still take appends. The fixture is never modified.
//!
//! It was made by the ignored test below: 2 brokers, topic `golden` with 2
//! partitions on both brokers, `segment.bytes=1024` (several segments),
//! keyed, binary, header-carrying, null and empty records with fixed
//! timestamps. To remake it (only for a new format version, as golden-v2):
//! `cargo test --test it golden::make_golden_v1 -- --ignored`.

use std::path::{Path, PathBuf};

use crate::common::Sandbox;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("fixtures")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read fixture") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// The records of the fixture: one JSON envelope per line.
fn input() -> String {
    let mut lines = Vec::new();
    for i in 0..60u64 {
        let ts = 1_700_000_000_000 + i * 1000;
        lines.push(match i % 5 {
            0 => format!("{{\"key\":\"user-{}\",\"value\":\"event {i} of user {}: {}\",\"timestamp\":{ts}}}", i % 7, i % 7, "p".repeat(60)),
            1 => format!("{{\"key\":{{\"base64\":\"AP8=\"}},\"value\":{{\"base64\":\"gAEC/w==\"}},\"timestamp\":{ts}}}"),
            2 => format!(
                "{{\"key\":\"h{i}\",\"value\":{{\"n\":{i},\"ok\":true}},\"headers\":{{\"trace\":\"t-{i}\",\"bin\":{{\"base64\":\"/w==\"}},\"none\":null}},\"timestamp\":{ts}}}"
            ),
            3 => format!("{{\"key\":\"user-{}\",\"value\":null,\"timestamp\":{ts}}}", i % 7),
            _ => format!("{{\"value\":\"\",\"partition\":{},\"timestamp\":{ts}}}", i % 2),
        });
    }
    lines.join("\n") + "\n"
}

#[test]
#[ignore = "run by hand to make the fixture of a new format version"]
fn make_golden_v1() {
    let sb = Sandbox::with_brokers(2);
    sb.ok(&[
        "topic",
        "create",
        "golden",
        "--partitions",
        "2",
        "--replication-factor",
        "2",
        "--config",
        "segment.bytes=1024",
        "--config",
        "index.interval.bytes=128",
    ]);
    let input = input();
    let lines: Vec<&str> = input.lines().collect();
    for chunk in lines.chunks(5) {
        sb.produce("golden", &["--format", "json"], chunk.join("\n") + "\n");
    }
    std::fs::remove_dir_all(sb.path().join("locks")).expect("drop the lock files");
    let target = fixtures().join("golden-v1");
    let _ = std::fs::remove_dir_all(&target);
    copy_dir(sb.path(), &target);
    let expected = sb.consume("golden", &["--format", "json"]);
    std::fs::write(fixtures().join("golden-v1.expected.jsonl"), expected).expect("write expected");
}

#[test]
fn golden_v1_reads_back_exactly_and_verifies() {
    let fixture = fixtures().join("golden-v1");
    let sb = Sandbox::new();
    std::fs::remove_dir(sb.path()).expect("empty data dir");
    copy_dir(&fixture, sb.path());

    let expected = std::fs::read_to_string(fixtures().join("golden-v1.expected.jsonl")).expect("expected output");
    assert_eq!(sb.consume("golden", &["--format", "json"]), expected);
    assert_eq!(expected.lines().count(), 60);
    let verify = sb.ok(&["log", "verify"]);
    assert_eq!(verify.lines().filter(|l| l.contains(" ok")).count(), 4, "{verify}");
    let segments = std::fs::read_dir(fixture.join("broker-0").join("golden-0"))
        .expect("replica")
        .filter(|e| e.as_ref().is_ok_and(|e| e.path().extension().is_some_and(|x| x == "log")))
        .count();
    assert!(segments >= 2, "the fixture spans several segments");

    sb.produce("golden", &["--format", "json"], "{\"key\":\"new\",\"value\":\"appended\",\"partition\":1}\n");
    let after = sb.consume("golden", &["--format", "json", "--partition", "1", "--from", "-1"]);
    assert!(after.contains("\"appended\""), "{after}");
    sb.ok(&["log", "verify"]);
}

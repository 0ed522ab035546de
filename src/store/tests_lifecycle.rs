//! Tests of the log lifecycle in the store: rolling by age, retention,
//! the log start offset, compaction and its crash recovery, and readers
//! racing all of them.

use super::*;
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

type Rec<'a> = (Option<&'a str>, Option<&'a str>, i64);

fn append(log: &mut Log, records: &[Rec<'_>]) {
    let mut builder = FrameBuilder::new();
    for (key, value, ts) in records {
        builder.push(&RecordParts {
            timestamp: *ts,
            key: key.map(str::as_bytes),
            value: value.map(str::as_bytes),
            headers: &[],
            header_count: 0,
        });
    }
    let bytes = builder.seal(log.next_offset(), 0).to_vec();
    let frame::FrameCheck::Whole(header) = frame::check_frame(&bytes) else { panic!("frame") };
    log.append(&bytes, &header).expect("append");
}

/// `(offset, key, value)` of every record from the log start.
fn read_all(dir: &Path) -> Vec<(u64, Option<String>, Option<String>)> {
    let mut reader = LogReader::open(dir, 0).expect("reader");
    let mut out = Vec::new();
    while let Some(frame) = reader.next_frame().expect("frame") {
        for r in frame.records() {
            let r = r.expect("record");
            let text = |b: Option<&[u8]>| b.map(|b| String::from_utf8_lossy(b).into_owned());
            out.push((r.offset, text(r.key), text(r.value)));
        }
    }
    out
}

fn latest(records: &[(u64, Option<String>, Option<String>)]) -> BTreeMap<String, Option<String>> {
    records.iter().filter_map(|(_, k, v)| k.clone().map(|k| (k, v.clone()))).collect()
}

fn config(segment_bytes: u64) -> LogConfig {
    LogConfig { segment_bytes, index_interval_bytes: 64, segment_ms: None }
}

#[test]
fn segment_ms_rolls_by_record_age() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cfg = LogConfig { segment_ms: Some(1000), ..config(1 << 20) };
    let (mut log, _) = Log::open(dir.path(), cfg, 0).expect("open");
    append(&mut log, &[(None, Some("a"), 10_000)]);
    append(&mut log, &[(None, Some("b"), 10_900)]);
    assert_eq!(segment::list(dir.path()).expect("list"), vec![0]);
    append(&mut log, &[(None, Some("c"), 11_001)]);
    assert_eq!(segment::list(dir.path()).expect("list"), vec![0, 2]);
    assert_eq!(log.rolls(), 1);
}

/// The segment's first timestamp survives a reopen, whether the open scans
/// from the first frame (no index entry yet) or from an index entry past it.
#[test]
fn segment_ms_counts_from_the_first_frame_after_a_reopen() {
    for index_interval_bytes in [1 << 20, 64] {
        let dir = tempfile::tempdir().expect("tempdir");
        let cfg = LogConfig { segment_ms: Some(1000), index_interval_bytes, ..config(1 << 20) };
        {
            let (mut log, _) = Log::open(dir.path(), cfg, 0).expect("open");
            append(&mut log, &[(None, Some("a"), 10_000)]);
            for t in [10_100, 10_200, 10_300, 10_900] {
                append(&mut log, &[(None, Some(&"x".repeat(100)), t)]);
            }
        }
        let (mut log, _) = Log::open(dir.path(), cfg, 0).expect("reopen");
        append(&mut log, &[(None, Some("b"), 10_950)]);
        assert_eq!(segment::list(dir.path()).expect("list"), vec![0], "interval {index_interval_bytes}");
        append(&mut log, &[(None, Some("c"), 11_001)]);
        assert_eq!(segment::list(dir.path()).expect("list"), vec![0, 6], "interval {index_interval_bytes}");
    }
}

/// A reopen keeps the time index entries whose frames are fine, also when
/// the last of them points at an earlier frame than the last offset entry
/// (later records carried older timestamps, which earn no time entry).
#[test]
fn a_reopen_keeps_time_entries_behind_the_last_offset_entry() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cfg = config(1 << 20);
    let time_index = dir.path().join("00000000000000000000.timeindex");
    {
        let (mut log, _) = Log::open(dir.path(), cfg, 0).expect("open");
        for t in [1000, 2000, 3000, 500, 500, 500] {
            append(&mut log, &[(None, Some(&"x".repeat(100)), t)]);
        }
    }
    let written = std::fs::metadata(&time_index).expect("timeindex").len();
    assert!(written >= 24, "{written} bytes of time index");
    drop(Log::open(dir.path(), cfg, 0).expect("reopen"));
    assert_eq!(std::fs::metadata(&time_index).expect("timeindex").len(), written);
}

#[test]
fn retention_by_time_and_size_stops_at_the_hw_and_takes_an_expired_active_segment_after_a_roll() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut log, _) = Log::open(dir.path(), config(1024), 0).expect("open");
    for i in 0..40 {
        append(&mut log, &[(None, Some(&"x".repeat(100)), 1000 + i)]);
    }
    let before = segment::list(dir.path()).expect("list");
    assert!(before.len() > 4);
    let mut reader = LogReader::open(dir.path(), 0).expect("reader");
    let policy = RetentionPolicy { delete: true, retention_ms: Some(1000), retention_bytes: None };
    // The high watermark stops it at the second segment.
    let out = log.apply_retention(&policy, 1_000_000, before[2]).expect("retention");
    assert_eq!(out.deleted_segments, before[..2].to_vec());
    assert_eq!(out.log_start, before[2]);
    // Below the high watermark the expired active segment goes too: the log
    // first rolls to an empty segment at its end (Kafka's deleteSegments).
    let out = log.apply_retention(&policy, 1_000_000, log.next_offset()).expect("retention");
    assert_eq!(out.deleted_segments, before[2..].to_vec());
    assert_eq!(segment::list(dir.path()).expect("list"), vec![40]);
    assert_eq!((out.log_start, log.active_base(), log.next_offset()), (40, 40, 40));
    // A reader opened before the deletion sees only whole frames, in order,
    // and nothing is left to read from the start.
    let mut offsets = Vec::new();
    while let Some(f) = reader.next_frame().expect("frame") {
        offsets.push(f.header.base_offset);
    }
    assert!(offsets.windows(2).all(|w| w[0] < w[1]), "{offsets:?}");
    assert!(read_all(dir.path()).is_empty());

    // Appends go on at the log end; a size limit of 0 takes everything
    // below the high watermark, the active segment after a roll.
    let by_size = RetentionPolicy { delete: true, retention_ms: None, retention_bytes: Some(0) };
    for i in 0..20 {
        append(&mut log, &[(None, Some(&"y".repeat(100)), 2000 + i)]);
    }
    assert_eq!(read_all(dir.path()).first().map(|r| r.0), Some(40));
    log.apply_retention(&by_size, 0, log.next_offset()).expect("retention");
    assert_eq!(segment::list(dir.path()).expect("list"), vec![60], "only a new empty active segment stays");
    append(&mut log, &[(None, Some("z"), 3000)]);
    assert_eq!(read_all(dir.path()).first().map(|r| r.0), Some(60));
}

#[test]
fn advancing_the_log_start_hides_records_then_retention_reclaims_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut log, _) = Log::open(dir.path(), config(1024), 0).expect("open");
    for i in 0..30 {
        append(&mut log, &[(None, Some(&"z".repeat(100)), i)]);
    }
    assert_eq!(log.advance_log_start(17).expect("trim"), 17);
    assert_eq!(log.advance_log_start(5).expect("never lowered"), 17);
    assert_eq!(log_end(dir.path()).expect("end").start_offset, 17);
    assert_eq!(read_all(dir.path()).first().map(|r| r.0), Some(17));
    let keep_all = RetentionPolicy::default();
    let out = log.apply_retention(&keep_all, 0, log.next_offset()).expect("retention");
    assert!(!out.deleted_segments.is_empty());
    assert!(segment::list(dir.path()).expect("list")[0] <= 17);
    assert_eq!(log.advance_log_start(1000).expect("clamped"), 30);
}

fn compacting_log(dir: &Path) -> Log {
    let (mut log, _) = Log::open(dir, config(200), 0).expect("open");
    let keys = ["a", "b", "c", "a", "b", "a", "d", "c", "a", "b"];
    for (i, k) in keys.iter().enumerate() {
        let v = format!("{k}{i}");
        append(&mut log, &[(Some(k), Some(&v), 1000 + i as i64), (Some("e"), Some("e"), 1000 + i as i64)]);
    }
    append(&mut log, &[(Some("d"), None, 2000)]); // tombstone
    append(&mut log, &[(Some("z"), Some("last"), 3000)]);
    log
}

#[test]
fn compaction_keeps_the_latest_value_per_key_at_its_offset() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut log = compacting_log(dir.path());
    let before = read_all(dir.path());
    let policy = CompactPolicy { delete_retention_ms: 1_000_000, min_compaction_lag_ms: 0 };
    let out = log.compact(&policy, 5000, log.next_offset()).expect("compact");
    assert!(out.records_removed > 0 && out.bytes_after < out.bytes_before, "{out:?}");
    let after = read_all(dir.path());
    assert_eq!(latest(&after), latest(&before));
    // Every kept record sits at its old offset.
    assert!(after.iter().all(|r| before.contains(r)));
    assert!(after.iter().any(|(_, k, v)| k.as_deref() == Some("d") && v.is_none()), "tombstone kept");
    assert_eq!(log_end(dir.path()).expect("end").end_offset, before.last().map_or(0, |r| r.0 + 1));
    // The log still appends and reopens.
    drop(log);
    let (mut log, _) = Log::open(dir.path(), config(200), 0).expect("reopen");
    append(&mut log, &[(Some("a"), Some("new"), 4000)]);
    assert_eq!(latest(&read_all(dir.path()))["a"].as_deref(), Some("new"));

    // The first pass that kept the tombstone fixed its delete horizon at
    // 5000 + 1_000_000 (KIP-534): a shorter delete.retention.ms now does not
    // move it, and a pass past it removes the tombstone.
    let expire = CompactPolicy { delete_retention_ms: 10, min_compaction_lag_ms: 0 };
    log.compact(&expire, 5000, log.next_offset()).expect("compact");
    assert!(latest(&read_all(dir.path())).contains_key("d"), "before its horizon");
    log.compact(&expire, 1_005_000, log.next_offset()).expect("compact");
    assert!(!latest(&read_all(dir.path())).contains_key("d"), "past its horizon");
    assert!(read_all(dir.path()).iter().all(|(_, k, _)| k.as_deref() != Some("d")));
}

#[test]
fn an_old_tombstone_is_kept_delete_retention_ms_after_the_pass_that_first_sees_it() {
    // KIP-534: the tombstone of `d` is stamped 2000, far older than
    // delete.retention.ms at every pass; it must still stay 10 ms after the
    // first pass that keeps it, so a lagging reader sees the delete.
    let dir = tempfile::tempdir().expect("tempdir");
    let mut log = compacting_log(dir.path());
    let policy = CompactPolicy { delete_retention_ms: 10, min_compaction_lag_ms: 0 };
    let tombstone = |dir: &Path| read_all(dir).into_iter().find(|(_, k, v)| k.as_deref() == Some("d") && v.is_none());
    let before = tombstone(dir.path()).expect("tombstone written");
    // A closed segment holds it once the log rolls past it.
    append(&mut log, &[(Some("y"), Some(&"y".repeat(150)), 3001)]);
    log.compact(&policy, 1_000_000, log.next_offset()).expect("first pass");
    assert_eq!(tombstone(dir.path()), Some(before.clone()), "kept by the pass that first sees it");
    log.compact(&policy, 1_000_009, log.next_offset()).expect("before the horizon");
    assert_eq!(tombstone(dir.path()), Some(before), "kept until its horizon");
    let records = read_all(dir.path());
    assert!(records.iter().all(|r| r.0 < log.next_offset()), "offsets unchanged");
    let verdict = crate::store::verify_replica(dir.path(), |_| {}).expect("verify");
    assert!(verdict.damage.is_empty(), "a frame with a delete horizon verifies: {:?}", verdict.damage);
    log.compact(&policy, 1_000_010, log.next_offset()).expect("at the horizon");
    assert_eq!(tombstone(dir.path()), None, "removed once its horizon passed");
}

#[test]
fn min_compaction_lag_leaves_young_segments_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut log = compacting_log(dir.path());
    let before = read_all(dir.path());
    let policy = CompactPolicy { delete_retention_ms: 0, min_compaction_lag_ms: 1_000_000 };
    let out = log.compact(&policy, 5000, log.next_offset()).expect("compact");
    assert_eq!(out.records_removed, 0);
    assert_eq!(read_all(dir.path()), before);
}

#[test]
fn leftovers_of_a_killed_compaction_are_rolled_back_or_completed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let log = compacting_log(dir.path());
    let before = latest(&read_all(dir.path()));
    let segments = segment::list(dir.path()).expect("list");
    drop(log);
    // Uncommitted: a half-written .cleaned next to the first segment.
    fs::write(dir.path().join(format!("{:020}.log.cleaned", segments[0])), b"half").expect("write");
    fs::write(dir.path().join(format!("{:020}.index.cleaned", segments[0])), b"x").expect("write");
    // Committed: a compacted copy of the second segment as .swap.
    let copy = tempfile::tempdir().expect("tempdir");
    for entry in fs::read_dir(dir.path()).expect("list") {
        let entry = entry.expect("entry");
        fs::copy(entry.path(), copy.path().join(entry.file_name())).expect("copy");
    }
    let (mut compacted, _) = Log::open(copy.path(), config(200), 0).expect("open copy");
    let policy = CompactPolicy { delete_retention_ms: 1_000_000, min_compaction_lag_ms: 0 };
    compacted.compact(&policy, 5000, compacted.next_offset()).expect("compact");
    let name = |ext: &str| format!("{:020}.{ext}", segments[1]);
    fs::copy(copy.path().join(name("log")), dir.path().join(name("log.swap"))).expect("swap");
    fs::copy(copy.path().join(name("index")), dir.path().join(name("index.cleaned"))).expect("index");
    // The pass wrote its checkpoint before any swap (its gaps are compaction's).
    fs::copy(copy.path().join("cleaner-offset"), dir.path().join("cleaner-offset")).expect("checkpoint");

    let (_log, _) = Log::open(dir.path(), config(200), 0).expect("open recovers");
    let names: Vec<String> =
        fs::read_dir(dir.path()).expect("list").map(|e| e.expect("e").file_name().to_string_lossy().into()).collect();
    assert!(names.iter().all(|n| !n.ends_with(".cleaned") && !n.ends_with(".swap")), "{names:?}");
    assert_eq!(fs::read(dir.path().join(name("log"))).ok(), fs::read(copy.path().join(name("log"))).ok());
    assert_eq!(latest(&read_all(dir.path())), before);
}

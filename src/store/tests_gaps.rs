//! Offsets missing from a log: a segment deleted or emptied is damage to
//! the reader (after the frames before it) and to verification; the gaps
//! compaction makes, below the `cleaner-offset` checkpoint, are not.

use std::fs;

use super::segment;
use super::{CompactPolicy, Log, LogConfig, LogReader, append_frame, append_keyed, verify_replica};

/// A log of 30 frames over several 1 KiB segments; its segment bases.
fn segmented(dir: &std::path::Path) -> Vec<u64> {
    let config = LogConfig { segment_bytes: 1024, ..LogConfig::default() };
    let (mut log, _) = Log::open(dir, config, 0).expect("open");
    for _ in 0..30 {
        append_frame(&mut log, &[&[b'x'; 100]], 1, 0);
    }
    let bases = segment::list(dir).expect("list");
    assert!(bases.len() >= 4, "{bases:?}");
    bases
}

/// Offsets the reader hands out from 0, and the error it ends with, if any.
fn read_from_start(dir: &std::path::Path) -> (Vec<u64>, Option<crate::error::Error>) {
    let mut reader = LogReader::open(dir, 0).expect("reader");
    let mut offsets = Vec::new();
    loop {
        match reader.next_frame() {
            Ok(Some(frame)) => offsets.push(frame.header.base_offset),
            Ok(None) => return (offsets, None),
            Err(e) => return (offsets, Some(e)),
        }
    }
}

#[test]
fn a_deleted_or_emptied_middle_segment_is_damage_after_the_records_before_it() {
    for emptied in [false, true] {
        let dir = tempfile::tempdir().expect("tempdir");
        let bases = segmented(dir.path());
        let victim = segment::file_path(dir.path(), bases[1], segment::LOG_EXT);
        if emptied {
            fs::write(&victim, b"").expect("empty");
        } else {
            fs::remove_file(&victim).expect("delete");
        }
        let (offsets, err) = read_from_start(dir.path());
        assert_eq!(offsets, (0..bases[1]).collect::<Vec<_>>(), "the healthy records before the gap first");
        let err = err.expect("then the damage");
        assert_eq!(err.exit_code(), 74);
        assert!(err.message.contains(&format!("offsets {}..{} are missing", bases[1], bases[2])), "{}", err.message);
        let verified = verify_replica(dir.path(), |_| {}).expect("verify");
        assert!(verified.damage.iter().any(|d| d.what.contains("missing")), "{:?}", verified.damage);
    }
}

#[test]
fn compactions_gaps_are_not_damage_but_a_gap_above_its_checkpoint_is() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = LogConfig { segment_bytes: 1024, ..LogConfig::default() };
    let (mut log, _) = Log::open(dir.path(), config, 0).expect("open");
    for i in 0..60u32 {
        let key = format!("k{}", i % 4);
        append_keyed(&mut log, key.as_bytes(), Some(&[b'v'; 100]), 1);
    }
    let end = log.next_offset();
    let policy = CompactPolicy { delete_retention_ms: 0, min_compaction_lag_ms: 0 };
    assert!(log.compact(&policy, 10, end).expect("compact").records_removed > 0);
    let (offsets, err) = read_from_start(dir.path());
    assert!(err.is_none(), "{err:?}");
    assert!(offsets.len() < 60);
    assert!(verify_replica(dir.path(), |_| {}).expect("verify").damage.is_empty());
    // Segments written after the pass lie above its checkpoint.
    for i in 0..30u32 {
        append_keyed(&mut log, format!("n{i}").as_bytes(), Some(&[b'v'; 100]), 1);
    }
    let reach = super::cleaner_offset_checkpoint(dir.path()).expect("checkpoint").expect("written");
    let above: Vec<u64> = segment::list(dir.path()).expect("list").into_iter().filter(|&b| b >= reach).collect();
    assert!(above.len() >= 3, "{above:?}");
    fs::write(segment::file_path(dir.path(), above[1], segment::LOG_EXT), b"").expect("empty");
    let (_, err) = read_from_start(dir.path());
    assert_eq!(err.expect("a gap above the checkpoint is damage").exit_code(), 74);
    assert!(!verify_replica(dir.path(), |_| {}).expect("verify").damage.is_empty());
}

#[test]
fn retention_deleting_the_segment_a_reader_is_in_is_not_a_gap() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bases = segmented(dir.path());
    let mut reader = LogReader::open(dir.path(), 0).expect("reader");
    assert_eq!(reader.next_frame().expect("frame").map(|f| f.header.base_offset), Some(0));
    // Retention deletes the oldest segments, the one being read among them.
    for &base in &bases[..2] {
        segment::remove_files(dir.path(), base).expect("delete");
    }
    let mut offsets = Vec::new();
    while let Some(frame) = reader.next_frame().expect("no damage") {
        offsets.push(frame.header.base_offset);
    }
    // The open segment is read to its end, then the reader goes on at the first one left.
    assert!(offsets.contains(&bases[2]), "{offsets:?}");
    assert_eq!(offsets.last().copied(), Some(29));
}

//! Frames appended together (`Log::append_frames`, one write per run of
//! frames that fits the active segment) leave the same files, byte for
//! byte, as the same frames appended one by one.

use super::*;
use std::fs;
use std::path::Path;

/// Frames of one to five records of growing values, sealed one after the
/// other from offset 0.
fn frames(count: u64) -> Vec<(Vec<u8>, FrameHeader)> {
    let mut out = Vec::new();
    let mut next = 0;
    for n in 0..count {
        let mut builder = FrameBuilder::new();
        for r in 0..=(n % 5) {
            let value = vec![b'a' + (r as u8); 10 + (n as usize * 7) % 90];
            builder.push(&RecordParts {
                timestamp: 1000 + n as i64,
                key: None,
                value: Some(&value),
                headers: &[],
                header_count: 0,
            });
        }
        let bytes = builder.seal(next, 3).to_vec();
        let header = peek_header(&bytes).expect("sealed");
        next = header.next_offset();
        out.push((bytes, header));
    }
    out
}

/// Every file of the log folder and its bytes, by name.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<_> = fs::read_dir(dir)
        .expect("list")
        .map(|e| {
            let e = e.expect("entry");
            (e.file_name().to_string_lossy().into_owned(), fs::read(e.path()).expect("read"))
        })
        .collect();
    out.sort();
    out
}

fn config() -> LogConfig {
    LogConfig { segment_bytes: 900, index_interval_bytes: 100, segment_ms: None }
}

#[test]
fn frames_appended_together_leave_the_files_that_appends_one_by_one_leave() {
    let all = frames(40);
    let one_by_one = tempfile::tempdir().expect("tempdir");
    let together = tempfile::tempdir().expect("tempdir");
    let (mut a, _) = Log::open(one_by_one.path(), config(), 0).expect("open");
    let (mut b, _) = Log::open(together.path(), config(), 0).expect("open");
    for (bytes, header) in &all {
        a.append(bytes, header).expect("append");
    }
    // Groups of 1 to 7 frames: several cross a roll (900-byte segments).
    let mut rest: &[(Vec<u8>, FrameHeader)] = &all;
    let mut size = 1;
    while !rest.is_empty() {
        let (group, later) = rest.split_at(size.min(rest.len()));
        let slices: Vec<(&[u8], FrameHeader)> = group.iter().map(|(bytes, h)| (bytes.as_slice(), *h)).collect();
        b.append_frames(&slices, IndexWrites::Now).expect("append together");
        rest = later;
        size = size % 7 + 1;
    }
    assert_eq!(a.next_offset(), b.next_offset());
    let (fa, fb) = (files(one_by_one.path()), files(together.path()));
    assert!(fa.iter().filter(|(name, _)| name.ends_with(".log")).count() > 5, "the frames span many segments");
    assert_eq!(fa.iter().map(|(n, _)| n).collect::<Vec<_>>(), fb.iter().map(|(n, _)| n).collect::<Vec<_>>());
    for ((name, x), (_, y)) in fa.iter().zip(&fb) {
        assert!(x == y, "{name} differs");
    }
    // And a handle opened afresh reads every record back.
    drop(b);
    let (reopened, repair) = Log::open(together.path(), config(), 0).expect("reopen");
    assert!(repair.is_none());
    assert_eq!(reopened.next_offset(), all.last().expect("frames").1.next_offset());
}

#[test]
fn frames_not_following_the_log_end_are_refused_before_anything_is_written() {
    let all = frames(3);
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut log, _) = Log::open(dir.path(), config(), 0).expect("open");
    // The second frame is skipped: the third does not follow the first.
    let slices = [(all[0].0.as_slice(), all[0].1), (all[2].0.as_slice(), all[2].1)];
    let err = log.append_frames(&slices, IndexWrites::Now).expect_err("a gap is refused");
    assert!(err.message.contains("internal error"), "{}", err.message);
    assert_eq!(fs::metadata(dir.path().join("00000000000000000000.log")).expect("segment").len(), 0);
}

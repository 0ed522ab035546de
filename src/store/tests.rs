//! Tests of the store as a whole: a writer and readers over real files.

use super::*;
use std::fs;
use std::path::Path;

fn append_values(log: &mut Log, values: &[&[u8]], timestamp: i64) {
    super::test_support::append_frame(log, values, timestamp, 0);
}

fn read_all(dir: &Path, from: u64) -> Vec<(u64, Vec<u8>)> {
    let mut reader = LogReader::open(dir, from).expect("reader");
    let mut out = Vec::new();
    while let Some(frame) = reader.next_frame().expect("frame") {
        for record in frame.records() {
            let record = record.expect("record");
            if record.offset >= from {
                out.push((record.offset, record.value.unwrap_or_default().to_vec()));
            }
        }
    }
    out
}

fn small_segments() -> LogConfig {
    LogConfig { segment_bytes: 600, index_interval_bytes: 100, segment_ms: None }
}

#[test]
fn appends_are_read_back_in_order_across_segments() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut log, repair) = Log::open(dir.path(), small_segments(), 0).expect("open");
    assert!(repair.is_none());
    for i in 0..50u64 {
        let v = format!("value-{i:03}");
        append_values(&mut log, &[v.as_bytes(), b"x"], 1000 + i as i64);
    }
    log.sync(PersistMode::SyncData).expect("sync");
    assert_eq!(log.next_offset(), 100);
    assert!(segment::list(dir.path()).expect("list").len() > 3, "small segments roll");

    let all = read_all(dir.path(), 0);
    assert_eq!(all.len(), 100);
    assert!(all.iter().enumerate().all(|(i, (o, _))| *o == i as u64));

    let tail = read_all(dir.path(), 77);
    assert_eq!(tail.first().map(|r| r.0), Some(77));
    assert_eq!(tail.len(), 23);

    let end = log_end(dir.path()).expect("end");
    assert_eq!((end.start_offset, end.end_offset), (0, 100));
    assert_eq!(offset_for_timestamp(dir.path(), 1010).expect("time"), Some(20));
    assert_eq!(offset_for_timestamp(dir.path(), 0).expect("time"), Some(0));
    assert_eq!(offset_for_timestamp(dir.path(), 5000).expect("time"), None);
}

#[test]
fn reopening_continues_where_the_log_ended() {
    let dir = tempfile::tempdir().expect("tempdir");
    {
        let (mut log, _) = Log::open(dir.path(), small_segments(), 0).expect("open");
        for _ in 0..10 {
            append_values(&mut log, &[b"a", b"b", b"c"], 1);
        }
    }
    let (mut log, repair) = Log::open(dir.path(), small_segments(), 0).expect("reopen");
    assert!(repair.is_none());
    assert_eq!(log.next_offset(), 30);
    append_values(&mut log, &[b"d"], 1);
    assert_eq!(read_all(dir.path(), 0).len(), 31);
}

#[test]
fn a_torn_tail_is_cut_on_open_and_reported_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    {
        let (mut log, _) = Log::open(dir.path(), LogConfig::default(), 0).expect("open");
        append_values(&mut log, &[b"one", b"two"], 1);
        append_values(&mut log, &[b"three"], 1);
    }
    let seg = segment::file_path(dir.path(), 0, segment::LOG_EXT);
    let len = fs::metadata(&seg).expect("stat").len();
    let file = fs::OpenOptions::new().write(true).open(&seg).expect("open");
    file.set_len(len - 3).expect("truncate");

    assert_eq!(read_all(dir.path(), 0).len(), 2, "readers stop before the torn frame");
    let (log, repair) = Log::open(dir.path(), LogConfig::default(), 0).expect("reopen");
    let repair = repair.expect("a repair is reported");
    assert_eq!(repair.next_offset, 2);
    assert_eq!(log.next_offset(), 2);
    drop(log);
    let (_, again) = Log::open(dir.path(), LogConfig::default(), 0).expect("reopen");
    assert!(again.is_none(), "the repair is reported once");
}

#[test]
fn a_lost_index_is_not_a_reason_to_fail() {
    let dir = tempfile::tempdir().expect("tempdir");
    {
        let (mut log, _) = Log::open(dir.path(), small_segments(), 0).expect("open");
        for i in 0..40 {
            append_values(&mut log, &[format!("v{i}").as_bytes()], i);
        }
    }
    for base in segment::list(dir.path()).expect("list") {
        fs::write(segment::file_path(dir.path(), base, segment::INDEX_EXT), b"garbage!garbage!").expect("write");
        let _ = fs::remove_file(segment::file_path(dir.path(), base, segment::TIME_INDEX_EXT));
    }
    assert_eq!(read_all(dir.path(), 33).first().map(|r| r.0), Some(33));
    assert_eq!(offset_for_timestamp(dir.path(), 20).expect("time"), Some(20));
    let (log, _) = Log::open(dir.path(), small_segments(), 0).expect("reopen");
    assert_eq!(log.next_offset(), 40);
}

#[test]
fn a_second_writer_handle_sees_the_first_ones_appends_after_refresh() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut a, _) = Log::open(dir.path(), small_segments(), 0).expect("open a");
    let (mut b, _) = Log::open(dir.path(), small_segments(), 0).expect("open b");
    for _ in 0..20 {
        append_values(&mut a, &[b"from-a"], 1);
        b.refresh().expect("refresh b");
        append_values(&mut b, &[b"from-b"], 1);
        a.refresh().expect("refresh a");
    }
    let all = read_all(dir.path(), 0);
    assert_eq!(all.len(), 40);
    assert!(all.iter().enumerate().all(|(i, (o, _))| *o == i as u64));
}

/// Appends to `stale` after `fresh` changed the log behind its back, and
/// checks that every offset was handed out once, in order.
fn append_after_and_check(stale: &mut Log, fresh: &Log, dir: &Path) {
    stale.refresh().expect("refresh");
    assert_eq!(stale.next_offset(), fresh.next_offset(), "the stale handle saw the change");
    append_values(stale, &[b"late"], 1);
    let offsets: Vec<u64> = read_all(dir, 0).into_iter().map(|(o, _)| o).collect();
    let mut sorted = offsets.clone();
    sorted.dedup();
    assert_eq!(offsets, sorted, "offsets ascend without repeats");
    assert_eq!(offsets.last(), Some(&fresh.next_offset()));
}

#[test]
fn a_stale_handle_notices_a_roll_by_another_without_listing_the_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut a, _) = Log::open(dir.path(), small_segments(), 0).expect("open a");
    let (mut b, _) = Log::open(dir.path(), small_segments(), 0).expect("open b");
    // a fills the segment until one more frame would roll it...
    let first = segment::file_path(dir.path(), 0, segment::LOG_EXT);
    let len = || fs::metadata(&first).expect("stat").len();
    append_values(&mut a, &[&[b'x'; 100]], 1);
    let frame_len = len();
    while len() + frame_len <= small_segments().segment_bytes {
        append_values(&mut a, &[&[b'x'; 100]], 1);
    }
    // ...then b rolls it: a's active segment is untouched, only closed.
    b.refresh().expect("refresh b");
    append_values(&mut b, &[&[b'x'; 100]], 1);
    assert_eq!(segment::list(dir.path()).expect("list").len(), 2, "b rolled");
    append_after_and_check(&mut a, &b, dir.path());
}

#[test]
fn a_stale_handle_notices_a_copied_frame_that_rolled_past_a_gap() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut a, _) = Log::open(dir.path(), small_segments(), 0).expect("open a");
    append_values(&mut a, &[&[b'x'; 500]], 1);
    let (mut b, _) = Log::open(dir.path(), small_segments(), 0).expect("open b");
    // A compacted leader's next frame starts at 40: the copy rolls first.
    super::test_support::append_copied_at(&mut b, 40, &[b'y'; 200]);
    assert_eq!(b.next_offset(), 41);
    assert_eq!(segment::list(dir.path()).expect("list"), vec![0, 1], "rolled at the log end, not at 40");
    append_after_and_check(&mut a, &b, dir.path());
}

#[test]
fn a_stale_handle_notices_an_empty_segment_replaced_for_a_far_offset() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut a, _) = Log::open(dir.path(), small_segments(), 0).expect("open a");
    let (mut b, _) = Log::open(dir.path(), small_segments(), 0).expect("open b");
    let far = 10 + u64::from(u32::MAX);
    super::test_support::append_copied_at(&mut b, far, b"far");
    assert_eq!(segment::list(dir.path()).expect("list"), vec![far], "the empty segment at 0 was replaced");
    append_after_and_check(&mut a, &b, dir.path());
}

#[test]
fn a_far_gap_after_data_rolls_at_the_log_end_then_at_the_offset() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut a, _) = Log::open(dir.path(), small_segments(), 0).expect("open a");
    append_values(&mut a, &[b"one"], 1);
    let (mut b, _) = Log::open(dir.path(), small_segments(), 0).expect("open b");
    let far = 10 + u64::from(u32::MAX);
    super::test_support::append_copied_at(&mut b, far, b"far");
    assert_eq!(segment::list(dir.path()).expect("list"), vec![0, 1, far]);
    append_after_and_check(&mut a, &b, dir.path());
}

#[test]
fn after_a_cheap_refresh_the_log_start_reflects_segments_deleted_elsewhere() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut a, _) = Log::open(dir.path(), small_segments(), 0).expect("open a");
    for _ in 0..12 {
        append_values(&mut a, &[&[b'x'; 100]], 1);
    }
    assert!(segment::list(dir.path()).expect("list").len() > 2);
    let (mut b, _) = Log::open(dir.path(), small_segments(), 0).expect("open b");
    let keep_one = RetentionPolicy { delete: true, retention_ms: None, retention_bytes: Some(1) };
    let out = b.apply_retention(&keep_one, 0, b.next_offset()).expect("retention");
    assert!(!out.deleted_segments.is_empty());
    a.refresh().expect("refresh");
    assert_eq!(a.start_offset().expect("start"), b.start_offset().expect("start"));
    assert_eq!(a.start_offset().expect("start"), a.active_base());
}

#[test]
fn corruption_in_the_middle_is_an_error_naming_file_and_position() {
    let dir = tempfile::tempdir().expect("tempdir");
    {
        let (mut log, _) = Log::open(dir.path(), LogConfig::default(), 0).expect("open");
        append_values(&mut log, &[b"aaaaaaaa"], 1);
        append_values(&mut log, &[b"bbbbbbbb"], 1);
    }
    let seg = segment::file_path(dir.path(), 0, segment::LOG_EXT);
    let mut bytes = fs::read(&seg).expect("read");
    bytes[60] ^= 0x01;
    fs::write(&seg, &bytes).expect("write");
    let mut reader = LogReader::open(dir.path(), 0).expect("reader");
    let err = reader.next_frame().expect_err("corruption");
    assert_eq!(err.exit_code(), 74);
    assert!(err.message.contains("00000000000000000000.log") && err.message.contains("at byte 0"), "{}", err.message);
}

#[test]
fn truncation_cuts_whole_frames_and_later_segments() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut log, _) = Log::open(dir.path(), small_segments(), 0).expect("open");
    for i in 0..30 {
        append_values(&mut log, &[format!("v{i}").as_bytes(), b"second"], 1);
    }
    assert_eq!(log.next_offset(), 60);
    // Offset 41 sits inside the frame 40..=41: the whole frame goes.
    assert_eq!(log.truncate_to(41).expect("truncate"), 40);
    assert_eq!(read_all(dir.path(), 0).len(), 40);
    append_values(&mut log, &[b"new"], 1);
    let all = read_all(dir.path(), 0);
    assert_eq!(all.last(), Some(&(40, b"new".to_vec())));
    let (reopened, repair) = Log::open(dir.path(), small_segments(), 0).expect("reopen");
    assert!(repair.is_none());
    assert_eq!(reopened.next_offset(), 41);
    assert_eq!(log.truncate_to(0).expect("truncate all"), 0);
    assert!(read_all(dir.path(), 0).is_empty());
}

#[test]
fn a_failed_write_poisons_the_log() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Writes to /dev/full fail with ENOSPC, as on a full disk.
    std::os::unix::fs::symlink("/dev/full", dir.path().join("00000000000000000000.log")).expect("symlink");
    let (mut log, _) = Log::open(dir.path(), LogConfig::default(), 0).expect("open");
    let mut builder = FrameBuilder::new();
    builder.push(&RecordParts { timestamp: 1, key: None, value: Some(b"v"), headers: &[], header_count: 0 });
    let bytes = builder.seal(0, 0).to_vec();
    let frame::FrameCheck::Whole(header) = frame::check_frame(&bytes) else { panic!("sealed frame must verify") };
    let err = log.append(&bytes, &header).expect_err("disk full");
    assert_eq!(err.exit_code(), 74);
    assert_eq!(err.io_trouble(), Some(crate::error::IoTrouble::DiskFull), "{err}");
    assert!(log.poisoned().is_some());
    for second in [log.append(&bytes, &header), log.sync(PersistMode::SyncData), log.refresh().map(drop)] {
        let err = second.expect_err("poisoned");
        assert!(err.message.contains("unusable after an earlier failure"), "{err}");
    }
}

#[test]
fn a_write_back_waits_until_enough_whole_pages_wait_and_leaves_the_last_page() {
    const PAGE: u64 = 4096;
    let dir = tempfile::tempdir().expect("tempdir");
    let config = LogConfig { segment_bytes: 1 << 20, index_interval_bytes: 4096, segment_ms: None };
    let (mut log, _) = Log::open(dir.path(), config, 0).expect("open");
    assert!(log.take_write_back(0).is_none(), "nothing appended, nothing to write back");
    let segment = dir.path().join("00000000000000000000.log");
    let bytes = || fs::metadata(&segment).expect("segment").len();
    append_values(&mut log, &[&[7u8; 300]], 1);
    assert!(log.take_write_back(0).is_none(), "{} bytes: all in the page the next append writes to", bytes());
    append_values(&mut log, &[&[8u8; 5000]], 2);
    assert!(log.take_write_back(PAGE + 1).is_none(), "one whole page waits, fewer bytes than asked for");
    let range = log.take_write_back(1000).expect("a whole page waits");
    assert_eq!((range.offset, range.len), (0, PAGE), "up to the page the log ends in ({} bytes)", bytes());
    append_values(&mut log, &[&[9u8; 10]], 3);
    assert!(log.take_write_back(0).is_none(), "the log still ends in the page left waiting");
    append_values(&mut log, &[&[6u8; 7000]], 4);
    let end = bytes();
    let rest = log.take_write_back(0).expect("whole pages wait again");
    assert_eq!(rest.offset, PAGE, "the next range starts where the last one ended");
    assert_eq!(rest.offset + rest.len, end - end % PAGE, "and ends where the last page of {end} bytes starts");
    assert!(log.take_write_back(0).is_none(), "all whole pages taken");
}

/// A reader opened from a look's listing reads what a fresh listing would:
/// segments rolled since the look are found at the end of the last one it
/// knows, segments deleted since are passed over, and a log start raised
/// since (a trim) is honoured, because the recorded start is read again.
#[test]
fn a_reader_opened_from_an_older_listing_reads_the_log_as_it_is_now() {
    let read_listed = |dir: &Path, from: u64, listing: SegmentListing| {
        let mut reader = LogReader::open_listed(dir, from, listing).expect("reader");
        let mut offsets = Vec::new();
        while let Some(frame) = reader.next_frame().expect("frame") {
            offsets.extend(frame.records().map(|r| r.expect("record").offset).filter(|&o| o >= from));
        }
        offsets
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut log, _) = Log::open(dir.path(), small_segments(), 0).expect("open");
    for i in 0..10u64 {
        append_values(&mut log, &[format!("value-{i:03}").as_bytes()], 1000);
    }
    let (end, listing) = log_end_listed(dir.path()).expect("look");
    assert_eq!(end.end_offset, 10);
    for i in 10..40u64 {
        append_values(&mut log, &[format!("value-{i:03}").as_bytes()], 1000);
    }
    let now = segment::list(dir.path()).expect("list");
    assert!(now.len() > listing.0.len(), "segments rolled since the look");
    assert_eq!(read_listed(dir.path(), 0, listing.clone()), (0..40).collect::<Vec<_>>());
    assert_eq!(read_listed(dir.path(), 33, listing.clone()), (33..40).collect::<Vec<_>>());

    // The first segments deleted and the start raised past them (a trim).
    let start = now[2];
    log.advance_log_start(start).expect("trim");
    for base in &now[..2] {
        for ext in [segment::LOG_EXT, segment::INDEX_EXT, segment::TIME_INDEX_EXT] {
            fs::remove_file(segment::file_path(dir.path(), *base, ext)).expect("remove");
        }
    }
    assert_eq!(read_listed(dir.path(), 0, listing), (start..40).collect::<Vec<_>>());
}

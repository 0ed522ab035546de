//! Properties of the torn-tail rule over whole logs: a valid log cut at any
//! byte is a torn tail (the writer cuts it back to the last whole frame),
//! and a byte flipped anywhere inside a whole frame is damage to every walk
//! that checks checksums (open scan, verify, reader) — never a tail to cut.

use std::path::Path;

use proptest::prelude::*;

use super::open_scan::{Verify, scan};
use crate::store::frame::{FrameBuilder, RecordParts};
use crate::store::{LogReader, log_end, verify_replica};

/// A log of frames holding `frames` (records' values per frame), and the
/// byte position where each frame ends.
fn build(frames: &[Vec<Vec<u8>>]) -> (Vec<u8>, Vec<u64>) {
    let mut bytes = Vec::new();
    let mut ends = Vec::new();
    let mut offset = 0;
    for values in frames {
        let mut b = FrameBuilder::new();
        for v in values {
            b.push(&RecordParts { timestamp: 7, key: None, value: Some(v), headers: &[], header_count: 0 });
        }
        bytes.extend_from_slice(b.seal(offset, 3));
        offset += values.len() as u64;
        ends.push(bytes.len() as u64);
    }
    (bytes, ends)
}

fn frames() -> impl Strategy<Value = Vec<Vec<Vec<u8>>>> {
    let value = proptest::collection::vec(any::<u8>(), 0..48);
    proptest::collection::vec(proptest::collection::vec(value, 1..4), 1..6)
}

/// A replica folder whose one segment holds `bytes`.
fn replica(bytes: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(super::file_path(dir.path(), 0, super::LOG_EXT), bytes).expect("write");
    dir
}

fn scan_dir(dir: &Path) -> crate::error::Result<super::open_scan::Scan> {
    let path = super::file_path(dir, 0, super::LOG_EXT);
    let file = std::fs::File::open(&path).expect("open");
    let len = file.metadata().expect("stat").len();
    scan(&file, &path, 0, 0, len, Verify::Checksums, |_| {})
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn a_valid_log_cut_at_any_byte_is_a_torn_tail(frames in frames(), at in any::<prop::sample::Index>()) {
        let (bytes, ends) = build(&frames);
        let cut = at.index(bytes.len());
        let dir = replica(&bytes[..cut]);
        let whole = ends.iter().filter(|&&e| e <= cut as u64).count();
        let end_position = if whole == 0 { 0 } else { ends[whole - 1] };
        let records: usize = frames[..whole].iter().map(Vec::len).sum();
        let scanned = scan_dir(dir.path()).expect("a cut log is a torn tail, not damage");
        prop_assert_eq!(scanned.end_position, end_position);
        prop_assert_eq!(scanned.next_offset, records as u64);
        prop_assert_eq!(scanned.torn.is_some(), end_position != cut as u64);
        let verified = verify_replica(dir.path(), |_| {}).expect("verify");
        prop_assert!(verified.damage.is_empty(), "{:?}", verified.damage);
        prop_assert_eq!(log_end(dir.path()).expect("log end").end_offset, records as u64);
    }

    #[test]
    fn a_byte_flipped_inside_a_whole_frame_is_damage(
        frames in frames(),
        at in any::<prop::sample::Index>(),
        mask in 1u8..=255,
    ) {
        let (mut bytes, ends) = build(&frames);
        let flipped = at.index(bytes.len());
        bytes[flipped] ^= mask;
        let damaged_frame = ends.iter().filter(|&&e| e <= flipped as u64).count();
        let dir = replica(&bytes);
        let err = scan_dir(dir.path()).expect_err("a flipped byte is damage");
        prop_assert_eq!(err.exit_code(), 74);
        let verified = verify_replica(dir.path(), |_| {}).expect("verify");
        prop_assert!(verified.torn.is_none(), "{:?}", verified.torn);
        prop_assert!(!verified.damage.is_empty());
        // A reader hands out the frames before the damage, never the damaged one.
        let mut reader = LogReader::open(dir.path(), 0).expect("reader");
        let mut read = 0;
        while let Ok(Some(_)) = reader.next_frame() {
            read += 1;
        }
        prop_assert_eq!(read, damaged_frame);
    }
}

//! Tests of the whole-replica walks: verification's data damage, the epochs
//! frame headers record, and the segment files `log dump` walks.

use std::fs;

use super::*;
use crate::store::test_support::{append_epoch_frame, append_frame};
use crate::store::{Log, LogConfig};

fn small_segments() -> LogConfig {
    LogConfig { segment_bytes: 600, index_interval_bytes: 100, segment_ms: None }
}

#[test]
fn index_damage_is_not_data_damage() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut log, _) = Log::open(dir.path(), small_segments(), 0).expect("open");
    for i in 0..20u8 {
        append_frame(&mut log, &[&[i; 40]], 1, 0);
    }
    drop(log);
    let files = segment_files(dir.path()).expect("segments");
    assert!(files.len() > 2, "small segments roll");
    let clean = verify_replica(dir.path(), |_| {}).expect("verify");
    assert!(clean.damage.is_empty() && clean.data_damage().is_none());

    let index = files[0].with_extension("index");
    fs::write(&index, [0xffu8; 16]).expect("write");
    let bad_index = verify_replica(dir.path(), |_| {}).expect("verify");
    assert_eq!(bad_index.damage.len(), 1);
    assert!(bad_index.data_damage().is_none(), "{:?}", bad_index.damage);

    let mut bytes = fs::read(&files[0]).expect("read");
    bytes[20] ^= 0xff;
    fs::write(&files[0], bytes).expect("write");
    let bad_data = verify_replica(dir.path(), |_| {}).expect("verify");
    let damage = bad_data.data_damage().expect("data damage");
    assert_eq!((damage.path.as_path(), damage.position), (files[0].as_path(), 0));
}

#[test]
fn epochs_are_read_from_frame_headers_across_segments() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut log, _) = Log::open(dir.path(), small_segments(), 5).expect("open");
    for epoch in [0, 0, 0, 3, 3, 2, 2, 7] {
        append_epoch_frame(&mut log, epoch, 4);
    }
    let epochs = frame_epochs(dir.path()).expect("epochs");
    let starts: Vec<_> = epochs.starts.iter().map(|s| (s.epoch, s.start_offset)).collect();
    assert_eq!(starts, [(0, 5), (3, 17), (2, 25), (7, 33)]);
    assert_eq!((epochs.start_offset, epochs.end_offset), (5, 37));
    assert_eq!(frame_epochs(&dir.path().join("gone")).expect("epochs"), FrameEpochs::default());
}

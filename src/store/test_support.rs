//! Test helpers shared by the store's and the cluster's unit tests:
//! appending small frames to a log directly.

use super::frame::{FrameCheck, FrameHeader, check_frame};
use super::{FrameBuilder, Log, RecordParts};

/// The frame `builder` seals at `base_offset`, and its verified header.
fn sealed(builder: &mut FrameBuilder, base_offset: u64, epoch: u32) -> (Vec<u8>, FrameHeader) {
    let bytes = builder.seal(base_offset, epoch).to_vec();
    let FrameCheck::Whole(header) = check_frame(&bytes) else { panic!("a sealed frame must verify") };
    (bytes, header)
}

/// Appends one frame of `records` one-byte values stamped with `epoch`.
pub fn append_epoch_frame(log: &mut Log, epoch: u32, records: u32) {
    let values = vec![&b"v"[..]; records as usize];
    append_frame(log, &values, 1, epoch);
}

/// Appends one frame holding `values` at `timestamp`, stamped with `epoch`.
pub fn append_frame(log: &mut Log, values: &[&[u8]], timestamp: i64, epoch: u32) {
    let mut builder = FrameBuilder::new();
    for v in values {
        builder.push(&RecordParts { timestamp, key: None, value: Some(v), headers: &[], header_count: 0 });
    }
    let (bytes, header) = sealed(&mut builder, log.next_offset(), epoch);
    log.append(&bytes, &header).expect("append");
}

/// Appends one frame of a single keyed record.
pub fn append_keyed(log: &mut Log, key: &[u8], value: Option<&[u8]>, timestamp: i64) {
    let mut builder = FrameBuilder::new();
    builder.push(&RecordParts { timestamp, key: Some(key), value, headers: &[], header_count: 0 });
    let (bytes, header) = sealed(&mut builder, log.next_offset(), 0);
    log.append(&bytes, &header).expect("append");
}

/// Appends, as a replica copying it would, one frame of one value whose
/// first offset is `base_offset` (at or above the log end).
pub fn append_copied_at(log: &mut Log, base_offset: u64, value: &[u8]) {
    let mut builder = FrameBuilder::new();
    builder.push(&RecordParts { timestamp: 1, key: None, value: Some(value), headers: &[], header_count: 0 });
    let (bytes, header) = sealed(&mut builder, base_offset, 0);
    // As a copy does: a gap it takes over is compaction's, marked first.
    log.allow_gaps_below(base_offset).expect("mark the gap");
    log.append_copied(&bytes, &header).expect("append copied");
}

/// The base offsets of the segments in `dir`, ascending.
pub fn segment_bases(dir: &std::path::Path) -> Vec<u64> {
    super::segment::list(dir).expect("list segments")
}

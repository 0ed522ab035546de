//! Tests of the frame encoder, header checks and decoder.

use super::*;
use proptest::prelude::*;

type OwnedRecord = (i64, Option<Vec<u8>>, Option<Vec<u8>>, Vec<(Vec<u8>, Option<Vec<u8>>)>);

fn build(records: &[OwnedRecord], base: u64, epoch: u32) -> Vec<u8> {
    let mut builder = FrameBuilder::new();
    for (ts, key, value, headers) in records {
        let mut hbuf = Vec::new();
        let count = encode_headers(headers.iter().map(|(k, v)| (k.as_slice(), v.as_deref())), &mut hbuf);
        let parts = RecordParts {
            timestamp: *ts,
            key: key.as_deref(),
            value: value.as_deref(),
            headers: &hbuf,
            header_count: count,
        };
        let expected = builder.len() + builder.added_len(&parts);
        builder.push(&parts);
        assert_eq!(builder.len(), expected);
    }
    builder.seal(base, epoch).to_vec()
}

fn owned_record() -> impl Strategy<Value = OwnedRecord> {
    let bytes = proptest::collection::vec(any::<u8>(), 0..40);
    (
        any::<i64>(),
        proptest::option::of(bytes.clone()),
        proptest::option::of(bytes.clone()),
        proptest::collection::vec((bytes.clone(), proptest::option::of(bytes)), 0..3),
    )
}

#[test]
fn header_fields_round_trip() {
    let frame = build(&[(1000, Some(b"k".to_vec()), Some(b"v".to_vec()), vec![]), (900, None, None, vec![])], 42, 7);
    let FrameCheck::Whole(h) = check_frame(&frame) else { panic!("frame should verify") };
    assert_eq!(h.base_offset, 42);
    assert_eq!(h.leader_epoch, 7);
    assert_eq!(h.record_count, 2);
    assert_eq!(h.next_offset(), 44);
    assert_eq!(h.first_timestamp, 1000);
    assert_eq!(h.max_timestamp, 1000);
    assert_eq!(h.frame_len as usize, frame.len());
}

#[test]
fn a_flipped_bit_anywhere_is_detected() {
    let frame = build(&[(5, Some(b"key".to_vec()), Some(b"value".to_vec()), vec![])], 3, 0);
    for i in 0..frame.len() {
        let mut bad = frame.clone();
        bad[i] ^= 0x10;
        assert!(!matches!(check_frame(&bad), FrameCheck::Whole(_)), "flip at byte {i} went unnoticed");
    }
}

#[test]
fn a_cut_frame_is_incomplete() {
    let frame = build(&[(5, None, Some(vec![7; 100]), vec![])], 0, 0);
    assert_eq!(check_frame(&frame[..10]), FrameCheck::Incomplete { needed: HEADER_LEN });
    assert_eq!(check_frame(&frame[..frame.len() - 1]), FrameCheck::Incomplete { needed: frame.len() });
}

#[test]
fn offsets_past_i64_max_are_implausible_not_an_overflow() {
    for (base, delta) in [(u64::MAX, 0u32), (i64::MAX as u64, 0), (u64::MAX - 3, 5), (i64::MAX as u64 - 10, 10)] {
        let mut frame = build(&[(1, None, Some(b"v".to_vec()), vec![])], 0, 0);
        frame[0..8].copy_from_slice(&base.to_le_bytes());
        frame[28..32].copy_from_slice(&delta.to_le_bytes());
        let crc = frame_crc(&frame);
        frame[12..16].copy_from_slice(&crc.to_le_bytes());
        assert_eq!(check_frame(&frame), FrameCheck::Invalid(Damage::BadHeader), "base {base} delta {delta}");
    }
}

proptest! {
    #[test]
    fn records_round_trip(records in proptest::collection::vec(owned_record(), 1..20), base in 0u64..1 << 50, epoch: u32) {
        let frame = build(&records, base, epoch);
        let FrameCheck::Whole(header) = check_frame(&frame) else {
            return Err(TestCaseError::fail("frame did not verify"));
        };
        let decoded: Vec<_> = Frame::new(header, &frame).records().collect::<Result<_, _>>().map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        prop_assert_eq!(decoded.len(), records.len());
        for (i, (rec, (ts, key, value, headers))) in decoded.iter().zip(&records).enumerate() {
            prop_assert_eq!(rec.offset, base + i as u64);
            prop_assert_eq!(rec.timestamp, *ts);
            prop_assert_eq!(rec.key, key.as_deref());
            prop_assert_eq!(rec.value, value.as_deref());
            let got: Vec<_> = rec.headers.iter().map(|(k, v)| (k.to_vec(), v.map(<[u8]>::to_vec))).collect();
            prop_assert_eq!(&got, headers);
        }
    }

    /// Records staged in runs and streamed to the frame
    /// (`push_measured_staged`, `append_staged`) make the same bytes as
    /// records pushed one by one.
    #[test]
    fn staged_runs_build_the_same_frame(records in proptest::collection::vec(owned_record(), 1..30), cuts in proptest::collection::vec(1usize..6, 30)) {
        let plain = build(&records, 9, 1);
        let mut builder = FrameBuilder::new();
        let mut staged = Vec::new();
        let mut in_run = 0;
        let mut run = cuts.iter().cycle();
        let mut run_len = *run.next().unwrap_or(&1);
        for (ts, key, value, headers) in &records {
            let mut hbuf = Vec::new();
            let count = encode_headers(headers.iter().map(|(k, v)| (k.as_slice(), v.as_deref())), &mut hbuf);
            let parts = RecordParts { timestamp: *ts, key: key.as_deref(), value: value.as_deref(), headers: &hbuf, header_count: count };
            let measured = builder.measure(&parts);
            builder.push_measured_staged(&parts, measured, &mut staged);
            in_run += 1;
            if in_run == run_len {
                builder.append_staged(&staged);
                staged.clear();
                in_run = 0;
                run_len = *run.next().unwrap_or(&1);
            }
        }
        builder.append_staged(&staged);
        crate::sys::stream_copy::publish();
        prop_assert_eq!(builder.seal(9, 1).to_vec(), plain);
    }

    #[test]
    fn decoding_garbage_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        if let FrameCheck::Whole(h) = check_frame(&bytes) {
            for _ in Frame::new(h, &bytes).records() {}
        }
    }

    #[test]
    fn garbage_with_a_valid_checksum_never_panics(mut body in proptest::collection::vec(any::<u8>(), 0..200), count in 1u32..5) {
        let mut frame = vec![0u8; HEADER_LEN];
        frame.append(&mut body);
        let len = frame.len() as u32;
        frame[8..12].copy_from_slice(&len.to_le_bytes());
        frame[16] = FORMAT_VERSION;
        frame[24..28].copy_from_slice(&count.to_le_bytes());
        frame[28..32].copy_from_slice(&(count - 1).to_le_bytes());
        let crc = frame_crc(&frame);
        frame[12..16].copy_from_slice(&crc.to_le_bytes());
        let FrameCheck::Whole(h) = check_frame(&frame) else {
            return Err(TestCaseError::fail("crafted frame should verify"));
        };
        for _ in Frame::new(h, &frame).records() {}
    }
}

#[test]
fn kafka_batch_size_is_kafkas_record_batch_of_one() {
    use super::encode::kafka_batch_size;
    let parts = |key: Option<&'static [u8]>, value: Option<&'static [u8]>| RecordParts {
        timestamp: 0,
        key,
        value,
        headers: &[],
        header_count: 0,
    };
    // DefaultRecord.sizeInBytes: attributes, timestamp delta, offset delta,
    // key, value, header count (1 byte each here, 1 + 1 per one-byte key and
    // value) and a one-byte length prefix, after the 61-byte batch header.
    assert_eq!(kafka_batch_size(&parts(Some(b"k"), Some(b"v"))), 61 + 1 + 8);
    assert_eq!(kafka_batch_size(&parts(None, None)), 61 + 1 + 6);
    // Zigzag varints: a 64-byte value's length takes 2 bytes in Kafka's
    // encoding (1 in runnel's).
    let value: &'static [u8] = &[b'x'; 64];
    assert_eq!(kafka_batch_size(&parts(None, Some(value))), 61 + 2 + (1 + 1 + 1 + 1 + 2 + 64 + 1));
    // Headers: count, then zigzag key length, key, value.
    let mut headers = Vec::new();
    let count = encode_headers([(&b"h"[..], Some(&b"1"[..])), (&b"n"[..], None)], &mut headers);
    let with = RecordParts { headers: &headers, header_count: count, ..parts(None, None) };
    assert_eq!(kafka_batch_size(&with), 61 + 1 + (1 + 1 + 1 + 1 + 1 + 1 + (1 + 1 + 1 + 1) + (1 + 1 + 1)));
}

proptest! {
    /// The bound producers use to skip the exact Kafka size far from the
    /// limit is never below it.
    #[test]
    fn kafka_batch_size_never_exceeds_its_bound(
        key in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..300)),
        value in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..20_000)),
        headers in proptest::collection::vec((proptest::collection::vec(any::<u8>(), 0..200), proptest::option::of(proptest::collection::vec(any::<u8>(), 0..100))), 0..5),
    ) {
        use super::encode::{kafka_batch_size, kafka_batch_size_bound};
        let mut raw = Vec::new();
        let count = encode_headers(headers.iter().map(|(k, v)| (k.as_slice(), v.as_deref())), &mut raw);
        let parts = RecordParts { timestamp: 0, key: key.as_deref(), value: value.as_deref(), headers: &raw, header_count: count };
        prop_assert!(kafka_batch_size(&parts) <= kafka_batch_size_bound(record_len(&parts, 0, 0), count));
    }
}

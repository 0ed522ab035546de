//! Property-based fuzzing of every decoder that reads untrusted bytes: the
//! frame decoder (arbitrary bytes, and valid frames mutated with and without
//! a fixed-up checksum), whole segment files through recovery, readers and
//! `log verify`, the index readers, the JSON envelope parser, the key-field
//! extractor, and the template parser and renderer. None may panic.
//!
//! 2000 cases per property by default; `RUNNEL_FUZZ_CASES=N` runs more
//! (e.g. `RUNNEL_FUZZ_CASES=200000 cargo test --release --test it fuzz::`).

use proptest::prelude::*;
use proptest::test_runner::Config;

use runnel::envelope;
use runnel::output::Template;
use runnel::producer::key_field::{KeyPath, extract};
use runnel::store::{
    FORMAT_VERSION, Frame, FrameBuilder, FrameCheck, HEADER_LEN, Log, LogConfig, LogReader, OffsetIndex, RecordParts,
    TimeIndex, check_frame, encode_headers, frame_crc, log_end, peek_header,
};

fn cases(divisor: u32) -> Config {
    let n = std::env::var("RUNNEL_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(2000u32);
    Config { cases: (n / divisor).max(1), failure_persistence: None, ..Config::default() }
}

type OwnedRecord = (i64, Option<Vec<u8>>, Option<Vec<u8>>, Vec<(Vec<u8>, Option<Vec<u8>>)>);

fn owned_record() -> impl Strategy<Value = OwnedRecord> {
    let bytes = proptest::collection::vec(any::<u8>(), 0..24);
    (
        any::<i64>(),
        proptest::option::of(bytes.clone()),
        proptest::option::of(bytes.clone()),
        proptest::collection::vec((bytes.clone(), proptest::option::of(bytes)), 0..3),
    )
}

fn build(records: &[OwnedRecord], base: u64, epoch: u32) -> Vec<u8> {
    let mut builder = FrameBuilder::new();
    for (ts, key, value, headers) in records {
        let mut hbuf = Vec::new();
        let header_count = encode_headers(headers.iter().map(|(k, v)| (k.as_slice(), v.as_deref())), &mut hbuf);
        builder.push(&RecordParts {
            timestamp: *ts,
            key: key.as_deref(),
            value: value.as_deref(),
            headers: &hbuf,
            header_count,
        });
    }
    builder.seal(base, epoch).to_vec()
}

/// Decodes everything a frame holds, as a consumer and `log dump` would.
fn decode_all(bytes: &[u8]) {
    if let FrameCheck::Whole(h) = check_frame(bytes) {
        let _ = (h.next_offset(), h.last_offset());
        for record in Frame::new(h, bytes).records().flatten() {
            for (k, v) in record.headers.iter() {
                let _ = (k.len(), v.map(<[u8]>::len));
            }
            let mut out = Vec::new();
            runnel::output::write_envelope("t", 0, &record, &mut out);
        }
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Set(usize, u8),
    Truncate(usize),
    Insert(usize, Vec<u8>),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1u8..).prop_map(|(i, b)| Mutation::Flip(i, b)),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Set(i, b)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), proptest::collection::vec(any::<u8>(), 1..8)).prop_map(|(i, b)| Mutation::Insert(i, b)),
    ]
}

fn mutate(bytes: &mut Vec<u8>, mutations: &[Mutation]) {
    for m in mutations {
        if bytes.is_empty() {
            return;
        }
        let n = bytes.len();
        match m {
            Mutation::Flip(i, b) => bytes[i % n] ^= b,
            Mutation::Set(i, b) => bytes[i % n] = *b,
            Mutation::Truncate(i) => bytes.truncate(i % n),
            Mutation::Insert(i, b) => {
                let at = i % n;
                bytes.splice(at..at, b.iter().copied());
            }
        }
    }
}

/// Re-stamps length and checksum so a mutated body reaches the record decoder.
fn fix_checksum(bytes: &mut [u8]) {
    if bytes.len() >= HEADER_LEN {
        let len = bytes.len() as u32;
        bytes[8..12].copy_from_slice(&len.to_le_bytes());
        let crc = frame_crc(bytes);
        bytes[12..16].copy_from_slice(&crc.to_le_bytes());
    }
}

/// A segment file made of valid frames, then damaged.
fn damaged_segment() -> impl Strategy<Value = Vec<u8>> {
    (
        proptest::collection::vec(proptest::collection::vec(owned_record(), 1..4), 1..6),
        proptest::collection::vec(mutation(), 0..4),
    )
        .prop_map(|(frames, mutations)| {
            let mut bytes = Vec::new();
            let mut offset = 0u64;
            for records in &frames {
                bytes.extend(build(records, offset, 0));
                offset += records.len() as u64;
            }
            mutate(&mut bytes, &mutations);
            bytes
        })
}

/// Everything that opens a replica folder, on one damaged segment.
fn open_everything(segment: &[u8], index: &[u8], time_index: &[u8]) {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("00000000000000000000.log"), segment).expect("write");
    std::fs::write(dir.path().join("00000000000000000000.index"), index).expect("write");
    std::fs::write(dir.path().join("00000000000000000000.timeindex"), time_index).expect("write");
    let _ = runnel::store::verify_replica(dir.path(), |_| {});
    let _ = runnel::store::walk_segment(&dir.path().join("00000000000000000000.log"), true, |_, f| {
        f.records().for_each(drop);
        Ok(())
    });
    let _ = log_end(dir.path());
    let _ = runnel::store::offset_for_timestamp(dir.path(), 0);
    for from in [0, 3] {
        if let Ok(mut reader) = LogReader::open(dir.path(), from) {
            while let Ok(Some(frame)) = reader.next_frame() {
                frame.records().for_each(drop);
            }
        }
    }
    if let Ok((mut log, _)) =
        Log::open(dir.path(), LogConfig { segment_bytes: 4096, index_interval_bytes: 32, ..LogConfig::default() }, 0)
    {
        let mut builder = FrameBuilder::new();
        builder.push(&RecordParts { timestamp: 1, key: None, value: Some(b"v"), headers: &[], header_count: 0 });
        let bytes = builder.seal(log.next_offset(), 0).to_vec();
        if let FrameCheck::Whole(h) = check_frame(&bytes) {
            let _ = log.append(&bytes, &h);
        }
        let _ = log.truncate_to(1);
    }
}

proptest! {
    #![proptest_config(cases(1))]

    #[test]
    fn frames_from_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        decode_all(&bytes);
        let _ = peek_header(&bytes);
    }

    #[test]
    fn mutated_valid_frames(records in proptest::collection::vec(owned_record(), 1..6), base in any::<u64>(), epoch: u32,
                            mutations in proptest::collection::vec(mutation(), 1..5), fix in any::<bool>()) {
        let base = base >> 1;
        let mut bytes = build(&records, base.min(i64::MAX as u64 - 64), epoch);
        mutate(&mut bytes, &mutations);
        if fix {
            fix_checksum(&mut bytes);
        }
        decode_all(&bytes);
    }

    #[test]
    fn headers_with_a_valid_checksum_but_any_field(mut header in proptest::collection::vec(any::<u8>(), HEADER_LEN..HEADER_LEN + 1),
                                                  body in proptest::collection::vec(any::<u8>(), 0..100)) {
        header[16] = FORMAT_VERSION;
        header.extend(body);
        fix_checksum(&mut header);
        decode_all(&header);
    }

    #[test]
    fn index_readers(bytes in proptest::collection::vec(any::<u8>(), 0..300), target: u32, ts: i64, seg: u64, i: usize) {
        let index = OffsetIndex::new(&bytes);
        let _ = (index.floor(target), index.valid_prefix(seg), index.get(i), index.last(), index.len());
        let times = TimeIndex::new(&bytes);
        let _ = (times.last_before(ts), times.valid_prefix(seg), times.get(i), times.last(), times.len());
    }

    #[test]
    fn envelope_parser_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = envelope::parse(&bytes);
    }

    #[test]
    fn envelope_parser_on_json_like_text(text in r#"\{( *"(key|value|headers|partition|timestamp|base64|topic)" *: *(null|true|-?[0-9]{1,22}(\.[0-9])?(e[0-9]+)?|"([^"\\]|\\[nt"\\u0-9a-f]){0,8}"|\{("[a-z0-9]{0,3}": *("[^"]{0,4}"|null|[0-9]|\{"base64":"[A-Za-z0-9+/=*]{0,8}"\}),?){0,3}\}|\[[0-9,]{0,5}\]) *,?){0,6}\}"#) {
        let _ = envelope::parse(text.as_bytes());
    }

    #[test]
    fn key_field_extractor(bytes in proptest::collection::vec(any::<u8>(), 0..200), path in "[.a-z]{0,8}") {
        if let Some(path) = KeyPath::parse(&path) {
            let _ = extract(&bytes, &path);
        }
    }

    #[test]
    fn key_field_on_json_like_text(text in r#"\{("[ab]": *(\{"[ab]": *[0-9a-z"{}\[\],:]{0,10}\}|[0-9]|"x"|null|\[\{\}\]),?){0,4}\}?"#, path in "(\\.)?[ab](\\.[ab]){0,2}") {
        let path = KeyPath::parse(&path).expect("valid path");
        let _ = extract(text.as_bytes(), &path);
    }

    #[test]
    fn templates_parse_and_render(text in ".{0,30}", fancy in r"([%\\][a-zA-Z%\\]?|[a-z ]){0,12}", rec in owned_record()) {
        let (ts, key, value, headers) = rec;
        let bytes = build(&[(ts, key, value, headers)], 7, 0);
        let FrameCheck::Whole(h) = check_frame(&bytes) else { return Err(TestCaseError::fail("valid frame")) };
        let Some(Ok(record)) = Frame::new(h, &bytes).records().next() else { return Err(TestCaseError::fail("record")) };
        for t in [text.as_str(), fancy.as_str()] {
            if let Ok(template) = Template::parse(t) {
                let mut out = Vec::new();
                template.render("topic", 1, &record, &mut out);
            }
        }
    }
}

proptest! {
    #![proptest_config(cases(10))]

    #[test]
    fn damaged_segments_through_every_reader(segment in damaged_segment(),
                                             index in proptest::collection::vec(any::<u8>(), 0..40),
                                             time_index in proptest::collection::vec(any::<u8>(), 0..64)) {
        open_everything(&segment, &index, &time_index);
    }
}

//! Tests of the frame cursor: whole frames, the end, and how a bad frame is
//! judged under each damage policy.

use std::io::Write;

use super::cursor::{DamagePolicy, FrameCursor, Problem, Step};
use crate::store::frame::{Damage, FrameBuilder, RecordParts};

fn frame(base: u64, values: &[&[u8]]) -> Vec<u8> {
    let mut b = FrameBuilder::new();
    for v in values {
        b.push(&RecordParts { timestamp: 1, key: None, value: Some(v), headers: &[], header_count: 0 });
    }
    b.seal(base, 0).to_vec()
}

fn file_with(bytes: &[u8]) -> tempfile::NamedTempFile {
    let mut f = tempfile::NamedTempFile::new().expect("temp file");
    f.write_all(bytes).expect("write");
    f
}

/// The positions of the whole frames, then the bad frame if any.
fn walk(bytes: &[u8], policy: DamagePolicy, headers_only: bool) -> (Vec<u64>, Option<(u64, Problem, bool)>) {
    let f = file_with(bytes);
    let mut cursor = FrameCursor::new(f.as_file(), f.path(), 0, bytes.len() as u64, policy);
    let mut positions = Vec::new();
    loop {
        let step = if headers_only {
            cursor.next_header().expect("step")
        } else {
            cursor.next_frame().expect("step").map(|frame| frame.header)
        };
        match step {
            Step::Whole(position, _) => positions.push(position),
            Step::End => return (positions, None),
            Step::Bad(bad) => return (positions, Some((bad.position, bad.problem, bad.torn))),
        }
    }
}

#[test]
fn whole_frames_then_the_end() {
    let first = frame(0, &[b"a", b"b"]);
    let mut bytes = first.clone();
    bytes.extend(frame(2, &[b"c"]));
    for headers_only in [false, true] {
        assert_eq!(walk(&bytes, DamagePolicy::Refuse, headers_only), (vec![0, first.len() as u64], None));
    }
}

#[test]
fn a_cut_frame_is_torn_only_in_the_last_segment() {
    let first = frame(0, &[b"a"]);
    let mut bytes = first.clone();
    bytes.extend(frame(1, &[b"bbbbbbbb"]));
    bytes.truncate(bytes.len() - 3);
    let at = first.len() as u64;
    assert_eq!(walk(&bytes, DamagePolicy::TornTail, false).1, Some((at, Problem::FrameCut, true)));
    assert_eq!(walk(&bytes, DamagePolicy::Refuse, false).1, Some((at, Problem::FrameCut, false)));
    bytes.truncate(first.len() + 10);
    assert_eq!(walk(&bytes, DamagePolicy::TornTail, true).1, Some((at, Problem::HeaderCut, true)));
}

#[test]
fn a_bad_frame_is_torn_only_when_nothing_whole_can_follow() {
    let first = frame(0, &[b"a"]);
    let mut bytes = first.clone();
    bytes.extend(vec![0u8; 100]);
    let zeros = walk(&bytes, DamagePolicy::TornTail, false).1.expect("bad");
    assert_eq!((zeros.1, zeros.2), (Problem::Damaged(Damage::BadHeader), true));

    let mut bytes = first.clone();
    bytes.extend(frame(1, &[b"b"]));
    bytes[first.len() - 1] ^= 0xff;
    let (positions, bad) = walk(&bytes, DamagePolicy::TornTail, false);
    assert!(positions.is_empty());
    let (position, problem, torn) = bad.expect("bad");
    assert!(matches!(problem, Problem::Damaged(Damage::BadChecksum { .. })), "{problem:?}");
    assert_eq!((position, torn), (0, false));
    // Walking headers only does not look at checksums.
    assert_eq!(walk(&bytes, DamagePolicy::TornTail, true).0.len(), 2);
}

#[test]
fn offsets_going_back_are_refused_when_asked() {
    let mut bytes = frame(5, &[b"a"]);
    let second = bytes.len() as u64;
    bytes.extend(frame(2, &[b"b"]));
    assert_eq!(walk(&bytes, DamagePolicy::TornTail, false).0.len(), 2);
    let f = file_with(&bytes);
    let mut cursor =
        FrameCursor::new(f.as_file(), f.path(), 0, bytes.len() as u64, DamagePolicy::TornTail).offsets_from(5);
    assert!(matches!(cursor.next_header().expect("step"), Step::Whole(0, _)));
    let Step::Bad(bad) = cursor.next_header().expect("step") else { panic!("offsets go back") };
    assert_eq!((bad.position, bad.problem, bad.torn), (second, Problem::OffsetBack { found: 2, expected: 6 }, false));
    assert_eq!(bad.problem.to_string(), "frame offset 2 goes back (expected at least 6)");
}

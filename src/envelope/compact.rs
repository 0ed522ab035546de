//! A fast path for compact JSON objects keyed by a top-level member: the
//! key found and the whole line validated, most lines by comparing them
//! with the shape of the line before.
//!
//! It takes lines with no whitespace outside their strings and no `\`,
//! control byte or non-ASCII byte anywhere — what serde_json,
//! `JSON.stringify` or Python's `separators=(",", ":")` write for plain
//! ASCII data; one SSE2 pass over the line checks the bytes. Such a line is
//! first walked token by token (`walk`, exact JSON as `scan` takes it),
//! which also records its `Shape`: the line's bytes outside its string
//! and number values, and which string is the key. A later line with the
//! same shape is valid JSON as soon as its bytes match the shape's pieces
//! (sixteen bytes per comparison) and each of its values is a string
//! without quotes or a JSON number: member names and structure are not
//! parsed again. The shape is kept per thread, for one key name.
//!
//! Like `scan`, it never refuses a line: `None` means "ask `scan`" — for any
//! line it does not cover, valid or not — so serde_json's verdict and error
//! text stay the rule.

use std::cell::RefCell;

use super::scan::{Line, MAX_DEPTH};
use super::string_run;

/// Bytes in one SSE2 step, and the longest piece of a shape.
const STEP: usize = 16;

/// The value of the last top-level member named `name` in `line` (as
/// serde_json, jq, Python and JavaScript take a duplicate name), when
/// `line` is a compact JSON object this module covers and that value is a
/// string (its contents, borrowed) or null (`None`). `None` for anything
/// else: the caller asks `scan` (then serde_json).
#[inline]
pub fn member<'a>(line: &'a [u8], name: &[u8]) -> Option<Option<&'a [u8]>> {
    if !plain(line) {
        return None;
    }
    SHAPE.with(|shape| {
        let mut shape = shape.try_borrow_mut().ok()?;
        // Where shapes keep changing, a line is only walked, most of the
        // time: recording costs more than it gives back.
        let probe = shape.misses < RECORDED_MISSES || shape.misses % PROBE_EVERY >= PROBE_EVERY - 2;
        shape.misses = shape.misses.wrapping_add(1);
        if !probe {
            return walk::<false>(line, name, &mut shape);
        }
        if shape.name == name
            && let Some(key) = shape.key_of(line)
        {
            shape.misses = 0;
            return Some(key);
        }
        walk::<true>(line, name, &mut shape)
    })
}

/// Lines in a row that may miss the shape and still be recorded.
const RECORDED_MISSES: u32 = 4;

/// After those, two lines in a row in this many try the shape and are
/// recorded (the second tries the first's shape).
const PROBE_EVERY: u32 = 64;

thread_local! {
    /// The shape of the last line walked on this thread.
    static SHAPE: RefCell<Shape> = const { RefCell::new(Shape { name: Vec::new(), pieces: Vec::new(), key: usize::MAX, misses: 0 }) };
}

/// What follows a piece of a shape.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Slot {
    /// Another piece (a piece holds at most `STEP` bytes).
    Piece,
    /// A string's contents: any bytes but `"` up to the next `"`.
    String,
    /// A JSON number.
    Number,
    /// The end of the line.
    End,
}

/// One piece of a shape: bytes the line must hold, then a slot.
#[derive(Clone, Copy, Debug)]
struct Piece {
    bytes: [u8; STEP],
    len: usize,
    then: Slot,
}

/// A valid line with its string and number values taken out: the pieces
/// between them (names, punctuation, literals, the values' quotes), for a
/// key `name` that is the string after piece `key`. Empty (no pieces)
/// until a line is walked.
struct Shape {
    name: Vec<u8>,
    pieces: Vec<Piece>,
    key: usize,
    /// Lines in a row that did not have this shape.
    misses: u32,
}

impl Shape {
    /// The key of `line` if it has this shape: its pieces where the shape
    /// has them, a string or a number in each slot.
    #[inline(never)]
    fn key_of<'a>(&self, b: &'a [u8]) -> Option<Option<&'a [u8]>> {
        let line = Line::new(b);
        let mut key = None;
        let mut i = 0;
        for (k, piece) in self.pieces.iter().enumerate() {
            if !piece_at(b, i, piece) {
                return None;
            }
            i += piece.len;
            match piece.then {
                Slot::Piece => {}
                Slot::String => {
                    // No backslash in the line: the next stop is the quote.
                    let end = string_run::end::<false>(b, i);
                    if k == self.key {
                        key = Some(b.get(i..end)?);
                    }
                    i = end;
                }
                Slot::Number => i = line.number(i)?,
                Slot::End => return (i == b.len() && key.is_some()).then_some(key),
            }
        }
        None
    }

    /// Starts the shape of a new line.
    fn clear(&mut self, name: &[u8]) {
        self.name.clear();
        self.name.extend_from_slice(name);
        self.pieces.clear();
        self.key = usize::MAX;
    }

    /// Records `b[from..to]` as pieces, the last followed by `then`.
    fn push(&mut self, b: &[u8], mut from: usize, to: usize, then: Slot) {
        while to - from > STEP {
            self.push_piece(&b[from..from + STEP], Slot::Piece);
            from += STEP;
        }
        self.push_piece(&b[from..to], then);
    }

    fn push_piece(&mut self, bytes: &[u8], then: Slot) {
        let mut piece = Piece { bytes: [0; STEP], len: bytes.len(), then };
        piece.bytes[..bytes.len()].copy_from_slice(bytes);
        self.pieces.push(piece);
    }
}

/// Whether `b` holds `piece`'s bytes at `i`.
#[inline(always)]
fn piece_at(b: &[u8], i: usize, piece: &Piece) -> bool {
    match b.get(i..).and_then(<[u8]>::first_chunk::<STEP>) {
        Some(chunk) => same_prefix(chunk, &piece.bytes, piece.len),
        // Near the end of the line (the last piece, mostly a `}` or two):
        // a byte loop, cheaper than a `memcmp` call for a few bytes.
        None => b.get(i..i + piece.len).is_some_and(|bytes| {
            let mut same = true;
            for (a, b) in bytes.iter().zip(&piece.bytes) {
                same &= a == b;
            }
            same
        }),
    }
}

/// Whether the first `len` bytes of `a` and `b` are the same.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
fn same_prefix(a: &[u8; STEP], b: &[u8; STEP], len: usize) -> bool {
    use std::arch::x86_64::{_mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8};
    // SAFETY: `a` and `b` are sixteen readable bytes each and an unaligned
    // load has no other requirement; the other intrinsics only need SSE2,
    // which this code is compiled for (`cfg(target_feature = "sse2")`).
    let equal = unsafe {
        _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(a.as_ptr().cast()), _mm_loadu_si128(b.as_ptr().cast()))) as u32
    };
    let wanted = (1u32 << len) - 1;
    equal & wanted == wanted
}

/// The same, a byte at a time, where SSE2 is not there.
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline(always)]
fn same_prefix(a: &[u8; STEP], b: &[u8; STEP], len: usize) -> bool {
    a[..len] == b[..len]
}

/// Where the walk is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum At {
    /// At a member's name.
    Name,
    /// At a value.
    Value,
    /// Just after a value.
    After,
}

/// The key of a plain line (see [`plain`]), walked token by token; with
/// `RECORD`, its shape recorded in `shape` when the key is a string.
#[inline(never)]
fn walk<'a, const RECORD: bool>(b: &'a [u8], name: &[u8], shape: &mut Shape) -> Option<Option<&'a [u8]>> {
    let line = Line::new(b);
    if b.first() != Some(&b'{') {
        return None;
    }
    if RECORD {
        shape.clear(name);
    }
    // Where the piece being recorded starts.
    let mut piece = 0;
    // The open containers, innermost in the lowest bit (1: an object),
    // below a marker bit; `TOP` is the top-level object alone.
    const TOP: u128 = 0b11;
    let mut open = TOP;
    let mut depth = 1;
    let mut found = None;
    let mut i = 1;
    let mut at = At::Name;
    loop {
        match at {
            At::Name => {
                if b.get(i) != Some(&b'"') {
                    return None;
                }
                let end = string_run::end::<false>(b, i + 1) + 1;
                if b.get(end) != Some(&b':') {
                    return None;
                }
                let value = end + 1;
                at = At::Value;
                if open == TOP && b.get(i + 1..end - 1) == Some(name) {
                    // The key: a string or null, else left to `scan`.
                    i = match b.get(value)? {
                        b'"' => {
                            let close = string_run::end::<false>(b, value + 1);
                            if b.get(close) != Some(&b'"') {
                                return None;
                            }
                            if RECORD {
                                shape.push(b, piece, value + 1, Slot::String);
                                shape.key = shape.pieces.len() - 1;
                            }
                            piece = close;
                            found = Some(Some(&b[value + 1..close]));
                            close + 1
                        }
                        b'n' => {
                            found = Some(None);
                            line.literal(value, b"null")?
                        }
                        _ => return None,
                    };
                    at = At::After;
                    continue;
                }
                i = value;
            }
            At::Value => {
                at = At::After;
                i = match *b.get(i)? {
                    b'"' => {
                        let close = string_run::end::<false>(b, i + 1);
                        if b.get(close) != Some(&b'"') {
                            return None;
                        }
                        if RECORD {
                            shape.push(b, piece, i + 1, Slot::String);
                        }
                        piece = close;
                        close + 1
                    }
                    b'-' | b'0'..=b'9' => {
                        let end = line.number(i)?;
                        if RECORD {
                            shape.push(b, piece, i, Slot::Number);
                        }
                        piece = end;
                        end
                    }
                    b'{' | b'[' if depth >= MAX_DEPTH => return None,
                    b'{' if b.get(i + 1) == Some(&b'}') => i + 2,
                    b'[' if b.get(i + 1) == Some(&b']') => i + 2,
                    b'{' => {
                        open = open << 1 | 1;
                        depth += 1;
                        at = At::Name;
                        i + 1
                    }
                    b'[' => {
                        open <<= 1;
                        depth += 1;
                        at = At::Value;
                        i + 1
                    }
                    b't' => line.literal(i, b"true")?,
                    b'f' => line.literal(i, b"false")?,
                    b'n' => line.literal(i, b"null")?,
                    _ => return None,
                };
            }
            At::After => {
                let object = open & 1 == 1;
                match (b.get(i), object) {
                    (Some(b','), true) => at = At::Name,
                    (Some(b','), false) => at = At::Value,
                    (Some(b'}'), true) | (Some(b']'), false) => {
                        open >>= 1;
                        depth -= 1;
                        if open == 1 {
                            // The top-level object closed: the line must end.
                            if i + 1 != b.len() {
                                return None;
                            }
                            if RECORD {
                                shape.push(b, piece, b.len(), Slot::End);
                                if found == Some(None) {
                                    // A null key is not kept in a shape (its
                                    // `null` would be a piece): no shape.
                                    shape.pieces.clear();
                                }
                            }
                            return found;
                        }
                    }
                    _ => return None,
                }
                i += 1;
            }
        }
    }
}

/// Whether `line` has no `\`, control byte or byte of 0x80 and above.
#[inline(always)]
fn plain(line: &[u8]) -> bool {
    let mut other = 0;
    let mut from = 0;
    while let Some(chunk) = line.get(from..).and_then(<[u8]>::first_chunk::<STEP>) {
        other |= not_plain(chunk);
        from += STEP;
    }
    if from < line.len() {
        match line.last_chunk::<STEP>() {
            // The last bytes: the line's last step, some bytes again.
            Some(chunk) => other |= not_plain(chunk),
            None => return line.iter().all(|&c| c != b'\\' && (0x20..0x80).contains(&c)),
        }
    }
    other == 0
}

/// The bytes of sixteen that rule the fast path out (`\`, below 0x20,
/// 0x80 and above), one bit each.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
fn not_plain(chunk: &[u8; STEP]) -> u32 {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_cmplt_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };
    // SAFETY: `chunk` is sixteen readable bytes and an unaligned load has
    // no other requirement; the other intrinsics only need SSE2, which this
    // code is compiled for (`cfg(target_feature = "sse2")`).
    unsafe {
        let x = _mm_loadu_si128(chunk.as_ptr().cast());
        let backslash = _mm_cmpeq_epi8(x, _mm_set1_epi8(b'\\' as i8));
        // Signed: below 0x20 takes the control bytes and, as negative
        // numbers, every byte of 0x80 and above.
        let low = _mm_cmplt_epi8(x, _mm_set1_epi8(0x20));
        _mm_movemask_epi8(_mm_or_si128(backslash, low)) as u32
    }
}

/// The same, a byte at a time, where SSE2 is not there.
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline(always)]
fn not_plain(chunk: &[u8; STEP]) -> u32 {
    chunk.iter().enumerate().fold(0, |o, (k, &c)| o | ((c == b'\\' || c < 0x20 || c >= 0x80) as u32) << k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::producer::key_field::{Found, KeyPath, extract};
    use proptest::prelude::*;
    use std::borrow::Cow;

    fn key(line: &str, name: &str) -> Option<Option<&'static str>> {
        let line: &'static [u8] = Box::leak(line.as_bytes().to_vec().into_boxed_slice());
        member(line, name.as_bytes()).map(|k| k.map(|k| std::str::from_utf8(k).expect("ASCII")))
    }

    #[test]
    fn takes_compact_lines() {
        let bench = r#"{"car_id":"car-7","ride":7,"km":12.5,"city":"Lisbon","fare":{"eur":7.25}}"#;
        assert_eq!(key(bench, "car_id"), Some(Some("car-7")));
        assert_eq!(key(r#"{"x":[1,{"car_id":"no"},[],{}],"car_id":"yes","y":true}"#, "car_id"), Some(Some("yes")));
        assert_eq!(key(r#"{"car_id":null,"x":[false,null,-0.5e+3]}"#, "car_id"), Some(None));
        assert_eq!(key(r#"{"id":"first","id":"second","z":1}"#, "id"), Some(Some("second")));
        assert_eq!(key(r#"{"id":"first","id":1}"#, "id"), None, "the last is a number: left to scan");
        assert_eq!(key(r#"{"city":"New York","id":"a b"}"#, "id"), Some(Some("a b")), "spaces in strings");
        assert_eq!(key(r#"{"a":"","id":"","b":{"c":[[]]}}"#, "id"), Some(Some("")));
    }

    #[test]
    fn leaves_everything_else_to_scan() {
        for other in [
            r#"{"id":1,"xxxxxxxxxxxxxxx":2}"#,
            r#"{"id":{"a":"b"},"xxxxxxxxxxxx":2}"#,
            r#"{"xxxxxxxxxxxxxxx":2,"x":{"id":"a"}}"#,
            r#"{"id": "a","xxxxxxxxxxxxxxx":2}"#,
            r#"{"id":"a" ,"xxxxxxxxxxxxxxx":2}"#,
            r#"{"id":"a\"b","xxxxxxxxxxxxxxx":2}"#,
            r#"{"id":"é","xxxxxxxxxxxxxxxxxxx":2}"#,
            "{\"id\":\"a\tb\",\"xxxxxxxxxxxxxxxxx\":2}",
            r#"{"id":"a","xxxxxxxxxxxxxxx":2} "#,
            r#"{"id":"a","xxxxxxxxxxxxxxx":2}x"#,
            r#"{"id":"a","xxxxxxxxxxxxxxx":02}"#,
            r#"{"id":"a","xxxxxxxxxxxxxxx":[1,]}"#,
            r#"{"id":"a","xxxxxxxxxxxxxxx":2,}"#,
            r#"{"id":"a","xxxxxxxxxxxxxxx":tru}"#,
            r#"{"id":"a","xxxxxxxxxxxxxxx":[}"#,
            r#"{"id":"a","xxxxxxxxxxxxxxx":{]}"#,
            r#"{"id":"a","xxxxxxxxxxxxxxx":"2}"#,
            r#"{"id":"a","xxxxxxxxxxxxxxx"}"#,
            r#"["id","a","xxxxxxxxxxxxxxx"]"#,
        ] {
            assert_eq!(key(other, "id"), None, "{other}");
        }
        assert_eq!(key(r#"{"id":"a"}"#, "id"), Some(Some("a")), "shorter than a step");
        let long = format!(r#"{{"id":"a","x":"{}","y":[{}]}}"#, "y".repeat(300), "1,".repeat(100) + "2");
        assert_eq!(key(&long, "id"), Some(Some("a")));
    }

    #[test]
    fn nesting_stops_at_the_limit() {
        let nest = |n: usize| format!(r#"{{"id":"a","x":{}0{}}}"#, "[".repeat(n), "]".repeat(n));
        assert_eq!(key(&nest(MAX_DEPTH - 1), "id"), Some(Some("a")));
        assert_eq!(key(&nest(MAX_DEPTH), "id"), None);
        assert!(serde_json::from_str::<serde::de::IgnoredAny>(&nest(MAX_DEPTH)).is_ok());
    }

    #[test]
    fn plain_bytes_at_each_place() {
        for n in 0..=40 {
            for at in 0..n {
                let mut line = vec![b'a'; n];
                line[at] = b'"';
                assert!(plain(&line), "{n} bytes, quote at {at}");
                for bad in [b'\\', 0x1f, 0x00, 0x80, 0xff] {
                    line[at] = bad;
                    assert!(!plain(&line), "{n} bytes, {bad:#x} at {at}");
                }
            }
        }
    }

    /// The key of `line` through a fresh shape, then through the shape of
    /// `before` (which has to be walked first).
    fn through_shapes<'a>(before: &[u8], line: &'a [u8]) -> [Option<Option<&'a [u8]>>; 2] {
        SHAPE.with(|shape| {
            let mut shape = shape.borrow_mut();
            shape.clear(b"");
            shape.misses = 0;
        });
        let fresh = member(line, b"id");
        member(before, b"id");
        [fresh, member(line, b"id")]
    }

    #[test]
    fn changing_shapes_are_walked_and_a_steady_one_comes_back() {
        let a = br#"{"car_id":"a","ride":1,"km":12.5}"#;
        let b = br#"{"car_id":"b","ride":2,"city":"x"}"#;
        let misses = || SHAPE.with(|shape| shape.borrow().misses);
        for _ in 0..100 {
            assert_eq!(member(a, b"car_id"), Some(Some(&b"a"[..])));
            assert_eq!(member(b, b"car_id"), Some(Some(&b"b"[..])));
        }
        for _ in 0..PROBE_EVERY + 1 {
            assert_eq!(member(a, b"car_id"), Some(Some(&b"a"[..])));
        }
        assert_eq!(misses(), 0, "a line has the shape again");
    }

    #[test]
    fn lines_of_one_shape() {
        let first = br#"{"car_id":"car-7","ride":7,"km":12.5,"city":"Lisbon","fare":{"eur":7.25}}"#;
        let walked = |line: &'static [u8]| SHAPE.with(|shape| shape.borrow().key_of(line));
        assert_eq!(member(first, b"car_id"), Some(Some(&b"car-7"[..])));
        assert_eq!(walked(first), Some(Some(&b"car-7"[..])), "the shape is kept");
        let same = br#"{"car_id":"c","ride":-10,"km":1e5,"city":"","fare":{"eur":0}}"#;
        assert_eq!(walked(same), Some(Some(&b"c"[..])));
        for other in [
            &br#"{"car_id":"c","ride":-10,"km":1e5,"city":"","fare":{"eur":0}} "#[..],
            br#"{"car_id":"c","ride":01,"km":1e5,"city":"","fare":{"eur":0}}"#,
            br#"{"car_id":"c","ride":1.,"km":1e5,"city":"","fare":{"eur":0}}"#,
            br#"{"car_id":"c","ride":1,"km":1e5,"city":"","fare":{"eur":0}"#,
            br#"{"car_id":"c","ride":1,"km":"1","city":"","fare":{"eur":0}}"#,
            br#"{"car_id":"c","ride":1,"km":1,"city":"","fare":{"eur":0,"x":1}}"#,
            br#"{"car_id":"c","ride":1,"km":1,"city":"","fare":{"euro":0}}"#,
            br#"{"car_id":"c","ride":1,"km":1,"city":","fare":{"eur":0}}"#,
            br#"{"car_id":null,"ride":1,"km":1,"city":"","fare":{"eur":0}}"#,
        ] {
            assert_eq!(walked(other), None, "{}", String::from_utf8_lossy(other));
        }
        assert_eq!(member(br#"{"car_id":null,"ride":1}"#, b"car_id"), Some(None));
        assert_eq!(walked(same), None, "a null key keeps no shape");
    }

    /// Compact JSON of mostly plain ASCII, with `id` members about.
    fn ascii_json() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(serde_json::Value::from),
            "[ -~]{0,8}".prop_map(serde_json::Value::from),
            "[a-z ]{0,8}".prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(3, 16, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
                proptest::collection::vec((prop_oneof!["[a-z]{0,3}", Just("id".to_string())], inner), 0..4)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    /// A line with a top-level `id` (or none) among other members, and
    /// that member's value.
    fn ascii_line() -> impl Strategy<Value = (String, Option<serde_json::Value>)> {
        let field = prop_oneof![
            Just(Some(serde_json::Value::Null)),
            "[ -~]{0,6}".prop_map(|s| Some(serde_json::Value::from(s))),
            ascii_json().prop_map(Some),
            Just(None),
        ];
        (ascii_json(), field, ascii_json(), any::<bool>()).prop_map(|(before, field, after, first)| {
            let mut members = vec![];
            if !first {
                members.push(format!("\"x\":{before}"));
            }
            if let Some(field) = &field {
                members.push(format!("\"id\":{field}"));
            }
            members.push(format!("\"y\":{after}"));
            (format!("{{{}}}", members.join(",")), field)
        })
    }

    /// What `--key-field id` makes of `line` through serde_json.
    fn serde_key(line: &[u8]) -> Result<Found<'_>, String> {
        extract(line, &KeyPath::parse("id").expect("path"))
    }

    proptest! {
        /// On compact ASCII lines the fast path answers, and as serde_json
        /// does; it answers nothing where serde_json has no string or null.
        #[test]
        fn agrees_with_serde((line, field) in ascii_line(), (before, _) in ascii_line()) {
            let bytes = line.as_bytes();
            let plain = !line.contains('\\');
            let expected = match field {
                Some(serde_json::Value::Null) if plain => Some(None),
                Some(serde_json::Value::String(s)) if plain => Some(Some(s)),
                _ => None,
            };
            let text = |k: Option<Option<&[u8]>>| k.map(|k| k.map(|k| String::from_utf8_lossy(k).into_owned()));
            for fast in through_shapes(before.as_bytes(), bytes) {
                prop_assert_eq!(text(fast), expected.clone(), "{}", line);
                if let Some(key) = fast {
                    prop_assert_eq!(serde_key(bytes), Ok(Found::Key(key.map(Cow::Borrowed))));
                }
            }
            // Through its own shape.
            let [_, again] = through_shapes(bytes, bytes);
            prop_assert_eq!(text(again), expected, "{}", line);
        }

        /// On damaged lines it never answers where serde_json refuses, and
        /// where it answers, it agrees.
        #[test]
        fn never_takes_what_serde_refuses((line, _) in ascii_line(), cut in 0usize..128, junk in proptest::collection::vec(prop_oneof![
            Just(&b"\""[..]), Just(&b"{"[..]), Just(&b"}"[..]), Just(&b"["[..]), Just(&b"]"[..]), Just(&b","[..]),
            Just(&b":"[..]), Just(&b" "[..]), Just(&b"1"[..]), Just(&b"-"[..]), Just(&b"."[..]), Just(&b"e"[..]),
            Just(&b"0"[..]), Just(&b"n"[..]), Just(&b"\\"[..]), Just(&b"\t"[..]), Just(&b"\xc3\xa9"[..]), Just(&b"\xff"[..]),
            Just(&b"\"id\":"[..]), Just(&b"\"id\":\"k\""[..]), Just(&b"null"[..]),
        ], 1..4)) {
            let before = line.clone().into_bytes();
            let mut line = line.into_bytes();
            let at = cut.min(line.len());
            line.splice(at..at, junk.concat());
            for key in through_shapes(&before, &line).into_iter().flatten() {
                prop_assert_eq!(serde_key(&line), Ok(Found::Key(key.map(Cow::Borrowed))), "{}", String::from_utf8_lossy(&line));
            }
        }
    }
}

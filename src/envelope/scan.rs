//! A validating scanner over one line of JSON that finds object members
//! without building anything: the fast path of `produce --key-field` and
//! `produce --format json`.
//!
//! It is deliberately conservative: it accepts only JSON that serde_json
//! accepts too (structure in ASCII, valid UTF-8, the short escapes, nesting
//! below `MAX_DEPTH`) and answers `None` — "ask serde_json" — for
//! anything else, valid or not. Callers then parse the line with serde_json,
//! whose verdict and error text stay the rule; the scanner never refuses a
//! line itself.
//!
//! It is also the hot loop of those paths, so it is shaped for compact
//! JSON: one comparison where whitespace could be, strings crossed sixteen
//! bytes at a time (`string_run`), UTF-8 checked only in strings that are
//! not ASCII.

use super::string_run;

/// Deepest nesting the scanner follows (serde_json's own limit is 128).
pub(super) const MAX_DEPTH: usize = 100;

/// A line to scan. Its bytes need not be UTF-8: the scanner takes only
/// ASCII outside strings and checks each string's UTF-8 as it passes.
#[derive(Clone, Copy)]
pub struct Line<'a> {
    b: &'a [u8],
}

/// Where [`Line::walk`] is: at a value, or just after one.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Walk {
    AtValue,
    AfterValue,
}

/// The containers a walk has open, innermost in the lowest bit (1 for an
/// object, 0 for an array) below a marker bit; `MAX_DEPTH` fits.
#[derive(Clone, Copy)]
struct Open(u128);

impl Open {
    const NONE: Open = Open(1);
    const OBJECT: Open = Open(0b11);

    #[inline(always)]
    fn push(self, object: bool) -> Open {
        Open(self.0 << 1 | object as u128)
    }

    #[inline(always)]
    fn pop(self) -> Open {
        Open(self.0 >> 1)
    }

    #[inline(always)]
    fn is_empty(self) -> bool {
        self.0 == 1
    }

    #[inline(always)]
    fn in_object(self) -> bool {
        self.0 & 1 == 1
    }
}

/// One member of a scanned object: the name (between its quotes, without
/// escapes) and where its value lies in the line.
#[derive(Debug, Clone, Copy)]
pub struct Member<'a> {
    pub name: &'a [u8],
    pub start: usize,
}

impl<'a> Line<'a> {
    #[inline]
    pub fn new(line: &'a [u8]) -> Line<'a> {
        Line { b: line }
    }

    pub fn bytes(&self) -> &'a [u8] {
        self.b
    }

    /// Position of the first byte after JSON whitespace at `i`.
    #[inline(always)]
    pub fn skip_ws(&self, i: usize) -> usize {
        // Compact JSON has none: one comparison for the usual case.
        match self.b.get(i) {
            Some(&c) if c > b' ' => i,
            _ => self.skip_ws_run(i),
        }
    }

    #[inline(never)]
    fn skip_ws_run(&self, mut i: usize) -> usize {
        while i < self.b.len() && matches!(self.b[i], b' ' | b'\t' | b'\n' | b'\r') {
            i += 1;
        }
        i
    }

    /// Whether only whitespace follows `i`.
    #[inline]
    pub fn ends_at(&self, i: usize) -> bool {
        self.skip_ws(i) == self.b.len()
    }

    /// The byte at `i`, if any.
    #[inline(always)]
    pub fn at(&self, i: usize) -> Option<u8> {
        self.b.get(i).copied()
    }

    /// The position after `byte`, which comes at `i` or after whitespace.
    #[inline(always)]
    fn after(&self, i: usize, byte: u8) -> Option<usize> {
        if self.at(i) == Some(byte) {
            return Some(i + 1);
        }
        let i = self.skip_ws(i);
        (self.at(i)? == byte).then_some(i + 1)
    }

    /// A string starting at `i` (its `"`): the position after its closing
    /// quote and whether it holds escapes. `None` for a `\u` escape, a
    /// control byte or invalid UTF-8.
    #[inline(always)]
    pub fn string(&self, i: usize) -> Option<(usize, bool)> {
        // The usual string: plain ASCII, closed at the first stop (within
        // the first sixteen bytes for a short one: one step, no loop).
        let j = string_run::end::<true>(self.b, i + 1);
        if self.at(j) == Some(b'"') {
            return Some((j + 1, false));
        }
        self.string_from_stop(j)
    }

    /// The rest of a string from its first stop at `j`: the stops of each
    /// step found with one mask, the escapes in it crossed bit by bit.
    #[inline(never)]
    fn string_from_stop(&self, j: usize) -> Option<(usize, bool)> {
        let b = self.b;
        let mut escaped = false;
        let mut base = j;
        let mut stops = string_run::stops_at::<true>(b, base)?;
        loop {
            if stops == 0 {
                base += 16;
                stops = string_run::stops_at::<true>(b, base)?;
                continue;
            }
            let k = stops.trailing_zeros() as usize;
            // Within the line: a mask has no bit past its end.
            let at = base + k;
            match *b.get(at)? {
                b'"' => return Some((at + 1, escaped)),
                b'\\' => {
                    string_run::short_escape(*b.get(at + 1)?)?;
                    escaped = true;
                    // The escaped byte may be a stop itself: skip both.
                    if k + 2 < 16 {
                        stops &= !0u32 << (k + 2);
                    } else {
                        base = at + 2;
                        stops = string_run::stops_at::<true>(b, base)?;
                    }
                }
                c if c >= 0x80 => return self.string_rest_non_ascii(at, escaped),
                _ => return None,
            }
        }
    }

    /// The rest of a string from its first non-ASCII byte at `from`, the
    /// UTF-8 of that rest checked in one go (escapes and quotes are ASCII,
    /// so no character spans them).
    fn string_rest_non_ascii(&self, from: usize, mut escaped: bool) -> Option<(usize, bool)> {
        let b = self.b;
        let mut j = from;
        loop {
            j = string_run::end::<false>(b, j);
            match *b.get(j)? {
                b'"' => {
                    std::str::from_utf8(&b[from..j]).ok()?;
                    return Some((j + 1, escaped));
                }
                b'\\' => {
                    self.short_escape(j)?;
                    escaped = true;
                    j += 2;
                }
                _ => return None,
            }
        }
    }

    /// `Some` if the backslash at `j` starts an escape the scanner takes.
    #[inline]
    fn short_escape(&self, j: usize) -> Option<()> {
        string_run::short_escape(self.at(j + 1)?).map(drop)
    }

    /// A number starting at `i`: the position after it.
    #[inline(always)]
    pub(super) fn number(&self, i: usize) -> Option<usize> {
        let b = self.b;
        let digits = |j: usize| digits_end(b, j);
        let mut j = i;
        if b.get(j) == Some(&b'-') {
            j += 1;
        }
        match b.get(j)? {
            b'0' => j += 1,
            b'1'..=b'9' => j = digits(j + 1),
            _ => return None,
        }
        if b.get(j) == Some(&b'.') {
            let k = digits(j + 1);
            if k == j + 1 {
                return None;
            }
            j = k;
        }
        if matches!(b.get(j), Some(b'e' | b'E')) {
            j += 1;
            if matches!(b.get(j), Some(b'+' | b'-')) {
                j += 1;
            }
            let k = digits(j);
            if k == j {
                return None;
            }
            j = k;
        }
        Some(j)
    }

    /// `word` at `i`: the position after it.
    #[inline(always)]
    pub(super) fn literal(&self, i: usize, word: &[u8]) -> Option<usize> {
        (self.b.get(i..i + word.len())? == word).then_some(i + word.len())
    }

    /// Any value starting at `i` (no whitespace before it): the position
    /// after it. `depth` is the nesting of the container holding it.
    #[inline]
    pub fn value(&self, i: usize, depth: usize) -> Option<usize> {
        self.walk(i, depth, Walk::AtValue, Open::NONE)
    }

    /// The rest of an object nested `depth` deep, from the end of one of
    /// its member values at `i`: the position after the object.
    #[inline]
    pub fn object_rest(&self, i: usize, depth: usize) -> Option<usize> {
        self.walk(i, depth, Walk::AfterValue, Open::OBJECT)
    }

    /// Scans values from `i` until the containers in `open` are closed;
    /// `depth` is the nesting of the innermost of them (or of the container
    /// holding the value at `i` if none). One loop with the open
    /// containers on a bit stack, no recursion: a value costs no call.
    #[inline(never)]
    fn walk(&self, mut i: usize, mut depth: usize, mut at: Walk, mut open: Open) -> Option<usize> {
        loop {
            if at == Walk::AtValue {
                i = match *self.b.get(i)? {
                    b'"' => self.string(i)?.0,
                    b'-' | b'0'..=b'9' => self.number(i)?,
                    b'{' | b'[' if depth >= MAX_DEPTH => return None,
                    b'{' => {
                        let j = self.skip_ws(i + 1);
                        if self.at(j)? != b'}' {
                            open = open.push(true);
                            depth += 1;
                            i = self.member_value(j)?;
                            continue;
                        }
                        j + 1
                    }
                    b'[' => {
                        let j = self.skip_ws(i + 1);
                        if self.at(j)? != b']' {
                            open = open.push(false);
                            depth += 1;
                            i = j;
                            continue;
                        }
                        j + 1
                    }
                    b't' => self.literal(i, b"true")?,
                    b'f' => self.literal(i, b"false")?,
                    b'n' => self.literal(i, b"null")?,
                    _ => return None,
                };
            }
            if open.is_empty() {
                return Some(i);
            }
            // The usual next member, in one comparison: `,"` without whitespace.
            if open.in_object() && self.b.get(i..i + 2) == Some(b",\"") {
                i = self.member_value(i + 1)?;
                at = Walk::AtValue;
                continue;
            }
            let j = self.skip_ws(i);
            match (self.at(j)?, open.in_object()) {
                (b',', true) => {
                    i = self.member_value(self.skip_ws(j + 1))?;
                    at = Walk::AtValue;
                }
                (b',', false) => {
                    i = self.skip_ws(j + 1);
                    at = Walk::AtValue;
                }
                (b'}', true) | (b']', false) => {
                    open = open.pop();
                    depth = depth.saturating_sub(1);
                    i = j + 1;
                    at = Walk::AfterValue;
                }
                _ => return None,
            }
        }
    }

    /// A member's `"name":` at `j`, the name a string of any kind: the
    /// position of its value.
    #[inline(always)]
    fn member_value(&self, j: usize) -> Option<usize> {
        if self.at(j)? != b'"' {
            return None;
        }
        let (name_end, _) = self.string(j)?;
        Some(self.skip_ws(self.after(name_end, b':')?))
    }

    /// An object starting at `i` (its `{`), nested `depth` deep: calls
    /// `member` for each member in order, which scans the member's value
    /// and returns the position after it. Returns the position after the
    /// object. A member name with escapes is left to serde_json.
    #[inline]
    pub fn object(
        &self,
        i: usize,
        depth: usize,
        mut member: impl FnMut(Member<'a>, usize) -> Option<usize>,
    ) -> Option<usize> {
        self.object_until(i, depth, |m, start| Some((member(m, start)?, false)))
    }

    /// As [`Line::object`], but `member` also says whether it is done with
    /// the object: the members after that one are only checked, in one go.
    #[inline]
    pub fn object_until(
        &self,
        i: usize,
        depth: usize,
        mut member: impl FnMut(Member<'a>, usize) -> Option<(usize, bool)>,
    ) -> Option<usize> {
        if depth > MAX_DEPTH || self.at(i)? != b'{' {
            return None;
        }
        let mut j = self.skip_ws(i + 1);
        if self.at(j)? == b'}' {
            return Some(j + 1);
        }
        loop {
            if self.at(j)? != b'"' {
                return None;
            }
            let (name_end, escaped) = self.string(j)?;
            if escaped {
                return None;
            }
            let name = &self.b[j + 1..name_end - 1];
            let start = self.skip_ws(self.after(name_end, b':')?);
            let (end, done) = member(Member { name, start }, start)?;
            if done {
                return self.object_rest(end, depth);
            }
            j = self.skip_ws(end);
            match self.at(j)? {
                b',' => j = self.skip_ws(j + 1),
                b'}' => return Some(j + 1),
                _ => return None,
            }
        }
    }
}

pub use super::string_run::unescape;

/// The position of the first byte at or after `j` that is not an ASCII
/// digit (or `b.len()`), found eight bytes at a time.
#[inline(always)]
fn digits_end(b: &[u8], mut j: usize) -> usize {
    const LOW7: u64 = u64::from_ne_bytes([0x7f; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    while let Some(chunk) = b.get(j..).and_then(<[u8]>::first_chunk::<8>) {
        // `'0'..='9'` become 0..=9 and every other byte 10 or more; a byte
        // is 10 or more if its low seven bits plus 0x76 reach its high bit
        // (no carry leaves the byte) or its own high bit is set.
        let x = u64::from_le_bytes(*chunk) ^ u64::from_ne_bytes([b'0'; 8]);
        let other = (((x & LOW7) + u64::from_ne_bytes([0x80 - 10; 8])) | x) & HIGH;
        if other != 0 {
            return j + (other.trailing_zeros() / 8) as usize;
        }
        j += 8;
    }
    while j < b.len() && b[j].is_ascii_digit() {
        j += 1;
    }
    j
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Whether the scanner accepts `text` as one JSON value.
    fn scans(text: &str) -> bool {
        scans_bytes(text.as_bytes())
    }

    fn scans_bytes(text: &[u8]) -> bool {
        let line = Line::new(text);
        let start = line.skip_ws(0);
        line.value(start, 0).is_some_and(|end| line.ends_at(end))
    }

    /// Whether serde_json takes `text` as one JSON value.
    fn serde_takes(text: &[u8]) -> bool {
        serde_json::from_slice::<serde::de::IgnoredAny>(text).is_ok()
    }

    #[test]
    fn nesting_stops_at_the_limit() {
        for (open, close) in [("[", "]"), ("{\"a\":", "}"), ("[{\"a\":", "}]")] {
            let nest = |n: usize| format!("{}0{}", open.repeat(n), close.repeat(n));
            let levels = if open.len() > 1 && open.starts_with('[') { 2 } else { 1 };
            assert!(scans(&nest(MAX_DEPTH / levels)), "{open} x {}", MAX_DEPTH / levels);
            assert!(!scans(&nest(MAX_DEPTH / levels + 1)), "{open} x {}", MAX_DEPTH / levels + 1);
            assert!(serde_takes(nest(MAX_DEPTH / levels).as_bytes()));
        }
    }

    #[test]
    fn every_byte_after_a_backslash_and_in_a_string() {
        for c in 0..=255u8 {
            let escape = [b'"', b'\\', c, b'"'];
            let short = matches!(c, b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't');
            assert_eq!(scans_bytes(&escape), short, "escape {c:#x}");
            assert!(!short || serde_takes(&escape), "escape {c:#x}");
            let plain = [b'"', b'a', c, b'x', b'"'];
            let takes = (0x20..0x80).contains(&c) && c != b'"' && c != b'\\';
            assert_eq!(scans_bytes(&plain), takes, "byte {c:#x} in a string");
            assert!(!takes || serde_takes(&plain), "byte {c:#x}");
        }
    }

    #[test]
    fn utf8_is_checked_in_strings_only_there() {
        let cases: &[(&[u8], bool)] = &[
            (b"\"\xc3\xa9\"", true),
            (b"\"aaaaaaaaaaaaaaaa\xe2\x82\xac\\n\xf0\x9f\x98\x80 bbbbbbbbbbbbbbbbbbbbb\"", true),
            (b"\"\xff\"", false),
            (b"\"abc\xc3\"", false),
            (b"\"\x80abcdefghijk\"", false),
            (b"\"\xc0\xaf\"", false),
            (b"\"\xed\xa0\x80\"", false),
            (b"\"\xf4\x90\x80\x80\"", false),
            (b"\"\xc3\xa9\\u0041\"", false),
            (b"\"\xc3\xa9\x01\"", false),
            (b"[\xc3\xa9]", false),
            (b"1\xc3\xa9", false),
        ];
        for &(bytes, ok) in cases {
            assert_eq!(scans_bytes(bytes), ok, "{}", String::from_utf8_lossy(bytes));
        }
    }

    #[test]
    fn digit_runs_end_at_each_byte() {
        for c in 0..=255u8 {
            for len in 0..20 {
                for from in 0..=len {
                    let mut b = vec![b'7'; len];
                    b.push(c);
                    b.extend_from_slice(b"123456789");
                    let expected = if c.is_ascii_digit() { b.len() } else { len };
                    assert_eq!(digits_end(&b, from), expected, "{c:#x} after {len}, from {from}");
                }
            }
        }
    }

    #[test]
    fn numbers_at_the_edges() {
        for n in [
            "0",
            "-0",
            "9",
            "-9",
            "0.0",
            "10",
            "1e9",
            "1E+9",
            "1e-09",
            "-0.5e0",
            "123456789012345678901234567890",
            "1e400",
        ] {
            assert!(scans(n), "{n}");
        }
        for n in ["-", "00", "-01", "1.", ".5", "1e", "1e+", "1.5.", "--1", "1-", "0x1", "1e1.5", "Infinity", "NaN"] {
            assert!(!scans(n), "{n}");
        }
    }

    #[test]
    fn accepts_plain_json_and_leaves_the_rest_to_serde() {
        for ok in [r#"{"a":[1,-2.5e3,true,false,null,{}],"b":"x\"y\\n"}"#, " [ ] ", "0", r#""é""#, "-0.0E+1"] {
            assert!(scans(ok), "{ok}");
        }
        for unsure in [r#""\u0041""#, "01", "1.", "[1,]", r#"{"a":1,}"#, "{'a':1}", "tru", "\"a\tb\"", "[1] 2", "+1"] {
            assert!(!scans(unsure), "{unsure}");
        }
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert!(!scans(&deep));
    }

    #[test]
    fn unescapes_the_short_escapes() {
        assert_eq!(unescape(br#"a\"b\\c\/d\b\f\n\r\t"#).as_deref(), Some(&b"a\"b\\c/d\x08\x0c\n\r\t"[..]));
        assert_eq!(unescape(br"\u0041"), None);
    }

    /// JSON-looking text: the alphabet of JSON plus a few wrong bytes.
    fn jsonish() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("{".to_string()),
                Just("}".to_string()),
                Just("[".to_string()),
                Just("]".to_string()),
                Just(",".to_string()),
                Just(":".to_string()),
                Just(" ".to_string()),
                Just("\"a\"".to_string()),
                Just("\"".to_string()),
                Just("\\".to_string()),
                Just("\\n".to_string()),
                Just("\\u00e9".to_string()),
                Just("true".to_string()),
                Just("nul".to_string()),
                Just("null".to_string()),
                Just("-".to_string()),
                Just("0".to_string()),
                Just("12".to_string()),
                Just(".5".to_string()),
                Just("e".to_string()),
                Just("é".to_string()),
                Just("\t".to_string()),
                Just("\u{1}".to_string()),
            ],
            0..24,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        /// Whatever the scanner accepts, serde_json accepts.
        #[test]
        fn never_accepts_what_serde_refuses(text in jsonish()) {
            if scans(&text) {
                prop_assert!(serde_json::from_str::<serde::de::IgnoredAny>(&text).is_ok(), "{}", text);
            }
        }

        /// Valid JSON that the scanner covers (no `\u` escapes) is accepted.
        #[test]
        fn accepts_serde_json_output(v in arbitrary_json()) {
            let text = v.to_string();
            if !text.contains("\\u") {
                prop_assert!(scans(&text), "{}", text);
            }
        }

        /// The same with invalid UTF-8 about: what the scanner accepts is
        /// also UTF-8.
        #[test]
        fn never_accepts_what_serde_refuses_in_bytes(parts in proptest::collection::vec(prop_oneof![
            jsonish().prop_map(String::into_bytes),
            Just(b"\xff".to_vec()),
            Just(b"\x80".to_vec()),
            Just(b"\xc3".to_vec()),
            Just(b"\xc3\xa9".to_vec()),
            Just(b"\xc0\xaf".to_vec()),
            Just(b"\xed\xa0\x80".to_vec()),
            Just(b"\xf0\x9f\x98\x80".to_vec()),
            Just(b"\x7f".to_vec()),
            Just(b"\x1f".to_vec()),
            Just(b"abcdefgh".to_vec()),
        ], 0..8)) {
            let text = parts.concat();
            if scans_bytes(&text) {
                prop_assert!(serde_takes(&text), "{:?}", String::from_utf8_lossy(&text));
                prop_assert!(std::str::from_utf8(&text).is_ok(), "{:?}", String::from_utf8_lossy(&text));
            }
        }

        /// Any bytes between quotes: what the scanner takes as a string,
        /// serde_json reads as the same string.
        #[test]
        fn strings_of_any_bytes_agree_with_serde(inner in proptest::collection::vec(prop_oneof![
            any::<u8>(),
            Just(b'\\'),
            Just(b'"'),
            Just(b'n'),
            Just(b'u'),
            Just(b'a'),
            Just(0xc3),
            Just(0xa9),
        ], 0..40)) {
            let mut text = vec![b'"'];
            text.extend_from_slice(&inner);
            text.push(b'"');
            if let Some((end, _)) = Line::new(&text).string(0) {
                let scanned = unescape(&text[1..end - 1]);
                let serde: Result<String, _> = serde_json::from_slice(&text[..end]);
                prop_assert_eq!(scanned, serde.ok().map(String::into_bytes), "{:?}", String::from_utf8_lossy(&text));
            }
        }

        /// On numbers the scanner is exact.
        #[test]
        fn numbers_agree_with_serde(text in "[-+0-9.eE]{1,24}") {
            prop_assert_eq!(scans(&text), serde_takes(text.as_bytes()), "{}", text);
        }

        #[test]
        fn unescape_matches_serde(s in ".*") {
            let text = serde_json::to_string(&s).expect("string");
            if let Some((end, _)) = Line::new(text.as_bytes()).string(0) {
                prop_assert_eq!(end, text.len());
                let inner = &text.as_bytes()[1..text.len() - 1];
                prop_assert_eq!(unescape(inner), Some(s.into_bytes()));
            } else {
                prop_assert!(text.contains("\\u"), "{}", text);
            }
        }
    }

    /// Arbitrary JSON values, a few levels deep.
    pub fn arbitrary_json() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(serde_json::Value::from),
            ".{0,8}".prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
                proptest::collection::btree_map("[a-z]{0,3}", inner, 0..4)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }
}

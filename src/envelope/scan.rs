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

/// Deepest nesting the scanner follows (serde_json's own limit is 128).
const MAX_DEPTH: usize = 100;

/// Bytes that end a plain run inside a string: `"`, `\` and control bytes.
static STRING_STOP: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = true;
        i += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
};

/// A line checked to be UTF-8, to scan.
#[derive(Clone, Copy)]
pub struct Line<'a> {
    b: &'a [u8],
}

/// One member of a scanned object: the name (between its quotes, without
/// escapes) and where its value lies in the line.
#[derive(Debug, Clone, Copy)]
pub struct Member<'a> {
    pub name: &'a [u8],
    pub start: usize,
}

impl<'a> Line<'a> {
    /// `None` if `line` is not UTF-8 (serde_json decides then).
    #[inline]
    pub fn new(line: &'a [u8]) -> Option<Line<'a>> {
        (line.is_ascii() || std::str::from_utf8(line).is_ok()).then_some(Line { b: line })
    }

    pub fn bytes(&self) -> &'a [u8] {
        self.b
    }

    /// Position of the first byte after JSON whitespace at `i`.
    #[inline]
    pub fn skip_ws(&self, mut i: usize) -> usize {
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
    #[inline]
    pub fn at(&self, i: usize) -> Option<u8> {
        self.b.get(i).copied()
    }

    /// A string starting at `i` (its `"`): the position after its closing
    /// quote and whether it holds escapes. `None` for a `\u` escape.
    #[inline]
    pub fn string(&self, i: usize) -> Option<(usize, bool)> {
        let b = self.b;
        let mut j = i + 1;
        let mut escaped = false;
        loop {
            while j < b.len() && !STRING_STOP[b[j] as usize] {
                j += 1;
            }
            match *b.get(j)? {
                b'"' => return Some((j + 1, escaped)),
                b'\\' => {
                    if !matches!(*b.get(j + 1)?, b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') {
                        return None;
                    }
                    escaped = true;
                    j += 2;
                }
                _ => return None,
            }
        }
    }

    /// A number starting at `i`: the position after it.
    #[inline]
    fn number(&self, i: usize) -> Option<usize> {
        let b = self.b;
        let digits = |mut j: usize| {
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            j
        };
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

    /// Any value starting at `i` (no whitespace before it): the position
    /// after it. `depth` is the nesting of the container holding it.
    pub fn value(&self, i: usize, depth: usize) -> Option<usize> {
        let literal = |word: &[u8]| self.b[i..].starts_with(word).then_some(i + word.len());
        match *self.b.get(i)? {
            b'"' => self.string(i).map(|(end, _)| end),
            b'{' => self.object(i, depth + 1, |_, start| self.value(start, depth + 1)),
            b'[' => self.array(i, depth + 1),
            b'-' | b'0'..=b'9' => self.number(i),
            b't' => literal(b"true"),
            b'f' => literal(b"false"),
            b'n' => literal(b"null"),
            _ => None,
        }
    }

    fn array(&self, i: usize, depth: usize) -> Option<usize> {
        if depth > MAX_DEPTH {
            return None;
        }
        let mut j = self.skip_ws(i + 1);
        if self.at(j)? == b']' {
            return Some(j + 1);
        }
        loop {
            j = self.skip_ws(self.value(j, depth)?);
            match self.at(j)? {
                b',' => j = self.skip_ws(j + 1),
                b']' => return Some(j + 1),
                _ => return None,
            }
        }
    }

    /// An object starting at `i` (its `{`), nested `depth` deep: calls
    /// `member` for each member in order, which scans the member's value
    /// and returns the position after it. Returns the position after the
    /// object. A member name with escapes is left to serde_json.
    pub fn object(
        &self,
        i: usize,
        depth: usize,
        mut member: impl FnMut(Member<'a>, usize) -> Option<usize>,
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
            j = self.skip_ws(name_end);
            if self.at(j)? != b':' {
                return None;
            }
            let start = self.skip_ws(j + 1);
            j = self.skip_ws(member(Member { name, start }, start)?);
            match self.at(j)? {
                b',' => j = self.skip_ws(j + 1),
                b'}' => return Some(j + 1),
                _ => return None,
            }
        }
    }
}

/// The contents of a scanned string (between its quotes) with its short
/// escapes decoded. `None` for an escape the scanner does not accept.
pub fn unescape(inner: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(inner.len());
    let mut i = 0;
    while let Some(p) = memchr::memchr(b'\\', &inner[i..]) {
        out.extend_from_slice(&inner[i..i + p]);
        out.push(match *inner.get(i + p + 1)? {
            b'"' => b'"',
            b'\\' => b'\\',
            b'/' => b'/',
            b'b' => 0x08,
            b'f' => 0x0c,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            _ => return None,
        });
        i += p + 2;
    }
    out.extend_from_slice(&inner[i..]);
    Some(out)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Whether the scanner accepts `text` as one JSON value.
    fn scans(text: &str) -> bool {
        let Some(line) = Line::new(text.as_bytes()) else { return false };
        let start = line.skip_ws(0);
        line.value(start, 0).is_some_and(|end| line.ends_at(end))
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

        #[test]
        fn unescape_matches_serde(s in ".*") {
            let text = serde_json::to_string(&s).expect("string");
            if let Some(line) = Line::new(text.as_bytes())
                && let Some((end, _)) = line.string(0)
            {
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

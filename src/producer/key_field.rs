//! `--key-field PATH`: taking the key out of a JSON line by a dotted path
//! (`user.id` or `.user.id`) while parsing it once, with no DOM: objects on
//! the path are walked, everything else is skipped.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::envelope::compact;
use crate::envelope::payload;
use crate::envelope::scan::{Line, Member};

/// A parsed `--key-field` path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyPath {
    parts: Vec<String>,
}

impl KeyPath {
    pub fn parse(text: &str) -> Option<KeyPath> {
        let trimmed = text.strip_prefix('.').unwrap_or(text);
        let parts: Vec<String> = trimmed.split('.').map(str::to_string).collect();
        if parts.iter().any(String::is_empty) {
            return None;
        }
        Some(KeyPath { parts })
    }

    pub fn display(&self) -> String {
        self.parts.join(".")
    }
}

/// What the path pointed at.
#[derive(Debug, PartialEq, Eq)]
pub enum Found<'a> {
    /// The field is missing (or a step on the way is not an object).
    Missing,
    /// The field's bytes: a string's contents, or other JSON as compact text;
    /// `None` for JSON null.
    Key(Option<Cow<'a, [u8]>>),
}

/// Parses `line` as JSON and returns the field at `path`. `Err` if the line
/// is not valid JSON.
pub fn extract<'a>(line: &'a [u8], path: &KeyPath) -> Result<Found<'a>, String> {
    let mut de = serde_json::Deserializer::from_slice(line);
    let raw = PathSeed { path: &path.parts }.deserialize(&mut de).map_err(|e| e.to_string())?;
    de.end().map_err(|e| e.to_string())?;
    match raw {
        None => Ok(Found::Missing),
        Some(raw) => payload::decode(raw).map(Found::Key),
    }
}

/// The fast path of [`extract`]: `Some(key)` when the line is JSON the
/// scanner covers and the field is a string without escapes (`Some(bytes)`,
/// borrowed) or null (`None`). `None` means "use [`extract`]": the field is
/// missing or of another kind, or the line is unusual or invalid.
#[inline]
pub fn borrowed_key<'a>(line: &'a [u8], path: &KeyPath) -> Option<Option<&'a [u8]>> {
    // A compact line keyed by a top-level field: one walk on a quote mask.
    if let [name] = &path.parts[..]
        && let Some(key) = compact::member(line, name.as_bytes())
    {
        return Some(key);
    }
    let line = Line::new(line);
    let (end, field) = find(line, line.skip_ws(0), &path.parts, 1)?;
    if !line.ends_at(end) {
        return None;
    }
    match field? {
        Field::Key(key) => Some(key),
        Field::Other => None,
    }
}

/// The field at the end of the path, as the fast path sees it.
#[derive(Clone, Copy)]
enum Field<'a> {
    /// A string without escapes (its contents) or null.
    Key(Option<&'a [u8]>),
    /// Any other value: left to serde_json.
    Other,
}

/// Scans the object at `start` (nested `depth` deep) for `path`, as
/// [`PathSeed`] walks it: of members with the same name the last one
/// counts (as serde_json, jq, Python and JavaScript read a duplicate name),
/// so every member is looked at. Returns the object's end and the field,
/// if found.
fn find<'a>(line: Line<'a>, start: usize, path: &[String], depth: usize) -> Option<(usize, Option<Field<'a>>)> {
    let mut found = None;
    let end = line.object(start, depth, |Member { name, start }, _| {
        if name != path[0].as_bytes() {
            return line.value(start, depth);
        }
        if path.len() == 1 {
            let (end, field) = leaf(line, start, depth)?;
            found = Some(field);
            return Some(end);
        }
        let (end, inner) = find(line, start, &path[1..], depth + 1)?;
        found = inner;
        Some(end)
    })?;
    Some((end, found))
}

/// The value at `start` that the path names: the position after it, and
/// what it is.
#[inline]
fn leaf<'a>(line: Line<'a>, start: usize, depth: usize) -> Option<(usize, Field<'a>)> {
    if line.at(start)? == b'"' {
        let (end, escaped) = line.string(start)?;
        let field = if escaped { Field::Other } else { Field::Key(Some(&line.bytes()[start + 1..end - 1])) };
        return Some((end, field));
    }
    let end = line.value(start, depth)?;
    let field = if &line.bytes()[start..end] == b"null" { Field::Key(None) } else { Field::Other };
    Some((end, field))
}

struct PathSeed<'p> {
    path: &'p [String],
}

impl<'de> DeserializeSeed<'de> for PathSeed<'_> {
    type Value = Option<&'de RawValue>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for PathSeed<'_> {
    type Value = Option<&'de RawValue>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            // Of members with the same name, the last one counts.
            if key == self.path[0] {
                found = if self.path.len() == 1 {
                    Some(map.next_value::<&'de RawValue>()?)
                } else {
                    map.next_value_seed(PathSeed { path: &self.path[1..] })?
                };
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn key(line: &str, path: &str) -> Result<Found<'static>, String> {
        let line: &'static [u8] = Box::leak(line.as_bytes().to_vec().into_boxed_slice());
        extract(line, &KeyPath::parse(path).expect("path"))
    }

    #[test]
    fn nested_paths_and_kinds() {
        assert_eq!(key(r#"{"car_id":"c1","x":1}"#, "car_id"), Ok(Found::Key(Some(Cow::Borrowed(&b"c1"[..])))));
        assert_eq!(key(r#"{"user":{"id":42}}"#, ".user.id"), Ok(Found::Key(Some(Cow::Owned(b"42".to_vec())))));
        assert_eq!(key(r#"{"user":{"id":null}}"#, "user.id"), Ok(Found::Key(None)));
        assert_eq!(key(r#"{"user":"flat"}"#, "user.id"), Ok(Found::Missing));
        assert_eq!(key(r#"{"other":1}"#, "user"), Ok(Found::Missing));
        assert_eq!(key(r#"[1,2]"#, "user"), Ok(Found::Missing));
        assert!(key(r#"{"user": "#, "user").is_err());
        assert!(key(r#"{"a":1} trailing"#, "a").is_err());
        assert_eq!(KeyPath::parse("a..b"), None);
    }

    /// Of members with the same name the last counts, as serde_json, jq,
    /// Python and JavaScript read them: on every path.
    #[test]
    fn a_duplicate_name_takes_the_last_member() {
        let cases = [
            (r#"{"k":"first","k":"last"}"#, "k", Found::Key(Some(Cow::Borrowed(&b"last"[..])))),
            (r#"{ "k": "first", "x": 1, "k": "last" }"#, "k", Found::Key(Some(Cow::Borrowed(&b"last"[..])))),
            (r#"{"k":"x","k":null}"#, "k", Found::Key(None)),
            (r#"{"k":null,"k":"y"}"#, "k", Found::Key(Some(Cow::Borrowed(&b"y"[..])))),
            (r#"{"a":{"c":"x"},"a":{"b":"y"}}"#, "a.c", Found::Missing),
            (r#"{"a":{"c":"x"},"a":{"c":"z"}}"#, "a.c", Found::Key(Some(Cow::Borrowed(&b"z"[..])))),
            (r#"{"a":{"c":"x","c":"w"}}"#, "a.c", Found::Key(Some(Cow::Borrowed(&b"w"[..])))),
        ];
        for (line, path, want) in cases {
            assert_eq!(key(line, path).as_ref(), Ok(&want), "{line} {path}");
            // The fast paths, twice: the second line may take a recorded shape.
            for _ in 0..2 {
                if let Some(fast) = fast(line, path) {
                    assert_eq!(Found::Key(fast.map(Cow::Owned)), want, "fast: {line} {path}");
                }
            }
        }
    }

    fn fast(line: &str, path: &str) -> Option<Option<Vec<u8>>> {
        borrowed_key(line.as_bytes(), &KeyPath::parse(path).expect("path")).map(|k| k.map(<[u8]>::to_vec))
    }

    #[test]
    fn the_fast_path_takes_plain_keys_and_leaves_the_rest() {
        assert_eq!(fast(r#" {"car_id":"c1","x":{"y":[1,2]}} "#, "car_id"), Some(Some(b"c1".to_vec())));
        assert_eq!(fast(r#"{"a":{"b":"x"},"a":{"c":1}}"#, "a.c"), None, "a number: serde makes its text");
        assert_eq!(fast(r#"{"a":{"b":"x"},"a":{"c":"y"}}"#, "a.c"), Some(Some(b"y".to_vec())));
        assert_eq!(fast(r#"{"a":null}"#, "a"), Some(None));
        for other in [r#"{"a":"x\"y"}"#, r#"{"a":1}"#, r#"{"b":"x"}"#, r#"{"a":"x"} x"#, r#"["a"]"#, r#"{"a":"x""#] {
            assert_eq!(fast(other, "a"), None, "{other}");
        }
    }

    fn json_line() -> impl Strategy<Value = String> {
        use crate::envelope::scan::tests::arbitrary_json;
        let field =
            prop_oneof![Just(serde_json::Value::Null), ".{0,6}".prop_map(serde_json::Value::from), arbitrary_json(),];
        (arbitrary_json(), field, any::<bool>()).prop_map(|(noise, field, nested)| {
            let inner = serde_json::json!({ "x": noise.clone(), "id": field });
            let doc = if nested { serde_json::json!({ "n": noise, "user": inner }) } else { inner };
            doc.to_string()
        })
    }

    proptest! {
        /// On valid lines the fast path agrees with serde_json's.
        #[test]
        fn fast_path_agrees_with_serde(line in json_line(), nested in any::<bool>()) {
            let path = KeyPath::parse(if nested { "user.id" } else { "id" }).expect("path");
            let bytes = line.as_bytes();
            if let Some(key) = borrowed_key(bytes, &path) {
                prop_assert_eq!(extract(bytes, &path), Ok(Found::Key(key.map(Cow::Borrowed))));
            }
        }

        /// On damaged lines the fast path never answers where serde_json refuses.
        #[test]
        fn fast_path_never_takes_invalid_json(line in json_line(), cut in 0usize..64, junk in "[\\\"{}\\[\\],: a1\\x00-]{0,3}") {
            let mut line = line.into_bytes();
            let at = cut.min(line.len());
            line.splice(at..at, junk.bytes());
            let path = KeyPath::parse("id").expect("path");
            if extract(&line, &path).is_err() {
                prop_assert_eq!(borrowed_key(&line, &path), None);
            }
        }

        /// Nor where the damage is invalid UTF-8, a control byte or an
        /// escape it does not decode; and where it answers, it agrees.
        #[test]
        fn fast_path_with_damaged_bytes(line in json_line(), cut in 0usize..64, junk in proptest::collection::vec(prop_oneof![
            Just(&b"\xff"[..]),
            Just(&b"\xc3"[..]),
            Just(&b"\xc3\xa9"[..]),
            Just(&b"\xed\xa0\x80"[..]),
            Just(&b"\x01"[..]),
            Just(&b"\t"[..]),
            Just(&b"\\"[..]),
            Just(&b"\\u0041"[..]),
            Just(&b"\\n"[..]),
            Just(&b"\""[..]),
        ], 1..3), nested in any::<bool>()) {
            let mut line = line.into_bytes();
            let at = cut.min(line.len());
            line.splice(at..at, junk.concat());
            let path = KeyPath::parse(if nested { "user.id" } else { "id" }).expect("path");
            match (borrowed_key(&line, &path), extract(&line, &path)) {
                (None, _) => {}
                (Some(key), Ok(found)) => {
                    prop_assert_eq!(found, Found::Key(key.map(Cow::Borrowed)));
                    prop_assert!(std::str::from_utf8(&line).is_ok());
                }
                (Some(_), Err(e)) => return Err(TestCaseError::fail(format!("the fast path took a line serde refuses: {e}"))),
            }
        }
    }
}

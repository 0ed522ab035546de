//! `--key-field PATH`: taking the key out of a JSON line by a dotted path
//! (`user.id` or `.user.id`) while parsing it once, with no DOM: objects on
//! the path are walked, everything else is skipped.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::envelope::payload;

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
            if found.is_none() && key == self.path[0] {
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
}

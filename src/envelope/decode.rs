//! Parsing one input line in `--format json`: the envelope
//! `{"key", "value", "headers", "partition", "timestamp"}` (only `value` is
//! required; `topic` and `offset`, as `consume --format json` writes them,
//! are accepted and ignored so a round trip works).

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::payload;

/// Bytes that may be absent (JSON null).
pub type Payload<'a> = Option<Cow<'a, [u8]>>;

/// A decoded envelope, borrowing from the input line where it can.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Envelope<'a> {
    pub key: Payload<'a>,
    pub value: Payload<'a>,
    pub headers: Vec<(Cow<'a, [u8]>, Payload<'a>)>,
    pub partition: Option<u32>,
    pub timestamp: Option<i64>,
}

#[derive(Deserialize)]
struct Raw<'a> {
    #[serde(borrow, default)]
    key: Option<&'a RawValue>,
    #[serde(borrow)]
    value: &'a RawValue,
    #[serde(borrow, default)]
    headers: Option<RawHeaders<'a>>,
    #[serde(default)]
    partition: Option<u32>,
    #[serde(default)]
    timestamp: Option<i64>,
}

/// Header pairs in input order, duplicates kept (Kafka allows them).
struct RawHeaders<'a>(Vec<(Cow<'a, str>, &'a RawValue)>);

impl<'de: 'a, 'a> Deserialize<'de> for RawHeaders<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct PairsVisitor<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for PairsVisitor<'a> {
            type Value = RawHeaders<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of header names to values")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(RawHeaders(Vec::new()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut pairs = Vec::new();
                while let Some((k, v)) = map.next_entry::<Cow<'de, str>, &'de RawValue>()? {
                    let k: Cow<'a, str> = k;
                    pairs.push((k, v));
                }
                Ok(RawHeaders(pairs))
            }
        }
        d.deserialize_any(PairsVisitor(std::marker::PhantomData))
    }
}

/// Parses one envelope line; the error text says what is wrong (the caller
/// adds the line number).
pub fn parse(line: &[u8]) -> Result<Envelope<'_>, String> {
    // serde would read a JSON array positionally as the struct's fields
    // (`[1,2]` as key 1, value 2): an envelope must be an object.
    if line.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err("invalid envelope: expected a JSON object like {\"value\": ...}".to_string());
    }
    let raw: Raw<'_> = serde_json::from_slice(line).map_err(|e| wrong_field(line).unwrap_or_else(|| describe(&e)))?;
    let key = payload::decode_opt(raw.key).map_err(|e| format!("key: {e}"))?;
    let value = payload::decode(raw.value).map_err(|e| format!("value: {e}"))?;
    let mut headers = Vec::new();
    for (name, v) in raw.headers.map(|h| h.0).unwrap_or_default() {
        let v = payload::decode(v).map_err(|e| format!("header '{name}': {e}"))?;
        let name = match name {
            Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
            Cow::Owned(s) => Cow::Owned(s.into_bytes()),
        };
        headers.push((name, v));
    }
    if let Some(ts) = raw.timestamp.filter(|&ts| ts < 0) {
        // Kafka's ProducerRecord refuses these too.
        return Err(format!(
            "field \"timestamp\" must be whole milliseconds since the Unix epoch, not negative ({ts})"
        ));
    }
    Ok(Envelope { key, value, headers, partition: raw.partition, timestamp: raw.timestamp })
}

/// On the error path only: names the envelope field whose type is wrong
/// (serde's message says what it expected but not for which field).
fn wrong_field(line: &[u8]) -> Option<String> {
    let serde_json::Value::Object(map) = serde_json::from_slice(line).ok()? else { return None };
    let shown = |v: &serde_json::Value| {
        let text = v.to_string();
        if text.chars().count() > 40 { format!("{}...", text.chars().take(40).collect::<String>()) } else { text }
    };
    type Check = (&'static str, &'static str, fn(&serde_json::Value) -> bool);
    let checks: [Check; 3] = [
        ("partition", "a partition number (0 to 4294967295)", |v| v.as_u64().is_some_and(|n| u32::try_from(n).is_ok())),
        ("timestamp", "whole milliseconds since the Unix epoch", |v| v.as_i64().is_some()),
        ("headers", "an object of header names to values", |v| v.is_object()),
    ];
    for (field, expected, ok) in checks {
        if let Some(v) = map.get(field).filter(|v| !v.is_null() && !ok(v)) {
            return Some(format!("field \"{field}\" must be {expected}, not {}", shown(v)));
        }
    }
    None
}

fn describe(e: &serde_json::Error) -> String {
    if e.is_syntax() || e.is_eof() {
        // serde_json's "key must be a string" means a JSON object's field name,
        // which reads like the envelope's "key": say what is wrong with the JSON.
        let text = e.to_string();
        let what = if text.starts_with("key must be a string") {
            "a field name must be in double quotes"
        } else if e.is_eof() {
            "the line ends inside the JSON"
        } else {
            text.split(" at line ").next().unwrap_or_default()
        };
        return format!(
            "not valid JSON: {what} (column {}); an envelope looks like {{\"key\": \"k\", \"value\": \"v\"}}",
            e.column()
        );
    }
    let text = e.to_string();
    // serde_json appends " at line 1 column N"; the column is useful, the line is not.
    match text.rfind(" at line 1 column ") {
        Some(i) => format!("{} (column {})", &text[..i], &text[i + " at line 1 column ".len()..]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_envelope() {
        let e = parse(br#"{"topic":"t","offset":3,"key":"k","value":{"a":1},"headers":{"h":"v","n":null},"partition":2,"timestamp":17}"#).expect("parse");
        assert_eq!(e.key.as_deref(), Some(&b"k"[..]));
        assert_eq!(e.value.as_deref(), Some(&br#"{"a":1}"#[..]));
        assert_eq!(e.headers.len(), 2);
        assert_eq!(e.headers[1].1, None);
        assert_eq!((e.partition, e.timestamp), (Some(2), Some(17)));
    }

    #[test]
    fn an_envelope_must_be_an_object() {
        for line in ["[1,2]", " [\"k\",\"v\"]", "\"v\"", "5", "null", ""] {
            let err = parse(line.as_bytes()).expect_err(line);
            assert!(err.contains("object"), "{line}: {err}");
        }
        assert!(parse(b" {\"value\":\"v\"}").is_ok());
    }

    #[test]
    fn value_is_required_and_types_are_checked() {
        assert!(parse(br#"{"key":"k"}"#).expect_err("missing").contains("value"));
        assert!(parse(br#"{"value":"v","partition":"x"}"#).is_err());
        assert!(parse(br#"{"value":"v","partition":-1}"#).is_err());
        assert!(parse(br#"{"value":"v","timestamp":1.5}"#).is_err());
        let err = parse(br#"{"value":"v","timestamp":-1}"#).expect_err("negative");
        assert!(err.contains("not negative (-1)"), "{err}");
        assert_eq!(parse(br#"{"value":"v","timestamp":0}"#).expect("epoch").timestamp, Some(0));
        assert!(parse(br#"{"value":"v","headers":[1]}"#).expect_err("headers").contains("field \"headers\""));
        let err = parse(br#"{"value":"v","timestamp":"yesterday"}"#).expect_err("timestamp");
        assert_eq!(err, "field \"timestamp\" must be whole milliseconds since the Unix epoch, not \"yesterday\"");
        assert!(parse(b"not json").is_err());
        for (bad, says) in [
            ("{bad", "not valid JSON: a field name must be in double quotes (column 2)"),
            ("{\"value\": ", "not valid JSON: the line ends inside the JSON"),
            ("{\"value\": tru}", "not valid JSON: expected ident (column"),
        ] {
            let err = parse(bad.as_bytes()).expect_err(bad);
            assert!(err.starts_with(says), "{bad}: {err}");
            assert!(!err.contains("key must"), "{bad}: {err}");
        }
        assert_eq!(parse(br#"{"value":null}"#).expect("null").value, None);
    }
}

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
use super::scan::{self, Line, Member};

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
    if let Some(envelope) = scanned(line) {
        return Ok(envelope);
    }
    // serde would read a JSON array positionally as the struct's fields
    // (`[1,2]` as key 1, value 2): an envelope must be an object.
    if line.starts_with(b"\xEF\xBB\xBF") {
        return Err(
            "the line starts with a UTF-8 byte order mark; remove it (an envelope is a JSON object)".to_string()
        );
    }
    if line.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err("expected a JSON object like {\"value\": ...}".to_string());
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

/// The fast path of [`parse`]: an envelope whose key, value and header
/// values are strings with short escapes or null, read by the scanner with
/// no copy where a string has no escapes. `None` leaves the line to serde_json
/// (anything else, including every invalid line and every error message).
fn scanned(line: &[u8]) -> Option<Envelope<'_>> {
    let line = Line::new(line);
    let mut envelope = Envelope::default();
    let mut seen = [false; 5];
    let mut once = |field: usize| (!std::mem::replace(&mut seen[field], true)).then_some(());
    let end = line.object(line.skip_ws(0), 1, |Member { name, start }, _| match name {
        b"key" => {
            once(0)?;
            let (key, end) = text_or_null(line, start)?;
            envelope.key = key;
            Some(end)
        }
        b"value" => {
            once(1)?;
            let (value, end) = text_or_null(line, start)?;
            envelope.value = value;
            Some(end)
        }
        b"headers" => {
            once(2)?;
            if line.at(start)? == b'n' {
                return line.value(start, 1);
            }
            line.object(start, 2, |Member { name, start }, _| {
                let (value, end) = text_or_null(line, start)?;
                envelope.headers.push((Cow::Borrowed(name), value));
                Some(end)
            })
        }
        b"partition" => {
            once(3)?;
            let (n, end) = whole_number(line, start)?;
            envelope.partition = n.map(u32::try_from).transpose().ok()?;
            Some(end)
        }
        b"timestamp" => {
            once(4)?;
            let (n, end) = whole_number(line, start)?;
            envelope.timestamp = n.map(i64::try_from).transpose().ok()?;
            Some(end)
        }
        _ => line.value(start, 1),
    })?;
    (line.ends_at(end) && seen[1]).then_some(envelope)
}

/// A string (unescaped) or null at `start`, and the position after it.
fn text_or_null<'a>(line: Line<'a>, start: usize) -> Option<(Payload<'a>, usize)> {
    if line.at(start)? == b'"' {
        let (end, escaped) = line.string(start)?;
        let inner = &line.bytes()[start + 1..end - 1];
        let text = if escaped { Cow::Owned(scan::unescape(inner)?) } else { Cow::Borrowed(inner) };
        Some((Some(text), end))
    } else {
        line.value(start, 1).filter(|&end| &line.bytes()[start..end] == b"null").map(|end| (None, end))
    }
}

/// Digits (no sign, fraction or exponent) or null at `start`.
fn whole_number(line: Line<'_>, start: usize) -> Option<(Option<u64>, usize)> {
    let end = line.value(start, 1)?;
    let text = &line.bytes()[start..end];
    if text == b"null" {
        return Some((None, end));
    }
    if !text.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some((Some(std::str::from_utf8(text).ok()?.parse().ok()?), end))
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
    use proptest::prelude::*;

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

    #[test]
    fn the_fast_path_reads_what_consume_writes() {
        let line = br#"{"topic":"t","partition":2,"offset":3,"timestamp":17,"key":"k","value":"{\"a\":1}","headers":{"h":"v","n":null}}"#;
        let e = scanned(line).expect("scanned");
        assert_eq!(e.key.as_deref(), Some(&b"k"[..]));
        assert_eq!(e.value.as_deref(), Some(&br#"{"a":1}"#[..]));
        assert_eq!(
            e.headers,
            vec![(Cow::Borrowed(&b"h"[..]), Some(Cow::Borrowed(&b"v"[..]))), (Cow::Borrowed(&b"n"[..]), None)]
        );
        assert_eq!((e.partition, e.timestamp), (Some(2), Some(17)));
        for other in [
            &br#"{"value":{"base64":"AA=="}}"#[..],
            br#"{"value":"v","value":"w"}"#,
            br#"{"key":"k"}"#,
            br#"{"value":"v","timestamp":-1}"#,
            br#"{"value":"v","partition":4294967296}"#,
            br#"{"value":"\u0041"}"#,
            br#"{"value":"v"} x"#,
            br#"["v"]"#,
        ] {
            assert_eq!(scanned(other), None, "{}", String::from_utf8_lossy(other));
        }
    }

    fn envelope_line() -> impl Strategy<Value = String> {
        use crate::envelope::scan::tests::arbitrary_json;
        let text =
            || prop_oneof![Just(serde_json::Value::Null), ".{0,6}".prop_map(serde_json::Value::from), arbitrary_json()];
        let number = || {
            prop_oneof![
                Just(serde_json::Value::Null),
                any::<i64>().prop_map(serde_json::Value::from),
                any::<u64>().prop_map(serde_json::Value::from),
                arbitrary_json()
            ]
        };
        let headers = prop_oneof![
            Just(serde_json::Value::Null),
            proptest::collection::btree_map("[a-z]{0,2}", text(), 0..3)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            arbitrary_json()
        ];
        (text(), text(), headers, number(), number(), proptest::collection::vec(any::<bool>(), 5)).prop_map(
            |(key, value, headers, partition, timestamp, present)| {
                let mut doc = serde_json::Map::new();
                for (i, (name, v)) in [
                    ("key", key),
                    ("value", value),
                    ("headers", headers),
                    ("partition", partition),
                    ("timestamp", timestamp),
                ]
                .into_iter()
                .enumerate()
                {
                    if present[i] {
                        doc.insert(name.to_string(), v);
                    }
                }
                serde_json::Value::Object(doc).to_string()
            },
        )
    }

    /// What [`parse`] returned before the fast path: serde_json alone.
    fn parse_with_serde(line: &[u8]) -> Result<Envelope<'_>, String> {
        let raw: Raw<'_> = serde_json::from_slice(line).map_err(|e| describe(&e))?;
        let mut headers = Vec::new();
        for (name, v) in raw.headers.map(|h| h.0).unwrap_or_default() {
            headers.push((Cow::Owned(name.into_owned().into_bytes()), payload::decode(v)?));
        }
        if raw.timestamp.is_some_and(|ts| ts < 0) {
            return Err("negative".to_string());
        }
        Ok(Envelope {
            key: payload::decode_opt(raw.key)?,
            value: payload::decode(raw.value)?,
            headers,
            partition: raw.partition,
            timestamp: raw.timestamp,
        })
    }

    proptest! {
        /// On valid lines the fast path agrees with serde_json's.
        #[test]
        fn fast_path_agrees_with_serde(line in envelope_line()) {
            if let Some(e) = scanned(line.as_bytes()) {
                prop_assert_eq!(Ok(e), parse_with_serde(line.as_bytes()));
            }
        }

        /// The fast path never takes a line serde_json refuses.
        #[test]
        fn fast_path_never_takes_invalid_lines(line in envelope_line(), cut in 0usize..64, junk in "[\\\"{}\\[\\],: a1\\x00-]{0,3}") {
            let mut line = line.into_bytes();
            let at = cut.min(line.len());
            line.splice(at..at, junk.bytes());
            if parse_with_serde(&line).is_err() {
                prop_assert_eq!(scanned(&line), None);
            }
        }
    }
}

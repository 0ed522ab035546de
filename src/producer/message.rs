//! Turning one input line into a message, for each `produce --format`:
//! plain lines, lines with a key separator, JSON lines keyed by a field,
//! and JSON envelopes.

use std::borrow::Cow;

use super::key_field::{self, Found, KeyPath};
use crate::envelope::{self, Payload};

/// How input lines are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineFormat {
    /// The line is the value.
    Plain,
    /// `KEY<SEP>VALUE`, split at the first separator.
    KeySeparator { separator: Vec<u8>, if_missing: MissingSeparator },
    /// A JSON document; the key is the field at the path, the line the value.
    KeyField(KeyPath),
    /// A JSON envelope.
    Json,
}

/// What a line without the key separator becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MissingSeparator {
    /// An error naming the line, as kafka-console-producer's `parse.key`.
    Refuse,
    /// A record with a null key, the whole line its value (Kafka's
    /// `ignore.error`).
    NullKey,
}

/// A line of a key-separator format that lacks the separator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoSeparator;

impl std::fmt::Display for NoSeparator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("no key separator in the line")
    }
}

/// One message to produce, borrowing from its input line where it can.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Message<'a> {
    pub key: Payload<'a>,
    pub value: Payload<'a>,
    pub headers: Vec<(Cow<'a, [u8]>, Payload<'a>)>,
    pub partition: Option<u32>,
    pub timestamp: Option<i64>,
}

impl<'a> Message<'a> {
    pub fn value(value: &'a [u8]) -> Self {
        Message { value: Some(Cow::Borrowed(value)), ..Message::default() }
    }
}

/// A line of a lines format (plain, or with a key separator): its key and
/// value as slices of the line, no message built. `None` (no key) and
/// `None` (a tombstone) are told apart from empty ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineParts<'a> {
    pub key: Option<&'a [u8]>,
    pub value: Option<&'a [u8]>,
}

/// Splits a line of a lines format, or takes a `--key-field` line's key
/// when it is a plain string; `None` for the lines [`parse_line`] parses
/// into a [`Message`] (envelopes, other keys, invalid JSON).
#[inline]
pub fn split_line<'a>(
    format: &LineFormat,
    line: &'a [u8],
    null_value: Option<&[u8]>,
) -> Option<Result<LineParts<'a>, NoSeparator>> {
    match format {
        LineFormat::Plain => Some(Ok(with_value(None, line, null_value))),
        LineFormat::KeySeparator { separator, if_missing } => Some(split(separator, *if_missing, line, null_value)),
        // A plain string or null key is found by the scanner; any other
        // line is parsed by `parse_line` (and refused there if invalid).
        LineFormat::KeyField(path) => {
            key_field::borrowed_key(line, path).map(|key| Ok(LineParts { key, ..with_value(None, line, null_value) }))
        }
        LineFormat::Json => None,
    }
}

/// `KEY<SEP>VALUE` split at the first separator.
#[inline]
fn split<'a>(
    sep: &[u8],
    if_missing: MissingSeparator,
    line: &'a [u8],
    null_value: Option<&[u8]>,
) -> Result<LineParts<'a>, NoSeparator> {
    match (find_separator(line, sep), if_missing) {
        (Some(i), _) => Ok(with_value(Some(&line[..i]), &line[i + sep.len()..], null_value)),
        (None, MissingSeparator::NullKey) => Ok(with_value(None, line, null_value)),
        (None, MissingSeparator::Refuse) => Err(NoSeparator),
    }
}

#[inline]
fn with_value<'a>(key: Option<&'a [u8]>, value: &'a [u8], null_value: Option<&[u8]>) -> LineParts<'a> {
    LineParts { key, value: if null_value == Some(value) { None } else { Some(value) } }
}

impl<'a> From<LineParts<'a>> for Message<'a> {
    fn from(parts: LineParts<'a>) -> Self {
        Message { key: parts.key.map(Cow::Borrowed), value: parts.value.map(Cow::Borrowed), ..Message::default() }
    }
}

/// Parses `line`; `null_value` (lines formats) marks a line whose value is a
/// tombstone. The error says what is wrong, without the line number.
pub fn parse_line<'a>(format: &LineFormat, line: &'a [u8], null_value: Option<&[u8]>) -> Result<Message<'a>, String> {
    let null_if =
        |value: &'a [u8]| -> Payload<'a> { if null_value == Some(value) { None } else { Some(Cow::Borrowed(value)) } };
    match format {
        LineFormat::Plain => Ok(with_value(None, line, null_value).into()),
        LineFormat::KeySeparator { separator, if_missing } => {
            split(separator, *if_missing, line, null_value).map(Into::into).map_err(|e| e.to_string())
        }
        LineFormat::KeyField(path) => match key_field::extract(line, path) {
            Ok(Found::Key(key)) => Ok(Message { key, value: null_if(line), ..Message::default() }),
            Ok(Found::Missing) => Err(format!("the key field '{}' is missing", path.display())),
            Err(e) => Err(format!("invalid JSON: {e}")),
        },
        LineFormat::Json => {
            let e = envelope::parse(line).map_err(|e| format!("invalid envelope: {e}"))?;
            Ok(Message {
                key: e.key,
                value: e.value,
                headers: e.headers,
                partition: e.partition,
                timestamp: e.timestamp,
            })
        }
    }
}

/// The first `sep` in `line`: memchr for the common one-byte separator.
#[inline]
fn find_separator(line: &[u8], sep: &[u8]) -> Option<usize> {
    match sep {
        [byte] => memchr::memchr(*byte, line),
        _ => memchr::memmem::find(line, sep),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn separated(sep: &[u8], if_missing: MissingSeparator) -> LineFormat {
        LineFormat::KeySeparator { separator: sep.to_vec(), if_missing }
    }

    #[test]
    fn separator_splits_at_the_first_occurrence() {
        let m = parse_line(&separated(b"::", MissingSeparator::Refuse), b"k::v::w", None).expect("parse");
        assert_eq!(m.key.as_deref(), Some(&b"k"[..]));
        assert_eq!(m.value.as_deref(), Some(&b"v::w"[..]));
    }

    #[test]
    fn a_line_without_the_separator_is_refused_unless_null_keys_are_allowed() {
        let err = parse_line(&separated(b":", MissingSeparator::Refuse), b"novalue", None).expect_err("refused");
        assert!(err.contains("no key separator"), "{err}");
        let m = parse_line(&separated(b":", MissingSeparator::NullKey), b"novalue", None).expect("parse");
        assert_eq!((m.key, m.value.as_deref()), (None, Some(&b"novalue"[..])));
        assert_eq!(split_line(&separated(b":", MissingSeparator::Refuse), b"novalue", None), Some(Err(NoSeparator)));
    }

    #[test]
    fn null_value_marks_tombstones() {
        let m = parse_line(&separated(b":", MissingSeparator::Refuse), b"k:NULL", Some(b"NULL")).expect("parse");
        assert_eq!(m.value, None);
    }

    #[test]
    fn key_field_errors_name_the_problem() {
        let path = KeyPath::parse("id").expect("path");
        let err = parse_line(&LineFormat::KeyField(path.clone()), br#"{"x":1}"#, None).expect_err("missing");
        assert!(err.contains("'id' is missing"), "{err}");
        let err = parse_line(&LineFormat::KeyField(path), b"{bad", None).expect_err("bad");
        assert!(err.starts_with("invalid JSON"), "{err}");
    }
}

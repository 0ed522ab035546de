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
    /// `KEY<SEP>VALUE`, split at the first separator (no separator: no key).
    KeySeparator(Vec<u8>),
    /// A JSON document; the key is the field at the path, the line the value.
    KeyField(KeyPath),
    /// A JSON envelope.
    Json,
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

/// Splits a line of a lines format; `None` for the JSON formats, whose
/// lines are parsed into a [`Message`] by [`parse_line`].
#[inline]
pub fn split_line<'a>(format: &LineFormat, line: &'a [u8], null_value: Option<&[u8]>) -> Option<LineParts<'a>> {
    match format {
        LineFormat::Plain => Some(split(None, line, null_value)),
        LineFormat::KeySeparator(sep) => Some(split(Some(sep), line, null_value)),
        LineFormat::KeyField(_) | LineFormat::Json => None,
    }
}

/// `KEY<SEP>VALUE` split at the first separator (none: no key).
#[inline]
fn split<'a>(sep: Option<&[u8]>, line: &'a [u8], null_value: Option<&[u8]>) -> LineParts<'a> {
    let (key, value) = match sep.and_then(|sep| find_separator(line, sep).map(|i| (i, sep.len()))) {
        Some((i, len)) => (Some(&line[..i]), &line[i + len..]),
        None => (None, line),
    };
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
        LineFormat::Plain => Ok(split(None, line, null_value).into()),
        LineFormat::KeySeparator(sep) => Ok(split(Some(sep), line, null_value).into()),
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

    #[test]
    fn separator_splits_at_the_first_occurrence() {
        let m = parse_line(&LineFormat::KeySeparator(b"::".to_vec()), b"k::v::w", None).expect("parse");
        assert_eq!(m.key.as_deref(), Some(&b"k"[..]));
        assert_eq!(m.value.as_deref(), Some(&b"v::w"[..]));
        let m = parse_line(&LineFormat::KeySeparator(b":".to_vec()), b"novalue", None).expect("parse");
        assert_eq!((m.key, m.value.as_deref()), (None, Some(&b"novalue"[..])));
    }

    #[test]
    fn null_value_marks_tombstones() {
        let m = parse_line(&LineFormat::KeySeparator(b":".to_vec()), b"k:NULL", Some(b"NULL")).expect("parse");
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

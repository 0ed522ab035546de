//! How keys, values and header values travel in JSON: a UTF-8 string as a
//! JSON string, bytes that are not UTF-8 as `{"base64": "..."}`, null as
//! null. On input any other JSON value is taken as its compact JSON text.

use std::borrow::Cow;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::value::RawValue;

use super::escape::{self, write_json_text};

/// Interprets one raw JSON value as payload bytes (`None` for null).
pub fn decode(raw: &RawValue) -> Result<Option<Cow<'_, [u8]>>, String> {
    let text = raw.get();
    match text.as_bytes().first() {
        Some(b'n') if text == "null" => Ok(None),
        Some(b'"') => {
            let s: Cow<'_, str> = serde_json::from_str(text).map_err(|e| e.to_string())?;
            Ok(Some(match s {
                Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
                Cow::Owned(s) => Cow::Owned(s.into_bytes()),
            }))
        }
        Some(b'{') => match base64_object(text)? {
            Some(bytes) => Ok(Some(Cow::Owned(bytes))),
            None => Ok(Some(Cow::Owned(minify(text).into_bytes()))),
        },
        _ => Ok(Some(Cow::Owned(minify(text).into_bytes()))),
    }
}

/// `{"base64": "..."}` (and nothing else) decoded; `None` for other objects.
fn base64_object(text: &str) -> Result<Option<Vec<u8>>, String> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Base64Field<'a> {
        #[serde(borrow)]
        base64: Cow<'a, str>,
    }
    match serde_json::from_str::<Base64Field<'_>>(text) {
        Ok(field) => BASE64.decode(field.base64.as_bytes()).map(Some).map_err(|e| format!("invalid base64: {e}")),
        Err(_) => Ok(None),
    }
}

/// Removes the whitespace outside strings, keeping everything else as written
/// (key order, number spelling).
pub fn minify(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let mut in_string = false;
    let mut escaped = false;
    for c in json.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !c.is_ascii_whitespace() {
            out.push(c);
        }
    }
    out
}

/// Appends `bytes` as a JSON value: a string if UTF-8, else `{"base64": ...}`.
pub fn encode(bytes: Option<&[u8]>, out: &mut Vec<u8>) {
    match bytes {
        None => out.extend_from_slice(b"null"),
        Some(b) => {
            if !write_json_text(b, false, out) {
                out.extend_from_slice(b"{\"base64\":\"");
                let start = out.len();
                out.resize(start + base64::encoded_len(b.len(), true).unwrap_or(0), 0);
                let written = BASE64.encode_slice(b, &mut out[start..]).unwrap_or(0);
                out.truncate(start + written);
                out.extend_from_slice(b"\"}");
            }
        }
    }
}

/// The room [`write_text`] may write for a payload of `len` bytes.
pub const fn text_room(len: usize) -> usize {
    escape::room_for(len)
}

/// Writes a payload that is null or UTF-8 text at `p` (as [`encode`]
/// does: `null` or a JSON string) and returns where it ends; `None` for
/// bytes that are not UTF-8, which only [`encode`] writes (as base64).
/// Bytes after the end, up to [`text_room`] past `p`, may be written too.
///
/// # Safety
/// `p` must be valid for writes of [`text_room`]`(len)` bytes, `len` the
/// payload's length (0 for null).
#[inline(always)]
pub unsafe fn write_text(bytes: Option<&[u8]>, p: *mut u8) -> Option<*mut u8> {
    // SAFETY: `text_room(0)` is more than the 4 bytes of `null`; a string
    // is written within `escape::room_for(len)`, the same room.
    unsafe {
        match bytes {
            None => {
                p.cast::<[u8; 4]>().write_unaligned(*b"null");
                Some(p.add(4))
            }
            Some(b) => escape::write_quoted(b, false, p),
        }
    }
}

/// Appends `s` as a JSON string literal, escaping what JSON requires.
#[inline]
pub fn write_json_string(s: &str, out: &mut Vec<u8>) {
    write_json_text(s.as_bytes(), true, out);
}

/// [`decode`] for a field that may be missing (missing is null).
pub fn decode_opt(raw: Option<&RawValue>) -> Result<Option<Cow<'_, [u8]>>, String> {
    match raw {
        Some(raw) => decode(raw),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn raw(text: &str) -> Box<RawValue> {
        RawValue::from_string(text.to_string()).expect("valid json")
    }

    #[test]
    fn decodes_each_kind() {
        assert_eq!(decode(&raw("null")).expect("null"), None);
        assert_eq!(decode(&raw(r#""a\nb""#)).expect("str").as_deref(), Some(&b"a\nb"[..]));
        assert_eq!(decode(&raw(r#"{"base64":"AP8="}"#)).expect("b64").as_deref(), Some(&[0u8, 255][..]));
        assert_eq!(
            decode(&raw(r#"{ "a": [1, 2], "b" : "x y" }"#)).expect("obj").as_deref(),
            Some(&br#"{"a":[1,2],"b":"x y"}"#[..])
        );
        assert_eq!(decode(&raw("42")).expect("num").as_deref(), Some(&b"42"[..]));
        assert!(decode(&raw(r#"{"base64":"!!"}"#)).is_err());
    }

    proptest! {
        #[test]
        fn encode_then_decode_is_exact(bytes in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..64))) {
            let mut out = Vec::new();
            encode(bytes.as_deref(), &mut out);
            let text = String::from_utf8(out).expect("json is utf-8");
            let value = raw(&text);
            let back = decode(&value).expect("decodes");
            prop_assert_eq!(back.as_deref(), bytes.as_deref());
        }

        #[test]
        fn escapes_round_trip_after_earlier_output(s in "[\\x00-\\x7f\\\\\"é]{0,40}") {
            let mut out = b"prefix".to_vec();
            write_json_string(&s, &mut out);
            prop_assert_eq!(&out[..6], b"prefix");
            let parsed: String = serde_json::from_slice(&out[6..]).expect("valid json string");
            prop_assert_eq!(parsed, s);
        }

        #[test]
        fn encode_tells_text_from_bytes_anywhere(prefix in "[a-z\"]{0,20}", tail in proptest::collection::vec(any::<u8>(), 0..20)) {
            let mut bytes = prefix.into_bytes();
            bytes.extend(tail);
            let mut out = b"x".to_vec();
            encode(Some(&bytes), &mut out);
            let value = raw(std::str::from_utf8(&out[1..]).expect("json is utf-8"));
            prop_assert_eq!(value.get().starts_with('"'), std::str::from_utf8(&bytes).is_ok());
            let back = decode(&value).expect("decodes");
            prop_assert_eq!(back.as_deref(), Some(&bytes[..]));
        }

        #[test]
        fn strings_match_serde(s in ".*") {
            let mut out = Vec::new();
            write_json_string(&s, &mut out);
            let parsed: String = serde_json::from_slice(&out).expect("valid json string");
            prop_assert_eq!(parsed, s);
        }
    }
}

//! kcat-style record templates (`--format '%k=%s\n'`): parsed once into a
//! list of parts, then rendered per record into a reusable buffer. `%k`,
//! `%s` (rpk's `%v`) and `%h` take an encoding modifier, as rpk's do:
//! `%k{hex}`, `%v{base64}`, `%v{json}`, `%h{json}`.

use std::io::Write;
use std::time::{Duration, UNIX_EPOCH};

use crate::error::{Error, Result};
use crate::store::Record;

/// The tokens a template understands, for help texts and error messages.
pub const TOKENS_HELP: &str = "%t topic, %p partition, %o offset, %k key, %s (or %v) value, %S value size, \
%R value size as 4 bytes (big-endian), %K key size, %T timestamp (ms), %d timestamp (RFC 3339), %h headers, \
%% a percent sign; %k %s %v %h take {json}, and %k %s %v {hex} and {base64} (%v{json}); \
escapes \\n \\t \\r \\\\, and \\xHH (hex), \\0NNN (octal) or \\NNN (decimal) for a byte";

/// How a key, value or header value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    /// The bytes as they are.
    Raw,
    /// Lowercase hexadecimal.
    Hex,
    /// Standard base64 with padding.
    Base64,
    /// A JSON payload as in the envelope: a string, `{"base64": ...}` or null.
    Json,
}

impl Encoding {
    fn parse(name: &str) -> Option<Encoding> {
        match name {
            "hex" => Some(Encoding::Hex),
            "base64" => Some(Encoding::Base64),
            "json" => Some(Encoding::Json),
            _ => None,
        }
    }
}

/// One piece of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    /// Literal bytes: `literals[start..end]`.
    Literal(usize, usize),
    Topic,
    Partition,
    Offset,
    Key(Encoding),
    Value(Encoding),
    KeySize,
    ValueSize,
    /// kcat's `%R`: the value's size as a big-endian 32-bit integer (null: -1),
    /// to frame binary values.
    ValueSizeBinary,
    Timestamp,
    Rfc3339,
    Headers(Encoding),
}

/// A parsed template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    parts: Vec<Part>,
    literals: Vec<u8>,
    /// What a null key, value or header value prints as (kcat's `-Z`: `NULL`).
    null_text: Vec<u8>,
}

/// The last millisecond humantime can format (end of year 9999).
const MAX_RFC3339_MS: i64 = 253_402_300_800_000 - 1;

impl Template {
    /// Parses a template; an unknown `%x` token or `\x` escape, or a dangling
    /// `%` or `\`, is a usage error (exit 2).
    pub fn parse(text: &str) -> Result<Template> {
        let mut parts = Vec::new();
        let mut literals = Vec::with_capacity(text.len());
        let mut lit_start = 0;
        let mut chars = text.char_indices().peekable();
        let bad = |what: String| {
            Error::usage(format!("bad --format template '{text}': {what}; a template may use {TOKENS_HELP}"))
        };
        while let Some((i, c)) = chars.next() {
            match c {
                '%' => {
                    let token = match chars.next() {
                        Some((_, t)) => t,
                        None => {
                            return Err(bad(format!("'%' at the end (column {}); write %% for a percent sign", i + 1)));
                        }
                    };
                    let mut modifier = None;
                    if token != '%' && chars.peek().is_some_and(|&(_, c)| c == '{') {
                        let mut name = String::new();
                        chars.next();
                        loop {
                            match chars.next() {
                                Some((_, '}')) => break,
                                Some((_, c)) => name.push(c),
                                None => {
                                    return Err(bad(format!("'{{' without '}}' after '%{token}' (column {})", i + 1)));
                                }
                            }
                        }
                        modifier = Some(name);
                    }
                    let encoding = match modifier.as_deref() {
                        None => Encoding::Raw,
                        Some(name) => match (token, Encoding::parse(name)) {
                            ('k' | 's' | 'v', Some(e)) | ('h', Some(e @ Encoding::Json)) => e,
                            _ => {
                                return Err(bad(format!(
                                    "'%{token}{{{name}}}' (column {}): %k, %s and %v take {{hex}}, {{base64}} or {{json}}, %h takes {{json}}",
                                    i + 1
                                )));
                            }
                        },
                    };
                    let part = match token {
                        't' => Part::Topic,
                        'p' => Part::Partition,
                        'o' => Part::Offset,
                        'k' => Part::Key(encoding),
                        's' | 'v' => Part::Value(encoding),
                        'K' => Part::KeySize,
                        'S' => Part::ValueSize,
                        'R' => Part::ValueSizeBinary,
                        'T' => Part::Timestamp,
                        'd' => Part::Rfc3339,
                        'h' => Part::Headers(encoding),
                        '%' => {
                            literals.push(b'%');
                            continue;
                        }
                        other => return Err(bad(format!("unknown token '%{other}' (column {})", i + 1))),
                    };
                    if literals.len() > lit_start {
                        parts.push(Part::Literal(lit_start, literals.len()));
                    }
                    lit_start = literals.len();
                    parts.push(part);
                }
                '\\' => {
                    let escaped = match chars.next() {
                        Some((_, 'n')) => b'\n',
                        Some((_, 't')) => b'\t',
                        Some((_, 'r')) => b'\r',
                        Some((_, '\\')) => b'\\',
                        Some((_, lead @ ('x' | '0'..='9'))) => numeric_escape(lead, &mut chars).ok_or_else(|| {
                            bad(format!("'\\x' without a hex digit after it (column {}); write \\xHH", i + 1))
                        })?,
                        Some((_, other)) => {
                            return Err(bad(format!("unknown escape '\\{other}' (column {})", i + 1)));
                        }
                        None => {
                            return Err(bad(format!("'\\' at the end (column {}); write \\\\ for a backslash", i + 1)));
                        }
                    };
                    literals.push(escaped);
                }
                _ => {
                    let mut utf8 = [0u8; 4];
                    literals.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
                }
            }
        }
        if literals.len() > lit_start {
            parts.push(Part::Literal(lit_start, literals.len()));
        }
        Ok(Template { parts, literals, null_text: Vec::new() })
    }

    /// Prints null keys, values and header values as `text` (kcat's `-Z`
    /// prints `NULL`); `{json}` still prints `null`.
    pub fn with_null_text(mut self, text: &[u8]) -> Template {
        self.null_text = text.to_vec();
        self
    }

    /// Appends one record rendered by this template to `out`.
    pub fn render(&self, topic: &str, partition: u32, record: &Record<'_>, out: &mut Vec<u8>) {
        for part in &self.parts {
            // Writing into a Vec cannot fail.
            let _ = match *part {
                Part::Literal(start, end) => {
                    out.extend_from_slice(self.literals.get(start..end).unwrap_or_default());
                    Ok(())
                }
                Part::Topic => {
                    out.extend_from_slice(topic.as_bytes());
                    Ok(())
                }
                Part::Partition => write!(out, "{partition}"),
                Part::Offset => write!(out, "{}", record.offset),
                Part::Key(encoding) => {
                    self.write_bytes(record.key, encoding, out);
                    Ok(())
                }
                Part::Value(encoding) => {
                    self.write_bytes(record.value, encoding, out);
                    Ok(())
                }
                Part::KeySize => write_size(record.key, out),
                Part::ValueSize => write_size(record.value, out),
                Part::ValueSizeBinary => {
                    let size = record.value.map_or(-1, |v| i32::try_from(v.len()).unwrap_or(i32::MAX));
                    out.extend_from_slice(&size.to_be_bytes());
                    Ok(())
                }
                Part::Timestamp => write!(out, "{}", record.timestamp),
                Part::Rfc3339 => write_rfc3339(record.timestamp, out),
                Part::Headers(Encoding::Json) => {
                    super::envelope::write_headers_json(&record.headers, out);
                    Ok(())
                }
                Part::Headers(_) => {
                    for (i, (k, v)) in record.headers.iter().enumerate() {
                        if i > 0 {
                            out.push(b',');
                        }
                        out.extend_from_slice(k);
                        out.push(b'=');
                        self.write_bytes(v, Encoding::Raw, out);
                    }
                    Ok(())
                }
            };
        }
    }

    /// Key, value or header bytes in `encoding`; null as the null text
    /// (JSON: `null`).
    fn write_bytes(&self, bytes: Option<&[u8]>, encoding: Encoding, out: &mut Vec<u8>) {
        use base64::Engine;
        match (bytes, encoding) {
            (_, Encoding::Json) => crate::envelope::payload::encode(bytes, out),
            (None, _) => out.extend_from_slice(&self.null_text),
            (Some(b), Encoding::Raw) => out.extend_from_slice(b),
            (Some(b), Encoding::Hex) => {
                const DIGITS: &[u8; 16] = b"0123456789abcdef";
                out.reserve(b.len() * 2);
                for &byte in b {
                    out.push(DIGITS[usize::from(byte >> 4)]);
                    out.push(DIGITS[usize::from(byte & 0xf)]);
                }
            }
            (Some(b), Encoding::Base64) => {
                out.extend_from_slice(base64::engine::general_purpose::STANDARD.encode(b).as_bytes());
            }
        }
    }
}

/// The byte a numeric escape stands for, read as kcat reads it (C's
/// `strtoul`, then the low byte): hex digits after `\x` (and after `\0x`),
/// octal after `\0`, decimal after `\1` to `\9`, every digit that follows
/// taken. `None` for a `\x` without a hex digit after it.
fn numeric_escape(lead: char, chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>) -> Option<u8> {
    let mut ahead = chars.clone();
    let hex_after_zero = lead == '0'
        && ahead.next().is_some_and(|(_, c)| c.eq_ignore_ascii_case(&'x'))
        && ahead.next().is_some_and(|(_, c)| c.is_ascii_hexdigit());
    let (radix, mut value, mut any) = match lead {
        'x' => (16, 0, false),
        '0' if hex_after_zero => {
            chars.next();
            (16, 0, false)
        }
        '0' => (8, 0, true),
        _ => (10, u64::from(lead.to_digit(10)?), true),
    };
    while let Some(digit) = chars.peek().and_then(|&(_, c)| c.to_digit(radix)) {
        chars.next();
        value = value.saturating_mul(u64::from(radix)).saturating_add(u64::from(digit));
        any = true;
    }
    any.then_some(value.to_le_bytes()[0])
}

/// Size in bytes; a null key or value prints as -1, as kcat does.
fn write_size(bytes: Option<&[u8]>, out: &mut Vec<u8>) -> std::io::Result<()> {
    match bytes {
        Some(b) => write!(out, "{}", b.len()),
        None => write!(out, "-1"),
    }
}

/// `2026-11-25T10:00:00.123Z`; a timestamp outside years 1970..=9999 prints
/// as its number of milliseconds.
pub fn write_rfc3339(ms: i64, out: &mut Vec<u8>) -> std::io::Result<()> {
    if (0..=MAX_RFC3339_MS).contains(&ms) {
        let time = UNIX_EPOCH + Duration::from_millis(ms as u64);
        write!(out, "{}", humantime::format_rfc3339_millis(time))
    } else {
        write!(out, "{ms}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::test_support::{frame, record};

    fn render(template: &str, key: Option<&[u8]>, value: Option<&[u8]>, headers: &[(&str, Option<&str>)]) -> Vec<u8> {
        let headers = headers.iter().map(|(k, v)| (k.as_bytes().to_vec(), v.map(|v| v.as_bytes().to_vec()))).collect();
        let f = frame(12, 1_732_523_000_123, key, value, &headers);
        let mut out = Vec::new();
        Template::parse(template).expect("template parses").render("orders", 3, &record(&f), &mut out);
        out
    }

    #[test]
    fn every_token() {
        let out = render("%t|%p|%o|%k|%s|%K|%S|%T|%h", Some(b"key"), Some(b"value!"), &[("a", Some("1")), ("b", None)]);
        assert_eq!(out, b"orders|3|12|key|value!|3|6|1732523000123|a=1,b=");
    }

    #[test]
    fn rfc3339_timestamp() {
        assert_eq!(render("%d", None, None, &[]), b"2024-11-25T08:23:20.123Z");
        let mut out = Vec::new();
        write_rfc3339(-5, &mut out).expect("vec");
        assert_eq!(out, b"-5");
        out.clear();
        write_rfc3339(i64::MAX, &mut out).expect("vec");
        assert_eq!(out, i64::MAX.to_string().as_bytes());
    }

    #[test]
    fn escapes_and_percent() {
        assert_eq!(render("%k\\t%s\\r\\n\\\\ 100%% é", Some(b"k"), Some(b"v"), &[]), "k\tv\r\n\\ 100% é".as_bytes());
    }

    #[test]
    fn kcat_binary_value_size_and_hex_escapes() {
        assert_eq!(render("%R%s", None, Some(b"value!"), &[]), b"\0\0\0\x06value!");
        assert_eq!(render("%R|%R", None, None, &[]), b"\xff\xff\xff\xff|\xff\xff\xff\xff", "null: -1");
        assert_eq!(render("\\x41\\x0a\\x7\\x00%k\\x1Fz", Some(b"k"), None, &[]), b"A\n\x07\0k\x1fz");
        // As kcat's strtoul: every digit that follows, then the low byte.
        assert_eq!(render("\\x414|\\x0000041g", None, None, &[]), b"\x14|Ag");
        assert_eq!(
            render("%s\\0|\\012|\\0377|\\08|\\65|\\300|\\0x41|\\0xg", None, Some(b"v"), &[]),
            b"v\0|\n|\xff|\x008|A|,|A|\0xg"
        );
        for bad in ["\\x", "\\xg1", "a\\x"] {
            let err = Template::parse(bad).expect_err(bad);
            assert_eq!(err.exit_code(), 2, "{bad}");
            assert!(err.message.contains("hex digit"), "{bad}: {}", err.message);
        }
    }

    #[test]
    fn null_prints_empty_and_sizes_minus_one() {
        assert_eq!(render("[%k][%s][%K][%S][%h]", None, None, &[]), b"[][][-1][-1][]");
        assert_eq!(render("[%k][%s][%K][%S]", Some(b""), Some(b""), &[]), b"[][][0][0]");
    }

    #[test]
    fn binary_bytes_are_written_raw() {
        assert_eq!(render("%s\\n", None, Some(&[0, 0xff, b'\n']), &[]), [0, 0xff, b'\n', b'\n']);
    }

    #[test]
    fn rpk_v_and_the_encoding_modifiers() {
        let headers = [("a", Some("1")), ("a", None)];
        let out = render("%v|%k{hex}|%v{base64}|%k{json}|%v{json}|%h{json}", Some(b"\x01k"), Some(b"hi"), &headers);
        assert_eq!(out, br#"hi|016b|aGk=|"\u0001k"|"hi"|{"a":"1","a":null}"#);
        assert_eq!(render("%k{json} %v{json} %k{hex}.", None, Some(&[0xff]), &[]), br#"null {"base64":"/w=="} ."#);
        for bad in ["%t{json}", "%k{yaml}", "%h{hex}", "%k{json"] {
            let err = Template::parse(bad).expect_err(bad);
            assert_eq!(err.exit_code(), 2, "{bad}");
        }
    }

    #[test]
    fn null_text_stands_for_null_keys_values_and_header_values() {
        let f = frame(1, 0, None, None, &vec![(b"h".to_vec(), None)]);
        let mut out = Vec::new();
        let t = Template::parse("%k|%s|%k{hex}|%h|%v{json}").expect("parse").with_null_text(b"NULL");
        t.render("t", 0, &record(&f), &mut out);
        assert_eq!(out, b"NULL|NULL|NULL|h=NULL|null");
    }

    #[test]
    fn parse_errors_are_usage_errors() {
        for (bad, says) in [("%x", "'%x'"), ("abc%", "'%' at the end"), ("\\q", "'\\q'"), ("x\\", "'\\' at the end")] {
            let err = Template::parse(bad).expect_err(bad);
            assert_eq!(err.exit_code(), 2);
            assert!(err.message.contains(says), "{bad}: {}", err.message);
        }
        assert!(Template::parse("%z").expect_err("z").message.contains("column 1"));
    }
}

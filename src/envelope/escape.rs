//! Bytes as a JSON string literal: what must be escaped (`"`, `\`, the
//! control characters) found eight bytes at a time.
//!
//! Each eight-byte word of input is stored to the output whole; for each
//! byte of it to escape (every few bytes in a value that is itself JSON),
//! the escape is written in its place and the rest of the word, shifted in
//! the register, is stored again after it. The last bytes that do not fill
//! a word are read as one word padded with spaces. Whether the bytes are
//! UTF-8 is asked only if one of them is not ASCII, seen in the same pass.

/// Extra room reserved past the worst case: the last store of a word can
/// reach up to 8 bytes past the escaped bytes it keeps.
const STORE_SLACK: usize = 16;

/// Appends `bytes` as a JSON string literal; `false` (and nothing
/// appended) if they are not UTF-8 (`utf8`: known to be).
#[inline]
pub fn write_json_text(bytes: &[u8], utf8: bool, out: &mut Vec<u8>) -> bool {
    // Room for the worst case: six bytes a byte (`\u00XX`) and the quotes.
    out.reserve(6 * bytes.len() + 2 + STORE_SLACK);
    let len = out.len();
    let (words, tail) = bytes.as_chunks::<8>();
    let mut any_high_bit = 0;
    // SAFETY: `reserve` made room for `6n + 2 + STORE_SLACK` bytes after
    // `len` (`n` input bytes). Each input byte becomes at most 6 output
    // bytes, so a word (or the padded tail) of `count` bytes starting at
    // input position `i` starts at most `1 + 6i` bytes in, with
    // `i + count <= n`; [`escape_word`] keeps at most `6 * count` bytes and
    // stores no further than `6 * count + 8` past its start, within the
    // room. Nothing is kept (`set_len`) unless the bytes are UTF-8, and then
    // exactly the bytes written.
    unsafe {
        let start = out.as_mut_ptr().add(len);
        let mut p = start;
        p.write(b'"');
        p = p.add(1);
        for word in words {
            let word = u64::from_le_bytes(*word);
            any_high_bit |= word;
            p = escape_word(word, 8, p);
        }
        if !tail.is_empty() {
            let word = padded_word(tail);
            any_high_bit |= word;
            p = escape_word(word, tail.len(), p);
        }
        if !utf8 && any_high_bit & HIGH_BITS != 0 && std::str::from_utf8(bytes).is_err() {
            return false;
        }
        p.write(b'"');
        p = p.add(1);
        out.set_len(len + p.offset_from(start) as usize);
    }
    true
}

/// Writes the first `count` bytes of `word` (in memory order) escaped at
/// `p` and returns where they end. Bytes after them, up to 8 past that
/// end, may be written too.
///
/// # Safety
/// `p` must have room for `6 * count + 8` bytes.
#[inline(always)]
unsafe fn escape_word(word: u64, count: usize, p: *mut u8) -> *mut u8 {
    // SAFETY: a word with a control character goes byte by byte (at most 6
    // bytes each); otherwise each escape adds one byte, so the store after
    // the escape of byte `at` (`at < count`) ends at most `2 * at + 10`
    // bytes after `p`, within `6 * count + 8`.
    unsafe {
        p.cast::<[u8; 8]>().write_unaligned(word.to_le_bytes());
        let (mut quotes, controls) = escapes(word);
        if controls != 0 {
            return escape_bytes(&word.to_le_bytes()[..count], p);
        }
        let mut added = 0;
        while quotes != 0 {
            let bit = quotes.trailing_zeros();
            let backslash = p.add((bit / 8) as usize + added);
            backslash.write(b'\\');
            backslash.add(1).cast::<[u8; 8]>().write_unaligned((word >> (bit & !7)).to_le_bytes());
            added += 1;
            quotes &= quotes - 1;
        }
        p.add(count + added)
    }
}

/// Writes `bytes` escaped at `p`, a byte at a time through the table;
/// returns where they end.
///
/// # Safety
/// `p` must have room for `6 * bytes.len()` bytes.
#[cold]
unsafe fn escape_bytes(bytes: &[u8], mut p: *mut u8) -> *mut u8 {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    // SAFETY: each byte writes at most 6, within the room the caller gave.
    unsafe {
        for &b in bytes {
            match ESCAPE[b as usize] {
                0 => {
                    p.write(b);
                    p = p.add(1);
                }
                b'u' => {
                    let sequence = [b'\\', b'u', b'0', b'0', HEX[(b >> 4) as usize], HEX[(b & 0xf) as usize]];
                    p.copy_from_nonoverlapping(sequence.as_ptr(), 6);
                    p = p.add(6);
                }
                letter => {
                    p.write(b'\\');
                    p.add(1).write(letter);
                    p = p.add(2);
                }
            }
        }
    }
    p
}

/// The 1 to 7 bytes of `tail` as a word (in memory order), the bytes after
/// them spaces: read as two overlapping loads, no byte loop.
#[inline(always)]
fn padded_word(tail: &[u8]) -> u64 {
    let n = tail.len();
    let bytes = if let (Some(low), Some(high)) = (tail.first_chunk::<4>(), tail.last_chunk::<4>()) {
        u64::from(u32::from_le_bytes(*low)) | u64::from(u32::from_le_bytes(*high)) << (8 * (n - 4))
    } else if let (Some(low), Some(high)) = (tail.first_chunk::<2>(), tail.last_chunk::<2>()) {
        u64::from(u16::from_le_bytes(*low)) | u64::from(u16::from_le_bytes(*high)) << (8 * (n - 2))
    } else {
        tail.first().map_or(0, |&b| u64::from(b))
    };
    bytes | (EACH_BYTE * u64::from(b' ')).checked_shl(8 * n as u32).unwrap_or(0)
}

/// What each byte becomes in a JSON string: 0 for itself, `u` for a
/// `\u00XX` escape, else the letter after the backslash.
static ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = b'u';
        i += 1;
    }
    t[b'\n' as usize] = b'n';
    t[b'\r' as usize] = b'r';
    t[b'\t' as usize] = b't';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t
};

const LOW_SEVEN_BITS: u64 = 0x7f7f_7f7f_7f7f_7f7f;
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
const EACH_BYTE: u64 = 0x0101_0101_0101_0101;

/// The bytes of `word` to escape, as the high bit of each: those that are
/// `"` or `\` (escaped with a backslash in front), and those below 0x20
/// (control characters, rare). Exact for every byte (no carry crosses
/// bytes), so every set bit is one escape.
#[inline(always)]
fn escapes(word: u64) -> (u64, u64) {
    let low_bits = word & LOW_SEVEN_BITS;
    // The high bit set in each byte whose low seven bits are not `"`, not
    // `\`, not below 0x20 (each sum stays below 0x100: no carry out).
    let not_quote = (low_bits ^ (EACH_BYTE * u64::from(b'"'))) + LOW_SEVEN_BITS;
    let not_backslash = (low_bits ^ (EACH_BYTE * u64::from(b'\\'))) + LOW_SEVEN_BITS;
    let not_control = low_bits + EACH_BYTE * (0x80 - 0x20);
    // A byte with its own high bit set (part of a UTF-8 sequence) is kept.
    (!((not_quote & not_backslash) | word) & HIGH_BITS, !(not_control | word) & HIGH_BITS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The escape a byte at a time through the table: what the word path
    /// must equal.
    fn escaped_bytewise(bytes: &[u8]) -> Vec<u8> {
        let mut out = vec![b'"'];
        for &b in bytes {
            match ESCAPE[b as usize] {
                0 => out.push(b),
                b'u' => out.extend_from_slice(format!("\\u{b:04x}").as_bytes()),
                letter => out.extend_from_slice(&[b'\\', letter]),
            }
        }
        out.push(b'"');
        out
    }

    fn escaped(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        assert!(write_json_text(bytes, false, &mut out));
        out
    }

    #[test]
    fn escapes_as_before() {
        assert_eq!(escaped(b""), br#""""#);
        assert_eq!(escaped(br#"{"a":"b\c"}"#), br#""{\"a\":\"b\\c\"}""#);
        assert_eq!(escaped(b"\"\"\"\"\"\"\"\"\""), br#""\"\"\"\"\"\"\"\"\"""#);
        assert_eq!(escaped(b"12345678\n\x08\x1f\x7f"), b"\"12345678\\n\\u0008\\u001f\x7f\"");
        assert_eq!(escaped(b"\x00\x00\x00\x00\x00\x00\x00\x00\x00"), escaped_bytewise(&[0; 9]));
        assert_eq!(escaped("é\"ü".as_bytes()), "\"é\\\"ü\"".as_bytes());
    }

    #[test]
    fn refuses_what_is_not_utf8_and_appends_nothing() {
        for bytes in [&[b'a', 0xff][..], &[0x80], b"12345678\xc3", b"\xc3\x28 and then some"] {
            let mut out = b"kept".to_vec();
            assert!(!write_json_text(bytes, false, &mut out), "{bytes:?}");
            assert_eq!(out, b"kept");
        }
    }

    #[test]
    fn padded_words_hold_the_tail_then_spaces() {
        let bytes = b"\x01\"\\abc\xff";
        for n in 1..8 {
            let mut want = [b' '; 8];
            want[..n].copy_from_slice(&bytes[..n]);
            assert_eq!(padded_word(&bytes[..n]).to_le_bytes(), want, "{n}");
        }
    }

    proptest! {
        #[test]
        fn escape_masks_are_exact(word in any::<u64>()) {
            let want = word.to_le_bytes().iter().enumerate().fold((0u64, 0u64), |mask, (i, &b)| {
                let (quotes, controls) = (mask.0, mask.1);
                let bit = 8 * i + 7;
                (quotes | u64::from(b == b'"' || b == b'\\') << bit, controls | u64::from(b < 0x20) << bit)
            });
            prop_assert_eq!(escapes(word), want);
        }

        #[test]
        fn words_match_bytewise(bytes in proptest::collection::vec(
            prop_oneof![Just(b'"'), Just(b'\\'), Just(b'\n'), Just(0u8), Just(0x1fu8), Just(b' '), 0x20..0x7fu8],
            0..80,
        )) {
            prop_assert_eq!(escaped(&bytes), escaped_bytewise(&bytes));
        }

        #[test]
        fn strings_match_serde_json(s in ".{0,80}") {
            let mut out = b"earlier".to_vec();
            prop_assert!(write_json_text(s.as_bytes(), true, &mut out));
            prop_assert_eq!(&out[..7], b"earlier");
            let back: String = serde_json::from_slice(&out[7..]).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(back, s);
        }

        #[test]
        fn utf8_is_told_from_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
            let mut out = Vec::new();
            let is_utf8 = std::str::from_utf8(&bytes).is_ok();
            prop_assert_eq!(write_json_text(&bytes, false, &mut out), is_utf8);
            if is_utf8 {
                prop_assert_eq!(out, escaped_bytewise(&bytes));
            } else {
                prop_assert!(out.is_empty());
            }
        }

        #[test]
        fn json_lines_in_json_match_serde_json(
            fields in proptest::collection::vec(("[a-z_]{1,8}", "[a-zA-Z0-9 .\\-\"\\\\é]{0,12}"), 0..8)
        ) {
            // Values like the bench's: JSON text, a quote every few bytes.
            let line = serde_json::to_string(&fields.into_iter().collect::<std::collections::BTreeMap<_, _>>())
                .map_err(|e| TestCaseError::fail(e.to_string()))?;
            let mut out = Vec::new();
            prop_assert!(write_json_text(line.as_bytes(), false, &mut out));
            let want = serde_json::to_vec(&line).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(out, want);
        }
    }
}

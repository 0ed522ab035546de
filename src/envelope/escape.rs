//! Bytes as a JSON string literal: what must be escaped (`"`, `\`, the
//! control characters) found sixteen bytes at a time with SSE2 on x86-64
//! (part of its baseline, so no check at run time), eight bytes at a time
//! elsewhere and for the last bytes.
//!
//! Each piece of input is stored to the output whole; for each byte of it
//! to escape (every few bytes in a value that is itself JSON), the escape
//! is written in its place and the rest of its eight-byte word, shifted in
//! the register, is stored again after it. The last bytes that do not fill
//! a word are read as one word padded with spaces. Whether the bytes are
//! UTF-8 is asked only if one of them is not ASCII, seen in the same pass.

/// Extra room reserved past the worst case: the last store of a word can
/// reach up to 8 bytes past the escaped bytes it keeps, of a shuffled piece
/// (`escape_shuffle`) up to 32 past where the piece starts.
const STORE_SLACK: usize = 32;

/// The room [`write_quoted`] needs for `n` input bytes: six bytes a byte
/// (`\u00XX`), the two quotes, and the reach of its last store.
pub const fn room_for(n: usize) -> usize {
    6 * n + 2 + STORE_SLACK
}

/// Appends `bytes` as a JSON string literal; `false` (and nothing
/// appended) if they are not UTF-8 (`utf8`: known to be).
#[inline]
pub fn write_json_text(bytes: &[u8], utf8: bool, out: &mut Vec<u8>) -> bool {
    out.reserve(room_for(bytes.len()));
    let len = out.len();
    // SAFETY: `reserve` made room for `room_for(n)` bytes after `len`, all
    // that `write_quoted` may write; what it returns is the end of the
    // bytes it wrote, all initialised, so exactly those are kept.
    unsafe {
        let start = out.as_mut_ptr().add(len);
        match write_quoted(bytes, utf8, start) {
            Some(end) => {
                out.set_len(len + end.offset_from(start) as usize);
                true
            }
            None => false,
        }
    }
}

/// Writes `bytes` as a JSON string literal at `p` and returns where it
/// ends; `None` if they are not UTF-8 (`utf8`: known to be), the bytes
/// written then meaning nothing. Bytes after the end, up to
/// `room_for(bytes.len())` past `p`, may be written too.
///
/// # Safety
/// `p` must be valid for writes of [`room_for`]`(bytes.len())` bytes.
#[inline]
pub unsafe fn write_quoted(bytes: &[u8], utf8: bool, p: *mut u8) -> Option<*mut u8> {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("ssse3") {
        // SAFETY: the CPU has SSSE3; the room is the same.
        return unsafe { super::escape_shuffle::write_quoted(bytes, utf8, p) };
    }
    // SAFETY: as the caller promised.
    unsafe { write_quoted_sse2(bytes, utf8, p) }
}

/// [`write_quoted`] with SSE2 alone (and without it, on other targets):
/// the sixteen-byte pieces, then words of eight.
///
/// # Safety
/// As for [`write_quoted`].
#[inline]
unsafe fn write_quoted_sse2(bytes: &[u8], utf8: bool, p: *mut u8) -> Option<*mut u8> {
    // SAFETY: each input byte becomes at most 6 output bytes, so a piece of
    // `count` bytes starting at input position `i` starts at most `1 + 6i`
    // bytes after `p`, with `i + count <= n`; the sixteen-byte pieces
    // ([`escape_chunks`]) and the words ([`escape_word`]) each store no
    // further than `6 * count + 8` past their start, within `room_for(n)`;
    // the closing quote goes at most `1 + 6n` bytes in.
    unsafe {
        p.write(b'"');
        let (done, mut p, wide_high_bit) = escape_chunks(bytes, p.add(1));
        let (words, tail) = bytes.get(done..).unwrap_or_default().as_chunks::<8>();
        let mut any_high_bit = 0;
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
        if !utf8 && (wide_high_bit || any_high_bit & HIGH_BITS != 0) && std::str::from_utf8(bytes).is_err() {
            return None;
        }
        p.write(b'"');
        Some(p.add(1))
    }
}

/// Escapes the sixteen-byte pieces of `bytes` to `p` (SSE2); returns how
/// many bytes it took, where their escape ends, and whether one of them
/// has its high bit set (is not ASCII).
///
/// # Safety
/// `p` must have room for `6 * n + 8` bytes, `n` the bytes it takes.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn escape_chunks(bytes: &[u8], mut p: *mut u8) -> (usize, *mut u8, bool) {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_max_epu8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
        _mm_setzero_si128, _mm_storeu_si128,
    };
    let (chunks, _) = bytes.as_chunks::<16>();
    // SAFETY: SSE2 is in every x86-64 CPU. Each load reads the 16 bytes of
    // its `chunk`; each store writes 16 bytes at `p`, and a chunk with
    // escapes at most `6 * 16 + 8` (see [`escape_chunk`] and
    // [`escape_bytes`]), within the room the caller gave for the bytes
    // taken so far.
    unsafe {
        let quote = _mm_set1_epi8(b'"' as i8);
        let backslash = _mm_set1_epi8(b'\\' as i8);
        let last_control = _mm_set1_epi8(0x1f);
        let mut high = _mm_setzero_si128();
        for chunk in chunks {
            let v = _mm_loadu_si128(chunk.as_ptr().cast::<__m128i>());
            _mm_storeu_si128(p.cast::<__m128i>(), v);
            high = _mm_or_si128(high, v);
            let quotes = _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash));
            // A byte at most 0x1f is the larger of itself and 0x1f.
            let controls = _mm_cmpeq_epi8(_mm_max_epu8(v, last_control), last_control);
            let escapes = _mm_movemask_epi8(_mm_or_si128(quotes, controls)) as u32;
            p = if escapes == 0 {
                p.add(16)
            } else if _mm_movemask_epi8(controls) != 0 {
                escape_bytes(chunk, p)
            } else {
                escape_chunk(chunk, escapes, p)
            };
        }
        (chunks.len() * 16, p, _mm_movemask_epi8(high) != 0)
    }
}

/// Without SSE2: no piece taken here, all go by words.
///
/// # Safety
/// None needed; `unsafe` for the same signature as on x86-64.
#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
unsafe fn escape_chunks(_: &[u8], p: *mut u8) -> (usize, *mut u8, bool) {
    (0, p, false)
}

/// The sixteen bytes of `chunk`, already stored at `p`, with the `"` and
/// `\` marked in `escapes` (bit `i` for byte `i`) escaped in place; returns
/// where they end.
///
/// # Safety
/// `p` must have room for `2 * 16 + 8` bytes.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
unsafe fn escape_chunk(chunk: &[u8; 16], escapes: u32, p: *mut u8) -> *mut u8 {
    let both = u128::from_le_bytes(*chunk);
    let (low, high) = (both as u64, (both >> 64) as u64);
    // SAFETY: the low word's escapes end at most 16 bytes after `p`, the
    // high word is stored there whole (8 bytes) and its escapes end at
    // most 16 bytes further, each last store reaching 8 past that.
    unsafe {
        let p = p.add(8 + escape_marked::<1>(low, u64::from(escapes & 0xff), p));
        p.cast::<[u8; 8]>().write_unaligned(high.to_le_bytes());
        p.add(8 + escape_marked::<1>(high, u64::from(escapes >> 8), p))
    }
}

/// The eight bytes of `word`, already stored at `p`, with the bytes marked
/// in `marks` (bit `STRIDE * i` for byte `i`) each given a backslash in
/// front, the rest of the word stored again after it; returns how many
/// backslashes it added.
///
/// # Safety
/// `p` must have room for `2 * 8 + 8` bytes.
#[inline(always)]
unsafe fn escape_marked<const STRIDE: u32>(word: u64, mut marks: u64, p: *mut u8) -> usize {
    let mut added = 0;
    // SAFETY: the escape of byte `at` (`at < 8`) and the store after it end
    // at most `2 * at + 10` bytes after `p`, within the room.
    unsafe {
        while marks != 0 {
            let at = (marks.trailing_zeros() / STRIDE) as usize;
            let backslash = p.add(at + added);
            backslash.write(b'\\');
            backslash.add(1).cast::<[u8; 8]>().write_unaligned((word >> (8 * at)).to_le_bytes());
            added += 1;
            marks &= marks - 1;
        }
    }
    added
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
        let (quotes, controls) = escapes(word);
        if controls != 0 {
            return escape_bytes(&word.to_le_bytes()[..count], p);
        }
        p.add(count + escape_marked::<8>(word, quotes, p))
    }
}

/// Writes `bytes` escaped at `p`, a byte at a time through the table;
/// returns where they end.
///
/// # Safety
/// `p` must have room for `6 * bytes.len()` bytes.
#[cold]
pub(super) unsafe fn escape_bytes(bytes: &[u8], mut p: *mut u8) -> *mut u8 {
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
pub(super) fn padded_word(tail: &[u8]) -> u64 {
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

    /// Each way of escaping there is here (SSE2 alone, and the shuffle where
    /// the CPU has SSSE3), each into room of exactly [`room_for`] followed
    /// by guard bytes that must stay untouched.
    fn escaped_each_way(bytes: &[u8]) -> Vec<Option<Vec<u8>>> {
        type Way = unsafe fn(&[u8], bool, *mut u8) -> Option<*mut u8>;
        let mut ways: Vec<Way> = vec![write_quoted_sse2];
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("ssse3") {
            ways.push(super::super::escape_shuffle::write_quoted);
        }
        ways.into_iter()
            .map(|way| {
                let room = room_for(bytes.len());
                let mut buf = vec![0xa5u8; room + 64];
                // SAFETY: `buf` has `room_for` bytes (and the guard); the
                // shuffle is only used where the CPU has SSSE3.
                let end = unsafe { way(bytes, false, buf.as_mut_ptr()) };
                assert!(buf[room..].iter().all(|&b| b == 0xa5), "wrote past its room: {bytes:?}");
                end.map(|end| buf[..end as usize - buf.as_ptr() as usize].to_vec())
            })
            .collect()
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
        fn every_way_escapes_alike_within_its_room(bytes in proptest::collection::vec(
            prop_oneof![
                4 => 0x20..0x7fu8,
                2 => Just(b'"'),
                1 => Just(b'\\'),
                1 => 0..0x20u8,
                1 => any::<u8>(),
            ],
            0..100,
        )) {
            let want = std::str::from_utf8(&bytes).is_ok().then(|| escaped_bytewise(&bytes));
            for got in escaped_each_way(&bytes) {
                prop_assert_eq!(&got, &want);
            }
        }

        #[test]
        fn every_way_takes_text_alike(s in "(\\PC|[\"\\\\]){0,60}") {
            let want = Some(escaped_bytewise(s.as_bytes()));
            for got in escaped_each_way(s.as_bytes()) {
                prop_assert_eq!(&got, &want);
            }
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

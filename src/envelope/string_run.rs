//! Where a plain run inside a JSON string ends: the first `"`, `\`,
//! control byte (below 0x20) or, if asked, non-ASCII byte, found sixteen
//! bytes at a time (one SSE2 mask of the stops, crossed with one bit scan).
//! The scanner's inner loop, and the search of [`unescape`].

/// Bytes in one step.
const STEP: usize = 16;

/// The stops among the sixteen bytes of `chunk`, one bit each (bit `k`
/// for byte `k`). With `NON_ASCII`, bytes of 0x80 and above are stops too.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
fn stops<const NON_ASCII: bool>(chunk: &[u8; STEP]) -> u32 {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_cmplt_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8, _mm_xor_si128,
    };
    // SAFETY: `chunk` is sixteen readable bytes and an unaligned load has
    // no other requirement; the other intrinsics only need SSE2, which this
    // code is compiled for (`cfg(target_feature = "sse2")`).
    unsafe {
        let x = _mm_loadu_si128(chunk.as_ptr().cast());
        let quote = _mm_cmpeq_epi8(x, _mm_set1_epi8(b'"' as i8));
        let backslash = _mm_cmpeq_epi8(x, _mm_set1_epi8(b'\\' as i8));
        // A signed comparison: below 0x20 takes the control bytes and, as
        // negative numbers, every byte of 0x80 and above; flipping the top
        // bit first makes it unsigned (the control bytes alone).
        let low = if NON_ASCII {
            _mm_cmplt_epi8(x, _mm_set1_epi8(0x20))
        } else {
            let flip = _mm_set1_epi8(i8::MIN);
            _mm_cmplt_epi8(_mm_xor_si128(x, flip), _mm_xor_si128(_mm_set1_epi8(0x20), flip))
        };
        _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(quote, backslash), low)) as u32
    }
}

/// The same, a byte at a time, where SSE2 is not there.
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline(always)]
fn stops<const NON_ASCII: bool>(chunk: &[u8; STEP]) -> u32 {
    chunk.iter().enumerate().fold(0, |m, (k, &c)| m | (is_stop::<NON_ASCII>(c) as u32) << k)
}

/// Whether `byte` ends a run.
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline(always)]
fn is_stop<const NON_ASCII: bool>(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\' || (NON_ASCII && byte >= 0x80)
}

/// The stops among the bytes from `from` to the next `STEP` or the end of
/// `b`, bit 0 for `from` (no bit past the end): `None` when `from` is at or
/// past the end. Whole steps are read in place; near the end the last
/// `STEP` bytes are read and shifted (in a slice shorter than a step, a
/// padded copy).
#[inline(always)]
pub fn stops_at<const NON_ASCII: bool>(b: &[u8], from: usize) -> Option<u32> {
    if from < b.len() {
        if b.len() - from >= STEP {
            return Some(stops::<NON_ASCII>(b[from..].first_chunk::<STEP>()?));
        }
        if let Some(last) = b.last_chunk::<STEP>() {
            return Some(stops::<NON_ASCII>(last) >> (from - (b.len() - STEP)));
        }
        return Some(stops_short::<NON_ASCII>(b, from));
    }
    None
}

/// [`stops_at`] in a slice shorter than a step.
#[inline(never)]
fn stops_short<const NON_ASCII: bool>(b: &[u8], from: usize) -> u32 {
    // Padding that is no stop, masked off anyway.
    let mut chunk = [b' '; STEP];
    chunk[..b.len() - from].copy_from_slice(&b[from..]);
    stops::<NON_ASCII>(&chunk) & ((1 << (b.len() - from)) - 1)
}

/// The position of the first stop at or after `from` (a byte of 0x80 or
/// above is one if `NON_ASCII`), or `b.len()`.
#[inline]
pub fn end<const NON_ASCII: bool>(b: &[u8], mut from: usize) -> usize {
    loop {
        match stops_at::<NON_ASCII>(b, from) {
            Some(0) => from += STEP,
            Some(found) => return from + found.trailing_zeros() as usize,
            None => return from.min(b.len()),
        }
    }
}

/// The contents of a scanned string (between its quotes) with its short
/// escapes decoded. `None` for an escape the scanner does not accept.
pub fn unescape(inner: &[u8]) -> Option<Vec<u8>> {
    // Each step stores sixteen bytes whole at `o` (never past `i`, as an
    // escape only shortens) and keeps those before the first backslash:
    // room for one more step beyond the input's length.
    let mut out = vec![0u8; inner.len() + STEP];
    let (mut i, mut o) = (0, 0);
    while i < inner.len() {
        let (chunk, backslashes) = match inner.get(i..).and_then(<[u8]>::first_chunk::<STEP>) {
            Some(chunk) => (*chunk, backslashes(chunk)),
            None => {
                let mut chunk = [0u8; STEP];
                chunk[..inner.len() - i].copy_from_slice(&inner[i..]);
                (chunk, backslashes(&chunk))
            }
        };
        out[o..o + STEP].copy_from_slice(&chunk);
        if backslashes == 0 {
            let n = STEP.min(inner.len() - i);
            i += n;
            o += n;
            continue;
        }
        let k = backslashes.trailing_zeros() as usize;
        out[o + k] = short_escape(*inner.get(i + k + 1)?)?;
        i += k + 2;
        o += k + 1;
    }
    out.truncate(o);
    Some(out)
}

/// What the short escape `\c` stands for; `None` if `c` makes none
/// (`\u` included: the scanner leaves those to serde_json).
#[inline(always)]
pub fn short_escape(c: u8) -> Option<u8> {
    match SHORT_ESCAPES[c as usize] {
        0 => None,
        decoded => Some(decoded),
    }
}

/// [`short_escape`] as a table (0: none; no escape stands for a NUL).
static SHORT_ESCAPES: [u8; 256] = {
    let mut t = [0u8; 256];
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t[b'/' as usize] = b'/';
    t[b'b' as usize] = 0x08;
    t[b'f' as usize] = 0x0c;
    t[b'n' as usize] = b'\n';
    t[b'r' as usize] = b'\r';
    t[b't' as usize] = b'\t';
    t
};

/// The backslashes among the sixteen bytes of `chunk`, one bit each.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(always)]
fn backslashes(chunk: &[u8; STEP]) -> u32 {
    use std::arch::x86_64::{_mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8};
    // SAFETY: as in `stops`.
    unsafe {
        let x = _mm_loadu_si128(chunk.as_ptr().cast());
        _mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8(b'\\' as i8))) as u32
    }
}

#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline(always)]
fn backslashes(chunk: &[u8; STEP]) -> u32 {
    chunk.iter().enumerate().fold(0, |m, (k, &c)| m | ((c == b'\\') as u32) << k)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The plain definition: byte by byte.
    fn end_bytewise(b: &[u8], from: usize, non_ascii: bool) -> usize {
        let stop = |c: u8| c < 0x20 || c == b'"' || c == b'\\' || (non_ascii && c >= 0x80);
        (from..b.len()).find(|&j| stop(b[j])).unwrap_or(b.len().max(from))
    }

    #[test]
    fn finds_each_stop_at_each_place() {
        for stop in (0u8..0x20).chain([b'"', b'\\']) {
            for len in 0..40 {
                for at in 0..len {
                    let mut b = vec![b'a'; len];
                    b[at] = stop;
                    for from in 0..=at {
                        assert_eq!(end::<false>(&b, from), at, "stop {stop:#x} at {at} of {len}, from {from}");
                        assert_eq!(end::<true>(&b, from), at, "stop {stop:#x} at {at} of {len}, from {from}");
                    }
                    assert_eq!(end::<false>(&b, at + 1), len);
                    assert_eq!(end::<true>(&b, at + 1), len);
                }
            }
        }
    }

    #[test]
    fn passes_over_everything_else() {
        let plain: Vec<u8> = (0x20u8..=0xff).filter(|&c| c != b'"' && c != b'\\').collect();
        assert_eq!(end::<false>(&plain, 0), plain.len());
        assert_eq!(end::<true>(&plain, 0), plain.iter().position(|&c| c >= 0x80).expect("non-ASCII"));
        assert_eq!(end::<true>(b"", 0), 0);
    }

    /// The plain definition of [`unescape`]: a byte at a time.
    fn unescape_bytewise(inner: &[u8]) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        let mut bytes = inner.iter();
        while let Some(&c) = bytes.next() {
            out.push(if c != b'\\' {
                c
            } else {
                match *bytes.next()? {
                    b'"' => b'"',
                    b'\\' => b'\\',
                    b'/' => b'/',
                    b'b' => 0x08,
                    b'f' => 0x0c,
                    b'n' => b'\n',
                    b'r' => b'\r',
                    b't' => b'\t',
                    _ => return None,
                }
            });
        }
        Some(out)
    }

    #[test]
    fn unescapes_at_each_place() {
        for len in 0..40 {
            for at in 0..len {
                for escape in [&b"\\n"[..], b"\\\\", b"\\\"", b"\\u", b"\\"] {
                    let mut b = vec![b'a'; len];
                    b.splice(at..at, escape.iter().copied());
                    assert_eq!(unescape(&b), unescape_bytewise(&b), "{:?}", String::from_utf8_lossy(&b));
                }
            }
        }
        assert_eq!(unescape(br#"a\"b\\c\/d\b\f\n\r\t"#).as_deref(), Some(&b"a\"b\\c/d\x08\x0c\n\r\t"[..]));
    }

    proptest! {
        #[test]
        fn unescape_agrees_with_the_bytewise_one(
            b in proptest::collection::vec(prop_oneof![Just(b'\\'), Just(b'"'), Just(b'n'), Just(b'u'), Just(b'a'), Just(0xc3), any::<u8>()], 0..80),
        ) {
            prop_assert_eq!(unescape(&b), unescape_bytewise(&b));
        }

        #[test]
        fn agrees_with_the_bytewise_scan(
            b in proptest::collection::vec(prop_oneof![Just(b'"'), Just(b'\\'), Just(0u8), Just(0x1f), Just(0x20), Just(0x7f), Just(0x80), Just(0xff), any::<u8>()], 0..80),
            from in 0usize..80,
        ) {
            let from = from.min(b.len());
            prop_assert_eq!(end::<false>(&b, from), end_bytewise(&b, from, false));
            prop_assert_eq!(end::<true>(&b, from), end_bytewise(&b, from, true));
        }
    }
}

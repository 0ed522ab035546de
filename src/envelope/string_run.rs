//! Where a plain run inside a JSON string ends: the first `"`, `\`,
//! control byte (below 0x20) or, if asked, non-ASCII byte, found eight
//! bytes at a time. The scanner's inner loop.

/// Bytes that end a plain run: `"`, `\` and control bytes.
static STOP: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = true;
        i += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
};

const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
const HIGH_BITS: u64 = u64::from_ne_bytes([0x80; 8]);

/// The high bit of each byte of `word` that is below `n` (`n` ≤ 0x80).
/// Exact for the lowest such byte; a byte above it may be marked too
/// (a borrow), which the callers never look at.
#[inline(always)]
fn below(word: u64, n: u8) -> u64 {
    word.wrapping_sub(ONES * n as u64) & !word & HIGH_BITS
}

/// The high bit of each byte of `word` equal to `byte`, exact for the
/// lowest one (as [`below`]).
#[inline(always)]
fn equal(word: u64, byte: u8) -> u64 {
    below(word ^ (ONES * byte as u64), 1)
}

/// The stops in `word` (bytes in memory order), exact for the first.
#[inline(always)]
fn stops<const NON_ASCII: bool>(word: u64) -> u64 {
    let found = below(word, 0x20) | equal(word, b'"') | equal(word, b'\\');
    if NON_ASCII { found | (word & HIGH_BITS) } else { found }
}

/// Whether `byte` ends a run.
#[inline(always)]
fn is_stop<const NON_ASCII: bool>(byte: u8) -> bool {
    STOP[byte as usize] || (NON_ASCII && byte >= 0x80)
}

/// The first stop (`"`, `\`, control or non-ASCII) among the eight bytes
/// from `from`, if there are eight and one is a stop: the short string's
/// case, with no loop.
#[inline(always)]
pub fn first_stop_within_8(b: &[u8], from: usize) -> Option<usize> {
    let chunk = b.get(from..)?.first_chunk::<8>()?;
    let found = stops::<true>(u64::from_le_bytes(*chunk));
    (found != 0).then(|| from + (found.trailing_zeros() / 8) as usize)
}

/// The position of the first stop at or after `from` (a byte of 0x80 or
/// above is one if `NON_ASCII`), or `b.len()`.
#[inline]
pub fn end<const NON_ASCII: bool>(b: &[u8], mut from: usize) -> usize {
    while let Some(chunk) = b.get(from..).and_then(<[u8]>::first_chunk::<8>) {
        // Little-endian, so that the lowest bit is the first byte.
        let found = stops::<NON_ASCII>(u64::from_le_bytes(*chunk));
        if found != 0 {
            return from + (found.trailing_zeros() / 8) as usize;
        }
        from += 8;
    }
    while from < b.len() && !is_stop::<NON_ASCII>(b[from]) {
        from += 1;
    }
    from.min(b.len())
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
            for len in 0..20 {
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
    fn the_first_word_alone() {
        assert_eq!(first_stop_within_8(b"abc\"defgh", 0), Some(3));
        assert_eq!(first_stop_within_8(b"abcdefgh\"", 0), None);
        assert_eq!(first_stop_within_8(b"ab\xc3\xa9\"xyzw", 1), Some(2));
        assert_eq!(first_stop_within_8(b"ab\"", 0), None, "fewer than eight bytes");
    }

    #[test]
    fn passes_over_everything_else() {
        let plain: Vec<u8> = (0x20u8..=0xff).filter(|&c| c != b'"' && c != b'\\').collect();
        assert_eq!(end::<false>(&plain, 0), plain.len());
        assert_eq!(end::<true>(&plain, 0), plain.iter().position(|&c| c >= 0x80).expect("non-ASCII"));
        assert_eq!(end::<true>(b"", 0), 0);
    }

    proptest! {
        #[test]
        fn agrees_with_the_bytewise_scan(
            b in proptest::collection::vec(prop_oneof![Just(b'"'), Just(b'\\'), Just(0u8), Just(0x1f), Just(0x20), Just(0x7f), Just(0x80), Just(0xff), any::<u8>()], 0..40),
            from in 0usize..40,
        ) {
            let from = from.min(b.len());
            prop_assert_eq!(end::<false>(&b, from), end_bytewise(&b, from, false));
            prop_assert_eq!(end::<true>(&b, from), end_bytewise(&b, from, true));
            let within = end_bytewise(&b, from, true);
            let expected = (b.len() >= from + 8 && within < from + 8).then_some(within);
            prop_assert_eq!(first_stop_within_8(&b, from), expected);
        }
    }
}

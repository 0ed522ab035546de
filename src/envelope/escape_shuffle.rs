//! [`escape`](super::escape) on x86-64 CPUs with SSSE3 (asked at run time;
//! all but the oldest have it): each sixteen bytes are classified at once,
//! and each eight of them holding a `"` or `\` are widened by one byte
//! shuffle, its pattern looked up by which of them to escape, instead of a
//! store per escape. The last 1 to 15 bytes are one piece padded with
//! spaces (nothing to escape), so a string is a few pieces and no byte
//! loop.

use std::arch::x86_64::{
    __m128i, _mm_and_si128, _mm_cmpeq_epi8, _mm_cmplt_epi8, _mm_loadu_si128, _mm_max_epu8, _mm_movemask_epi8,
    _mm_or_si128, _mm_set_epi64x, _mm_set1_epi8, _mm_setzero_si128, _mm_shuffle_epi8, _mm_srli_si128, _mm_storeu_si128,
};

use super::escape::{escape_bytes, padded_word};

/// Eight spaces: the padding of the last piece.
const SPACES: u64 = 0x2020_2020_2020_2020;

/// [`write_quoted`](super::escape::write_quoted), a piece at a time.
///
/// # Safety
/// The CPU must have SSSE3, and `p` be valid for writes of
/// [`room_for`](super::escape::room_for)`(bytes.len())` bytes.
#[target_feature(enable = "ssse3")]
pub unsafe fn write_quoted(bytes: &[u8], utf8: bool, p: *mut u8) -> Option<*mut u8> {
    // SAFETY: a piece of `count` bytes starting at input position `i`
    // starts at most `1 + 6i` bytes after `p` (each byte becomes at most
    // 6) and [`escape_piece`] stores no further than 32 bytes past that
    // (or `6 * count`), within `room_for(n)` (`6n + 2 + 32`, `i + count <=
    // n`); the closing quote goes at most `1 + 6n` bytes in.
    unsafe {
        p.write(b'"');
        let mut p = p.add(1);
        let (chunks, rest) = bytes.as_chunks::<16>();
        let mut high_bits = _mm_setzero_si128();
        for chunk in chunks {
            let piece = _mm_loadu_si128(chunk.as_ptr().cast::<__m128i>());
            high_bits = _mm_or_si128(high_bits, piece);
            p = escape_piece(piece, chunk, p);
        }
        if !rest.is_empty() {
            let (low, high) = match rest.split_first_chunk::<8>() {
                None => (padded_word(rest), SPACES),
                Some((first, [])) => (u64::from_le_bytes(*first), SPACES),
                Some((first, after)) => (u64::from_le_bytes(*first), padded_word(after)),
            };
            let piece = _mm_set_epi64x(high as i64, low as i64);
            high_bits = _mm_or_si128(high_bits, piece);
            p = escape_piece(piece, rest, p);
        }
        if !utf8 && _mm_movemask_epi8(high_bits) != 0 && std::str::from_utf8(bytes).is_err() {
            return None;
        }
        p.write(b'"');
        Some(p.add(1))
    }
}

/// Writes `bytes` (1 to 16), held in `piece` (padded with spaces), escaped
/// at `p`; returns where they end. Bytes after them, up to 32 past `p` in
/// all, may be written too.
///
/// # Safety
/// `p` must have room for `max(32, 6 * bytes.len())` bytes.
#[target_feature(enable = "ssse3")]
#[inline]
unsafe fn escape_piece(piece: __m128i, bytes: &[u8], p: *mut u8) -> *mut u8 {
    let quotes = _mm_or_si128(
        _mm_cmpeq_epi8(piece, _mm_set1_epi8(b'"' as i8)),
        _mm_cmpeq_epi8(piece, _mm_set1_epi8(b'\\' as i8)),
    );
    // A byte at most 0x1f is the larger of itself and 0x1f.
    let last_control = _mm_set1_epi8(0x1f);
    let controls = _mm_cmpeq_epi8(_mm_max_epu8(piece, last_control), last_control);
    let escapes = _mm_movemask_epi8(_mm_or_si128(quotes, controls)) as u32;
    // SAFETY: 16 bytes stored at `p`; or each half widened to at most 16
    // bytes, the second stored where the first ends (at most 16 in); or
    // `escape_bytes`, at most 6 bytes a byte. The padding is spaces, which
    // stay one byte each, so the end less the padding is the bytes' end.
    unsafe {
        if escapes == 0 {
            _mm_storeu_si128(p.cast::<__m128i>(), piece);
            return p.add(bytes.len());
        }
        if _mm_movemask_epi8(controls) != 0 {
            return escape_bytes(bytes, p);
        }
        let middle = widen(piece, escapes & 0xff, p);
        widen(_mm_srli_si128::<8>(piece), escapes >> 8, middle).sub(16 - bytes.len())
    }
}

/// Stores the low eight bytes of `half` at `p` with a backslash before each
/// byte marked in `marks` (bit `i` for byte `i`); returns where they end.
///
/// # Safety
/// `p` must have room for 16 bytes.
#[target_feature(enable = "ssse3")]
#[inline]
unsafe fn widen(half: __m128i, marks: u32, p: *mut u8) -> *mut u8 {
    let at = (marks & 0xff) as usize;
    let pattern = WIDEN.get(at).copied().unwrap_or_default();
    let width = usize::from(WIDTH.get(at).copied().unwrap_or(8));
    // SAFETY: the pattern is 16 bytes read whole; 16 bytes stored at `p`.
    unsafe {
        let pattern = _mm_loadu_si128(pattern.as_ptr().cast::<__m128i>());
        // The shuffle gives 0 where the pattern's high bit is set: a backslash's place.
        let moved = _mm_shuffle_epi8(half, pattern);
        let backslashes = _mm_and_si128(_mm_cmplt_epi8(pattern, _mm_setzero_si128()), _mm_set1_epi8(b'\\' as i8));
        _mm_storeu_si128(p.cast::<__m128i>(), _mm_or_si128(moved, backslashes));
        p.add(width)
    }
}

/// For each set of marked bytes of eight, where each output byte comes
/// from: a byte's index, or 0x80 for a backslash (and past the end).
static WIDEN: [[u8; 16]; 256] = {
    let mut table = [[0x80u8; 16]; 256];
    let mut marks = 0;
    while marks < 256 {
        let (mut from, mut to) = (0, 0);
        while from < 8 {
            if marks >> from & 1 == 1 {
                to += 1;
            }
            table[marks][to] = from as u8;
            to += 1;
            from += 1;
        }
        marks += 1;
    }
    table
};

/// For each set of marked bytes of eight, how many bytes they become.
static WIDTH: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut marks = 0;
    while marks < 256 {
        table[marks] = 8 + (marks as u32).count_ones() as u8;
        marks += 1;
    }
    table
};

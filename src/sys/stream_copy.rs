//! Appending bytes to a buffer without reading its destination into the
//! cache first: whole 64-byte lines are written with non-temporal stores,
//! which go to memory through the write-combining buffers instead of each
//! fetching the line for ownership. Worth it where the destination is
//! written once, is not in the cache, and is read next by another thread
//! (a frame being filled among hundreds, read back by its append thread).

/// Appends `bytes` to `out`: the same result as `out.extend_from_slice(bytes)`.
/// Another thread may read what it wrote only after [`publish`].
pub fn extend_streaming(out: &mut Vec<u8>, bytes: &[u8]) {
    out.reserve(bytes.len());
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    {
        let start = out.len();
        // SAFETY: `reserve` made room for `bytes.len()` more bytes after
        // `start`; `copy` writes exactly those, then the length covers them.
        unsafe {
            copy(out.as_mut_ptr().add(start), bytes);
            out.set_len(start + bytes.len());
        }
    }
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
    out.extend_from_slice(bytes);
}

/// Orders the non-temporal stores made so far before the stores that follow
/// (the hand-over of the buffer to another thread).
pub fn publish() {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    // SAFETY: a fence has no operands and no preconditions.
    unsafe {
        std::arch::x86_64::_mm_sfence()
    };
}

const LINE: usize = 64;

/// # Safety
/// `dst` must be valid for `src.len()` bytes of writes and not overlap `src`.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
unsafe fn copy(dst: *mut u8, src: &[u8]) {
    use std::arch::x86_64::{__m128i, _mm_loadu_si128, _mm_stream_si128};
    let len = src.len();
    let head = (dst.align_offset(LINE)).min(len);
    let lines = (len - head) / LINE;
    // SAFETY (all below): offsets stay within `len`, the caller's bound.
    unsafe {
        std::ptr::copy_nonoverlapping(src.as_ptr(), dst, head);
        let mut s = src.as_ptr().add(head);
        let mut d = dst.add(head);
        for _ in 0..lines {
            let a = _mm_loadu_si128(s as *const __m128i);
            let b = _mm_loadu_si128(s.add(16) as *const __m128i);
            let c = _mm_loadu_si128(s.add(32) as *const __m128i);
            let e = _mm_loadu_si128(s.add(48) as *const __m128i);
            _mm_stream_si128(d as *mut __m128i, a);
            _mm_stream_si128(d.add(16) as *mut __m128i, b);
            _mm_stream_si128(d.add(32) as *mut __m128i, c);
            _mm_stream_si128(d.add(48) as *mut __m128i, e);
            s = s.add(LINE);
            d = d.add(LINE);
        }
        std::ptr::copy_nonoverlapping(s, d, len - head - lines * LINE);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streaming_appends_the_same_bytes_as_extend_at_every_alignment_and_length() {
        let src: Vec<u8> = (0..600u32).map(|i| (i * 7 + 3) as u8).collect();
        for prefix in 0..70 {
            for len in [0, 1, 15, 63, 64, 65, 127, 128, 129, 200, 511, 600] {
                let mut expected = vec![9u8; prefix];
                expected.extend_from_slice(&src[..len]);
                let mut out = vec![9u8; prefix];
                extend_streaming(&mut out, &src[..len]);
                publish();
                assert_eq!(out, expected, "prefix {prefix}, len {len}");
            }
        }
    }
}

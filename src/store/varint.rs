//! LEB128 variable-length integers (and zigzag for signed values), as used
//! inside frames for record fields. Kafka's record format uses the same scheme.

/// Appends `value` as an unsigned LEB128 varint.
#[inline]
pub fn put_u64(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Appends `value` zigzag-encoded, so small negative numbers stay short.
#[inline]
pub fn put_i64(out: &mut Vec<u8>, value: i64) {
    put_u64(out, zigzag(value));
}

/// How many bytes `put_u64(value)` writes.
#[inline]
pub fn len_u64(value: u64) -> usize {
    let bits = 64 - (value | 1).leading_zeros() as usize;
    bits.div_ceil(7)
}

/// How many bytes `put_i64(value)` writes.
#[inline]
pub fn len_i64(value: i64) -> usize {
    len_u64(zigzag(value))
}

#[inline]
fn zigzag(value: i64) -> u64 {
    ((value << 1) ^ (value >> 63)) as u64
}

/// Reads an unsigned varint at `*pos`, advancing it. `None` if the bytes end
/// early or the number does not fit in 64 bits. A record's lengths, deltas
/// and counts are mostly below 128: one byte, read without the loop.
#[inline(always)]
pub fn get_u64(buf: &[u8], pos: &mut usize) -> Option<u64> {
    let first = *buf.get(*pos)?;
    if first < 0x80 {
        *pos += 1;
        return Some(u64::from(first));
    }
    get_u64_long(buf, pos)
}

/// [`get_u64`] of a varint of two bytes or more.
#[inline(never)]
fn get_u64_long(buf: &[u8], pos: &mut usize) -> Option<u64> {
    let mut result: u64 = 0;
    let mut shift = 0u32;
    loop {
        let byte = *buf.get(*pos)?;
        *pos += 1;
        if shift == 63 && byte > 1 {
            return None;
        }
        result |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(result);
        }
        shift += 7;
        if shift > 63 {
            return None;
        }
    }
}

/// Reads a zigzag-encoded signed varint at `*pos`, advancing it.
#[inline]
pub fn get_i64(buf: &[u8], pos: &mut usize) -> Option<i64> {
    let raw = get_u64(buf, pos)?;
    Some(((raw >> 1) as i64) ^ -((raw & 1) as i64))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_encodings() {
        let mut out = Vec::new();
        put_u64(&mut out, 300);
        assert_eq!(out, [0xac, 0x02]);
        out.clear();
        put_i64(&mut out, -1);
        assert_eq!(out, [0x01]);
        out.clear();
        put_i64(&mut out, 1);
        assert_eq!(out, [0x02]);
    }

    #[test]
    fn one_byte_and_longer_varints_read_in_turn() {
        let bytes = [0x05, 0xac, 0x02, 0x7f, 0x01];
        let mut pos = 0;
        let read: Vec<_> = std::iter::from_fn(|| get_u64(&bytes, &mut pos)).collect();
        assert_eq!(read, [5, 300, 127, 1]);
        assert_eq!(pos, bytes.len());
        assert_eq!(get_u64(&bytes, &mut pos), None, "nothing past the end");
        assert_eq!(get_i64(&[0x03], &mut 0), Some(-2));
    }

    #[test]
    fn truncated_and_overlong_inputs_are_rejected() {
        assert_eq!(get_u64(&[0x80], &mut 0), None);
        assert_eq!(get_u64(&[0xff; 11], &mut 0), None);
    }

    proptest! {
        #[test]
        fn unsigned_round_trip(v: u64) {
            let mut out = Vec::new();
            put_u64(&mut out, v);
            prop_assert_eq!(out.len(), len_u64(v));
            let mut pos = 0;
            prop_assert_eq!(get_u64(&out, &mut pos), Some(v));
            prop_assert_eq!(pos, out.len());
        }

        #[test]
        fn signed_round_trip(v: i64) {
            let mut out = Vec::new();
            put_i64(&mut out, v);
            prop_assert_eq!(out.len(), len_i64(v));
            let mut pos = 0;
            prop_assert_eq!(get_i64(&out, &mut pos), Some(v));
        }

        #[test]
        fn decoding_garbage_never_panics(bytes: Vec<u8>) {
            let mut pos = 0;
            let _ = get_u64(&bytes, &mut pos);
        }
    }
}

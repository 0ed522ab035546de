//! Decoding a verified frame's records: [`Frame`], [`Records`],
//! [`Record`] and its lazily decoded [`Headers`].

use super::header::{FrameHeader, HEADER_LEN};
use crate::store::varint;

/// A verified frame, borrowed from a buffer.
#[derive(Debug, Clone, Copy)]
pub struct Frame<'a> {
    pub header: FrameHeader,
    pub bytes: &'a [u8],
}

impl<'a> Frame<'a> {
    /// Wraps a frame already checked by [`check_frame`](crate::store::check_frame).
    pub fn new(header: FrameHeader, bytes: &'a [u8]) -> Self {
        Frame { header, bytes: &bytes[..header.frame_len as usize] }
    }

    pub fn records(&self) -> Records<'a> {
        Records {
            buf: self.bytes,
            pos: HEADER_LEN,
            remaining: self.header.record_count,
            base_offset: self.header.base_offset,
            first_timestamp: self.header.first_timestamp,
            append_time: self.header.log_append_time().then_some(self.header.max_timestamp),
        }
    }
}

/// One decoded record, borrowed from its frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record<'a> {
    pub offset: u64,
    pub timestamp: i64,
    pub key: Option<&'a [u8]>,
    pub value: Option<&'a [u8]>,
    pub headers: Headers<'a>,
}

/// A record's headers, decoded lazily.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Headers<'a> {
    raw: &'a [u8],
    count: u32,
}

impl<'a> Headers<'a> {
    /// Headers already encoded by [`encode_headers`](crate::store::encode_headers),
    /// for records that come from elsewhere (a Kafka fetch).
    pub fn from_encoded(raw: &'a [u8], count: u32) -> Headers<'a> {
        Headers { raw, count }
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    pub fn len(&self) -> usize {
        self.count as usize
    }

    /// The encoded form, as [`RecordParts::headers`](crate::store::RecordParts::headers) takes it.
    pub fn raw(&self) -> (&'a [u8], u32) {
        (self.raw, self.count)
    }

    pub fn iter(&self) -> HeaderIter<'a> {
        header_pairs(self.raw, self.count)
    }
}

/// The `(key, value)` pairs of `count` headers in their encoded form.
pub fn header_pairs(raw: &[u8], count: u32) -> HeaderIter<'_> {
    HeaderIter { raw, pos: 0, remaining: count }
}

/// Iterator over `(key, value)` header pairs.
pub struct HeaderIter<'a> {
    raw: &'a [u8],
    pos: usize,
    remaining: u32,
}

impl<'a> Iterator for HeaderIter<'a> {
    type Item = (&'a [u8], Option<&'a [u8]>);

    fn next(&mut self) -> Option<Self::Item> {
        if self.remaining == 0 {
            return None;
        }
        self.remaining -= 1;
        let key_len = varint::get_u64(self.raw, &mut self.pos)? as usize;
        let key = take(self.raw, &mut self.pos, key_len)?;
        let value = get_bytes(self.raw, &mut self.pos)?;
        Some((key, value))
    }
}

#[inline]
fn take<'a>(buf: &'a [u8], pos: &mut usize, len: usize) -> Option<&'a [u8]> {
    let end = pos.checked_add(len)?;
    let out = buf.get(*pos..end)?;
    *pos = end;
    Some(out)
}

#[inline]
fn get_bytes<'a>(buf: &'a [u8], pos: &mut usize) -> Option<Option<&'a [u8]>> {
    let len = varint::get_i64(buf, pos)?;
    if len == -1 {
        return Some(None);
    }
    let len = usize::try_from(len).ok()?;
    take(buf, pos, len).map(Some)
}

/// Iterator over the records of a frame. Yields `Err` once, then stops, if
/// the record area is malformed (possible only with a colliding checksum or
/// a bug, since frames are verified first).
pub struct Records<'a> {
    buf: &'a [u8],
    pos: usize,
    remaining: u32,
    base_offset: u64,
    first_timestamp: i64,
    /// Every record's timestamp, when the frame carries the append time.
    append_time: Option<i64>,
}

/// A record inside a verified frame did not decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MalformedRecord {
    pub position_in_frame: usize,
}

impl<'a> Records<'a> {
    fn decode(&mut self) -> Option<Record<'a>> {
        let buf = self.buf;
        let len = varint::get_u64(buf, &mut self.pos)? as usize;
        let end = self.pos.checked_add(len)?;
        let body = buf.get(..end)?;
        let pos = &mut self.pos;
        let offset_delta = varint::get_u64(body, pos)?;
        let ts_delta = varint::get_i64(body, pos)?;
        let key = get_bytes(body, pos)?;
        let value = get_bytes(body, pos)?;
        let header_count = u32::try_from(varint::get_u64(body, pos)?).ok()?;
        let raw = body.get(*pos..end)?;
        *pos = end;
        Some(Record {
            offset: self.base_offset.checked_add(offset_delta)?,
            timestamp: self.append_time.unwrap_or(self.first_timestamp.wrapping_add(ts_delta)),
            key,
            value,
            headers: Headers { raw, count: header_count },
        })
    }
}

impl<'a> Iterator for Records<'a> {
    type Item = Result<Record<'a>, MalformedRecord>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.remaining == 0 {
            return None;
        }
        let start = self.pos;
        match self.decode() {
            Some(record) => {
                self.remaining -= 1;
                Some(Ok(record))
            }
            None => {
                self.remaining = 0;
                Some(Err(MalformedRecord { position_in_frame: start }))
            }
        }
    }
}

//! The frame: the unit of append, checksum and atomicity in a segment.
//!
//! A frame is a batch of records with a fixed 48-byte header (all integers
//! little-endian; see ARCHITECTURE.md for the byte-by-byte layout):
//!
//! ```text
//!  0 u64 base_offset        offset of the first record
//!  8 u32 frame_len          whole frame, header included
//! 12 u32 crc32c             over bytes [0,12) and [16,frame_len)
//! 16 u8  magic              format version (FORMAT_VERSION)
//! 17 u8  attributes         0x40 delete horizon (KIP-534), 0x08 log append time; no compression
//! 18 u16 reserved           0
//! 20 u32 leader_epoch       epoch of the leader that appended the frame
//! 24 u32 record_count
//! 28 u32 last_offset_delta  last record's offset - base_offset
//! 32 i64 first_timestamp    ms since the Unix epoch
//! 40 i64 max_timestamp
//! 48 ... records
//! ```
//!
//! Each record: `varint len` (bytes that follow), `varint offset_delta`,
//! `zigzag timestamp_delta` (from first_timestamp), `zigzag key_len` (-1 =
//! null), key, `zigzag value_len` (-1 = null), value, `varint header_count`,
//! then per header `varint key_len`, key, `zigzag value_len`, value.
//!
//! [`FrameBuilder`] encodes (it never decodes, `encode.rs`); [`check_frame`]
//! checks a header and checksum (`header.rs`); [`Frame`] decodes records
//! (`decode.rs`).

mod decode;
mod encode;
mod header;

pub use decode::{Frame, HeaderIter, Headers, MalformedRecord, Record, Records};
pub use encode::{
    FrameBuilder, Measured, RecordParts, encode_headers, kafka_batch_size, kafka_batch_size_bound, record_len,
};
pub use header::{
    Damage, FORMAT_VERSION, FrameCheck, FrameHeader, HEADER_LEN, MAX_FRAME_LEN, check_frame, frame_crc, peek_header,
};

#[cfg(test)]
mod tests;

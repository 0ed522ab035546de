//! Kafka's RecordBatch v2 at the edge of `serve`: `decode` reads a
//! producer's batches (every compression codec, decompressed within a bound
//! by `decompress`) into runnel's record parts, `validate` judges them as a
//! Kafka broker does; `encode` turns a runnel frame
//! into one batch for Fetch, with Kafka's CRC32C. Records are walked here,
//! not through `kafka-protocol`'s `Record` type: that keeps headers as a
//! map (a repeated header key would be lost) and copies every field.

pub mod decode;
pub mod decompress;
pub mod encode;
pub mod validate;
mod varint;

/// Kafka's batch header: 61 bytes before the records.
pub const BATCH_HEADER_LEN: usize = 61;
/// The attributes' compression bits.
pub const COMPRESSION_MASK: i16 = 0x07;
/// The attributes' timestamp-type bit (LogAppendTime).
pub const LOG_APPEND_TIME: i16 = 0x08;
/// The attributes' transactional bit.
pub const TRANSACTIONAL: i16 = 0x10;
/// The attributes' control-batch bit.
pub const CONTROL: i16 = 0x20;
/// The attributes' delete-horizon bit (KIP-534).
pub const DELETE_HORIZON: i16 = 0x40;

//! Bounded decompression of a produced batch's record area (gzip, snappy,
//! lz4, zstd): a compressed area never expands past [`MAX_DECOMPRESSED_BYTES`],
//! so a decompression bomb costs one partition's error, not the server's
//! memory. Streaming codecs are read through a `take` of the limit; snappy's
//! declared block lengths are checked against what is left of the limit
//! before anything is allocated.

use std::io::Read;

use bytes::Bytes;
use kafka_protocol::ResponseError;

/// The most one batch's records may take once decompressed (64 MiB): far
/// above what a client's `batch.size` / `max.request.size` produce, far
/// below what would hurt the server.
pub const MAX_DECOMPRESSED_BYTES: usize = 64 * 1024 * 1024;

/// Kafka's framing of snappy blocks (snappy-java's `SnappyOutputStream`).
const SNAPPY_JAVA_MAGIC: &[u8; 8] = b"\x82SNAPPY\x00";
const SNAPPY_JAVA_HEADER_LEN: usize = 16;

/// The record area of a batch with compression `codec`, decompressed into at
/// most `limit` bytes: CORRUPT_MESSAGE when it does not decode,
/// RECORD_LIST_TOO_LARGE when it would grow past `limit`,
/// UNSUPPORTED_COMPRESSION_TYPE for an unknown codec.
pub fn decompress(codec: i16, area: Bytes, limit: usize) -> Result<Bytes, ResponseError> {
    match codec {
        0 => Ok(area),
        1 => read_bounded(flate2::read::GzDecoder::new(&area[..]), limit),
        2 => snappy(&area, limit),
        3 => {
            let decoder = lz4::Decoder::new(&area[..]).map_err(|_| ResponseError::CorruptMessage)?;
            read_bounded(decoder, limit)
        }
        4 => {
            let decoder = zstd::stream::read::Decoder::new(&area[..]).map_err(|_| ResponseError::CorruptMessage)?;
            read_bounded(decoder, limit)
        }
        _ => Err(ResponseError::UnsupportedCompressionType),
    }
}

/// Reads `reader` to its end, refusing to hold more than `limit` bytes.
fn read_bounded(reader: impl Read, limit: usize) -> Result<Bytes, ResponseError> {
    let mut out = Vec::new();
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    reader.take(cap).read_to_end(&mut out).map_err(|_| ResponseError::CorruptMessage)?;
    if out.len() > limit {
        return Err(ResponseError::RecordListTooLarge);
    }
    Ok(Bytes::from(out))
}

/// Snappy as Kafka writes it (snappy-java's framing: a 16-byte header, then
/// blocks each prefixed by its big-endian length), or a raw snappy block as
/// snappy-java also reads.
fn snappy(area: &[u8], limit: usize) -> Result<Bytes, ResponseError> {
    let corrupt = ResponseError::CorruptMessage;
    let mut out = Vec::new();
    if area.len() < SNAPPY_JAVA_HEADER_LEN || &area[..SNAPPY_JAVA_MAGIC.len()] != SNAPPY_JAVA_MAGIC {
        snappy_block(area, &mut out, limit)?;
        return Ok(Bytes::from(out));
    }
    let mut rest = &area[SNAPPY_JAVA_HEADER_LEN..];
    while !rest.is_empty() {
        let (len, tail) = rest.split_first_chunk::<4>().ok_or(corrupt)?;
        let len = u32::from_be_bytes(*len) as usize;
        let block = tail.get(..len).ok_or(corrupt)?;
        snappy_block(block, &mut out, limit)?;
        rest = &tail[len..];
    }
    Ok(Bytes::from(out))
}

/// Appends one raw snappy block to `out`, its declared length checked
/// against the limit before the space is taken.
fn snappy_block(block: &[u8], out: &mut Vec<u8>, limit: usize) -> Result<(), ResponseError> {
    let len = snap::raw::decompress_len(block).map_err(|_| ResponseError::CorruptMessage)?;
    let start = out.len();
    if len > limit - start {
        return Err(ResponseError::RecordListTooLarge);
    }
    out.resize(start + len, 0);
    let written =
        snap::raw::Decoder::new().decompress(block, &mut out[start..]).map_err(|_| ResponseError::CorruptMessage)?;
    out.truncate(start + written);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::BytesMut;
    use kafka_protocol::compression::{Compressor, Gzip, Lz4, Snappy, Zstd};

    fn compressed(codec: i16, data: &[u8]) -> Bytes {
        let mut out = BytesMut::new();
        let fill = |b: &mut BytesMut| -> anyhow::Result<()> {
            b.extend_from_slice(data);
            Ok(())
        };
        let done = match codec {
            1 => Gzip::compress(&mut out, fill),
            2 => Snappy::compress(&mut out, fill),
            3 => Lz4::compress(&mut out, fill),
            _ => Zstd::compress(&mut out, fill),
        };
        done.expect("compress");
        out.freeze()
    }

    #[test]
    fn every_codec_reads_back_what_kafka_protocol_wrote() {
        let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        for codec in 1..=4 {
            let back = decompress(codec, compressed(codec, &data), MAX_DECOMPRESSED_BYTES);
            assert_eq!(back.as_deref().ok(), Some(&data[..]), "codec {codec}");
        }
    }

    #[test]
    fn a_bomb_stops_at_the_limit_for_every_codec() {
        let zeros = vec![0u8; 4 * 1024 * 1024];
        for codec in 1..=4 {
            let area = compressed(codec, &zeros);
            assert!(area.len() < zeros.len() / 10, "codec {codec} compresses zeros");
            let got = decompress(codec, area, 1024 * 1024);
            assert_eq!(got.err(), Some(ResponseError::RecordListTooLarge), "codec {codec}");
        }
    }

    #[test]
    fn a_raw_snappy_block_declaring_a_huge_length_is_refused_before_allocating() {
        // varint 0xFFFFFFFF: a block claiming 4 GiB of output.
        let block = Bytes::from_static(&[0xff, 0xff, 0xff, 0xff, 0x0f, 0x00]);
        assert!(decompress(2, block, MAX_DECOMPRESSED_BYTES).is_err());
    }

    #[test]
    fn garbage_is_corrupt_and_unknown_codecs_unsupported() {
        for codec in [1, 3, 4] {
            let got = decompress(codec, Bytes::from_static(b"not compressed at all"), 1024);
            assert_eq!(got.err(), Some(ResponseError::CorruptMessage), "codec {codec}");
        }
        assert_eq!(decompress(5, Bytes::new(), 1024).err(), Some(ResponseError::UnsupportedCompressionType));
    }
}

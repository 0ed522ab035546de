//! The frame header: its layout constants, parsing, the plausibility
//! checks, the checksum, and [`check_frame`] / [`peek_header`], which tell
//! a whole frame from a cut or damaged one.

/// The on-disk format version written in every frame's `magic` byte.
pub const FORMAT_VERSION: u8 = 1;
/// Size of the fixed frame header.
pub const HEADER_LEN: usize = 48;
/// The `attributes` bit of a frame whose `first_timestamp` is its delete
/// horizon (Kafka's KIP-534, the same bit as Kafka's batch attribute): set
/// by the compaction that first keeps a tombstone of the frame, at that
/// pass's time plus `delete.retention.ms`. Its records' timestamp deltas are
/// then counted from the horizon, so their timestamps are unchanged.
pub const DELETE_HORIZON: u8 = 0x40;
/// The `attributes` bit of a frame whose records all carry the time it was
/// appended, its `max_timestamp` (Kafka's timestamp-type bit, for
/// `message.timestamp.type=LogAppendTime`).
pub const LOG_APPEND_TIME: u8 = 0x08;
/// Frames larger than this are never written and are treated as corrupt.
pub const MAX_FRAME_LEN: usize = 1 << 30;

/// CRC32C of a whole frame, skipping the checksum field itself.
pub fn frame_crc(frame: &[u8]) -> u32 {
    let crc = crc32c::crc32c(&frame[..12]);
    crc32c::crc32c_append(crc, &frame[16..])
}

/// The decoded fixed header of a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameHeader {
    pub base_offset: u64,
    pub frame_len: u32,
    pub crc: u32,
    pub magic: u8,
    pub attributes: u8,
    pub leader_epoch: u32,
    pub record_count: u32,
    pub last_offset_delta: u32,
    pub first_timestamp: i64,
    pub max_timestamp: i64,
}

impl FrameHeader {
    /// Parses a header from at least [`HEADER_LEN`] bytes (no validation).
    pub fn parse(bytes: &[u8]) -> Option<FrameHeader> {
        let h = bytes.get(..HEADER_LEN)?;
        let u32_at = |i: usize| u32::from_le_bytes([h[i], h[i + 1], h[i + 2], h[i + 3]]);
        let u64_at = |i: usize| {
            let mut b = [0u8; 8];
            b.copy_from_slice(&h[i..i + 8]);
            u64::from_le_bytes(b)
        };
        Some(FrameHeader {
            base_offset: u64_at(0),
            frame_len: u32_at(8),
            crc: u32_at(12),
            magic: h[16],
            attributes: h[17],
            leader_epoch: u32_at(20),
            record_count: u32_at(24),
            last_offset_delta: u32_at(28),
            first_timestamp: u64_at(32) as i64,
            max_timestamp: u64_at(40) as i64,
        })
    }

    /// The delete horizon compaction set on this frame, if any.
    pub fn delete_horizon(&self) -> Option<i64> {
        (self.attributes & DELETE_HORIZON != 0).then_some(self.first_timestamp)
    }

    /// Whether the records carry the append time (`max_timestamp`) rather
    /// than their own.
    pub fn log_append_time(&self) -> bool {
        self.attributes & LOG_APPEND_TIME != 0
    }

    /// Offset one past the frame's last record.
    pub fn next_offset(&self) -> u64 {
        self.base_offset + u64::from(self.last_offset_delta) + 1
    }

    pub fn last_offset(&self) -> u64 {
        self.base_offset + u64::from(self.last_offset_delta)
    }

    /// Whether the header's own fields are plausible (before the CRC check).
    pub fn is_plausible(&self) -> bool {
        let len = self.frame_len as usize;
        self.magic == FORMAT_VERSION
            && (HEADER_LEN..=MAX_FRAME_LEN).contains(&len)
            && self.record_count > 0
            && self.last_offset_delta >= self.record_count - 1
            && self.offsets_fit()
    }

    /// Whether the frame's offsets stay within Kafka's range (`i64`), so
    /// that [`FrameHeader::next_offset`] cannot overflow.
    fn offsets_fit(&self) -> bool {
        self.base_offset.checked_add(u64::from(self.last_offset_delta) + 1).is_some_and(|n| n <= i64::MAX as u64)
    }
}

/// What lies at the start of a byte slice taken from a segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameCheck {
    /// A whole frame whose checksum matches.
    Whole(FrameHeader),
    /// The bytes end before the frame does: `needed` bytes in all would hold it
    /// (or just the header, if even that is cut).
    Incomplete { needed: usize },
    /// The header is implausible or the checksum does not match.
    Invalid(Damage),
}

/// Why a frame was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Damage {
    BadHeader,
    BadChecksum { stored: u32, computed: u32 },
}

impl std::fmt::Display for Damage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Damage::BadHeader => write!(f, "frame header is not valid"),
            Damage::BadChecksum { stored, computed } => {
                write!(f, "frame checksum mismatch (stored {stored:#010x}, computed {computed:#010x})")
            }
        }
    }
}

/// Examines the frame at the start of `bytes`, verifying its checksum.
pub fn check_frame(bytes: &[u8]) -> FrameCheck {
    match peek_header(bytes) {
        Err(check) => check,
        Ok(header) => {
            let frame = &bytes[..header.frame_len as usize];
            let computed = frame_crc(frame);
            if computed == header.crc {
                FrameCheck::Whole(header)
            } else {
                FrameCheck::Invalid(Damage::BadChecksum { stored: header.crc, computed })
            }
        }
    }
}

/// Like [`check_frame`] but trusts the checksum: only the header is examined
/// and the frame's length checked against `bytes`. Used to walk headers.
pub fn peek_header(bytes: &[u8]) -> Result<FrameHeader, FrameCheck> {
    let Some(header) = FrameHeader::parse(bytes) else {
        return Err(FrameCheck::Incomplete { needed: HEADER_LEN });
    };
    if !header.is_plausible() {
        return Err(FrameCheck::Invalid(Damage::BadHeader));
    }
    let len = header.frame_len as usize;
    if bytes.len() < len {
        return Err(FrameCheck::Incomplete { needed: len });
    }
    Ok(header)
}

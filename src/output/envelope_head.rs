//! What the JSON envelopes of one partition's records start with, up to
//! their key: `{"topic":…,"partition":…,"offset":N,"timestamp":T,"key":`,
//! kept from one record to the next. The offset's digits are counted up in
//! place (the next record's offset is most often one more) and the
//! timestamp's rewritten only when it changes (a batch's records most
//! often share one), so neither is formatted again per record.

use crate::envelope::payload;

/// The start of a partition's envelopes, up to `"key":`, for the last
/// record asked about.
#[derive(Debug, Default)]
pub struct EnvelopeHead {
    /// The topic and partition `bytes` are for.
    topic: String,
    partition: u32,
    /// The head; empty until the first record.
    bytes: Vec<u8>,
    /// Where the offset's digits start and end in `bytes`.
    offset_at: usize,
    offset_end: usize,
    /// The offset and timestamp that `bytes` spell.
    offset: u64,
    timestamp: i64,
}

impl EnvelopeHead {
    /// The envelope's start, up to and with `"key":`, of the record at
    /// `offset` of `partition` of `topic` with `timestamp`.
    #[inline]
    pub fn of(&mut self, topic: &str, partition: u32, offset: u64, timestamp: i64) -> &[u8] {
        if self.bytes.is_empty() || self.partition != partition || self.topic != topic {
            self.restart(topic, partition);
            self.set_offset(offset, timestamp);
        } else if offset != self.offset && !(self.offset.checked_add(1) == Some(offset) && self.count_up()) {
            self.set_offset(offset, timestamp);
        } else if timestamp != self.timestamp {
            self.set_timestamp(timestamp);
        }
        &self.bytes
    }

    /// `{"topic":…,"partition":…,"offset":`, the part the partition fixes.
    fn restart(&mut self, topic: &str, partition: u32) {
        self.topic.clear();
        self.topic.push_str(topic);
        self.partition = partition;
        self.bytes.clear();
        write_start(topic, partition, &mut self.bytes);
        self.offset_at = self.bytes.len();
    }

    /// Adds one to the offset's digits, in place; `false` (the digits then
    /// meaning nothing) if the number gains a digit (all were nines).
    #[inline]
    fn count_up(&mut self) -> bool {
        let Some(digits) = self.bytes.get_mut(self.offset_at..self.offset_end) else {
            return false;
        };
        for digit in digits.iter_mut().rev() {
            if *digit != b'9' {
                *digit += 1;
                self.offset += 1;
                return true;
            }
            *digit = b'0';
        }
        false
    }

    /// The offset's digits and all after them.
    fn set_offset(&mut self, offset: u64, timestamp: i64) {
        self.bytes.truncate(self.offset_at);
        self.bytes.extend_from_slice(itoa::Buffer::new().format(offset).as_bytes());
        self.offset_end = self.bytes.len();
        self.offset = offset;
        self.set_timestamp(timestamp);
    }

    /// `,"timestamp":T,"key":` after the offset's digits.
    fn set_timestamp(&mut self, timestamp: i64) {
        self.bytes.truncate(self.offset_end);
        self.bytes.extend_from_slice(b",\"timestamp\":");
        self.bytes.extend_from_slice(itoa::Buffer::new().format(timestamp).as_bytes());
        self.bytes.extend_from_slice(b",\"key\":");
        self.timestamp = timestamp;
    }
}

/// `{"topic":…,"partition":…,"offset":`
pub fn write_start(topic: &str, partition: u32, out: &mut Vec<u8>) {
    out.extend_from_slice(b"{\"topic\":");
    payload::write_json_string(topic, out);
    out.extend_from_slice(b",\"partition\":");
    out.extend_from_slice(itoa::Buffer::new().format(partition).as_bytes());
    out.extend_from_slice(b",\"offset\":");
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The head formatted from scratch.
    fn fresh(topic: &str, partition: u32, offset: u64, timestamp: i64) -> Vec<u8> {
        let mut out = Vec::new();
        write_start(topic, partition, &mut out);
        out.extend_from_slice(format!("{offset},\"timestamp\":{timestamp},\"key\":").as_bytes());
        out
    }

    #[test]
    fn counts_up_across_every_carry() {
        let mut head = EnvelopeHead::default();
        for offset in [0, 1, 8, 9, 10, 11, 99, 100, 999, 1000, 1001, 9_999, 10_000] {
            let ts = 1_732_523_000_000;
            let want = fresh("t", 3, offset, ts);
            if offset > 0 {
                // Each from the one before: the counting-up path.
                let before = head.of("t", 3, offset - 1, ts).to_vec();
                assert_eq!(before, fresh("t", 3, offset - 1, ts));
            }
            assert_eq!(head.of("t", 3, offset, ts), want, "{offset}");
        }
        let last = u64::MAX;
        assert_eq!(head.of("t", 3, last - 1, -1), fresh("t", 3, last - 1, -1));
        assert_eq!(head.of("t", 3, last, -1), fresh("t", 3, last, -1));
        // One more wraps to 0: not counted up from u64::MAX's digits.
        assert_eq!(head.of("t", 3, 0, -1), fresh("t", 3, 0, -1));
    }

    proptest! {
        #[test]
        fn heads_match_the_fresh_ones(
            records in proptest::collection::vec(
                ("[ab\"]{1,2}", 0..3u32, prop_oneof![Just(None), (0..u64::MAX).prop_map(Some)], 0..4u8, any::<i64>()),
                1..40,
            ),
        ) {
            let mut head = EnvelopeHead::default();
            let mut offset = 0u64;
            let mut timestamp = 0i64;
            for (topic, partition, jump, step, new_ts) in records {
                // Mostly the next offset and the same timestamp, as in a log.
                offset = jump.unwrap_or(offset.wrapping_add(1));
                if step == 0 {
                    timestamp = new_ts;
                }
                let got = head.of(&topic, partition, offset, timestamp).to_vec();
                let want = fresh(&topic, partition, offset, timestamp);
                prop_assert_eq!(String::from_utf8_lossy(&got), String::from_utf8_lossy(&want));
            }
        }
    }
}

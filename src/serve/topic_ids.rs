//! Kafka's 16-byte topic ids for runnel's 16-hex-digit ones: the runnel id
//! is the low half, its bit-mix the high half, so the id is stable across
//! restarts, never zero, and the same topic name recreated gets a new one.

use uuid::Uuid;

/// The Kafka topic id of a runnel topic id.
pub fn kafka_topic_id(runnel_id: &str) -> Uuid {
    let low = u64::from_str_radix(runnel_id, 16).unwrap_or_else(|_| fnv(runnel_id.as_bytes()));
    let high = mix(low) | 1;
    Uuid::from_u64_pair(high, low)
}

fn mix(mut x: u64) -> u64 {
    x ^= x >> 31;
    x = x.wrapping_mul(0x7fb5_d329_728e_a185);
    x ^= x >> 27;
    x = x.wrapping_mul(0x81da_def4_bc2d_d44d);
    x ^ (x >> 33)
}

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_distinct_and_never_zero() {
        let a = kafka_topic_id("0123456789abcdef");
        assert_eq!(a, kafka_topic_id("0123456789abcdef"));
        assert_ne!(a, kafka_topic_id("0123456789abcdee"));
        assert!(!kafka_topic_id("0000000000000000").is_nil());
        assert!(!kafka_topic_id("not hex").is_nil());
    }
}

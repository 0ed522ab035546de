//! The iteration order of Java's `HashMap`/`HashSet`, where Kafka's sticky assignor lets it
//! decide an outcome: which member the constrained builder visits first, and which
//! partition `PartitionMovements` picks from a `HashSet`. Emulated from `String.hashCode`,
//! `TopicPartition.hashCode`, `HashMap.hash` (`h ^ h >>> 16`), the table size (16, doubled
//! past a load factor of 0.75, or when a bin of a table under 64 reaches nine entries) and
//! insertion order within a bin. Not emulated: tree bins (nine colliding keys in a table of
//! 64 or more), which reorder a bin; the assignor's sets never come near that.

use super::Tp;

/// Java's `String.hashCode`: `s[0]*31^(n-1) + ... + s[n-1]` over UTF-16 code units.
pub(super) fn string_hash(s: &str) -> i32 {
    s.encode_utf16().fold(0i32, |h, unit| h.wrapping_mul(31).wrapping_add(i32::from(unit)))
}

/// Kafka's `TopicPartition.hashCode`: `31 * (31 + partition) + topic.hashCode()`.
pub(super) fn topic_partition_hash(topic_hash: i32, partition: u32) -> i32 {
    31i32.wrapping_mul(31i32.wrapping_add(partition as i32)).wrapping_add(topic_hash)
}

/// `HashMap.hash`: the key's hash with its high half folded into the low half.
fn spread(hash: i32) -> u32 {
    let h = hash as u32;
    h ^ (h >> 16)
}

/// A Java `HashSet` (or a `HashMap`'s key set) reduced to what decides its order.
#[derive(Debug, Clone)]
pub(super) struct JavaHashSet<T> {
    /// Entries in insertion order (a removed entry re-added goes last, as in its bin).
    entries: Vec<(u32, T)>,
    capacity: u32,
}

impl<T: PartialEq + Copy> JavaHashSet<T> {
    pub(super) fn new() -> Self {
        Self { entries: Vec::new(), capacity: 16 }
    }

    fn bin(&self, spread: u32) -> u32 {
        spread & (self.capacity - 1)
    }

    /// `add`: a present element keeps its place.
    pub(super) fn insert(&mut self, hash: i32, item: T) {
        if self.entries.iter().any(|(_, x)| *x == item) {
            return;
        }
        let spread = spread(hash);
        let bin = self.bin(spread);
        let in_bin = self.entries.iter().filter(|(s, _)| self.bin(*s) == bin).count();
        self.entries.push((spread, item));
        // `treeifyBin` on a small table resizes instead.
        if in_bin >= 8 && self.capacity < 64 {
            self.capacity *= 2;
        }
        if self.entries.len() as u64 > u64::from(self.capacity) * 3 / 4 {
            self.capacity *= 2;
        }
    }

    pub(super) fn remove(&mut self, item: T) {
        self.entries.retain(|(_, x)| *x != item);
    }

    pub(super) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The elements in Java's iteration order: by bin, then insertion order within a bin.
    pub(super) fn iter_order(&self) -> Vec<T> {
        let mut order: Vec<(u32, usize, T)> =
            self.entries.iter().enumerate().map(|(i, (s, x))| (self.bin(*s), i, *x)).collect();
        order.sort_unstable_by_key(|&(bin, i, _)| (bin, i));
        order.into_iter().map(|(_, _, x)| x).collect()
    }

    /// `iterator().next()`.
    pub(super) fn first(&self) -> Option<T> {
        self.entries.iter().enumerate().min_by_key(|(i, (s, _))| (self.bin(*s), *i)).map(|(_, (_, x))| *x)
    }
}

/// A set of partitions, hashed as Kafka's `TopicPartition`s.
pub(super) fn tp_hash(topic_hashes: &[i32], tp: Tp) -> i32 {
    topic_partition_hash(topic_hashes[tp.topic as usize], tp.partition)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_string_hashes() {
        assert_eq!(string_hash(""), 0);
        assert_eq!(string_hash("a"), 97);
        assert_eq!(string_hash("consumer1"), -421_004_549);
        assert_eq!(string_hash("topic"), 110_546_223);
    }

    #[test]
    fn order_is_by_bin_then_insertion_and_grows_like_java() {
        let mut set = JavaHashSet::new();
        for (hash, item) in [(17, 1u8), (1, 2), (16, 3), (0, 4)] {
            set.insert(hash, item);
        }
        assert_eq!(set.iter_order(), [3, 4, 1, 2]);
        assert_eq!(set.first(), Some(3));
        for i in 0..9 {
            set.insert(100 + i32::from(i), 10 + i);
        }
        // 13 entries exceed 16 * 0.75: the table doubled, so 16 and 0 now differ in bin.
        assert_eq!(set.capacity, 32);
        assert_eq!(set.iter_order()[..2], [4, 2]);
    }
}

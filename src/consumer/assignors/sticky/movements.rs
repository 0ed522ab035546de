//! Kafka's `PartitionMovements`: the record, during the general builder's balancing, of
//! which partitions moved from which member to which, used to undo a move by moving back a
//! partition of the same topic (keeping the assignment sticky). Which partition is moved
//! back is the first of a Java `HashSet`, so the sets reproduce Java's order.

use std::collections::HashMap;

use super::Tp;
use super::java_hash::{JavaHashSet, tp_hash};

/// A move from member `.0` to member `.1`.
type Pair = (usize, usize);

#[derive(Debug, Default)]
pub(super) struct Movements {
    by_partition: HashMap<Tp, Pair>,
    by_topic: HashMap<u32, HashMap<Pair, JavaHashSet<Tp>>>,
}

impl Movements {
    fn remove_record(&mut self, tp: Tp) -> Option<Pair> {
        let pair = self.by_partition.remove(&tp)?;
        if let Some(pairs) = self.by_topic.get_mut(&tp.topic) {
            if let Some(set) = pairs.get_mut(&pair) {
                set.remove(tp);
                if set.is_empty() {
                    pairs.remove(&pair);
                }
            }
            if pairs.is_empty() {
                self.by_topic.remove(&tp.topic);
            }
        }
        Some(pair)
    }

    fn add_record(&mut self, tp: Tp, pair: Pair, topic_hashes: &[i32]) {
        self.by_partition.insert(tp, pair);
        self.by_topic
            .entry(tp.topic)
            .or_default()
            .entry(pair)
            .or_insert_with(JavaHashSet::new)
            .insert(tp_hash(topic_hashes, tp), tp);
    }

    /// Records `tp` moving from `old` to `new`; a move back to where it started cancels out.
    pub(super) fn move_partition(&mut self, tp: Tp, old: usize, new: usize, topic_hashes: &[i32]) {
        if let Some((src, _)) = self.remove_record(tp) {
            if src != new {
                self.add_record(tp, (src, new), topic_hashes);
            }
        } else {
            self.add_record(tp, (old, new), topic_hashes);
        }
    }

    /// The partition to move for moving `tp` from `old` to `new`: if a partition of the
    /// same topic went from `new` to (where `tp` started), that one goes back instead.
    pub(super) fn actual_partition_to_move(&self, tp: Tp, old: usize, new: usize) -> Tp {
        let Some(pairs) = self.by_topic.get(&tp.topic) else {
            return tp;
        };
        let old = self.by_partition.get(&tp).map_or(old, |&(src, _)| src);
        pairs.get(&(new, old)).and_then(JavaHashSet::first).unwrap_or(tp)
    }
}

//! A partition's work: the records waiting for a batch, and the batch being
//! worked on. A batch is first tried whole; once it fails, its records are
//! tried one at a time, in order (so a record's failure is its own), each
//! until it succeeds or reaches `--max-deliver` deliveries. One batch per
//! partition at a time keeps the partition's order.

use std::collections::VecDeque;
use std::time::Instant;

use super::record::Item;

/// The batch being worked on.
#[derive(Debug)]
pub struct Batch {
    pub items: Vec<Item>,
    /// The first record not done yet.
    pub next: usize,
    /// Tried one record at a time (after the whole batch failed once).
    pub one_by_one: bool,
    /// A try is running in a worker now.
    pub running: bool,
    /// Not to be tried again before this.
    pub retry_at: Option<Instant>,
}

impl Batch {
    pub fn new(items: Vec<Item>) -> Batch {
        Batch { items, next: 0, one_by_one: false, running: false, retry_at: None }
    }

    /// The records the next try covers.
    pub fn unit(&self) -> &[Item] {
        let end = if self.one_by_one { (self.next + 1).min(self.items.len()) } else { self.items.len() };
        &self.items[self.next..end]
    }

    pub fn unit_mut(&mut self) -> &mut [Item] {
        let end = if self.one_by_one { (self.next + 1).min(self.items.len()) } else { self.items.len() };
        &mut self.items[self.next..end]
    }

    /// Marks the current unit done; true when the batch is finished.
    pub fn unit_done(&mut self) -> bool {
        self.next += self.unit().len();
        self.retry_at = None;
        self.next >= self.items.len()
    }

    pub fn finished(&self) -> bool {
        self.next >= self.items.len()
    }
}

/// One partition's records and batch.
#[derive(Debug)]
pub struct PartitionWork {
    pub topic: String,
    pub partition: u32,
    pub queue: VecDeque<Item>,
    /// When the oldest queued record arrived (for `--batch-timeout`).
    pub oldest: Option<Instant>,
    pub batch: Option<Batch>,
    /// The `seq` of the last record done (succeeded or dead-lettered):
    /// what the sink reports taken for this partition.
    pub done_seq: u64,
    /// Records below this offset are already done (an exactly-once intent
    /// recovered): they pass without the command.
    pub skip_below: u64,
    /// The offset of the last record written to it.
    pub last_offset: Option<u64>,
    /// Bytes held by the queued records (their copies and formatted lines).
    pub queued_bytes: usize,
    /// Delivery counts an earlier member kept, by offset.
    pub known_deliveries: std::collections::BTreeMap<u64, u32>,
    /// The member's taking of the partition that this work belongs to
    /// (`super::fence`, a data dir).
    pub token: Option<super::fence::Token>,
    /// The partition was taken from this member meanwhile: its records are
    /// dropped until the member takes the partition up again.
    pub fenced: bool,
}

impl PartitionWork {
    pub fn new(topic: &str, partition: u32) -> PartitionWork {
        PartitionWork {
            topic: topic.to_string(),
            partition,
            queue: VecDeque::new(),
            oldest: None,
            batch: None,
            done_seq: 0,
            skip_below: 0,
            last_offset: None,
            queued_bytes: 0,
            known_deliveries: std::collections::BTreeMap::new(),
            token: None,
            fenced: false,
        }
    }

    /// Queues a record.
    pub fn push(&mut self, item: Item) {
        if self.queue.is_empty() {
            self.oldest = Some(Instant::now());
        }
        self.queued_bytes += item.size();
        self.queue.push_back(item);
    }

    /// Drops the queued records.
    pub fn clear_queue(&mut self) {
        self.queue.clear();
        self.queued_bytes = 0;
        self.oldest = None;
    }

    /// Takes up to `size` queued records as the next batch.
    pub fn start_batch(&mut self, size: usize) {
        let n = self.queue.len().min(size.max(1));
        let items: Vec<Item> = self.queue.drain(..n).collect();
        self.queued_bytes -= items.iter().map(Item::size).sum::<usize>().min(self.queued_bytes);
        self.oldest = if self.queue.is_empty() { None } else { Some(Instant::now()) };
        self.batch = Some(Batch::new(items));
    }

    pub fn idle(&self) -> bool {
        self.batch.is_none() && self.queue.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(seq: u64) -> Item {
        Item {
            seq,
            offset: seq,
            timestamp: 0,
            key: None,
            value: None,
            headers: Vec::new(),
            formatted: Vec::new(),
            deliveries: 0,
        }
    }

    #[test]
    fn a_failed_batch_goes_on_one_record_at_a_time() {
        let mut work = PartitionWork::new("t", 0);
        (1..=5).for_each(|seq| work.push(item(seq)));
        work.start_batch(3);
        assert_eq!(work.queue.len(), 2);
        let batch = work.batch.as_mut().expect("a batch");
        assert_eq!(batch.unit().len(), 3);
        batch.one_by_one = true;
        assert_eq!(batch.unit().iter().map(|i| i.seq).collect::<Vec<_>>(), [1]);
        assert!(!batch.unit_done());
        assert!(!batch.unit_done());
        assert_eq!(batch.unit()[0].seq, 3);
        assert!(batch.unit_done());
    }
}

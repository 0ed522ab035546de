//! What a member may commit: per partition, the records it delivered and
//! where each one's bytes end in the sink's output, so a commit covers only
//! records whose last byte the reading process has taken (see
//! [`RecordSink::taken_bytes`]), never what still waits in a pipe or in our
//! own buffer. Also the leader epoch of the last record delivered per
//! partition (Kafka commits it with the offset, KIP-320).
//!
//! [`Tracked`] wraps the member's sink: every record written through it
//! leaves a mark `(end byte, offset, epoch before it)`. A partition's commit
//! point is its first record not wholly taken, with the epoch of the record
//! before it; when every record delivered was taken, the fetcher's position
//! with the epoch of its last record.

use std::collections::{HashMap, VecDeque};
use std::io;

use crate::consumer::{RecordSink, TopicPartition};
use crate::store::Record;

/// A committable position: the next offset to read and the leader epoch of
/// the record before it (Kafka's `OffsetAndMetadata` offset and
/// `leaderEpoch`), `None` where unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommitPoint {
    pub offset: u64,
    pub leader_epoch: Option<u32>,
}

/// One delivered record.
#[derive(Debug, Clone, Copy)]
struct Mark {
    /// The sink's `accepted_bytes` after the record: where its last byte ends.
    end: u64,
    offset: u64,
    /// The epoch of the record delivered before it in the partition.
    epoch_before: Option<u32>,
}

#[derive(Debug)]
struct Partition {
    topic: String,
    partition: u32,
    /// Records delivered and not yet known to be taken, oldest first.
    untaken: VecDeque<Mark>,
    /// The epoch of the frame being delivered.
    frame_epoch: Option<u32>,
    /// The epoch of the last record delivered (or the start position's).
    last_epoch: Option<u32>,
}

/// The marks of every partition the member reads.
#[derive(Debug, Default)]
pub struct Delivery {
    partitions: Vec<Partition>,
    /// Where each partition is in `partitions`: a member of tens of
    /// thousands of partitions starts, stops and commits each by name.
    index: HashMap<TopicPartition, usize>,
    /// Index of the partition last looked up (records come in runs).
    last: usize,
}

impl Delivery {
    /// Starts tracking `p` from a position whose previous record has `epoch`.
    pub fn start(&mut self, p: &TopicPartition, epoch: Option<u32>) {
        self.stop(p);
        self.index.insert(p.clone(), self.partitions.len());
        self.partitions.push(Partition {
            topic: p.topic.clone(),
            partition: p.partition,
            untaken: VecDeque::new(),
            frame_epoch: None,
            last_epoch: epoch,
        });
    }

    /// Forgets `p` (revoked, or the member rejoins).
    pub fn stop(&mut self, p: &TopicPartition) {
        let Some(i) = self.index.remove(p) else { return };
        self.partitions.swap_remove(i);
        if let Some(moved) = self.partitions.get(i) {
            self.index.insert(TopicPartition::new(&moved.topic, moved.partition), i);
        }
        self.last = 0;
    }

    /// Forgets every partition.
    pub fn clear(&mut self) {
        self.partitions.clear();
        self.index.clear();
        self.last = 0;
    }

    fn position(&self, topic: &str, partition: u32) -> Option<usize> {
        let hit = |e: &Partition| e.partition == partition && e.topic == topic;
        if self.partitions.get(self.last).is_some_and(hit) {
            return Some(self.last);
        }
        self.index.get(&TopicPartition::new(topic, partition)).copied()
    }

    fn entry(&mut self, topic: &str, partition: u32) -> Option<&mut Partition> {
        self.last = self.position(topic, partition)?;
        self.partitions.get_mut(self.last)
    }

    /// Drops the marks of records wholly taken (`taken` bytes in all) and
    /// returns them, oldest first per partition: a share group member
    /// acknowledges each record the reader took.
    pub fn taken(&mut self, taken: u64) -> Vec<(TopicPartition, u64)> {
        let mut out = Vec::new();
        for p in &mut self.partitions {
            while p.untaken.front().is_some_and(|m| m.end <= taken) {
                if let Some(m) = p.untaken.pop_front() {
                    out.push((TopicPartition::new(&p.topic, p.partition), m.offset));
                }
            }
        }
        out
    }

    /// Drops the marks of records `sink` says were taken, partition by
    /// partition ([`RecordSink::taken_bytes_of`]).
    pub fn taken_from(&mut self, sink: &dyn RecordSink) {
        for p in &mut self.partitions {
            let taken = sink.taken_bytes_of(&p.topic, p.partition);
            while p.untaken.front().is_some_and(|m| m.end <= taken) {
                p.untaken.pop_front();
            }
        }
    }

    /// Where `p` may be committed, given the fetcher's `position` (call
    /// [`Delivery::taken_from`] first).
    pub fn commit_point(&self, p: &TopicPartition, position: u64) -> CommitPoint {
        let Some(e) = self.index.get(p).and_then(|&i| self.partitions.get(i)) else {
            return CommitPoint { offset: position, leader_epoch: None };
        };
        match e.untaken.front() {
            Some(first) => CommitPoint { offset: first.offset, leader_epoch: first.epoch_before },
            None => CommitPoint { offset: position, leader_epoch: e.last_epoch },
        }
    }

    /// Records still waiting to be taken, in all.
    pub fn untaken(&self) -> usize {
        self.partitions.iter().map(|p| p.untaken.len()).sum()
    }

    /// Records of `partitions` still waiting to be taken.
    pub fn untaken_of(&self, partitions: &[TopicPartition]) -> usize {
        let wanted = |e: &&Partition| partitions.iter().any(|p| p.topic == e.topic && p.partition == e.partition);
        self.partitions.iter().filter(wanted).map(|p| p.untaken.len()).sum()
    }

    /// Drops every mark and returns the records the reader did not take
    /// (a leaving share group member releases them).
    pub fn take_untaken(&mut self) -> Vec<(TopicPartition, u64)> {
        let mut out = Vec::new();
        for p in &mut self.partitions {
            out.extend(p.untaken.drain(..).map(|m| (TopicPartition::new(&p.topic, p.partition), m.offset)));
        }
        out
    }
}

/// A sink that marks, in a [`Delivery`], where each record it passes on ends.
pub struct Tracked<'a> {
    pub sink: &'a mut dyn RecordSink,
    pub delivery: &'a mut Delivery,
}

impl RecordSink for Tracked<'_> {
    fn write(&mut self, topic: &str, partition: u32, record: &Record<'_>) -> io::Result<()> {
        self.sink.write(topic, partition, record)?;
        let end = self.sink.accepted_bytes();
        if let Some(e) = self.delivery.entry(topic, partition) {
            e.untaken.push_back(Mark { end, offset: record.offset, epoch_before: e.last_epoch });
            e.last_epoch = e.frame_epoch.or(e.last_epoch);
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.sink.flush()
    }

    fn begin_frame(&mut self, topic: &str, partition: u32, leader_epoch: u32) {
        self.sink.begin_frame(topic, partition, leader_epoch);
        if let Some(e) = self.delivery.entry(topic, partition) {
            e.frame_epoch = Some(leader_epoch);
        }
    }

    fn accepted_bytes(&self) -> u64 {
        self.sink.accepted_bytes()
    }

    fn written_bytes(&self) -> u64 {
        self.sink.written_bytes()
    }

    fn taken_bytes(&self) -> u64 {
        self.sink.taken_bytes()
    }

    fn reader_gone(&self) -> bool {
        self.sink.reader_gone()
    }

    fn taken_bytes_of(&self, topic: &str, partition: u32) -> u64 {
        self.sink.taken_bytes_of(topic, partition)
    }

    fn finish(&mut self) -> io::Result<()> {
        self.sink.finish()
    }

    fn finish_step(&mut self) -> io::Result<bool> {
        self.sink.finish_step()
    }

    fn release(&mut self, partitions: &[TopicPartition]) -> io::Result<bool> {
        self.sink.release(partitions)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Frame, FrameBuilder, FrameCheck, RecordParts, check_frame};

    /// A sink whose reader takes what the test says.
    #[derive(Default)]
    struct Pipe {
        accepted: u64,
    }

    impl RecordSink for Pipe {
        fn write(&mut self, _: &str, _: u32, record: &Record<'_>) -> io::Result<()> {
            self.accepted += record.value.map_or(0, <[u8]>::len) as u64 + 1;
            Ok(())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
        fn accepted_bytes(&self) -> u64 {
            self.accepted
        }
    }

    /// A one-record frame at `offset` whose value is `abc` (4 bytes with its newline).
    fn frame(offset: u64) -> Vec<u8> {
        let mut builder = FrameBuilder::new();
        builder.push(&RecordParts { timestamp: 0, key: None, value: Some(b"abc"), headers: &[], header_count: 0 });
        builder.seal(offset, 0).to_vec()
    }

    fn write(sink: &mut Tracked<'_>, partition: u32, offset: u64) {
        let bytes = frame(offset);
        let FrameCheck::Whole(header) = check_frame(&bytes) else { panic!("test frame should verify") };
        let record = Frame::new(header, &bytes).records().next().expect("one record").expect("decodes");
        sink.write("t", partition, &record).expect("write");
    }

    #[test]
    fn commits_stop_at_the_first_record_not_wholly_taken() {
        let (a, b) = (TopicPartition::new("t", 0), TopicPartition::new("t", 1));
        let mut delivery = Delivery::default();
        delivery.start(&a, Some(1));
        delivery.start(&b, None);
        let mut pipe = Pipe::default();
        let mut sink = Tracked { sink: &mut pipe, delivery: &mut delivery };
        sink.begin_frame("t", 0, 2);
        write(&mut sink, 0, 10); // bytes 0..4
        write(&mut sink, 0, 11); // 4..8
        sink.begin_frame("t", 1, 5);
        write(&mut sink, 1, 0); // 8..12
        sink.begin_frame("t", 0, 3);
        write(&mut sink, 0, 12); // 12..16
        assert_eq!(delivery.untaken(), 4);
        assert_eq!(delivery.commit_point(&a, 13), CommitPoint { offset: 10, leader_epoch: Some(1) });
        assert_eq!(delivery.taken(7), [(a.clone(), 10)]);
        assert_eq!(delivery.commit_point(&a, 13), CommitPoint { offset: 11, leader_epoch: Some(2) });
        assert_eq!(delivery.commit_point(&b, 1), CommitPoint { offset: 0, leader_epoch: None });
        assert_eq!(delivery.taken(12), [(a.clone(), 11), (b.clone(), 0)]);
        assert_eq!(delivery.commit_point(&a, 13), CommitPoint { offset: 12, leader_epoch: Some(2) });
        assert_eq!(delivery.commit_point(&b, 1), CommitPoint { offset: 1, leader_epoch: Some(5) });
        assert_eq!(delivery.taken(16), [(a.clone(), 12)]);
        assert_eq!(delivery.commit_point(&a, 13), CommitPoint { offset: 13, leader_epoch: Some(3) });
        assert_eq!(delivery.untaken(), 0);
        delivery.stop(&a);
        assert_eq!(delivery.commit_point(&a, 20), CommitPoint { offset: 20, leader_epoch: None });
    }

    #[test]
    fn partitions_stopped_in_any_order_leave_the_others_marks_where_they_were() {
        let parts: Vec<TopicPartition> = (0..50).map(|i| TopicPartition::new("t", i)).collect();
        let mut delivery = Delivery::default();
        for p in &parts {
            delivery.start(p, Some(p.partition));
        }
        let mut pipe = Pipe::default();
        let mut sink = Tracked { sink: &mut pipe, delivery: &mut delivery };
        for p in &parts {
            sink.begin_frame(&p.topic, p.partition, 7);
            write(&mut sink, p.partition, u64::from(p.partition) * 10);
        }
        // Stopped from the front, the back and the middle: the index follows each move.
        for i in [0, 49, 25, 1, 48] {
            delivery.stop(&parts[i]);
        }
        delivery.start(&parts[25], None);
        for (i, p) in parts.iter().enumerate() {
            let point = delivery.commit_point(p, 999);
            let expected = match i {
                0 | 1 | 48 | 49 => CommitPoint { offset: 999, leader_epoch: None },
                25 => CommitPoint { offset: 999, leader_epoch: None },
                _ => CommitPoint { offset: u64::from(p.partition) * 10, leader_epoch: Some(p.partition) },
            };
            assert_eq!(point, expected, "{p:?}");
        }
        assert_eq!(delivery.untaken(), 45);
    }
}

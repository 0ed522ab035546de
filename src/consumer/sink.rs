//! Where a consumer delivers records: implemented by the output layer's
//! formatters, so the consumer knows nothing about formats.
//!
//! A sink also says how far delivery got, in bytes counted from its
//! creation: `accepted_bytes` (formatted, the end of the last record
//! written), `written_bytes` (handed to the destination) and `taken_bytes`
//! (taken by the reading process: written, less what still waits in a pipe).
//! A group member commits a record only once its last byte is taken. The
//! defaults (all 0) suit a sink that consumes records itself: a record is
//! delivered as soon as it is written.

use std::io;

use crate::consumer::TopicPartition;
use crate::store::Record;

/// Receives records in delivery order.
pub trait RecordSink {
    fn write(&mut self, topic: &str, partition: u32, record: &Record<'_>) -> io::Result<()>;
    /// Pushes everything written so far to its destination.
    fn flush(&mut self) -> io::Result<()>;

    /// Called before the records of each frame with the epoch of the leader
    /// that wrote it.
    fn begin_frame(&mut self, _topic: &str, _partition: u32, _leader_epoch: u32) {}

    /// Bytes accepted (formatted) since creation: where the last record written ends.
    fn accepted_bytes(&self) -> u64 {
        0
    }

    /// Bytes handed to the destination since creation (at most `accepted_bytes`).
    fn written_bytes(&self) -> u64 {
        0
    }

    /// Bytes the reading process has taken since creation (at most
    /// `written_bytes`; never more than it really took).
    fn taken_bytes(&self) -> u64 {
        0
    }

    /// Whether the reader has gone, so nothing more will be taken.
    fn reader_gone(&self) -> bool {
        false
    }

    /// Bytes taken of `topic`'s `partition`: a record of it counts as taken
    /// once its end (an `accepted_bytes` value) is at most this. A sink that
    /// finishes partitions independently (`consume --exec`, whose batches of
    /// different partitions succeed in any order) answers per partition;
    /// the default is [`RecordSink::taken_bytes`], one stream for all.
    fn taken_bytes_of(&self, _topic: &str, _partition: u32) -> u64 {
        self.taken_bytes()
    }

    /// The member is leaving: pushes everything out and waits until what was
    /// written is taken or has failed (a sink with work of its own runs its
    /// last partial batches here). The default is [`RecordSink::flush`].
    fn finish(&mut self) -> io::Result<()> {
        self.flush()
    }

    /// One step of [`RecordSink::finish`] for a sink whose work outlasts
    /// its writes (`consume --exec`): starts what is due, waits a short
    /// while (at most a few tens of milliseconds) for work to end, and
    /// tells whether all of it has (or failed). The member keeps its
    /// session and commits what is done between steps. The default
    /// finishes at once.
    fn finish_step(&mut self) -> io::Result<bool> {
        self.finish().map(|()| true)
    }

    /// A rebalance takes `partitions` away: the sink stops working on them
    /// before their position is committed and their claims released, so no
    /// two members work on one partition at once (what was not finished is
    /// not taken, so the next owner gets it again). `true` when the sink let
    /// go of them — what of them it has not taken it never will, so the
    /// member need not wait for it; `false` (the default, nothing done) for
    /// a sink whose reader may still take what was written.
    fn release(&mut self, _partitions: &[TopicPartition]) -> io::Result<bool> {
        Ok(false)
    }

    /// The member (as `member_id`) has just taken `topic`'s `partition`'s
    /// ownership claim, before delivering any record of it from this taking:
    /// whatever the sink still has of the partition is from an earlier
    /// taking (a member fenced and rejoined). A sink that appends on the
    /// partition's behalf (`consume --exec`) notes the claim to fence its
    /// appends by it. The default does nothing.
    fn claimed(&mut self, _topic: &str, _partition: u32, _member_id: &str) -> io::Result<()> {
        Ok(())
    }
}

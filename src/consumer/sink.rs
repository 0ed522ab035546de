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
}

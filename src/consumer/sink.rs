//! Where a consumer delivers records: implemented by the output layer's
//! formatters, so the consumer knows nothing about formats.

use std::io;

use crate::store::Record;

/// Receives records in delivery order.
pub trait RecordSink {
    fn write(&mut self, topic: &str, partition: u32, record: &Record<'_>) -> io::Result<()>;
    /// Pushes everything written so far to its destination.
    fn flush(&mut self) -> io::Result<()>;
}

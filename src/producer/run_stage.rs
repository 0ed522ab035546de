//! A run of records for one partition, staged: when lines are sent grouped
//! by partition (hundreds of partitions), each partition's records are
//! encoded one after another into this small buffer, which stays in the
//! cache, and streamed to the end of the partition's frame when the run
//! ends. Encoding straight into the frames would write to hundreds of frame
//! ends, none of them in the cache: each store would first wait for its
//! line to be read from memory, and the parser (the run's longest thread)
//! would spend most of its time there. Streamed (`sys::stream_copy`), the
//! frame's new lines go to memory without being read, and the append
//! thread, the next to touch them, reads them once.

use crate::store::{FrameBuilder, Measured, RecordParts};

/// The records staged for one partition's frame.
#[derive(Default)]
pub(super) struct RunStage {
    bytes: Vec<u8>,
    partition: Option<u32>,
}

impl RunStage {
    /// The partition whose records are staged, if any.
    pub fn partition(&self) -> Option<u32> {
        self.partition
    }

    /// Bytes staged (all for [`RunStage::partition`]).
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Stages one record of `partition`, whose frame is `frame`: the frame
    /// counts it now and gets its bytes at [`RunStage::drain_to`]. Records
    /// of one partition only: drain before staging another's.
    pub fn push(&mut self, partition: u32, frame: &mut FrameBuilder, parts: &RecordParts<'_>, measured: Measured) {
        debug_assert!(self.partition.is_none_or(|p| p == partition), "a run holds one partition's records");
        frame.push_measured_staged(parts, measured, &mut self.bytes);
        self.partition = Some(partition);
    }

    /// Streams the staged records to the end of `frame`, the frame of
    /// [`RunStage::partition`], and empties the stage. The caller publishes
    /// (`sys::stream_copy::publish`) before another thread reads the frame.
    pub fn drain_to(&mut self, frame: &mut FrameBuilder) {
        frame.append_staged(&self.bytes);
        self.bytes.clear();
        self.partition = None;
    }
}

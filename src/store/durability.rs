//! How hard a write is pushed to stable storage, and the fsync helpers.
//! A named enum (like fjall's `PersistMode`), never a bool.

use std::fs::File;
use std::path::Path;

use crate::error::{IoContext, Result};
use crate::sys::fault;

/// What "written" means for a caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PersistMode {
    /// In the OS page cache: survives the process, not the machine.
    Buffer,
    /// Data fsynced (`fdatasync`): survives a machine crash.
    SyncData,
    /// Data and metadata fsynced (`fsync`).
    SyncAll,
}

impl PersistMode {
    /// Pushes `file` to the level this mode asks for.
    pub fn apply(self, file: &File, path: &Path) -> Result<()> {
        match self {
            PersistMode::Buffer => Ok(()),
            PersistMode::SyncData => fault::sync_data(file).at("fsync", path),
            PersistMode::SyncAll => fault::sync_all(file).at("fsync", path),
        }
    }
}

/// How many fsyncs [`sync_all_parallel`] keeps in flight: the device
/// queues their writes and cache flushes together (and a journaling file
/// system commits their metadata together).
const PARALLEL_SYNCS: usize = 32;

/// A range of a segment appended to and not yet written back, to start
/// writing from whichever thread.
pub struct WriteBack {
    pub file: std::sync::Arc<File>,
    pub offset: u64,
    pub len: u64,
}

impl WriteBack {
    /// Asks the kernel to start writing the range to disk, without waiting
    /// (`sync_file_range(SYNC_FILE_RANGE_WRITE)`). Only a head start for a
    /// later fsync, which still decides durability: errors are left for
    /// that fsync to report.
    pub fn start(&self) {
        use std::os::fd::AsRawFd;
        let (Ok(offset), Ok(len)) = (i64::try_from(self.offset), i64::try_from(self.len)) else { return };
        // SAFETY: sync_file_range on a descriptor we hold; no memory is passed.
        unsafe { libc::sync_file_range(self.file.as_raw_fd(), offset, len, libc::SYNC_FILE_RANGE_WRITE) };
    }
}

/// Syncs every log as its mode asks, several at a time; the first error wins.
pub fn sync_all_parallel(mut logs: Vec<(&mut super::Log, PersistMode)>) -> Result<()> {
    logs.retain(|(log, mode)| *mode != PersistMode::Buffer && log.has_unsynced());
    if logs.len() <= 1 {
        return logs.into_iter().try_for_each(|(log, mode)| log.sync(mode));
    }
    let per_thread = logs.len().div_ceil(PARALLEL_SYNCS);
    let mut chunks = Vec::new();
    while !logs.is_empty() {
        let rest = logs.split_off(per_thread.min(logs.len()));
        chunks.push(std::mem::replace(&mut logs, rest));
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| scope.spawn(move || chunk.into_iter().try_for_each(|(log, mode)| log.sync(mode))))
            .collect();
        handles.into_iter().try_for_each(|h| {
            h.join().unwrap_or_else(|_| Err(crate::error::Error::other("internal error: a sync thread failed")))
        })
    })
}

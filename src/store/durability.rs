//! How hard a write is pushed to stable storage ([`PersistMode`], a named
//! enum like fjall's, never a bool), and starting write-back early
//! ([`WriteBack`]).

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

/// A range of a segment appended to and not yet written back, to start
/// writing from whichever thread.
pub struct WriteBack {
    pub file: std::sync::Arc<File>,
    /// The segment's path: an early flush opens it again
    /// (`producer::early_flush`).
    pub path: std::sync::Arc<Path>,
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

//! How hard a write is pushed to stable storage, and the fsync helpers.
//! A named enum (like fjall's `PersistMode`), never a bool.

use std::fs::File;
use std::path::Path;

use super::fault;
use crate::error::{IoContext, Result};

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

/// Fsyncs a directory, making file creations, renames and deletions in it durable.
pub fn sync_dir(dir: &Path) -> Result<()> {
    let handle = File::open(dir).at("open directory", dir)?;
    fault::sync_all(&handle).at("fsync directory", dir)
}

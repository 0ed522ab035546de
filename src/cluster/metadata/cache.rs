//! A process-wide cache of parsed metadata files, keyed by each file's
//! identity (inode, length, mtime): metadata is replaced by rename, so an
//! unchanged identity means unchanged contents. A producer writing to a
//! thousand partitions parses the topic file once, not once per partition.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::de::DeserializeOwned;

use crate::error::Result;
use crate::sys::json_file::{self, FileStamp};

/// Parsed files by path, each with the identity it had when read.
#[derive(Debug)]
pub struct MetaCache<T> {
    entries: Mutex<HashMap<PathBuf, (FileStamp, Arc<T>)>>,
}

impl<T> Default for MetaCache<T> {
    fn default() -> Self {
        MetaCache { entries: Mutex::new(HashMap::new()) }
    }
}

impl<T: DeserializeOwned> MetaCache<T> {
    /// The file's contents and identity; re-read only when the file changed.
    /// `Ok(None)` when it does not exist.
    pub fn read(&self, path: &Path) -> Result<Option<(FileStamp, Arc<T>)>> {
        let Some(stamp) = FileStamp::of(path) else {
            return Ok(None);
        };
        if let Ok(entries) = self.entries.lock()
            && let Some((cached, value)) = entries.get(path)
            && *cached == stamp
        {
            return Ok(Some((stamp, Arc::clone(value))));
        }
        let Some(value) = json_file::read::<T>(path)? else {
            return Ok(None);
        };
        // The file may have been replaced between the stat and the read:
        // cache it only under the identity it has now.
        let value = Arc::new(value);
        let now = FileStamp::of(path);
        if now == Some(stamp)
            && let Ok(mut entries) = self.entries.lock()
        {
            entries.insert(path.to_path_buf(), (stamp, Arc::clone(&value)));
        }
        Ok(Some((stamp, value)))
    }
}

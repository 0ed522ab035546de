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
        if let Ok(entries) = self.entries.lock()
            && let Some((cached, value)) = entries.get(path)
        {
            // Known: a look at the path says whether it is still this version.
            match FileStamp::of(path) {
                Some(stamp) if stamp == *cached => return Ok(Some((stamp, Arc::clone(value)))),
                None => return Ok(None),
                Some(_) => {}
            }
        }
        // Read with the identity of the very version read (from the open
        // file, whatever replaces the path meanwhile).
        let Some((stamp, value)) = json_file::read_stamped::<T>(path)? else {
            return Ok(None);
        };
        let value = Arc::new(value);
        if let Ok(mut entries) = self.entries.lock() {
            entries.insert(path.to_path_buf(), (stamp, Arc::clone(&value)));
        }
        Ok(Some((stamp, value)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_read_again_only_as_another_version_and_gone_is_none() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("m.json");
        let cache = MetaCache::<Vec<u32>>::default();
        assert!(cache.read(&path).expect("read").is_none());
        json_file::write(&path, &vec![1u32]).expect("write");
        let (first, value) = cache.read(&path).expect("read").expect("there");
        assert_eq!(*value, vec![1]);
        let (same, again) = cache.read(&path).expect("read").expect("there");
        assert_eq!(same, first);
        assert!(Arc::ptr_eq(&value, &again), "an unchanged file is not parsed again");
        json_file::write(&path, &vec![1u32, 2]).expect("replace");
        let (replaced, value) = cache.read(&path).expect("read").expect("there");
        assert_ne!(replaced, first);
        assert_eq!(*value, vec![1, 2]);
        std::fs::remove_file(&path).expect("remove");
        assert!(cache.read(&path).expect("read").is_none(), "a removed file is gone, whatever was cached");
    }
}

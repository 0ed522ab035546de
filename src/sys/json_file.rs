//! Metadata files: JSON read with a clear error naming a damaged file, and
//! written crash-safely (temp file -> fsync -> rename -> fsync dir). The
//! temp files' names are this module's too ([`is_temp_name`]), so what finds
//! the ones a killed write left names them as the write does.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{Error, ErrorKind, IoContext, Reason, Result};
use crate::sys::fs::{read_regular, sync_dir};

/// Reads and parses a JSON metadata file; `Ok(None)` if it does not exist.
pub fn read<T: DeserializeOwned>(path: &Path) -> Result<Option<T>> {
    Ok(read_stamped(path)?.map(|(_, value)| value))
}

/// [`read`], with the identity of the version read: taken from the open
/// file, so the two belong together however the path is replaced
/// meanwhile (one open, no look at the path before or after).
pub fn read_stamped<T: DeserializeOwned>(path: &Path) -> Result<Option<(FileStamp, T)>> {
    let Some((bytes, meta)) = read_bytes(path)? else { return Ok(None) };
    parse(path, &bytes).map(|value| Some((FileStamp::from_metadata(&meta), value)))
}

/// A metadata document's bytes, with what `fstat` said of the file read;
/// `None` when there is none. Something other than a regular file at
/// `path` (a FIFO would never be read to its end) is a damaged document.
pub fn read_bytes(path: &Path) -> Result<Option<(Vec<u8>, fs::Metadata)>> {
    match read_regular(path) {
        Ok(read) => Ok(Some(read)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) if e.kind() == io::ErrorKind::InvalidData => Err(damaged(path, e)),
        Err(e) => Err(e).at("read", path),
    }
}

fn parse<T: DeserializeOwned>(path: &Path, bytes: &[u8]) -> Result<T> {
    serde_json::from_slice(bytes).map_err(|e| damaged(path, e))
}

/// A metadata document that cannot be what it should (exit 74, naming it).
pub fn damaged(path: &Path, why: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::Io, format!("metadata file {} is damaged: {why}", path.display()))
        .because(Reason::DamagedMetadata { path: path.to_path_buf() })
}

/// A temp file's name: this prefix, then `TEMP_RANDOM_LEN` random letters
/// and digits.
const TEMP_PREFIX: &str = ".tmp";
const TEMP_RANDOM_LEN: usize = 6;

/// Whether `name` is the name [`write()`] gives its temp files.
pub fn is_temp_name(name: &std::ffi::OsStr) -> bool {
    let Some(name) = name.to_str() else { return false };
    name.strip_prefix(TEMP_PREFIX)
        .is_some_and(|rest| rest.len() == TEMP_RANDOM_LEN && rest.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// A new temp file in `dir`, named as [`is_temp_name`] knows.
fn temp_file_in(dir: &Path) -> io::Result<tempfile::NamedTempFile> {
    tempfile::Builder::new().prefix(TEMP_PREFIX).rand_bytes(TEMP_RANDOM_LEN).tempfile_in(dir)
}

/// Writes `value` as pretty JSON to `path` atomically and durably.
pub fn write<T: Serialize>(path: &Path, value: &T) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut bytes =
        serde_json::to_vec_pretty(value).map_err(|e| Error::other(format!("cannot encode {}: {e}", path.display())))?;
    bytes.push(b'\n');
    let mut tmp = temp_file_in(dir).at("create a temporary file in", dir)?;
    tmp.write_all(&bytes).at("write", tmp.path())?;
    crate::sys::fault::sync_all(tmp.as_file()).at("fsync", tmp.path())?;
    tmp.persist(path).map_err(|e| Error::io("replace", path, e.error))?;
    sync_dir(dir)
}

/// Removes a metadata file durably (missing is fine).
pub fn remove(path: &Path) -> Result<()> {
    match fs::remove_file(path) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e).at("remove", path),
    }
    sync_dir(path.parent().unwrap_or(Path::new(".")))
}

/// Identity of a file's current version, to notice it was replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStamp {
    ino: u64,
    len: u64,
    mtime_ns: i128,
}

impl FileStamp {
    pub fn of(path: &Path) -> Option<FileStamp> {
        fs::metadata(path).ok().map(|m| FileStamp::from_metadata(&m))
    }

    pub fn of_file(file: &File) -> Option<FileStamp> {
        file.metadata().ok().map(|m| FileStamp::from_metadata(&m))
    }

    fn from_metadata(m: &fs::Metadata) -> FileStamp {
        use std::os::unix::fs::MetadataExt;
        FileStamp {
            ino: m.ino(),
            len: m.len(),
            mtime_ns: i128::from(m.mtime()) * 1_000_000_000 + i128::from(m.mtime_nsec()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_writes_temp_file_is_known_by_its_name_and_nothing_else_is() {
        let dir = tempfile::tempdir().expect("tempdir");
        for _ in 0..20 {
            let temp = temp_file_in(dir.path()).expect("temp file");
            let name = temp.path().file_name().expect("name");
            assert!(is_temp_name(name), "{name:?}");
        }
        for name in [".tmp", ".tmpAb12C", ".tmpAb12Cd7", "tmpAb12Cd", ".tmpAb-2Cd", "offsets.json", "t.json.tmp"] {
            assert!(!is_temp_name(name.as_ref()), "{name}");
        }
    }

    #[test]
    fn round_trip_and_damage() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("x.json");
        assert_eq!(read::<Vec<u32>>(&path).expect("read"), None);
        write(&path, &vec![1u32, 2]).expect("write");
        assert_eq!(read::<Vec<u32>>(&path).expect("read"), Some(vec![1, 2]));
        fs::write(&path, b"{not json").expect("write");
        let err = read::<Vec<u32>>(&path).expect_err("damaged");
        assert!(err.message.contains("x.json") && err.message.contains("damaged"));
        assert_eq!(err.exit_code(), 74);
    }

    #[test]
    fn a_stamped_read_carries_the_identity_of_the_version_it_read() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("x.json");
        assert!(read_stamped::<Vec<u32>>(&path).expect("read").is_none());
        write(&path, &vec![1u32]).expect("write");
        let (stamp, value) = read_stamped::<Vec<u32>>(&path).expect("read").expect("there");
        assert_eq!((Some(stamp), value), (FileStamp::of(&path), vec![1]));
        write(&path, &vec![1u32, 2]).expect("replace");
        let (again, value) = read_stamped::<Vec<u32>>(&path).expect("read").expect("there");
        assert_eq!((Some(again), value), (FileStamp::of(&path), vec![1, 2]));
        assert_ne!(stamp, again, "a replaced file has another identity");
        fs::write(&path, b"[1,").expect("write");
        assert_eq!(read_stamped::<Vec<u32>>(&path).expect_err("damaged").exit_code(), 74);
    }
}

//! Small file helpers every layer uses: read what is there (never waiting
//! on a FIFO put where a data file belongs), remove what may already be
//! gone, and make a folder's entries durable.

use std::fs::{self, File};
use std::io;
use std::os::unix::fs::FileExt;
use std::path::Path;

use crate::error::{IoContext, Result};
use crate::sys::fault;

/// Reads as many bytes as are there (up to `buf.len()`) at `pos`.
pub fn read_at_most(file: &File, buf: &mut [u8], pos: u64) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read_at(&mut buf[filled..], pos + filled as u64) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Removes a file; one that is already gone is fine.
pub fn remove_if_present(path: &Path) -> Result<()> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e).at("remove", path),
    }
}

/// Reads a whole (small) file; a missing file reads as empty.
pub fn read_optional(path: &Path) -> Result<Vec<u8>> {
    match read_regular(path) {
        Ok((bytes, _)) => Ok(bytes),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(e).at("read", path),
    }
}

/// Opens a file of the data dir for reading without waiting: a FIFO (or
/// another special file) where a data file belongs is refused as
/// `InvalidData`, "not a regular file", instead of waited on for ever.
pub fn open_regular(path: &Path) -> io::Result<(File, fs::Metadata)> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = fs::OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK).open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "not a regular file"));
    }
    Ok((file, meta))
}

/// [`open_regular`], the file alone.
pub fn open_data(path: &Path) -> io::Result<File> {
    open_regular(path).map(|(file, _)| file)
}

/// Reads a whole file of the data dir ([`open_regular`]), with what `fstat`
/// said of the file read.
pub fn read_regular(path: &Path) -> io::Result<(Vec<u8>, fs::Metadata)> {
    use std::io::Read;
    let (file, meta) = open_regular(path)?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    // Through `take`: `File`'s own `read_to_end` would `fstat` and `lseek`
    // again for a size already known and reserved.
    file.take(u64::MAX).read_to_end(&mut bytes)?;
    Ok((bytes, meta))
}

/// Fsyncs a directory, making file creations, renames and deletions in it durable.
pub fn sync_dir(dir: &Path) -> Result<()> {
    let handle = File::open(dir).at("open directory", dir)?;
    fault::sync_all(&handle).at("fsync directory", dir)
}

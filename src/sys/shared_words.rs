//! A few 64-bit words at the start of a file, mapped (`mmap`, `MAP_SHARED`)
//! so that every process mapping the same file reads and updates the same
//! words atomically: the page cache holds one copy. The file is extended to
//! hold them if it is shorter (never shrunk); it must not be truncated while
//! mapped (an access past its end would fault).

use std::fs::File;
use std::io;
use std::os::fd::AsRawFd;
use std::ptr::NonNull;
use std::sync::atomic::AtomicU64;

/// `count` atomic words shared through a file.
pub struct SharedWords {
    ptr: NonNull<AtomicU64>,
    count: usize,
}

// SAFETY: the mapping is plain shared memory accessed only through atomics.
unsafe impl Send for SharedWords {}
// SAFETY: as above; every access is an atomic operation.
unsafe impl Sync for SharedWords {}

impl SharedWords {
    /// Maps the first `count` words of `file` (opened for reading and
    /// writing), extending the file with zeroes if it is shorter.
    pub fn map(file: &File, count: usize) -> io::Result<SharedWords> {
        let bytes =
            count.checked_mul(8).filter(|&b| b > 0).ok_or_else(|| io::Error::from(io::ErrorKind::InvalidInput))?;
        if file.metadata()?.len() < bytes as u64 {
            // Another process may extend it at the same time: both write
            // the same length, and nothing ever shortens it.
            file.set_len(bytes as u64)?;
        }
        // SAFETY: a new shared mapping of a descriptor we hold, at least
        // `bytes` long; the kernel picks the address.
        let addr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                bytes,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_SHARED,
                file.as_raw_fd(),
                0,
            )
        };
        if addr == libc::MAP_FAILED {
            return Err(io::Error::last_os_error());
        }
        let ptr = NonNull::new(addr.cast::<AtomicU64>()).ok_or_else(|| io::Error::from(io::ErrorKind::Other))?;
        Ok(SharedWords { ptr, count })
    }

    /// Word `index`; `None` past the mapped ones.
    pub fn word(&self, index: usize) -> Option<&AtomicU64> {
        // SAFETY: in bounds of the mapping, which is page aligned (so every
        // word is 8-byte aligned) and lives as long as `self`.
        (index < self.count).then(|| unsafe { &*self.ptr.as_ptr().add(index) })
    }
}

impl Drop for SharedWords {
    fn drop(&mut self) {
        // SAFETY: unmaps exactly the mapping made in `map`; no reference to
        // it outlives `self`.
        unsafe { libc::munmap(self.ptr.as_ptr().cast(), self.count * 8) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::Ordering;

    #[test]
    fn two_mappings_of_one_file_share_their_words_and_the_file_keeps_them() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("w");
        let open = || std::fs::OpenOptions::new().read(true).write(true).create(true).truncate(false).open(&path);
        let (a, b) = (open().expect("open"), open().expect("open"));
        let (wa, wb) = (SharedWords::map(&a, 4).expect("map"), SharedWords::map(&b, 4).expect("map"));
        assert_eq!(std::fs::metadata(&path).expect("stat").len(), 32);
        wa.word(3).expect("word").store(7, Ordering::Release);
        assert_eq!(wb.word(3).expect("word").fetch_max(5, Ordering::AcqRel), 7);
        assert!(wa.word(4).is_none());
        drop((wa, wb));
        let again = SharedWords::map(&open().expect("open"), 4).expect("map");
        assert_eq!(again.word(3).expect("word").load(Ordering::Acquire), 7);
    }
}

//! What runnel does when memory runs out: one line on stderr naming the
//! allocation it could not get and what to do, and exit 71 (sysexits'
//! `EX_OSERR`) — instead of Rust's default, an abort (SIGABRT, exit 134)
//! after "memory allocation of N bytes failed" and a "stack backtrace:"
//! line. The binary installs [`ExitOnOutOfMemory`] as its global
//! allocator: the system's allocator, with a failed allocation ending the
//! process where it failed. Nothing acknowledged is lost: a command that
//! ends this way has not exited 0, and what it appended is in the logs as
//! after any other failure.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write;

/// The exit code of a command that ran out of memory.
pub const OUT_OF_MEMORY_EXIT: i32 = 71;

/// The system allocator, ending the process on a failed allocation
/// (see the module doc).
pub struct ExitOnOutOfMemory;

// SAFETY: every call is passed to `System` unchanged; only a null result
// is turned into the process's end, which returns nothing to the caller.
unsafe impl GlobalAlloc for ExitOnOutOfMemory {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is `System`'s.
        let p = unsafe { System.alloc(layout) };
        if p.is_null() {
            out_of_memory(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as in `alloc`.
        let p = unsafe { System.alloc_zeroed(layout) };
        if p.is_null() {
            out_of_memory(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as in `alloc`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as in `alloc`.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if p.is_null() {
            out_of_memory(new_size);
        }
        p
    }
}

/// Writes the error line and exits; allocates nothing (the line is built
/// on the stack) and runs no destructors or exit handlers, which might.
#[cold]
#[inline(never)]
fn out_of_memory(bytes: usize) -> ! {
    let mut line = [0u8; 256];
    let len = error_line(bytes, &mut line);
    // SAFETY: writing an initialized stack buffer to stderr, then ending
    // the process; nothing after runs.
    unsafe {
        libc::write(2, line.as_ptr().cast(), len);
        libc::_exit(OUT_OF_MEMORY_EXIT)
    }
}

/// Fills `out` with the error line for an allocation of `bytes` (cut
/// short if it did not fit, which it does); returns its length. Formatting
/// an integer into a slice allocates nothing.
fn error_line(bytes: usize, out: &mut [u8; 256]) -> usize {
    let mut rest = &mut out[..];
    let _ = writeln!(
        rest,
        "runnel: error: out of memory: could not allocate {bytes} bytes; raise the memory limit \
         (ulimit -v, ulimit -d, a container's limit) or give runnel less at once \
         (a topic of fewer partitions, smaller messages)"
    );
    let left = rest.len();
    out.len() - left
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_error_line_names_the_size_and_what_to_do() {
        for (bytes, shown) in [(0usize, "0"), (16825, "16825"), (usize::MAX, "18446744073709551615")] {
            let mut out = [0u8; 256];
            let len = error_line(bytes, &mut out);
            let line = std::str::from_utf8(&out[..len]).expect("utf-8");
            assert!(line.starts_with("runnel: error: out of memory: could not allocate "), "{line}");
            assert!(line.contains(&format!(" {shown} bytes; raise the memory limit")), "{line}");
            assert!(line.ends_with(")\n") && line.matches('\n').count() == 1, "{line:?}");
        }
    }
}

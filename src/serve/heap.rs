//! The heap while serving: freed memory is kept for the next request while
//! clients are connected and handed back to the system when a connection
//! closes. One heap (glibc arena) for every thread: `malloc_trim` gives
//! back the free top only of the main one, so per-thread heaps kept a
//! finished read's buffers (41 MB) for good. A Fetch answer is megabytes of freshly written buffers; with
//! glibc's defaults each one was mapped (or trimmed back) and faulted in
//! page by page again at the next request — about 40% of serve's CPU time
//! in a `kcat -C` read (`perf record`, BENCHMARKS.md). Other allocators
//! (musl) keep their own policy: both calls do nothing there.

/// Buffers up to this size come from the heap, not from a mapping of their own.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD: i32 = 64 * 1024 * 1024;

/// Free memory kept at the top of a heap before it is given back.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const TRIM_THRESHOLD: i32 = 256 * 1024 * 1024;

/// Keeps freed memory for reuse, in one heap. Called before the process
/// starts any thread (a thread that allocated before has a heap of its own).
pub fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets allocator parameters; any value is accepted or refused.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
        libc::mallopt(libc::M_TRIM_THRESHOLD, TRIM_THRESHOLD);
    }
}

/// Gives the free memory of every heap back to the system (a connection
/// closed: an idle server stays small).
pub fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free pages to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}

//! Backing the heap's growth with transparent huge pages, for a producer
//! whose frame buffers spread over many partitions. Each of those buffers
//! is written a record at a time, in turn with hundreds of others: with
//! 4 KiB pages every buffer's first touch of a page is a fault (thousands
//! per run) and each record's write may miss the TLB; with 2 MiB pages the
//! budget's buffers are a handful of pages. Measured in BENCHMARKS.md
//! ("1000 partitions: the frame buffers on huge pages").
//!
//! The frame buffers come from the C library's heap, which grows by moving
//! the program break. [`HugeHeap::start`] has it grow a large step at a time
//! (`M_TOP_PAD`), and [`HugeHeap::cover`] asks the kernel (`madvise`
//! `MADV_HUGEPAGE`) to back what it grew by with huge pages, before the new
//! memory is first touched. Only advice: where the kernel's huge pages are
//! off, or the memory cannot be had, pages stay 4 KiB and nothing else
//! changes. The step is virtual memory; only what is touched is resident.

/// The huge page size the kernel backs advised memory with (x86-64, arm64
/// with 4 KiB base pages).
const HUGE_PAGE: usize = 2 << 20;

/// glibc's `M_TOP_PAD` default (mallopt(3)), restored by [`HugeHeap`]'s drop.
const DEFAULT_TOP_PAD: usize = 128 * 1024;

/// The heap's growth advised so far; see the module doc.
#[derive(Debug)]
pub struct HugeHeap {
    /// The program break up to which the heap is advised (or was, when
    /// started: memory below it is not ours to advise).
    advised_to: usize,
}

impl HugeHeap {
    /// Has the heap grow `step` bytes at a time from now on, each step
    /// advised by [`HugeHeap::cover`]. `None` where the heap is not glibc's,
    /// or where the data-size or address-space limit (`ulimit -d`, `-v`) is
    /// too tight for such steps.
    pub fn start(step: usize) -> Option<HugeHeap> {
        imp::start(step).map(|advised_to| HugeHeap { advised_to })
    }

    /// Advises the huge pages the heap has grown by since the last call
    /// (whole 2 MiB pages only); cheap when it has not grown. Call it right
    /// after allocating buffers, before writing to them.
    pub fn cover(&mut self) {
        let top = imp::program_break();
        if top < self.advised_to {
            // The heap gave memory back: what grows again is not advised.
            self.advised_to = top;
            return;
        }
        let start = self.advised_to.div_ceil(HUGE_PAGE) * HUGE_PAGE;
        let end = top / HUGE_PAGE * HUGE_PAGE;
        if end > start {
            imp::advise_huge(start, end - start);
            self.advised_to = end;
        }
    }
}

impl Drop for HugeHeap {
    fn drop(&mut self) {
        imp::set_top_pad(DEFAULT_TOP_PAD);
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod imp {
    /// Sets the heap's step and returns the program break, unless the
    /// data-size or address-space limit is under four steps: a step the
    /// limit refuses would fail an allocation a smaller one would not.
    pub fn start(step: usize) -> Option<usize> {
        let step_i32 = i32::try_from(step).ok()?;
        if !roomy(libc::RLIMIT_DATA, step) || !roomy(libc::RLIMIT_AS, step) {
            return None;
        }
        // SAFETY: mallopt only changes a malloc tuning parameter.
        if unsafe { libc::mallopt(libc::M_TOP_PAD, step_i32) } != 1 {
            return None;
        }
        Some(program_break())
    }

    /// Whether the soft `resource` limit is off or at least four steps.
    fn roomy(resource: libc::__rlimit_resource_t, step: usize) -> bool {
        let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
        // SAFETY: `limit` is a valid rlimit for the call to fill.
        if unsafe { libc::getrlimit(resource, &mut limit) } != 0 {
            return false;
        }
        limit.rlim_cur == libc::RLIM_INFINITY || limit.rlim_cur / 4 >= step as u64
    }

    pub fn set_top_pad(pad: usize) {
        if let Ok(pad) = i32::try_from(pad) {
            // SAFETY: as in `start`.
            unsafe { libc::mallopt(libc::M_TOP_PAD, pad) };
        }
    }

    /// The program break: the heap's end.
    pub fn program_break() -> usize {
        // SAFETY: `sbrk(0)` moves nothing; it returns the current break.
        unsafe { libc::sbrk(0) as usize }
    }

    /// Advises `len` bytes at `start` (whole huge pages inside the heap)
    /// to be backed by huge pages; a refusal leaves them as they are.
    pub fn advise_huge(start: usize, len: usize) {
        // SAFETY: the range lies inside the heap's mapping, between its
        // start and the current break; the advice changes no contents.
        unsafe { libc::madvise(start as *mut libc::c_void, len, libc::MADV_HUGEPAGE) };
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
mod imp {
    pub fn start(_step: usize) -> Option<usize> {
        None
    }

    pub fn set_top_pad(_pad: usize) {}

    pub fn program_break() -> usize {
        0
    }

    pub fn advise_huge(_start: usize, _len: usize) {}
}

//! File descriptors: a process writing to thousands of partitions holds a
//! lock file and three segment files open per replica of each. The soft
//! limit on open files (often 1024) is raised to the hard limit, as Go's
//! runtime does, and the descriptor table is grown once, up front, rather
//! than doubling as files open — which, once other threads run, waits for
//! an RCU grace period at every doubling.

/// Raises the soft limit on open files to the hard limit. Best effort.
pub fn raise_open_file_limit() {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit and setrlimit only read and write `limit`.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 && limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        }
    }
}

/// Grows the descriptor table to hold `count` descriptors (within the
/// limit) by duplicating one briefly to the highest of them. Best effort.
pub fn reserve_descriptors(count: usize) {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit only writes `limit`.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
        return;
    }
    let highest = (count as u64).min(limit.rlim_cur.saturating_sub(1));
    let Ok(highest) = libc::c_int::try_from(highest) else { return };
    if highest < 64 {
        return;
    }
    // SAFETY: F_DUPFD on standard error (or fails harmlessly if it is
    // closed); the duplicate is closed at once and never used.
    unsafe {
        let fd = libc::fcntl(2, libc::F_DUPFD_CLOEXEC, highest);
        if fd >= 0 {
            libc::close(fd);
        }
    }
}

//! File descriptors: a process writing to thousands of partitions holds a
//! lock file and three segment files open per replica of each. The soft
//! limit on open files (often 1024) is raised to the hard limit, as Go's
//! runtime does, and the descriptor table is grown once, up front, rather
//! than doubling as files open — which, once other threads run, waits for
//! an RCU grace period at every doubling. Where even the hard limit is too
//! low, [`fitting`] tells a holder of many files how many it may keep open
//! (the producer then closes its least recently used partitions).

/// Descriptors left for everything but the files a caller of [`fitting`]
/// keeps open: the standard streams, metadata reads, locks and folder
/// listings of a moment, write-backs still queued.
pub const RESERVED: u64 = 64;

/// The soft limit on open files; `None` when unlimited or unknown.
pub fn open_file_limit() -> Option<u64> {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit only writes `limit`.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 || limit.rlim_cur == libc::RLIM_INFINITY {
        return None;
    }
    Some(limit.rlim_cur)
}

/// How many holders of `each` descriptors may stay open at once, `shares`
/// of them sharing the soft limit: half of what the limit leaves after
/// [`RESERVED`] (the other half is slack for files a holder opens for a
/// moment), at least one. `usize::MAX` without a limit.
pub fn fitting(each: usize, shares: usize) -> usize {
    let Some(limit) = open_file_limit() else { return usize::MAX };
    let spare = limit.saturating_sub(RESERVED) / 2;
    let per_share = spare / (each.max(1) as u64) / (shares.max(1) as u64);
    usize::try_from(per_share).unwrap_or(usize::MAX).max(1)
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fitting_leaves_the_reserve_and_slack_and_never_says_zero() {
        let Some(limit) = open_file_limit() else { return };
        let each = 4;
        let fit = fitting(each, 2) as u64;
        assert!(fit >= 1);
        assert!(fit == 1 || fit * each as u64 * 2 + RESERVED <= limit, "{fit} holders of {each} under {limit}");
        assert_eq!(fitting(usize::MAX, 1), 1);
    }
}

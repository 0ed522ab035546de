//! Waiting in the kernel for an exclusive `flock`, with a deadline: the
//! wait is `flock(LOCK_EX)`, woken the moment the holder lets go, and a
//! one-shot timer signals this thread (`SIGALRM`, `SIGEV_THREAD_ID`, a
//! handler that does nothing and does not restart the call) at the
//! deadline, so the wait ends with `EINTR`. The timer goes on signalling
//! every `REPEAT` after the deadline: a signal that lands between arming
//! the timer and entering `flock` wakes nothing, and without the repeat the
//! wait would then outlast its deadline by as long as the holder keeps the
//! lock. Polling instead — a try, a
//! sleep, a try — leaves a lock free for up to a pause while waiters sleep:
//! under contention (eight producers on one partition) that is most of the
//! time.

use std::fs::File;
use std::io;
use std::os::fd::AsRawFd;
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// How often the timer signals again once the deadline has passed.
const REPEAT: Duration = Duration::from_millis(5);

extern "C" fn wake(_: libc::c_int) {}

/// Installs the do-nothing `SIGALRM` handler (once), without `SA_RESTART`.
fn install_handler() -> io::Result<()> {
    static INSTALL: Once = Once::new();
    static FAILED: AtomicBool = AtomicBool::new(false);
    INSTALL.call_once(|| {
        // SAFETY: a zeroed sigaction with a valid handler and an empty mask;
        // the handler is async-signal-safe (it does nothing).
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = wake as extern "C" fn(libc::c_int) as libc::sighandler_t;
            libc::sigemptyset(&mut action.sa_mask);
            action.sa_flags = 0;
            FAILED.store(libc::sigaction(libc::SIGALRM, &action, std::ptr::null_mut()) != 0, Ordering::Relaxed);
        }
    });
    if FAILED.load(Ordering::Relaxed) { Err(io::Error::other("cannot install the SIGALRM handler")) } else { Ok(()) }
}

/// Takes `flock(LOCK_EX)` on `file`, waiting until `deadline`: `Ok(true)`
/// once held, `Ok(false)` at the deadline, `Err` if the wait could not be
/// set up (the caller then polls).
pub fn lock_until(file: &File, deadline: Instant) -> io::Result<bool> {
    install_handler()?;
    loop {
        let remaining = deadline.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            return Ok(false);
        }
        // SAFETY: a zeroed sigevent is valid; the fields set are the ones
        // SIGEV_THREAD_ID reads.
        let mut event: libc::sigevent = unsafe { std::mem::zeroed() };
        event.sigev_notify = libc::SIGEV_THREAD_ID;
        event.sigev_signo = libc::SIGALRM;
        // SAFETY: gettid has no arguments and cannot fail.
        event.sigev_notify_thread_id = unsafe { libc::syscall(libc::SYS_gettid) } as libc::c_int;
        let mut timer: libc::timer_t = std::ptr::null_mut();
        // SAFETY: valid pointers to a sigevent and a timer id.
        if unsafe { libc::timer_create(libc::CLOCK_MONOTONIC, &mut event, &mut timer) } != 0 {
            return Err(io::Error::last_os_error());
        }
        let spec = libc::itimerspec {
            it_interval: libc::timespec { tv_sec: 0, tv_nsec: REPEAT.subsec_nanos() as libc::c_long },
            it_value: libc::timespec {
                tv_sec: remaining.as_secs() as libc::time_t,
                tv_nsec: remaining.subsec_nanos() as libc::c_long,
            },
        };
        // SAFETY: `timer` was just created; `spec` is valid.
        let armed = unsafe { libc::timer_settime(timer, 0, &spec, std::ptr::null_mut()) } == 0;
        let outcome = if armed {
            // SAFETY: a descriptor we hold.
            let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) };
            if rc == 0 { Ok(true) } else { Err(io::Error::last_os_error()) }
        } else {
            Err(io::Error::last_os_error())
        };
        // SAFETY: deletes the timer created above (a pending expiry is discarded).
        unsafe { libc::timer_delete(timer) };
        match outcome {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(path: &std::path::Path) -> File {
        std::fs::OpenOptions::new().read(true).write(true).create(true).truncate(false).open(path).expect("open")
    }

    #[test]
    fn a_waiter_gets_the_lock_when_it_is_released_and_gives_up_at_the_deadline() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("x.lock");
        let (a, b) = (open(&path), open(&path));
        assert!(lock_until(&a, Instant::now() + Duration::from_secs(1)).expect("free lock"));
        let started = Instant::now();
        assert!(!lock_until(&b, started + Duration::from_millis(50)).expect("wait"));
        assert!(started.elapsed() >= Duration::from_millis(50));
        let holder = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(30));
            drop(a);
        });
        assert!(lock_until(&b, Instant::now() + Duration::from_secs(10)).expect("released"));
        holder.join().expect("holder");
    }

    /// Deadlines a few microseconds away: the first signal often lands
    /// before the wait starts; the wait still ends soon after the deadline.
    #[test]
    fn a_deadline_that_passes_before_the_wait_starts_still_ends_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("x.lock");
        let holder = open(&path);
        assert!(lock_until(&holder, Instant::now() + Duration::from_secs(1)).expect("free lock"));
        let waiter = open(&path);
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for i in 0..2000u64 {
                let timed_out = !lock_until(&waiter, Instant::now() + Duration::from_micros(1 + i % 40)).expect("wait");
                let _ = tx.send(timed_out);
            }
        });
        for _ in 0..2000 {
            let timed_out = rx.recv_timeout(Duration::from_secs(5)).expect("a wait outlasted its deadline by seconds");
            assert!(timed_out);
        }
        drop(holder);
    }
}

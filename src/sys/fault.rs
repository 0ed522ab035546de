//! Fault injection for tests: a failing disk on demand. Production code
//! routes its segment writes and its fsyncs through [`write_all_at`] (or
//! [`write_all_vectored_at`]) and [`sync_data`]/[`sync_all`], which behave
//! exactly like the std calls unless one of these environment variables is
//! set (read once per process):
//!
//! - `RUNNEL_FAULT_WRITE_AFTER_BYTES=N`: the store writes its first `N`
//!   bytes, then every write fails with `ENOSPC` (a write straddling the
//!   limit writes its first part, as a real full disk does);
//! - `RUNNEL_FAULT_FSYNC=fail`: every fsync fails with `EIO`;
//! - `RUNNEL_FAULT_KILL_AT=STEP` or `STEP@N`: the process kills itself
//!   with `SIGKILL` the first (or `N`-th) time it reaches [`step`]`(STEP)`,
//!   as `kill -9` would at that point of a multi-step admin command. The
//!   steps are named `<command>.<point>` (`grep -rn 'fault::step' src`);
//! - `RUNNEL_FAULT_PANIC_AT=STEP` or `STEP@N`: the process panics there
//!   instead, as a bug in runnel would (what a user then sees is checked
//!   by the tests of `cli::panic_line`).
//!
//! Nothing else reads these variables; an unset or unparsable value means
//! no fault.

use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;
use std::os::unix::io::AsRawFd;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

/// The faults this process was asked to simulate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Faults {
    write_after_bytes: Option<u64>,
    fsync_fails: bool,
}

/// The step to fail at, at which time it is reached (1 = the first), and
/// how: killed (`true`) or a panic.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FailAt {
    step: String,
    nth: u64,
    kill: bool,
}

fn fail_at() -> Option<&'static FailAt> {
    static FAIL_AT: OnceLock<Option<FailAt>> = OnceLock::new();
    FAIL_AT
        .get_or_init(|| {
            let (value, kill) = match std::env::var("RUNNEL_FAULT_KILL_AT") {
                Ok(value) => (value, true),
                Err(_) => (std::env::var("RUNNEL_FAULT_PANIC_AT").ok()?, false),
            };
            let (step, nth) = match value.split_once('@') {
                Some((step, nth)) => (step, nth.trim().parse().ok()?),
                None => (value.as_str(), 1),
            };
            Some(FailAt { step: step.trim().to_string(), nth, kill })
        })
        .as_ref()
}

/// Times the step named in `RUNNEL_FAULT_KILL_AT` (or `_PANIC_AT`) was reached so far.
static STEPS_REACHED: AtomicU64 = AtomicU64::new(0);

/// A named point between two writes of a multi-step command: under
/// `RUNNEL_FAULT_KILL_AT` naming it, the process is killed here (`SIGKILL`,
/// nothing flushed or unwound); under `RUNNEL_FAULT_PANIC_AT`, it panics
/// here (the panic names the caller's place). Without them, nothing happens.
#[track_caller]
pub fn step(name: &str) {
    let Some(fail) = fail_at() else { return };
    if fail.step != name || STEPS_REACHED.fetch_add(1, Ordering::SeqCst) + 1 != fail.nth {
        return;
    }
    if !fail.kill {
        panic!("fault injected at step {name} (RUNNEL_FAULT_PANIC_AT)");
    }
    // SAFETY: raise only sends a signal to this process.
    unsafe {
        libc::raise(libc::SIGKILL);
    }
}

fn faults() -> Faults {
    static FAULTS: OnceLock<Faults> = OnceLock::new();
    *FAULTS.get_or_init(|| Faults {
        write_after_bytes: std::env::var("RUNNEL_FAULT_WRITE_AFTER_BYTES").ok().and_then(|v| v.trim().parse().ok()),
        fsync_fails: std::env::var("RUNNEL_FAULT_FSYNC").is_ok_and(|v| v == "fail"),
    })
}

/// Bytes written so far through [`write_all_at`] (counted only under a write fault).
static WRITTEN: AtomicU64 = AtomicU64::new(0);

/// `file.write_all_at(buf, pos)`, failing with `ENOSPC` past the write budget.
pub fn write_all_at(file: &File, buf: &[u8], pos: u64) -> io::Result<()> {
    let Some(limit) = faults().write_after_bytes else {
        return file.write_all_at(buf, pos);
    };
    let len = buf.len() as u64;
    let before = WRITTEN.fetch_add(len, Ordering::SeqCst);
    let allowed = limit.saturating_sub(before).min(len) as usize;
    file.write_all_at(&buf[..allowed], pos)?;
    if allowed < buf.len() {
        return Err(io::Error::from_raw_os_error(libc::ENOSPC));
    }
    Ok(())
}

/// [`write_all_at`] of `bufs` one after the other from `pos`, in as few
/// `pwritev` calls as the kernel takes.
pub fn write_all_vectored_at(file: &File, bufs: &[&[u8]], pos: u64) -> io::Result<()> {
    if faults().write_after_bytes.is_some() {
        let mut at = pos;
        for buf in bufs {
            write_all_at(file, buf, at)?;
            at += buf.len() as u64;
        }
        return Ok(());
    }
    let mut slices: Vec<io::IoSlice<'_>> = bufs.iter().map(|b| io::IoSlice::new(b)).collect();
    let mut rest = &mut slices[..];
    let mut at = pos;
    while !rest.is_empty() {
        let count = rest.len().min(IOV_MAX);
        let offset = libc::off_t::try_from(at).map_err(|_| io::Error::from_raw_os_error(libc::EFBIG))?;
        // SAFETY: `IoSlice` is ABI-compatible with `iovec` on Unix, and the
        // first `count` slices are live, initialized buffers.
        let written = unsafe { libc::pwritev(file.as_raw_fd(), rest.as_ptr().cast(), count as libc::c_int, offset) };
        match written {
            n if n > 0 => {
                at += n as u64;
                io::IoSlice::advance_slices(&mut rest, n as usize);
            }
            0 => return Err(io::Error::from(io::ErrorKind::WriteZero)),
            _ => {
                let e = io::Error::last_os_error();
                if e.kind() != io::ErrorKind::Interrupted {
                    return Err(e);
                }
            }
        }
    }
    Ok(())
}

/// The most buffers one `pwritev` takes (Linux's `UIO_MAXIOV`).
const IOV_MAX: usize = 1024;

/// `file.sync_data()`, or `EIO` under `RUNNEL_FAULT_FSYNC=fail`.
pub fn sync_data(file: &File) -> io::Result<()> {
    if faults().fsync_fails {
        return Err(io::Error::from_raw_os_error(libc::EIO));
    }
    file.sync_data()
}

/// `file.sync_all()`, or `EIO` under `RUNNEL_FAULT_FSYNC=fail`.
pub fn sync_all(file: &File) -> io::Result<()> {
    if faults().fsync_fails {
        return Err(io::Error::from_raw_os_error(libc::EIO));
    }
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// More buffers than one `pwritev` takes, of uneven lengths, land one
    /// after the other from the offset given, the file's earlier bytes kept.
    #[test]
    fn vectored_writes_land_whole_and_in_order() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("f");
        std::fs::write(&path, b"head").expect("write");
        let file = std::fs::OpenOptions::new().read(true).write(true).open(&path).expect("open");
        let bufs: Vec<Vec<u8>> = (0..IOV_MAX + 300).map(|i| vec![(i % 251) as u8; 1 + i % 13]).collect();
        let slices: Vec<&[u8]> = bufs.iter().map(Vec::as_slice).collect();
        write_all_vectored_at(&file, &slices, 4).expect("vectored write");
        let mut expected = b"head".to_vec();
        expected.extend(bufs.concat());
        assert_eq!(std::fs::read(&path).expect("read"), expected);
    }
}

//! The process groups of the commands running now (each command runs in a
//! group of its own, see [`super::runner`]), so that a second Ctrl-C or
//! SIGTERM, which ends runnel at once, ends each command with everything
//! it started — the other programs of a shell pipeline, a background job —
//! and not only the process runnel started (which `PR_SET_PDEATHSIG`
//! kills). [`kill_all`] is async-signal-safe: atomics and `kill(2)` only.

use std::sync::atomic::{AtomicI32, Ordering};

/// Commands tracked at once; one started beyond them still dies with
/// runnel, without its group.
const SLOTS: usize = 4096;

static GROUPS: [AtomicI32; SLOTS] = [const { AtomicI32::new(0) }; SLOTS];

/// A command's process group, tracked until this is dropped (after the
/// command was waited for).
pub struct Tracked(Option<usize>);

/// Tracks the process group `pgid` (a command's pid, as it leads its group).
pub fn track(pgid: i32) -> Tracked {
    let slot = (0..SLOTS).find(|&i| GROUPS[i].compare_exchange(0, pgid, Ordering::AcqRel, Ordering::Relaxed).is_ok());
    Tracked(slot)
}

impl Drop for Tracked {
    fn drop(&mut self) {
        if let Some(i) = self.0 {
            GROUPS[i].store(0, Ordering::Release);
        }
    }
}

/// Sends SIGKILL to every tracked process group (from a signal handler).
pub fn kill_all() {
    for slot in &GROUPS {
        let pgid = slot.load(Ordering::Acquire);
        if pgid > 0 {
            // SAFETY: kill(2) is async-signal-safe and touches no memory of ours.
            unsafe { libc::kill(-pgid, libc::SIGKILL) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tracked_group_is_killed_whole_and_forgotten_once_dropped() {
        use std::os::unix::process::CommandExt;
        let mut child = std::process::Command::new("/bin/sh")
            .args(["-c", "sleep 30 & sleep 30; wait"])
            .process_group(0)
            .spawn()
            .expect("spawn");
        let pgid = child.id() as i32;
        let tracked = track(pgid);
        assert!(GROUPS.iter().any(|g| g.load(Ordering::Acquire) == pgid));
        std::thread::sleep(std::time::Duration::from_millis(100));
        kill_all();
        let status = child.wait().expect("wait");
        assert!(!status.success());
        // Its background `sleep` went with it: nothing of the group is alive
        // (a killed process may stay a zombie until its new parent reaps it).
        let alive_in_group = || {
            std::fs::read_dir("/proc").expect("proc").flatten().any(|e| {
                let stat = std::fs::read_to_string(e.path().join("stat")).unwrap_or_default();
                // pid (comm) state ppid pgrp ...
                let fields: Vec<&str> = stat.rsplit_once(')').map_or("", |(_, rest)| rest).split_whitespace().collect();
                fields.len() > 2 && fields[2] == pgid.to_string() && fields[0] != "Z"
            })
        };
        let mut gone = false;
        for _ in 0..100 {
            if !alive_in_group() {
                gone = true;
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert!(gone, "a process of the group survived");
        drop(tracked);
        assert!(!GROUPS.iter().any(|g| g.load(Ordering::Acquire) == pgid));
    }
}

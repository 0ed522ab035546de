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
/// command was waited for): the slot that holds it.
pub struct Tracked(Option<&'static AtomicI32>);

/// Tracks the process group `pgid` (a command's pid, as it leads its group).
pub fn track(pgid: i32) -> Tracked {
    track_in(&GROUPS, pgid)
}

/// Tracks `pgid` in the first free slot of `slots`.
fn track_in(slots: &'static [AtomicI32], pgid: i32) -> Tracked {
    Tracked(slots.iter().find(|slot| slot.compare_exchange(0, pgid, Ordering::AcqRel, Ordering::Relaxed).is_ok()))
}

impl Drop for Tracked {
    fn drop(&mut self) {
        if let Some(slot) = self.0 {
            slot.store(0, Ordering::Release);
        }
    }
}

/// Sends SIGKILL to every tracked process group (from a signal handler).
pub fn kill_all() {
    kill_in(&GROUPS);
}

/// Sends SIGKILL to the process group of every taken slot of `slots`.
fn kill_in(slots: &[AtomicI32]) {
    for slot in slots {
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

    /// Slots of this test's own: `kill_all` would also kill the commands
    /// that other tests of this binary run at the same time
    /// (`runner::tests`), whose groups `GROUPS` tracks.
    static TEST_GROUPS: [AtomicI32; 4] = [const { AtomicI32::new(0) }; 4];

    #[test]
    fn a_tracked_group_is_killed_whole_and_forgotten_once_dropped() {
        use std::os::unix::process::CommandExt;
        let mut child = std::process::Command::new("/bin/sh")
            .args(["-c", "sleep 30 & sleep 30; wait"])
            .process_group(0)
            .spawn()
            .expect("spawn");
        let pgid = child.id() as i32;
        let tracked = track_in(&TEST_GROUPS, pgid);
        assert!(TEST_GROUPS.iter().any(|g| g.load(Ordering::Acquire) == pgid));
        std::thread::sleep(std::time::Duration::from_millis(100));
        kill_in(&TEST_GROUPS);
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
        assert!(!TEST_GROUPS.iter().any(|g| g.load(Ordering::Acquire) == pgid));
    }
}

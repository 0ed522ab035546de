//! A member's background heartbeat: a thread that refreshes the
//! modification time of the member's liveness claim every
//! `session_timeout / 3`, so a member blocked on a slow output pipe is not
//! evicted, while a hung process (SIGSTOP stops all its threads) is. The
//! thread opens the claim by path (no second handle on the lock) and ends
//! when the handle is dropped or the claim file is gone.

use std::fs::OpenOptions;
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, SystemTime};

/// The running heartbeat; stops (and joins its thread) when dropped.
#[derive(Debug)]
pub struct Heartbeat {
    stop: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Heartbeat {
    /// Starts touching `path` every `every`.
    pub fn start(path: PathBuf, every: Duration) -> Heartbeat {
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("runnel-heartbeat".to_string())
            .spawn(move || {
                while let Err(RecvTimeoutError::Timeout) = stopped.recv_timeout(every) {
                    // Without waiting: a FIFO put there would block this
                    // open for ever, and the consumer's exit joins this thread.
                    let opened = OpenOptions::new().write(true).custom_flags(libc::O_NONBLOCK).open(&path);
                    let Ok(file) = opened else { return };
                    if file.set_modified(SystemTime::now()).is_err() {
                        return;
                    }
                }
            })
            .ok();
        Heartbeat { stop: Some(stop), thread }
    }
}

impl Drop for Heartbeat {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn touches_until_dropped() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("m.lock");
        std::fs::write(&path, b"x").expect("write");
        let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1);
        std::fs::File::options().write(true).open(&path).expect("open").set_modified(old).expect("set");
        let beat = Heartbeat::start(path.clone(), Duration::from_millis(5));
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while std::fs::metadata(&path).and_then(|m| m.modified()).expect("mtime") == old {
            assert!(std::time::Instant::now() < deadline, "no heartbeat");
            std::thread::sleep(Duration::from_millis(5));
        }
        drop(beat);
    }

    #[test]
    fn a_fifo_in_place_of_the_claim_ends_the_thread_and_the_drop_returns() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("m.lock");
        let made = std::process::Command::new("mkfifo").arg(&path).status().expect("mkfifo");
        assert!(made.success());
        let beat = Heartbeat::start(path, Duration::from_millis(5));
        std::thread::sleep(Duration::from_millis(50));
        // Dropped elsewhere: a thread stuck opening the FIFO would hold the join.
        let (done, dropped) = mpsc::channel();
        std::thread::spawn(move || {
            drop(beat);
            let _ = done.send(());
        });
        assert!(dropped.recv_timeout(Duration::from_secs(5)).is_ok(), "the heartbeat thread waits on the FIFO");
    }
}

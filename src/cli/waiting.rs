//! The loop behind `topic wait` and `group wait`: look, and if the point is
//! not reached, sleep until a watched folder changes (or a short pause
//! passes), until a deadline. A thing that does not exist yet is waited for
//! too (exit 66 only once the deadline passed).

use std::time::{Duration, Instant};

use crate::consumer::wake::Wakeup;
use crate::error::{ErrorKind, Result};

/// Calls `look` until it returns `Ok(true)` (reached: `Ok(true)`) or
/// `timeout` passes (`Ok(false)`). `look` registers the folders to watch.
/// A not-found error counts as "not yet" until the deadline.
pub fn wait_until(
    timeout: Duration,
    longest_pause: Duration,
    mut look: impl FnMut(&mut Wakeup) -> Result<bool>,
) -> Result<bool> {
    let deadline = Instant::now() + timeout;
    let mut wakeup = Wakeup::new();
    loop {
        match look(&mut wakeup) {
            Ok(true) => return Ok(true),
            Ok(false) => {}
            Err(e) if e.kind == ErrorKind::NotFound && Instant::now() < deadline => {}
            Err(e) => return Err(e),
        }
        let now = Instant::now();
        if now >= deadline {
            return Ok(false);
        }
        wakeup.wait((deadline - now).min(longest_pause));
    }
}

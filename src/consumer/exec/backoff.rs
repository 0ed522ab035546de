//! The wait before a command is tried again (`--retry-backoff`,
//! `--retry-backoff-max`): exponential, as Kafka's `retry.backoff.ms` and
//! `retry.backoff.max.ms` — the first retry waits `initial`, each next one
//! twice as long, never more than `max`.

use std::time::Duration;

/// `--retry-backoff` and `--retry-backoff-max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub initial: Duration,
    pub max: Duration,
}

impl Default for Backoff {
    /// 100 ms doubling up to 10 s.
    fn default() -> Self {
        Backoff { initial: Duration::from_millis(100), max: Duration::from_secs(10) }
    }
}

impl Backoff {
    /// The wait before try number `failures + 1`, after `failures` failed
    /// tries (at least 1).
    pub fn after(&self, failures: u32) -> Duration {
        let doublings = failures.saturating_sub(1).min(30);
        self.initial.saturating_mul(1 << doublings).min(self.max.max(self.initial))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_up_to_the_cap() {
        let b = Backoff { initial: Duration::from_millis(100), max: Duration::from_millis(500) };
        let waits: Vec<u128> = (1..=5).map(|n| b.after(n).as_millis()).collect();
        assert_eq!(waits, [100, 200, 400, 500, 500]);
        assert_eq!(b.after(u32::MAX), Duration::from_millis(500));
    }

    #[test]
    fn a_cap_below_the_initial_wait_keeps_the_initial_wait() {
        let b = Backoff { initial: Duration::from_secs(2), max: Duration::from_secs(1) };
        assert_eq!(b.after(3), Duration::from_secs(2));
    }
}

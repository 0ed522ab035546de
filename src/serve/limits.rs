//! What one `runnel serve` lets its clients cost, whatever they send: at
//! most [`MAX_CONNECTIONS`] connections (a thread each; one more is closed
//! as soon as it is accepted), and at most [`MAX_QUEUED_REQUEST_BYTES`] of
//! request frames being read or handled at once across every connection
//! (Kafka's `queued.max.request.bytes` with its memory pool: a connection
//! whose frame does not fit waits, reading nothing more, until earlier
//! requests are done). A frame holds what has arrived of it (a chunk
//! ahead), not the size it claims, so claims alone starve no one. Each connection's own cost is bounded in
//! `connection`: one request at a time, one response at a time, and
//! deadlines for a frame to arrive and a response to be taken.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::Instant;

/// The most connections served at once.
pub const MAX_CONNECTIONS: usize = 1024;

/// The most bytes of request frames held at once, all connections together
/// (twice the largest frame, so a largest frame always fits once the
/// others are done).
pub const MAX_QUEUED_REQUEST_BYTES: usize = 2 * super::frame::MAX_REQUEST_BYTES;

/// The connections being served.
#[derive(Default)]
pub struct Connections {
    open: AtomicUsize,
}

/// One connection counted until it drops.
pub struct Counted<'a>(&'a Connections);

impl Connections {
    /// Counts a new connection, or `None` when [`MAX_CONNECTIONS`] are open.
    pub fn admit(&self) -> Option<Counted<'_>> {
        let mut open = self.open.load(Ordering::Acquire);
        loop {
            if open >= MAX_CONNECTIONS {
                return None;
            }
            match self.open.compare_exchange(open, open + 1, Ordering::AcqRel, Ordering::Acquire) {
                Ok(_) => return Some(Counted(self)),
                Err(seen) => open = seen,
            }
        }
    }

    pub fn open(&self) -> usize {
        self.open.load(Ordering::Acquire)
    }
}

impl Drop for Counted<'_> {
    fn drop(&mut self) {
        self.0.open.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The bytes of request frames held, against [`MAX_QUEUED_REQUEST_BYTES`].
pub struct RequestMemory {
    used: Mutex<usize>,
    freed: Condvar,
    limit: usize,
}

impl Default for RequestMemory {
    fn default() -> Self {
        RequestMemory::with_limit(MAX_QUEUED_REQUEST_BYTES)
    }
}

/// `bytes` of request memory held until dropped.
pub struct Lease<'a> {
    pool: &'a RequestMemory,
    bytes: usize,
}

impl RequestMemory {
    pub fn with_limit(limit: usize) -> RequestMemory {
        RequestMemory { used: Mutex::new(0), freed: Condvar::new(), limit }
    }

    /// Takes `bytes` (at most the limit), waiting for earlier leases to be
    /// dropped until `deadline`; `None` when it passed first.
    pub fn take(&self, bytes: usize, deadline: Instant) -> Option<Lease<'_>> {
        let mut lease = Lease { pool: self, bytes: 0 };
        lease.grow_to(bytes, deadline).then_some(lease)
    }

    /// Adds `bytes` to what is held, waiting until `deadline` for room;
    /// false (nothing added) when it passed first.
    fn reserve(&self, bytes: usize, deadline: Instant) -> bool {
        let mut used = self.used.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        while *used + bytes > self.limit {
            let Some(left) = deadline.checked_duration_since(Instant::now()) else { return false };
            used = self.freed.wait_timeout(used, left).map(|(g, _)| g).unwrap_or_else(|p| p.into_inner().0);
        }
        *used += bytes;
        true
    }

    /// The bytes held now.
    pub fn used(&self) -> usize {
        *self.used.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Lease<'_> {
    /// Grows the lease to `bytes` (at most the pool's limit), waiting as
    /// [`RequestMemory::take`] does; false, the lease unchanged, when the
    /// deadline passed first. A frame's lease grows as its bytes arrive.
    pub fn grow_to(&mut self, bytes: usize, deadline: Instant) -> bool {
        let bytes = bytes.min(self.pool.limit);
        if bytes <= self.bytes {
            return true;
        }
        if !self.pool.reserve(bytes - self.bytes, deadline) {
            return false;
        }
        self.bytes = bytes;
        true
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        let mut used = self.pool.used.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        *used = used.saturating_sub(self.bytes);
        self.pool.freed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn connections_past_the_cap_are_refused_until_one_closes() {
        let connections = Connections::default();
        let held: Vec<_> = (0..MAX_CONNECTIONS).map(|_| connections.admit()).collect();
        assert!(held.iter().all(Option::is_some));
        assert!(connections.admit().is_none());
        drop(held);
        assert_eq!(connections.open(), 0);
        assert!(connections.admit().is_some());
    }

    #[test]
    fn a_lease_that_does_not_fit_waits_for_one_dropped() {
        let pool = RequestMemory::with_limit(100);
        let first = pool.take(80, Instant::now()).expect("fits");
        assert!(pool.take(30, Instant::now() + Duration::from_millis(20)).is_none(), "80 + 30 > 100");
        std::thread::scope(|s| {
            let waiter = s.spawn(|| pool.take(30, Instant::now() + Duration::from_secs(30)).map(|l| l.bytes));
            drop(first);
            assert_eq!(waiter.join().ok().flatten(), Some(30));
        });
        assert_eq!(pool.used(), 0);
        assert_eq!(pool.take(1000, Instant::now()).map(|l| l.bytes), Some(100), "capped at the limit");
    }

    #[test]
    fn a_lease_grows_as_room_allows_and_gives_back_all_it_grew_to() {
        let pool = RequestMemory::with_limit(100);
        let mut growing = pool.take(10, Instant::now()).expect("fits");
        let other = pool.take(50, Instant::now()).expect("fits");
        assert!(growing.grow_to(50, Instant::now()), "10 + 40 more + 50 = 100");
        assert!(!growing.grow_to(60, Instant::now() + Duration::from_millis(20)), "no room for 10 more");
        assert_eq!((growing.bytes, pool.used()), (50, 100), "a failed growth takes nothing");
        drop(other);
        assert!(growing.grow_to(90, Instant::now()));
        drop(growing);
        assert_eq!(pool.used(), 0);
    }
}

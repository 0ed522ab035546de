//! State shared by every connection of one `runnel serve` ([`ServerState`])
//! and the state of one connection ([`ConnState`]). Per-server state of a
//! feature (a group coordinator, producer ids) is a field of
//! [`ServerState`], built in [`ServerState::new`] and locked inside.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::dispatch::Registry;
use super::handlers;
use super::limits::{Connections, RequestMemory};
use super::produce::slots::Slots;
use crate::cluster::Cluster;
use crate::consumer::group::remote::Coordinator;

pub struct ServerState {
    /// The data dir.
    pub cluster: Cluster,
    /// The APIs served.
    pub registry: Registry,
    /// The group coordinator of the Kafka clients in the data dir's groups.
    pub groups: Coordinator,
    /// The partitions produced to: writers and idempotent-producer state.
    pub slots: Slots,
    /// The connections open, against `limits::MAX_CONNECTIONS`.
    pub connections: Connections,
    /// The request frames held, against `limits::MAX_QUEUED_REQUEST_BYTES`.
    pub request_memory: RequestMemory,
    /// Whether each request is logged on stderr (`serve --log-requests`).
    pub log_requests: bool,
    /// Each broker's listener address (what Metadata advertises).
    listeners: Mutex<BTreeMap<u32, SocketAddr>>,
    stopping: AtomicBool,
    in_flight: AtomicUsize,
}

impl ServerState {
    pub fn new(cluster: Cluster, log_requests: bool) -> ServerState {
        let groups = Coordinator::new(&cluster);
        ServerState {
            cluster,
            registry: Registry::new(handlers::all()),
            groups,
            slots: Slots::default(),
            connections: Connections::default(),
            request_memory: RequestMemory::default(),
            log_requests,
            listeners: Mutex::default(),
            stopping: AtomicBool::new(false),
            in_flight: AtomicUsize::new(0),
        }
    }

    /// The listener address of every broker, by id.
    pub fn listeners(&self) -> BTreeMap<u32, SocketAddr> {
        self.listeners.lock().map(|l| l.clone()).unwrap_or_default()
    }

    pub(super) fn add_listener(&self, broker: u32, addr: SocketAddr) {
        if let Ok(mut listeners) = self.listeners.lock() {
            listeners.insert(broker, addr);
        }
    }

    /// Whether the server is shutting down (long waits end early).
    pub fn stopping(&self) -> bool {
        self.stopping.load(Ordering::Acquire)
    }

    pub(super) fn stop(&self) {
        self.stopping.store(true, Ordering::Release);
    }

    /// Marks a request as being handled until the guard drops.
    pub(super) fn begin_request(&self) -> InFlight<'_> {
        self.in_flight.fetch_add(1, Ordering::AcqRel);
        InFlight(self)
    }

    pub(super) fn requests_in_flight(&self) -> usize {
        self.in_flight.load(Ordering::Acquire)
    }
}

/// A request being handled (see `ServerState::begin_request`).
pub struct InFlight<'a>(&'a ServerState);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

/// One client connection.
#[derive(Debug)]
pub struct ConnState {
    pub peer: SocketAddr,
    /// Set by a handler whose request gets no response (Produce with
    /// acks=0); cleared before each request.
    pub no_reply: bool,
    /// Set by a handler after which the connection is closed, with why:
    /// a failed Produce with acks=0, which Kafka answers by closing, the
    /// producer's only way to learn of it.
    pub close_after: Option<String>,
}

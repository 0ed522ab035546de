//! The listeners: one per broker of the data dir, broker N on PORT+N (port
//! 0: each broker on a port the system picks), each accepting on its own
//! thread and serving each connection on a thread of its own — a dev/CI
//! server has few connections, and blocking reads keep it simple and small.

use std::net::{SocketAddr, TcpListener, ToSocketAddrs};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::connection::serve_connection;
use super::state::ServerState;
use crate::cluster::Cluster;
use crate::error::{Error, Result};

/// How `runnel serve` listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeSettings {
    /// The host to bind (a name or an address).
    pub host: String,
    /// Broker 0's port; broker N listens on `port + N` (0: system-chosen ports).
    pub port: u16,
    /// Whether a non-loopback address may be bound (there is no authentication).
    pub allow_remote: bool,
    /// Whether each request is logged on stderr as it arrives and when it is
    /// answered (`serve --log-requests`).
    pub log_requests: bool,
}

/// A running server.
pub struct Server {
    state: Arc<ServerState>,
}

impl Server {
    /// Binds every broker's listener and starts accepting.
    pub fn start(cluster: Cluster, settings: &ServeSettings) -> Result<Server> {
        let meta = cluster.meta()?;
        let state = Arc::new(ServerState::new(cluster, settings.log_requests));
        super::groups::start_ticker(Arc::clone(&state));
        for id in meta.brokers.iter().map(|b| b.id) {
            let listener = bind(settings, id)?;
            let addr =
                listener.local_addr().map_err(|e| Error::other(format!("cannot read a listener's address: {e}")))?;
            state.add_listener(id, addr);
            let server = Arc::clone(&state);
            let spawned = std::thread::Builder::new()
                .name(format!("serve-broker-{id}"))
                .spawn(move || accept_loop(server, id, listener));
            spawned.map_err(|e| Error::other(format!("cannot start broker {id}'s listener thread: {e}")))?;
        }
        Ok(Server { state })
    }

    /// Each broker's listener address.
    pub fn listeners(&self) -> Vec<(u32, SocketAddr)> {
        self.state.listeners().into_iter().collect()
    }

    /// Stops taking requests and waits (at most `grace`) for those being
    /// handled, so no append is cut half way by the process ending.
    pub fn shutdown(self, grace: Duration) {
        self.state.stop();
        let deadline = Instant::now() + grace;
        while self.state.requests_in_flight() > 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

/// Whether binding `host` is allowed: loopback always, anything else only
/// with `allow_remote`.
pub fn check_host(settings: &ServeSettings) -> Result<Vec<SocketAddr>> {
    let addrs: Vec<SocketAddr> = (settings.host.as_str(), settings.port)
        .to_socket_addrs()
        .map_err(|e| Error::usage(format!("cannot resolve --listen host '{}': {e}", settings.host)))?
        .collect();
    if addrs.is_empty() {
        return Err(Error::usage(format!("--listen host '{}' has no address", settings.host)));
    }
    if !settings.allow_remote && addrs.iter().any(|a| !a.ip().is_loopback()) {
        return Err(Error::usage(format!(
            "--listen {} is not a loopback address; runnel serve has no authentication, so binding beyond \
             this machine needs --allow-remote",
            settings.host
        )));
    }
    Ok(addrs)
}

fn bind(settings: &ServeSettings, broker: u32) -> Result<TcpListener> {
    let addrs = check_host(settings)?;
    let port = if settings.port == 0 {
        0
    } else {
        u16::try_from(u32::from(settings.port) + broker).map_err(|_| {
            Error::usage(format!("broker {broker} would listen on port {} + {broker}, above 65535", settings.port))
        })?
    };
    let addr = SocketAddr::new(addrs[0].ip(), port);
    TcpListener::bind(addr).map_err(|e| {
        Error::unavailable(format!("cannot listen on {addr} for broker {broker}: {e}; pick another --listen port"))
    })
}

fn accept_loop(server: Arc<ServerState>, broker: u32, listener: TcpListener) {
    for stream in listener.incoming() {
        if server.stopping() {
            return;
        }
        let Ok(stream) = stream else { continue };
        let server = Arc::clone(&server);
        // A connection that cannot get a thread is dropped; the server stays.
        let _ = std::thread::Builder::new().name(format!("serve-conn-{broker}")).spawn(move || {
            serve_connection(server, broker, stream);
            super::heap::release_freed_memory();
        });
    }
}

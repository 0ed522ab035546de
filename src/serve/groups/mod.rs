//! The group coordinator's wire side: Kafka's classic group protocol
//! (FindCoordinator, JoinGroup, SyncGroup, Heartbeat, LeaveGroup,
//! OffsetCommit, OffsetFetch, DescribeGroups, ListGroups, DeleteGroups)
//! decoded into `consumer::group::remote`'s terms and its answers encoded.
//! Kafka clients join the data dir's groups beside `runnel consume --group`
//! processes (ARCHITECTURE.md, "Kafka clients in a runnel group"); the
//! handlers in `handlers/` call these functions.

pub mod admin;
pub mod codec;
pub mod membership;
pub mod offsets;

use std::sync::Arc;

use kafka_protocol::messages::RequestHeader;

pub use membership::{Node, Peer};

use super::dispatch::Ctx;
use super::state::ServerState;
use crate::consumer::group::membership::CHECK_INTERVAL;

/// The client of a request: its `client.id` and its address as Kafka shows it.
pub fn peer(ctx: &Ctx, header: &RequestHeader) -> Peer {
    Peer {
        client_id: header.client_id.as_ref().map(|c| c.as_str().to_string()).unwrap_or_default(),
        host: format!("/{}", ctx.conn.peer.ip()),
    }
}

/// The broker whose listener took the connection: the coordinator a client is told of.
pub fn node(ctx: &Ctx) -> Node {
    let listeners = ctx.server.listeners();
    let addr = listeners.get(&ctx.broker);
    Node {
        id: i32::try_from(ctx.broker).unwrap_or(i32::MAX),
        host: addr.map(|a| a.ip().to_string()).unwrap_or_default(),
        port: addr.map_or(-1, |a| i32::from(a.port())),
    }
}

/// Starts the coordinator's periodic look (`Coordinator::tick`: silent
/// clients evicted, grown topics rebalanced) on a thread of its own, every
/// `CHECK_INTERVAL` until the server stops.
pub fn start_ticker(state: Arc<ServerState>) {
    let _ = std::thread::Builder::new().name("serve-groups".to_string()).spawn(move || {
        while !state.stopping() {
            // A failed look (a busy or damaged group file) is tried again at the next.
            let _ = state.groups.tick();
            std::thread::sleep(CHECK_INTERVAL);
        }
    });
    // Without the thread (it could not start), CLI members still evict silent
    // clients, and requests are served as before.
}

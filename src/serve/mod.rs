//! `runnel serve`: the Kafka wire protocol over the data dir, so unmodified
//! Kafka clients (Java, librdkafka, franz-go, kafka-python) use the same
//! topics as the CLI. Sits beside `backend/`, under `cli/`; uses the domain
//! layers (`consumer`, `producer`, `cluster`, `store`, `envelope`, `sys`).
//!
//! The parts: `server` binds one listener per broker of the data dir
//! (broker N on PORT+N) and runs a thread per connection; `connection`
//! reads size-prefixed frames (bounded by [`frame::MAX_REQUEST_BYTES`]),
//! decodes the request header and hands the request to `dispatch`, which
//! finds the handler for its API key in the registry and checks the
//! version; `handlers/` holds one file per API (`handlers/refused/`: the
//! APIs of features runnel does not have, answered with Kafka's error code
//! for them). `limits` bounds what clients can cost: connections, and the
//! request bytes held at once.
//!
//! Adding an API is adding a file `handlers/<api>.rs` with
//! `pub const VERSIONS: VersionRange` (the versions served) and
//! `pub fn handle(ctx: &mut Ctx, header: &RequestHeader, request: XRequest) -> XResponse`,
//! and its name in the `handlers!` list of `handlers/mod.rs`: the request
//! type picks the API key, ApiVersions advertises it from the registry.
//! A handler answers errors with Kafka's error codes inside its response;
//! it never fails the connection.
//!
//! What a handler reaches through its [`Ctx`]:
//! - `ctx.server.cluster`: the data dir's [`crate::cluster::Cluster`] handle
//!   (metadata snapshots, admin operations; it is `Clone` and thread-safe);
//! - `ctx.server`: the [`ServerState`] shared by every connection of the
//!   process — per-server state (a group coordinator, producer-id state,
//!   the listener addresses) is a field there, built in `ServerState::new`,
//!   with its own interior locking;
//! - `ctx.broker`: the broker whose listener took the connection (requests
//!   for partitions it does not lead get NOT_LEADER_OR_FOLLOWER);
//! - `ctx.conn`: per-connection state ([`ConnState`]).

pub mod authorized;
pub mod broker_configs;
pub mod config_synonyms;
mod connection;
pub mod dispatch;
pub mod errors;
pub mod frame;
pub mod groups;
pub mod handlers;
pub mod heap;
pub mod leadership;
pub mod limits;
pub mod produce;
pub mod records;
mod server;
pub mod state;
pub mod topic_ids;

pub use dispatch::Ctx;
pub use server::check_host;
pub use server::{ServeSettings, Server};
pub use state::{ConnState, ServerState};

/// One line on serve's stderr (`runnel: serve: ...`), whatever `text`
/// holds (a decoder's message may end in a newline).
pub fn note(text: &str) {
    use std::io::Write;
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let _ = writeln!(std::io::stderr().lock(), "runnel: serve: {text}");
}

/// Says on serve's stderr that groups may keep offsets of an earlier topic
/// of the name just created (a group that could not be read), as `topic
/// create` warns.
pub fn note_stale(name: &str, stale: Option<crate::error::Error>) {
    if let Some(e) = stale {
        note(&format!("groups may keep offsets of an earlier '{name}': {}", e.message));
    }
}

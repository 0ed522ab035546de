//! Heartbeat (key 12): keeps a member in its group; tells it of a new generation.
//! The logic is `serve::groups`'s; the group state is the data dir's
//! (`consumer::group::remote`).

use kafka_protocol::messages::{RequestHeader, HeartbeatRequest, HeartbeatResponse};
use kafka_protocol::protocol::VersionRange;

use crate::serve::dispatch::Ctx;
use crate::serve::groups;

pub const VERSIONS: VersionRange = VersionRange { min: 0, max: 4 };

pub fn handle(ctx: &mut Ctx, header: &RequestHeader, request: HeartbeatRequest) -> HeartbeatResponse {
    let _ = header;
    groups::membership::heartbeat(&ctx.server.groups, &request)
}

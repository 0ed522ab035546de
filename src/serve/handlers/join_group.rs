//! JoinGroup (key 11): a client joins a group; runnel assigns, every client follows.
//! The logic is `serve::groups`'s; the group state is the data dir's
//! (`consumer::group::remote`).

use kafka_protocol::messages::{RequestHeader, JoinGroupRequest, JoinGroupResponse};
use kafka_protocol::protocol::VersionRange;

use crate::serve::dispatch::Ctx;
use crate::serve::groups;

pub const VERSIONS: VersionRange = VersionRange { min: 0, max: 9 };

pub fn handle(ctx: &mut Ctx, header: &RequestHeader, request: JoinGroupRequest) -> JoinGroupResponse {
    let peer = groups::peer(ctx, header);
    groups::membership::join_group(&ctx.server.groups, &request, header.request_api_version, &peer)
}

//! SyncGroup (key 14): a member's assignment, once serve holds its partitions' claims.
//! The logic is `serve::groups`'s; the group state is the data dir's
//! (`consumer::group::remote`).

use kafka_protocol::messages::{RequestHeader, SyncGroupRequest, SyncGroupResponse};
use kafka_protocol::protocol::VersionRange;

use crate::serve::dispatch::Ctx;
use crate::serve::groups;

pub const VERSIONS: VersionRange = VersionRange { min: 0, max: 5 };

pub fn handle(ctx: &mut Ctx, header: &RequestHeader, request: SyncGroupRequest) -> SyncGroupResponse {
    groups::membership::sync_group(&ctx.server.groups, &request, header.request_api_version)
}

//! LeaveGroup (key 13): members leave (one, or a batch from v3).
//! The logic is `serve::groups`'s; the group state is the data dir's
//! (`consumer::group::remote`).

use kafka_protocol::messages::{RequestHeader, LeaveGroupRequest, LeaveGroupResponse};
use kafka_protocol::protocol::VersionRange;

use crate::serve::dispatch::Ctx;
use crate::serve::groups;

pub const VERSIONS: VersionRange = VersionRange { min: 0, max: 5 };

pub fn handle(ctx: &mut Ctx, header: &RequestHeader, request: LeaveGroupRequest) -> LeaveGroupResponse {
    groups::membership::leave_group(&ctx.server.groups, &request, header.request_api_version)
}

//! DeleteGroups (key 42): deletes groups without live members.
//! The logic is `serve::groups`'s; the group state is the data dir's
//! (`consumer::group::remote`).

use kafka_protocol::messages::{RequestHeader, DeleteGroupsRequest, DeleteGroupsResponse};
use kafka_protocol::protocol::VersionRange;

use crate::serve::dispatch::Ctx;
use crate::serve::groups;

pub const VERSIONS: VersionRange = VersionRange { min: 0, max: 2 };

pub fn handle(ctx: &mut Ctx, header: &RequestHeader, request: DeleteGroupsRequest) -> DeleteGroupsResponse {
    let _ = header;
    groups::admin::delete_groups(&ctx.server.groups, &request)
}

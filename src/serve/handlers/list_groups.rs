//! ListGroups (key 16): the data dir's groups, with v4's state filter and v5's type filter.
//! The logic is `serve::groups`'s; the group state is the data dir's
//! (`consumer::group::remote`).

use kafka_protocol::messages::{RequestHeader, ListGroupsRequest, ListGroupsResponse};
use kafka_protocol::protocol::VersionRange;

use crate::serve::dispatch::Ctx;
use crate::serve::groups;

pub const VERSIONS: VersionRange = VersionRange { min: 0, max: 5 };

pub fn handle(ctx: &mut Ctx, header: &RequestHeader, request: ListGroupsRequest) -> ListGroupsResponse {
    groups::admin::list_groups(&ctx.server.groups, &request, header.request_api_version)
}

//! DescribeGroups (key 15): groups with their members, CLI members and Kafka clients alike.
//! The logic is `serve::groups`'s; the group state is the data dir's
//! (`consumer::group::remote`).

use kafka_protocol::messages::{RequestHeader, DescribeGroupsRequest, DescribeGroupsResponse};
use kafka_protocol::protocol::VersionRange;

use crate::serve::dispatch::Ctx;
use crate::serve::groups;

pub const VERSIONS: VersionRange = VersionRange { min: 0, max: 6 };

pub fn handle(ctx: &mut Ctx, header: &RequestHeader, request: DescribeGroupsRequest) -> DescribeGroupsResponse {
    groups::admin::describe_groups(&ctx.server.groups, &request, header.request_api_version)
}

//! OffsetCommit (key 8): a group's committed offsets, fenced by member and generation.
//! The logic is `serve::groups`'s; the group state is the data dir's
//! (`consumer::group::remote`).

use kafka_protocol::messages::{RequestHeader, OffsetCommitRequest, OffsetCommitResponse};
use kafka_protocol::protocol::VersionRange;

use crate::serve::dispatch::Ctx;
use crate::serve::groups;

pub const VERSIONS: VersionRange = VersionRange { min: 2, max: 9 };

pub fn handle(ctx: &mut Ctx, header: &RequestHeader, request: OffsetCommitRequest) -> OffsetCommitResponse {
    groups::offsets::offset_commit(&ctx.server.groups, &request, header.request_api_version)
}

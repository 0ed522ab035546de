//! OffsetFetch (key 9): a group's committed offsets (from v8, of several groups).
//! The logic is `serve::groups`'s; the group state is the data dir's
//! (`consumer::group::remote`).

use kafka_protocol::messages::{RequestHeader, OffsetFetchRequest, OffsetFetchResponse};
use kafka_protocol::protocol::VersionRange;

use crate::serve::dispatch::Ctx;
use crate::serve::groups;

pub const VERSIONS: VersionRange = VersionRange { min: 1, max: 9 };

pub fn handle(ctx: &mut Ctx, header: &RequestHeader, request: OffsetFetchRequest) -> OffsetFetchResponse {
    groups::offsets::offset_fetch(&ctx.server.groups, &request, header.request_api_version)
}

//! FindCoordinator (key 10): the group coordinator: the broker the client is connected to.
//! The logic is `serve::groups`'s; the group state is the data dir's
//! (`consumer::group::remote`).

use kafka_protocol::messages::{RequestHeader, FindCoordinatorRequest, FindCoordinatorResponse};
use kafka_protocol::protocol::VersionRange;

use crate::serve::dispatch::Ctx;
use crate::serve::groups;

pub const VERSIONS: VersionRange = VersionRange { min: 0, max: 6 };

pub fn handle(ctx: &mut Ctx, header: &RequestHeader, request: FindCoordinatorRequest) -> FindCoordinatorResponse {
    groups::membership::find_coordinator(&request, header.request_api_version, &groups::node(ctx))
}

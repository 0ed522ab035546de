//! ApiVersions (key 18): the APIs served and their versions, from the
//! registry, so a handler added is a handler advertised.

use kafka_protocol::messages::api_versions_response::ApiVersion;
use kafka_protocol::messages::{ApiVersionsRequest, ApiVersionsResponse, RequestHeader};
use kafka_protocol::protocol::VersionRange;

use crate::serve::dispatch::{Ctx, Registry};

pub const VERSIONS: VersionRange = VersionRange { min: 0, max: 4 };

pub fn handle(ctx: &mut Ctx, _header: &RequestHeader, _request: ApiVersionsRequest) -> ApiVersionsResponse {
    let mut response = ApiVersionsResponse::default();
    response.api_keys = served(&ctx.server.registry);
    response
}

/// Every API of `registry` with its versions, as ApiVersions lists them (also
/// in the UNSUPPORTED_VERSION answer of `connection`).
pub fn served(registry: &Registry) -> Vec<ApiVersion> {
    registry
        .apis()
        .map(|(key, versions)| {
            let mut api = ApiVersion::default();
            api.api_key = key;
            api.min_version = versions.min;
            api.max_version = versions.max;
            api
        })
        .collect()
}

//! DescribeCluster (key 60): the cluster id, the live brokers at their
//! listeners (as Metadata lists them) and the controller (the lowest live
//! broker, as Metadata says). What Kafka 4.x's admin client asks for
//! `describeCluster()`.

use kafka_protocol::messages::describe_cluster_response::DescribeClusterBroker;
use kafka_protocol::messages::{BrokerId, DescribeClusterRequest, DescribeClusterResponse, RequestHeader};
use kafka_protocol::protocol::{StrBytes, VersionRange};
use kafka_protocol::ResponseError;

use crate::serve::authorized::{self, Resource};
use crate::serve::dispatch::Ctx;
use crate::serve::errors::code_of;

pub const VERSIONS: VersionRange = VersionRange { min: 0, max: 2 };

/// Kafka's endpoint type of brokers (1; controllers are 2).
const BROKERS: i8 = 1;

pub fn handle(ctx: &mut Ctx, _header: &RequestHeader, request: DescribeClusterRequest) -> DescribeClusterResponse {
    let mut response = DescribeClusterResponse::default();
    response.endpoint_type = BROKERS;
    response.cluster_authorized_operations =
        authorized::operations(Resource::Cluster, request.include_cluster_authorized_operations);
    if request.endpoint_type != BROKERS {
        response.error_code = ResponseError::UnsupportedEndpointType.code();
        response.error_message = Some(StrBytes::from_static_str("runnel serve has brokers only (no controllers)"));
        return response;
    }
    let cluster = match ctx.server.cluster.meta_snapshot() {
        Ok((_, meta)) => meta,
        Err(e) => {
            response.error_code = code_of(&e);
            response.error_message = Some(StrBytes::from_string(e.to_string()));
            return response;
        }
    };
    let listeners = ctx.server.listeners();
    let live = cluster.live_brokers();
    response.cluster_id = StrBytes::from_string(cluster.cluster_id.clone());
    response.controller_id = BrokerId(live.first().map_or(-1, |&b| b as i32));
    response.brokers = live
        .into_iter()
        .filter_map(|id| {
            let addr = listeners.get(&id)?;
            Some(
                DescribeClusterBroker::default()
                    .with_broker_id(BrokerId(id as i32))
                    .with_host(StrBytes::from_string(addr.ip().to_string()))
                    .with_port(i32::from(addr.port())),
            )
        })
        .collect();
    response
}

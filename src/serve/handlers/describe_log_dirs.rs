//! DescribeLogDirs (key 35): the one log dir of the broker whose listener
//! took the request (`DATA_DIR/broker-N`), with the size on disk of each of
//! its replicas (what `runnel log du` counts), for the topics asked (all
//! when none are named). No replica is ever moving between dirs (no
//! future replicas); the volume's sizes are Kafka's "unknown" (-1).

use std::collections::BTreeMap;

use kafka_protocol::messages::describe_log_dirs_response::{
    DescribeLogDirsPartition, DescribeLogDirsResult, DescribeLogDirsTopic,
};
use kafka_protocol::messages::{DescribeLogDirsRequest, DescribeLogDirsResponse, RequestHeader, TopicName};
use kafka_protocol::protocol::{StrBytes, VersionRange};

use crate::serve::dispatch::Ctx;
use crate::serve::errors::code_of;

pub const VERSIONS: VersionRange = VersionRange { min: 1, max: 4 };

/// Kafka's `total_bytes` / `usable_bytes` when not known.
const UNKNOWN_BYTES: i64 = -1;

pub fn handle(ctx: &mut Ctx, _header: &RequestHeader, request: DescribeLogDirsRequest) -> DescribeLogDirsResponse {
    let mut response = DescribeLogDirsResponse::default();
    let dir = ctx.server.cluster.layout().broker_dir(ctx.broker);
    let mut result = DescribeLogDirsResult::default()
        .with_log_dir(StrBytes::from_string(dir.display().to_string()))
        .with_total_bytes(UNKNOWN_BYTES)
        .with_usable_bytes(UNKNOWN_BYTES);
    // Which partitions of which topics were asked for (None: every one).
    let wanted: Option<BTreeMap<String, Vec<i32>>> =
        request.topics.map(|ts| ts.into_iter().map(|t| (t.topic.0.to_string(), t.partitions)).collect());
    let usage = match ctx.server.cluster.disk_usage(None) {
        Ok(usage) => usage,
        Err(e) => {
            response.results = vec![result.with_error_code(code_of(&e))];
            return response;
        }
    };
    let mut topics: BTreeMap<String, Vec<DescribeLogDirsPartition>> = BTreeMap::new();
    for replica in usage.into_iter().filter(|r| r.broker == ctx.broker) {
        let partition = i32::try_from(replica.partition).unwrap_or(i32::MAX);
        let asked = wanted.as_ref().is_none_or(|w| w.get(&replica.topic).is_some_and(|ps| ps.contains(&partition)));
        if !asked {
            continue;
        }
        topics.entry(replica.topic).or_default().push(
            DescribeLogDirsPartition::default()
                .with_partition_index(partition)
                .with_partition_size(i64::try_from(replica.size_bytes).unwrap_or(i64::MAX)),
        );
    }
    result.topics = topics
        .into_iter()
        .map(|(name, partitions)| {
            DescribeLogDirsTopic::default()
                .with_name(TopicName(StrBytes::from_string(name)))
                .with_partitions(partitions)
        })
        .collect();
    response.results = vec![result];
    response
}

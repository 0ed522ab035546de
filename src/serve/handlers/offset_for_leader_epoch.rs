//! OffsetForLeaderEpoch (key 23): the end offset of a leader epoch in the
//! leader's log (KIP-101/320), from the epochs stamped in its frames —
//! what a consumer asks after a leader change to detect a truncated log.

use kafka_protocol::ResponseError;
use kafka_protocol::messages::offset_for_leader_epoch_response::{EpochEndOffset, OffsetForLeaderTopicResult};
use kafka_protocol::messages::{OffsetForLeaderEpochRequest, OffsetForLeaderEpochResponse, RequestHeader};
use kafka_protocol::protocol::VersionRange;

use crate::cluster::replication::replica_epochs::leader_cache;
use crate::serve::dispatch::Ctx;
use crate::serve::errors::code_of;
use crate::serve::handlers::fetch::check_epoch;
use crate::serve::leadership::led_here;

pub const VERSIONS: VersionRange = VersionRange { min: 2, max: 4 };

pub fn handle(ctx: &mut Ctx, _header: &RequestHeader, request: OffsetForLeaderEpochRequest) -> OffsetForLeaderEpochResponse {
    let mut response = OffsetForLeaderEpochResponse::default();
    for topic in request.topics {
        let name = topic.topic.0.to_string();
        let mut out = OffsetForLeaderTopicResult::default();
        out.topic = topic.topic;
        for p in topic.partitions {
            let mut answer = EpochEndOffset::default();
            answer.partition = p.partition;
            answer.leader_epoch = -1;
            answer.end_offset = -1;
            match end_of_epoch(ctx, &name, p.partition, p.current_leader_epoch, p.leader_epoch) {
                Ok((epoch, end)) => {
                    answer.leader_epoch = epoch;
                    answer.end_offset = end;
                }
                Err(code) => answer.error_code = code,
            }
            out.partitions.push(answer);
        }
        response.topics.push(out);
    }
    response
}

fn end_of_epoch(ctx: &Ctx, topic: &str, partition: i32, current: i32, asked: i32) -> Result<(i32, i64), i16> {
    let led = led_here(ctx, topic, partition).map_err(|e| e.code())?;
    check_epoch(&led, current).map_err(|e| e.code())?;
    let asked = u32::try_from(asked).map_err(|_| ResponseError::UnknownLeaderEpoch.code())?;
    let dir = ctx.server.cluster.layout().replica_dir(ctx.broker, topic, led.partition.partition);
    let epochs = leader_cache(&dir, led.partition.leader_epoch).map_err(|e| code_of(&e))?;
    Ok(match epochs.cache.end_offset_for(asked, epochs.end_offset) {
        Some((epoch, end)) => (epoch as i32, end as i64),
        None => (-1, -1),
    })
}

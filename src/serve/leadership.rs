//! Which partition a request names, and whether the broker whose listener
//! took it leads that partition: Kafka's UNKNOWN_TOPIC_OR_PARTITION and
//! NOT_LEADER_OR_FOLLOWER, so clients refresh their metadata and follow a
//! leader that `runnel broker fail` moved.

use std::sync::Arc;

use kafka_protocol::ResponseError;

use super::dispatch::Ctx;
use crate::cluster::{PartitionMeta, TopicMeta};

/// A partition this broker leads, with its topic.
pub struct Led {
    pub topic: Arc<TopicMeta>,
    pub partition: PartitionMeta,
}

/// The topic by name.
pub fn topic(ctx: &Ctx, name: &str) -> Result<Arc<TopicMeta>, ResponseError> {
    match ctx.server.cluster.topic_snapshot(name) {
        Ok(Some((_, meta))) => Ok(meta),
        Ok(None) => Err(ResponseError::UnknownTopicOrPartition),
        Err(e) => {
            Err(ResponseError::try_from_code(super::errors::code_of(&e)).unwrap_or(ResponseError::UnknownServerError))
        }
    }
}

/// `name`'s `partition`, if this broker leads it and is up.
pub fn led_here(ctx: &Ctx, name: &str, partition: i32) -> Result<Led, ResponseError> {
    let topic = topic(ctx, name)?;
    let index = u32::try_from(partition).map_err(|_| ResponseError::UnknownTopicOrPartition)?;
    let state = topic.partition(index).cloned().ok_or(ResponseError::UnknownTopicOrPartition)?;
    let up = ctx.server.cluster.meta_snapshot().is_ok_and(|(_, meta)| meta.is_up(ctx.broker));
    if state.leader != Some(ctx.broker) || !up {
        return Err(ResponseError::NotLeaderOrFollower);
    }
    Ok(Led { topic, partition: state })
}

//! A group's committed offsets read and written by a client that never
//! joins it (`mirror`'s own group on a Kafka source): OffsetFetch, and
//! OffsetCommit outside a generation, which Kafka accepts only while the
//! group has no members (else exit 73).

use std::collections::BTreeMap;

use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer as _, DefaultConsumerContext};
use rdkafka::error::RDKafkaErrorCode;
use rdkafka::{Offset, TopicPartitionList};

use super::config::KafkaTarget;
use super::{errors, fetch, group_admin};
use crate::backend::GroupOffsets;
use crate::cluster::TopicMeta;
use crate::error::{Error, Result};

pub struct KafkaOffsets {
    target: KafkaTarget,
    group: String,
    client: BaseConsumer<DefaultConsumerContext>,
}

impl KafkaOffsets {
    pub fn new(target: &KafkaTarget, group: &str) -> Result<KafkaOffsets> {
        // No folder is named after the group here: Kafka's rule alone.
        crate::cluster::metadata::names::validate_group_id(group)?;
        let client = fetch::consumer(target, &[("group.id", group.to_string())])?;
        Ok(KafkaOffsets { target: target.clone(), group: group.to_string(), client })
    }
}

impl GroupOffsets for KafkaOffsets {
    fn committed(&mut self, topics: &[TopicMeta]) -> Result<BTreeMap<(String, u32), u64>> {
        let mut tpl = TopicPartitionList::new();
        for topic in topics {
            for p in 0..topic.partition_count() {
                tpl.add_partition(&topic.name, p as i32);
            }
        }
        group_admin::committed_in(&self.target, &self.client, tpl)
    }

    fn commit(&mut self, offsets: &[(String, u32, u64)]) -> Result<()> {
        if offsets.is_empty() {
            return Ok(());
        }
        let mut tpl = TopicPartitionList::new();
        for (topic, p, offset) in offsets {
            tpl.add_partition_offset(topic, *p as i32, Offset::Offset(*offset as i64))
                .map_err(|e| errors::from_kafka("committing offsets", &self.target.bootstrap, &e))?;
        }
        self.client.commit(&tpl, CommitMode::Sync).map_err(|e| match errors::code_of(&e) {
            Some(RDKafkaErrorCode::UnknownMemberId | RDKafkaErrorCode::IllegalGeneration) => Error::conflict(format!(
                "cannot commit offsets for group '{}': it has active members (another process uses it)",
                self.group
            )),
            _ => errors::from_kafka(
                &format!("committing the offsets of group '{}'", self.group),
                &self.target.bootstrap,
                &e,
            ),
        })
    }
}

//! OffsetCommit and OffsetFetch (the single-group form, and from v8 the
//! multi-group form), over the group's `offsets.json`.

use kafka_protocol::error::ResponseError;
use kafka_protocol::messages::offset_commit_response::{OffsetCommitResponsePartition, OffsetCommitResponseTopic};
use kafka_protocol::messages::offset_fetch_request::OffsetFetchRequestTopics;
use kafka_protocol::messages::offset_fetch_response::{
    OffsetFetchResponseGroup, OffsetFetchResponsePartition, OffsetFetchResponsePartitions, OffsetFetchResponseTopic,
    OffsetFetchResponseTopics,
};
use kafka_protocol::messages::{
    GroupId, OffsetCommitRequest, OffsetCommitResponse, OffsetFetchRequest, OffsetFetchResponse, TopicName,
};
use kafka_protocol::protocol::StrBytes;

use super::codec::error_code;
use crate::consumer::TopicPartition;
use crate::consumer::group::remote::{Coordinator, GroupError, OffsetToCommit, StoredOffset};

/// One topic's stored offsets: each partition with its commit, if any.
type TopicOffsets = (String, Vec<(i32, Option<StoredOffset>)>);

fn text(s: &str) -> StrBytes {
    StrBytes::from_string(s.to_string())
}

/// OffsetCommit: one code per partition (a refusal of the whole request is
/// given to every partition, as Kafka does).
pub fn offset_commit(c: &Coordinator, req: &OffsetCommitRequest, version: i16) -> OffsetCommitResponse {
    let mut offsets = Vec::new();
    let mut invalid = Vec::new();
    let mut unknown = Vec::new();
    for t in &req.topics {
        // A partition that does not exist is answered before the group is
        // looked at, as Kafka's KafkaApis answers it (a damaged topic file
        // is the storage's error, not a missing topic).
        let (count, missing) = match c.cluster().find_asked_topic(t.name.0.as_str()) {
            Ok(meta) => (meta.map_or(0, |m| m.partition_count()), ResponseError::UnknownTopicOrPartition.code()),
            Err(e) => (0, crate::serve::errors::code_of(&e)),
        };
        for p in &t.partitions {
            if u32::try_from(p.partition_index).map_or(true, |i| i >= count) {
                unknown.push((t.name.clone(), p.partition_index, missing));
                continue;
            }
            let tp = u32::try_from(p.partition_index).ok().map(|i| TopicPartition::new(t.name.0.as_str(), i));
            match (tp, u64::try_from(p.committed_offset)) {
                (Some(partition), Ok(offset)) => offsets.push(OffsetToCommit {
                    partition,
                    offset,
                    leader_epoch: if version >= 6 { u32::try_from(p.committed_leader_epoch).ok() } else { None },
                    metadata: p.committed_metadata.as_ref().map(|m| m.as_str().to_string()),
                }),
                _ => invalid.push((t.name.clone(), p.partition_index)),
            }
        }
    }
    let (group, member) = (req.group_id.0.as_str(), req.member_id.as_str());
    let instance = req.group_instance_id.as_ref().map(|s| s.as_str());
    let outcome = c
        .check_instance(group, member, instance)
        .and_then(|()| c.commit(group, member, req.generation_id_or_member_epoch, &offsets));
    let mut topics: Vec<OffsetCommitResponseTopic> = Vec::new();
    let mut add = |name: &TopicName, partition: i32, code: i16| {
        let entry = OffsetCommitResponsePartition::default().with_partition_index(partition).with_error_code(code);
        match topics.iter_mut().find(|t| &t.name == name) {
            Some(t) => t.partitions.push(entry),
            None => {
                topics.push(OffsetCommitResponseTopic::default().with_name(name.clone()).with_partitions(vec![entry]))
            }
        }
    };
    match outcome {
        Ok(results) => {
            for (p, result) in results {
                let code = result.as_ref().err().map_or(0, error_code);
                add(&TopicName(text(&p.topic)), i32::try_from(p.partition).unwrap_or(i32::MAX), code);
            }
        }
        Err(e) => {
            for o in &offsets {
                let p = &o.partition;
                add(&TopicName(text(&p.topic)), i32::try_from(p.partition).unwrap_or(i32::MAX), error_code(&e));
            }
        }
    }
    for (name, partition) in invalid {
        add(&name, partition, ResponseError::InvalidCommitOffsetSize.code());
    }
    for (name, partition, code) in unknown {
        add(&name, partition, code);
    }
    OffsetCommitResponse::default().with_topics(topics)
}

/// One group's offsets for the request's partitions (`None`: all it committed):
/// a partition without a commit is offset -1, as Kafka answers.
fn fetch_group(
    c: &Coordinator,
    group: &str,
    asked: Option<Vec<(String, Vec<i32>)>>,
) -> Result<Vec<TopicOffsets>, GroupError> {
    match asked {
        None => {
            let stored = c.fetch_offsets(group, None)?;
            let mut out: Vec<TopicOffsets> = Vec::new();
            for s in stored {
                let index = i32::try_from(s.partition.partition).unwrap_or(i32::MAX);
                match out.iter_mut().find(|(t, _)| *t == s.partition.topic) {
                    Some((_, ps)) => ps.push((index, Some(s))),
                    None => out.push((s.partition.topic.clone(), vec![(index, Some(s))])),
                }
            }
            Ok(out)
        }
        Some(topics) => {
            let wanted: Vec<TopicPartition> = topics
                .iter()
                .flat_map(|(t, ps)| {
                    ps.iter().filter_map(|&p| u32::try_from(p).ok()).map(|p| TopicPartition::new(t.as_str(), p))
                })
                .collect();
            let stored = c.fetch_offsets(group, Some(&wanted))?;
            Ok(topics
                .into_iter()
                .map(|(t, ps)| {
                    let found = ps
                        .iter()
                        .map(|&p| {
                            let s = stored
                                .iter()
                                .find(|s| s.partition.topic == t && i32::try_from(s.partition.partition) == Ok(p))
                                .cloned();
                            (p, s)
                        })
                        .collect();
                    (t, found)
                })
                .collect())
        }
    }
}

fn offset_of(s: &Option<StoredOffset>) -> (i64, i32, StrBytes) {
    match s {
        Some(s) => (
            i64::try_from(s.offset).unwrap_or(i64::MAX),
            s.leader_epoch.and_then(|e| i32::try_from(e).ok()).unwrap_or(-1),
            text(s.metadata.as_deref().unwrap_or("")),
        ),
        None => (-1, -1, text("")),
    }
}

/// `fetch_group`'s topics in one of OffsetFetch's two shapes (v8's groups
/// and the single-group form differ only in their generated types):
/// `partition(index, offset, leader epoch, metadata)`, `topic(name, partitions)`.
fn answered<T, P>(
    topics: Vec<TopicOffsets>,
    partition: impl Fn(i32, i64, i32, StrBytes) -> P,
    topic: impl Fn(TopicName, Vec<P>) -> T,
) -> Vec<T> {
    topics
        .into_iter()
        .map(|(name, ps)| {
            let partitions = ps
                .iter()
                .map(|(p, s)| {
                    let (offset, epoch, metadata) = offset_of(s);
                    partition(*p, offset, epoch, metadata)
                })
                .collect();
            topic(TopicName(text(&name)), partitions)
        })
        .collect()
}

/// OffsetFetch.
pub fn offset_fetch(c: &Coordinator, req: &OffsetFetchRequest, version: i16) -> OffsetFetchResponse {
    let mut resp = OffsetFetchResponse::default();
    if version >= 8 {
        resp.groups = req
            .groups
            .iter()
            .map(|g| {
                let asked = g.topics.as_ref().map(|ts: &Vec<OffsetFetchRequestTopics>| {
                    ts.iter().map(|t| (t.name.0.as_str().to_string(), t.partition_indexes.clone())).collect()
                });
                let mut group = OffsetFetchResponseGroup::default().with_group_id(GroupId(g.group_id.0.clone()));
                match fetch_group(c, g.group_id.0.as_str(), asked) {
                    Ok(topics) => {
                        group.topics = answered(
                            topics,
                            |p, offset, epoch, metadata| {
                                OffsetFetchResponsePartitions::default()
                                    .with_partition_index(p)
                                    .with_committed_offset(offset)
                                    .with_committed_leader_epoch(epoch)
                                    .with_metadata(Some(metadata))
                            },
                            |name, partitions| {
                                OffsetFetchResponseTopics::default().with_name(name).with_partitions(partitions)
                            },
                        )
                    }
                    Err(e) => group.error_code = error_code(&e),
                }
                group
            })
            .collect();
        return resp;
    }
    let asked = req
        .topics
        .as_ref()
        .map(|ts| ts.iter().map(|t| (t.name.0.as_str().to_string(), t.partition_indexes.clone())).collect());
    match fetch_group(c, req.group_id.0.as_str(), asked) {
        Ok(topics) => {
            resp.topics = answered(
                topics,
                |p, offset, epoch, metadata| {
                    OffsetFetchResponsePartition::default()
                        .with_partition_index(p)
                        .with_committed_offset(offset)
                        .with_committed_leader_epoch(epoch)
                        .with_metadata(Some(metadata))
                },
                |name, partitions| OffsetFetchResponseTopic::default().with_name(name).with_partitions(partitions),
            )
        }
        // v0-1 have no group-level error: each partition asked for carries it.
        Err(e) if version < 2 => {
            resp.topics = req
                .topics
                .iter()
                .flatten()
                .map(|t| {
                    let partitions = t
                        .partition_indexes
                        .iter()
                        .map(|&p| {
                            OffsetFetchResponsePartition::default()
                                .with_partition_index(p)
                                .with_committed_offset(-1)
                                .with_committed_leader_epoch(-1)
                                .with_metadata(Some(text("")))
                                .with_error_code(error_code(&e))
                        })
                        .collect();
                    OffsetFetchResponseTopic::default().with_name(t.name.clone()).with_partitions(partitions)
                })
                .collect();
        }
        Err(e) => resp.error_code = error_code(&e),
    }
    resp
}

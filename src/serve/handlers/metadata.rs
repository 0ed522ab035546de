//! Metadata (key 3): runnel's brokers (the live ones, each at its
//! listener), topics, partitions, leaders, leader epochs, replicas, ISRs
//! and offline replicas. A topic asked for that does not exist is created
//! when the client allows it, as Kafka's `auto.create.topics.enable`
//! (default on) does, with one partition and replication factor 1.

use kafka_protocol::ResponseError;
use kafka_protocol::messages::metadata_response::{MetadataResponseBroker, MetadataResponsePartition, MetadataResponseTopic};
use kafka_protocol::messages::{BrokerId, MetadataRequest, MetadataResponse, RequestHeader, TopicName};
use kafka_protocol::protocol::{StrBytes, VersionRange};

use crate::cluster::{ClusterMeta, TopicMeta, TopicSpec};
use crate::consumer::group::forget;
use crate::serve::dispatch::Ctx;
use crate::serve::authorized::{self, Resource};
use crate::serve::errors::code_of;
use crate::serve::topic_ids::kafka_topic_id;

pub const VERSIONS: VersionRange = VersionRange { min: 0, max: 13 };


pub fn handle(ctx: &mut Ctx, header: &RequestHeader, request: MetadataRequest) -> MetadataResponse {
    let version = header.request_api_version;
    let mut response = MetadataResponse::default();
    // Asked for in v8–10 only (later versions ask DescribeCluster).
    let cluster_asked = (8..=10).contains(&version) && request.include_cluster_authorized_operations;
    response.cluster_authorized_operations = authorized::operations(Resource::Cluster, cluster_asked);
    let topics_asked = version >= 8 && request.include_topic_authorized_operations;
    let cluster = match ctx.server.cluster.meta_snapshot() {
        Ok((_, meta)) => meta,
        Err(e) => {
            response.error_code = code_of(&e);
            return response;
        }
    };
    response.cluster_id = Some(StrBytes::from_string(cluster.cluster_id.clone()));
    response.brokers = brokers(ctx, &cluster);
    response.controller_id = BrokerId(cluster.live_brokers().first().map_or(-1, |&b| b as i32));
    let auto_create = version < 4 || request.allow_auto_topic_creation;
    let wanted: Option<Vec<Wanted>> = match request.topics {
        None => None,
        Some(topics) if topics.is_empty() && version == 0 => None,
        Some(topics) => Some(topics.into_iter().map(|t| wanted(ctx, t.name, t.topic_id)).collect()),
    };
    response.topics = match wanted {
        None => all_topics(ctx, &cluster),
        Some(list) => list.into_iter().map(|w| one_topic(ctx, &cluster, w, auto_create)).collect(),
    };
    for topic in &mut response.topics {
        topic.topic_authorized_operations = authorized::operations(Resource::Topic, topics_asked);
    }
    response
}

/// A topic asked for: by name, or by id (resolved to its name).
enum Wanted {
    Name(String),
    UnknownId(uuid::Uuid),
}

fn wanted(ctx: &Ctx, name: Option<TopicName>, id: uuid::Uuid) -> Wanted {
    if let Some(name) = name {
        return Wanted::Name(name.0.to_string());
    }
    let names = ctx.server.cluster.topic_names().unwrap_or_default();
    let found = names.into_iter().find(|n| {
        matches!(ctx.server.cluster.topic_snapshot(n), Ok(Some((_, meta))) if kafka_topic_id(&meta.topic_id) == id)
    });
    found.map_or(Wanted::UnknownId(id), Wanted::Name)
}

fn brokers(ctx: &Ctx, cluster: &ClusterMeta) -> Vec<MetadataResponseBroker> {
    let listeners = ctx.server.listeners();
    cluster
        .live_brokers()
        .into_iter()
        .filter_map(|id| {
            let addr = listeners.get(&id)?;
            let mut broker = MetadataResponseBroker::default();
            broker.node_id = BrokerId(id as i32);
            broker.host = StrBytes::from_string(addr.ip().to_string());
            broker.port = i32::from(addr.port());
            Some(broker)
        })
        .collect()
}

fn all_topics(ctx: &Ctx, cluster: &ClusterMeta) -> Vec<MetadataResponseTopic> {
    let names = ctx.server.cluster.topic_names().unwrap_or_default();
    names
        .into_iter()
        .filter_map(|name| match ctx.server.cluster.topic_snapshot(&name) {
            Ok(Some((_, meta))) => Some(described(&meta, cluster)),
            _ => None,
        })
        .collect()
}

fn one_topic(ctx: &Ctx, cluster: &ClusterMeta, wanted: Wanted, auto_create: bool) -> MetadataResponseTopic {
    let name = match wanted {
        Wanted::Name(name) => name,
        Wanted::UnknownId(id) => {
            let mut topic = MetadataResponseTopic::default();
            topic.topic_id = id;
            topic.error_code = ResponseError::UnknownTopicId.code();
            return topic;
        }
    };
    let found = match ctx.server.cluster.topic_snapshot(&name) {
        Ok(Some((_, meta))) => Ok(Some((*meta).clone())),
        Ok(None) if auto_create => create(ctx, &name).map(Some),
        Ok(None) => Ok(None),
        Err(e) => Err(e),
    };
    match found {
        Ok(Some(meta)) => described(&meta, cluster),
        Ok(None) => failed(&name, ResponseError::UnknownTopicOrPartition.code()),
        Err(e) => failed(&name, code_of(&e)),
    }
}

/// Auto-creation: one partition, replication factor 1, as Kafka's defaults
/// (`num.partitions`, `default.replication.factor`). A topic created
/// meanwhile by someone else is taken as it is.
fn create(ctx: &Ctx, name: &str) -> crate::error::Result<TopicMeta> {
    let spec = TopicSpec { name: name.to_string(), partitions: 1, replication_factor: 1, config: Vec::new() };
    match forget::create_topic(&ctx.server.cluster, &spec) {
        Ok((meta, stale)) => {
            crate::serve::note_stale(name, stale);
            Ok(meta)
        }
        Err(e) => match ctx.server.cluster.find_topic(name) {
            Ok(Some(meta)) => Ok(meta),
            _ => Err(e),
        },
    }
}

fn failed(name: &str, code: i16) -> MetadataResponseTopic {
    let mut topic = MetadataResponseTopic::default();
    topic.name = Some(TopicName(StrBytes::from_string(name.to_string())));
    topic.error_code = code;
    topic
}

fn described(meta: &TopicMeta, cluster: &ClusterMeta) -> MetadataResponseTopic {
    let mut topic = MetadataResponseTopic::default();
    topic.name = Some(TopicName(StrBytes::from_string(meta.name.clone())));
    topic.topic_id = kafka_topic_id(&meta.topic_id);
    let ids = |brokers: &[u32]| brokers.iter().map(|&b| BrokerId(b as i32)).collect::<Vec<_>>();
    topic.partitions = meta
        .partitions
        .iter()
        .map(|p| {
            let mut partition = MetadataResponsePartition::default();
            partition.partition_index = p.partition as i32;
            partition.leader_id = BrokerId(p.leader.map_or(-1, |l| l as i32));
            partition.leader_epoch = p.leader_epoch as i32;
            partition.replica_nodes = ids(&p.replicas);
            partition.isr_nodes = ids(&p.isr);
            let offline: Vec<u32> = p.replicas.iter().copied().filter(|&b| !cluster.is_up(b)).collect();
            partition.offline_replicas = ids(&offline);
            if p.leader.is_none() {
                partition.error_code = ResponseError::LeaderNotAvailable.code();
            }
            partition
        })
        .collect();
    topic
}

//! `runnel metadata`: the whole cluster at a glance, as kcat's `-L` prints
//! it (brokers, then each topic's partitions with leader, replicas and ISR),
//! or as one JSON document.

use serde::Serialize;

use super::tables::{AdminFormat, join_ids, to_json};
use super::words::count;
use crate::cluster::{BrokerStatus, ClusterMeta, TopicMeta};

#[derive(Serialize)]
struct BrokerJson {
    id: u32,
    status: &'static str,
}

#[derive(Serialize)]
struct PartitionJson<'a> {
    partition: u32,
    leader: Option<u32>,
    replicas: &'a [u32],
    isr: &'a [u32],
}

#[derive(Serialize)]
struct TopicJson<'a> {
    name: &'a str,
    partitions: Vec<PartitionJson<'a>>,
}

#[derive(Serialize)]
struct MetadataJson<'a> {
    cluster_id: &'a str,
    data_dir: String,
    brokers: Vec<BrokerJson>,
    topics: Vec<TopicJson<'a>>,
}

fn status(s: BrokerStatus) -> &'static str {
    match s {
        BrokerStatus::Up => "up",
        BrokerStatus::Down => "down",
    }
}

/// kcat `-L`'s layout; JSON: `{"cluster_id", "data_dir", "brokers": [{"id",
/// "status"}], "topics": [{"name", "partitions": [{"partition", "leader",
/// "replicas", "isr"}]}]}`.
pub fn render_metadata(
    data_dir: &std::path::Path,
    cluster: &ClusterMeta,
    topics: &[TopicMeta],
    format: AdminFormat,
) -> String {
    if format == AdminFormat::Json {
        return to_json(&MetadataJson {
            cluster_id: &cluster.cluster_id,
            data_dir: data_dir.display().to_string(),
            brokers: cluster.brokers.iter().map(|b| BrokerJson { id: b.id, status: status(b.status) }).collect(),
            topics: topics
                .iter()
                .map(|t| TopicJson {
                    name: &t.name,
                    partitions: t
                        .partitions
                        .iter()
                        .map(|p| PartitionJson {
                            partition: p.partition,
                            leader: p.leader,
                            replicas: &p.replicas,
                            isr: &p.isr,
                        })
                        .collect(),
                })
                .collect(),
        });
    }
    let mut out = format!("Metadata for all topics (cluster {} in {}):\n", cluster.cluster_id, data_dir.display());
    out.push_str(&format!(" {}:\n", count(cluster.brokers.len() as u64, "broker")));
    for b in &cluster.brokers {
        out.push_str(&format!("  broker {} ({})\n", b.id, status(b.status)));
    }
    out.push_str(&format!(" {}:\n", count(topics.len() as u64, "topic")));
    for t in topics {
        out.push_str(&format!(
            "  topic \"{}\" with {}:\n",
            super::tables::escape_controls(&t.name),
            count(t.partitions.len() as u64, "partition")
        ));
        for p in &t.partitions {
            let leader = p.leader.map_or_else(|| "none (offline)".to_string(), |l| l.to_string());
            out.push_str(&format!(
                "    partition {}, leader {leader}, replicas: {}, isrs: {}\n",
                p.partition,
                join_ids(&p.replicas),
                join_ids(&p.isr)
            ));
        }
    }
    out
}

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
    /// `null` for a Kafka cluster.
    data_dir: Option<String>,
    /// Only for a Kafka cluster.
    #[serde(skip_serializing_if = "Option::is_none")]
    bootstrap_servers: Option<&'a str>,
    brokers: Vec<BrokerJson>,
    topics: Vec<TopicJson<'a>>,
}

fn status(s: BrokerStatus) -> &'static str {
    match s {
        BrokerStatus::Up => "up",
        BrokerStatus::Down => "down",
    }
}

/// Where the cluster of a metadata report is.
#[derive(Debug, Clone, Copy)]
pub enum Place<'a> {
    DataDir(&'a std::path::Path),
    Kafka(&'a str),
}

/// kcat `-L`'s layout; JSON: `{"cluster_id", "data_dir", "brokers": [{"id",
/// "status"}], "topics": [{"name", "partitions": [{"partition", "leader",
/// "replicas", "isr"}]}]}` (a Kafka cluster: `"data_dir": null` and
/// `"bootstrap_servers"`).
pub fn render_metadata(place: Place<'_>, cluster: &ClusterMeta, topics: &[TopicMeta], format: AdminFormat) -> String {
    let (data_dir, bootstrap_servers) = match place {
        Place::DataDir(dir) => (Some(dir.display().to_string()), None),
        Place::Kafka(servers) => (None, Some(servers)),
    };
    if format == AdminFormat::Json {
        return to_json(&MetadataJson {
            cluster_id: &cluster.cluster_id,
            data_dir,
            bootstrap_servers,
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
    let place = match place {
        Place::DataDir(dir) => format!("in {}", dir.display()),
        Place::Kafka(servers) => format!("at {servers}"),
    };
    let mut out = format!("Metadata for all topics (cluster {} {place}):\n", cluster.cluster_id);
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

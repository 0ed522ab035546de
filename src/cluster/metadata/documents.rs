//! The metadata documents: `cluster.json` (format version, brokers) and
//! `topics/<name>.json` (config and the state of every partition: replicas,
//! leader, leader epoch, ISR). Serde types that validate what they read as
//! if a user had typed it (a damaged or crafted file is an error naming it,
//! never a panic or a path built from an unchecked field); reading and
//! writing them safely is `json_file`'s job, and changing them happens under
//! the cluster lock.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The metadata format this build writes and reads.
pub const METADATA_VERSION: u32 = 1;

/// Whether a broker is serving.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BrokerStatus {
    Up,
    Down,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrokerMeta {
    pub id: u32,
    pub status: BrokerStatus,
}

/// `cluster.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawClusterMeta")]
pub struct ClusterMeta {
    pub format_version: u32,
    pub cluster_id: String,
    pub created_ms: i64,
    pub brokers: Vec<BrokerMeta>,
}

impl ClusterMeta {
    pub fn broker(&self, id: u32) -> Option<&BrokerMeta> {
        self.brokers.iter().find(|b| b.id == id)
    }

    pub fn is_up(&self, id: u32) -> bool {
        self.broker(id).is_some_and(|b| b.status == BrokerStatus::Up)
    }

    pub fn live_brokers(&self) -> Vec<u32> {
        self.brokers.iter().filter(|b| b.status == BrokerStatus::Up).map(|b| b.id).collect()
    }
}

/// The state of one partition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartitionMeta {
    pub partition: u32,
    /// Assigned replicas; the first is the preferred leader.
    pub replicas: Vec<u32>,
    /// `None` (`null`) while the partition is offline. Required in the file:
    /// a missing field is damage, never taken for an offline partition.
    #[serde(deserialize_with = "Option::deserialize")]
    pub leader: Option<u32>,
    pub leader_epoch: u32,
    /// In-sync replicas, the leader among them.
    pub isr: Vec<u32>,
}

impl PartitionMeta {
    /// Replica brokers a writer appends to, followers first and the leader
    /// last, so that the leader never holds a frame an in-sync follower lacks.
    pub fn write_order(&self) -> Option<Vec<u32>> {
        let leader = self.leader?;
        let mut order: Vec<u32> = self.isr.iter().copied().filter(|&b| b != leader).collect();
        order.push(leader);
        Some(order)
    }
}

/// `topics/<name>.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawTopicMeta")]
pub struct TopicMeta {
    pub format_version: u32,
    pub name: String,
    /// Distinguishes this topic from an earlier one of the same name.
    pub topic_id: String,
    pub created_ms: i64,
    pub replication_factor: u32,
    /// Configs set for this topic (the rest take their defaults).
    pub config: BTreeMap<String, String>,
    pub partitions: Vec<PartitionMeta>,
}

impl TopicMeta {
    pub fn partition(&self, p: u32) -> Option<&PartitionMeta> {
        self.partitions.get(p as usize)
    }

    pub fn partition_count(&self) -> u32 {
        self.partitions.len() as u32
    }

    /// A topic without partitions, `max.message.bytes` set to `max` if
    /// given: for tests of what is checked against a topic's configs.
    #[cfg(test)]
    pub fn for_test(name: &str, max_message_bytes: Option<u64>) -> TopicMeta {
        TopicMeta {
            format_version: METADATA_VERSION,
            name: name.into(),
            topic_id: "abc".into(),
            created_ms: 0,
            replication_factor: 1,
            config: max_message_bytes.map(|m| ("max.message.bytes".to_string(), m.to_string())).into_iter().collect(),
            partitions: Vec::new(),
        }
    }
}

/// `cluster.json` as parsed, before [`ClusterMeta`]'s checks.
#[derive(Deserialize)]
struct RawClusterMeta {
    format_version: u32,
    cluster_id: String,
    created_ms: i64,
    brokers: Vec<BrokerMeta>,
}

impl TryFrom<RawClusterMeta> for ClusterMeta {
    type Error = String;

    fn try_from(raw: RawClusterMeta) -> Result<ClusterMeta, String> {
        check_version(raw.format_version)?;
        if raw.brokers.is_empty() {
            return Err("it lists no broker".into());
        }
        let mut ids: Vec<u32> = raw.brokers.iter().map(|b| b.id).collect();
        ids.sort_unstable();
        if ids.windows(2).any(|w| w[0] == w[1]) {
            return Err("it lists a broker id twice".into());
        }
        Ok(ClusterMeta {
            format_version: raw.format_version,
            cluster_id: raw.cluster_id,
            created_ms: raw.created_ms,
            brokers: raw.brokers,
        })
    }
}

/// A topic file as parsed, before [`TopicMeta`]'s checks.
#[derive(Deserialize)]
struct RawTopicMeta {
    format_version: u32,
    name: String,
    topic_id: String,
    created_ms: i64,
    replication_factor: u32,
    config: BTreeMap<String, String>,
    partitions: Vec<PartitionMeta>,
}

impl TryFrom<RawTopicMeta> for TopicMeta {
    type Error = String;

    fn try_from(raw: RawTopicMeta) -> Result<TopicMeta, String> {
        check_version(raw.format_version)?;
        super::names::validate_topic(&raw.name).map_err(|e| format!("its name is not valid: {}", e.message))?;
        if raw.topic_id.is_empty() {
            return Err("its topic_id is empty".into());
        }
        if raw.partitions.is_empty() {
            return Err("it lists no partition".into());
        }
        for (i, p) in raw.partitions.iter().enumerate() {
            check_partition(i, p)?;
        }
        Ok(TopicMeta {
            format_version: raw.format_version,
            name: raw.name,
            topic_id: raw.topic_id,
            created_ms: raw.created_ms,
            replication_factor: raw.replication_factor,
            config: raw.config,
            partitions: raw.partitions,
        })
    }
}

fn check_version(version: u32) -> Result<(), String> {
    if version == 0 || version > METADATA_VERSION {
        return Err(format!(
            "its format_version {version} is not one this build reads (1 to {METADATA_VERSION}; a newer runnel wrote it?)"
        ));
    }
    Ok(())
}

/// Partition `i` of a topic file: numbered in order, replicas listed once,
/// the ISR and the leader among them.
fn check_partition(i: usize, p: &PartitionMeta) -> Result<(), String> {
    if p.partition as usize != i {
        return Err(format!("partition {i} is numbered {}", p.partition));
    }
    let mut replicas = p.replicas.clone();
    replicas.sort_unstable();
    replicas.dedup();
    if p.replicas.is_empty() || replicas.len() != p.replicas.len() {
        return Err(format!("partition {i} has no replicas or lists one twice"));
    }
    if p.isr.iter().any(|b| !p.replicas.contains(b)) || p.leader.is_some_and(|l| !p.replicas.contains(&l)) {
        return Err(format!("partition {i} has an in-sync replica or leader that is not one of its replicas"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topic_json(name: &str, partitions: &str) -> String {
        format!(
            r#"{{"format_version":1,"name":"{name}","topic_id":"x","created_ms":0,"replication_factor":1,"config":{{}},"partitions":{partitions}}}"#
        )
    }

    const ONE: &str = r#"[{"partition":0,"replicas":[0],"leader":0,"leader_epoch":0,"isr":[0]}]"#;

    #[test]
    fn a_valid_topic_file_reads_back() {
        let meta: TopicMeta = serde_json::from_str(&topic_json("t", ONE)).expect("valid");
        assert_eq!((meta.name.as_str(), meta.partition_count()), ("t", 1));
    }

    #[test]
    fn crafted_or_damaged_topic_files_are_refused() {
        let bad = [
            topic_json("../../etc", ONE),
            topic_json("a/b", ONE),
            topic_json("", ONE),
            topic_json("t", "[]"),
            topic_json("t", r#"[{"partition":1,"replicas":[0],"leader":0,"leader_epoch":0,"isr":[0]}]"#),
            topic_json("t", r#"[{"partition":0,"replicas":[],"leader":null,"leader_epoch":0,"isr":[]}]"#),
            topic_json("t", r#"[{"partition":0,"replicas":[0,0],"leader":0,"leader_epoch":0,"isr":[0]}]"#),
            topic_json("t", r#"[{"partition":0,"replicas":[0],"leader":3,"leader_epoch":0,"isr":[0]}]"#),
            topic_json("t", ONE).replace(r#""format_version":1"#, r#""format_version":9"#),
            // A field name damaged: never read as an offline partition.
            topic_json("t", r#"[{"partition":0,"replicas":[0],"ldader":0,"leader_epoch":0,"isr":[0]}]"#),
        ];
        for text in bad {
            assert!(serde_json::from_str::<TopicMeta>(&text).is_err(), "{text}");
        }
    }

    proptest::proptest! {
        /// Fuzzing the topic-file reader: any partition list, name and
        /// version either is refused or reads into a topic whose
        /// invariants every caller relies on.
        #[test]
        fn the_topic_reader_never_lets_a_broken_file_through(
            name in "[a-z./_-]{0,6}",
            version in 0u32..3,
            parts in proptest::collection::vec(
                (0u32..4, proptest::collection::vec(0u32..4, 0..4), proptest::option::of(0u32..5), proptest::collection::vec(0u32..5, 0..4)),
                0..4,
            ),
        ) {
            let partitions: Vec<serde_json::Value> = parts
                .iter()
                .map(|(p, replicas, leader, isr)| serde_json::json!({"partition": p, "replicas": replicas, "leader": leader, "leader_epoch": 0, "isr": isr}))
                .collect();
            let text = serde_json::json!({
                "format_version": version, "name": name, "topic_id": "x", "created_ms": 0,
                "replication_factor": 1, "config": {}, "partitions": partitions,
            })
            .to_string();
            if let Ok(meta) = serde_json::from_str::<TopicMeta>(&text) {
                proptest::prop_assert!(super::super::names::validate_topic(&meta.name).is_ok());
                proptest::prop_assert!(!meta.partitions.is_empty() && meta.format_version == 1);
                for (i, p) in meta.partitions.iter().enumerate() {
                    proptest::prop_assert_eq!(p.partition as usize, i);
                    proptest::prop_assert!(!p.replicas.is_empty());
                    proptest::prop_assert!(p.isr.iter().chain(p.leader.iter()).all(|b| p.replicas.contains(b)));
                }
            }
        }
    }

    proptest::proptest! {
        /// Fuzzing the cluster-file reader: any broker list, status and
        /// version either is refused or reads into a cluster with at least
        /// one broker, each listed once, in a format this build reads.
        #[test]
        fn the_cluster_reader_never_lets_a_broken_file_through(
            version in 0u32..3,
            brokers in proptest::collection::vec((0u32..4, "(up|down|gone|)"), 0..5),
            extra in proptest::option::of("[a-z]{1,4}"),
        ) {
            let brokers: Vec<serde_json::Value> =
                brokers.iter().map(|(id, status)| serde_json::json!({"id": id, "status": status})).collect();
            let mut doc = serde_json::json!({"format_version": version, "cluster_id": "c", "created_ms": 0, "brokers": brokers});
            if let Some(key) = extra {
                doc[key.as_str()] = serde_json::json!(1);
            }
            if let Ok(meta) = serde_json::from_str::<ClusterMeta>(&doc.to_string()) {
                proptest::prop_assert_eq!(meta.format_version, 1);
                let mut ids: Vec<u32> = meta.brokers.iter().map(|b| b.id).collect();
                proptest::prop_assert!(!ids.is_empty());
                ids.dedup();
                ids.sort_unstable();
                ids.dedup();
                proptest::prop_assert_eq!(ids.len(), meta.brokers.len());
            }
        }

        /// Any bytes at all: the cluster and topic readers answer, never panic.
        #[test]
        fn any_bytes_are_refused_or_read(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
            let _ = serde_json::from_slice::<ClusterMeta>(&bytes);
            let _ = serde_json::from_slice::<TopicMeta>(&bytes);
        }
    }

    #[test]
    fn a_cluster_file_needs_brokers_listed_once() {
        let ok = r#"{"format_version":1,"cluster_id":"c","created_ms":0,"brokers":[{"id":0,"status":"up"}]}"#;
        assert!(serde_json::from_str::<ClusterMeta>(ok).is_ok());
        for bad in [
            ok.replace(r#"[{"id":0,"status":"up"}]"#, "[]"),
            ok.replace(r#"{"id":0,"status":"up"}"#, r#"{"id":0,"status":"up"},{"id":0,"status":"down"}"#),
        ] {
            assert!(serde_json::from_str::<ClusterMeta>(&bad).is_err(), "{bad}");
        }
    }
}

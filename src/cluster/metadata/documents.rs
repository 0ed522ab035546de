//! The metadata documents: `cluster.json` (format version, brokers) and
//! `topics/<name>.json` (config and the state of every partition: replicas,
//! leader, leader epoch, ISR). Plain serde types; reading and writing them
//! safely is `json_file`'s job, and changing them happens under the cluster lock.

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
    /// `None` while the partition is offline.
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
}

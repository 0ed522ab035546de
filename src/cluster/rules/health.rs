//! Partition health as `topic describe --under-replicated-partitions` and
//! `--unavailable-partitions` (Kafka's `kafka-topics --describe` filters)
//! see it: plain predicates over the metadata.

use crate::cluster::metadata::documents::{ClusterMeta, PartitionMeta};

/// Fewer in-sync replicas than assigned ones, or an in-sync replica whose
/// broker is down (the last ISR member of an offline partition stays on
/// record while down).
pub fn under_replicated(p: &PartitionMeta, cluster: &ClusterMeta) -> bool {
    p.isr.len() < p.replicas.len() || p.isr.iter().any(|&b| !cluster.is_up(b))
}

/// No leader to read from or write to: none elected, or its broker is down.
pub fn unavailable(p: &PartitionMeta, cluster: &ClusterMeta) -> bool {
    p.leader.is_none_or(|l| !cluster.is_up(l))
}

/// The in-sync replicas whose brokers are up: the ones a writer uses.
pub fn live_isr(p: &PartitionMeta, cluster: &ClusterMeta) -> Vec<u32> {
    p.isr.iter().copied().filter(|&b| cluster.is_up(b)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::metadata::documents::{BrokerMeta, BrokerStatus};

    fn cluster(down: &[u32]) -> ClusterMeta {
        ClusterMeta {
            format_version: 1,
            cluster_id: "c".into(),
            created_ms: 0,
            brokers: (0..3)
                .map(|id| BrokerMeta {
                    id,
                    status: if down.contains(&id) { BrokerStatus::Down } else { BrokerStatus::Up },
                })
                .collect(),
        }
    }

    fn part(leader: Option<u32>, isr: &[u32]) -> PartitionMeta {
        PartitionMeta { partition: 0, replicas: vec![0, 1, 2], leader, leader_epoch: 0, isr: isr.to_vec() }
    }

    #[test]
    fn healthy_partition_is_neither() {
        let p = part(Some(0), &[0, 1, 2]);
        assert!(!under_replicated(&p, &cluster(&[])));
        assert!(!unavailable(&p, &cluster(&[])));
    }

    #[test]
    fn shrunk_isr_is_under_replicated_but_available() {
        let p = part(Some(1), &[1, 2]);
        assert!(under_replicated(&p, &cluster(&[0])));
        assert!(!unavailable(&p, &cluster(&[0])));
        assert_eq!(live_isr(&p, &cluster(&[0])), vec![1, 2]);
    }

    #[test]
    fn offline_or_down_leader_is_unavailable() {
        assert!(unavailable(&part(None, &[2]), &cluster(&[2])));
        let stale = part(Some(0), &[0, 1, 2]);
        assert!(unavailable(&stale, &cluster(&[0])));
        assert!(under_replicated(&stale, &cluster(&[0])));
    }
}

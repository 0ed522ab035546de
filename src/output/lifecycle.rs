//! Reports of the log lifecycle commands: `log clean` and `topic trim`
//! (one row per partition) and `log du` (one row per replica, with totals).

use serde::Serialize;

use super::tables::{AdminFormat, human_bytes, table, to_json};
use crate::cluster::PartitionCleaned;
use crate::cluster::admin::disk_usage::ReplicaUsage;

/// `log clean` / `topic trim`: TOPIC PARTITION LOG-START HIGH-WATERMARK
/// DELETED (segments, summed over replicas) FREED COMPACTED (records).
/// JSON: an array of the `PartitionCleaned` fields.
pub fn render_cleaned(rows: &[PartitionCleaned], format: AdminFormat) -> String {
    match format {
        AdminFormat::Json => to_json(rows),
        AdminFormat::Table => table(
            &[
                "TOPIC",
                "PARTITION",
                "REPLICAS",
                "LOG-START",
                "HIGH-WATERMARK",
                "SEGMENTS-DELETED",
                "FREED",
                "RECORDS-COMPACTED",
            ],
            rows.iter()
                .map(|r| {
                    vec![
                        r.topic.clone(),
                        r.partition.to_string(),
                        r.replicas.to_string(),
                        if r.log_start == r.log_start_before {
                            r.log_start.to_string()
                        } else {
                            format!("{} (was {})", r.log_start, r.log_start_before)
                        },
                        r.high_watermark.to_string(),
                        r.segments_deleted.to_string(),
                        human_bytes(r.bytes_deleted),
                        r.records_compacted.to_string(),
                    ]
                })
                .collect(),
        ),
    }
}

#[derive(Serialize)]
struct DuJson<'a> {
    replicas: &'a [ReplicaUsage],
    brokers: Vec<BrokerTotal>,
    total_segments: usize,
    total_bytes: u64,
}

#[derive(Serialize)]
struct BrokerTotal {
    broker: u32,
    segments: usize,
    size_bytes: u64,
}

/// `log du`: BROKER TOPIC PARTITION SEGMENTS SIZE per replica, a total per
/// broker and a grand total. JSON: `{"replicas": [{"broker", "topic",
/// "partition", "segments", "size_bytes"}], "brokers": [{"broker",
/// "segments", "size_bytes"}], "total_segments", "total_bytes"}`.
pub fn render_du(rows: &[ReplicaUsage], format: AdminFormat) -> String {
    let mut brokers: Vec<BrokerTotal> = Vec::new();
    for r in rows {
        match brokers.iter_mut().find(|b| b.broker == r.broker) {
            Some(b) => {
                b.segments += r.segments;
                b.size_bytes += r.size_bytes;
            }
            None => brokers.push(BrokerTotal { broker: r.broker, segments: r.segments, size_bytes: r.size_bytes }),
        }
    }
    let total_segments = rows.iter().map(|r| r.segments).sum();
    let total_bytes = rows.iter().map(|r| r.size_bytes).sum();
    match format {
        AdminFormat::Json => to_json(&DuJson { replicas: rows, brokers, total_segments, total_bytes }),
        AdminFormat::Table => {
            let mut lines: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    vec![
                        r.broker.to_string(),
                        r.topic.clone(),
                        r.partition.to_string(),
                        r.segments.to_string(),
                        human_bytes(r.size_bytes),
                    ]
                })
                .collect();
            for b in &brokers {
                let name = format!("broker {} total", b.broker);
                lines.push(vec![
                    b.broker.to_string(),
                    name,
                    "-".into(),
                    b.segments.to_string(),
                    human_bytes(b.size_bytes),
                ]);
            }
            lines.push(vec![
                "-".into(),
                "total".into(),
                "-".into(),
                total_segments.to_string(),
                human_bytes(total_bytes),
            ]);
            table(&["BROKER", "TOPIC", "PARTITION", "SEGMENTS", "SIZE"], lines)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn du_table_has_totals() {
        let rows = vec![
            ReplicaUsage { broker: 0, topic: "t".into(), partition: 0, segments: 2, size_bytes: 2048 },
            ReplicaUsage { broker: 1, topic: "t".into(), partition: 0, segments: 1, size_bytes: 100 },
        ];
        let out = render_du(&rows, AdminFormat::Table);
        assert!(out.starts_with("BROKER  TOPIC"), "{out}");
        assert!(out.contains("broker 0 total"), "{out}");
        assert!(out.lines().last().is_some_and(|l| l.contains("total") && l.contains("3")), "{out}");
        let json: serde_json::Value = serde_json::from_str(&render_du(&rows, AdminFormat::Json)).expect("json");
        assert_eq!(json["total_bytes"], 2148);
        assert_eq!(json["replicas"][1]["broker"], 1);
    }
}

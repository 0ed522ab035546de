//! Why records were not acknowledged in time. librdkafka retries a
//! produce refused with NOT_ENOUGH_REPLICAS (or sent to a partition without
//! a leader) until `message.timeout.ms`, then reports only "message timed
//! out". Before `produce` exits 69, the topic's metadata is read once more
//! (briefly) so that the one error line says what held the records back:
//! too few in-sync replicas for `--acks all`, or no leader.

use std::time::Duration;

use rdkafka::client::{Client, ClientContext};
use rdkafka::metadata::MetadataTopic;

use crate::cluster::TopicMeta;
use crate::cluster::replication::partition_writer::Acks;
use crate::error::listed;

/// Partitions an explanation names before it counts the rest.
const SHOWN: usize = 5;

/// How long the metadata read for the explanation may take: it only
/// improves the message of an exit already decided.
const EXPLAIN_TIMEOUT: Duration = Duration::from_secs(2);

/// A sentence naming the partitions that cannot acknowledge as `acks`
/// asks, or `None` when the metadata shows none (or cannot be read).
pub fn explain<C: ClientContext>(client: &Client<C>, topic: &TopicMeta, acks: Acks) -> Option<String> {
    let metadata = client.fetch_metadata(None, EXPLAIN_TIMEOUT).ok()?;
    let found = metadata.topics().iter().find(|t| t.name() == topic.name)?;
    blocked_partitions(found, min_insync(topic), acks)
}

/// The topic's `min.insync.replicas` when set on it (else it is the
/// brokers' default, which a client cannot read).
fn min_insync(topic: &TopicMeta) -> Option<usize> {
    topic.config.get("min.insync.replicas").and_then(|v| v.parse().ok())
}

/// The explanation, from the topic's metadata: partitions below
/// `min_insync` in-sync replicas (or, when the topic does not set it,
/// below all their replicas), else partitions without a leader.
fn blocked_partitions(topic: &MetadataTopic, min_insync: Option<usize>, acks: Acks) -> Option<String> {
    let mut leaderless = Vec::new();
    let mut short = Vec::new();
    for p in topic.partitions() {
        if p.leader() < 0 {
            leaderless.push(p.id());
        } else if acks == Acks::All && p.isr().len() < min_insync.unwrap_or(p.replicas().len()) {
            short.push((p.id(), p.isr().len(), p.replicas().len()));
        }
    }
    leaderless.sort_unstable();
    short.sort_unstable();
    if !short.is_empty() {
        let list: Vec<String> =
            short.iter().map(|(p, isr, all)| format!("partition {p} has {isr} of {all} in sync")).collect();
        let min = min_insync
            .map_or_else(|| "the brokers' min.insync.replicas".to_string(), |n| format!("min.insync.replicas={n}"));
        return Some(format!(
            "not enough in-sync replicas for --acks all ({}; {min}): bring the brokers back, or produce with --acks 1",
            listed(&list, SHOWN)
        ));
    }
    if !leaderless.is_empty() {
        let list: Vec<String> = leaderless.iter().map(i32::to_string).collect();
        return Some(if let [one] = list.as_slice() {
            format!("partition {one} has no leader: bring its replicas' brokers back")
        } else {
            format!("partitions {} have no leader: bring their replicas' brokers back", listed(&list, SHOWN))
        });
    }
    None
}

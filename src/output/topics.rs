//! `topic list` and `topic describe`, as tables or JSON.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::streamed_table::write_table;
use super::tables::{AdminFormat, dash, human_bytes, join_ids, rendered, table, to_json, write_json};
use crate::cluster::rules::topic_config::known_keys;
use crate::cluster::{PartitionStatus, TopicDescription, TopicMeta};

#[derive(Serialize)]
struct TopicListEntry<'a> {
    name: &'a str,
    partitions: u32,
    replication_factor: u32,
}

/// `topic list`: NAME, PARTITIONS, REPLICATION-FACTOR per topic, in the
/// order given; JSON is an array of `{"name","partitions","replication_factor"}`.
pub fn render_topic_list(topics: &[TopicMeta], format: AdminFormat) -> String {
    match format {
        AdminFormat::Json => {
            let entries: Vec<TopicListEntry<'_>> = topics
                .iter()
                .map(|t| TopicListEntry {
                    name: &t.name,
                    partitions: t.partition_count(),
                    replication_factor: t.replication_factor,
                })
                .collect();
            to_json(&entries)
        }
        AdminFormat::Table => table(
            &["NAME", "PARTITIONS", "REPLICATION-FACTOR"],
            topics
                .iter()
                .map(|t| vec![t.name.clone(), t.partition_count().to_string(), t.replication_factor.to_string()])
                .collect(),
        ),
    }
}

#[derive(Serialize)]
struct DescribeJson<'a> {
    name: &'a str,
    partitions: PartitionsJson<'a>,
    replication_factor: u32,
    config: BTreeMap<&'a str, &'a str>,
}

/// One topic's document in the array `topic describe` prints for several
/// topics: the same fields with their keys sorted, as that array has always
/// printed them (it used to be built by re-reading each document as a
/// `serde_json::Value`, whose maps sort their keys).
#[derive(Serialize)]
struct DescribeJsonSorted<'a> {
    config: BTreeMap<&'a str, &'a str>,
    name: &'a str,
    partitions: PartitionsJson<'a>,
    replication_factor: u32,
}

/// A topic's partitions, serialized one by one as they are read (a topic
/// may have 100,000 of them).
struct PartitionsJson<'a> {
    desc: &'a TopicDescription,
    sorted_keys: bool,
}

impl Serialize for PartitionsJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.sorted_keys {
            serializer.collect_seq(self.desc.partitions.iter().map(PartitionJsonSorted::of))
        } else {
            serializer.collect_seq(self.desc.partitions.iter().map(PartitionJson::of))
        }
    }
}

#[derive(Serialize)]
struct PartitionJson<'a> {
    partition: u32,
    leader: Option<u32>,
    replicas: &'a [u32],
    isr: &'a [u32],
    log_start_offset: Option<u64>,
    high_watermark: Option<u64>,
    messages: Option<u64>,
    leader_epoch: u32,
    size_bytes: Option<u64>,
}

impl<'a> PartitionJson<'a> {
    fn of(p: &'a PartitionStatus) -> Self {
        PartitionJson {
            partition: p.meta.partition,
            leader: p.meta.leader,
            replicas: &p.meta.replicas,
            isr: &p.meta.isr,
            log_start_offset: p.log.as_ref().map(|l| l.start_offset),
            high_watermark: p.log.as_ref().map(|l| l.end_offset),
            messages: p.log.as_ref().map(messages),
            leader_epoch: p.meta.leader_epoch,
            size_bytes: p.log.as_ref().map(|l| l.size_bytes),
        }
    }
}

/// [`PartitionJson`] with its keys sorted (see [`DescribeJsonSorted`]).
#[derive(Serialize)]
struct PartitionJsonSorted<'a> {
    high_watermark: Option<u64>,
    isr: &'a [u32],
    leader: Option<u32>,
    leader_epoch: u32,
    log_start_offset: Option<u64>,
    messages: Option<u64>,
    partition: u32,
    replicas: &'a [u32],
    size_bytes: Option<u64>,
}

impl<'a> PartitionJsonSorted<'a> {
    fn of(p: &'a PartitionStatus) -> Self {
        let PartitionJson {
            partition,
            leader,
            replicas,
            isr,
            log_start_offset,
            high_watermark,
            messages,
            leader_epoch,
            size_bytes,
        } = PartitionJson::of(p);
        PartitionJsonSorted {
            high_watermark,
            isr,
            leader,
            leader_epoch,
            log_start_offset,
            messages,
            partition,
            replicas,
            size_bytes,
        }
    }
}

/// Every effective config of a topic: its overrides over the defaults,
/// with whether each value is a `default` or set on the `topic`.
pub fn effective_config(meta: &TopicMeta) -> BTreeMap<&str, (&str, &'static str)> {
    let mut config: BTreeMap<&str, (&str, &'static str)> =
        known_keys().map(|(name, default, _)| (name, (default, "default"))).collect();
    for (name, value) in &meta.config {
        config.insert(name.as_str(), (value.as_str(), "topic"));
    }
    config
}

/// `topic describe`. JSON: `{"name", "partitions": [{"partition", "leader"
/// (null while offline), "replicas", "isr", "log_start_offset",
/// "high_watermark", "messages", "leader_epoch", "size_bytes"}], "replication_factor",
/// "config"}`; the log fields are null while a partition has no leader.
/// Table: a summary with the configs set on the topic, then one row per partition.
pub fn render_topic_describe(desc: &TopicDescription, format: AdminFormat) -> String {
    rendered(|out| write_topic_describe(out, desc, format))
}

/// [`render_topic_describe`] written to `out` as it is produced: memory
/// does not grow with the partition count beyond the description itself.
pub fn write_topic_describe(out: &mut impl Write, desc: &TopicDescription, format: AdminFormat) -> io::Result<()> {
    let meta = &desc.meta;
    let config = effective_config(meta);
    match format {
        AdminFormat::Json => write_json(
            out,
            &DescribeJson {
                name: &meta.name,
                partitions: PartitionsJson { desc, sorted_keys: false },
                replication_factor: meta.replication_factor,
                config: config.iter().map(|(&k, &(v, _))| (k, v)).collect(),
            },
        ),
        AdminFormat::Table => {
            // Like kafka-topics: only the configs set on the topic; the JSON
            // form lists every effective value.
            let overrides: Vec<String> = config
                .iter()
                .filter(|(_, (_, source))| *source == "topic")
                .map(|(k, (v, _))| format!("{k}={v}"))
                .collect();
            let total: Option<u64> = desc.partitions.iter().map(|p| p.log.as_ref().map(messages)).sum();
            let summary = table(
                &["TOPIC", "PARTITIONS", "REPLICATION-FACTOR", "MESSAGES", "TOPIC-ID", "CONFIGS"],
                vec![vec![
                    meta.name.clone(),
                    meta.partition_count().to_string(),
                    meta.replication_factor.to_string(),
                    dash(total),
                    meta.topic_id.clone(),
                    if overrides.is_empty() { "-".to_string() } else { overrides.join(",") },
                ]],
            );
            out.write_all(summary.as_bytes())?;
            out.write_all(b"\n")?;
            write_partition_rows(out, desc)
        }
    }
}

/// The partition rows of `topic describe`'s table: leader, epoch, replicas,
/// ISR, log start, high watermark, size (`-` while offline).
pub fn render_partition_rows(desc: &TopicDescription) -> String {
    rendered(|out| write_partition_rows(out, desc))
}

/// [`render_partition_rows`] written to `out` row by row.
pub fn write_partition_rows(out: &mut impl Write, desc: &TopicDescription) -> io::Result<()> {
    write_table(
        out,
        &["PARTITION", "LEADER", "EPOCH", "REPLICAS", "ISR", "LOG-START", "HIGH-WATERMARK", "MESSAGES", "SIZE"],
        || desc.partitions.iter().map(partition_row),
    )
}

/// One partition's cells in `topic describe`'s table.
fn partition_row(p: &PartitionStatus) -> [String; 9] {
    let log = p.log.as_ref();
    [
        p.meta.partition.to_string(),
        dash(p.meta.leader),
        p.meta.leader_epoch.to_string(),
        join_ids(&p.meta.replicas),
        join_ids(&p.meta.isr),
        dash(log.map(|l| l.start_offset)),
        dash(log.map(|l| l.end_offset)),
        dash(log.map(messages)),
        dash(log.map(|l| human_bytes(l.size_bytes))),
    ]
}

/// A partition's message count as Kafka's tools count it: high watermark
/// minus log start (offsets compaction removed still count).
pub fn messages(log: &crate::store::LogEnd) -> u64 {
    log.end_offset.saturating_sub(log.start_offset)
}

/// `topic describe` of several topics: each as one topic is shown; JSON is
/// an array of the one-topic documents (with their keys sorted).
pub fn render_topics_describe(descs: &[TopicDescription], format: AdminFormat) -> String {
    rendered(|out| write_topics_describe(out, descs, format))
}

/// [`render_topics_describe`] written to `out` as it is produced.
pub fn write_topics_describe(out: &mut impl Write, descs: &[TopicDescription], format: AdminFormat) -> io::Result<()> {
    match format {
        AdminFormat::Json => {
            let docs = SortedDocs(descs);
            write_json(out, &docs)
        }
        AdminFormat::Table => {
            for (i, desc) in descs.iter().enumerate() {
                if i > 0 {
                    out.write_all(b"\n")?;
                }
                write_topic_describe(out, desc, AdminFormat::Table)?;
            }
            Ok(())
        }
    }
}

/// The array of [`DescribeJsonSorted`] documents, one per topic.
struct SortedDocs<'a>(&'a [TopicDescription]);

impl Serialize for SortedDocs<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|desc| {
            let meta = &desc.meta;
            DescribeJsonSorted {
                config: effective_config(meta).into_iter().map(|(k, (v, _))| (k, v)).collect(),
                name: &meta.name,
                partitions: PartitionsJson { desc, sorted_keys: true },
                replication_factor: meta.replication_factor,
            }
        }))
    }
}

/// One row of `topic offsets`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartitionOffset {
    pub topic: String,
    pub partition: u32,
    pub offset: u64,
}

/// `topic offsets`: TOPIC, PARTITION, OFFSET; JSON an array of
/// `{"topic","partition","offset"}`.
pub fn render_offsets(rows: &[PartitionOffset], format: AdminFormat) -> String {
    match format {
        AdminFormat::Json => to_json(&rows),
        AdminFormat::Table => table(
            &["TOPIC", "PARTITION", "OFFSET"],
            rows.iter().map(|r| vec![r.topic.clone(), r.partition.to_string(), r.offset.to_string()]).collect(),
        ),
    }
}

#[derive(Serialize)]
struct ConfigJson<'a> {
    name: &'a str,
    value: &'a str,
    source: &'a str,
}

/// `topic describe --configs`: NAME, VALUE, SOURCE (`topic` when set on the
/// topic, `default` otherwise), like `kafka-configs --describe`; only the
/// set ones unless `all`. JSON: `{"topic": [{"name","value","source"}]}`.
pub fn render_topic_configs(metas: &[TopicMeta], all: bool, format: AdminFormat) -> String {
    let mut docs = BTreeMap::new();
    let mut rows = Vec::new();
    for meta in metas {
        let config = effective_config(meta);
        let shown: Vec<ConfigJson<'_>> = config
            .iter()
            .filter(|(_, (_, source))| all || *source == "topic")
            .map(|(&name, &(value, source))| ConfigJson { name, value, source })
            .collect();
        for c in &shown {
            rows.push(vec![meta.name.clone(), c.name.to_string(), c.value.to_string(), c.source.to_string()]);
        }
        docs.insert(meta.name.as_str(), shown);
    }
    match format {
        AdminFormat::Json => to_json(&docs),
        AdminFormat::Table => table(&["TOPIC", "CONFIG", "VALUE", "SOURCE"], rows),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::metadata::documents::METADATA_VERSION;
    use crate::cluster::{PartitionMeta, PartitionStatus};
    use crate::store::LogEnd;

    fn meta() -> TopicMeta {
        TopicMeta {
            format_version: METADATA_VERSION,
            name: "orders".into(),
            topic_id: "abc123".into(),
            created_ms: 0,
            replication_factor: 3,
            config: [("retention.ms".to_string(), "3600000".to_string())].into_iter().collect(),
            partitions: vec![
                PartitionMeta {
                    partition: 0,
                    replicas: vec![1, 2, 0],
                    leader: Some(1),
                    leader_epoch: 0,
                    isr: vec![1, 2, 0],
                },
                PartitionMeta { partition: 1, replicas: vec![2, 0, 1], leader: None, leader_epoch: 4, isr: vec![] },
            ],
        }
    }

    fn description() -> TopicDescription {
        let meta = meta();
        let online = PartitionStatus {
            meta: meta.partitions[0].clone(),
            log: Some(LogEnd {
                start_offset: 0,
                end_offset: 42,
                size_bytes: 123,
                segments: 1,
                first_segment_base: 0,
                front_unrecorded: false,
            }),
        };
        let offline = PartitionStatus { meta: meta.partitions[1].clone(), log: None };
        TopicDescription { meta, partitions: vec![online, offline] }
    }

    #[test]
    fn list_table_and_json() {
        let mut other = meta();
        other.name = "a-much-longer-topic-name".into();
        other.partitions.truncate(1);
        other.replication_factor = 1;
        let topics = [meta(), other];
        assert_eq!(
            render_topic_list(&topics, AdminFormat::Table),
            "NAME                      PARTITIONS  REPLICATION-FACTOR\n\
             orders                    2           3\n\
             a-much-longer-topic-name  1           1\n"
        );
        let json: serde_json::Value =
            serde_json::from_str(&render_topic_list(&topics, AdminFormat::Json)).expect("valid json");
        assert_eq!(
            json,
            serde_json::json!([
                {"name": "orders", "partitions": 2, "replication_factor": 3},
                {"name": "a-much-longer-topic-name", "partitions": 1, "replication_factor": 1},
            ])
        );
        assert_eq!(render_topic_list(&[], AdminFormat::Json).trim(), "[]");
    }

    #[test]
    fn describe_json_online_and_offline() {
        let json: serde_json::Value =
            serde_json::from_str(&render_topic_describe(&description(), AdminFormat::Json)).expect("valid json");
        assert_eq!(json["name"], "orders");
        assert_eq!(json["replication_factor"], 3);
        assert_eq!(
            json["partitions"],
            serde_json::json!([
                {"partition": 0, "leader": 1, "replicas": [1, 2, 0], "isr": [1, 2, 0], "log_start_offset": 0,
                 "high_watermark": 42, "messages": 42, "leader_epoch": 0, "size_bytes": 123},
                {"partition": 1, "leader": null, "replicas": [2, 0, 1], "isr": [], "log_start_offset": null,
                 "high_watermark": null, "messages": null, "leader_epoch": 4, "size_bytes": null},
            ])
        );
        let config = json["config"].as_object().expect("config object");
        assert_eq!(config.len(), known_keys().count());
        assert_eq!(config["retention.ms"], "3600000");
        assert_eq!(config["cleanup.policy"], "delete");
    }

    #[test]
    fn describe_table_online_and_offline() {
        let text = render_topic_describe(&description(), AdminFormat::Table);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "TOPIC   PARTITIONS  REPLICATION-FACTOR  MESSAGES  TOPIC-ID  CONFIGS");
        assert_eq!(lines[1], "orders  2           3                   -         abc123    retention.ms=3600000");
        assert!(!text.contains("cleanup.policy"), "defaults stay out of the table: {text}");
        let rows = &lines[lines.len() - 3..];
        assert_eq!(rows[0], "PARTITION  LEADER  EPOCH  REPLICAS  ISR    LOG-START  HIGH-WATERMARK  MESSAGES  SIZE");
        assert_eq!(rows[1], "0          1       0      1,2,0     1,2,0  0          42              42        123 B");
        assert_eq!(rows[2], "1          -       4      2,0,1     -      -          -               -         -");
        // Kafka's column names, with the message count: a little over 80 columns.
        assert!(lines.iter().all(|l| l.len() <= 90 && !l.ends_with(' ')), "{text}");
    }

    /// A description of `n` partitions with offline ones, wide ids and sizes.
    fn wide_description(n: u32) -> TopicDescription {
        let mut meta = meta();
        meta.partitions = (0..n)
            .map(|partition| PartitionMeta {
                partition,
                replicas: (0..partition % 4).collect(),
                leader: (partition % 7 != 3).then_some(partition % 3),
                leader_epoch: partition * 13,
                isr: (0..partition % 3).collect(),
            })
            .collect();
        let partitions = meta
            .partitions
            .iter()
            .map(|p| PartitionStatus {
                meta: p.clone(),
                log: p.leader.map(|_| LogEnd {
                    start_offset: u64::from(p.partition),
                    end_offset: u64::from(p.partition) * 977,
                    size_bytes: u64::from(p.partition) << (p.partition % 40),
                    segments: 1,
                    first_segment_base: 0,
                    front_unrecorded: false,
                }),
            })
            .collect();
        TopicDescription { meta, partitions }
    }

    #[test]
    fn streamed_partition_rows_are_the_small_table_renderers_bytes() {
        for n in [0, 1, 2, 9, 1000] {
            let desc = wide_description(n);
            let held: Vec<Vec<String>> = desc.partitions.iter().map(|p| partition_row(p).to_vec()).collect();
            let headers =
                ["PARTITION", "LEADER", "EPOCH", "REPLICAS", "ISR", "LOG-START", "HIGH-WATERMARK", "MESSAGES", "SIZE"];
            assert_eq!(render_partition_rows(&desc), table(&headers, held), "{n} partitions");
        }
    }

    #[test]
    fn json_of_several_topics_is_each_document_with_its_keys_sorted() {
        let descs = [description(), wide_description(50), wide_description(0)];
        // What the array used to be: each one-topic document re-read as a
        // serde_json::Value (whose maps sort their keys) and printed again.
        let values: Vec<serde_json::Value> = descs
            .iter()
            .map(|d| serde_json::from_str(&render_topic_describe(d, AdminFormat::Json)).expect("valid json"))
            .collect();
        assert_eq!(render_topics_describe(&descs, AdminFormat::Json), to_json(&values));
        assert_eq!(render_topics_describe(&[], AdminFormat::Json), "[]\n");
    }

    #[test]
    fn json_of_one_topic_is_serialized_as_before() {
        let desc = wide_description(20);
        let one = render_topic_describe(&desc, AdminFormat::Json);
        assert!(
            one.starts_with("{\n  \"name\": \"orders\",\n  \"partitions\": [\n    {\n      \"partition\": 0,"),
            "{one}"
        );
        let value: serde_json::Value = serde_json::from_str(&one).expect("valid json");
        assert_eq!(value["partitions"].as_array().map(Vec::len), Some(20));
        assert!(one.ends_with("}\n"));
    }

    #[test]
    fn several_tables_are_separated_by_a_blank_line() {
        let descs = [description(), wide_description(3)];
        let each: Vec<String> = descs.iter().map(|d| render_topic_describe(d, AdminFormat::Table)).collect();
        assert_eq!(render_topics_describe(&descs, AdminFormat::Table), each.join("\n"));
    }
}

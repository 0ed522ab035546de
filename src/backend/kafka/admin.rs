//! Topic admin against Kafka: metadata into runnel's [`TopicMeta`] (so the
//! output layer renders both backends alike), CreateTopics, DeleteTopics,
//! CreatePartitions, DescribeConfigs and AlterConfigs.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use rdkafka::admin::{
    AdminOptions, AlterConfig, ConfigSource, NewPartitions, NewTopic, ResourceSpecifier, TopicReplication,
};
use rdkafka::consumer::Consumer as _;
use rdkafka::error::RDKafkaErrorCode;
use rdkafka::metadata::MetadataTopic;
use rdkafka::{Offset, TopicPartitionList};

use super::described::{self, Spec};
use super::{Kafka, errors};
use crate::backend::{Created, Deleted, PartitionHealth, TopicAdmin};
use crate::cluster::replication::partition_lifecycle::trim_above_high_watermark;
use crate::cluster::{
    PartitionCleaned, PartitionMeta, PartitionStatus, TopicDescription, TopicMeta, TopicSpec, TrimPoint,
};
use crate::error::{Error, Result};
use crate::store::LogEnd;

/// How often metadata is read again while waiting for a change to show.
const SETTLE_POLL: Duration = Duration::from_millis(100);

impl Kafka {
    pub(super) fn admin_options(&self) -> AdminOptions {
        let timeout = self.target.request_timeout();
        AdminOptions::new().request_timeout(Some(timeout)).operation_timeout(Some(timeout))
    }

    /// Waits for an admin future, bounded by the request deadline.
    pub(super) fn wait<T>(
        &self,
        doing: &str,
        future: impl Future<Output = rdkafka::error::KafkaResult<T>>,
    ) -> Result<T> {
        futures_executor::block_on(future).map_err(|e| errors::from_kafka(doing, &self.target.bootstrap, &e))
    }

    /// The topic's configs set on it (not defaults).
    fn topic_overrides(&self, name: &str) -> Result<BTreeMap<String, String>> {
        let results = self.wait(
            "reading topic configs",
            self.admin()?.describe_configs([&ResourceSpecifier::Topic(name)], &self.admin_options()),
        )?;
        let mut config = BTreeMap::new();
        for result in results {
            let resource = result.map_err(|code| code_error("reading the configs of topic", name, code))?;
            for entry in resource.entries {
                if entry.source == ConfigSource::DynamicTopic
                    && let Some(value) = entry.value
                {
                    config.insert(entry.name, value);
                }
            }
        }
        Ok(config)
    }

    /// Reads metadata until `done` holds for the topic's entry (or its
    /// absence), within the deadline: Kafka applies admin changes
    /// asynchronously, and the next command must see them. Returns the
    /// topic as the answer that satisfied `done` showed it (no configs):
    /// metadata is asked of any broker, and a second request could reach
    /// one that has not caught up yet.
    fn settle(&self, name: &str, done: impl Fn(Option<&MetadataTopic>) -> bool) -> Result<Option<TopicMeta>> {
        let deadline = Instant::now() + self.target.request_timeout();
        loop {
            let metadata = self.metadata(None)?;
            let topic = metadata.topics().iter().find(|t| t.name() == name);
            if done(topic) {
                return Ok(topic.filter(|t| is_there(t)).map(to_meta));
            }
            if Instant::now() >= deadline {
                return Err(Error::unavailable(format!(
                    "the Kafka cluster at {} did not show the change to topic '{name}' within {}",
                    self.target.bootstrap,
                    humantime::format_duration(self.target.request_timeout())
                )));
            }
            std::thread::sleep(SETTLE_POLL);
        }
    }

    /// The topic's metadata and its overrides; `None` when there is none.
    fn topic_meta(&self, name: &str) -> Result<Option<TopicMeta>> {
        let metadata = self.metadata(None)?;
        let Some(topic) = metadata.topics().iter().find(|t| t.name() == name && is_there(t)) else { return Ok(None) };
        let mut meta = to_meta(topic);
        meta.config = self.topic_overrides(name)?;
        Ok(Some(meta))
    }

    pub(super) fn existing_topic(&self, name: &str) -> Result<TopicMeta> {
        self.topic_meta(name)?.ok_or_else(|| errors::unknown_topic(name))
    }

    /// The first offset of `topic:partition` stamped at or after `ms`, if any.
    pub(super) fn offset_for_time(&self, topic: &str, partition: u32, ms: i64) -> Result<Option<u64>> {
        let fail = |e: &rdkafka::error::KafkaError| errors::from_kafka("looking up a time", &self.target.bootstrap, e);
        let client = super::fetch::consumer(&self.target, &[("group.id", super::fetch::NO_GROUP.into())])?;
        let mut tpl = TopicPartitionList::new();
        tpl.add_partition_offset(topic, partition as i32, Offset::Offset(ms)).map_err(|e| fail(&e))?;
        let found = client.offsets_for_times(tpl, self.target.request_timeout()).map_err(|e| fail(&e))?;
        Ok(found.elements().first().and_then(|e| match e.offset() {
            Offset::Offset(n) if n >= 0 => Some(n as u64),
            _ => None,
        }))
    }

    /// The log start and high watermark of one partition.
    pub(super) fn watermarks(&self, topic: &str, partition: u32) -> Result<(u64, u64)> {
        let (low, high) = self
            .admin()?
            .inner()
            .fetch_watermarks(topic, partition as i32, self.target.request_timeout())
            .map_err(|e| {
                errors::from_kafka(&format!("reading the offsets of {topic}:{partition}"), &self.target.bootstrap, &e)
            })?;
        Ok((low.max(0) as u64, high.max(0) as u64))
    }
}

/// Whether a metadata answer shows the topic: listed without an error and
/// with its partitions. What `find_topic` finds, what a create waits for
/// and what a delete waits to be gone.
fn is_there(topic: &MetadataTopic) -> bool {
    topic.error().is_none() && !topic.partitions().is_empty()
}

/// A topic's Kafka metadata as runnel's [`TopicMeta`] (no configs yet).
/// Kafka's topic id and creation time are not in librdkafka's metadata:
/// empty and 0.
pub(super) fn to_meta(topic: &MetadataTopic) -> TopicMeta {
    let mut partitions: Vec<PartitionMeta> = topic
        .partitions()
        .iter()
        .map(|p| PartitionMeta {
            partition: p.id() as u32,
            replicas: p.replicas().iter().map(|&b| b as u32).collect(),
            leader: (p.leader() >= 0).then_some(p.leader() as u32),
            leader_epoch: 0,
            isr: p.isr().iter().map(|&b| b as u32).collect(),
        })
        .collect();
    partitions.sort_by_key(|p| p.partition);
    TopicMeta {
        format_version: 1,
        name: topic.name().to_string(),
        topic_id: String::new(),
        created_ms: 0,
        replication_factor: partitions.first().map_or(0, |p| p.replicas.len() as u32),
        config: BTreeMap::new(),
        partitions,
    }
}

fn code_error(doing: &str, name: &str, code: RDKafkaErrorCode) -> Error {
    match code {
        RDKafkaErrorCode::UnknownTopicOrPartition | RDKafkaErrorCode::UnknownTopic => errors::unknown_topic(name),
        RDKafkaErrorCode::TopicAlreadyExists => Error::conflict(format!("topic '{name}' already exists"))
            .because(crate::error::Reason::TopicExists { name: name.to_string() }),
        _ => Error::new(errors::kind_of(code), format!("{doing} '{name}': {code}")),
    }
}

/// Kafka's internal topics (`__consumer_offsets`, ...), left out of lists.
fn is_internal(name: &str) -> bool {
    name.starts_with("__")
}

impl TopicAdmin for Kafka {
    fn create_topic(&self, spec: &TopicSpec) -> Result<Created> {
        crate::cluster::metadata::names::validate_topic(&spec.name)?;
        if spec.partitions == 0 {
            return Err(Error::usage("--partitions must be at least 1"));
        }
        if spec.replication_factor == 0 {
            return Err(Error::usage("--replication-factor must be at least 1"));
        }
        // An unreachable cluster is told as such before the admin request.
        self.metadata(None)?;
        let mut topic =
            NewTopic::new(&spec.name, spec.partitions as i32, TopicReplication::Fixed(spec.replication_factor as i32));
        for (k, v) in &spec.config {
            topic = topic.set(k, v);
        }
        let results = self.wait("creating a topic", self.admin()?.create_topics([&topic], &self.admin_options()))?;
        for result in results {
            result.map_err(|(name, code)| code_error("creating topic", &name, code))?;
        }
        let count = spec.partitions as usize;
        let settled = self.settle(&spec.name, |t| {
            t.is_some_and(|t| t.partitions().len() == count && t.partitions().iter().all(|p| p.leader() >= 0))
        })?;
        let mut meta = settled.ok_or_else(|| errors::unknown_topic(&spec.name))?;
        // A new topic's overrides are exactly the configs it was created with.
        meta.config = spec.config.iter().cloned().collect();
        Ok(Created { meta, warnings: Vec::new() })
    }

    fn find_topic(&self, name: &str) -> Result<Option<TopicMeta>> {
        self.topic_meta(name)
    }

    fn unknown_topic(&self, name: &str) -> Error {
        let known: Vec<String> =
            self.list_topics().map(|t| t.into_iter().map(|t| t.name).collect()).unwrap_or_default();
        let guess = crate::cluster::rules::suggest::closest(name, known.iter().map(String::as_str));
        Error::not_found(format!("unknown topic '{name}'")).because(crate::error::Reason::UnknownTopic {
            name: name.to_string(),
            suggestion: guess.map(str::to_string),
        })
    }

    fn topic(&self, name: &str) -> Result<TopicMeta> {
        self.existing_topic(name)
    }

    fn topic_names(&self) -> Result<Vec<String>> {
        Ok(self.list_topics()?.into_iter().map(|t| t.name).collect())
    }

    fn list_topics(&self) -> Result<Vec<TopicMeta>> {
        let metadata = self.metadata(None)?;
        let mut topics: Vec<TopicMeta> =
            metadata.topics().iter().filter(|t| !is_internal(t.name()) && t.error().is_none()).map(to_meta).collect();
        topics.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(topics)
    }

    /// Metadata and configs, the topic id (DescribeTopics), and the log
    /// start, end and current leader epoch of every partition with a leader
    /// (two ListOffsets calls for the whole topic).
    fn describe_topic(&self, name: &str) -> Result<TopicDescription> {
        let mut meta = self.existing_topic(name)?;
        let client = self.admin()?.inner();
        let timeout = self.target.request_timeout();
        let fail = |doing: &str, code| errors::from_code(doing, &self.target.bootstrap, code);
        meta.topic_id = described::topic_id(client, name, timeout)
            .map_err(|code| fail(&format!("describing topic '{name}'"), code))?;
        let led: Vec<u32> = meta.partitions.iter().filter(|p| p.leader.is_some()).map(|p| p.partition).collect();
        let doing = format!("reading the offsets of '{name}'");
        let starts =
            described::list_offsets(client, name, &led, Spec::Earliest, timeout).map_err(|c| fail(&doing, c))?;
        let ends = described::list_offsets(client, name, &led, Spec::Latest, timeout).map_err(|c| fail(&doing, c))?;
        let mut partitions = Vec::with_capacity(meta.partitions.len());
        for p in &mut meta.partitions {
            let end = ends.get(&p.partition);
            if let Some(epoch) = end.and_then(|e| e.leader_epoch) {
                p.leader_epoch = epoch;
            }
            let log = match (p.leader, end) {
                (Some(_), Some(end)) => {
                    let start_offset = starts.get(&p.partition).map_or(0, |s| s.offset);
                    // Kafka's log sizes are not in the client's reach
                    // (librdkafka has no DescribeLogDirs): reported as 0.
                    Some(LogEnd {
                        start_offset,
                        end_offset: end.offset,
                        size_bytes: 0,
                        segments: 0,
                        first_segment_base: start_offset,
                        front_unrecorded: false,
                    })
                }
                _ => None,
            };
            partitions.push(PartitionStatus { meta: p.clone(), log });
        }
        Ok(TopicDescription { meta, partitions })
    }

    /// As the brokers report it: the ISR smaller than the replicas, no leader.
    fn partition_health(&self, desc: &TopicDescription) -> Result<Vec<PartitionHealth>> {
        Ok(desc
            .partitions
            .iter()
            .map(|p| PartitionHealth {
                under_replicated: p.meta.isr.len() < p.meta.replicas.len(),
                unavailable: p.meta.leader.is_none(),
            })
            .collect())
    }

    fn alter_topic(
        &self,
        name: &str,
        partitions: Option<u32>,
        set: &[(String, String)],
        delete: &[String],
    ) -> Result<TopicMeta> {
        let meta = self.existing_topic(name)?;
        if let Some(count) = partitions {
            let now = meta.partition_count();
            if count <= now {
                return Err(Error::usage(format!(
                    "topic '{name}' has {now} partitions; --partitions can only grow it (Kafka never removes partitions)"
                )));
            }
        }
        // AlterConfigs replaces a topic's whole set of overrides: the
        // current ones, changed as asked. They are the topic's overrides
        // from then on; reading them back could reach a broker that has
        // not applied the change yet.
        let mut config = meta.config.clone();
        if !set.is_empty() || !delete.is_empty() {
            for k in delete {
                config.remove(k);
            }
            for (k, v) in set {
                config.insert(k.clone(), v.clone());
            }
            let mut alter = AlterConfig::new(ResourceSpecifier::Topic(name));
            for (k, v) in &config {
                alter = alter.set(k, v);
            }
            let results =
                self.wait("changing topic configs", self.admin()?.alter_configs([&alter], &self.admin_options()))?;
            for result in results {
                result.map_err(|(_, code)| code_error("changing the configs of topic", name, code))?;
            }
        }
        if let Some(count) = partitions {
            let grow = NewPartitions::new(name, count as usize);
            let results =
                self.wait("adding partitions", self.admin()?.create_partitions([&grow], &self.admin_options()))?;
            for result in results {
                result.map_err(|(name, code)| code_error("adding partitions to topic", &name, code))?;
            }
            // The topic as the broker that showed the new partitions has it.
            if let Some(mut grown) = self.settle(name, |t| t.is_some_and(|t| t.partitions().len() == count as usize))? {
                grown.config = config;
                return Ok(grown);
            }
        }
        let mut meta = self.existing_topic(name)?;
        meta.config = config;
        Ok(meta)
    }

    /// Kafka finishes its own deletes.
    fn finish_interrupted_delete(&self, _name: &str) -> Result<Option<usize>> {
        Ok(None)
    }

    fn trim_topic(&self, name: &str, only: Option<u32>, point: TrimPoint) -> Result<Vec<PartitionCleaned>> {
        let meta = self.existing_topic(name)?;
        if let Some(p) = only.filter(|&p| p >= meta.partition_count()) {
            return Err(Error::usage(format!(
                "topic '{name}' has no partition {p} (it has partitions 0 to {})",
                meta.partition_count().saturating_sub(1)
            )));
        }
        // Every target first: an offset above a high watermark refuses the
        // whole trim before any partition is trimmed.
        let mut plan = Vec::new();
        for p in meta.partitions.iter().filter(|p| only.is_none_or(|o| o == p.partition) && p.leader.is_some()) {
            let (low, high) = self.watermarks(name, p.partition)?;
            let before = match point {
                TrimPoint::Offset(offset) if offset > high => {
                    return Err(trim_above_high_watermark(name, p.partition, offset, high));
                }
                TrimPoint::Offset(offset) => offset,
                TrimPoint::HighWatermark => high,
                TrimPoint::KeepLast(n) => high.saturating_sub(n),
                TrimPoint::Time(ms) => self.offset_for_time(name, p.partition, ms)?.unwrap_or(high),
            };
            plan.push((p, low, high, before.max(low)));
        }
        let mut tpl = TopicPartitionList::new();
        for (p, _, _, before) in &plan {
            tpl.add_partition_offset(name, p.partition as i32, Offset::Offset(*before as i64))
                .map_err(|e| errors::from_kafka("planning the trim", &self.target.bootstrap, &e))?;
        }
        let done = self.wait("deleting records", self.admin()?.delete_records(&tpl, &self.admin_options()))?;
        let mut rows = Vec::new();
        for (p, low, high, before) in plan {
            let entry = done.find_partition(name, p.partition as i32);
            let log_start = match entry.as_ref().map(|e| (e.error(), e.offset())) {
                Some((Err(e), _)) => {
                    return Err(errors::from_kafka(
                        &format!("trimming {name}:{}", p.partition),
                        &self.target.bootstrap,
                        &e,
                    ));
                }
                Some((Ok(()), Offset::Offset(n))) if n >= 0 => n as u64,
                _ => before,
            };
            rows.push(PartitionCleaned {
                topic: name.to_string(),
                partition: p.partition,
                replicas: p.replicas.len(),
                log_start_before: low,
                log_start,
                high_watermark: high,
                ..PartitionCleaned::default()
            });
        }
        Ok(rows)
    }

    fn delete_topic(&self, name: &str) -> Result<Deleted> {
        let meta = self.existing_topic(name)?;
        let results = self.wait("deleting a topic", self.admin()?.delete_topics(&[name], &self.admin_options()))?;
        for result in results {
            result.map_err(|(name, code)| code_error("deleting topic", &name, code))?;
        }
        self.settle(name, |t| !t.is_some_and(is_there))?;
        Ok(Deleted { meta, groups: Vec::new(), warnings: Vec::new() })
    }
}

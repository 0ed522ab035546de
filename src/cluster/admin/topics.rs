//! Topic administration: create, delete, grow, configure and describe.
//! Every change happens under the cluster lock and ends with the topic's
//! JSON file being replaced atomically (the commit point).

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::Path;

use crate::cluster::handle::Cluster;
use crate::cluster::metadata::documents::{ClusterMeta, METADATA_VERSION, PartitionMeta, TopicMeta};
use crate::cluster::metadata::names;
use crate::cluster::replication::partition_lock;
use crate::cluster::replication::replica_marker::write_partition_marker;
use crate::cluster::rules::placement;
use crate::cluster::rules::topic_config::log_config;
use crate::cluster::rules::topic_config::{self, TopicSettings};
use crate::error::{Error, IoContext, Reason, Result};
use crate::store::{self, LogEnd};
use crate::sys::clock::now_ms;
use crate::sys::fault;
use crate::sys::ids::new_id;
use crate::sys::lock::LockFile;

/// Partitions one topic may have (a sanity bound, far above real use).
pub const MAX_PARTITIONS: u32 = 100_000;

/// What `topic create` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicSpec {
    pub name: String,
    pub partitions: u32,
    pub replication_factor: u32,
    pub config: Vec<(String, String)>,
}

/// One partition as `topic describe` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartitionStatus {
    pub meta: PartitionMeta,
    /// `None` while the partition has no leader to read from.
    pub log: Option<LogEnd>,
}

/// What `topic delete` did: the topic is gone; `left_behind` holds why some
/// of its replica folders are still on disk (removed when a topic of that
/// name is next created).
#[derive(Debug)]
pub struct DeletedTopic {
    pub meta: TopicMeta,
    pub left_behind: Vec<Error>,
}

/// A topic as `topic describe` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicDescription {
    pub meta: TopicMeta,
    pub partitions: Vec<PartitionStatus>,
}

impl Cluster {
    /// Creates a topic; exit 2 for impossible requests, 69 when too few
    /// brokers are up for the replication factor.
    pub fn create_topic(&self, spec: &TopicSpec) -> Result<TopicMeta> {
        let (overrides, settings) = checked_spec(spec)?;
        let lock = self.lock_metadata()?;
        let _guard = lock.lock(self.lock_timeout())?;
        let cluster = self.meta()?;
        self.check_against_cluster(spec, &cluster)?;
        let assignment = placement::assign_replicas_for_topic(
            &spec.name,
            &cluster.live_brokers(),
            spec.partitions,
            spec.replication_factor,
            0,
        )
        .map_err(|e| Error::usage(e.to_string()))?;
        let meta = TopicMeta {
            format_version: METADATA_VERSION,
            name: spec.name.clone(),
            topic_id: new_id(),
            created_ms: now_ms(),
            replication_factor: spec.replication_factor,
            config: overrides,
            partitions: assignment
                .into_iter()
                .enumerate()
                .map(|(p, replicas)| new_partition(p as u32, replicas))
                .collect(),
        };
        self.create_replicas(&meta, &meta.partitions, &settings)?;
        fault::step("create.replicas-created");
        self.write_topic(&meta)?;
        Ok(meta)
    }

    /// Whether [`Cluster::create_topic`] would create `spec` now (the same
    /// refusals), creating nothing: Kafka's `validate_only`.
    pub fn check_create_topic(&self, spec: &TopicSpec) -> Result<()> {
        checked_spec(spec)?;
        self.check_against_cluster(spec, &self.meta()?)
    }

    /// What refuses a valid topic spec in this cluster: too few brokers,
    /// the name taken, or a name colliding with one in use.
    fn check_against_cluster(&self, spec: &TopicSpec, cluster: &ClusterMeta) -> Result<()> {
        check_replication_factor(spec.replication_factor, cluster.brokers.len() as u32, &cluster.live_brokers())?;
        if self.find_topic(&spec.name)?.is_some() {
            return Err(Error::conflict(format!("topic '{}' already exists", spec.name))
                .because(Reason::TopicExists { name: spec.name.clone() }));
        }
        if let Some(other) = self.topic_names()?.into_iter().find(|other| names::collides(&spec.name, other)) {
            return Err(Error::conflict(format!(
                "topic '{}' collides with existing topic '{other}': Kafka treats '.' and '_' in topic names as the same character",
                spec.name
            ))
            .because(Reason::TopicCollides { name: spec.name.clone(), existing: other }));
        }
        Ok(())
    }

    /// Creates the empty replica folders (and first segments) of `partitions`.
    fn create_replicas(&self, meta: &TopicMeta, partitions: &[PartitionMeta], settings: &TopicSettings) -> Result<()> {
        for p in partitions {
            // The writer lock file now, not at the first produce: creating
            // files is the slow part of a first write to many partitions.
            LockFile::open(&self.layout().partition_lock(&meta.name, p.partition))?;
            for &broker in &p.replicas {
                let dir = self.layout().replica_dir(broker, &meta.name, p.partition);
                // No topic file names this folder: it is left over from a
                // deleted topic or a crashed create, never live data.
                remove_dir_if_present(&dir)?;
                store::Log::open(&dir, log_config(settings), 0)?;
                write_partition_marker(&dir, &meta.topic_id)?;
            }
        }
        Ok(())
    }

    /// Deletes a topic: its file first (the commit point: from then on the
    /// topic is gone and the command has succeeded), then each partition's
    /// replicas under that partition's writer lock. That removal is cleanup:
    /// a folder it cannot remove now (a lock held too long, a disk error) is
    /// left, invisible, for the next create of the name to remove, and
    /// reported in [`DeletedTopic::left_behind`], never as a failure.
    pub fn delete_topic(&self, name: &str) -> Result<DeletedTopic> {
        let lock = self.lock_metadata()?;
        let _guard = lock.lock(self.lock_timeout())?;
        let meta = self.topic(name)?;
        self.remove_topic_file(name)?;
        fault::step("delete.committed");
        let mut left_behind = Vec::new();
        for p in &meta.partitions {
            if let Err(e) = self.remove_partition_replicas(name, p) {
                left_behind.push(e);
            }
            fault::step("delete.partition-removed");
        }
        Ok(DeletedTopic { meta, left_behind })
    }

    /// Removes a deleted topic's replicas of one partition, under its writer lock.
    fn remove_partition_replicas(&self, name: &str, p: &PartitionMeta) -> Result<()> {
        let writer_lock = LockFile::open(&self.layout().partition_lock(name, p.partition))?;
        let _w = partition_lock::hold(&writer_lock, self.lock_timeout())?;
        for &broker in &p.replicas {
            remove_dir_if_present(&self.layout().replica_dir(broker, name, p.partition))?;
        }
        Ok(())
    }

    /// Grows a topic to `count` partitions (Kafka never shrinks one).
    pub fn add_partitions(&self, name: &str, count: u32) -> Result<TopicMeta> {
        self.alter_topic(name, Some(count), &[], &[])
    }

    /// Sets and removes topic configs (validated; exit 65 on bad ones).
    pub fn alter_topic_config(&self, name: &str, set: &[(String, String)], delete: &[String]) -> Result<TopicMeta> {
        self.alter_topic(name, None, set, delete)
    }

    /// `topic alter`: sets and removes configs (validated; exit 65 on bad
    /// ones) and grows the topic to `partitions`, all in one rewrite of its
    /// file (the commit point): refused as a whole, or done as a whole.
    /// Replica folders of new partitions are made before it; a run killed
    /// in between leaves them unnamed, and the next growth replaces them.
    pub fn alter_topic(
        &self,
        name: &str,
        partitions: Option<u32>,
        set: &[(String, String)],
        delete: &[String],
    ) -> Result<TopicMeta> {
        let validated = kept_as_written(set)?;
        for k in delete {
            if !topic_config::known_keys().any(|(known, _, _)| known == k) {
                return Err(Error::bad_input(format!("unknown topic config '{k}'")));
            }
        }
        let lock = self.lock_metadata()?;
        let _guard = lock.lock(self.lock_timeout())?;
        let mut meta = self.topic(name)?;
        for (k, v) in validated {
            meta.config.insert(k, v);
        }
        for k in delete {
            meta.config.remove(k);
        }
        let settings = self.topic_settings(&meta)?;
        if let Some(count) = partitions {
            let new = self.plan_growth(&meta, count)?;
            self.create_replicas(&meta, &new, &settings)?;
            fault::step("alter.replicas-created");
            meta.partitions.extend(new);
        }
        self.write_topic(&meta)?;
        Ok(meta)
    }

    /// The partitions that grow `meta` to `count`, placed on the live brokers.
    fn plan_growth(&self, meta: &TopicMeta, count: u32) -> Result<Vec<PartitionMeta>> {
        let name = &meta.name;
        let current = meta.partition_count();
        if count <= current {
            return Err(Error::usage(format!(
                "topic '{name}' has {current} partition{}; --partitions can only grow it (Kafka never removes partitions)",
                if current == 1 { "" } else { "s" }
            )));
        }
        if count > MAX_PARTITIONS {
            return Err(Error::usage(format!("--partitions must be at most {MAX_PARTITIONS}")));
        }
        let cluster = self.meta()?;
        let live = cluster.live_brokers();
        check_replication_factor(meta.replication_factor, cluster.brokers.len() as u32, &live)?;
        let first_leader = meta.partitions.first().and_then(|p| p.replicas.first().copied()).unwrap_or(0);
        let start = placement::growth_start_index(&live, first_leader);
        let added = placement::assign_replicas(
            &live,
            count - current,
            meta.replication_factor,
            current,
            Some(start),
            Some(start),
        )
        .map_err(|e| Error::usage(e.to_string()))?;
        Ok(added.into_iter().enumerate().map(|(i, replicas)| new_partition(current + i as u32, replicas)).collect())
    }

    /// The topic with each partition's log start, high watermark and size,
    /// read from its leader replica.
    pub fn describe_topic(&self, name: &str) -> Result<TopicDescription> {
        let meta = self.topic(name)?;
        let mut partitions = Vec::with_capacity(meta.partitions.len());
        for p in &meta.partitions {
            let log = match p.leader {
                Some(leader) => Some(store::log_end(&self.layout().replica_dir(leader, name, p.partition))?),
                None => None,
            };
            partitions.push(PartitionStatus { meta: p.clone(), log });
        }
        Ok(TopicDescription { meta, partitions })
    }
}

fn new_partition(partition: u32, replicas: Vec<u32>) -> PartitionMeta {
    PartitionMeta { partition, leader: replicas.first().copied(), leader_epoch: 0, isr: replicas.clone(), replicas }
}

/// A topic spec checked on its own (name, partition count, configs): its
/// validated config overrides and the settings they give.
fn checked_spec(spec: &TopicSpec) -> Result<(BTreeMap<String, String>, TopicSettings)> {
    names::validate_topic(&spec.name)?;
    if spec.partitions == 0 || spec.partitions > MAX_PARTITIONS {
        return Err(Error::usage(format!("--partitions must be from 1 to {MAX_PARTITIONS}, not {}", spec.partitions)));
    }
    checked_configs(&spec.config)
}

/// A topic's config overrides, each checked and kept as written (as Kafka
/// keeps them: `retention.ms=0100` is described as `0100`), and the
/// settings they give together (exit 65 naming the first key or value
/// refused).
pub fn checked_configs(config: &[(String, String)]) -> Result<(BTreeMap<String, String>, TopicSettings)> {
    let overrides = kept_as_written(config)?;
    let settings = TopicSettings::resolve(&overrides)?;
    Ok((overrides, settings))
}

/// Config overrides, each checked on its own (exit 65 naming the first
/// refused) and kept as written, as Kafka keeps them.
fn kept_as_written(config: &[(String, String)]) -> Result<BTreeMap<String, String>> {
    let mut kept = BTreeMap::new();
    for (k, v) in config {
        topic_config::validate(k, v)?;
        kept.insert(k.clone(), v.clone());
    }
    Ok(kept)
}

fn check_replication_factor(rf: u32, brokers: u32, live: &[u32]) -> Result<()> {
    if rf == 0 {
        return Err(Error::usage("--replication-factor must be at least 1"));
    }
    if rf > brokers {
        return Err(Error::usage(format!(
            "replication factor {rf} is larger than this cluster's broker count ({brokers})"
        ))
        .because(Reason::TooFewBrokers { replication_factor: rf, brokers }));
    }
    if rf as usize > live.len() {
        return Err(Error::unavailable(format!(
            "replication factor {rf} needs {rf} broker{} up; brokers up now: {}",
            if rf == 1 { "" } else { "s" },
            live.len()
        ))
        .because(Reason::TooFewBrokersUp { replication_factor: rf, live: live.len() }));
    }
    Ok(())
}

fn remove_dir_if_present(dir: &Path) -> Result<()> {
    match fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e).at("remove", dir),
    }
}

//! The data-dir backend: the seam's operations over a local data dir,
//! wrapping what `cluster`, `producer` and `consumer` do. Commands that
//! write open the cluster with [`Cluster::open`] (creating a one-broker
//! cluster in an absent or empty folder); commands that only read use
//! [`Cluster::open_existing`], which writes nothing.

mod append;
mod records;

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use super::{
    Append, AppendRecords, Backend, Created, Deleted, Fetch, GroupAdmin, GroupOffsets, Location, PartitionHealth,
    TopicAdmin, Warning,
};
use crate::cluster::replication::partition_writer::Acks;
use crate::cluster::rules::health::{unavailable, under_replicated};
use crate::cluster::{BrokerSummary, Cluster, PartitionCleaned, TopicDescription, TopicMeta, TopicSpec, TrimPoint};
use crate::consumer::group::delete_offsets::OffsetDeletion;
use crate::consumer::group::{
    AutoOffsetReset, GroupDescription, GroupSummary, MemberOptions, MemberReport, OffsetReset, ResetScope, ResetSpec,
    delete_group, describe_group, forget, forget_topic, list_groups, reset_offsets_with_progress, run_member,
};
use crate::consumer::share::{
    GroupType, PendingReport, ShareGroupDescription, ShareMemberOptions, ShareReport, ShareWork, describe_share_group,
    pending, run_share_member,
};
use crate::consumer::wake::Wakeup;
use crate::consumer::{Consumer, Position, RecordSink, StopReason, Until};
use crate::error::Result;

/// A data dir, opened per operation.
#[derive(Debug, Clone)]
pub struct DataDir {
    pub root: PathBuf,
    pub lock_timeout: Duration,
}

impl DataDir {
    pub fn new(root: PathBuf, lock_timeout: Duration) -> DataDir {
        DataDir { root, lock_timeout }
    }

    /// For an operation that writes: creates a one-broker cluster in an
    /// absent or empty folder.
    pub fn cluster(&self) -> Result<Cluster> {
        Cluster::open(&self.root, self.lock_timeout)
    }

    /// For every other operation, which reads or changes what exists: a
    /// folder without a cluster is an error, and nothing is written there.
    pub fn cluster_to_read(&self) -> Result<Cluster> {
        Cluster::open_existing(&self.root, self.lock_timeout)
    }
}

impl TopicAdmin for DataDir {
    fn create_topic(&self, spec: &TopicSpec) -> Result<Created> {
        let (meta, stale) = forget::create_topic(&self.cluster()?, spec)?;
        let warnings = stale
            .into_iter()
            .map(|error| Warning {
                what: format!("groups may keep offsets of an earlier '{}'", spec.name),
                error,
                then: String::new(),
            })
            .collect();
        Ok(Created { meta, warnings })
    }

    fn find_topic(&self, name: &str) -> Result<Option<TopicMeta>> {
        self.cluster()?.find_topic(name)
    }

    fn unknown_topic(&self, name: &str) -> crate::error::Error {
        match self.cluster_to_read() {
            Ok(cluster) => cluster.unknown_topic(name),
            Err(e) => e,
        }
    }

    fn topic(&self, name: &str) -> Result<TopicMeta> {
        self.cluster_to_read()?.topic(name)
    }

    fn topic_names(&self) -> Result<Vec<String>> {
        self.cluster_to_read()?.topic_names()
    }

    fn list_topics(&self) -> Result<Vec<TopicMeta>> {
        let cluster = self.cluster_to_read()?;
        let mut topics = Vec::new();
        for name in cluster.topic_names()? {
            if let Some(meta) = cluster.find_topic(&name)? {
                topics.push(meta);
            }
        }
        Ok(topics)
    }

    fn describe_topic(&self, name: &str) -> Result<TopicDescription> {
        self.cluster_to_read()?.describe_topic(name)
    }

    fn partition_health(&self, desc: &TopicDescription) -> Result<Vec<PartitionHealth>> {
        let meta = self.cluster_to_read()?.meta()?;
        Ok(desc
            .partitions
            .iter()
            .map(|p| PartitionHealth {
                under_replicated: under_replicated(&p.meta, &meta),
                unavailable: unavailable(&p.meta, &meta),
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
        self.cluster_to_read()?.alter_topic(name, partitions, set, delete)
    }

    fn finish_interrupted_delete(&self, name: &str) -> Result<Option<usize>> {
        let cluster = self.cluster_to_read()?;
        if cluster.find_topic(name)?.is_some() || cluster.stray_replicas(Some(name))?.is_empty() {
            return Ok(None);
        }
        let removed = cluster.remove_stray_replicas(name)?;
        forget_topic(&cluster, name)?;
        Ok(Some(removed))
    }

    fn trim_topic(&self, name: &str, only: Option<u32>, point: TrimPoint) -> Result<Vec<PartitionCleaned>> {
        self.cluster_to_read()?.trim_topic(name, only, point)
    }

    fn delete_topic(&self, name: &str) -> Result<Deleted> {
        let deleted = forget::delete_topic(&self.cluster_to_read()?, name)?;
        let mut warnings: Vec<Warning> = deleted
            .left_behind
            .into_iter()
            .map(|error| Warning {
                what: "a replica folder of the deleted topic stays for now".into(),
                error,
                then: String::new(),
            })
            .collect();
        warnings.extend(deleted.offsets_left.map(|error| Warning {
            what: "committed offsets of the deleted topic may remain".into(),
            error,
            then: format!("; `runnel topic create {name}` drops them"),
        }));
        Ok(Deleted { meta: deleted.meta, groups: deleted.groups, warnings })
    }
}

impl GroupAdmin for DataDir {
    fn list_groups(&self) -> Result<Vec<GroupSummary>> {
        list_groups(&self.cluster_to_read()?)
    }

    fn describe_group(&self, group: &str) -> Result<GroupDescription> {
        describe_group(&self.cluster_to_read()?, group)
    }

    fn reset_offsets(
        &self,
        group: &str,
        spec: &ResetSpec,
        execute: bool,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<Vec<OffsetReset>> {
        let cluster = self.cluster_to_read()?;
        if crate::consumer::share::group_type(&cluster, group).ok() == Some(GroupType::Share) {
            return crate::consumer::share::admin::reset_share_offsets(&cluster, group, spec, execute);
        }
        reset_offsets_with_progress(&cluster, group, spec, execute, progress)
    }

    fn delete_group(&self, group: &str) -> Result<()> {
        delete_group(&self.cluster_to_read()?, group)
    }

    fn delete_offsets(&self, group: &str, scopes: &[ResetScope]) -> Result<Vec<(String, u32, OffsetDeletion)>> {
        let cluster = self.cluster_to_read()?;
        let mut asked = Vec::new();
        for scope in scopes {
            let partitions = scope.partitions_or_all(|| Ok(cluster.topic(&scope.topic)?.partition_count()))?;
            asked.push((scope.topic.clone(), partitions));
        }
        crate::consumer::group::delete_offsets::delete_offsets(&cluster, group, &asked)
    }

    fn group_type(&self, group: &str) -> Result<GroupType> {
        crate::consumer::share::group_type(&self.cluster_to_read()?, group)
    }

    fn describe_share_group(&self, group: &str) -> Result<ShareGroupDescription> {
        describe_share_group(&self.cluster_to_read()?, group)
    }

    fn group_pending(&self, group: &str) -> Result<PendingReport> {
        pending(&self.cluster_to_read()?, group)
    }
}

impl Backend for DataDir {
    fn list_brokers(&self) -> Result<Vec<BrokerSummary>> {
        self.cluster_to_read()?.list_brokers()
    }

    fn describe(&self) -> String {
        format!("data dir {}", self.root.display())
    }

    fn location(&self) -> Location {
        Location::DataDir(self.root.clone())
    }

    fn cluster_id(&self) -> Result<String> {
        Ok(self.cluster_to_read()?.meta()?.cluster_id)
    }

    fn appender(&self, topic: &TopicMeta, acks: Acks) -> Result<Box<dyn Append>> {
        Ok(Box::new(append::DataDirAppend::new(&self.cluster()?, topic.clone(), acks)?))
    }

    fn record_appender(&self, topic: &TopicMeta) -> Result<Box<dyn AppendRecords>> {
        Ok(Box::new(records::DataDirRecords::new(self.cluster()?, topic.clone())))
    }

    fn group_offsets(&self, group: &str) -> Result<Box<dyn GroupOffsets>> {
        Ok(Box::new(records::DataDirOffsets { cluster: self.cluster_to_read()?, group: group.to_string() }))
    }

    /// The topics folder and each leader's replica folder of the topic.
    fn watch_topic(&self, desc: &TopicDescription, wakeup: &mut Wakeup) {
        let layout = crate::cluster::Layout::new(&self.root);
        wakeup.watch(&layout.topics_dir());
        for p in &desc.partitions {
            if let Some(leader) = p.meta.leader {
                wakeup.watch(&layout.replica_dir(leader, &desc.meta.name, p.meta.partition));
            }
        }
    }

    /// The groups folder and the group's own.
    fn watch_group(&self, group: &str, wakeup: &mut Wakeup) {
        let layout = crate::cluster::Layout::new(&self.root);
        wakeup.watch(&layout.groups_dir());
        if let Ok(paths) = crate::consumer::group::paths::GroupPaths::in_groups_dir(&layout.groups_dir(), group) {
            wakeup.watch(paths.dir());
        }
    }

    fn fetcher(&self) -> Result<Box<dyn Fetch>> {
        Ok(Box::new(DataDirFetch { consumer: Consumer::new(&self.cluster_to_read()?) }))
    }

    fn run_member(&self, opts: &MemberOptions, sink: &mut dyn RecordSink, stop: &AtomicBool) -> Result<MemberReport> {
        run_member(&self.cluster_to_read()?, opts, sink, stop)
    }

    fn run_share_member(
        &self,
        opts: &ShareMemberOptions,
        work: ShareWork<'_>,
        stop: &AtomicBool,
    ) -> Result<ShareReport> {
        run_share_member(&self.cluster_to_read()?, opts, work, stop)
    }
}

/// Reading a data dir's partitions: the [`Consumer`].
struct DataDirFetch {
    consumer: Consumer,
}

impl Fetch for DataDirFetch {
    fn set_max_messages(&mut self, max: Option<u64>) {
        self.consumer.set_max_messages(max);
    }

    fn set_warn(&mut self, warn: fn(&str)) {
        self.consumer.on_truncation(AutoOffsetReset::default(), warn);
    }

    fn assign(&mut self, topic: &str, partition: Option<u32>, from: Position, until: Until) -> Result<()> {
        match partition {
            Some(p) => self.consumer.assign_until(topic, p, from, until).map(drop),
            None => self.consumer.assign_topic(topic, from, until),
        }
    }

    fn offset_of(&mut self, topic: &str, partition: u32, position: Position) -> Result<u64> {
        Ok(self.consumer.offset_of(topic, partition, position)?.0)
    }

    fn run(&mut self, sink: &mut dyn RecordSink, idle_timeout: Option<Duration>) -> Result<StopReason> {
        self.consumer.run(sink, idle_timeout)
    }

    fn delivered(&self) -> u64 {
        self.consumer.delivered()
    }
}

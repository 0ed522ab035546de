//! The seam between the commands and where the data lives: a small set of
//! domain operations — topic admin, append, fetch, a group member's loop,
//! group admin — as traits, with two implementations: [`datadir`] (the local
//! data dir, wrapping `cluster`, `producer` and `consumer`) and [`kafka`]
//! (a real Apache Kafka cluster through librdkafka). Commands hold a
//! `Box<dyn Backend>` and never ask which one it is.

pub mod datadir;
pub mod kafka;
pub mod mirror;

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use crate::cluster::replication::partition_writer::Acks;
use crate::cluster::{BrokerSummary, PartitionCleaned, TopicDescription, TopicMeta, TopicSpec, TrimPoint};
use crate::consumer::group::delete_offsets::OffsetDeletion;
use crate::consumer::group::{
    GroupDescription, GroupSummary, MemberOptions, MemberReport, OffsetReset, ResetScope, ResetSpec,
};
use crate::consumer::share::{
    GroupType, PendingReport, ShareGroupDescription, ShareMemberOptions, ShareReport, ShareWork,
};
use crate::consumer::wake::Wakeup;
use crate::consumer::{Position, RecordSink, StopReason, Until};
use crate::error::Result;
use crate::producer::{PipelineOptions, ProduceSummary};
use crate::store::Record;

/// Topic admin: Kafka's CreateTopics, Metadata, DescribeConfigs,
/// CreatePartitions, IncrementalAlterConfigs, DeleteTopics, DeleteRecords.
pub trait TopicAdmin {
    /// Creates a topic (exit 73 if it exists, 2 for an impossible request,
    /// 69 when too few brokers are up).
    fn create_topic(&self, spec: &TopicSpec) -> Result<Created>;
    /// The topic, or `None` if there is none of that name. For the commands
    /// that may write (`produce`, `topic create`): on a data dir it makes a
    /// one-broker cluster in an absent or empty folder.
    fn find_topic(&self, name: &str) -> Result<Option<TopicMeta>>;
    /// The topic with its configs; 66 when there is none of that name.
    fn topic(&self, name: &str) -> Result<TopicMeta>;
    /// The error for a topic there is none of (exit 66), with a suggestion
    /// where a close name exists.
    fn unknown_topic(&self, name: &str) -> crate::error::Error;
    /// The names of every topic, sorted (internal topics left out).
    fn topic_names(&self) -> Result<Vec<String>>;
    /// Every topic, sorted by name (internal topics left out).
    fn list_topics(&self) -> Result<Vec<TopicMeta>>;
    /// Partitions with leaders, replicas, ISR and log bounds; configs.
    fn describe_topic(&self, name: &str) -> Result<TopicDescription>;
    /// Each described partition's health, in the order of `desc.partitions`.
    fn partition_health(&self, desc: &TopicDescription) -> Result<Vec<PartitionHealth>>;
    /// Grows the partition count to `partitions` (when given) and sets or
    /// deletes configs.
    fn alter_topic(
        &self,
        name: &str,
        partitions: Option<u32>,
        set: &[(String, String)],
        delete: &[String],
    ) -> Result<TopicMeta>;
    /// Finishes a `topic delete` cut short after its commit point (a data
    /// dir's replica folders of a topic without a topic file): the number of
    /// folders removed, or `None` when there is nothing to finish.
    fn finish_interrupted_delete(&self, name: &str) -> Result<Option<usize>>;
    /// Deletes the records before `point` in each partition (all, or just
    /// `only`): Kafka's DeleteRecords. An offset above a partition's high
    /// watermark is refused before any partition is trimmed.
    fn trim_topic(&self, name: &str, only: Option<u32>, point: TrimPoint) -> Result<Vec<PartitionCleaned>>;
    /// Deletes a topic and its data; returns what it was and notes for the
    /// user (data-dir specifics such as group offsets dropped with it).
    fn delete_topic(&self, name: &str) -> Result<Deleted>;
}

/// Whether a partition misses an in-sync replica, or a leader to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartitionHealth {
    pub under_replicated: bool,
    pub unavailable: bool,
}

/// A created topic, and what went wrong on the side without stopping it.
#[derive(Debug)]
pub struct Created {
    pub meta: TopicMeta,
    pub warnings: Vec<Warning>,
}

/// What a deleted topic was, the groups whose offsets of it went with it,
/// and what went wrong on the side without stopping it.
#[derive(Debug)]
pub struct Deleted {
    pub meta: TopicMeta,
    pub groups: Vec<String>,
    pub warnings: Vec<Warning>,
}

/// A failure that did not stop an operation: `{what}: {error}{then}` on stderr.
#[derive(Debug)]
pub struct Warning {
    pub what: String,
    pub error: crate::error::Error,
    /// What to do about it (`; ...`), or empty.
    pub then: String,
}

/// Appending a stream of input lines to one topic.
pub trait Append {
    /// Produces every line of `input` as `produce` does: exit 65 naming a
    /// bad line after making the lines before it durable as `--acks` asks.
    /// `input_ready` says whether more input can be read without blocking;
    /// `on_progress` hears how many messages are acknowledged.
    /// `set_headers` headers go on every record.
    fn produce_lines(
        &mut self,
        input: &mut dyn Read,
        options: &PipelineOptions,
        input_ready: &mut dyn FnMut() -> bool,
        on_progress: &mut dyn FnMut(u64),
    ) -> (Result<()>, ProduceSummary);
    /// Headers added to every record (`produce -H`).
    fn set_headers(&mut self, headers: &[(Vec<u8>, Option<Vec<u8>>)]);
    /// Repairs made on the way (a data dir's torn tails), one line each.
    fn take_repairs(&mut self) -> Vec<String>;
}

/// Appending whole records as they are (`mirror`): each to the partition
/// it names, with its timestamp (CreateTime), key, value and headers, null
/// kept apart from empty. Nothing is re-partitioned.
pub trait AppendRecords {
    /// Queues `record` for `partition` (exit 65 when it is larger than the
    /// topic takes; 2 for a partition the topic lacks).
    fn append(&mut self, partition: u32, record: &Record<'_>) -> Result<()>;
    /// Returns once every record appended so far is on disk on every
    /// in-sync replica (Kafka's `acks=all`); the first failure is the error.
    fn sync(&mut self) -> Result<()>;
}

/// `Err` (exit 2) when `topic` has no `partition`: what an
/// [`AppendRecords::append`] to it says before queueing anything.
pub fn check_record_partition(topic: &TopicMeta, partition: u32) -> Result<()> {
    let count = topic.partition_count();
    if partition >= count {
        return Err(crate::error::Error::usage(format!(
            "topic '{}' has no partition {partition} (it has partitions 0 to {})",
            topic.name,
            count.saturating_sub(1)
        )));
    }
    Ok(())
}

/// A consumer group's committed offsets, read and written by a process
/// that is not a member (the mirror's own group): Kafka's OffsetFetch and
/// OffsetCommit outside a generation, refused (73) while the group has
/// members.
pub trait GroupOffsets {
    /// The committed offset (the next to read) of every partition of
    /// `topics` the group has one for.
    fn committed(&mut self, topics: &[TopicMeta]) -> Result<BTreeMap<(String, u32), u64>>;
    /// Commits `offsets` (topic, partition, next offset to read).
    fn commit(&mut self, offsets: &[(String, u32, u64)]) -> Result<()>;
}

/// Where a backend's data lives, for reports that name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    DataDir(std::path::PathBuf),
    Kafka { bootstrap: String },
}

/// Reading partitions from positions, like `cat` or `tail -f`.
pub trait Fetch {
    fn set_max_messages(&mut self, max: Option<u64>);
    /// Where warnings about the logs read go (a data dir's truncated log).
    fn set_warn(&mut self, warn: fn(&str));
    /// Reads `partition` of `topic` (every partition when `None`) from
    /// `from` until `until`.
    fn assign(&mut self, topic: &str, partition: Option<u32>, from: Position, until: Until) -> Result<()>;
    /// The offset `position` names in `topic:partition`, without consuming
    /// (`topic offsets`, kcat -Q).
    fn offset_of(&mut self, topic: &str, partition: u32, position: Position) -> Result<u64>;
    /// Delivers records to `sink` until every partition reached its stop,
    /// `max_messages` were delivered, or nothing came for `idle_timeout`.
    fn run(&mut self, sink: &mut dyn RecordSink, idle_timeout: Option<Duration>) -> Result<StopReason>;
    fn delivered(&self) -> u64;
}

/// Group admin: Kafka's ListGroups, DescribeGroups with OffsetFetch,
/// OffsetCommit of a reset, DeleteGroups.
pub trait GroupAdmin {
    fn list_groups(&self) -> Result<Vec<GroupSummary>>;
    fn describe_group(&self, group: &str) -> Result<GroupDescription>;
    /// Plans (and with `execute`, applies) a reset of the group's offsets;
    /// refused (73) while the group has members. `progress` hears (done, total)
    /// partitions as they are planned.
    fn reset_offsets(
        &self,
        group: &str,
        spec: &ResetSpec,
        execute: bool,
        progress: &mut dyn FnMut(u64, u64),
    ) -> Result<Vec<OffsetReset>>;
    fn delete_group(&self, group: &str) -> Result<()>;
    /// Deletes the group's committed offsets of `scopes` (a topic's every
    /// partition, or those named), Kafka's OffsetDelete: each partition's
    /// outcome, in order. An unknown group or topic is exit 66.
    fn delete_offsets(&self, group: &str, scopes: &[ResetScope]) -> Result<Vec<(String, u32, OffsetDeletion)>>;
    /// Whether `group` is a consumer or a share group (exit 66 when there
    /// is no such group).
    fn group_type(&self, group: &str) -> Result<GroupType>;
    /// A share group's members and share-partitions (KIP-932).
    fn describe_share_group(&self, group: &str) -> Result<ShareGroupDescription>;
    /// What is in flight, retried and waiting in a group of either kind.
    fn group_pending(&self, group: &str) -> Result<PendingReport>;
}

/// Everything a command may ask of where the data lives.
pub trait Backend: TopicAdmin + GroupAdmin {
    /// The brokers: status, partitions led, replicas hosted (`broker list`).
    fn list_brokers(&self) -> Result<Vec<BrokerSummary>>;
    /// What the commands' messages call it: "data dir /x" or "Kafka cluster at h:p".
    fn describe(&self) -> String;
    /// Where the data lives.
    fn location(&self) -> Location;
    /// The cluster's id (a data dir's `cluster.json`, Kafka's cluster id).
    fn cluster_id(&self) -> Result<String>;
    /// An appender for `topic` that acknowledges as `acks` asks.
    fn appender(&self, topic: &TopicMeta, acks: Acks) -> Result<Box<dyn Append>>;
    /// The topic of that name and an appender for it, or `None` when there
    /// is none (`produce`). A backend may find the topic through the
    /// appender's own connection (Kafka: one client for the metadata, the
    /// configs and the records).
    fn open_appender(&self, name: &str, acks: Acks) -> Result<Option<(TopicMeta, Box<dyn Append>)>> {
        match self.find_topic(name)? {
            Some(meta) => {
                let appender = self.appender(&meta, acks)?;
                Ok(Some((meta, appender)))
            }
            None => Ok(None),
        }
    }
    /// An appender of whole records to `topic`, acknowledged by every
    /// in-sync replica.
    fn record_appender(&self, topic: &TopicMeta) -> Result<Box<dyn AppendRecords>>;
    /// The committed offsets of `group`, for a process outside the group.
    fn group_offsets(&self, group: &str) -> Result<Box<dyn GroupOffsets>>;
    /// Asks `wakeup` to wake a waiter (`topic wait`) when the topic may have
    /// changed; a backend without change notices registers nothing and the
    /// waiter looks again after its pause.
    fn watch_topic(&self, desc: &TopicDescription, wakeup: &mut Wakeup);
    /// The same for a group (`group wait`).
    fn watch_group(&self, group: &str, wakeup: &mut Wakeup);
    /// A reader of partitions by position.
    fn fetcher(&self) -> Result<Box<dyn Fetch>>;
    /// One member of a consumer group: joins, reads what the group assigns it
    /// from the committed offsets, writes to `sink`, commits only what the
    /// sink flushed, follows rebalances, and leaves when drained (without
    /// follow), at `max_messages` or when `stop` is set. The group protocol is
    /// each backend's own (files and locks; Kafka's coordinator), so the seam
    /// is the member's whole loop.
    fn run_member(&self, opts: &MemberOptions, sink: &mut dyn RecordSink, stop: &AtomicBool) -> Result<MemberReport>;
    /// One member of a share group (KIP-932): acquires records of every
    /// partition under time-limited locks and works on them as `work` says
    /// (a sink whose reader's take is accepted, or a batch handler).
    fn run_share_member(
        &self,
        opts: &ShareMemberOptions,
        work: ShareWork<'_>,
        stop: &AtomicBool,
    ) -> Result<ShareReport>;
}

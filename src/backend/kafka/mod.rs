//! The Kafka backend: the seam's operations against a real Apache Kafka
//! cluster through librdkafka (the `rdkafka` crate), synchronously — admin
//! futures are waited on with a deadline, producers and consumers are
//! polled. Every request is bounded by [`KafkaTarget::request_timeout`], so
//! an unreachable cluster is exit 69 within that time, never a hang.

mod admin;
mod admin_event;
mod append;
mod append_records;
pub mod config;
mod delete_offsets;
mod delivery;
mod described;
pub mod errors;
mod fetch;
mod group;
mod group_admin;
mod offsets;
mod records;
mod shutdown;
mod topic_configs;
mod topic_handle;
mod unacknowledged;

use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;

use rdkafka::admin::AdminClient;
use rdkafka::client::DefaultClientContext;
use rdkafka::metadata::Metadata;
use rdkafka::producer::Producer as _;

pub use config::KafkaTarget;

use super::{Append, AppendRecords, Backend, Fetch, GroupOffsets, Location};
use crate::cluster::replication::partition_writer::Acks;
use crate::cluster::{BrokerStatus, BrokerSummary, TopicMeta};
use crate::consumer::RecordSink;
use crate::consumer::group::{MemberOptions, MemberReport};
use crate::consumer::wake::Wakeup;
use crate::error::{Error, ErrorKind, Result};

/// A Kafka cluster, with one admin client made at first use.
pub struct Kafka {
    target: KafkaTarget,
    admin: OnceCell<AdminClient<DefaultClientContext>>,
}

impl Kafka {
    pub fn new(target: KafkaTarget) -> Result<Kafka> {
        config::check_bootstrap(&target.bootstrap)?;
        Ok(Kafka { target, admin: OnceCell::new() })
    }

    pub fn target(&self) -> &KafkaTarget {
        &self.target
    }

    fn admin(&self) -> Result<&AdminClient<DefaultClientContext>> {
        if let Some(admin) = self.admin.get() {
            return Ok(admin);
        }
        let admin = self.target.client_config(&[]).create().map_err(|e| config::bad_config(&e))?;
        Ok(self.admin.get_or_init(|| admin))
    }

    /// The cluster's metadata (of one topic, or all), within the deadline.
    fn metadata(&self, topic: Option<&str>) -> Result<Metadata> {
        let timeout = self.target.request_timeout();
        self.admin()?.inner().fetch_metadata(topic, timeout).map_err(|e| {
            let err = errors::from_kafka("reading the cluster's metadata", &self.target.bootstrap, &e);
            if err.kind == ErrorKind::Unavailable || errors::code_of(&e).is_none() {
                errors::unreachable(&self.target.bootstrap, timeout)
            } else {
                err
            }
        })
    }
}

impl Drop for Kafka {
    /// Every admin request was waited for: nothing is outstanding.
    fn drop(&mut self) {
        if let Some(admin) = self.admin.take() {
            shutdown::end_admin(admin);
        }
    }
}

impl Backend for Kafka {
    /// Kafka's metadata lists the brokers that are up; a broker named in a
    /// partition's replicas and missing from that list is down.
    fn list_brokers(&self) -> Result<Vec<BrokerSummary>> {
        let metadata = self.metadata(None)?;
        let mut brokers: BTreeMap<u32, BrokerSummary> = metadata
            .brokers()
            .iter()
            .map(|b| {
                let id = b.id().max(0) as u32;
                (id, BrokerSummary { id, status: BrokerStatus::Up, leader_of: 0, replicas: 0 })
            })
            .collect();
        for topic in metadata.topics().iter().filter(|t| t.error().is_none()) {
            for p in topic.partitions() {
                for &replica in p.replicas() {
                    let id = replica.max(0) as u32;
                    let b = brokers.entry(id).or_insert(BrokerSummary {
                        id,
                        status: BrokerStatus::Down,
                        leader_of: 0,
                        replicas: 0,
                    });
                    b.replicas += 1;
                    if p.leader() == replica {
                        b.leader_of += 1;
                    }
                }
            }
        }
        Ok(brokers.into_values().collect())
    }

    fn describe(&self) -> String {
        format!("Kafka cluster at {}", self.target.bootstrap)
    }

    fn location(&self) -> Location {
        Location::Kafka { bootstrap: self.target.bootstrap.clone() }
    }

    fn cluster_id(&self) -> Result<String> {
        // Metadata first: an unreachable cluster is exit 69 within the deadline.
        self.metadata(None)?;
        Ok(self.admin()?.inner().fetch_cluster_id(self.target.request_timeout()).unwrap_or_default())
    }

    fn appender(&self, topic: &TopicMeta, acks: Acks) -> Result<Box<dyn Append>> {
        Ok(Box::new(append::KafkaAppend::new(&self.target, topic.clone(), acks)?))
    }

    /// One client for all of it: the producer reads the cluster's metadata
    /// (all topics: a request naming one could have the broker create it)
    /// and the topic's configs (DescribeConfigs on its own connections),
    /// then produces.
    fn open_appender(&self, name: &str, acks: Acks) -> Result<Option<(TopicMeta, Box<dyn Append>)>> {
        let producer = append::connect(&self.target, acks)?;
        let timeout = self.target.request_timeout();
        // The configs are asked for at once, to overlap with the metadata.
        let configs = topic_configs::Pending::start(producer.client(), name, timeout).map_err(|code| {
            Error::new(errors::kind_of(code), format!("reading the configs of topic '{name}': {code}"))
        })?;
        let metadata = producer.client().fetch_metadata(None, timeout).map_err(|e| {
            let err = errors::from_kafka("reading the cluster's metadata", &self.target.bootstrap, &e);
            if err.kind == ErrorKind::Unavailable || errors::code_of(&e).is_none() {
                errors::unreachable(&self.target.bootstrap, timeout)
            } else {
                err
            }
        })?;
        let found =
            metadata.topics().iter().find(|t| t.name() == name && t.error().is_none() && !t.partitions().is_empty());
        let Some(topic) = found else {
            drop(configs);
            shutdown::end_producer(producer);
            return Ok(None);
        };
        let mut meta = admin::to_meta(topic);
        meta.config = configs.wait().map_err(|code| {
            Error::new(errors::kind_of(code), format!("reading the configs of topic '{name}': {code}"))
        })?;
        Ok(Some((meta.clone(), Box::new(append::KafkaAppend::with(&self.target, producer, meta, acks)?))))
    }

    fn record_appender(&self, topic: &TopicMeta) -> Result<Box<dyn AppendRecords>> {
        Ok(Box::new(append_records::KafkaRecords::new(&self.target, topic.clone())?))
    }

    fn group_offsets(&self, group: &str) -> Result<Box<dyn GroupOffsets>> {
        Ok(Box::new(offsets::KafkaOffsets::new(&self.target, group)?))
    }

    /// Kafka sends no change notices to a client: waiters poll.
    fn watch_topic(&self, _desc: &crate::cluster::TopicDescription, _wakeup: &mut Wakeup) {}

    fn watch_group(&self, _group: &str, _wakeup: &mut Wakeup) {}

    fn fetcher(&self) -> Result<Box<dyn Fetch>> {
        Ok(Box::new(fetch::KafkaFetch::new(&self.target)?))
    }

    fn run_member(&self, opts: &MemberOptions, sink: &mut dyn RecordSink, stop: &AtomicBool) -> Result<MemberReport> {
        group::run_member(self, opts, sink, stop)
    }

    fn run_share_member(
        &self,
        _opts: &crate::consumer::share::ShareMemberOptions,
        _work: crate::consumer::share::ShareWork<'_>,
        _stop: &AtomicBool,
    ) -> Result<crate::consumer::share::ShareReport> {
        Err(group_admin::no_share_groups("consume --share"))
    }
}

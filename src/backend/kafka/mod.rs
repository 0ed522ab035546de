//! The Kafka backend: the seam's operations against a real Apache Kafka
//! cluster through librdkafka (the `rdkafka` crate), synchronously — admin
//! futures are waited on with a deadline, producers and consumers are
//! polled. Every request is bounded by [`KafkaTarget::request_timeout`], so
//! an unreachable cluster is exit 69 within that time, never a hang.

mod admin;
mod append;
pub mod config;
pub mod errors;
mod fetch;
mod group;
mod group_admin;
mod records;

use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::sync::atomic::AtomicBool;

use rdkafka::admin::AdminClient;
use rdkafka::client::DefaultClientContext;
use rdkafka::metadata::Metadata;

pub use config::KafkaTarget;

use super::{Append, Backend, Fetch};
use crate::cluster::replication::partition_writer::Acks;
use crate::cluster::{BrokerStatus, BrokerSummary, TopicMeta};
use crate::consumer::RecordSink;
use crate::consumer::group::{MemberOptions, MemberReport};
use crate::consumer::wake::Wakeup;
use crate::error::{ErrorKind, Result};

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

    fn appender(&self, topic: &TopicMeta, acks: Acks) -> Result<Box<dyn Append>> {
        Ok(Box::new(append::KafkaAppend::new(&self.target, topic.clone(), acks)?))
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

//! `log verify --repair`: repairs what `log verify` found from the healthy
//! in-sync replicas. For each live broker holding an unhealthy replica it
//! runs `broker recover ID --repair` (`broker_recover.rs`): a replica with
//! damaged frames or missing offsets is dropped and rebuilt from a copy that
//! verifies whole (leadership first moving to the longest in-sync copy if it
//! led), a lost folder is rebuilt, and the in-sync replicas are levelled, so
//! a short follower copies up and a leader that lost frames takes them back.
//! A damaged index is rebuilt from its segment's frames, and temporary files
//! left by interrupted metadata writes are removed. What it cannot repair — a damaged copy
//! with no healthy in-sync replica, a broker that is down, a metadata file —
//! it reports, and the caller exits 74.

use std::collections::BTreeSet;

use crate::cluster::admin::broker_recover::RecoverMode;
use crate::cluster::admin::verify_data_dir::{VerifyReport, VerifyStatus};
use crate::cluster::handle::Cluster;
use crate::cluster::replication::partition_lock;
use crate::cluster::replication::partition_writer::PartitionWriter;
use crate::cluster::rules::topic_config::log_config;
use crate::error::Result;
use crate::store;
use crate::sys::lock::LockFile;

/// What `log verify --repair` did and could not do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RepairOutcome {
    /// One line per repair made.
    pub repaired: Vec<String>,
    /// One line per damage left, saying why.
    pub unrepaired: Vec<String>,
}

impl Cluster {
    /// Repairs the damage `found` reports (see the module docs).
    pub fn repair(&self, found: &VerifyReport) -> Result<RepairOutcome> {
        let mut out =
            RepairOutcome { repaired: self.remove_stale_temp_files(&found.stale_temp_files)?, ..Default::default() };
        let live = self.meta()?.live_brokers();
        for m in found.metadata.iter().filter(|m| !m.status.is_healthy()) {
            out.unrepaired.push(format!("{}: {} (no replica holds metadata)", m.path.display(), m.detail));
        }
        let mut brokers = BTreeSet::new();
        let mut levelled = Vec::new();
        for r in found.replicas.iter().filter(|r| !r.status.is_healthy()) {
            let data_damage =
                r.status == VerifyStatus::Missing || r.result.damage.iter().any(|f| !store::is_index_file(&f.path));
            if !data_damage {
                // Indexes only: rebuilt from the segment. (A replica with
                // data damage is rebuilt whole below; its index entries may
                // be the evidence that frames were lost.)
                let Some(topic) = self.find_topic(&r.topic)? else { continue };
                let interval = log_config(&self.topic_settings(&topic)?).index_interval_bytes;
                let lock = LockFile::open(&self.layout().partition_lock(&r.topic, r.partition))?;
                let _guard = partition_lock::hold(&lock, self.lock_timeout())?;
                for f in &r.result.damage {
                    if store::rebuild_indexes_of(&f.path, interval)? {
                        out.repaired.push(format!("rebuilt the damaged index {} ({})", f.path.display(), f.what));
                    }
                }
                continue;
            }
            if live.contains(&r.broker) {
                brokers.insert(r.broker);
                levelled.push((r.broker, r.topic.clone(), r.partition));
            } else {
                out.unrepaired.push(format!(
                    "{}: broker {} is down; `runnel broker recover {} --repair` repairs it",
                    r.dir.display(),
                    r.broker,
                    r.broker
                ));
            }
        }
        for broker in brokers {
            match self.recover_broker_with(broker, RecoverMode::Repair, |_| {}) {
                Ok(report) => {
                    for r in report.replicas {
                        levelled.retain(|l| {
                            !(l.0 == broker
                                && l.1 == r.topic
                                && l.2 == r.partition
                                && (r.repaired.is_some() || r.rebuilt))
                        });
                        if let Some(what) = &r.repaired {
                            out.repaired.push(format!(
                                "rebuilt broker {broker}'s replica of {}:{} from an in-sync replica ({what})",
                                r.topic, r.partition
                            ));
                        } else if r.rebuilt {
                            out.repaired.push(format!(
                                "rebuilt broker {broker}'s lost replica of {}:{} from an in-sync replica",
                                r.topic, r.partition
                            ));
                        }
                        if let Some(why) = r.skipped {
                            out.unrepaired.push(format!("{}:{} on broker {broker}: {why}", r.topic, r.partition));
                        }
                    }
                }
                Err(e) => out.unrepaired.push(format!("broker {broker}: {}", e.message)),
            }
        }
        for (topic, partition) in &found.behind {
            let Some(meta) = self.find_topic(topic)? else { continue };
            PartitionWriter::for_maintenance(self, &meta, *partition)?.open()?;
            out.repaired.push(format!(
                "levelled the in-sync replicas of {topic}:{partition} (its leader took back the frames two \
                 followers hold)"
            ));
        }
        for (broker, topic, partition) in levelled {
            out.repaired.push(format!(
                "levelled the in-sync replicas of {topic}:{partition} (broker {broker}'s copy was short)"
            ));
        }
        Ok(out)
    }
}

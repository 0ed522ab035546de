//! Replica folders of a topic that has no topic file: what a `topic delete`
//! cut short after its commit point leaves, or what is left when a topic file
//! is lost. `log verify` reports them (their records are readable by no one)
//! and `topic delete NAME` removes them, finishing the delete.

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;

use crate::cluster::Cluster;
use crate::cluster::metadata::names;
use crate::error::{IoContext, Result};

impl Cluster {
    /// The replica folders, by topic name, of every topic without a topic
    /// file (only `topic` when given), on every broker of `cluster.json`.
    pub fn stray_replicas(&self, topic: Option<&str>) -> Result<BTreeMap<String, Vec<PathBuf>>> {
        let mut out: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
        for broker in self.meta()?.brokers.iter().map(|b| b.id) {
            let dir = self.layout().broker_dir(broker);
            let entries = match fs::read_dir(&dir) {
                Ok(entries) => entries,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e).at("list", &dir),
            };
            for entry in entries.flatten() {
                let name = entry.file_name();
                let Some((name, partition)) = name.to_str().and_then(|n| n.rsplit_once('-')) else { continue };
                if partition.parse::<u32>().is_err()
                    || names::validate_topic(name).is_err()
                    || topic.is_some_and(|t| t != name)
                    || !entry.path().is_dir()
                    || self.layout().topic_file(name).exists()
                {
                    continue;
                }
                out.entry(name.to_string()).or_default().push(entry.path());
            }
        }
        for dirs in out.values_mut() {
            dirs.sort();
        }
        Ok(out)
    }
}

impl Cluster {
    /// Finishes a `topic delete` cut short after its commit point: removes
    /// the replica folders of `topic` while it still has no topic file (under
    /// the metadata lock, so no `topic create` of the name races it).
    /// Returns how many folders were removed.
    pub fn remove_stray_replicas(&self, topic: &str) -> Result<usize> {
        let lock = self.lock_metadata()?;
        let _guard = lock.lock(self.lock_timeout())?;
        let dirs = self.stray_replicas(Some(topic))?.remove(topic).unwrap_or_default();
        for dir in &dirs {
            match fs::remove_dir_all(dir) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e).at("remove", dir),
            }
        }
        Ok(dirs.len())
    }
}

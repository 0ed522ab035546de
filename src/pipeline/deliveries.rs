//! Delivery counts kept with the group on a data dir, so `--max-deliver`
//! and `RUNNEL_DELIVERY` survive a restart of the member and a move of the
//! partition to another member: `groups/G/exec/T-P.deliveries.json`, the
//! counts of the records of the partition's failing batch, written
//! (durably) after each failed try. A record's count there is taken up when
//! it is delivered again; counts of records since committed are never
//! asked for. Against Kafka there is no group folder: counts live in the
//! member's process.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::sys::json_file;

/// The counts file's contents.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Counts {
    /// `[offset, deliveries]` pairs.
    deliveries: Vec<(u64, u32)>,
}

/// The group's folder of counts (the exactly-once intents' folder).
#[derive(Debug, Clone)]
pub struct DeliveryStore {
    dir: PathBuf,
}

impl DeliveryStore {
    pub fn new(dir: PathBuf) -> DeliveryStore {
        DeliveryStore { dir }
    }

    fn path(&self, topic: &str, partition: u32) -> PathBuf {
        self.dir.join(format!("{topic}-{partition}.deliveries.json"))
    }

    /// The counts kept for `topic`'s `partition`, by offset.
    pub fn load(&self, topic: &str, partition: u32) -> Result<BTreeMap<u64, u32>> {
        let counts: Counts = json_file::read(&self.path(topic, partition))?.unwrap_or_default();
        Ok(counts.deliveries.into_iter().collect())
    }

    /// Keeps these counts (replacing the partition's earlier ones).
    pub fn save(&self, topic: &str, partition: u32, deliveries: impl Iterator<Item = (u64, u32)>) -> Result<()> {
        std::fs::create_dir_all(&self.dir).map_err(|e| Error::io("create", &self.dir, e))?;
        json_file::write(&self.path(topic, partition), &Counts { deliveries: deliveries.collect() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_come_back_by_offset() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = DeliveryStore::new(dir.path().join("exec"));
        assert!(store.load("t", 0).expect("none yet").is_empty());
        store.save("t", 0, [(7, 2), (8, 1)].into_iter()).expect("save");
        assert_eq!(store.load("t", 0).expect("load"), BTreeMap::from([(7, 2), (8, 1)]));
        assert!(store.load("t", 1).expect("other partition").is_empty());
    }
}

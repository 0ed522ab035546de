//! One slot per partition produced to: its writers (one per acks level,
//! kept open between requests) and its producer table, behind one mutex so
//! the duplicate check and the append are one step.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::producers::ProducerTable;
use crate::cluster::replication::partition_writer::{Acks, PartitionWriter};
use crate::cluster::{Cluster, TopicMeta};
use crate::error::{Error, Result};

pub struct Slot {
    pub topic_id: String,
    writers: Vec<(Acks, PartitionWriter)>,
    pub producers: ProducerTable,
}

impl Slot {
    /// The writer for `acks`, opened at first use.
    pub fn writer(
        &mut self,
        cluster: &Cluster,
        topic: &TopicMeta,
        partition: u32,
        acks: Acks,
    ) -> Result<&mut PartitionWriter> {
        let index = match self.writers.iter().position(|(a, _)| *a == acks) {
            Some(i) => i,
            None => {
                self.writers.push((acks, PartitionWriter::new(cluster, topic, partition, acks)?));
                self.writers.len() - 1
            }
        };
        Ok(&mut self.writers[index].1)
    }
}

/// A slot with the id of the topic it was opened for.
type SlotOfTopic = (String, Arc<Mutex<Slot>>);

/// The slots of every partition produced to, by topic and partition.
#[derive(Default)]
pub struct Slots {
    slots: Mutex<HashMap<(String, u32), SlotOfTopic>>,
}

impl Slots {
    /// The slot of `topic`'s `partition`: a new one when there is none or
    /// the topic was deleted and created again since.
    pub fn get(&self, cluster: &Cluster, topic: &TopicMeta, partition: u32) -> Result<Arc<Mutex<Slot>>> {
        let mut slots =
            self.slots.lock().map_err(|_| Error::other("internal error: the partition slots are poisoned"))?;
        let key = (topic.name.clone(), partition);
        if let Some((topic_id, slot)) = slots.get(&key)
            && *topic_id == topic.topic_id
        {
            return Ok(Arc::clone(slot));
        }
        let path =
            cluster.layout().serve_dir().join("producers").join(&topic.topic_id).join(format!("{partition}.json"));
        let slot =
            Slot { topic_id: topic.topic_id.clone(), writers: Vec::new(), producers: ProducerTable::load(path)? };
        let slot = Arc::new(Mutex::new(slot));
        slots.insert(key, (topic.topic_id.clone(), Arc::clone(&slot)));
        Ok(slot)
    }

    /// Forgets a partition's slot (its writer failed: the next request opens afresh).
    pub fn forget(&self, topic: &str, partition: u32) {
        if let Ok(mut slots) = self.slots.lock() {
            slots.remove(&(topic.to_string(), partition));
        }
    }
}

//! A reader's cached view of one topic's metadata, re-read only when the
//! topic file was replaced (a leader moved, partitions were added, the topic
//! was deleted), so following consumers notice leadership changes cheaply.

use crate::cluster::{Cluster, TopicMeta};
use crate::error::{Error, Result};
use crate::sys::json_file::FileStamp;

/// The latest known metadata of a topic.
#[derive(Debug, Clone)]
pub struct TopicView {
    meta: TopicMeta,
    stamp: Option<FileStamp>,
}

impl TopicView {
    /// Reads the topic; exit 66 with a hint if it does not exist.
    pub fn open(cluster: &Cluster, name: &str) -> Result<TopicView> {
        let stamp = FileStamp::of(&cluster.layout().topic_file(name));
        let meta = cluster.topic(name)?;
        Ok(TopicView { meta, stamp })
    }

    pub fn meta(&self) -> &TopicMeta {
        &self.meta
    }

    /// Re-reads the topic file if it changed; returns whether it did.
    pub fn refresh(&mut self, cluster: &Cluster) -> Result<bool> {
        let path = cluster.layout().topic_file(&self.meta.name);
        let stamp = FileStamp::of(&path);
        if stamp == self.stamp {
            return Ok(false);
        }
        let meta = cluster.find_topic(&self.meta.name)?;
        match meta.filter(|m| m.topic_id == self.meta.topic_id) {
            Some(meta) => {
                self.meta = meta;
                self.stamp = stamp;
                Ok(true)
            }
            None => Err(Error::not_found(format!("topic '{}' was deleted while it was being read", self.meta.name))),
        }
    }
}

//! Appending input lines to a data dir's topic: the [`Producer`] and its
//! line pipeline, unchanged behind the seam.

use std::io::Read;

use crate::backend::Append;
use crate::cluster::replication::partition_writer::Acks;
use crate::cluster::{Cluster, TopicMeta};
use crate::error::Result;
use crate::producer::{PipelineOptions, ProduceSummary, Producer, ProducerOptions, produce_lines};

pub struct DataDirAppend {
    producer: Producer,
}

impl DataDirAppend {
    pub fn new(cluster: &Cluster, topic: TopicMeta, acks: Acks) -> Result<DataDirAppend> {
        let producer = Producer::new(cluster, topic, ProducerOptions { acks, ..ProducerOptions::default() })?;
        Ok(DataDirAppend { producer })
    }
}

impl Append for DataDirAppend {
    fn produce_lines(
        &mut self,
        input: &mut dyn Read,
        options: &PipelineOptions,
        input_ready: &mut dyn FnMut() -> bool,
        on_progress: &mut dyn FnMut(u64),
    ) -> (Result<()>, ProduceSummary) {
        produce_lines(&mut self.producer, input, options, input_ready, on_progress)
    }

    fn set_headers(&mut self, headers: &[(Vec<u8>, Option<Vec<u8>>)]) {
        self.producer.set_headers(headers);
    }

    fn take_repairs(&mut self) -> Vec<String> {
        self.producer.take_repairs().iter().map(ToString::to_string).collect()
    }
}

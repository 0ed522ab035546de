//! Appending whole records to a Kafka topic (`mirror`'s target): each to
//! the partition it names, with its CreateTime, key and value (null kept
//! apart from empty) and headers, through an idempotent producer with
//! `acks=all`, so retries neither reorder nor duplicate. Records go out
//! through a [`TopicHandle`] held for the appender's life, as `produce`'s
//! do (no topic name looked up per record).

use std::sync::Mutex;

use rdkafka::ClientContext;
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::producer::{BaseProducer, DeliveryResult, Producer as _, ProducerContext};

use super::config::KafkaTarget;
use super::errors;
use super::topic_handle::{Outgoing, TopicHandle};
use crate::backend::{AppendRecords, check_record_partition};
use crate::cluster::TopicMeta;
use crate::error::Result;
use crate::store::Record;

/// Keeps the first failed delivery.
#[derive(Default)]
struct FirstError(Mutex<Option<KafkaError>>);

impl ClientContext for FirstError {}

impl ProducerContext for FirstError {
    type DeliveryOpaque = ();

    fn delivery(&self, result: &DeliveryResult<'_>, _: ()) {
        if let Err((e, _)) = result
            && let Ok(mut first) = self.0.lock()
            && first.is_none()
        {
            *first = Some(e.clone());
        }
    }
}

pub struct KafkaRecords {
    target: KafkaTarget,
    topic: TopicMeta,
    /// Taken only by `drop`, which ends it without waiting when it is idle.
    producer: std::mem::ManuallyDrop<BaseProducer<FirstError>>,
    /// The producer's handle on the topic; taken only by `drop`, which
    /// ends it before the producer.
    handle: std::mem::ManuallyDrop<TopicHandle>,
    sent: u64,
}

impl KafkaRecords {
    pub fn new(target: &KafkaTarget, topic: TopicMeta) -> Result<KafkaRecords> {
        let max = super::append::max_message_bytes(&topic);
        let config = target.client_config(&[
            ("acks", "all".into()),
            ("enable.idempotence", "true".into()),
            ("linger.ms", "5".into()),
            ("message.timeout.ms", target.request_timeout().as_millis().to_string()),
            ("message.max.bytes", max.saturating_add(1024).to_string()),
        ]);
        let producer = config.create_with_context(FirstError::default()).map_err(|e| super::config::bad_config(&e))?;
        let handle = TopicHandle::new(&producer, &topic.name)
            .map_err(|e| errors::from_kafka(&format!("copying to '{}'", topic.name), &target.bootstrap, &e))?;
        Ok(KafkaRecords {
            target: target.clone(),
            topic,
            producer: std::mem::ManuallyDrop::new(producer),
            handle: std::mem::ManuallyDrop::new(handle),
            sent: 0,
        })
    }
}

impl Drop for KafkaRecords {
    fn drop(&mut self) {
        // SAFETY: both taken once, here, and never used again; the topic
        // handle ends before its producer.
        let handle = unsafe { std::mem::ManuallyDrop::take(&mut self.handle) };
        handle.end();
        // SAFETY: as above.
        let producer = unsafe { std::mem::ManuallyDrop::take(&mut self.producer) };
        super::shutdown::end_producer(producer);
    }
}

impl AppendRecords for KafkaRecords {
    fn append(&mut self, partition: u32, record: &Record<'_>) -> Result<()> {
        check_record_partition(&self.topic, partition)?;
        let out = Outgoing { partition, key: record.key, value: record.value, timestamp: Some(record.timestamp) };
        loop {
            match self.handle.send(&self.producer, &out, record.headers.len(), record.headers.iter()) {
                Ok(()) => {
                    self.sent += 1;
                    if self.sent.is_multiple_of(1024) {
                        super::delivery::serve_ready(&self.producer);
                    }
                    return Ok(());
                }
                Err(KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull)) => {
                    super::delivery::make_room(&self.producer);
                }
                Err(e) => {
                    let doing = format!("copying {}:{partition} offset {}", self.topic.name, record.offset);
                    return Err(errors::from_kafka(&doing, &self.target.bootstrap, &e));
                }
            }
        }
    }

    fn sync(&mut self) -> Result<()> {
        // Each record's own timeout (message.timeout.ms) bounds this.
        let limit = self.target.request_timeout() * 2;
        let flushed = super::delivery::flush(&self.producer, limit);
        let first = self.producer.context().0.lock().ok().and_then(|mut e| e.take());
        if let Some(e) = first {
            let doing = format!("copying to '{}'", self.topic.name);
            return Err(errors::from_kafka(&doing, &self.target.bootstrap, &e));
        }
        if flushed { Ok(()) } else { Err(errors::unreachable(&self.target.bootstrap, limit)) }
    }
}

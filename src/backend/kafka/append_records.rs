//! Appending whole records to a Kafka topic (`mirror`'s target): each to
//! the partition it names, with its CreateTime, key and value (null kept
//! apart from empty) and headers, through an idempotent producer with
//! `acks=all`, so retries neither reorder nor duplicate.

use std::sync::Mutex;

use rdkafka::ClientContext;
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::message::{Header, OwnedHeaders};
use rdkafka::producer::{BaseProducer, BaseRecord, DeliveryResult, Producer as _, ProducerContext};

use super::config::KafkaTarget;
use super::errors;
use crate::backend::AppendRecords;
use crate::cluster::TopicMeta;
use crate::error::{Error, Result};
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
    sent: u64,
}

impl KafkaRecords {
    pub fn new(target: &KafkaTarget, topic: TopicMeta) -> Result<KafkaRecords> {
        let max = topic.config.get("max.message.bytes").and_then(|v| v.parse::<u64>().ok()).unwrap_or(1_048_588);
        let config = target.client_config(&[
            ("acks", "all".into()),
            ("enable.idempotence", "true".into()),
            ("linger.ms", "5".into()),
            ("message.timeout.ms", target.request_timeout().as_millis().to_string()),
            ("message.max.bytes", max.saturating_add(1024).to_string()),
        ]);
        let producer = config.create_with_context(FirstError::default()).map_err(|e| super::config::bad_config(&e))?;
        Ok(KafkaRecords { target: target.clone(), topic, producer: std::mem::ManuallyDrop::new(producer), sent: 0 })
    }
}

impl Drop for KafkaRecords {
    fn drop(&mut self) {
        // SAFETY: taken once, here, and never used again.
        let producer = unsafe { std::mem::ManuallyDrop::take(&mut self.producer) };
        super::shutdown::end_producer(producer);
    }
}

impl AppendRecords for KafkaRecords {
    fn append(&mut self, partition: u32, record: &Record<'_>) -> Result<()> {
        let count = self.topic.partition_count();
        if partition >= count {
            return Err(Error::usage(format!(
                "topic '{}' has no partition {partition} (it has partitions 0 to {})",
                self.topic.name,
                count.saturating_sub(1)
            )));
        }
        let mut out: BaseRecord<'_, [u8], [u8], ()> =
            BaseRecord::to(&self.topic.name).partition(partition as i32).timestamp(record.timestamp);
        if let Some(key) = record.key {
            out = out.key(key);
        }
        if let Some(value) = record.value {
            out = out.payload(value);
        }
        if !record.headers.is_empty() {
            let mut headers = OwnedHeaders::new_with_capacity(record.headers.len());
            for (key, value) in record.headers.iter() {
                let key = String::from_utf8_lossy(key);
                headers = headers.insert(Header { key: &key, value });
            }
            out = out.headers(headers);
        }
        loop {
            match self.producer.send(out) {
                Ok(()) => {
                    self.sent += 1;
                    if self.sent.is_multiple_of(1024) {
                        super::delivery::serve_ready(&self.producer);
                    }
                    return Ok(());
                }
                Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), back)) => {
                    super::delivery::make_room(&self.producer);
                    out = back;
                }
                Err((e, _)) => {
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

//! Handing records to librdkafka through a topic handle held for the
//! producer's life, as kcat does. rdkafka's `BaseProducer::send` names the
//! topic per record: a `CString` allocated and freed, and librdkafka looking
//! the name up under its handle's write lock (taking and releasing a
//! reference to the topic) for every record. Here the topic is looked up
//! once and each record goes to `rd_kafka_producev` with the handle.

use std::ffi::{CString, c_void};
use std::ptr;

use rdkafka::bindings as rd;
use rdkafka::error::KafkaError;
use rdkafka::producer::{BaseProducer, Producer as _, ProducerContext};
use rdkafka::types::RDKafkaErrorCode;

/// One record for [`TopicHandle::send`]: `None` key or value is Kafka's
/// null, apart from empty.
pub struct Outgoing<'a> {
    pub partition: u32,
    pub key: Option<&'a [u8]>,
    pub value: Option<&'a [u8]>,
    /// CreateTime in ms; `None` is now.
    pub timestamp: Option<i64>,
}

/// A producer's handle on one topic. It must end ([`TopicHandle::end`])
/// before the producer does.
pub struct TopicHandle {
    rkt: *mut rd::rd_kafka_topic_t,
}

// SAFETY: librdkafka's topic handles may be used from any thread.
unsafe impl Send for TopicHandle {}

impl TopicHandle {
    /// `producer`'s handle on `topic` (with the producer's default topic
    /// configuration, as a record naming the topic would have).
    pub fn new<C: ProducerContext>(producer: &BaseProducer<C>, topic: &str) -> Result<TopicHandle, KafkaError> {
        let name = CString::new(topic).map_err(|_| KafkaError::MessageProduction(RDKafkaErrorCode::InvalidTopic))?;
        // SAFETY: a live producer handle and a NUL-terminated name; a NULL
        // configuration means the producer's default topic configuration.
        let rkt = unsafe { rd::rd_kafka_topic_new(producer.client().native_ptr(), name.as_ptr(), ptr::null_mut()) };
        if rkt.is_null() {
            // SAFETY: reads this thread's last librdkafka error.
            let code = RDKafkaErrorCode::from(unsafe { rd::rd_kafka_last_error() });
            return Err(KafkaError::MessageProduction(code));
        }
        Ok(TopicHandle { rkt })
    }

    /// Hands `record` with its `header_count` `headers` to `producer` (copying its bytes);
    /// `QueueFull` when the send queue is full, to retry once there is room.
    pub fn send<'h, C: ProducerContext>(
        &self,
        producer: &BaseProducer<C>,
        record: &Outgoing<'_>,
        header_count: usize,
        headers: impl Iterator<Item = (&'h [u8], Option<&'h [u8]>)>,
    ) -> Result<(), KafkaError> {
        fn raw(bytes: Option<&[u8]>) -> (*mut c_void, usize) {
            bytes.map_or((ptr::null_mut(), 0), |b| (b.as_ptr() as *mut c_void, b.len()))
        }
        let (value_ptr, value_len) = raw(record.value);
        let (key_ptr, key_len) = raw(record.key);
        let hdrs = if header_count == 0 { ptr::null_mut() } else { header_list(header_count, headers) };
        // SAFETY: a live producer and topic handle; key and value are
        // copied (`RD_KAFKA_MSG_F_COPY`) before the call returns; the header
        // list is taken by librdkafka only on success.
        let err = unsafe {
            rd::rd_kafka_producev(
                producer.client().native_ptr(),
                rd::rd_kafka_vtype_t::RD_KAFKA_VTYPE_RKT,
                self.rkt,
                rd::rd_kafka_vtype_t::RD_KAFKA_VTYPE_PARTITION,
                record.partition as i32,
                rd::rd_kafka_vtype_t::RD_KAFKA_VTYPE_MSGFLAGS,
                rd::RD_KAFKA_MSG_F_COPY,
                rd::rd_kafka_vtype_t::RD_KAFKA_VTYPE_VALUE,
                value_ptr,
                value_len,
                rd::rd_kafka_vtype_t::RD_KAFKA_VTYPE_KEY,
                key_ptr,
                key_len,
                rd::rd_kafka_vtype_t::RD_KAFKA_VTYPE_TIMESTAMP,
                record.timestamp.unwrap_or(0),
                rd::rd_kafka_vtype_t::RD_KAFKA_VTYPE_HEADERS,
                hdrs,
                rd::rd_kafka_vtype_t::RD_KAFKA_VTYPE_END,
            )
        };
        let code = RDKafkaErrorCode::from(err);
        if code == RDKafkaErrorCode::NoError {
            return Ok(());
        }
        if !hdrs.is_null() {
            // SAFETY: not taken by librdkafka, since the call failed.
            unsafe { rd::rd_kafka_headers_destroy(hdrs) };
        }
        Err(KafkaError::MessageProduction(code))
    }

    /// Releases the handle (before its producer ends).
    pub fn end(self) {
        // SAFETY: the handle is live and released once, here.
        unsafe { rd::rd_kafka_topic_destroy(self.rkt) };
    }
}

/// A librdkafka header list of `headers`, in order (names as UTF-8, as
/// Kafka's header keys are strings).
fn header_list<'h>(
    count: usize,
    headers: impl Iterator<Item = (&'h [u8], Option<&'h [u8]>)>,
) -> *mut rd::rd_kafka_headers_t {
    // SAFETY: a new list, filled with copies of the names and values.
    unsafe {
        let hdrs = rd::rd_kafka_headers_new(count);
        for (name, value) in headers {
            let name = String::from_utf8_lossy(name);
            let (value_ptr, value_len) = value.map_or((ptr::null(), 0), |v| (v.as_ptr().cast(), v.len()));
            rd::rd_kafka_header_add(hdrs, name.as_ptr().cast(), name.len() as isize, value_ptr, value_len as isize);
        }
        hdrs
    }
}

//! A record fetched from Kafka handed to a [`RecordSink`] as the store's
//! [`Record`], so every output format prints both backends alike: key and
//! value (null kept apart from empty), timestamp, headers in order.

use rdkafka::Message as _;
use rdkafka::message::{BorrowedMessage, Headers as _};

use crate::consumer::RecordSink;
use crate::error::{Error, Result};
use crate::store::{Headers, Record, encode_headers};

/// Writes `message` to `sink`; `headers` is a buffer reused between calls.
pub fn deliver(message: &BorrowedMessage<'_>, sink: &mut dyn RecordSink, headers: &mut Vec<u8>) -> Result<()> {
    headers.clear();
    let count = match message.headers() {
        Some(h) => encode_headers(h.iter().map(|h| (h.key.as_bytes(), h.value)), headers),
        None => 0,
    };
    let record = Record {
        offset: message.offset().max(0) as u64,
        timestamp: message.timestamp().to_millis().unwrap_or(-1),
        key: message.key(),
        value: message.payload(),
        headers: Headers::from_encoded(headers, count),
    };
    sink.write(message.topic(), message.partition().max(0) as u32, &record).map_err(Error::output)
}

//! Serving a producer's delivery reports without idling. rdkafka's
//! `BaseProducer::poll(t)` keeps polling until `t` has passed even after
//! reports came in, and its `flush` polls in steps of 100 ms: every flush
//! cost at least 100 ms (`echo x | runnel produce` took 0.2 s), and every
//! full send queue a 50 ms stall. These wait at most [`STEP`] past the
//! report they wait for.

use std::time::{Duration, Instant};

use rdkafka::producer::{BaseProducer, Producer as _, ProducerContext};

/// The longest wait for one event before looking again.
const STEP: Duration = Duration::from_millis(1);

/// Serves delivery reports until none is outstanding (`true`) or `limit`
/// has passed (`false`).
pub fn flush<C: ProducerContext>(producer: &BaseProducer<C>, limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    loop {
        // librdkafka's flush with no wait: what lingers is sent now.
        let _ = producer.flush(Duration::ZERO);
        producer.poll(Duration::ZERO);
        if producer.in_flight_count() == 0 {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        producer.poll(STEP);
    }
}

/// Serves the delivery reports that are ready, waiting up to [`STEP`] for
/// one (the send queue is full: room comes with reports).
pub fn make_room<C: ProducerContext>(producer: &BaseProducer<C>) {
    producer.poll(STEP);
}

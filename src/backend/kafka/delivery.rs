//! Serving a producer's delivery reports without idling or spinning.
//! rdkafka's `BaseProducer::poll(t)` keeps polling until `t` has passed
//! even after reports came in (spinning through its last millisecond), and
//! its `flush` polls in steps of 100 ms: every flush cost at least 100 ms
//! (`echo x | runnel produce` took 0.2 s), every full send queue a 50 ms
//! stall, and a 1 ms poll an eighth of produce's CPU in `clock_gettime`
//! (a fifth when the send queue was full).
//! Here reports that are ready are served at once, and a wait for more is
//! a [`PAUSE`] of sleep.

use std::time::{Duration, Instant};

use rdkafka::producer::{BaseProducer, Producer as _, ProducerContext};

/// The pause before looking again for reports that are not in yet.
const PAUSE: Duration = Duration::from_micros(200);

/// Serves every delivery report ready now; whether any was.
pub fn serve_ready<C: ProducerContext>(producer: &BaseProducer<C>) -> bool {
    let mut served = false;
    loop {
        let before = producer.in_flight_count();
        producer.poll(Duration::ZERO);
        if producer.in_flight_count() >= before {
            return served;
        }
        served = true;
    }
}

/// How long one call of librdkafka's flush waits before reports of
/// failures (which hold their records until served) are served.
const FLUSH_STEP_MS: i32 = 1;

/// Serves delivery reports until none is outstanding (`true`) or `limit`
/// has passed (`false`). The waiting is librdkafka's own `rd_kafka_flush`,
/// a millisecond at a time: while it waits, its broker threads send what
/// lingers at once (`linger.ms` is for records still to come), and it
/// returns as soon as nothing is in flight. rdkafka's `flush(0)` ended
/// before a broker thread looked, so a last record waited out `linger.ms`.
pub fn flush<C: ProducerContext>(producer: &BaseProducer<C>, limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    let native = producer.client().native_ptr();
    loop {
        // SAFETY: `native` is the live handle of `producer`, borrowed for
        // this call; librdkafka's flush may be called from any thread.
        unsafe { rdkafka::bindings::rd_kafka_flush(native, FLUSH_STEP_MS) };
        serve_ready(producer);
        if producer.in_flight_count() == 0 {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
    }
}

/// The send queue is full: room comes as the broker acknowledges records.
/// Reports ready now are served; else a [`PAUSE`] of sleep. Not rdkafka's
/// `poll(t)`: with reports of failures only, no report wakes it as records
/// are acknowledged, and it spun through `t` in `clock_gettime` (a fifth of
/// `runnel produce`'s CPU while the broker was the bottleneck).
pub fn make_room<C: ProducerContext>(producer: &BaseProducer<C>) {
    if !serve_ready(producer) {
        std::thread::sleep(PAUSE);
    }
}

//! Ending a client without waiting for its threads. librdkafka's plain
//! destroy joins its main and broker threads (and rdkafka's admin client
//! first joins its polling thread, which polls every 100 ms): about 100 ms
//! per client at the end of every command. Once nothing is in flight — a
//! producer flushed with every acknowledgement in, an admin client with no
//! request outstanding — nothing is lost by not waiting: the producer is
//! destroyed with `RD_KAFKA_DESTROY_F_IMMEDIATE` (its threads are told to
//! stop and not joined), the admin client is left to the process's exit.

use rdkafka::admin::AdminClient;
use rdkafka::client::ClientContext;
use rdkafka::producer::{BaseProducer, Producer as _, ProducerContext};

/// librdkafka's `RD_KAFKA_DESTROY_F_IMMEDIATE` (rdkafka_int.h): destroy
/// without waiting for the internal threads.
const DESTROY_F_IMMEDIATE: i32 = 0x4;

/// Destroys `producer` without joining its threads when nothing is in
/// flight; otherwise (records queued or unacknowledged) the normal drop,
/// which purges and waits.
pub fn end_producer<C: ProducerContext + 'static>(producer: BaseProducer<C>) {
    if producer.in_flight_count() > 0 {
        drop(producer);
        return;
    }
    let native = producer.client().native_ptr();
    // The wrapper is forgotten so that it neither purges nor destroys the
    // handle a second time; its context stays allocated for any callback
    // a stopping thread still makes.
    std::mem::forget(producer);
    // SAFETY: `native` is a live handle owned by the forgotten wrapper,
    // destroyed exactly once, here, from the application's thread.
    unsafe { rdkafka::bindings::rd_kafka_destroy_flags(native, DESTROY_F_IMMEDIATE) };
}

/// Leaves an idle admin client to the process's exit (its polling thread
/// and handle end with it) rather than joining them.
pub fn end_admin<C: ClientContext>(admin: AdminClient<C>) {
    std::mem::forget(admin);
}

//! librdkafka's Admin API called directly (what rdkafka 0.38 does not
//! wrap: DescribeTopics, ListOffsets, DescribeConfigs on a producer's own
//! connections): the request options, and waiting for a request's result
//! event — checked for a timeout and a request-level error, read, then
//! destroyed — so each caller only reads its result type.

use rdkafka::bindings as rd;
use rdkafka::error::RDKafkaErrorCode;

/// An admin request's options with a request timeout of `timeout_ms` on `rk`.
///
/// # Safety
/// `rk` is a live client handle; the caller destroys the options.
pub unsafe fn options(
    rk: *mut rd::rd_kafka_t,
    op: rd::rd_kafka_admin_op_t,
    timeout_ms: i32,
) -> *mut rd::rd_kafka_AdminOptions_t {
    // SAFETY: `rk` is live (the caller's promise); the error buffer outlives the call.
    unsafe {
        let options = rd::rd_kafka_AdminOptions_new(rk, op);
        let mut errstr = [0 as std::ffi::c_char; 256];
        rd::rd_kafka_AdminOptions_set_request_timeout(options, timeout_ms, errstr.as_mut_ptr(), errstr.len());
        options
    }
}

/// Waits on `queue` for the request's result event (its own timeout and a
/// second past it), and gives it to `read` unless it timed out or carries a
/// request-level error; the event is destroyed after `read` returned, so
/// `read` must copy what it keeps.
///
/// # Safety
/// `queue` is a live queue an admin request was sent to; `read` is given a
/// live, non-null event and must not keep pointers into it.
pub unsafe fn wait<T>(
    queue: *mut rd::rd_kafka_queue_t,
    timeout_ms: i32,
    read: impl FnOnce(*mut rd::rd_kafka_event_t) -> Result<T, RDKafkaErrorCode>,
) -> Result<T, RDKafkaErrorCode> {
    // SAFETY: `queue` is live (the caller's promise); the event is checked
    // for null before use and destroyed once, after `read`.
    unsafe {
        let event = rd::rd_kafka_queue_poll(queue, timeout_ms.saturating_add(1000));
        if event.is_null() {
            return Err(RDKafkaErrorCode::OperationTimedOut);
        }
        let err = rd::rd_kafka_event_error(event);
        let result =
            if err != rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR { Err(err.into()) } else { read(event) };
        rd::rd_kafka_event_destroy(event);
        result
    }
}

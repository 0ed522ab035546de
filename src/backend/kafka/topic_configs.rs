//! DescribeConfigs of one topic on any client's connections — a
//! producer's, so that `produce` reads the topic's metadata and configs and
//! produces through one client, with no admin client beside it. librdkafka
//! takes admin requests on every handle (`rd_kafka_DescribeConfigs` with a
//! result queue of the caller's); rdkafka only offers them on its
//! `AdminClient`, a client of its own, so this calls librdkafka directly.

use std::collections::BTreeMap;
use std::ffi::{CStr, CString};
use std::time::Duration;

use rdkafka::bindings as rd;
use rdkafka::client::{Client, ClientContext};
use rdkafka::error::RDKafkaErrorCode;

use super::admin_event::{options, wait};

/// A DescribeConfigs request on its way: started before the metadata is
/// read, so that the two overlap (`produce`'s first record waits for one
/// round trip less), and waited for once the topic is known to exist.
pub struct Pending {
    queue: *mut rd::rd_kafka_queue_t,
    options: *mut rd::rd_kafka_AdminOptions_t,
    resource: *mut rd::rd_kafka_ConfigResource_t,
    timeout_ms: i32,
}

impl Pending {
    /// Sends DescribeConfigs of `topic` on `client`'s connections. The
    /// returned value must not outlive `client`.
    pub fn start<C: ClientContext>(
        client: &Client<C>,
        topic: &str,
        timeout: Duration,
    ) -> Result<Pending, RDKafkaErrorCode> {
        let name = CString::new(topic).map_err(|_| RDKafkaErrorCode::InvalidArgument)?;
        let timeout_ms = i32::try_from(timeout.as_millis()).unwrap_or(i32::MAX);
        let rk = client.native_ptr();
        // SAFETY: the objects made here are owned by the returned value and
        // destroyed once, in its drop; librdkafka copies the resource's
        // name; `rk` is live (borrowed from `client`).
        unsafe {
            let queue = rd::rd_kafka_queue_new(rk);
            let options = options(rk, rd::rd_kafka_admin_op_t::RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS, timeout_ms);
            let mut resource =
                rd::rd_kafka_ConfigResource_new(rd::rd_kafka_ResourceType_t::RD_KAFKA_RESOURCE_TOPIC, name.as_ptr());
            rd::rd_kafka_DescribeConfigs(rk, &mut resource, 1, options, queue);
            Ok(Pending { queue, options, resource, timeout_ms })
        }
    }

    /// The topic's overrides, once the answer is in (within the request's
    /// own timeout, and a margin past it).
    pub fn wait(self) -> Result<BTreeMap<String, String>, RDKafkaErrorCode> {
        // SAFETY: the queue is live until `self` drops (after this);
        // `read_result` copies what it keeps.
        unsafe { wait(self.queue, self.timeout_ms, |event| read_result(event)) }
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        // SAFETY: made in `start`, destroyed once, here. A request still
        // outstanding holds its own reference to the queue.
        unsafe {
            rd::rd_kafka_ConfigResource_destroy(self.resource);
            rd::rd_kafka_AdminOptions_destroy(self.options);
            rd::rd_kafka_queue_destroy(self.queue);
        }
    }
}

/// The overrides in a DescribeConfigs result event.
///
/// # Safety
/// `event` is a live result event without a request-level error ([`wait`]).
unsafe fn read_result(event: *mut rd::rd_kafka_event_t) -> Result<BTreeMap<String, String>, RDKafkaErrorCode> {
    // SAFETY: `event` is live; the arrays and strings read belong to it
    // and are only read while it lives.
    unsafe {
        let result = rd::rd_kafka_event_DescribeConfigs_result(event);
        if result.is_null() {
            return Err(RDKafkaErrorCode::Fail);
        }
        let mut count = 0usize;
        let resources = rd::rd_kafka_DescribeConfigs_result_resources(result, &mut count);
        let mut out = BTreeMap::new();
        for i in 0..count {
            let resource = *resources.add(i);
            let err = rd::rd_kafka_ConfigResource_error(resource);
            if err != rd::rd_kafka_resp_err_t::RD_KAFKA_RESP_ERR_NO_ERROR {
                return Err(err.into());
            }
            let mut n = 0usize;
            let entries = rd::rd_kafka_ConfigResource_configs(resource, &mut n);
            for j in 0..n {
                let entry = *entries.add(j);
                if rd::rd_kafka_ConfigEntry_source(entry)
                    != rd::rd_kafka_ConfigSource_t::RD_KAFKA_CONFIG_SOURCE_DYNAMIC_TOPIC_CONFIG
                {
                    continue;
                }
                let name = rd::rd_kafka_ConfigEntry_name(entry);
                let value = rd::rd_kafka_ConfigEntry_value(entry);
                if name.is_null() || value.is_null() {
                    continue;
                }
                out.insert(
                    CStr::from_ptr(name).to_string_lossy().into_owned(),
                    CStr::from_ptr(value).to_string_lossy().into_owned(),
                );
            }
        }
        Ok(out)
    }
}

//! InitProducerId (key 22): a producer id for an idempotent producer.
//! Ids are the start time in ms shifted left 16 bits plus a counter, so a
//! restarted server never hands out an id it gave before (no file needed);
//! a producer that passes its id and epoch back (KIP-360) gets the next
//! epoch. Transactions are not served: a transactional id is answered with
//! TRANSACTIONAL_ID_AUTHORIZATION_FAILED, which clients report at once.

use std::sync::atomic::{AtomicI64, Ordering};

use kafka_protocol::ResponseError;
use kafka_protocol::messages::{InitProducerIdRequest, InitProducerIdResponse, ProducerId, RequestHeader};
use kafka_protocol::protocol::VersionRange;

use crate::serve::dispatch::Ctx;
use crate::sys::clock::now_ms;

pub const VERSIONS: VersionRange = VersionRange { min: 0, max: 5 };

pub fn handle(_ctx: &mut Ctx, _header: &RequestHeader, request: InitProducerIdRequest) -> InitProducerIdResponse {
    let mut response = InitProducerIdResponse::default();
    if request.transactional_id.is_some() {
        response.error_code = ResponseError::TransactionalIdAuthorizationFailed.code();
        response.producer_id = ProducerId(-1);
        response.producer_epoch = -1;
        return response;
    }
    let (id, epoch) = if request.producer_id.0 >= 0 && request.producer_epoch >= 0 && request.producer_epoch < i16::MAX - 1 {
        (request.producer_id.0, request.producer_epoch + 1)
    } else {
        (next_id(), 0)
    };
    response.producer_id = ProducerId(id);
    response.producer_epoch = epoch;
    response
}

/// A producer id never handed out before, by this process or an earlier one.
fn next_id() -> i64 {
    static NEXT: AtomicI64 = AtomicI64::new(-1);
    let floor = now_ms().max(0) << 16;
    let mut current = NEXT.load(Ordering::Acquire);
    loop {
        let id = (current + 1).max(floor);
        match NEXT.compare_exchange(current, id, Ordering::AcqRel, Ordering::Acquire) {
            Ok(_) => return id,
            Err(seen) => current = seen,
        }
    }
}

//! APIs of Kafka's client protocol that `runnel serve` does not do —
//! transactions, ACLs, client quotas, SASL — answered the way a Kafka broker
//! answers them with the feature off: a well-formed response of that API
//! with the error code for it in every result, so a client reports a clear
//! error at once instead of losing its connection or waiting.
//!
//! - ACLs: SECURITY_DISABLED, as a broker without an authorizer.
//! - SASL: ILLEGAL_SASL_STATE, as a PLAINTEXT listener.
//! - Transactions: TRANSACTIONAL_ID_AUTHORIZATION_FAILED (what InitProducerId
//!   and Produce answer for a transactional id, which clients treat as fatal
//!   at once); ListTransactions lists none, DescribeTransactions finds none
//!   (TRANSACTIONAL_ID_NOT_FOUND): there are no transactions.
//! - Client quotas: DescribeClientQuotas lists none (none are set, none
//!   enforced); AlterClientQuotas is INVALID_REQUEST for each entry.

mod acls;
mod quotas;
mod sasl;
mod transactions;

use kafka_protocol::protocol::{Message, StrBytes};

use super::super::dispatch::Handler;

/// The handlers of every API refused, each at every version the codec knows.
pub fn all() -> Vec<Box<dyn Handler>> {
    let mut all = Vec::new();
    all.extend(acls::handlers());
    all.extend(sasl::handlers());
    all.extend(transactions::handlers());
    all.extend(quotas::handlers());
    all
}

/// A handler of `Q` at every version of the codec (Kafka's own range).
fn refuse<Q>(run: super::super::dispatch::HandlerFn<Q>) -> Box<dyn Handler>
where
    Q: kafka_protocol::protocol::Request + Message + 'static,
{
    super::super::dispatch::typed(<Q as Message>::VERSIONS, run)
}

fn text(s: &str) -> Option<StrBytes> {
    Some(StrBytes::from_string(s.to_string()))
}

//! DescribeClientQuotas (48) and AlterClientQuotas (49): runnel serve sets
//! and enforces no client quotas, so a description lists none and a change
//! is INVALID_REQUEST for each entry, saying why.

use kafka_protocol::ResponseError;
use kafka_protocol::messages::alter_client_quotas_response::{EntityData, EntryData};
use kafka_protocol::messages::{
    AlterClientQuotasRequest, AlterClientQuotasResponse, DescribeClientQuotasRequest, DescribeClientQuotasResponse,
    RequestHeader,
};

use super::{refuse, text};
use crate::serve::dispatch::{Ctx, Handler};

pub fn handlers() -> Vec<Box<dyn Handler>> {
    vec![refuse::<DescribeClientQuotasRequest>(describe), refuse::<AlterClientQuotasRequest>(alter)]
}

fn describe(
    _ctx: &mut Ctx,
    _header: &RequestHeader,
    _request: DescribeClientQuotasRequest,
) -> DescribeClientQuotasResponse {
    DescribeClientQuotasResponse::default().with_entries(Some(Vec::new()))
}

fn alter(_ctx: &mut Ctx, _header: &RequestHeader, request: AlterClientQuotasRequest) -> AlterClientQuotasResponse {
    let entries = request
        .entries
        .into_iter()
        .map(|e| {
            let entity = e
                .entity
                .into_iter()
                .map(|d| EntityData::default().with_entity_type(d.entity_type).with_entity_name(d.entity_name))
                .collect();
            EntryData::default()
                .with_error_code(ResponseError::InvalidRequest.code())
                .with_error_message(text("runnel serve has no client quotas"))
                .with_entity(entity)
        })
        .collect();
    AlterClientQuotasResponse::default().with_entries(entries)
}

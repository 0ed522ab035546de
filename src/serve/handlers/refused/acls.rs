//! DescribeAcls (29), CreateAcls (30), DeleteAcls (31): SECURITY_DISABLED,
//! as a Kafka broker without an authorizer answers (there is no
//! authentication, so no principal an ACL could name).

use kafka_protocol::ResponseError;
use kafka_protocol::messages::create_acls_response::AclCreationResult;
use kafka_protocol::messages::delete_acls_response::DeleteAclsFilterResult;
use kafka_protocol::messages::{
    CreateAclsRequest, CreateAclsResponse, DeleteAclsRequest, DeleteAclsResponse, DescribeAclsRequest,
    DescribeAclsResponse, RequestHeader,
};

use super::{refuse, text};
use crate::serve::dispatch::{Ctx, Handler};

const WHY: &str = "runnel serve has no authorizer: there are no ACLs";

pub fn handlers() -> Vec<Box<dyn Handler>> {
    vec![
        refuse::<DescribeAclsRequest>(describe),
        refuse::<CreateAclsRequest>(create),
        refuse::<DeleteAclsRequest>(delete),
    ]
}

fn code() -> i16 {
    ResponseError::SecurityDisabled.code()
}

fn describe(_ctx: &mut Ctx, _header: &RequestHeader, _request: DescribeAclsRequest) -> DescribeAclsResponse {
    DescribeAclsResponse::default().with_error_code(code()).with_error_message(text(WHY))
}

fn create(_ctx: &mut Ctx, _header: &RequestHeader, request: CreateAclsRequest) -> CreateAclsResponse {
    let results = request
        .creations
        .iter()
        .map(|_| AclCreationResult::default().with_error_code(code()).with_error_message(text(WHY)))
        .collect();
    CreateAclsResponse::default().with_results(results)
}

fn delete(_ctx: &mut Ctx, _header: &RequestHeader, request: DeleteAclsRequest) -> DeleteAclsResponse {
    let results = request
        .filters
        .iter()
        .map(|_| DeleteAclsFilterResult::default().with_error_code(code()).with_error_message(text(WHY)))
        .collect();
    DeleteAclsResponse::default().with_filter_results(results)
}

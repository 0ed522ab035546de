//! The transaction APIs: AddPartitionsToTxn (24), AddOffsetsToTxn (25),
//! EndTxn (26), TxnOffsetCommit (28) answer TRANSACTIONAL_ID_AUTHORIZATION_FAILED
//! in every result, as InitProducerId and Produce do for a transactional id
//! (a producer never gets this far: FindCoordinator for a transaction is
//! refused first); ListTransactions (66) lists none and DescribeTransactions
//! (65) finds none, since there are none.

use kafka_protocol::ResponseError;
use kafka_protocol::messages::add_partitions_to_txn_request::AddPartitionsToTxnTopic;
use kafka_protocol::messages::add_partitions_to_txn_response::{
    AddPartitionsToTxnPartitionResult, AddPartitionsToTxnResult, AddPartitionsToTxnTopicResult,
};
use kafka_protocol::messages::describe_transactions_response::TransactionState;
use kafka_protocol::messages::txn_offset_commit_response::{
    TxnOffsetCommitResponsePartition, TxnOffsetCommitResponseTopic,
};
use kafka_protocol::messages::{
    AddOffsetsToTxnRequest, AddOffsetsToTxnResponse, AddPartitionsToTxnRequest, AddPartitionsToTxnResponse,
    DescribeTransactionsRequest, DescribeTransactionsResponse, EndTxnRequest, EndTxnResponse, ListTransactionsRequest,
    ListTransactionsResponse, ProducerId, RequestHeader, TxnOffsetCommitRequest, TxnOffsetCommitResponse,
};

use super::refuse;
use crate::serve::dispatch::{Ctx, Handler};

pub fn handlers() -> Vec<Box<dyn Handler>> {
    vec![
        refuse::<AddPartitionsToTxnRequest>(add_partitions),
        refuse::<AddOffsetsToTxnRequest>(add_offsets),
        refuse::<EndTxnRequest>(end),
        refuse::<TxnOffsetCommitRequest>(offset_commit),
        refuse::<DescribeTransactionsRequest>(describe),
        refuse::<ListTransactionsRequest>(list),
    ]
}

fn code() -> i16 {
    ResponseError::TransactionalIdAuthorizationFailed.code()
}

fn topic_results(topics: &[AddPartitionsToTxnTopic]) -> Vec<AddPartitionsToTxnTopicResult> {
    topics
        .iter()
        .map(|t| {
            let partitions = t
                .partitions
                .iter()
                .map(|&p| {
                    AddPartitionsToTxnPartitionResult::default()
                        .with_partition_index(p)
                        .with_partition_error_code(code())
                })
                .collect();
            AddPartitionsToTxnTopicResult::default().with_name(t.name.clone()).with_results_by_partition(partitions)
        })
        .collect()
}

fn add_partitions(
    _ctx: &mut Ctx,
    header: &RequestHeader,
    request: AddPartitionsToTxnRequest,
) -> AddPartitionsToTxnResponse {
    let mut response = AddPartitionsToTxnResponse::default();
    if header.request_api_version <= 3 {
        response.results_by_topic_v3_and_below = topic_results(&request.v3_and_below_topics);
        return response;
    }
    response.results_by_transaction = request
        .transactions
        .iter()
        .map(|t| {
            AddPartitionsToTxnResult::default()
                .with_transactional_id(t.transactional_id.clone())
                .with_topic_results(topic_results(&t.topics))
        })
        .collect();
    response
}

fn add_offsets(_ctx: &mut Ctx, _header: &RequestHeader, _request: AddOffsetsToTxnRequest) -> AddOffsetsToTxnResponse {
    AddOffsetsToTxnResponse::default().with_error_code(code())
}

fn end(_ctx: &mut Ctx, _header: &RequestHeader, _request: EndTxnRequest) -> EndTxnResponse {
    EndTxnResponse::default().with_error_code(code()).with_producer_id(ProducerId(-1)).with_producer_epoch(-1)
}

fn offset_commit(_ctx: &mut Ctx, _header: &RequestHeader, request: TxnOffsetCommitRequest) -> TxnOffsetCommitResponse {
    let topics = request
        .topics
        .iter()
        .map(|t| {
            let partitions = t
                .partitions
                .iter()
                .map(|p| {
                    TxnOffsetCommitResponsePartition::default()
                        .with_partition_index(p.partition_index)
                        .with_error_code(code())
                })
                .collect();
            TxnOffsetCommitResponseTopic::default().with_name(t.name.clone()).with_partitions(partitions)
        })
        .collect();
    TxnOffsetCommitResponse::default().with_topics(topics)
}

fn describe(
    _ctx: &mut Ctx,
    _header: &RequestHeader,
    request: DescribeTransactionsRequest,
) -> DescribeTransactionsResponse {
    let states = request
        .transactional_ids
        .into_iter()
        .map(|id| {
            TransactionState::default()
                .with_transactional_id(id)
                .with_error_code(ResponseError::TransactionalIdNotFound.code())
                .with_producer_id(ProducerId(-1))
                .with_producer_epoch(-1)
        })
        .collect();
    DescribeTransactionsResponse::default().with_transaction_states(states)
}

fn list(_ctx: &mut Ctx, _header: &RequestHeader, _request: ListTransactionsRequest) -> ListTransactionsResponse {
    ListTransactionsResponse::default()
}

//! ListOffsets (key 2): per partition the offset for a time — latest (-1:
//! the high watermark), earliest (-2, and -4 earliest-local: the log
//! start), max timestamp (-3: the record with the largest timestamp), or
//! the first record stamped at or after a time (with its timestamp), as
//! Kafka's `offsetsForTimes`; none is offset -1.

use kafka_protocol::ResponseError;
use kafka_protocol::messages::list_offsets_response::{ListOffsetsPartitionResponse, ListOffsetsTopicResponse};
use kafka_protocol::messages::{ListOffsetsRequest, ListOffsetsResponse, RequestHeader};
use kafka_protocol::protocol::VersionRange;

use crate::serve::dispatch::Ctx;
use crate::serve::errors::code_of;
use crate::serve::handlers::fetch::check_epoch;
use crate::serve::leadership::led_here;
use crate::store::{LogReader, log_end, offset_for_timestamp};

pub const VERSIONS: VersionRange = VersionRange { min: 1, max: 9 };

const LATEST: i64 = -1;
const EARLIEST: i64 = -2;
const MAX_TIMESTAMP: i64 = -3;
const EARLIEST_LOCAL: i64 = -4;
const LATEST_TIERED: i64 = -5;

pub fn handle(ctx: &mut Ctx, header: &RequestHeader, request: ListOffsetsRequest) -> ListOffsetsResponse {
    let mut response = ListOffsetsResponse::default();
    for topic in request.topics {
        let name = topic.name.0.to_string();
        let mut out = ListOffsetsTopicResponse::default();
        out.name = topic.name;
        for p in topic.partitions {
            let mut answer = ListOffsetsPartitionResponse::default();
            answer.partition_index = p.partition_index;
            answer.timestamp = -1;
            answer.offset = -1;
            match lookup(ctx, &name, p.partition_index, p.current_leader_epoch, p.timestamp) {
                Ok((offset, timestamp, epoch)) => {
                    answer.offset = offset;
                    answer.timestamp = timestamp;
                    if header.request_api_version >= 4 {
                        answer.leader_epoch = epoch;
                    }
                }
                Err(code) => answer.error_code = code,
            }
            out.partitions.push(answer);
        }
        response.topics.push(out);
    }
    response
}

/// (offset, timestamp, leader epoch) for `timestamp` in one partition.
fn lookup(ctx: &Ctx, topic: &str, partition: i32, leader_epoch: i32, timestamp: i64) -> Result<(i64, i64, i32), i16> {
    let led = led_here(ctx, topic, partition).map_err(|e| e.code())?;
    check_epoch(&led, leader_epoch).map_err(|e| e.code())?;
    let epoch = led.partition.leader_epoch as i32;
    let dir = ctx.server.cluster.layout().replica_dir(ctx.broker, topic, led.partition.partition);
    let end = log_end(&dir).map_err(|e| code_of(&e))?;
    let io = |e: crate::error::Error| code_of(&e);
    match timestamp {
        LATEST => Ok((end.end_offset as i64, -1, epoch)),
        // No tiered storage: nothing is tiered, as Kafka answers (offset and epoch -1).
        LATEST_TIERED => Ok((-1, -1, -1)),
        EARLIEST | EARLIEST_LOCAL => Ok((end.start_offset as i64, -1, epoch)),
        MAX_TIMESTAMP => {
            let mut best: Option<(i64, u64, u32)> = None;
            let mut reader = LogReader::open(&dir, end.start_offset).map_err(io)?;
            while let Some(frame) = reader.next_frame().map_err(io)? {
                for record in frame.records() {
                    let record = record.map_err(|_| ResponseError::CorruptMessage.code())?;
                    if record.offset >= end.start_offset && best.is_none_or(|(t, _, _)| record.timestamp > t) {
                        best = Some((record.timestamp, record.offset, frame.header.leader_epoch));
                    }
                }
            }
            Ok(best.map_or(NOT_FOUND, |(t, o, e)| (o as i64, t, e as i32)))
        }
        t if t < 0 => Err(ResponseError::InvalidRequest.code()),
        t => match offset_for_timestamp(&dir, t).map_err(io)? {
            None => Ok(NOT_FOUND),
            Some(offset) => Ok(match found_at(&dir, offset).map_err(io)? {
                Some((timestamp, frame_epoch)) => (offset as i64, timestamp, frame_epoch as i32),
                None => (offset as i64, t, epoch),
            }),
        },
    }
}

/// A time no record is at or after: offset, timestamp and leader epoch
/// -1, as Kafka answers.
const NOT_FOUND: (i64, i64, i32) = (-1, -1, -1);

/// The timestamp of the record at `offset`, and the leader epoch of its
/// frame (Kafka answers the found record's batch's epoch).
fn found_at(dir: &std::path::Path, offset: u64) -> crate::error::Result<Option<(i64, u32)>> {
    let mut reader = LogReader::open(dir, offset)?;
    while let Some(frame) = reader.next_frame()? {
        for record in frame.records().flatten() {
            if record.offset >= offset {
                return Ok(Some((record.timestamp, frame.header.leader_epoch)));
            }
        }
    }
    Ok(None)
}

//! DeleteRecords (key 21): `topic trim --before OFFSET` per partition
//! through `cluster::admin` (offset -1: up to the high watermark), answering
//! the new low watermark (log start); above the high watermark, or below
//! zero other than -1, is OFFSET_OUT_OF_RANGE, as in Kafka.

use kafka_protocol::messages::delete_records_response::{DeleteRecordsPartitionResult, DeleteRecordsTopicResult};
use kafka_protocol::messages::{DeleteRecordsRequest, DeleteRecordsResponse, RequestHeader};
use kafka_protocol::protocol::VersionRange;

use crate::cluster::TrimPoint;
use crate::serve::dispatch::Ctx;
use crate::serve::errors::code_of;
use crate::serve::leadership::led_here;

pub const VERSIONS: VersionRange = VersionRange { min: 0, max: 2 };

pub fn handle(ctx: &mut Ctx, _header: &RequestHeader, request: DeleteRecordsRequest) -> DeleteRecordsResponse {
    let mut response = DeleteRecordsResponse::default();
    for topic in request.topics {
        let name = topic.name.0.to_string();
        let mut out = DeleteRecordsTopicResult::default();
        out.name = topic.name;
        for p in topic.partitions {
            let mut result = DeleteRecordsPartitionResult::default();
            result.partition_index = p.partition_index;
            result.low_watermark = -1;
            match trim(ctx, &name, p.partition_index, p.offset) {
                Ok(low) => result.low_watermark = low,
                Err(code) => result.error_code = code,
            }
            out.partitions.push(result);
        }
        response.topics.push(out);
    }
    response
}

fn trim(ctx: &Ctx, topic: &str, partition: i32, offset: i64) -> Result<i64, i16> {
    let led = led_here(ctx, topic, partition).map_err(|e| e.code())?;
    let point = match u64::try_from(offset) {
        Ok(offset) => TrimPoint::Offset(offset),
        Err(_) if offset == -1 => TrimPoint::HighWatermark,
        Err(_) => return Err(kafka_protocol::ResponseError::OffsetOutOfRange.code()),
    };
    let cleaned = ctx.server.cluster.trim_topic(topic, Some(led.partition.partition), point).map_err(|e| {
        if e.kind == crate::error::ErrorKind::Usage {
            kafka_protocol::ResponseError::OffsetOutOfRange.code()
        } else {
            code_of(&e)
        }
    })?;
    Ok(cleaned.first().map_or(-1, |c| c.log_start as i64))
}

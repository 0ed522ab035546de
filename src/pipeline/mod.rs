//! Pipelines (`consume --group G --exec CMD`): records go to a command, a
//! batch at a time, and a group commits a record only once the command
//! succeeded on it (or it was set aside in a dead-letter topic). The
//! [`ExecSink`] is a [`RecordSink`](crate::consumer::RecordSink) that any
//! backend's group member drives: it answers "taken" per partition only
//! for records done, so the member's commit rule (commit up to the first
//! record not taken) becomes commit on success. With `--to TOPIC`, the
//! command's output lines are appended to TOPIC exactly once across crashes
//! ([`exactly_once`], on a data dir).
//!
//! - [`record`]: a delivered record kept for retries and dead letters;
//! - [`work`]: a partition's queue and the batch being worked on (order kept);
//! - [`exec_sink`]: the sink — batching, parallel batches, retries with backoff;
//! - [`dead_letter`]: the dead-letter record and its headers;
//! - [`deliveries`]: delivery counts kept with the group (a data dir);
//! - [`transform`]: the command's output lines as records of TOPIC;
//! - [`exactly_once`]: the intent file that makes appending and committing one step;
//! - [`fence`]: a member that lost a partition while its command ran appends nothing;
//! - [`share_exec`]: `consume --share --exec` (accept on success, release on failure) and a
//!   share group's dead letters.

pub mod dead_letter;
pub mod deliveries;
pub mod exactly_once;
pub mod exec_sink;
pub mod fence;
pub mod record;
pub mod share_exec;
pub mod transform;
pub mod work;

#[cfg(test)]
mod tests_exec_sink;

pub use exec_sink::{ExecOptions, ExecSink};

use crate::backend::Backend;
use crate::cluster::TopicMeta;
use crate::cluster::replication::partition_writer::Acks;
use crate::error::{Error, Result};
use crate::producer::{LineFormat, PipelineOptions};

/// Appends `lines` (`produce --format json` envelopes, one a line) to
/// `topic`, durably on every in-sync replica (`--acks all`): dead letters
/// and `--to` outputs. An error says `doing 'TOPIC': why`.
pub fn append_envelopes(backend: &dyn Backend, topic: &TopicMeta, lines: &[u8], doing: &str) -> Result<()> {
    let mut appender = backend.appender(topic, Acks::All)?;
    let options = PipelineOptions { format: LineFormat::Json, null_value: None, partition: None };
    let (result, _) = appender.produce_lines(&mut &lines[..], &options, &mut || true, &mut |_| {});
    result.map_err(|e| Error::new(e.kind, format!("{doing} '{}': {}", topic.name, e.message)))
}

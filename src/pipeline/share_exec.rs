//! `consume --share G --exec CMD` and a share group's dead letters: the
//! [`BatchHandler`] that runs each acquired batch through a fresh `sh -c
//! CMD` (the batch is accepted when it exits 0, released when it fails, so
//! any member may deliver it again with its delivery count one higher), and
//! the [`DeadLetterSink`] that writes records archived at the delivery limit
//! to the dead-letter topic, as `consume --group --exec` writes its own
//! (`dead_letter`: the record with `runnel.errors.*` headers).

use std::collections::BTreeMap;
use std::time::Duration;

use super::dead_letter::{self, Failure};
use super::record::Item;
use crate::backend::Backend;
use crate::cluster::TopicMeta;
use crate::cluster::replication::partition_writer::Acks;
use crate::consumer::TopicPartition;
use crate::consumer::exec::{Backoff, BatchEnv, Exit, Program, StdoutTo, run_batch};
use crate::consumer::share::{BatchHandler, DeadLetterSink};
use crate::error::{Error, ErrorKind, Result};
use crate::output::records::RecordFormat;
use crate::producer::{LineFormat, PipelineOptions};
use crate::store::Record;

/// The dead-letter topic `name`, created (one partition) when missing.
pub fn dead_letter_topic(backend: &dyn Backend, name: &str) -> Result<TopicMeta> {
    if let Some(meta) = backend.find_topic(name)? {
        return Ok(meta);
    }
    let spec =
        crate::cluster::TopicSpec { name: name.to_string(), partitions: 1, replication_factor: 1, config: Vec::new() };
    match backend.create_topic(&spec) {
        Ok(created) => Ok(created.meta),
        // Another member created it meanwhile.
        Err(e) if e.kind == ErrorKind::Conflict => backend.topic(name),
        Err(e) => Err(e),
    }
}

/// Writes a share group's dead letters.
pub struct DeadLetters<'a> {
    backend: &'a dyn Backend,
    meta: TopicMeta,
    group: String,
    command: String,
    stderr: KeptStderr,
    envelopes: Vec<u8>,
}

impl<'a> DeadLetters<'a> {
    pub fn new(backend: &'a dyn Backend, topic: &str, group: &str, command: Option<&str>) -> Result<DeadLetters<'a>> {
        Ok(DeadLetters {
            backend,
            meta: dead_letter_topic(backend, topic)?,
            group: group.to_string(),
            command: command.unwrap_or_default().to_string(),
            stderr: KeptStderr::default(),
            envelopes: Vec::new(),
        })
    }
}

/// Failed tries whose standard error a member keeps, at most: records
/// another member finishes later are never heard of again here. Over it,
/// the lowest offsets go first (a dead letter of one then names no
/// command, as for another member's try).
const STDERR_KEPT: usize = 4096;

/// The end of the standard error of the last failed try of records this
/// member ran, by partition and offset, at most [`STDERR_KEPT`] of them.
#[derive(Default)]
struct KeptStderr(BTreeMap<(TopicPartition, u64), Vec<u8>>);

impl KeptStderr {
    fn keep(&mut self, p: &TopicPartition, offset: u64, tail: &[u8]) {
        let key = (p.clone(), offset);
        if self.0.len() >= STDERR_KEPT && !self.0.contains_key(&key) {
            self.0.pop_first();
        }
        self.0.insert(key, tail.to_vec());
    }

    /// Forgets a record's (its try succeeded, or its dead letter took it).
    fn take(&mut self, p: &TopicPartition, offset: u64) -> Option<Vec<u8>> {
        // Called for every record of a batch that succeeded: most of the
        // time nothing is kept, and no key is built.
        if self.0.is_empty() {
            return None;
        }
        self.0.remove(&(p.clone(), offset))
    }
}

impl DeadLetterSink for DeadLetters<'_> {
    fn write(
        &mut self,
        topic: &str,
        partition: u32,
        record: &Record<'_>,
        delivery_count: u32,
        last_exit: Option<Exit>,
    ) -> Result<()> {
        let tp = TopicPartition::new(topic, partition);
        // The last try was this member's when it kept its stderr; else
        // another member's (which may run another command) or none (a lock
        // that expired), and the command is not named.
        let ours = self.stderr.take(&tp, record.offset);
        let command = if ours.is_some() { self.command.as_str() } else { "" };
        let stderr = ours.unwrap_or_default();
        let mut item = Item::new(0, record, Vec::new());
        item.deliveries = delivery_count;
        let failure =
            Failure { topic, partition, group: Some(&self.group), command, exit: last_exit, stderr_tail: &stderr };
        dead_letter::envelope(&item, &failure, &self.meta, &mut self.envelopes)
    }

    fn flush(&mut self) -> Result<()> {
        if self.envelopes.is_empty() {
            return Ok(());
        }
        let mut appender = self.backend.appender(&self.meta, Acks::All)?;
        let options = PipelineOptions { format: LineFormat::Json, null_value: None, partition: None };
        let (result, _) = appender.produce_lines(&mut &self.envelopes[..], &options, &mut || true, &mut |_| {});
        self.envelopes.clear();
        result.map_err(|e| {
            Error::new(e.kind, format!("writing to the dead-letter topic '{}': {}", self.meta.name, e.message))
        })
    }
}

/// Runs acquired batches through a command.
pub struct ShareExec<'a> {
    pub command: String,
    pub format: RecordFormat,
    pub group: String,
    pub backoff: Backoff,
    pub dead: Option<DeadLetters<'a>>,
    program: Program,
    items: Vec<Item>,
}

impl<'a> ShareExec<'a> {
    pub fn new(
        command: &str,
        format: RecordFormat,
        group: &str,
        backoff: Backoff,
        dead: Option<DeadLetters<'a>>,
    ) -> ShareExec<'a> {
        ShareExec {
            command: command.to_string(),
            format,
            group: group.to_string(),
            backoff,
            dead,
            program: Program::from_env(command),
            items: Vec::new(),
        }
    }
}

impl DeadLetterSink for ShareExec<'_> {
    fn write(
        &mut self,
        topic: &str,
        partition: u32,
        record: &Record<'_>,
        delivery_count: u32,
        last_exit: Option<Exit>,
    ) -> Result<()> {
        match &mut self.dead {
            Some(dead) => dead.write(topic, partition, record, delivery_count, last_exit),
            None => Ok(()),
        }
    }

    fn flush(&mut self) -> Result<()> {
        self.dead.as_mut().map_or(Ok(()), DeadLetterSink::flush)
    }
}

impl BatchHandler for ShareExec<'_> {
    fn add(&mut self, topic: &str, partition: u32, record: &Record<'_>, delivery_count: u32) -> Result<()> {
        let mut formatted = Vec::new();
        self.format.format(topic, partition, record, &mut formatted);
        let mut item = Item::new(self.items.len() as u64, record, formatted);
        item.deliveries = delivery_count;
        self.items.push(item);
        Ok(())
    }

    fn run(&mut self, p: &TopicPartition) -> Result<Option<Exit>> {
        let items = std::mem::take(&mut self.items);
        let (Some(first), Some(last)) = (items.first(), items.last()) else {
            return Ok(None);
        };
        let env = BatchEnv {
            topic: p.topic.clone(),
            partition: p.partition,
            first_offset: first.offset,
            last_offset: last.offset,
            count: items.len(),
            key: if items.len() == 1 { first.key.clone() } else { None },
            delivery: items.iter().map(|i| i.deliveries).max().unwrap_or(1),
            group: Some(self.group.clone()),
        };
        let input: Vec<u8> = items.iter().flat_map(|i| i.formatted.iter().copied()).collect();
        let outcome = run_batch(&self.program, &input, &env, StdoutTo::Inherit).map_err(|e| {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                // Our output's reader went: a closed output, not a failure.
                return Error::output(e);
            }
            Error::io(&format!("run the command '{}' with", self.command), std::path::Path::new("sh -c"), e)
        })?;
        let Some(dead) = &mut self.dead else {
            return Ok((!outcome.exit.success()).then_some(outcome.exit));
        };
        if outcome.exit.success() {
            for item in &items {
                dead.stderr.take(p, item.offset);
            }
            return Ok(None);
        }
        for item in &items {
            dead.stderr.keep(p, item.offset, &outcome.stderr_tail);
        }
        Ok(Some(outcome.exit))
    }

    fn backoff(&self, delivery_count: u32) -> Duration {
        self.backoff.after(delivery_count)
    }

    fn dead_letters(&self) -> bool {
        self.dead.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a member keeps of failed tries stays bounded, the lowest
    /// offsets going first, and a record's entry goes once taken.
    #[test]
    fn kept_stderr_is_bounded_and_forgets_what_was_taken() {
        let p = TopicPartition::new("t", 0);
        let mut kept = KeptStderr::default();
        for offset in 0..(STDERR_KEPT as u64 + 10) {
            kept.keep(&p, offset, b"failed");
        }
        assert_eq!(kept.0.len(), STDERR_KEPT);
        assert_eq!(kept.take(&p, 9), None, "among the lowest, gone");
        assert_eq!(kept.take(&p, 10).as_deref(), Some(&b"failed"[..]));
        assert_eq!(kept.take(&p, 10), None, "taken once");
        kept.keep(&p, STDERR_KEPT as u64 + 9, b"again");
        assert_eq!(kept.0.len(), STDERR_KEPT - 1, "the same record kept again takes no room");
    }
}

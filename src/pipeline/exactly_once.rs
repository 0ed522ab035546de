//! `--to TOPIC` exactly once on a data dir: appending a batch's outputs to
//! TOPIC and moving past its input are one step, by an intent file written
//! before the append and rolled forward after a crash (never back):
//!
//! 1. the command succeeded on input offsets `first..=last` of `T-P`; its
//!    output lines become envelopes, each marked with its batch and line
//!    number (`transform::MARKER`);
//! 2. the intent `groups/G/exec/T-P.json` is written durably: the input
//!    range, TOPIC's log end per partition *before* the append (a lower
//!    bound of where the outputs land), and the envelopes;
//! 3. the envelopes are appended to TOPIC (`--acks all`, durable);
//! 4. the records are done: the group member commits `last + 1` with its
//!    next commit. The next batch's intent replaces this one only after
//!    step 3, so the intent always names the newest input offset whose
//!    outputs are (or are being) in TOPIC.
//!
//! Whoever next takes `T-P` up reads the intent first ([`ExactlyOnce::recover`]):
//! records of the partition below the intent's `next` offset are done
//! (their outputs were appended by this batch or an earlier one) and pass
//! without the command; and the intent's outputs not found in TOPIC —
//! looked for from the recorded log ends, by their markers — are appended
//! now. A crash before step 2 reruns the batch (no output of it was
//! appended); between 2 and 4 finishes the append. Outputs are never
//! rolled back, so a reader of TOPIC never sees one that later disappears,
//! and each appears once. `group reset-offsets --execute` removes the
//! intents of the partitions it moves (a reset asks for the records again).

use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::fence::{Fence, Token};
use super::transform;
use crate::backend::Backend;
use crate::cluster::TopicMeta;
use crate::consumer::{Position, RecordSink, Until};
use crate::error::{Error, Result};
use crate::producer::LineFormat;
use crate::store::Record;
use crate::sys::{clock, fault, json_file};

/// A batch whose outputs are being appended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Intent {
    /// The input partition and range: offsets `first` up to `next` (exclusive).
    pub topic: String,
    pub partition: u32,
    pub first: u64,
    pub next: u64,
    /// The output topic and its log end per partition before the append.
    pub to: String,
    pub ends_before: Vec<u64>,
    /// The batch's marker (without line numbers) and its envelopes.
    pub marker: String,
    pub envelopes: Vec<String>,
}

/// Appends outputs exactly once for one group.
pub struct ExactlyOnce<'a> {
    backend: &'a dyn Backend,
    dir: PathBuf,
    group: String,
    to: TopicMeta,
    format: LineFormat,
    fence: Arc<Fence>,
}

/// What became of a batch's outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Published {
    /// In TOPIC (or there were none).
    Appended,
    /// Not appended: the member no longer holds the partition ([`super::fence`]).
    Fenced,
}

impl<'a> ExactlyOnce<'a> {
    /// `dir`: the group's intents folder (created when first needed).
    pub fn new(
        backend: &'a dyn Backend,
        dir: PathBuf,
        group: &str,
        to: TopicMeta,
        format: LineFormat,
        fence: Arc<Fence>,
    ) -> Self {
        ExactlyOnce { backend, dir, group: group.to_string(), to, format, fence }
    }

    fn intent_path(&self, topic: &str, partition: u32) -> PathBuf {
        self.dir.join(format!("{topic}-{partition}.json"))
    }

    /// Taking `topic`'s `partition` up: finishes an interrupted batch and
    /// returns the offset below which its records are done (0: none).
    /// Under the partition's exec lock: a member that lost the partition
    /// and still appends finishes first, and its intent is read here.
    pub fn recover(&self, topic: &str, partition: u32, first_offset: u64) -> Result<u64> {
        let _exec = self.fence.lock(topic, partition)?;
        let Some(intent) = json_file::read::<Intent>(&self.intent_path(topic, partition))? else {
            return Ok(0);
        };
        if intent.next <= first_offset || intent.to != self.to.name {
            return Ok(0);
        }
        let found = self.outputs_present(&intent)?;
        let missing: Vec<&str> =
            intent.envelopes.iter().enumerate().filter(|(i, _)| !found.contains(i)).map(|(_, e)| e.as_str()).collect();
        self.append(&missing)?;
        fault::step("exec.recovered");
        Ok(intent.next)
    }

    /// The command succeeded on `first..=last`: appends its output lines,
    /// after the intent that lets a crash finish the append — both under the
    /// partition's exec lock, once `token` (the member's taking of the
    /// partition) is seen to still hold its claim; else nothing is appended.
    pub fn publish(
        &self,
        token: Option<&Token>,
        topic: &str,
        partition: u32,
        first: u64,
        last: u64,
        stdout: &[u8],
    ) -> Result<Published> {
        let marker = transform::batch_marker(&self.group, topic, partition, first, last);
        let envelopes = transform::envelopes(stdout, &self.format, &marker, clock::now_ms(), &self.to)?;
        let _exec = self.fence.lock(topic, partition)?;
        if !self.fence.holds(token, topic, partition)? {
            return Ok(Published::Fenced);
        }
        if envelopes.is_empty() {
            return Ok(Published::Appended);
        }
        let mut fetch = self.backend.fetcher()?;
        let meta = self.backend.topic(&self.to.name)?;
        let ends_before = (0..meta.partition_count())
            .map(|q| fetch.offset_of(&self.to.name, q, Position::End))
            .collect::<Result<Vec<u64>>>()?;
        let intent = Intent {
            topic: topic.to_string(),
            partition,
            first,
            next: last + 1,
            to: self.to.name.clone(),
            ends_before,
            marker,
            envelopes,
        };
        std::fs::create_dir_all(&self.dir).map_err(|e| Error::io("create", &self.dir, e))?;
        json_file::write(&self.intent_path(topic, partition), &intent)?;
        fault::step("exec.intent-written");
        let lines: Vec<&str> = intent.envelopes.iter().map(String::as_str).collect();
        self.append(&lines)?;
        fault::step("exec.appended");
        Ok(Published::Appended)
    }

    /// Appends envelope lines to the output topic, durably on every in-sync replica.
    fn append(&self, envelopes: &[&str]) -> Result<()> {
        if envelopes.is_empty() {
            return Ok(());
        }
        let mut input = envelopes.join("\n").into_bytes();
        input.push(b'\n');
        super::append_envelopes(self.backend, &self.to, &input, "appending to")
    }

    /// The line numbers of the intent's outputs already in the output topic.
    fn outputs_present(&self, intent: &Intent) -> Result<Vec<usize>> {
        let meta = self.backend.topic(&intent.to)?;
        let mut fetch = self.backend.fetcher()?;
        for q in 0..meta.partition_count() {
            let from = intent.ends_before.get(q as usize).map_or(Position::Beginning, |&o| Position::Offset(o));
            fetch.assign(&intent.to, Some(q), from, Until::End)?;
        }
        let mut seen = Markers { batch: &intent.marker, found: Vec::new() };
        fetch.run(&mut seen, None)?;
        Ok(seen.found)
    }
}

/// Collects the line numbers of one batch's markers.
struct Markers<'m> {
    batch: &'m str,
    found: Vec<usize>,
}

impl RecordSink for Markers<'_> {
    fn write(&mut self, _topic: &str, _partition: u32, record: &Record<'_>) -> std::io::Result<()> {
        for (name, value) in record.headers.iter() {
            if name == transform::MARKER.as_bytes()
                && let Some(line) = value.and_then(|v| transform::line_of(v, self.batch))
            {
                self.found.push(line);
            }
        }
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

//! `consume --group G --exec CMD` and its flags: each batch of records goes
//! to a fresh `sh -c CMD`, offsets are committed only once it exits 0;
//! retries with backoff, a dead-letter topic, parallel partitions, and
//! `--to TOPIC` appending the command's output exactly once (a data dir).

use std::sync::Arc;
use std::time::Duration;

use clap::Args;

use super::global::Context;
use crate::cli::hints::{CommandResult, WithHint};
use crate::cluster::Layout;
use crate::consumer::exec::Backoff;
use crate::consumer::group::paths::GroupPaths;
use crate::error::Error;
use crate::output::records::RecordFormat;
use crate::pipeline::deliveries::DeliveryStore;
use crate::pipeline::exactly_once::ExactlyOnce;
use crate::pipeline::fence::Fence;
use crate::pipeline::{ExecOptions, ExecSink};
use crate::producer::key_field::KeyPath;
use crate::producer::{LineFormat, MissingSeparator};

// The flags of `--exec` (a plain comment: clap would take a doc comment
// of a flattened struct for the command's description when it is deferred).
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Pipelines (with --group)")]
pub struct ExecArgs {
    /// Run CMD (with sh -c) on each batch of records, one record per line on its stdin in
    /// --format; offsets are committed only after it exits 0. Its environment: RUNNEL_TOPIC,
    /// RUNNEL_PARTITION, RUNNEL_OFFSET (first), RUNNEL_OFFSET_LAST, RUNNEL_COUNT, RUNNEL_KEY
    /// (a batch of one), RUNNEL_DELIVERY (delivery count), RUNNEL_GROUP. With --share, a
    /// batch is accepted when it exits 0 and released (delivered again) when it fails
    #[arg(long, value_name = "CMD")]
    pub exec: Option<String>,
    /// Records per batch, from one partition [default: 1]
    #[arg(long, value_name = "N", requires = "exec", allow_negative_numbers = true)]
    pub batch: Option<usize>,
    /// Run a partial batch once its oldest record waited this long [default: 1s]
    #[arg(long, value_parser = super::global::parse_duration, value_name = "DURATION", requires = "exec")]
    pub batch_timeout: Option<Duration>,
    /// The wait before a failed batch is tried again, record by record; doubles each
    /// retry of a record up to --retry-backoff-max [default: 100ms]
    #[arg(long, value_parser = super::global::parse_duration, value_name = "DURATION", requires = "exec")]
    pub retry_backoff: Option<Duration>,
    /// The longest wait between two tries [default: 10s]
    #[arg(long, value_parser = super::global::parse_duration, value_name = "DURATION", requires = "exec")]
    pub retry_backoff_max: Option<Duration>,
    /// Deliveries of a record before it goes to --dead-letter; without one the member
    /// stops (exit 123) with offsets committed up to that record; with --share, Kafka's
    /// group.share.delivery.count.limit: then it is archived [default: 5]
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub max_deliver: Option<u32>,
    /// Where records that failed --max-deliver times go, with headers runnel.errors.*
    /// saying where they came from and how the command exited (created if missing);
    /// with --share, the records archived at --max-deliver
    #[arg(long, value_name = "TOPIC")]
    pub dead_letter: Option<String>,
    /// Batches of different partitions run at once (order within a partition is kept)
    /// [default: 1]
    #[arg(long, value_name = "N", requires = "exec", allow_negative_numbers = true)]
    pub parallel: Option<usize>,
    /// Produce CMD's output lines to TOPIC instead of printing them; appending them and
    /// committing the input are one step: each output appears once across crashes (a data dir)
    #[arg(long, value_name = "TOPIC", requires = "exec")]
    pub to: Option<String>,
    /// The key of each output line: the field at PATH of the line as JSON (like produce)
    #[arg(long, value_name = "PATH", requires = "to", conflicts_with = "to_key_separator")]
    pub to_key_field: Option<String>,
    /// The key of each output line: the bytes before SEP (like produce --key-separator)
    #[arg(long, value_name = "SEP", requires = "to")]
    pub to_key_separator: Option<String>,
}

impl ExecArgs {
    /// The flags that need `--group` or `--share` (`--exec`), or, without
    /// `--share`, `--exec` (`--max-deliver`, `--dead-letter`), given without
    /// them: the first one, by name.
    pub fn misplaced(&self, group: bool, share: bool) -> Option<(&'static str, &'static str)> {
        if self.exec.is_some() && !group && !share {
            return Some(("--exec", "--group G or --share G"));
        }
        if share || self.exec.is_some() {
            return None;
        }
        [("--max-deliver", self.max_deliver.is_some()), ("--dead-letter", self.dead_letter.is_some())]
            .into_iter()
            .find_map(|(flag, given)| given.then_some((flag, "--exec CMD or --share G")))
    }

    /// `--retry-backoff` and `--retry-backoff-max`.
    pub fn backoff(&self) -> Backoff {
        let defaults = Backoff::default();
        Backoff {
            initial: self.retry_backoff.unwrap_or(defaults.initial),
            max: self.retry_backoff_max.unwrap_or(defaults.max),
        }
    }

    /// Refuses what cannot work whatever the records: an empty command, and
    /// `--to` or `--dead-letter` naming a topic the member reads (each
    /// record's output or dead letter would come back to it as input).
    pub fn check_against(&self, inputs: &[String]) -> CommandResult<()> {
        if self.exec.as_ref().is_some_and(|c| c.trim().is_empty()) {
            return Err(Error::usage("--exec needs a command").into());
        }
        for (flag, topic) in [("--to", &self.to), ("--dead-letter", &self.dead_letter)] {
            if let Some(topic) = topic.as_ref().filter(|t| inputs.contains(t)) {
                return Err(Error::usage(format!(
                    "{flag} {topic} is a topic this member reads: what it writes there would come back as input"
                ))
                .with_hint(format!("write to another topic than {}", inputs.join(", "))));
            }
        }
        Ok(())
    }

    /// The line format of `--to`'s output lines.
    fn to_format(&self) -> CommandResult<LineFormat> {
        Ok(match (&self.to_key_field, &self.to_key_separator) {
            (Some(path), _) => LineFormat::KeyField(KeyPath::parse(path).ok_or_else(|| {
                Error::usage(format!("invalid --to-key-field '{path}': use a dotted path such as user.id"))
            })?),
            (None, Some(sep)) if sep.is_empty() => {
                return Err(Error::usage("--to-key-separator cannot be empty").into());
            }
            (None, Some(sep)) => {
                LineFormat::KeySeparator { separator: sep.as_bytes().to_vec(), if_missing: MissingSeparator::Refuse }
            }
            (None, None) => LineFormat::Plain,
        })
    }

    fn options(&self, command: &str, group: &str, format: RecordFormat) -> CommandResult<ExecOptions> {
        let positive = |flag: &str, n: Option<usize>| -> CommandResult<usize> {
            match n {
                Some(0) => Err(Error::usage(format!("{flag} must be at least 1")).into()),
                n => Ok(n.unwrap_or(1)),
            }
        };
        let max_deliver = match self.max_deliver {
            Some(0) => return Err(Error::usage("--max-deliver must be at least 1").into()),
            n => n.unwrap_or(5),
        };
        Ok(ExecOptions {
            command: command.to_string(),
            format,
            batch: positive("--batch", self.batch)?,
            batch_timeout: self.batch_timeout.unwrap_or(Duration::from_secs(1)),
            backoff: self.backoff(),
            max_deliver,
            parallel: positive("--parallel", self.parallel)?,
            group: Some(group.to_string()),
            dead_letter: self.dead_letter.clone(),
            warn: warn_line,
            stop: None,
        })
    }

    /// The sink of a member with `--exec`, which starts nothing more once
    /// `stop` is set.
    pub fn sink<'a>(
        &self,
        ctx: &Context,
        backend: &'a dyn crate::backend::Backend,
        command: &str,
        group: &str,
        format: RecordFormat,
        stop: &Arc<std::sync::atomic::AtomicBool>,
    ) -> CommandResult<ExecSink<'a>> {
        let opts = ExecOptions { stop: Some(Arc::clone(stop)), ..self.options(command, group, format)? };
        // On a data dir, appends (--to, dead letters) are fenced by the partition's claim.
        let paths = GroupPaths::in_groups_dir(&Layout::new(&ctx.data_dir).groups_dir(), group)?;
        let exec_dir = paths.exec_dir();
        let fence = match ctx.kafka {
            Some(_) => None,
            None => Some(Arc::new(Fence::new(paths, exec_dir.clone(), warn_line))),
        };
        let to = match &self.to {
            None => None,
            Some(topic) => {
                if ctx.kafka.is_some() {
                    return Err(Error::usage("--to needs a data dir: its exactly-once step is the data dir's")
                        .with_hint("against Kafka, pipe the command's output to `runnel produce` (at least once)"));
                }
                let meta = backend.topic(topic)?;
                let fence = fence.clone().ok_or_else(|| Error::other("internal error: --to without a fence"))?;
                Some(ExactlyOnce::new(backend, exec_dir.clone(), group, meta, self.to_format()?, fence))
            }
        };
        // Delivery counts live with the group on a data dir, in the process against Kafka.
        let counts = ctx.kafka.is_none().then(|| DeliveryStore::new(exec_dir));
        Ok(ExecSink::new(opts, backend, to, counts, fence)?)
    }
}

/// A warning of the pipeline, on stderr (even with `--quiet`).
fn warn_line(line: &str) {
    super::global::stderr_line(format!("runnel: warning: {line}"));
}

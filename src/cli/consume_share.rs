//! `consume --share G`: a member of share group G (KIP-932). Every member
//! reads every partition; each record is acquired by one member at a time
//! under a lock of `--lock-duration`, accepted once the reader of stdout
//! took it, released when the member leaves without the reader taking it,
//! delivered again when its lock expires (a member killed), and archived
//! after `--max-deliver` deliveries (written to `--dead-letter` first when
//! given). With `--exec CMD` each acquired batch (`--batch`, default 1) goes
//! to a fresh command instead: accepted when it exits 0, released when it
//! fails.

use std::os::fd::AsFd;
use std::time::Duration;

use clap::Args;

use super::consume::{ConsumeArgs, OffsetResetArg, stdout_file, stop_on_signals};
use super::global::Context;
use crate::cli::hints::{CommandResult, WithHint};
use crate::consumer::group::AutoOffsetReset;
use crate::consumer::share::member::{DEFAULT_BATCH, ShareStop};
use crate::consumer::share::partition::{DEFAULT_DELIVERY_COUNT_LIMIT, DEFAULT_LOCK_DURATION_MS};
use crate::consumer::share::{Limits, ShareMemberOptions, ShareWork};
use crate::error::{Error, IoContext};
use crate::output::records::{RecordFormat, RecordWriter};
use crate::pipeline::share_exec::{DeadLetters, ShareExec};
use crate::sys::out_queue::OutQueue;

// The share group flags of `consume` (a plain comment: see ExecArgs).
#[derive(Debug, Clone, Args)]
pub struct ShareArgs {
    /// Join this share group (Kafka's queues, KIP-932): every member reads every partition,
    /// each record is handed to one member at a time and acknowledged one by one
    #[arg(long, value_name = "G", conflicts_with_all = ["group", "partition"])]
    pub share: Option<String>,
    /// How long a member holds the records it acquired before they go to another
    /// (Kafka's group.share.record.lock.duration.ms) (with --share) [default: 30s]
    #[arg(long, value_parser = super::global::parse_duration, value_name = "DURATION")]
    pub lock_duration: Option<Duration>,
}

impl ShareArgs {
    /// The share-only flags given without `--share`, by name.
    pub fn misplaced(&self) -> Option<&'static str> {
        if self.share.is_some() {
            return None;
        }
        self.lock_duration.is_some().then_some("--lock-duration")
    }

    fn limits(&self, max_deliver: Option<u32>) -> CommandResult<Limits> {
        let lock =
            self.lock_duration.map_or(DEFAULT_LOCK_DURATION_MS, |d| d.as_millis().min(u128::from(u64::MAX)) as u64);
        if lock < 100 {
            return Err(Error::usage("--lock-duration must be at least 100ms")
                .with_hint("Kafka's group.share.record.lock.duration.ms is 30s by default"));
        }
        let deliveries = max_deliver.unwrap_or(DEFAULT_DELIVERY_COUNT_LIMIT);
        if deliveries == 0 {
            return Err(Error::usage("--max-deliver must be at least 1").into());
        }
        Ok(Limits { lock_duration_ms: lock, delivery_count_limit: deliveries, ..Limits::default() })
    }
}

/// `consume --share G`: one member until nothing is left to acquire (without
/// `--follow`), `--max-messages`, or SIGINT/SIGTERM; it then accepts what the
/// reader took, releases the rest and leaves.
pub fn consume_share(ctx: &Context, args: &ConsumeArgs, group: &str, format: RecordFormat) -> CommandResult<()> {
    if args.stop_position().is_some() {
        return Err(Error::usage("a FROM:UNTIL range cannot be used with --share").into());
    }
    for (flag, given) in [
        ("--assignment-strategy", args.assignment_strategy.is_some()),
        ("--session-timeout", args.session_timeout.is_some()),
    ] {
        if given {
            return Err(Error::usage(format!("{flag} is for consumer groups (--group), not share groups"))
                .with_hint("a share group has no assignment: every member reads every partition, record by record"));
        }
    }
    let backend = ctx.backend()?;
    let topics = args.topic_names(backend.as_ref())?;
    let opts = ShareMemberOptions {
        client_id: args.member_client_id(),
        from: args.start_position(),
        offset_reset: args.offset_reset.map_or_else(AutoOffsetReset::default, OffsetResetArg::policy),
        follow: args.follow,
        max_messages: args.max_messages,
        limits: args.share.limits(args.exec.max_deliver)?,
        batch: args.exec.batch.unwrap_or(if args.exec.exec.is_some() { 1 } else { DEFAULT_BATCH }),
        dead_letter: args.exec.dead_letter.clone(),
        ..ShareMemberOptions::new(group, topics)
    };
    if opts.batch == 0 {
        return Err(Error::usage("--batch must be at least 1").into());
    }
    let exec_only = [
        ("--parallel", args.exec.parallel.is_some()),
        ("--to", args.exec.to.is_some()),
        ("--batch-timeout", args.exec.batch_timeout.is_some()),
    ];
    if let Some((flag, _)) = exec_only.iter().find(|(_, given)| *given) {
        return Err(Error::usage(format!("{flag} is for consumer groups (--group), not share groups"))
            .with_hint("a share group runs batches in parallel through its members: start more of them"));
    }
    args.exec.check_against(&opts.topics)?;
    let stop = stop_on_signals()?;
    let dead = match &args.exec.dead_letter {
        Some(topic) => Some(DeadLetters::new(backend.as_ref(), topic, group, args.exec.exec.as_deref())?),
        None => None,
    };
    let report = if let Some(command) = &args.exec.exec {
        let mut handler = ShareExec::new(command, format, group, args.exec.backoff(), dead);
        backend.run_share_member(&opts, ShareWork::Batches(&mut handler), &stop)?
    } else {
        let stdout = stdout_file()?;
        // Acknowledgements count only what the reader took from the pipe (FIONREAD).
        let probe = OutQueue::of(stdout.as_fd()).at("inspect", std::path::Path::new("standard output"))?;
        let mut sink = RecordWriter::new(stdout, format).probing(probe);
        let mut dead = dead;
        let dead = dead.as_mut().map(|d| d as &mut dyn crate::consumer::share::DeadLetterSink);
        backend.run_share_member(&opts, ShareWork::Pipe { sink: &mut sink, dead }, &stop)?
    };
    let count = report.delivered;
    let messages = format!("{count} message{}", if count == 1 { "" } else { "s" });
    let why = match report.stop {
        ShareStop::Drained => "nothing left to acquire",
        ShareStop::CountReached => "reached --max-messages",
        ShareStop::Stopped => "stopped",
    };
    let mut done = format!("{} accepted", report.accepted);
    if report.released > 0 {
        let why = if args.exec.exec.is_some() { "the command failed" } else { "the reader did not take them" };
        done.push_str(&format!(", {} released ({why})", report.released));
    }
    if report.refused > 0 {
        done.push_str(&format!(", {} refused (their lock expired first)", report.refused));
    }
    if report.archived > 0 {
        done.push_str(&format!(", {} archived at --max-deliver", report.archived));
    }
    if report.dead_lettered > 0 {
        done.push_str(&format!(", {} dead-lettered", report.dead_lettered));
    }
    ctx.note(format!("consumed {messages} in share group '{group}' as {} ({why}): {done}", report.member_id));
    Ok(())
}

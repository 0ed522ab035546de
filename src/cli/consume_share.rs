//! `consume --share G`: a member of share group G (KIP-932). Every member
//! reads every partition; each record is acquired by one member at a time
//! under a lock of `--lock-duration`, accepted once the reader of stdout
//! took it, released when the member leaves without the reader taking it,
//! delivered again when its lock expires (a member killed), and archived
//! after `--max-deliver` deliveries.

use std::os::fd::AsFd;
use std::time::Duration;

use clap::Args;

use super::consume::{ConsumeArgs, OffsetResetArg, stdout_file, stop_on_signals};
use super::global::Context;
use crate::cli::hints::{CommandResult, WithHint};
use crate::consumer::group::AutoOffsetReset;
use crate::consumer::share::member::ShareStop;
use crate::consumer::share::partition::{DEFAULT_DELIVERY_COUNT_LIMIT, DEFAULT_LOCK_DURATION_MS};
use crate::consumer::share::{Limits, ShareMemberOptions};
use crate::error::{Error, IoContext};
use crate::output::records::{RecordFormat, RecordWriter};
use crate::sys::out_queue::OutQueue;

/// The share group flags of `consume`.
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
    /// Deliveries of a record before it is archived (Kafka's
    /// group.share.delivery.count.limit) (with --share) [default: 5]
    #[arg(long, value_name = "N")]
    pub max_deliver: Option<u32>,
}

impl ShareArgs {
    /// The share-only flags given without `--share`, by name.
    pub fn misplaced(&self) -> Option<&'static str> {
        if self.share.is_some() {
            return None;
        }
        [("--lock-duration", self.lock_duration.is_some()), ("--max-deliver", self.max_deliver.is_some())]
            .into_iter()
            .find_map(|(flag, given)| given.then_some(flag))
    }

    fn limits(&self) -> CommandResult<Limits> {
        let lock =
            self.lock_duration.map_or(DEFAULT_LOCK_DURATION_MS, |d| d.as_millis().min(u128::from(u64::MAX)) as u64);
        if lock < 100 {
            return Err(Error::usage("--lock-duration must be at least 100ms")
                .with_hint("Kafka's group.share.record.lock.duration.ms is 30s by default"));
        }
        let deliveries = self.max_deliver.unwrap_or(DEFAULT_DELIVERY_COUNT_LIMIT);
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
        client_id: args.client_id.clone(),
        from: args.start_position(),
        offset_reset: args.offset_reset.map_or_else(AutoOffsetReset::default, OffsetResetArg::policy),
        follow: args.follow,
        max_messages: args.max_messages,
        limits: args.share.limits()?,
        ..ShareMemberOptions::new(group, topics)
    };
    let stop = stop_on_signals()?;
    let stdout = stdout_file()?;
    // Acknowledgements count only what the reader took from the pipe (FIONREAD).
    let probe = OutQueue::of(stdout.as_fd()).at("inspect", std::path::Path::new("standard output"))?;
    let mut sink = RecordWriter::new(stdout, format).probing(probe);
    let report = backend.run_share_member(&opts, &mut sink, &stop)?;
    let count = report.delivered;
    let messages = format!("{count} message{}", if count == 1 { "" } else { "s" });
    let why = match report.stop {
        ShareStop::Drained => "nothing left to acquire",
        ShareStop::CountReached => "reached --max-messages",
        ShareStop::Stopped => "stopped",
    };
    let mut done = format!("{} accepted", report.accepted);
    if report.released > 0 {
        done.push_str(&format!(", {} released (the reader did not take them)", report.released));
    }
    if report.refused > 0 {
        done.push_str(&format!(", {} refused (their lock expired first)", report.refused));
    }
    if report.dead_lettered > 0 {
        done.push_str(&format!(", {} dead-lettered", report.dead_lettered));
    }
    ctx.note(format!("consumed {messages} in share group '{group}' as {} ({why}): {done}", report.member_id));
    Ok(())
}

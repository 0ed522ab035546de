//! `runnel consume TOPIC...`: records to standard output, like `cat` (or
//! `tail -f` with `--follow`), in a value, JSON or kcat-style template format.
//! With `--group G` the process is a member of consumer group G: it reads
//! the partitions the group assigns it, from the group's committed offsets,
//! and commits what the reader of stdout has taken.

use std::fs::File;
use std::io::Write;
use std::os::fd::AsFd;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use clap::{Args, ValueEnum};

use super::consume_flags::{self, StartArg};
use super::global::Context;
use super::rebalance_notes;
use crate::cli::hints::{CommandResult, WithHint};
use crate::consumer::assignors::Strategy;
use crate::consumer::group::{AutoOffsetReset, MemberOptions, MemberStop};
use crate::consumer::{Position, RecordSink, StopReason, Until};
use crate::error::{Error, IoContext, Result};
use crate::output::records::{RecordFormat, RecordWriter};
use crate::sys::out_queue::OutQueue;

#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:
  runnel consume rides | head
  runnel consume rides --from -10m --format '%k %p:%o %s\\n'
  runnel consume rides -p 2 -o 100 -c 10 -f json          # kcat's flags
  runnel consume rides -o s@1732523000000 -f '%k{hex} %v{json}\\n' -Z
  runnel consume -r 'rides.*' -o :end                # rpk's pattern, range
  runnel consume rides --follow | ./bill.sh
  runnel consume rides --follow --timeout 30s --max-messages 1  # wait for one
  runnel consume rides --group billing --follow | ./bill.sh  # several terminals
  runnel consume rides audits --group audit --assignment-strategy roundrobin
  runnel consume rides --group billing --max-messages 100 --format json
  runnel consume rides -g billing --exec ./bill.sh --batch 100 --dead-letter dlq
  runnel consume rides -g enrich --exec 'jq -c .' --to enriched   # exactly once
  runnel consume jobs --share workers --follow | ./work.sh   # worker pool

Groups: the processes of one --group share the topics' partitions (one reader per partition),
start from the group's committed offsets (else from --from) and commit only what the reader
of stdout took (a pipe's unread bytes are not committed), so a crash, a killed reader or a
closed pipe re-reads rather than loses. Ctrl-C or SIGTERM commits and leaves the group cleanly
(a second one exits at once). `runnel group describe G` shows the assignment and lag.

Share groups (--share G, Kafka's KIP-932): every member reads every partition; each record is
acquired by one member under a lock (--lock-duration), accepted once the reader took it,
released when the member leaves without the reader taking it, delivered again when its lock
expires (a member killed), and archived after --max-deliver deliveries.
`runnel group pending G` shows what is in flight.
Pipelines: with --exec CMD a member commits a record only after CMD exited 0 on it; a failed
batch is retried record by record (--retry-backoff), and after --max-deliver deliveries a
record goes to --dead-letter TOPIC, or the member stops (exit 123). kill -9 of runnel or CMD
loses nothing: what was not committed is run again. With --to TOPIC, CMD's output lines go
to TOPIC exactly once.

Exit codes: 0 when the end (or --until, or --max-messages) was reached, or a group member was
stopped by a signal; 124 when --timeout ran out first; on errors 2 usage, 66 unknown topic
(or, with --offset-reset none, no usable committed offset), 69 unavailable, 74 I/O or
corruption (the records before a damaged frame are printed first), 75 lock timeout, 123 the
--exec command failed --max-deliver times without --dead-letter, 1 other.

Template tokens: %t topic, %p partition, %o offset, %k key, %s (or %v) value, %S value size,
%R value size as 4 big-endian bytes, %K key size, %T timestamp (ms), %d timestamp (RFC 3339),
%h headers, %% percent, \\n newline, \\t tab, \\r carriage return, \\\\ backslash, and a byte as
\\xHH (hex), \\0NNN (octal, \\0 for NUL) or \\NNN (decimal), as kcat reads them.
Modifiers: %k, %s, %v take {hex}, {base64} or {json}; %h takes {json} (e.g. %v{json}).")]
pub struct ConsumeArgs {
    /// The topic (or topics) to read; with -r, regular expressions matching topic names
    #[arg(required = true, num_args = 1..)]
    pub topics: Vec<String>,
    /// The topics are regular expressions, each matching whole topic names ('rides.*')
    #[arg(short = 'r', long)]
    pub regex: bool,
    /// Where to start: beginning, end, an offset, -N (N before the end), +N (N after the
    /// start), @UNIX_MS (kcat's s@UNIX_MS), an RFC 3339 time, or -DURATION (-15m); or a
    /// range FROM:UNTIL (rpk's :end reads what is there now); with --group, for partitions
    /// without a committed offset [default: beginning; with --group: as --offset-reset says]
    #[arg(short = 'o', long, visible_alias = "offset", value_parser = consume_flags::parse_start,
          allow_hyphen_values = true, value_name = "POSITION")]
    pub from: Option<StartArg>,
    /// Start at the beginning (kafka-console-consumer's flag; the default without --group)
    #[arg(long, conflicts_with = "from")]
    pub from_beginning: bool,
    /// Read only these partitions (-p 0 -p 2, or -p 0,2)
    #[arg(short, long, conflicts_with = "group", value_delimiter = ',', value_name = "P")]
    pub partition: Vec<u32>,
    /// Stop after this many messages (kcat's -c)
    #[arg(short = 'n', visible_short_alias = 'c', long, value_name = "N")]
    pub max_messages: Option<u64>,
    /// Keep waiting for new messages (like tail -F)
    #[arg(short = 'F', long)]
    pub follow: bool,
    /// Exit at the end of the partitions: the default without --follow (kcat's -e)
    #[arg(short = 'e', long, conflicts_with = "follow")]
    pub exit_at_end: bool,
    /// Where to stop: end (the log end when the command started), an offset (exclusive),
    /// -N, @UNIX_MS (kcat's e@UNIX_MS), an RFC 3339 time or -DURATION; implies waiting for
    /// it like --follow
    #[arg(long, value_parser = consume_flags::parse_until, allow_hyphen_values = true, value_name = "POSITION", conflicts_with_all = ["group", "share"])]
    pub until: Option<Until>,
    /// Exit (code 124) when no message arrived for this long
    #[arg(long, value_parser = super::global::parse_duration, value_name = "DURATION", conflicts_with_all = ["group", "share"])]
    pub timeout: Option<Duration>,
    /// value (one value per line), json (one envelope per line), or a template
    /// [default: value, or the config file's consume-format]
    #[arg(short, long, value_name = "value|json|TEMPLATE")]
    pub format: Option<String>,
    /// Print NULL for a null key or value (kcat's -Z), not an empty string
    #[arg(short = 'Z', long)]
    pub print_nulls: bool,
    /// Join this consumer group: share the partitions with its other members and
    /// commit offsets as messages are written
    #[arg(short, long, value_name = "G")]
    pub group: Option<String>,
    /// The client id shown by `group describe` (with --group) [default: runnel-PID]
    #[arg(long, value_name = "ID")]
    pub client_id: Option<String>,
    /// How the group divides partitions among its members (Kafka's assignors;
    /// cooperative-sticky rebalances incrementally); every member must use the same one
    /// (with --group) [default: range]
    #[arg(long, value_enum, value_name = "STRATEGY")]
    pub assignment_strategy: Option<StrategyArg>,
    /// A member silent (hung) for this long is evicted and its partitions reassigned;
    /// a member that dies is noticed at once (with --group) [default: 10s; Kafka's
    /// session.timeout.ms is 45s, for members on other machines]
    #[arg(long, value_parser = super::global::parse_duration, value_name = "DURATION")]
    pub session_timeout: Option<Duration>,
    /// Kafka's auto.offset.reset, with --group: where a partition without a committed offset
    /// (and no --from) starts, and where a committed offset outside the log moves to
    /// [default: earliest; Kafka's default is latest]
    #[arg(long, value_enum, value_name = "POLICY")]
    pub offset_reset: Option<OffsetResetArg>,
    #[command(flatten)]
    pub share: super::consume_share::ShareArgs,
    #[command(flatten)]
    pub exec: Box<super::consume_exec::ExecArgs>,
}

/// `--offset-reset`, Kafka's auto.offset.reset values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OffsetResetArg {
    /// The log start
    Earliest,
    /// The log end: only what is produced from now on
    Latest,
    /// No reset: exit 66 (Kafka's NoOffsetForPartition / OffsetOutOfRange)
    None,
}

impl OffsetResetArg {
    pub fn policy(self) -> AutoOffsetReset {
        match self {
            OffsetResetArg::Earliest => AutoOffsetReset::Earliest,
            OffsetResetArg::Latest => AutoOffsetReset::Latest,
            OffsetResetArg::None => AutoOffsetReset::None,
        }
    }
}

/// `--assignment-strategy`, Kafka's assignor names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StrategyArg {
    /// Kafka's RangeAssignor: each member a contiguous range of each topic's partitions
    Range,
    /// Kafka's RoundRobinAssignor: all partitions dealt out in turn
    Roundrobin,
    /// Kafka's StickyAssignor: balanced, and moves as few partitions as possible at a rebalance
    Sticky,
    /// Kafka's CooperativeStickyAssignor: sticky, and members keep reading what they retain;
    /// moved partitions are released by their old owner before the new one starts them
    CooperativeSticky,
}

impl StrategyArg {
    pub fn strategy(self) -> Strategy {
        match self {
            StrategyArg::Range => Strategy::Range,
            StrategyArg::Roundrobin => Strategy::RoundRobin,
            StrategyArg::Sticky => Strategy::Sticky,
            StrategyArg::CooperativeSticky => Strategy::CooperativeSticky,
        }
    }
}

pub fn cmd_consume(ctx: &Context, args: &ConsumeArgs) -> CommandResult<()> {
    let format = args.record_format()?;
    args.warn_time_like_offsets(ctx);
    if let Some((flag, needs)) = args.exec.misplaced(args.group.is_some(), args.share.share.is_some()) {
        return Err(Error::usage(format!("{flag} needs {needs}")).into());
    }
    if let Some(flag) = args.share.misplaced() {
        return Err(
            Error::usage(format!("{flag} needs --share")).with_hint("add --share G to read as a share group member")
        );
    }
    if let Some(group) = &args.share.share {
        return super::consume_share::consume_share(ctx, args, group, format);
    }
    if let Some(group) = &args.group {
        return consume_group(ctx, args, group, format);
    }
    let group_only = [
        ("--client-id", args.client_id.is_some()),
        ("--assignment-strategy", args.assignment_strategy.is_some()),
        ("--session-timeout", args.session_timeout.is_some()),
        ("--offset-reset", args.offset_reset.is_some()),
    ];
    if let Some((flag, _)) = group_only.iter().find(|(_, given)| *given) {
        return Err(Error::usage(format!("{flag} needs --group")).with_hint("add --group G to read as a group member"));
    }
    if args.until.is_some() && args.from.is_some_and(|start| start.until.is_some()) {
        return Err(Error::usage("-o FROM:UNTIL and --until both say where to stop")
            .with_hint("give the end once: -o FROM:UNTIL, or -o FROM with --until UNTIL"));
    }
    let until = match (args.stop_position(), args.follow) {
        (Some(until), _) => until,
        (None, true) => Until::Never,
        (None, false) => Until::End,
    };
    let from = args.start_position().unwrap_or(Position::Beginning);
    let backend = ctx.backend()?;
    let topics = args.topic_names(backend.as_ref())?;
    if !args.partition.is_empty() && topics.len() > 1 {
        return Err(Error::usage("--partition needs exactly one topic").into());
    }
    let mut consumer = backend.fetcher()?;
    consumer.set_max_messages(args.max_messages);
    consumer.set_warn(warn_line);
    for topic in &topics {
        if args.partition.is_empty() {
            consumer.assign(topic, None, from, until)?;
        }
        for p in args.partitions() {
            consumer.assign(topic, Some(p), from, until)?;
        }
    }
    let mut sink = RecordWriter::new(stdout_file()?, format);
    let stop = consumer.run(&mut sink, args.timeout).inspect_err(|e| {
        // Damage part way (say): the records before it are printed first.
        if !e.is_output_closed() {
            let _ = RecordSink::flush(&mut sink);
        }
    })?;
    let count = consumer.delivered();
    let messages = format!("{count} message{}", if count == 1 { "" } else { "s" });
    match stop {
        StopReason::CaughtUp => ctx.note(format!("consumed {messages}: reached the end")),
        StopReason::CountReached => {}
        StopReason::Idle => {
            let waited = humantime::format_duration(args.timeout.unwrap_or_default());
            return Err(Error::timed_out(format!("no new message for {waited} (consumed {messages})")).into());
        }
    }
    Ok(())
}

/// `consume --group`: one member of the group until it drains (without
/// `--follow`), reaches `--max-messages`, or SIGINT/SIGTERM asks it to
/// stop; it then commits what the reader took and leaves the group. A closed
/// stdout ends it quietly, committing what the reader took before it closed.
fn consume_group(ctx: &Context, args: &ConsumeArgs, group: &str, format: RecordFormat) -> CommandResult<()> {
    let session_timeout = args.session_timeout.unwrap_or(Duration::from_secs(10));
    if session_timeout < Duration::from_millis(100) {
        return Err(Error::usage("--session-timeout must be at least 100ms").with_hint(
            "members heartbeat every third of it; runnel's default is 10s (Kafka's session.timeout.ms is 45s)",
        ));
    }
    if args.stop_position().is_some() {
        return Err(Error::usage("a FROM:UNTIL range cannot be used with --group").into());
    }
    let backend = ctx.backend()?;
    let topics = args.topic_names(backend.as_ref())?;
    let opts = MemberOptions {
        client_id: args.member_client_id(),
        strategy: args.assignment_strategy.map_or(Strategy::Range, StrategyArg::strategy),
        session_timeout,
        from: args.start_position(),
        offset_reset: args.offset_reset.map_or_else(AutoOffsetReset::default, OffsetResetArg::policy),
        follow: args.follow,
        max_messages: args.max_messages,
        warn: warn_line,
        on_assigned: if ctx.quiet { |_, _, _, _| {} } else { rebalance_notes::print_note },
        ..MemberOptions::new(group, topics)
    };
    let stop = stop_on_signals()?;
    if let Some(command) = &args.exec.exec {
        args.exec.check_against(&opts.topics)?;
        let mut sink = args.exec.sink(ctx, backend.as_ref(), command, group, format, &stop)?;
        let report = backend.run_member(&opts, &mut sink, &stop)?;
        drop(sink);
        let count = report.delivered;
        ctx.note(format!(
            "ran '{command}' on {count} message{} in group '{group}' as {}; offsets committed, left the group",
            if count == 1 { "" } else { "s" },
            report.member_id
        ));
        return Ok(());
    }
    let stdout = stdout_file()?;
    // Commits count only what the reader took from the pipe (FIONREAD).
    let probe = OutQueue::of(stdout.as_fd()).at("inspect", std::path::Path::new("standard output"))?;
    let mut sink = RecordWriter::new(stdout, format).probing(probe);
    let report = backend.run_member(&opts, &mut sink, &stop)?;
    let count = report.delivered;
    let messages = format!("{count} message{}", if count == 1 { "" } else { "s" });
    let why = match report.stop {
        MemberStop::Drained => "reached the end",
        MemberStop::CountReached => "reached --max-messages",
        MemberStop::Stopped => "stopped",
    };
    let untaken = match report.untaken {
        0 => String::new(),
        n => format!("; the reader did not take {n} of them, read again next time"),
    };
    ctx.note(format!(
        "consumed {messages} in group '{group}' as {} ({why}){untaken}; offsets committed, left the group",
        report.member_id
    ));
    Ok(())
}

/// A warning line on stderr (even with `--quiet`: it reports a truncated log).
fn warn_line(line: &str) {
    super::global::stderr_line(line);
}

/// A flag that the first SIGINT or SIGTERM sets (the member then commits
/// and leaves); a second one ends the process at once (exit 128 + signal),
/// and the `--exec` commands running with it, each with its process group.
pub fn stop_on_signals() -> Result<Arc<AtomicBool>> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [SIGINT, SIGTERM] {
        let second = Arc::clone(&stop);
        let end_at_once = move || {
            if second.load(std::sync::atomic::Ordering::SeqCst) {
                crate::consumer::exec::process_groups::kill_all();
                signal_hook::low_level::exit(128 + signal);
            }
        };
        // SAFETY: the action only loads an atomic, calls kill(2) and _exit(2),
        // all async-signal-safe.
        let registered = unsafe { signal_hook::low_level::register(signal, end_at_once) }
            .and_then(|_| signal_hook::flag::register(signal, Arc::clone(&stop)));
        registered.map_err(|e| Error::other(format!("cannot install the handler of signal {signal}: {e}")))?;
    }
    Ok(stop)
}

/// Standard output as a plain file: our writer batches, so std's line
/// buffering would only add work.
pub fn stdout_file() -> Result<File> {
    let fd = std::io::stdout().as_fd().try_clone_to_owned().at("open", std::path::Path::new("standard output"))?;
    let mut file = File::from(fd);
    file.flush().map_err(Error::output)?;
    // A pipe's 64 KiB would make runnel and its reader take turns.
    crate::sys::pipe::widen(&file);
    Ok(file)
}

//! `runnel consume TOPIC...`: records to standard output, like `cat` (or
//! `tail -f` with `--follow`), in a value, JSON or kcat-style template format.

use std::fs::File;
use std::io::Write;
use std::os::fd::AsFd;

use clap::Args;

use super::global::Context;
use crate::consumer::{Consumer, Position, StopReason, Until};
use crate::error::{Error, IoContext, Result};
use crate::output::records::{RecordFormat, RecordWriter};

#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:
  runnel consume rides | head
  runnel consume rides --from -10m --format '%k %p:%o %s\\n'
  runnel consume rides --partition 2 --from 100 --max-messages 10 --format json
  runnel consume rides --follow | ./bill.sh
  runnel consume rides --follow --timeout 30s --max-messages 1   # wait for one message

Exit codes: 0 when the end (or --until, or --max-messages) was reached, 124 when --timeout ran
out first, and INTERFACE.md's codes for errors.

Template tokens: %t topic, %p partition, %o offset, %k key, %s value, %S value size,
%K key size, %T timestamp (ms), %d timestamp (RFC 3339), %h headers, %% percent,
\\n newline, \\t tab.")]
pub struct ConsumeArgs {
    /// The topic (or topics) to read
    #[arg(required = true, num_args = 1..)]
    pub topics: Vec<String>,
    /// Where to start: beginning, end, an offset, -N (N before the end), @UNIX_MS,
    /// an RFC 3339 time, or -DURATION (-15m)
    #[arg(long, default_value = "beginning", value_parser = parse_position, allow_hyphen_values = true)]
    pub from: Position,
    /// Read only this partition
    #[arg(short, long)]
    pub partition: Option<u32>,
    /// Stop after this many messages
    #[arg(short = 'n', long, value_name = "N")]
    pub max_messages: Option<u64>,
    /// Keep waiting for new messages (like tail -f)
    #[arg(short, long)]
    pub follow: bool,
    /// Where to stop: end (the log end when the command started), an offset (exclusive),
    /// -N, @UNIX_MS, an RFC 3339 time or -DURATION; implies waiting for it like --follow
    #[arg(long, value_parser = parse_until, allow_hyphen_values = true, value_name = "POSITION")]
    pub until: Option<Until>,
    /// Exit (code 124) when no message arrived for this long
    #[arg(long, value_parser = super::global::parse_duration, value_name = "DURATION")]
    pub timeout: Option<std::time::Duration>,
    /// value (one value per line), json (one envelope per line), or a template
    #[arg(long, default_value = "value", value_name = "value|json|TEMPLATE")]
    pub format: String,
}

fn parse_position(text: &str) -> std::result::Result<Position, String> {
    Position::parse(text).map_err(|e| e.message)
}

fn parse_until(text: &str) -> std::result::Result<Until, String> {
    match Position::parse(text).map_err(|e| e.message)? {
        Position::Beginning => Err("--until beginning would read nothing; use end, an offset or a time".into()),
        Position::End => Ok(Until::End),
        Position::Offset(n) => Ok(Until::Offset(n)),
        Position::FromEnd(n) => Ok(Until::FromEnd(n)),
        Position::Time(ms) => Ok(Until::Time(ms)),
    }
}

pub fn cmd_consume(ctx: &Context, args: &ConsumeArgs) -> Result<()> {
    let format = RecordFormat::parse(&args.format)?;
    if args.partition.is_some() && args.topics.len() > 1 {
        return Err(Error::usage("--partition needs exactly one topic"));
    }
    let until = match (args.until, args.follow) {
        (Some(until), _) => until,
        (None, true) => Until::Never,
        (None, false) => Until::End,
    };
    let cluster = ctx.cluster()?;
    let mut consumer = Consumer::new(&cluster);
    consumer.set_max_messages(args.max_messages);
    for topic in &args.topics {
        let count = consumer.topic(topic)?.meta().partition_count();
        let partitions: Vec<u32> = match args.partition {
            Some(p) => vec![p],
            None => (0..count).collect(),
        };
        for p in partitions {
            consumer.assign_until(topic, p, args.from, until)?;
        }
    }
    let mut sink = RecordWriter::new(stdout_file()?, format);
    let stop = consumer.run(&mut sink, args.timeout)?;
    let count = consumer.delivered();
    let messages = format!("{count} message{}", if count == 1 { "" } else { "s" });
    match stop {
        StopReason::CaughtUp => ctx.note(format!("consumed {messages}: reached the end")),
        StopReason::CountReached => {}
        StopReason::Idle => {
            let waited = humantime::format_duration(args.timeout.unwrap_or_default());
            return Err(Error::timed_out(format!("no new message for {waited} (consumed {messages})")));
        }
    }
    Ok(())
}

/// Standard output as a plain file: our writer batches, so std's line
/// buffering would only add work.
pub fn stdout_file() -> Result<File> {
    let fd = std::io::stdout().as_fd().try_clone_to_owned().at("open", std::path::Path::new("standard output"))?;
    let mut file = File::from(fd);
    file.flush().map_err(Error::output)?;
    Ok(file)
}

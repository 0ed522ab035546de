//! `runnel topic wait T --offset N | --messages N`: blocks until a topic's
//! high watermarks reach a point, for scripts and CI. Exit 0 when reached,
//! 124 when `--timeout` runs out first.

use std::time::Duration;

use clap::Args;

use crate::cli::global::{Context, parse_duration};
use crate::cli::waiting::wait_until;
use crate::cluster::TopicDescription;
use crate::error::{Error, Result};
use crate::output::words::count;

#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:
  runnel topic wait rides --messages 1000 --timeout 30s && ./report.sh
  runnel topic wait rides --partition 0 --offset 42

Exit codes: 0 when reached, 124 when --timeout ran out, 66 for an unknown topic (after
--timeout, if it never appears).")]
pub struct TopicWaitArgs {
    /// The topic to watch (waits for it to be created, within --timeout)
    pub name: String,
    /// Until the high watermark of each partition (or of --partition) is at least N
    #[arg(long, value_name = "N", required_unless_present = "messages", conflicts_with = "messages")]
    pub offset: Option<u64>,
    /// Until the partitions hold at least N messages in all (high watermark minus log start)
    #[arg(long, value_name = "N")]
    pub messages: Option<u64>,
    /// Only this partition
    #[arg(short, long)]
    pub partition: Option<u32>,
    /// Give up after this long (exit 124)
    #[arg(long, default_value = "30s", value_parser = parse_duration, value_name = "DURATION")]
    pub timeout: Duration,
}

pub fn cmd_topic_wait(ctx: &Context, args: &TopicWaitArgs) -> Result<()> {
    let backend = ctx.backend()?;
    let reached_it = wait_until(args.timeout, Duration::from_millis(500), |wakeup| {
        let description = backend.describe_topic(&args.name)?;
        backend.watch_topic(&description, wakeup);
        reached(&description, args)
    })?;
    if reached_it {
        return Ok(());
    }
    Err(Error::timed_out(format!(
        "topic '{}' did not reach {} within {}",
        args.name,
        target_text(args),
        humantime::format_duration(args.timeout)
    )))
}

fn reached(description: &TopicDescription, args: &TopicWaitArgs) -> Result<bool> {
    if let Some(p) = args.partition
        && p >= description.meta.partition_count()
    {
        return Err(Error::usage(format!("topic '{}' has no partition {p}", description.meta.name)));
    }
    let selected = description.partitions.iter().filter(|p| args.partition.is_none_or(|want| want == p.meta.partition));
    let logs: Vec<_> = selected.map(|p| p.log).collect();
    Ok(match (args.offset, args.messages) {
        (Some(offset), _) => logs.iter().all(|log| log.is_some_and(|l| l.end_offset >= offset)),
        (None, Some(messages)) => {
            logs.iter().flatten().map(|l| l.end_offset.saturating_sub(l.start_offset)).sum::<u64>() >= messages
        }
        (None, None) => true,
    })
}

fn target_text(args: &TopicWaitArgs) -> String {
    match (args.offset, args.messages) {
        (Some(offset), _) => format!("offset {offset}"),
        (None, Some(messages)) => count(messages, "message"),
        (None, None) => "its target".to_string(),
    }
}

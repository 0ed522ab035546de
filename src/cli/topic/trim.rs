//! `runnel topic trim T --before OFFSET|@TIME`: Kafka's delete-records
//! (rpk's trim-prefix). Raises the log start offset of each partition on
//! every in-sync replica; consumers never see records below it, and the
//! segments wholly below it are deleted at once.

use clap::Args;

use crate::cli::format::{AdminFormatFlag, print_report};
use crate::cli::global::Context;
use crate::cluster::TrimPoint;
use crate::consumer::Position;
use crate::error::{Error, Result};
use crate::output::lifecycle::render_cleaned;

#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:
  runnel topic trim rides --before 1000 --partition 0
  runnel topic trim rides --before @1732523000000
  runnel topic trim rides --before -7d      (records older than a week)
  runnel topic trim rides --before -1000    (keep the last 1000 per partition)
  runnel topic trim rides --before end    # everything up to the high watermark

An offset above a partition's high watermark is refused (exit 2) before any partition is
trimmed, as is trimming a topic whose cleanup.policy is only compact.")]
pub struct TopicTrimArgs {
    /// The topic to trim
    pub name: String,
    /// Delete records before this: an offset, @UNIX_MS, an RFC 3339 time,
    /// -DURATION (older than that), -N (all but the last N), or `end`
    #[arg(long, value_name = "OFFSET|@TIME", allow_hyphen_values = true)]
    pub before: String,
    /// Only this partition [default: all]
    #[arg(short, long)]
    pub partition: Option<u32>,
    #[command(flatten)]
    pub format: AdminFormatFlag,
}

/// `--before` as a trim point.
fn trim_point(text: &str) -> Result<TrimPoint> {
    Ok(match Position::parse(text)? {
        Position::Beginning => TrimPoint::Offset(0),
        Position::End => TrimPoint::HighWatermark,
        Position::Offset(n) => TrimPoint::Offset(n),
        Position::FromEnd(n) => TrimPoint::KeepLast(n),
        Position::FromStart(_) => {
            return Err(Error::usage(format!("--before {text}: +N is not a trim point; use an offset, -N or a time")));
        }
        Position::Time(ms) => TrimPoint::Time(ms),
    })
}

pub fn cmd_topic_trim(ctx: &Context, args: &TopicTrimArgs) -> Result<()> {
    let point = trim_point(&args.before)?;
    let rows = ctx.backend()?.trim_topic(&args.name, args.partition, point)?;
    print_report(&render_cleaned(&rows, args.format.get()))
}

//! `runnel topic offsets NAME [--time T]`: the offset of each partition at a
//! time, without consuming (kcat's `-Q`, Kafka's `kafka-get-offsets --time`).

use clap::Args;

use crate::cli::format::{AdminFormatFlag, print_report};
use crate::cli::global::Context;
use crate::consumer::Position;
use crate::error::{Error, Result};
use crate::output::topics::{PartitionOffset, render_offsets};

#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:
  runnel topic offsets rides                              # the log ends
  runnel topic offsets rides --time 2026-11-25T10:00:00Z  # first at or after
  runnel topic offsets rides --time 1732523000000 -p 0    # ms since the epoch
  runnel topic offsets rides --time earliest --format json")]
pub struct TopicOffsetsArgs {
    /// The topic
    pub name: String,
    /// latest (-1), earliest (-2), ms since the epoch, @MS, an RFC 3339 time or -DURATION:
    /// the first offset stamped at or after it (the log end if none is)
    #[arg(long, default_value = "latest", allow_hyphen_values = true, value_parser = parse_time)]
    pub time: Position,
    /// Only these partitions [default: all]
    #[arg(short, long, value_delimiter = ',', value_name = "P")]
    pub partition: Vec<u32>,
    #[command(flatten)]
    pub format: AdminFormatFlag,
}

/// Kafka's `--time`: `-1` latest, `-2` earliest, a bare number is ms.
fn parse_time(text: &str) -> std::result::Result<Position, String> {
    match text.trim() {
        "-1" => return Ok(Position::End),
        "-2" => return Ok(Position::Beginning),
        t if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) => {
            return t.parse().map(Position::Time).map_err(|e| format!("invalid time '{text}': {e}"));
        }
        _ => {}
    }
    match Position::parse(text).map_err(|e| e.message)? {
        p @ (Position::Beginning | Position::End | Position::Time(_)) => Ok(p),
        _ => Err(format!("invalid time '{text}': use latest, earliest, ms since the epoch, an RFC 3339 time or -15m")),
    }
}

pub fn cmd_topic_offsets(ctx: &Context, args: &TopicOffsetsArgs) -> Result<()> {
    let backend = ctx.backend()?;
    let meta = backend.topic(&args.name)?;
    let partitions: Vec<u32> =
        if args.partition.is_empty() { (0..meta.partition_count()).collect() } else { args.partition.clone() };
    let mut consumer = backend.fetcher()?;
    let mut rows = Vec::new();
    for p in partitions {
        if p >= meta.partition_count() {
            return Err(Error::usage(format!(
                "topic '{}' has no partition {p} (it has partitions 0 to {})",
                meta.name,
                meta.partition_count() - 1
            )));
        }
        let offset = consumer.offset_of(&args.name, p, args.time)?;
        rows.push(PartitionOffset { topic: meta.name.clone(), partition: p, offset });
    }
    print_report(&render_offsets(&rows, args.format.get()))
}

//! `runnel log clean [TOPIC]`: retention (`retention.ms`, `retention.bytes`,
//! the log start offset) and compaction (`cleanup.policy=compact`) now,
//! rather than when the next segment rolls.

use clap::Args;

use crate::cli::format::{AdminFormatFlag, print_report};
use crate::cli::global::Context;
use crate::error::Result;
use crate::output::lifecycle::render_cleaned;

#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:
  runnel log clean
  runnel topic alter logs --config retention.ms=3600000 && runnel log clean logs
  runnel topic create users --config cleanup.policy=compact
  runnel log clean users --format json")]
pub struct LogCleanArgs {
    /// Only this topic [default: every topic]
    pub topic: Option<String>,
    #[command(flatten)]
    pub format: AdminFormatFlag,
}

pub fn cmd_log_clean(ctx: &Context, args: &LogCleanArgs) -> Result<()> {
    let cluster = ctx.existing_cluster()?;
    let topics = match &args.topic {
        Some(t) => vec![cluster.topic(t)?.name],
        None => cluster.topic_names()?,
    };
    let mut rows = Vec::new();
    for topic in &topics {
        rows.extend(cluster.for_each_partition(topic, None, |w| w.clean())?);
    }
    print_report(&render_cleaned(&rows, args.format.get()))
}

//! `runnel log du [TOPIC]`: disk usage per broker, topic and partition.

use clap::Args;

use crate::cli::format::{AdminFormatFlag, print_report};
use crate::cli::global::Context;
use crate::error::Result;
use crate::output::lifecycle::render_du;

#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:
  runnel log du
  runnel log du rides --format json | jq .total_bytes")]
pub struct LogDuArgs {
    /// Only this topic [default: every topic]
    pub topic: Option<String>,
    #[command(flatten)]
    pub format: AdminFormatFlag,
}

pub fn cmd_log_du(ctx: &Context, args: &LogDuArgs) -> Result<()> {
    let rows = ctx.existing_cluster()?.disk_usage(args.topic.as_deref())?;
    print_report(&render_du(&rows, args.format.get()))
}

//! `runnel elect-leaders [--preferred|--unclean] [TOPIC]`, like Kafka's
//! `kafka-leader-election`.

use clap::Args;

use super::format::{AdminFormatFlag, print_report};
use super::global::Context;
use crate::cluster::ElectionMode;
use crate::error::Result;
use crate::output::AdminFormat;
use crate::output::brokers::render_changes;

#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:
  runnel elect-leaders                  # back to the preferred replicas
  runnel elect-leaders rides
  runnel elect-leaders --unclean rides  # any live replica (may lose data)

Prints one line per partition whose leader changed, like
  rides-2: leader 0 -> 1 (epoch 2), isr 1,2,0")]
pub struct ElectLeadersArgs {
    /// Move leadership back to each partition's first replica when it is up and in sync (the default)
    #[arg(long, conflicts_with = "unclean")]
    pub preferred: bool,
    /// Give offline partitions a leader from any live replica, even out of sync (records may be lost)
    #[arg(long)]
    pub unclean: bool,
    /// Only this topic (default: every topic)
    pub topic: Option<String>,
    #[command(flatten)]
    pub format: AdminFormatFlag,
}

pub fn cmd_elect_leaders(ctx: &Context, args: &ElectLeadersArgs) -> Result<()> {
    let mode = if args.unclean { ElectionMode::Unclean } else { ElectionMode::Preferred };
    let changes = ctx.existing_cluster()?.elect_leaders(mode, args.topic.as_deref())?;
    let kind = match mode {
        ElectionMode::Preferred => "PREFERRED",
        ElectionMode::Unclean => "UNCLEAN",
    };
    if changes.is_empty() {
        ctx.note(format!("leader election ({kind}): no partition needed a new leader"));
    } else {
        let names: Vec<String> = changes.iter().map(|c| format!("{}-{}", c.topic, c.partition)).collect();
        ctx.note(format!("Successfully completed leader election ({kind}) for partitions {}", names.join(", ")));
    }
    let format = args.format.get();
    if changes.is_empty() && format == AdminFormat::Table {
        return Ok(());
    }
    print_report(&render_changes(&changes, format))
}

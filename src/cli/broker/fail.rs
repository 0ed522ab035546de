//! `runnel broker fail ID`.

use clap::Args;

use crate::cli::format::{AdminFormatFlag, print_report};
use crate::cli::global::Context;
use crate::error::Result;
use crate::output::AdminFormat;
use crate::output::brokers::render_changes;

#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:
  runnel broker fail 1
  runnel broker fail 1 --format json | jq '.[] | select(.new_leader == null)'

Prints one line per partition whose leader or ISR changed, like
  rides-2: leader 1 -> 0 (epoch 1), isr 0,2
  rides-5: offline (no in-sync replica up)
The broker's folder stays; `runnel broker recover ID` brings it back.")]
pub struct BrokerFailArgs {
    /// The broker to take down
    pub id: u32,
    #[command(flatten)]
    pub format: AdminFormatFlag,
}

pub fn cmd_broker_fail(ctx: &Context, args: &BrokerFailArgs) -> Result<()> {
    let changes = ctx.existing_cluster()?.fail_broker(args.id)?;
    let moved = changes.iter().filter(|c| c.leader_changed() && c.new_leader.is_some()).count();
    let offline = changes.iter().filter(|c| c.new_leader.is_none()).count();
    ctx.note(format!(
        "broker {} is down: {moved} partition{} elected a new leader, {offline} went offline, {} changed only their ISR",
        args.id,
        if moved == 1 { "" } else { "s" },
        changes.len() - moved - offline
    ));
    let format = args.format.get();
    if changes.is_empty() && format == AdminFormat::Table {
        return Ok(());
    }
    print_report(&render_changes(&changes, format))
}

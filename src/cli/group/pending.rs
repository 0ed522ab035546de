//! `runnel group pending G`: what a group has in flight, retried and
//! waiting, for either kind of group.

use clap::Args;

use crate::cli::format::{AdminFormatFlag, print_report};
use crate::cli::global::Context;
use crate::error::Result;
use crate::output::share::render_pending;

#[derive(Debug, Clone, Args)]
#[command(
    after_help = "Examples:\n  runnel group pending workers\n  runnel group pending workers --format json | jq '.partitions[].records[] | select(.delivery_count > 1)'\n\nA share group records every record in flight: its owner, age and delivery count. A consumer\ngroup records only its committed offsets: everything after them counts as waiting.\n\nExit code 66 when the group does not exist."
)]
pub struct GroupPendingArgs {
    /// The group (consumer or share)
    pub group: String,
    #[command(flatten)]
    pub format: AdminFormatFlag,
}

pub fn cmd_group_pending(ctx: &Context, args: &GroupPendingArgs) -> Result<()> {
    let report = ctx.backend()?.group_pending(&args.group)?;
    print_report(&render_pending(&report, args.format.get()))
}

//! `runnel group list`.

use clap::Args;

use crate::cli::format::{AdminFormatFlag, print_names, print_report};
use crate::cli::global::Context;
use crate::error::Result;
use crate::output::groups::render_group_list;

#[derive(Debug, Clone, Args)]
#[command(
    after_help = "Examples:\n  runnel group list\n  runnel group list --names\n  runnel group list --format json | jq -r '.[] | select(.members > 0) | .group'"
)]
pub struct GroupListArgs {
    /// Only the names, one per line (like kafka-consumer-groups --list)
    #[arg(long, conflicts_with = "format")]
    pub names: bool,
    #[command(flatten)]
    pub format: AdminFormatFlag,
}

pub fn cmd_group_list(ctx: &Context, args: &GroupListArgs) -> Result<()> {
    let groups = ctx.backend()?.list_groups()?;
    if args.names {
        return print_names(&groups.iter().map(|g| g.group.clone()).collect::<Vec<_>>());
    }
    print_report(&render_group_list(&groups, args.format.get()))
}

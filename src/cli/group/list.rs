//! `runnel group list`.

use clap::Args;

use crate::cli::format::{AdminFormatFlag, print_report};
use crate::cli::global::Context;
use crate::consumer::group::list_groups;
use crate::error::Result;
use crate::output::groups::render_group_list;

#[derive(Debug, Clone, Args)]
#[command(
    after_help = "Examples:\n  runnel group list\n  runnel group list --format json | jq -r '.[] | select(.members > 0) | .group'"
)]
pub struct GroupListArgs {
    #[command(flatten)]
    pub format: AdminFormatFlag,
}

pub fn cmd_group_list(ctx: &Context, args: &GroupListArgs) -> Result<()> {
    let groups = list_groups(&ctx.cluster_to_read()?)?;
    print_report(&render_group_list(&groups, args.format.get()))
}

//! `runnel group describe G`.

use clap::Args;

use crate::cli::format::{AdminFormatFlag, print_report};
use crate::cli::global::Context;
use crate::consumer::group::describe_group;
use crate::error::Result;
use crate::output::groups::render_group_describe;

#[derive(Debug, Clone, Args)]
#[command(
    after_help = "Examples:\n  runnel group describe billing\n  runnel group describe billing --format json |\n      jq '.offsets[] | {topic, partition, lag}'\n\nExit code 66 when the group does not exist."
)]
pub struct GroupDescribeArgs {
    /// The group to describe
    pub group: String,
    #[command(flatten)]
    pub format: AdminFormatFlag,
}

pub fn cmd_group_describe(ctx: &Context, args: &GroupDescribeArgs) -> Result<()> {
    let description = describe_group(&ctx.cluster_to_read()?, &args.group)?;
    print_report(&render_group_describe(&description, args.format.get()))
}

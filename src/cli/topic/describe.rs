//! `runnel topic describe NAME`.

use clap::Args;

use crate::cli::format::{AdminFormatFlag, print_report};
use crate::cli::global::Context;
use crate::error::Result;
use crate::output::topics::render_topic_describe;

#[derive(Debug, Clone, Args)]
#[command(
    after_help = "Examples:\n  runnel topic describe rides\n  runnel topic describe rides --format json | jq '.partitions[] | {partition, leader}'"
)]
pub struct TopicDescribeArgs {
    /// The topic to describe
    pub name: String,
    #[command(flatten)]
    pub format: AdminFormatFlag,
}

pub fn cmd_topic_describe(ctx: &Context, args: &TopicDescribeArgs) -> Result<()> {
    let description = ctx.cluster()?.describe_topic(&args.name)?;
    print_report(&render_topic_describe(&description, args.format.get()))
}

//! `runnel topic describe NAME`.

use clap::Args;

use crate::cli::format::{AdminFormatFlag, print_report};
use crate::cli::global::Context;
use crate::cluster::rules::health::{unavailable, under_replicated};
use crate::error::Result;
use crate::output::topics::render_topic_describe;

#[derive(Debug, Clone, Args)]
#[command(
    after_help = "Examples:\n  runnel topic describe rides\n  runnel topic describe rides --format json |\n      jq '.partitions[] | {partition, leader}'\n  runnel topic describe rides --under-replicated   # missing an in-sync replica\n  runnel topic describe rides --unavailable        # no leader up"
)]
pub struct TopicDescribeArgs {
    /// The topic to describe
    pub name: String,
    /// Only partitions with fewer in-sync replicas than replicas, or an in-sync replica down
    #[arg(long, visible_alias = "under-replicated-partitions")]
    pub under_replicated: bool,
    /// Only partitions with no leader, or whose leader's broker is down
    #[arg(long, visible_alias = "unavailable-partitions")]
    pub unavailable: bool,
    #[command(flatten)]
    pub format: AdminFormatFlag,
}

pub fn cmd_topic_describe(ctx: &Context, args: &TopicDescribeArgs) -> Result<()> {
    let cluster = ctx.cluster_to_read()?;
    let mut description = cluster.describe_topic(&args.name)?;
    if args.under_replicated || args.unavailable {
        let meta = cluster.meta()?;
        description.partitions.retain(|p| {
            (args.under_replicated && under_replicated(&p.meta, &meta))
                || (args.unavailable && unavailable(&p.meta, &meta))
        });
    }
    print_report(&render_topic_describe(&description, args.format.get()))
}

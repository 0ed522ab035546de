//! `runnel topic describe [NAME...]`: one topic, several, or all of them;
//! their partitions (with message counts) or, with `--configs`, their
//! configs and where each value comes from.

use clap::Args;

use crate::cli::format::{AdminFormatFlag, print_report, print_streamed};
use crate::cli::global::Context;
use crate::error::Result;
use crate::output::topics::{render_topic_configs, write_topic_describe, write_topics_describe};

#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:
  runnel topic describe rides
  runnel topic describe                         # every topic
  runnel topic describe rides audits --format json | jq '.[].partitions[]'
  runnel topic describe --under-replicated      # missing an in-sync replica
  runnel topic describe --unavailable           # no leader up
  runnel topic describe rides --configs --all   # every config, default or set")]
pub struct TopicDescribeArgs {
    /// The topics to describe [default: every topic]
    pub names: Vec<String>,
    /// Only partitions with fewer in-sync replicas than replicas, or an in-sync replica down
    #[arg(long, visible_alias = "under-replicated-partitions")]
    pub under_replicated: bool,
    /// Only partitions with no leader, or whose leader's broker is down
    #[arg(long, visible_alias = "unavailable-partitions")]
    pub unavailable: bool,
    /// Show the configs set on the topics (like kafka-configs --describe), not the partitions
    #[arg(long, conflicts_with_all = ["under_replicated", "unavailable"])]
    pub configs: bool,
    /// With --configs: every config, with its source (default or topic)
    #[arg(long, requires = "configs")]
    pub all: bool,
    #[command(flatten)]
    pub format: AdminFormatFlag,
}

pub fn cmd_topic_describe(ctx: &Context, args: &TopicDescribeArgs) -> Result<()> {
    let backend = ctx.backend()?;
    let names = if args.names.is_empty() { backend.topic_names()? } else { args.names.clone() };
    if args.configs {
        let topic = |n: &String| backend.topic(n);
        let metas = names.iter().map(topic).collect::<Result<Vec<_>>>()?;
        return print_report(&render_topic_configs(&metas, args.all, args.format.get()));
    }
    let mut descriptions = Vec::new();
    for name in &names {
        let mut description = backend.describe_topic(name)?;
        if args.under_replicated || args.unavailable {
            let mut health = backend.partition_health(&description)?.into_iter();
            description.partitions.retain(|_| {
                health.next().is_some_and(|h| {
                    (args.under_replicated && h.under_replicated) || (args.unavailable && h.unavailable)
                })
            });
            if description.partitions.is_empty() && args.names.is_empty() {
                continue;
            }
        }
        descriptions.push(description);
    }
    match descriptions.as_slice() {
        [] if args.format.get() == crate::output::AdminFormat::Table => Ok(()),
        [one] if args.names.len() == 1 => print_streamed(|out| write_topic_describe(out, one, args.format.get())),
        many => print_streamed(|out| write_topics_describe(out, many, args.format.get())),
    }
}

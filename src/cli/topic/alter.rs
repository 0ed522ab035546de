//! `runnel topic alter NAME`: grow the partition count, set or remove configs.

use clap::Args;

use super::parse_key_value;
use crate::cli::global::Context;
use crate::cli::hints::{CommandResult, WithHint};
use crate::error::Error;

#[derive(Debug, Clone, Args)]
#[command(
    after_help = "Examples:\n  runnel topic alter rides --partitions 12\n  runnel topic alter logs --config retention.ms=3600000 --delete-config segment.bytes"
)]
pub struct TopicAlterArgs {
    /// The topic to change
    pub name: String,
    /// The new partition count (it can only grow, as in Kafka)
    #[arg(short, long)]
    pub partitions: Option<u32>,
    /// Set a topic config (repeatable)
    #[arg(short, long = "config", value_name = "KEY=VALUE", value_parser = parse_key_value)]
    pub configs: Vec<(String, String)>,
    /// Remove a config, going back to its default (repeatable)
    #[arg(long = "delete-config", value_name = "KEY")]
    pub delete_configs: Vec<String>,
}

pub fn cmd_topic_alter(ctx: &Context, args: &TopicAlterArgs) -> CommandResult<()> {
    if args.partitions.is_none() && args.configs.is_empty() && args.delete_configs.is_empty() {
        return Err(Error::usage("nothing to change")
            .with_hint("pass --partitions N, --config KEY=VALUE or --delete-config KEY"));
    }
    let cluster = ctx.cluster()?;
    // One change, committed by one rewrite of the topic file: never the
    // configs set and then an exit saying the growth failed.
    let meta = cluster.alter_topic(&args.name, args.partitions, &args.configs, &args.delete_configs)?;
    if !args.configs.is_empty() || !args.delete_configs.is_empty() {
        ctx.note(format!("updated the configs of topic '{}'", args.name));
    }
    if args.partitions.is_some() {
        ctx.note(format!("topic '{}' now has {} partitions", meta.name, meta.partition_count()));
    }
    Ok(())
}

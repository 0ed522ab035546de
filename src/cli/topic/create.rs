//! `runnel topic create NAME`.

use clap::Args;

use super::parse_key_value;
use crate::cli::global::{Context, warn};
use crate::cluster::TopicSpec;
use crate::error::{ErrorKind, Result};

#[derive(Debug, Clone, Args)]
#[command(
    after_help = "Examples:\n  runnel topic create rides --partitions 6 --replication-factor 3\n  runnel topic create rides --partitions 6 --if-not-exists   # for scripts\n  runnel topic create logs --config retention.ms=86400000 \\\n      --config segment.bytes=104857600"
)]
pub struct TopicCreateArgs {
    /// The topic name: letters, digits, '.', '_' and '-', at most 249 characters
    pub name: String,
    /// How many partitions
    #[arg(short, long, default_value_t = 1)]
    pub partitions: u32,
    /// How many replicas of each partition, on distinct brokers
    #[arg(short = 'r', long, default_value_t = 1)]
    pub replication_factor: u32,
    /// A topic config, Kafka's names (repeatable): retention.ms, segment.bytes, cleanup.policy, ...
    #[arg(short, long = "config", value_name = "KEY=VALUE", value_parser = parse_key_value)]
    pub configs: Vec<(String, String)>,
    /// Exit 0 if the topic already exists (kafka-topics' flag; its settings are not compared)
    #[arg(long)]
    pub if_not_exists: bool,
}

pub fn cmd_topic_create(ctx: &Context, args: &TopicCreateArgs) -> Result<()> {
    let backend = ctx.backend()?;
    let created = backend.create_topic(&TopicSpec {
        name: args.name.clone(),
        partitions: args.partitions,
        replication_factor: args.replication_factor,
        config: args.configs.clone(),
    });
    let created = match created {
        Err(e) if args.if_not_exists && e.kind == ErrorKind::Conflict && backend.find_topic(&args.name)?.is_some() => {
            ctx.note(format!("topic '{}' already exists; nothing to do (--if-not-exists)", args.name));
            return Ok(());
        }
        other => other?,
    };
    created.warnings.iter().for_each(warn);
    let meta = created.meta;
    ctx.note(format!(
        "created topic '{}' with {} partition{} and replication factor {}",
        meta.name,
        meta.partition_count(),
        if meta.partition_count() == 1 { "" } else { "s" },
        meta.replication_factor
    ));
    Ok(())
}

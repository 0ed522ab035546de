//! `runnel topic alter NAME`: grow the partition count (warning when keyed
//! data will map to other partitions), set or remove configs.

use clap::Args;

use super::parse_key_value;
use crate::backend::Backend;
use crate::cli::global::Context;
use crate::cli::hints::{CommandResult, WithHint};
use crate::consumer::{Position, RecordSink, Until};
use crate::error::Error;
use crate::output::words;
use crate::store::Record;

#[derive(Debug, Clone, Args)]
#[command(
    after_help = "Examples:\n  runnel topic alter rides --partitions 12\n  runnel topic alter logs --config retention.ms=3600000 \\\n      --delete-config segment.bytes"
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

/// Records looked at, at the end of each partition, for a key.
const KEY_SAMPLE: u64 = 100;

/// Whether the last records of `topic`'s partitions have keys.
fn holds_keyed_messages(backend: &dyn Backend, topic: &str) -> crate::error::Result<bool> {
    struct SawKey(bool);
    impl RecordSink for SawKey {
        fn write(&mut self, _: &str, _: u32, record: &Record<'_>) -> std::io::Result<()> {
            self.0 |= record.key.is_some();
            Ok(())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut consumer = backend.fetcher()?;
    let mut sink = SawKey(false);
    consumer.assign(topic, None, Position::FromEnd(KEY_SAMPLE), Until::End)?;
    consumer.run(&mut sink, None)?;
    Ok(sink.0)
}

pub fn cmd_topic_alter(ctx: &Context, args: &TopicAlterArgs) -> CommandResult<()> {
    if args.partitions.is_none() && args.configs.is_empty() && args.delete_configs.is_empty() {
        return Err(Error::usage("nothing to change")
            .with_hint("pass --partitions N, --config KEY=VALUE or --delete-config KEY"));
    }
    let backend = ctx.backend()?;
    if let Some(count) = args.partitions {
        let before = backend.topic(&args.name)?.partition_count();
        // Best effort: a partition that cannot be read now gives no warning, never an error.
        if count > before && holds_keyed_messages(backend.as_ref(), &args.name).unwrap_or(false) {
            ctx.note(format!(
                "runnel: warning: topic '{}' holds messages with keys: with {count} partitions instead of {before}, \
                 keys map to other partitions (murmur2(key) % {count}), so a key's new messages no longer follow \
                 its old ones in one partition (Kafka warns the same)",
                args.name
            ));
        }
    }
    // On a data dir one change, committed by one rewrite of the topic file:
    // never the configs set and then an exit saying the growth failed.
    let meta = backend.alter_topic(&args.name, args.partitions, &args.configs, &args.delete_configs)?;
    if !args.configs.is_empty() || !args.delete_configs.is_empty() {
        ctx.note(format!("updated the configs of topic '{}'", args.name));
    }
    if args.partitions.is_some() {
        ctx.note(format!("topic '{}' now has {}", meta.name, words::count(meta.partition_count(), "partition")));
    }
    Ok(())
}

//! `runnel topic delete NAME`.

use clap::Args;

use crate::cli::global::Context;
use crate::consumer::group::forget_topic;
use crate::error::Result;
use crate::output::words::count;

#[derive(Debug, Clone, Args)]
#[command(
    after_help = "Examples:\n  runnel topic delete rides\n  runnel topic delete tmp-rides --if-exists   # idempotent, for scripts\n  runnel topic list --names | grep '^tmp-' | xargs -n1 runnel topic delete"
)]
pub struct TopicDeleteArgs {
    /// The topic to delete, with all its data
    pub name: String,
    /// Exit 0 if there is no such topic (kafka-topics' flag)
    #[arg(long)]
    pub if_exists: bool,
}

/// Deletes the topic and, as Kafka does, the groups' committed offsets of
/// it: before (so a delete cut short is completed by running it again) and
/// after (offsets a running member committed in between).
pub fn cmd_topic_delete(ctx: &Context, args: &TopicDeleteArgs) -> Result<()> {
    let cluster = ctx.cluster()?;
    if args.if_exists && cluster.find_topic(&args.name)?.is_none() {
        ctx.note(format!("no topic '{}'; nothing to do (--if-exists)", args.name));
        return Ok(());
    }
    cluster.topic(&args.name)?;
    let mut groups = forget_topic(&cluster, &args.name)?;
    let meta = cluster.delete_topic(&args.name)?;
    groups.extend(forget_topic(&cluster, &args.name)?);
    groups.sort();
    groups.dedup();
    ctx.note(format!("deleted topic '{}' ({})", meta.name, count(meta.partition_count(), "partition")));
    if !groups.is_empty() {
        ctx.note(format!("deleted the committed offsets of '{}' in group(s) {}", meta.name, groups.join(", ")));
    }
    Ok(())
}

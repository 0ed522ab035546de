//! `runnel topic delete NAME`.

use clap::Args;

use crate::cli::global::{Context, stderr_line};
use crate::cli::hints::line;
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
/// after (offsets a running member committed in between). Once the topic
/// file is gone the delete has happened and the exit is 0: what cleanup
/// could not do then is a warning (a topic created again under the name
/// finishes it, see `topic create`).
pub fn cmd_topic_delete(ctx: &Context, args: &TopicDeleteArgs) -> Result<()> {
    let cluster = ctx.existing_cluster()?;
    if cluster.find_topic(&args.name)?.is_none() && !cluster.stray_replicas(Some(&args.name))?.is_empty() {
        // A delete cut short after its commit point: running it again finishes it.
        let removed = cluster.remove_stray_replicas(&args.name)?;
        forget_topic(&cluster, &args.name)?;
        ctx.note(format!(
            "finished deleting topic '{}': removed {} an interrupted delete left",
            args.name,
            count(removed as u64, "replica folder")
        ));
        return Ok(());
    }
    if args.if_exists && cluster.find_topic(&args.name)?.is_none() {
        ctx.note(format!("no topic '{}'; nothing to do (--if-exists)", args.name));
        return Ok(());
    }
    cluster.topic(&args.name)?;
    let mut groups = forget_topic(&cluster, &args.name)?;
    let deleted = cluster.delete_topic(&args.name)?;
    let meta = &deleted.meta;
    for e in &deleted.left_behind {
        stderr_line(format!("runnel: warning: a replica folder of the deleted topic stays for now: {}", line(e)));
    }
    match forget_topic(&cluster, &args.name) {
        Ok(more) => groups.extend(more),
        Err(e) => stderr_line(format!(
            "runnel: warning: committed offsets of the deleted topic may remain: {}; `runnel topic create {}` drops them",
            line(&e),
            meta.name
        )),
    }
    groups.sort();
    groups.dedup();
    ctx.note(format!("deleted topic '{}' ({})", meta.name, count(meta.partition_count(), "partition")));
    if !groups.is_empty() {
        ctx.note(format!("deleted the committed offsets of '{}' in group(s) {}", meta.name, groups.join(", ")));
    }
    Ok(())
}

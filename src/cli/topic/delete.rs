//! `runnel topic delete NAME`.

use clap::Args;

use crate::cli::global::{Context, warn};
use crate::error::{ErrorKind, Reason, Result};
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
    let backend = ctx.backend()?;
    if let Some(removed) = backend.finish_interrupted_delete(&args.name)? {
        // A delete cut short after its commit point: running it again finishes it.
        ctx.note(format!(
            "finished deleting topic '{}': removed {} an interrupted delete left",
            args.name,
            count(removed as u64, "replica folder")
        ));
        return Ok(());
    }
    let deleted = match backend.delete_topic(&args.name) {
        Err(e)
            if args.if_exists
                && e.kind == ErrorKind::NotFound
                && matches!(e.reason(), Some(Reason::UnknownTopic { .. })) =>
        {
            ctx.note(format!("no topic '{}'; nothing to do (--if-exists)", args.name));
            return Ok(());
        }
        other => other?,
    };
    deleted.warnings.iter().for_each(warn);
    let (meta, groups) = (&deleted.meta, &deleted.groups);
    ctx.note(format!("deleted topic '{}' ({})", meta.name, count(meta.partition_count(), "partition")));
    if !groups.is_empty() {
        ctx.note(format!("deleted the committed offsets of '{}' in group(s) {}", meta.name, groups.join(", ")));
    }
    Ok(())
}

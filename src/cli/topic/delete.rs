//! `runnel topic delete NAME`.

use clap::Args;

use crate::cli::global::Context;
use crate::error::Result;

#[derive(Debug, Clone, Args)]
#[command(
    after_help = "Examples:\n  runnel topic delete rides\n  runnel topic list --format json | jq -r '.[].name | select(startswith(\"tmp-\"))' | xargs -n1 runnel topic delete"
)]
pub struct TopicDeleteArgs {
    /// The topic to delete, with all its data
    pub name: String,
}

pub fn cmd_topic_delete(ctx: &Context, args: &TopicDeleteArgs) -> Result<()> {
    let meta = ctx.cluster()?.delete_topic(&args.name)?;
    ctx.note(format!("deleted topic '{}' ({} partitions)", meta.name, meta.partition_count()));
    Ok(())
}

//! `runnel group delete G`.

use clap::Args;

use crate::cli::global::Context;
use crate::error::Result;

#[derive(Debug, Clone, Args)]
#[command(
    after_help = "Examples:\n  runnel group delete billing\n\nRefused while the group has live members: stop its consumers first."
)]
pub struct GroupDeleteArgs {
    /// The group to delete, with its committed offsets
    pub group: String,
}

pub fn cmd_group_delete(ctx: &Context, args: &GroupDeleteArgs) -> Result<()> {
    ctx.backend()?.delete_group(&args.group)?;
    ctx.note(format!("deleted group '{}'", args.group));
    Ok(())
}

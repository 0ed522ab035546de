//! `runnel group ...`: list, describe, reset or delete the offsets of, and
//! delete consumer groups (members join with `runnel consume --group`) and share
//! groups (`runnel consume --share`); show what a group has pending.

mod delete;
mod delete_offsets;
mod describe;
mod list;
mod pending;
mod reset_offsets;
mod wait;

use clap::Subcommand;

use super::global::Context;
use crate::error::Result;

pub use delete::GroupDeleteArgs;
pub use delete_offsets::GroupDeleteOffsetsArgs;
pub use describe::GroupDescribeArgs;
pub use list::GroupListArgs;
pub use pending::GroupPendingArgs;
pub use reset_offsets::GroupResetOffsetsArgs;
pub use wait::GroupWaitArgs;

#[derive(Debug, Clone, Subcommand)]
#[command(defer = true)]
pub enum GroupCommand {
    /// List the groups (consumer and share) with their type, state and member count
    List(GroupListArgs),
    /// Show a group's members, assignment, committed offsets and lag
    Describe(GroupDescribeArgs),
    /// Move a group's committed offsets (a dry run unless --execute)
    ResetOffsets(GroupResetOffsetsArgs),
    /// Delete a group and its committed offsets
    Delete(GroupDeleteArgs),
    /// Delete some of a group's committed offsets (Kafka's --delete-offsets)
    DeleteOffsets(GroupDeleteOffsetsArgs),
    /// Wait until a group's lag, member count or state reaches a point
    Wait(GroupWaitArgs),
    /// Show what a group has in flight, retried and waiting (consumer or share group)
    Pending(GroupPendingArgs),
}

pub fn cmd_group(ctx: &Context, command: &GroupCommand) -> Result<()> {
    match command {
        GroupCommand::List(args) => list::cmd_group_list(ctx, args),
        GroupCommand::Describe(args) => describe::cmd_group_describe(ctx, args),
        GroupCommand::ResetOffsets(args) => reset_offsets::cmd_group_reset_offsets(ctx, args),
        GroupCommand::Delete(args) => delete::cmd_group_delete(ctx, args),
        GroupCommand::DeleteOffsets(args) => delete_offsets::cmd_group_delete_offsets(ctx, args),
        GroupCommand::Wait(args) => wait::cmd_group_wait(ctx, args),
        GroupCommand::Pending(args) => pending::cmd_group_pending(ctx, args),
    }
}

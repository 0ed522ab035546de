//! `runnel topic ...`: create, list, describe, alter, delete, trim and wait for
//! topics, and look up offsets by time.

mod alter;
mod create;
mod delete;
mod describe;
mod list;
mod offsets;
mod trim;
mod wait;

use clap::Subcommand;

use super::global::Context;
use crate::cli::hints::CommandResult;

pub use alter::TopicAlterArgs;
pub use create::TopicCreateArgs;
pub use delete::TopicDeleteArgs;
pub use describe::TopicDescribeArgs;
pub use list::TopicListArgs;
pub use offsets::TopicOffsetsArgs;
pub use trim::TopicTrimArgs;
pub use wait::TopicWaitArgs;

#[derive(Debug, Clone, Subcommand)]
#[command(defer = true)]
pub enum TopicCommand {
    /// Create a topic
    Create(TopicCreateArgs),
    /// List the topics
    List(TopicListArgs),
    /// Show a topic's partitions, leaders, replicas, offsets and configs
    Describe(TopicDescribeArgs),
    /// Add partitions to a topic or change its configs
    Alter(TopicAlterArgs),
    /// Delete a topic and all its data
    Delete(TopicDeleteArgs),
    /// Wait until a topic's high watermarks reach an offset or a message count
    Wait(TopicWaitArgs),
    /// The offset of each partition at a time, without consuming (kcat -Q)
    Offsets(TopicOffsetsArgs),
    /// Delete the records before an offset or a time (Kafka's delete-records)
    Trim(TopicTrimArgs),
}

pub fn cmd_topic(ctx: &Context, command: &TopicCommand) -> CommandResult<()> {
    Ok(match command {
        TopicCommand::Create(args) => create::cmd_topic_create(ctx, args),
        TopicCommand::List(args) => list::cmd_topic_list(ctx, args),
        TopicCommand::Describe(args) => describe::cmd_topic_describe(ctx, args),
        TopicCommand::Alter(args) => return alter::cmd_topic_alter(ctx, args),
        TopicCommand::Delete(args) => delete::cmd_topic_delete(ctx, args),
        TopicCommand::Wait(args) => wait::cmd_topic_wait(ctx, args),
        TopicCommand::Trim(args) => trim::cmd_topic_trim(ctx, args),
        TopicCommand::Offsets(args) => offsets::cmd_topic_offsets(ctx, args),
    }?)
}

/// Splits `KEY=VALUE` as given on the command line (the value is validated later).
pub fn parse_key_value(text: &str) -> std::result::Result<(String, String), String> {
    match text.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
        _ => Err(format!("'{text}' is not KEY=VALUE (for example retention.ms=86400000)")),
    }
}

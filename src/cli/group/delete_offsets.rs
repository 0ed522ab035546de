//! `runnel group delete-offsets G --topic T[:P,...]`: Kafka's
//! `kafka-consumer-groups --delete-offsets` (OffsetDelete).

use clap::Args;

use crate::cli::format::{AdminFormatFlag, print_report};
use crate::cli::global::Context;
use crate::consumer::group::ResetScope;
use crate::consumer::group::delete_offsets::OffsetDeletion;
use crate::error::{Error, Result};
use crate::output::groups::render_offset_deletions;

#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:
  runnel group delete-offsets billing --topic rides    # every partition
  runnel group delete-offsets billing --topic rides:0,2 --topic old

The group keeps its members and its other offsets; a partition without a committed offset
starts where the members' offset reset says. While a live member subscribes to a topic, that
topic's offsets are kept (Kafka's GROUP_SUBSCRIBED_TO_TOPIC): exit 73 after the table. A
partition that does not exist is exit 66 after the table, as is an unknown group or topic.")]
pub struct GroupDeleteOffsetsArgs {
    /// The group whose committed offsets go
    pub group: String,
    /// A topic (every partition), or some of its partitions as TOPIC:0,1,2 (repeatable)
    #[arg(long = "topic", value_name = "TOPIC[:P,...]", value_parser = parse_scope, required = true)]
    pub topics: Vec<ResetScope>,
    #[command(flatten)]
    pub format: AdminFormatFlag,
}

fn parse_scope(text: &str) -> std::result::Result<ResetScope, String> {
    ResetScope::parse(text).map_err(|e| e.message)
}

pub fn cmd_group_delete_offsets(ctx: &Context, args: &GroupDeleteOffsetsArgs) -> Result<()> {
    let rows = ctx.backend()?.delete_offsets(&args.group, &args.topics)?;
    print_report(&render_offset_deletions(&rows, args.format.get()))?;
    let count = |which: OffsetDeletion| rows.iter().filter(|(_, _, o)| *o == which).count();
    let partitions = |n: usize| format!("{n} partition{}", if n == 1 { "" } else { "s" });
    let (deleted, kept, unknown) =
        (count(OffsetDeletion::Deleted), count(OffsetDeletion::Subscribed), count(OffsetDeletion::UnknownPartition));
    if deleted > 0 {
        ctx.note(format!("deleted the committed offsets of {} in group '{}'", partitions(deleted), args.group));
    }
    if kept > 0 {
        return Err(Error::conflict(format!(
            "kept the offsets of {}: group '{}' has live members subscribed to their topics; stop its consumers first",
            partitions(kept),
            args.group
        )));
    }
    if unknown > 0 {
        let verb = if unknown == 1 { "does" } else { "do" };
        return Err(Error::not_found(format!(
            "{} asked for {verb} not exist; `runnel topic describe TOPIC` lists a topic's partitions",
            partitions(unknown)
        )));
    }
    Ok(())
}

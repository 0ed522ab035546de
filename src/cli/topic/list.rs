//! `runnel topic list`.

use clap::Args;

use crate::cli::format::{AdminFormatFlag, print_names, print_report};
use crate::cli::global::Context;
use crate::error::Result;
use crate::output::topics::render_topic_list;

#[derive(Debug, Clone, Args)]
#[command(
    after_help = "Examples:\n  runnel topic list\n  runnel topic list --names | grep rides\n  runnel topic list --format json | jq -r '.[].name'"
)]
pub struct TopicListArgs {
    /// Only the names, one per line (like kafka-topics --list)
    #[arg(long, conflicts_with = "format")]
    pub names: bool,
    #[command(flatten)]
    pub format: AdminFormatFlag,
}

pub fn cmd_topic_list(ctx: &Context, args: &TopicListArgs) -> Result<()> {
    let backend = ctx.backend()?;
    if args.names {
        return print_names(&backend.topic_names()?);
    }
    let topics = backend.list_topics()?;
    print_report(&render_topic_list(&topics, args.format.get()))
}

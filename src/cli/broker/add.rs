//! `runnel broker add`.

use clap::Args;

use crate::cli::global::Context;
use crate::error::Result;

#[derive(Debug, Clone, Args)]
#[command(
    after_help = "Examples:\n  runnel broker add\n  runnel broker add\n  runnel topic create wide --partitions 8 --replication-factor 4\n\nA new broker hosts nothing until topics are created or given more partitions."
)]
pub struct BrokerAddArgs {}

pub fn cmd_broker_add(ctx: &Context, _args: &BrokerAddArgs) -> Result<()> {
    let cluster = ctx.existing_cluster()?;
    let broker = cluster.add_broker()?;
    let dir = cluster.layout().broker_dir(broker.id);
    ctx.note(format!(
        "added broker {} ({}); it hosts no replica until topics are created or grown",
        broker.id,
        dir.display()
    ));
    Ok(())
}

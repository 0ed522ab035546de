//! `runnel init [--brokers N]`: creates a cluster in the data directory.

use clap::Args;

use super::global::Context;
use crate::cluster::{Cluster, InitOutcome};
use crate::error::Result;
use crate::output::words::count;

#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:\n  runnel init --brokers 3\n  runnel --data-dir /tmp/lab init --brokers 5")]
pub struct InitArgs {
    /// How many brokers (folders broker-0, broker-1, ...) the cluster has
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub brokers: u32,
}

pub fn cmd_init(ctx: &Context, args: &InitArgs) -> Result<()> {
    let (_, outcome) = Cluster::init(&ctx.data_dir, args.brokers, ctx.lock_timeout)?;
    match outcome {
        InitOutcome::Created(meta) => ctx.note(format!(
            "created a cluster of {} in {}",
            count(meta.brokers.len() as u64, "broker"),
            ctx.data_dir.display()
        )),
        InitOutcome::AlreadyThere(meta) => ctx.note(format!(
            "a cluster of {} is already in {}; nothing to do",
            count(meta.brokers.len() as u64, "broker"),
            ctx.data_dir.display()
        )),
    }
    Ok(())
}

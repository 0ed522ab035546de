//! `runnel log ...`: maintenance of the partition logs themselves —
//! retention and compaction on demand, disk usage.

mod clean;
mod du;

use clap::Subcommand;

use super::global::Context;
use crate::error::Result;

pub use clean::LogCleanArgs;
pub use du::LogDuArgs;

#[derive(Debug, Clone, Subcommand)]
pub enum LogCommand {
    /// Apply retention and compaction now, on every in-sync replica
    Clean(LogCleanArgs),
    /// Show disk usage per broker, topic and partition
    Du(LogDuArgs),
}

pub fn cmd_log(ctx: &Context, command: &LogCommand) -> Result<()> {
    match command {
        LogCommand::Clean(args) => clean::cmd_log_clean(ctx, args),
        LogCommand::Du(args) => du::cmd_log_du(ctx, args),
    }
}

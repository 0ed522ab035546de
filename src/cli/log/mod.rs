//! `runnel log ...`: look at the logs on disk — `verify` checks every frame,
//! index and metadata file; `dump` prints frames and records like Kafka's
//! kafka-dump-log.

mod dump;
mod verify;

use clap::Subcommand;

use super::global::Context;
use crate::error::Result;

pub use dump::LogDumpArgs;
pub use verify::LogVerifyArgs;

#[derive(Debug, Clone, Subcommand)]
pub enum LogCommand {
    /// Check every frame, index entry and metadata file (exit 74 on damage)
    Verify(LogVerifyArgs),
    /// Print the frames and records of a segment file, a replica folder or a partition
    Dump(LogDumpArgs),
}

pub fn cmd_log(ctx: &Context, command: &LogCommand) -> Result<()> {
    match command {
        LogCommand::Verify(args) => verify::cmd_log_verify(ctx, args),
        LogCommand::Dump(args) => dump::cmd_log_dump(ctx, args),
    }
}

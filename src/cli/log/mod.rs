//! `runnel log ...`: the partition logs themselves — `verify` checks every
//! frame, index and metadata file; `dump` prints frames and records (or an
//! index's entries) like kafka-dump-log; `clean` applies retention and compaction now; `du`
//! shows disk usage.

mod clean;
mod du;
mod dump;
mod dump_index;
mod verify;

use clap::Subcommand;

use super::global::Context;
use crate::cli::hints::CommandResult;

pub use clean::LogCleanArgs;
pub use du::LogDuArgs;
pub use dump::LogDumpArgs;
pub use verify::LogVerifyArgs;

#[derive(Debug, Clone, Subcommand)]
#[command(defer = true)]
pub enum LogCommand {
    /// Check every frame, index entry and metadata file (exit 74 on damage)
    Verify(LogVerifyArgs),
    /// Print the frames and records of a segment file, a replica folder or a partition, or an index's entries
    Dump(LogDumpArgs),
    /// Apply retention and compaction now, on every in-sync replica
    Clean(LogCleanArgs),
    /// Show disk usage per broker, topic and partition
    Du(LogDuArgs),
}

pub fn cmd_log(ctx: &Context, command: &LogCommand) -> CommandResult<()> {
    Ok(match command {
        LogCommand::Clean(args) => clean::cmd_log_clean(ctx, args),
        LogCommand::Du(args) => du::cmd_log_du(ctx, args),
        LogCommand::Verify(args) => return verify::cmd_log_verify(ctx, args),
        LogCommand::Dump(args) => return dump::cmd_log_dump(ctx, args),
    }?)
}

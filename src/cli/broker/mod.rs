//! `runnel broker ...`: list, add, fail and recover brokers.

mod add;
mod fail;
mod list;
mod recover;

use clap::Subcommand;

use super::global::Context;
use crate::error::Result;

pub use add::BrokerAddArgs;
pub use fail::BrokerFailArgs;
pub use list::BrokerListArgs;
pub use recover::BrokerRecoverArgs;

#[derive(Debug, Clone, Subcommand)]
#[command(defer = true)]
pub enum BrokerCommand {
    /// List the brokers: status, partitions led, replicas hosted
    List(BrokerListArgs),
    /// Add a broker (an empty folder, up) with the next id
    Add(BrokerAddArgs),
    /// Take a broker down: it leaves every ISR and its partitions elect new leaders
    Fail(BrokerFailArgs),
    /// Bring a broker back: its replicas catch up with their leaders and rejoin the ISR
    Recover(BrokerRecoverArgs),
}

pub fn cmd_broker(ctx: &Context, command: &BrokerCommand) -> Result<()> {
    match command {
        BrokerCommand::List(args) => list::cmd_broker_list(ctx, args),
        BrokerCommand::Add(args) => add::cmd_broker_add(ctx, args),
        BrokerCommand::Fail(args) => fail::cmd_broker_fail(ctx, args),
        BrokerCommand::Recover(args) => recover::cmd_broker_recover(ctx, args),
    }
}

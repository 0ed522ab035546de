//! `runnel broker list`.

use clap::Args;

use crate::cli::format::{AdminFormatFlag, print_report};
use crate::cli::global::Context;
use crate::error::Result;
use crate::output::brokers::render_broker_list;

#[derive(Debug, Clone, Args)]
#[command(
    after_help = "Examples:\n  runnel broker list\n  runnel broker list --format json | jq '.[] | select(.status == \"down\") | .id'"
)]
pub struct BrokerListArgs {
    #[command(flatten)]
    pub format: AdminFormatFlag,
}

pub fn cmd_broker_list(ctx: &Context, args: &BrokerListArgs) -> Result<()> {
    let brokers = ctx.backend()?.list_brokers()?;
    print_report(&render_broker_list(&brokers, args.format.get()))
}

//! `runnel group describe G`.

use clap::Args;

use crate::cli::format::{AdminFormatFlag, print_report, print_streamed};
use crate::cli::global::Context;
use crate::error::Result;
use crate::output::groups::{render_group_members, render_group_state, write_group_describe};

#[derive(Debug, Clone, Args)]
#[command(
    after_help = "Examples:\n  runnel group describe billing\n  runnel group describe billing --members   # who holds which partitions\n  runnel group describe billing --state\n  runnel group describe billing --format json |\n      jq '.offsets[] | {topic, partition, lag}'\n\nA share group (consume --share) shows its members and, per partition, the start offset, lag\nand the records in flight: state, delivery count, owner, age.\n\nExit code 66 when the group does not exist."
)]
pub struct GroupDescribeArgs {
    /// The group to describe
    pub group: String,
    /// The live members and their assignments (kafka-consumer-groups --members)
    #[arg(long, conflicts_with = "state")]
    pub members: bool,
    /// The group's state, strategy, generation and member count (--state)
    #[arg(long)]
    pub state: bool,
    #[command(flatten)]
    pub format: AdminFormatFlag,
}

pub fn cmd_group_describe(ctx: &Context, args: &GroupDescribeArgs) -> Result<()> {
    let backend = ctx.backend()?;
    let format = args.format.get();
    if backend.group_type(&args.group)? == crate::consumer::share::GroupType::Share {
        let description = backend.describe_share_group(&args.group)?;
        return print_report(&if args.members {
            crate::output::share::render_share_members(&description, format)
        } else if args.state {
            crate::output::share::render_share_state(&description, format)
        } else {
            crate::output::share::render_share_describe(&description, format)
        });
    }
    let description = backend.describe_group(&args.group)?;
    if args.members {
        print_report(&render_group_members(&description, format))
    } else if args.state {
        print_report(&render_group_state(&description, format))
    } else {
        print_streamed(|out| write_group_describe(out, &description, format))
    }
}

//! `runnel group pending G`: what a group has in flight, retried and
//! waiting, for either kind of group. A consumer group's pipelines
//! (`consume --group G --exec`) keep the delivery counts of a failing batch
//! with the group on a data dir (`pipeline::deliveries`): those records are
//! shown as retried.

use clap::Args;

use crate::cli::format::{AdminFormatFlag, print_report};
use crate::cli::global::Context;
use crate::cluster::Layout;
use crate::consumer::group::paths::GroupPaths;
use crate::consumer::share::admin::PendingRecord;
use crate::consumer::share::{GroupType, PendingReport, RecordState};
use crate::error::Result;
use crate::output::share::render_pending;
use crate::pipeline::deliveries::DeliveryStore;

#[derive(Debug, Clone, Args)]
#[command(
    after_help = "Examples:\n  runnel group pending workers\n  runnel group pending workers --format json |\n      jq '.partitions[].records[] | select(.delivery_count > 1)'\n\nA share group records every record in flight: its owner, age and delivery count. A consumer\ngroup records its committed offsets (everything after them counts as waiting) and, with\n--exec on a data dir, the delivery counts of a failing batch (shown as retried).\n\nExit code 66 when the group does not exist."
)]
pub struct GroupPendingArgs {
    /// The group (consumer or share)
    pub group: String,
    #[command(flatten)]
    pub format: AdminFormatFlag,
}

pub fn cmd_group_pending(ctx: &Context, args: &GroupPendingArgs) -> Result<()> {
    let mut report = ctx.backend()?.group_pending(&args.group)?;
    if report.group_type == GroupType::Consumer && ctx.kafka.is_none() {
        add_pipeline_retries(ctx, &mut report)?;
    }
    print_report(&render_pending(&report, args.format.get()))
}

/// The records a consumer group's pipeline failed on and will run again,
/// past the committed offsets, with their delivery counts.
fn add_pipeline_retries(ctx: &Context, report: &mut PendingReport) -> Result<()> {
    let paths = GroupPaths::in_groups_dir(&Layout::new(&ctx.data_dir).groups_dir(), &report.group)?;
    let store = DeliveryStore::new(paths.exec_dir());
    for p in &mut report.partitions {
        let from = p.position.unwrap_or(0);
        for (offset, count) in store.load(&p.topic, p.partition)?.into_iter().filter(|(o, _)| *o >= from) {
            p.records.push(PendingRecord {
                offset,
                state: RecordState::Available,
                member_id: None,
                age_ms: None,
                delivery_count: count,
            });
        }
        p.retried = p.records.len() as u64;
    }
    report.retried = report.partitions.iter().map(|p| p.retried).sum();
    Ok(())
}

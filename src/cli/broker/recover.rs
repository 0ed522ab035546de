//! `runnel broker recover ID`.

use std::io::IsTerminal;

use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::format::{AdminFormatFlag, print_report};
use crate::cli::global::Context;
use crate::cli::hints;
use crate::cluster::{RecoverMode, RecoverProgress};
use crate::error::Result;
use crate::output::brokers::render_recover_report;

#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:
  runnel broker recover 1
  rm -rf \"$RUNNEL_DATA_DIR/broker-1\"
  runnel broker recover 1                 # rebuild a lost disk
  runnel broker recover 1 --format json |
      jq '.replicas[] | select(.rejoined_isr)'
  runnel log verify || runnel broker recover 2 --repair   # rebuild damage

Each replica of the broker is cut where its log diverges from the leader's (by leader epoch),
copies what it lacks and rejoins the ISR. A progress bar shows on stderr when it is a terminal
(not with -q). Then one row per replica: TRUNCATED (log end before -> after the cut),
RECORDS-COPIED, REBUILT (the folder was missing), ISR (rejoined, in sync, leader, offline).
With --repair, every frame of the broker's replicas is checked first (a full read); a damaged
replica is dropped and rebuilt from an in-sync replica on another broker.")]
pub struct BrokerRecoverArgs {
    /// The broker to bring back
    pub id: u32,
    /// Also verify every frame of its replicas and rebuild damaged ones from in-sync replicas
    #[arg(long)]
    pub repair: bool,
    #[command(flatten)]
    pub format: AdminFormatFlag,
}

pub fn cmd_broker_recover(ctx: &Context, args: &BrokerRecoverArgs) -> Result<()> {
    let cluster = ctx.existing_cluster()?;
    let bar = (!ctx.quiet && std::io::stderr().is_terminal()).then(progress_bar);
    let mode = if args.repair { RecoverMode::Repair } else { RecoverMode::CatchUp };
    let report = cluster.recover_broker_with(args.id, mode, |p: RecoverProgress| {
        if let Some(bar) = &bar {
            bar.set_length(p.total);
            bar.set_position(p.copied);
            bar.set_message(format!("{}-{}", p.topic, p.partition));
        }
    });
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let mut report = report?;
    for r in &mut report.replicas {
        if let (Some(why), Some(hint)) = (&mut r.skipped, r.skipped_because.as_ref().and_then(hints::hint)) {
            why.push_str(&format!("; {hint}"));
        }
    }
    let rejoined = report.replicas.iter().filter(|r| r.rejoined_isr).count();
    let copied: u64 = report.replicas.iter().map(|r| r.records_copied).sum();
    let skipped = report.replicas.iter().filter(|r| r.skipped.is_some()).count();
    ctx.note(format!(
        "broker {} is up{}: {} replica{}, {rejoined} rejoined the ISR, {copied} record{} copied{}",
        args.id,
        if report.was_down { " again" } else { " (it was not down)" },
        report.replicas.len(),
        if report.replicas.len() == 1 { "" } else { "s" },
        if copied == 1 { "" } else { "s" },
        if skipped > 0 { format!(", {skipped} could not catch up") } else { String::new() }
    ));
    for r in report.replicas.iter().filter(|r| r.repaired.is_some()) {
        ctx.note(format!("{}-{}: damaged replica rebuilt from an in-sync replica", r.topic, r.partition));
    }
    print_report(&render_recover_report(&report, args.format.get()))
}

fn progress_bar() -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    let style =
        ProgressStyle::with_template("{spinner} catching up {msg:<16} [{bar:30}] {human_pos}/{human_len} records")
            .map(|s| s.progress_chars("=> "))
            .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}

//! `runnel log verify [TOPIC[:P]] [--repair]`: checks every replica of the
//! selected partitions and every metadata file; prints a report; exit 74
//! (naming the first damage, file and byte position) unless all is healthy.
//! Reads only, unless `--repair`: then what a healthy in-sync replica can fix
//! is repaired (each repair one `repaired` line on stderr, each damage left
//! one `not repaired` line), and the report is of the data dir afterwards.
//! Temporary files left by interrupted metadata writes are not damage: a
//! note counts them, and `--repair` removes them.

use clap::Args;

use crate::cli::format::{AdminFormatFlag, print_report};
use crate::cli::global::Context;
use crate::cli::global::stderr_line;
use crate::cli::hints::{CommandResult, WithHint};
use crate::cli::progress;
use crate::cluster::admin::verify_data_dir::{VerifyReport, VerifySelection};
use crate::error::Error;
use crate::output::log::render_verify;

#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:
  runnel log verify
  runnel log verify rides
  runnel log verify rides:2 --format json |
      jq '.replicas[] | select(.status != \"ok\")'
  runnel log verify --repair

A write cut short at the end of a log (left by a crash) is reported as torn-tail and is not
damage: the next producer cuts it. A whole frame that fails its checks is damage wherever it is.
--repair rebuilds damaged, short or lost replicas from a healthy in-sync replica, and damaged
indexes from their segments; what it cannot repair it names, and exits 74. It also removes the
temporary files that metadata writes killed before their rename left (ten minutes old or more).")]
pub struct LogVerifyArgs {
    /// Only this topic, or one partition of it (TOPIC:P) [default: everything]
    #[arg(value_name = "TOPIC[:P]")]
    pub target: Option<String>,
    /// Repair what a healthy in-sync replica can fix, then report again
    #[arg(long)]
    pub repair: bool,
    #[command(flatten)]
    pub format: AdminFormatFlag,
}

/// Parses `TOPIC` or `TOPIC:P`.
pub fn parse_target(text: &str) -> CommandResult<VerifySelection> {
    match text.rsplit_once(':') {
        None => Ok(VerifySelection { topic: Some(text.to_string()), partition: None }),
        Some((topic, p)) => {
            let partition = p.parse::<u32>().map_err(|_| {
                Error::usage(format!("'{text}' is not TOPIC or TOPIC:PARTITION")).with_hint("for example rides:0")
            })?;
            Ok(VerifySelection { topic: Some(topic.to_string()), partition: Some(partition) })
        }
    }
}

pub fn cmd_log_verify(ctx: &Context, args: &LogVerifyArgs) -> CommandResult<()> {
    let selection = match &args.target {
        Some(text) => parse_target(text)?,
        None => VerifySelection::default(),
    };
    let cluster = ctx.existing_cluster()?;
    let verify = || -> crate::error::Result<VerifyReport> {
        let mut bar = None;
        let report = cluster.verify(&selection, |done, total| {
            let bar = bar.get_or_insert_with(|| progress::bar(ctx, total, "verifying"));
            if let Some(bar) = bar {
                bar.set_position(done);
            }
        })?;
        if let Some(Some(bar)) = bar {
            bar.finish_and_clear();
        }
        Ok(report)
    };
    let mut report = verify()?;
    let needs_repair = !report.is_healthy() || !report.behind.is_empty() || !report.stale_temp_files.is_empty();
    if args.repair && needs_repair {
        let outcome = cluster.repair(&report)?;
        for line in &outcome.repaired {
            stderr_line(format!("runnel: repaired: {line}"));
        }
        for line in &outcome.unrepaired {
            stderr_line(format!("runnel: not repaired: {line}"));
        }
        report = verify()?;
    }
    print_report(&render_verify(&report, args.format.get()))?;
    if let Some(first) = report.stale_temp_files.first() {
        let first = first.display();
        ctx.note(match report.stale_temp_files.len() {
            1 => format!(
                "runnel: {first} is a temporary file left by an interrupted metadata write (not damage); \
                 `runnel log verify --repair` removes it"
            ),
            n => format!(
                "runnel: {n} temporary files left by interrupted metadata writes (not damage), such as {first}; \
                 `runnel log verify --repair` removes them"
            ),
        });
    }
    match report.first_damage() {
        Some(error) => Err(error.into()),
        None => Ok(()),
    }
}

//! `runnel group reset-offsets G`: Kafka's `--reset-offsets`, a dry run
//! (the plan) unless `--execute`.

use clap::{ArgGroup, Args};

use crate::cli::format::{AdminFormatFlag, print_report};
use crate::cli::global::Context;
use crate::consumer::Position;
use crate::consumer::group::{ResetScope, ResetSpec, ResetTarget};
use crate::error::{Error, IoContext, Result};
use crate::output::groups::{render_reset_csv, render_reset_plan};

#[derive(Debug, Clone, Args)]
#[command(
    group(ArgGroup::new("scope").required(true).args(["topics", "all_topics", "from_file"])),
    group(ArgGroup::new("target").required(true).args(["to_earliest", "to_latest", "to_current", "to_offset", "shift_by", "to_datetime", "by_duration", "from_file"])),
    after_help = "Examples:
  runnel group reset-offsets billing --topic rides --to-earliest   # the plan
  runnel group reset-offsets billing --topic rides --to-earliest --execute
  runnel group reset-offsets billing --topic rides:0,2 --shift-by -100 --execute
  runnel group reset-offsets billing --all-topics --to-datetime -1h --execute
  runnel group reset-offsets billing --topic rides --by-duration PT1H30M
  runnel group reset-offsets billing --all-topics --to-current --export \\
      > plan.csv
  runnel group reset-offsets billing --from-file plan.csv --execute

New offsets are kept between each partition's log start and log end. --all-topics covers the
partitions the group has committed offsets for; --shift-by needs a committed offset (as in
Kafka). Refused while the group has live members (they would overwrite the new offsets): stop
its consumers first."
)]
pub struct GroupResetOffsetsArgs {
    /// The group whose committed offsets move
    pub group: String,
    /// A topic, or some of its partitions as TOPIC:0,1,2 (repeatable)
    #[arg(long = "topic", value_name = "TOPIC[:P,...]", value_parser = parse_scope)]
    pub topics: Vec<ResetScope>,
    /// Every partition the group has committed offsets for
    #[arg(long)]
    pub all_topics: bool,
    /// To each partition's log start
    #[arg(long)]
    pub to_earliest: bool,
    /// To each partition's log end (skip everything not read yet)
    #[arg(long)]
    pub to_latest: bool,
    /// To the committed offset (the log end where there is none): a plan to --export
    #[arg(long)]
    pub to_current: bool,
    /// To this offset
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub to_offset: Option<u64>,
    /// Forward (N) or back (-N) from the committed offset
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub shift_by: Option<i64>,
    /// To the first message at or after this time: @UNIX_MS, an RFC 3339 time or -DURATION (-1h)
    #[arg(long, value_name = "TIME", value_parser = parse_time, allow_hyphen_values = true)]
    pub to_datetime: Option<i64>,
    /// To the first message at or after this long ago: an ISO-8601 duration (PT1H30M, P1D) or 1h30m
    #[arg(long, value_name = "DURATION", value_parser = parse_duration_ago, allow_hyphen_values = true)]
    pub by_duration: Option<i64>,
    /// To the offsets in this CSV file (topic,partition,offset per line, as --export prints)
    #[arg(long, value_name = "PATH")]
    pub from_file: Option<std::path::PathBuf>,
    /// Apply the plan (without it, only show it)
    #[arg(long, conflicts_with = "dry_run")]
    pub execute: bool,
    /// Only show the plan (the default)
    #[arg(long)]
    pub dry_run: bool,
    /// Print the plan as Kafka's CSV (topic,partition,offset), for --from-file
    #[arg(long)]
    pub export: bool,
    #[command(flatten)]
    pub format: AdminFormatFlag,
}

fn parse_scope(text: &str) -> std::result::Result<ResetScope, String> {
    ResetScope::parse(text).map_err(|e| e.message)
}

/// The time forms of `--from`: `@UNIX_MS`, RFC 3339 (any offset), Kafka's
/// zoneless `yyyy-MM-ddTHH:mm:ss.SSS` (UTC), `-DURATION`.
fn parse_time(text: &str) -> std::result::Result<i64, String> {
    match Position::parse(text) {
        Ok(Position::Time(ms)) => Ok(ms),
        _ => Err(format!(
            "invalid time '{text}': use @UNIX_MS, an RFC 3339 time (2026-11-25T10:00:00Z) or -DURATION (-15m)"
        )),
    }
}

/// `--by-duration`: Kafka's ISO-8601 durations (`PT1H30M`, `P1DT2H`, days
/// of 24 hours) or the short forms (`1h30m`), as a time that long ago.
fn parse_duration_ago(text: &str) -> std::result::Result<i64, String> {
    let bad = || format!("invalid duration '{text}': use an ISO-8601 duration (PT1H30M, P1D) or 1h30m");
    let span: jiff::Span = text.trim().parse().map_err(|_| bad())?;
    let duration = span.to_duration(jiff::SpanRelativeTo::days_are_24_hours()).map_err(|_| bad())?;
    if duration.is_negative() {
        return Err(bad());
    }
    Ok(crate::sys::clock::now_ms().saturating_sub(duration.as_millis().try_into().unwrap_or(i64::MAX)))
}

impl GroupResetOffsetsArgs {
    fn target(&self) -> Result<ResetTarget> {
        if let Some(path) = &self.from_file {
            let text = std::fs::read_to_string(path).at("read", path)?;
            return ResetTarget::parse_plan(&self.group, &text);
        }
        let time = self.to_datetime.or(self.by_duration);
        Ok(match (self.to_earliest, self.to_latest, self.to_current, self.to_offset, self.shift_by, time) {
            (true, ..) => ResetTarget::Earliest,
            (_, true, ..) => ResetTarget::Latest,
            (_, _, true, ..) => ResetTarget::Current,
            (_, _, _, Some(n), ..) => ResetTarget::Offset(n),
            (_, _, _, _, Some(n), _) => ResetTarget::ShiftBy(n),
            (.., Some(ms)) => ResetTarget::Datetime(ms),
            _ => {
                return Err(Error::usage(
                    "where to? pass one of --to-earliest, --to-latest, --to-current, --to-offset N, --shift-by N, --to-datetime TIME, --by-duration DURATION or --from-file PATH",
                ));
            }
        })
    }
}

pub fn cmd_group_reset_offsets(ctx: &Context, args: &GroupResetOffsetsArgs) -> Result<()> {
    let spec = ResetSpec { scopes: args.topics.clone(), target: args.target()? };
    let mut bar = None;
    let plan = ctx.backend()?.reset_offsets(&args.group, &spec, args.execute, &mut |done, total| {
        let bar = bar.get_or_insert_with(|| crate::cli::progress::bar(ctx, total, "planning"));
        if let Some(bar) = bar {
            bar.set_position(done);
        }
    });
    if let Some(Some(bar)) = bar {
        bar.finish_and_clear();
    }
    let plan = plan?;
    let report = if args.export { render_reset_csv(&plan) } else { render_reset_plan(&plan, args.format.get()) };
    print_report(&report)?;
    let partitions = format!("{} partition{}", plan.len(), if plan.len() == 1 { "" } else { "s" });
    if args.execute {
        ctx.note(format!("reset the committed offsets of {partitions} in group '{}'", args.group));
    } else {
        ctx.note(format!("dry run: nothing changed ({partitions}); add --execute to apply this plan"));
    }
    Ok(())
}

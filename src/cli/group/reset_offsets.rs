//! `runnel group reset-offsets G`: Kafka's `--reset-offsets`, a dry run
//! (the plan) unless `--execute`.

use clap::{ArgGroup, Args};

use crate::cli::format::{AdminFormatFlag, print_report};
use crate::cli::global::Context;
use crate::consumer::Position;
use crate::consumer::group::{ResetScope, ResetSpec, ResetTarget, reset_offsets_with_progress};
use crate::error::{Error, Result};
use crate::output::groups::render_reset_plan;

#[derive(Debug, Clone, Args)]
#[command(
    group(ArgGroup::new("scope").required(true).args(["topics", "all_topics"])),
    group(ArgGroup::new("target").required(true).args(["to_earliest", "to_latest", "to_offset", "shift_by", "to_datetime"])),
    after_help = "Examples:
  runnel group reset-offsets billing --topic rides --to-earliest            # show the plan
  runnel group reset-offsets billing --topic rides --to-earliest --execute  # apply it
  runnel group reset-offsets billing --topic rides:0,2 --shift-by -100 --execute
  runnel group reset-offsets billing --all-topics --to-datetime -1h --execute
  runnel group reset-offsets billing --topic rides --to-datetime 2026-11-25T10:00:00Z

New offsets are kept between each partition's log start and log end. Refused while the group
has live members (they would overwrite the new offsets): stop its consumers first."
)]
pub struct GroupResetOffsetsArgs {
    /// The group whose committed offsets move
    pub group: String,
    /// A topic, or some of its partitions as TOPIC:0,1,2 (repeatable)
    #[arg(long = "topic", value_name = "TOPIC[:P,...]", value_parser = parse_scope)]
    pub topics: Vec<ResetScope>,
    /// Every topic the group has committed offsets for
    #[arg(long)]
    pub all_topics: bool,
    /// To each partition's log start
    #[arg(long)]
    pub to_earliest: bool,
    /// To each partition's log end (skip everything not read yet)
    #[arg(long)]
    pub to_latest: bool,
    /// To this offset
    #[arg(long, value_name = "N")]
    pub to_offset: Option<u64>,
    /// Forward (N) or back (-N) from the committed offset
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub shift_by: Option<i64>,
    /// To the first message at or after this time: @UNIX_MS, an RFC 3339 time or -DURATION (-1h)
    #[arg(long, value_name = "TIME", value_parser = parse_time, allow_hyphen_values = true)]
    pub to_datetime: Option<i64>,
    /// Apply the plan (without it, only show it)
    #[arg(long)]
    pub execute: bool,
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

impl GroupResetOffsetsArgs {
    fn target(&self) -> Result<ResetTarget> {
        Ok(match (self.to_earliest, self.to_latest, self.to_offset, self.shift_by, self.to_datetime) {
            (true, ..) => ResetTarget::Earliest,
            (_, true, ..) => ResetTarget::Latest,
            (_, _, Some(n), ..) => ResetTarget::Offset(n),
            (_, _, _, Some(n), _) => ResetTarget::ShiftBy(n),
            (.., Some(ms)) => ResetTarget::Datetime(ms),
            _ => {
                return Err(Error::usage(
                    "where to? pass one of --to-earliest, --to-latest, --to-offset N, --shift-by N or --to-datetime TIME",
                ));
            }
        })
    }
}

pub fn cmd_group_reset_offsets(ctx: &Context, args: &GroupResetOffsetsArgs) -> Result<()> {
    let spec = ResetSpec { scopes: args.topics.clone(), target: args.target()? };
    let cluster = ctx.cluster()?;
    let mut bar = None;
    let plan = reset_offsets_with_progress(&cluster, &args.group, &spec, args.execute, |done, total| {
        let bar = bar.get_or_insert_with(|| crate::cli::progress::bar(ctx, total, "planning"));
        if let Some(bar) = bar {
            bar.set_position(done);
        }
    });
    if let Some(Some(bar)) = bar {
        bar.finish_and_clear();
    }
    let plan = plan?;
    print_report(&render_reset_plan(&plan, args.format.get()))?;
    let partitions = format!("{} partition{}", plan.len(), if plan.len() == 1 { "" } else { "s" });
    if args.execute {
        ctx.note(format!("reset the committed offsets of {partitions} in group '{}'", args.group));
    } else {
        ctx.note(format!("dry run: nothing changed ({partitions}); add --execute to apply this plan"));
    }
    Ok(())
}

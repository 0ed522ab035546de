//! `runnel group wait G --lag N | --members N | --state S`: blocks until a
//! group reaches a point, for scripts and CI ("wait until billing has read
//! everything"). Exit 0 when reached, 124 when `--timeout` runs out first.

use std::time::Duration;

use clap::{Args, ValueEnum};

use crate::cli::global::{Context, parse_duration};
use crate::cli::waiting::wait_until;
use crate::consumer::group::{GroupDescription, GroupStateName};
use crate::error::{Error, Result};
use crate::output::words::count;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StateArg {
    Stable,
    PreparingRebalance,
    CompletingRebalance,
    Empty,
    Dead,
}

#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:
  runnel group wait billing --lag 0 --timeout 30s && echo 'billing is caught up'
  runnel group wait billing --members 3 --state stable   # all three joined
  runnel group wait billing --state empty                # every member has left

Exit codes: 0 when reached, 124 when --timeout ran out, 66 for an unknown group (after
--timeout, if it never appears).")]
pub struct GroupWaitArgs {
    /// The group to watch
    pub group: String,
    /// Until the group's total lag is at most N (partitions never committed count in full)
    #[arg(long, value_name = "N", required_unless_present_any = ["members", "state"])]
    pub lag: Option<u64>,
    /// Until the group has exactly N live members
    #[arg(long, value_name = "N")]
    pub members: Option<usize>,
    /// Until the group is in this state
    #[arg(long, value_enum)]
    pub state: Option<StateArg>,
    /// Give up after this long (exit 124)
    #[arg(long, default_value = "30s", value_parser = parse_duration, value_name = "DURATION")]
    pub timeout: Duration,
}

pub fn cmd_group_wait(ctx: &Context, args: &GroupWaitArgs) -> Result<()> {
    let backend = ctx.backend()?;
    let mut last = None;
    // Lag also moves with producers, whose appends are not watched: look again soon.
    let reached_it = wait_until(args.timeout, Duration::from_millis(200), |wakeup| {
        backend.watch_group(&args.group, wakeup);
        let description = if backend.group_type(&args.group)? == crate::consumer::share::GroupType::Share {
            backend.describe_share_group(&args.group)?.as_group_description()
        } else {
            backend.describe_group(&args.group)?
        };
        let done = reached(&description, args);
        last = Some(description);
        Ok(done)
    })?;
    if reached_it {
        return Ok(());
    }
    Err(Error::timed_out(format!(
        "group '{}' did not reach {} within {}{}",
        args.group,
        target_text(args),
        humantime::format_duration(args.timeout),
        last.map(|d| format!(" (now: {})", now_text(&d))).unwrap_or_default()
    )))
}

/// The lag to compare: partitions never committed count from their log start.
fn total_lag(d: &GroupDescription) -> u64 {
    d.offsets
        .iter()
        .map(|o| match (o.lag, o.log_end_offset, o.log_start_offset) {
            (Some(lag), _, _) => lag,
            (None, Some(end), start) => end.saturating_sub(start.unwrap_or(0)),
            (None, None, _) => 0,
        })
        .sum()
}

fn state_matches(state: GroupStateName, want: StateArg) -> bool {
    matches!(
        (state, want),
        (GroupStateName::Stable, StateArg::Stable)
            | (GroupStateName::PreparingRebalance, StateArg::PreparingRebalance)
            | (GroupStateName::CompletingRebalance, StateArg::CompletingRebalance)
            | (GroupStateName::Empty, StateArg::Empty)
            | (GroupStateName::Dead, StateArg::Dead)
    )
}

fn reached(d: &GroupDescription, args: &GroupWaitArgs) -> bool {
    args.lag.is_none_or(|lag| total_lag(d) <= lag)
        && args.members.is_none_or(|n| d.members.len() == n)
        && args.state.is_none_or(|s| state_matches(d.state, s))
}

fn target_text(args: &GroupWaitArgs) -> String {
    let mut parts = Vec::new();
    if let Some(lag) = args.lag {
        parts.push(format!("lag {lag}"));
    }
    if let Some(n) = args.members {
        parts.push(count(n as u64, "member"));
    }
    if let Some(s) = args.state {
        parts.push(format!("state {s:?}"));
    }
    parts.join(", ")
}

fn now_text(d: &GroupDescription) -> String {
    format!("lag {}, {}, {:?}", total_lag(d), count(d.members.len() as u64, "member"), d.state)
}

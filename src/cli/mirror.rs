//! `runnel mirror --from A --to B [TOPIC...]`: copies topics between data
//! dirs and Kafka clusters, in either direction (`backend::mirror`).

use std::sync::atomic::Ordering;
use std::time::Instant;

use clap::Args;

use super::global::Context;
use crate::backend::mirror::endpoint::Endpoint;
use crate::backend::mirror::{MirrorOptions, Selection, mirror};
use crate::cli::hints::{CommandResult, WithHint};
use crate::error::Error;

#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:
  runnel mirror --from /var/lib/runnel --to k1:9092,k2:9092   # every topic
  runnel mirror --from 127.0.0.1:9092 --to ./backup rides audits
  runnel mirror --from kafka://prod:9092 --to dir:./copy -r 'rides.*' --follow

--from and --to: kafka://HOST:PORT[,...] and dir:PATH say what they are; otherwise a value with a
`,` list or ending in :PORT (and not an existing path) is bootstrap servers, anything else a data
dir (one is created at --to when the folder is absent or empty). -X properties apply to both
Kafka ends.

Each record goes to the same partition number with its key, value (null kept apart from empty),
headers and timestamp; the target topic is created with the source's partition count and the
configs set on it (grown when the source grows). Offsets are the same on both sides when the
source starts at offset 0 with no gaps; a compacted or trimmed source is copied densely (as
Kafka's MirrorMaker does). Progress is the mirror's group on the source (runnel-mirror-<target
cluster id>, or --group): committed only once the target has the records on every in-sync
replica, so a mirror stopped or killed at any point resumes without loss: from the target's end
where offsets line up (nothing copied twice), else from its last commit (what it copied after
that is copied again: at least once).

Exit codes: 0 caught up (or, with --follow, stopped by Ctrl-C or SIGTERM); 2 usage, 65 a record
the target refuses (too large), 66 unknown topic, 69 unavailable, 73 the group has members,
74 I/O or corruption, 75 lock timeout, 1 other.")]
pub struct MirrorArgs {
    /// Where to copy from: a data dir or Kafka bootstrap servers
    #[arg(long, value_name = "DIR|BOOTSTRAP")]
    pub from: String,
    /// Where to copy to: a data dir or Kafka bootstrap servers
    #[arg(long, value_name = "DIR|BOOTSTRAP")]
    pub to: String,
    /// The topics to copy [default: every topic of the source, internal ones left out]
    pub topics: Vec<String>,
    /// The topics are regular expressions, each matching whole topic names ('rides.*')
    #[arg(short = 'r', long, requires = "topics")]
    pub regex: bool,
    /// Keep copying: new records, new partitions and (without named topics) new topics
    #[arg(short = 'F', long)]
    pub follow: bool,
    /// The mirror's group on the source, which keeps its progress
    /// [default: runnel-mirror-ID, ID the target's cluster id]
    #[arg(short, long, value_name = "G")]
    pub group: Option<String>,
    /// The replication factor of topics created on the target [default: the source's, at most
    /// the target's brokers]
    #[arg(long, value_name = "N")]
    pub replication_factor: Option<u32>,
}

impl MirrorArgs {
    fn selection(&self) -> CommandResult<Selection> {
        if !self.regex && !self.topics.is_empty() {
            return Ok(Selection::Named(self.topics.clone()));
        }
        let mut patterns = Vec::new();
        for text in &self.topics {
            patterns.push(regex::Regex::new(&format!("^(?:{text})$")).map_err(|e| {
                Error::usage(format!("invalid topic pattern '{text}': {}", e.to_string().replace('\n', " ")))
            })?);
        }
        Ok(Selection::Matching(patterns))
    }
}

pub fn cmd_mirror(ctx: &Context, args: &MirrorArgs) -> CommandResult<()> {
    let from = Endpoint::parse(&args.from)
        .map_err(|e| e.with_hint("--from takes DIR, dir:DIR, HOST:PORT or kafka://HOST:PORT"))?;
    let to = Endpoint::parse(&args.to)
        .map_err(|e| e.with_hint("--to takes DIR, dir:DIR, HOST:PORT or kafka://HOST:PORT"))?;
    if from.same_as(&to) {
        return Err(Error::usage("--from and --to name the same place; a topic cannot be mirrored onto itself").into());
    }
    if args.replication_factor == Some(0) {
        return Err(Error::usage("--replication-factor must be at least 1").into());
    }
    let properties = &ctx.client_properties;
    let source = from.backend(properties, ctx.lock_timeout)?;
    let target = to.backend(properties, ctx.lock_timeout)?;
    let selection = args.selection()?;
    let options = MirrorOptions {
        topics: selection,
        group: args.group.clone(),
        follow: args.follow,
        replication_factor: args.replication_factor,
    };
    let stop = super::consume::stop_on_signals()?;
    let started = Instant::now();
    let bar = super::progress::counter(ctx, "mirrored", "records");
    let result = mirror(source.as_ref(), target.as_ref(), &options, &stop, &mut |n| {
        if let Some(bar) = &bar {
            bar.set_position(n);
        }
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let report = result?;
    for w in &report.warnings {
        super::global::warn(w);
    }
    for name in &report.created {
        ctx.note(format!("created topic '{name}' on the {}", target.describe()));
    }
    let records = report.records();
    let seconds = started.elapsed().as_secs_f64();
    let why = if stop.load(Ordering::Relaxed) { "stopped" } else { "caught up" };
    ctx.note(format!(
        "mirrored {} ({}) of {} from the {} to the {} in {seconds:.2}s ({why}); progress committed in group '{}'",
        crate::output::words::count(records, "record"),
        crate::output::tables::human_bytes(report.bytes),
        crate::output::words::count(report.topics, "topic"),
        source.describe(),
        target.describe(),
        report.group,
    ));
    Ok(())
}

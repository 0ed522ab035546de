//! `mirror`: copying topics from one backend to another through the seam
//! alone — the source's [`Fetch`], the target's
//! [`AppendRecords`](super::AppendRecords), and the mirror's own group's
//! offsets on the source ([`GroupOffsets`](super::GroupOffsets)). Each
//! record goes to the same partition number with its key, value, headers
//! and timestamp; the target topic is created with the source's partition
//! count and the configs set on it. Offsets are committed on the source
//! only once what they cover is on every in-sync replica of the target, so
//! a mirror killed at any point resumes without loss. Records copied after
//! the last commit are not copied again where the offsets line up (the
//! mirror resumes from the target's end, see `resume`); otherwise they are
//! (at least once, as Kafka's MirrorMaker).

pub mod endpoint;
mod resume;
mod sink;
mod topics;

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::{Backend, Fetch, Warning};
use crate::consumer::{Position, StopReason, Until};
use crate::error::Result;
use sink::MirrorSink;
pub use topics::Selection;
use topics::TopicCopy;

/// At most this many records per read of the source; between reads the
/// mirror commits, looks for new topics and partitions, and checks `stop`.
const ROUND_RECORDS: u64 = 1_000_000;

/// With `--follow`, a read of the source ends when nothing came for this
/// long (then it looks for new partitions and reads again).
const FOLLOW_IDLE: Duration = Duration::from_millis(500);

/// What to mirror and how.
#[derive(Debug, Clone)]
pub struct MirrorOptions {
    pub topics: Selection,
    /// The mirror's group on the source (default: [`default_group`] of
    /// the target's cluster id).
    pub group: Option<String>,
    /// Keep copying new records (and partitions, and matching topics).
    pub follow: bool,
    /// The replication factor of topics created on the target [default:
    /// the source's, at most the target's brokers].
    pub replication_factor: Option<u32>,
}

/// The default group of a mirror to the cluster `target_id`.
pub fn default_group(target_id: &str) -> String {
    format!("runnel-mirror-{target_id}")
}

/// What a mirror did.
#[derive(Debug, Default)]
pub struct MirrorReport {
    /// The mirror's group on the source.
    pub group: String,
    /// Per topic: the records copied by this run.
    pub copied: BTreeMap<String, u64>,
    /// Topics mirrored.
    pub topics: u64,
    /// Topics created on the target by this run.
    pub created: Vec<String>,
    pub bytes: u64,
    pub warnings: Vec<Warning>,
}

impl MirrorReport {
    pub fn records(&self) -> u64 {
        self.copied.values().sum()
    }
}

/// Copies the selected topics of `source` to `target` until caught up
/// (with `follow`, until `stop` is set). `progress` hears the records
/// copied so far.
pub fn mirror(
    source: &dyn Backend,
    target: &dyn Backend,
    options: &MirrorOptions,
    stop: &AtomicBool,
    progress: &mut dyn FnMut(u64),
) -> Result<MirrorReport> {
    let group = match &options.group {
        Some(group) => group.clone(),
        None => {
            // The target made to exist (a data dir in an absent or empty
            // folder) before its id names the group.
            let first = topics::select(source, options, true)?;
            if let Some(meta) = first.first() {
                target.find_topic(&meta.name)?;
            }
            default_group(&target.cluster_id()?)
        }
    };
    let mut report = MirrorReport { group, ..MirrorReport::default() };
    let mut offsets = source.group_offsets(&report.group)?;
    let mut copies: BTreeMap<String, TopicCopy> = BTreeMap::new();
    let mut next: BTreeMap<(String, u32), u64> = BTreeMap::new();
    topics::refresh(source, target, options, offsets.as_mut(), &mut copies, &mut next, &mut report, true)?;
    let mut copied_before = 0;
    loop {
        let reason = {
            let mut fetcher = source.fetcher()?;
            let until = if options.follow { Until::Never } else { Until::End };
            assign(fetcher.as_mut(), &copies, &next, until)?;
            fetcher.set_max_messages(Some(ROUND_RECORDS));
            let mut sink = MirrorSink::new(&mut copies, offsets.as_mut(), &mut next, progress, copied_before);
            let idle = options.follow.then_some(FOLLOW_IDLE);
            let ran = fetcher.run(&mut sink, idle);
            let outcome = sink.finish(ran);
            copied_before = sink.copied_total();
            sink.count_into(&mut report);
            outcome?
        };
        report.topics = copies.len() as u64;
        if stop.load(Ordering::Relaxed) || (!options.follow && reason != StopReason::CountReached) {
            break;
        }
        if options.follow {
            topics::refresh(source, target, options, offsets.as_mut(), &mut copies, &mut next, &mut report, false)?;
        }
    }
    Ok(report)
}

/// Assigns every partition of every copied topic from its next offset
/// (the committed one, else the beginning).
fn assign(
    fetcher: &mut dyn Fetch,
    copies: &BTreeMap<String, TopicCopy>,
    next: &BTreeMap<(String, u32), u64>,
    until: Until,
) -> Result<()> {
    for (name, copy) in copies {
        for p in 0..copy.source_partitions {
            let from = next.get(&(name.clone(), p)).map_or(Position::Beginning, |&n| Position::Offset(n));
            fetcher.assign(name, Some(p), from, until)?;
        }
    }
    Ok(())
}

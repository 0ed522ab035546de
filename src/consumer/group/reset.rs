//! `group reset-offsets` and `group delete`: admin changes to a group's
//! committed offsets and files, made under the group lock and refused while
//! the group has live members (they would overwrite or lose them).

use serde::Serialize;

use super::admin::{Inspection, existing_group, leader_log_end};
use super::delivery::CommitPoint;
use super::offsets::{OffsetsFile, lock_group};
use super::paths::GroupPaths;
use crate::cluster::{Cluster, TopicMeta};
use crate::consumer::TopicPartition;
use crate::consumer::fetch::offline;
use crate::error::{Error, IoContext, Reason, Result};
use crate::store;
use crate::sys::ids::new_id;

/// Where the offsets move to (Kafka's `--to-*`, `--shift-by`,
/// `--by-duration` and `--from-file`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResetTarget {
    Earliest,
    Latest,
    /// The committed offset (log end where there is none), Kafka's `--to-current`.
    Current,
    Offset(u64),
    /// From the committed offset; a partition without one is an error, as in Kafka.
    ShiftBy(i64),
    /// The first offset at or after this time (ms since the epoch); also
    /// `--by-duration`, resolved to now minus the duration.
    Datetime(i64),
    /// Offsets per partition, Kafka's `--from-file` CSV (`topic,partition,offset`).
    FromFile(Vec<(TopicPartition, u64)>),
}

impl ResetTarget {
    /// Parses Kafka's reset CSV (what `--export` prints): `topic,partition,offset`
    /// lines, or `group,topic,partition,offset` lines of which only `group`'s count.
    pub fn parse_plan(group: &str, text: &str) -> Result<ResetTarget> {
        let mut plan = Vec::new();
        for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            let fields: Vec<&str> = line.split(',').map(str::trim).collect();
            let bad = || {
                Error::bad_input(format!(
                    "line {}: '{}' is not topic,partition,offset (or group,topic,partition,offset)",
                    i + 1,
                    line.escape_default()
                ))
            };
            let (topic, partition, offset) = match fields.as_slice() {
                [topic, partition, offset] => (*topic, *partition, *offset),
                [g, topic, partition, offset] if *g == group => (*topic, *partition, *offset),
                [_, _, _, _] => continue,
                _ => return Err(bad()),
            };
            let partition = partition.parse::<u32>().map_err(|_| bad())?;
            let offset = offset.parse::<u64>().map_err(|_| bad())?;
            plan.push((TopicPartition::new(topic, partition), offset));
        }
        if plan.is_empty() {
            return Err(Error::bad_input(format!("the reset plan has no line for group '{group}'")));
        }
        Ok(ResetTarget::FromFile(plan))
    }
}

/// Which partitions: a whole topic (`T`) or some of its partitions (`T:0,1,2`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResetScope {
    pub topic: String,
    pub partitions: Option<Vec<u32>>,
}

impl ResetScope {
    /// The partitions the scope names: those listed, else every one of the
    /// topic's `count` (asked only then).
    pub fn partitions_or_all(&self, count: impl FnOnce() -> Result<u32>) -> Result<Vec<u32>> {
        match &self.partitions {
            Some(listed) => Ok(listed.clone()),
            None => Ok((0..count()?).collect()),
        }
    }

    /// Parses `T` or `T:0,1,2`.
    pub fn parse(text: &str) -> Result<ResetScope> {
        let Some((topic, list)) = text.split_once(':') else {
            return Ok(ResetScope { topic: text.to_string(), partitions: None });
        };
        let partitions = list
            .split(',')
            .map(|p| {
                p.trim()
                    .parse::<u32>()
                    .map_err(|_| Error::usage(format!("invalid partition '{p}' in '{text}': use TOPIC or TOPIC:0,1,2")))
            })
            .collect::<Result<Vec<u32>>>()?;
        Ok(ResetScope { topic: topic.to_string(), partitions: Some(partitions) })
    }
}

/// What to reset: the scopes (none: every topic the group has offsets
/// for) and the target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResetSpec {
    pub scopes: Vec<ResetScope>,
    pub target: ResetTarget,
}

/// One partition of a reset plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OffsetReset {
    pub topic: String,
    pub partition: u32,
    pub current: Option<u64>,
    pub new: u64,
}

/// Refuses (exit 73) while the group, of either kind, has live members.
pub(crate) fn refuse_live(paths: &GroupPaths, what: &str) -> Result<()> {
    let ids: Vec<String> = if paths.share_file().exists() {
        crate::consumer::share::admin::live_members(paths)?.into_iter().map(|m| m.member_id).collect()
    } else {
        Inspection::read(paths)?.live.into_iter().map(|m| m.member_id).collect()
    };
    if ids.is_empty() {
        return Ok(());
    }
    Err(Error::conflict(format!(
        "cannot {what} group '{}' while it has {} active member(s): {}",
        paths.group(),
        ids.len(),
        ids.join(", ")
    ))
    .because(Reason::GroupHasMembers { group: paths.group().to_string(), members: ids.clone() }))
}

/// The group's committed offsets (none for a group that does not exist),
/// read by a process outside the group.
pub fn committed_offsets(cluster: &Cluster, group: &str) -> Result<Vec<(String, u32, u64)>> {
    let paths = GroupPaths::new(cluster, group)?;
    if !paths.exists() {
        return Ok(Vec::new());
    }
    Ok(OffsetsFile::load(&paths)?.offsets.into_iter().map(|c| (c.topic, c.partition, c.offset)).collect())
}

/// Commits `offsets` (topic, partition, next offset) for a process outside
/// the group (the mirror's own group, as Kafka's OffsetCommit outside a
/// generation): under the group lock, refused while the group has members.
pub fn commit_outside(cluster: &Cluster, group: &str, offsets: &[(String, u32, u64)]) -> Result<()> {
    if offsets.is_empty() {
        return Ok(());
    }
    let paths = GroupPaths::new(cluster, group)?;
    let _guard = lock_group(cluster, &paths)?;
    refuse_live(&paths, "commit offsets for")?;
    let mut file = OffsetsFile::load(&paths)?;
    for (topic, partition, offset) in offsets {
        file.set(topic, *partition, CommitPoint { offset: *offset, leader_epoch: None }, None, 0);
    }
    file.save(&paths)
}

/// Plans (and with `execute`, applies) a reset of the group's offsets.
pub fn reset_offsets(cluster: &Cluster, group: &str, spec: &ResetSpec, execute: bool) -> Result<Vec<OffsetReset>> {
    reset_offsets_with_progress(cluster, group, spec, execute, |_, _| {})
}

/// [`reset_offsets`], telling `progress(done, total)` how many partitions
/// of the plan are worked out (each costs a look at its leader's log).
pub fn reset_offsets_with_progress(
    cluster: &Cluster,
    group: &str,
    spec: &ResetSpec,
    execute: bool,
    mut progress: impl FnMut(u64, u64),
) -> Result<Vec<OffsetReset>> {
    let paths = GroupPaths::new(cluster, group)?;
    let _guard = if execute { Some(lock_group(cluster, &paths)?) } else { None };
    refuse_live(&paths, "reset the offsets of")?;
    let mut offsets = OffsetsFile::load(&paths)?;
    let known: Vec<TopicPartition> =
        offsets.offsets.iter().map(|c| TopicPartition::new(&c.topic, c.partition)).collect();
    let work = partitions_to_reset(cluster, group, spec, &known)?;
    let mut plan = Vec::new();
    let total = work.iter().map(|(_, ps)| ps.len() as u64).sum();
    for (meta, partitions) in &work {
        for &p in partitions {
            progress(plan.len() as u64, total);
            let current = offsets.get(&meta.name, p).map(|c| c.offset);
            let new = target_offset(cluster, group, meta, p, current, &spec.target)?;
            plan.push(OffsetReset { topic: meta.name.clone(), partition: p, current, new });
        }
    }
    if execute {
        for r in &plan {
            offsets.set(&r.topic, r.partition, CommitPoint { offset: r.new, leader_epoch: None }, None, 0);
        }
        offsets.save(&paths)?;
        // A reset asks for the records again: `consume --exec --to`'s
        // exactly-once intents of these partitions (`pipeline::exactly_once`,
        // `exec/<topic>-<partition>.json`) must not mark them done.
        // Their delivery counts (`pipeline::deliveries`) start over too.
        for r in &plan {
            let exec = paths.dir().join("exec");
            crate::sys::json_file::remove(&exec.join(format!("{}-{}.json", r.topic, r.partition)))?;
            crate::sys::json_file::remove(&exec.join(format!("{}-{}.deliveries.json", r.topic, r.partition)))?;
        }
    }
    Ok(plan)
}

/// The offset `target` names for `meta`'s partition `p`, whose current
/// position (committed offset, or a share group's start offset) is
/// `current`, within the log's bounds; a usage error when the topic has no
/// partition `p`.
pub(crate) fn target_offset(
    cluster: &Cluster,
    group: &str,
    meta: &TopicMeta,
    p: u32,
    current: Option<u64>,
    target: &ResetTarget,
) -> Result<u64> {
    let count = meta.partition_count();
    if p >= count {
        return Err(Error::usage(format!(
            "topic '{}' has no partition {p} (it has partitions 0 to {})",
            meta.name,
            count.saturating_sub(1)
        )));
    }
    let log = leader_log_end(cluster, meta, p)?.ok_or_else(|| offline(&meta.name, p))?;
    let wanted: i128 = match target {
        ResetTarget::Earliest => log.start_offset.into(),
        ResetTarget::Latest => log.end_offset.into(),
        ResetTarget::Current => current.unwrap_or(log.end_offset).into(),
        ResetTarget::Offset(n) => (*n).into(),
        ResetTarget::FromFile(plan) => {
            let wanted = plan.iter().rev().find(|(tp, _)| tp.topic == meta.name && tp.partition == p);
            wanted.map_or(log.end_offset, |(_, offset)| *offset).into()
        }
        ResetTarget::ShiftBy(d) => {
            let Some(current) = current else {
                return Err(Error::usage(format!(
                    "cannot shift the offset of {}-{p} in group '{group}': it has no committed offset (as in Kafka); reset it --to-earliest, --to-latest or --to-offset first",
                    meta.name
                )));
            };
            i128::from(current) + i128::from(*d)
        }
        ResetTarget::Datetime(ms) => {
            let leader = meta.partition(p).and_then(|s| s.leader).ok_or_else(|| offline(&meta.name, p))?;
            let dir = cluster.layout().replica_dir(leader, &meta.name, p);
            store::offset_for_timestamp(&dir, *ms)?.unwrap_or(log.end_offset).into()
        }
    };
    Ok(wanted.clamp(log.start_offset.into(), log.end_offset.into()) as u64)
}

/// The topics and partitions a reset covers: the named scopes (a whole
/// topic: every partition), the partitions of a `--from-file` plan, or with
/// no scope (`--all-topics`) every partition the group has a commit for, as
/// Kafka's `--all-topics` does.
pub(crate) fn partitions_to_reset(
    cluster: &Cluster,
    group: &str,
    spec: &ResetSpec,
    known: &[TopicPartition],
) -> Result<Vec<(TopicMeta, Vec<u32>)>> {
    let mut wanted: Vec<(String, Option<Vec<u32>>)> =
        spec.scopes.iter().map(|s| (s.topic.clone(), s.partitions.clone())).collect();
    if wanted.is_empty() {
        let committed: Vec<TopicPartition> = match &spec.target {
            ResetTarget::FromFile(plan) => plan.iter().map(|(tp, _)| tp.clone()).collect(),
            _ => known.to_vec(),
        };
        for tp in committed {
            match wanted.iter_mut().find(|(topic, _)| *topic == tp.topic) {
                Some((_, Some(partitions))) if !partitions.contains(&tp.partition) => partitions.push(tp.partition),
                Some(_) => {}
                None => wanted.push((tp.topic.clone(), Some(vec![tp.partition]))),
            }
        }
    }
    if wanted.is_empty() {
        return Err(Error::usage(format!("group '{group}' has no committed offsets; name the topics to reset")));
    }
    wanted
        .into_iter()
        .map(|(topic, partitions)| {
            let meta = cluster.topic(&topic)?;
            let mut partitions = partitions.unwrap_or_else(|| (0..meta.partition_count()).collect());
            partitions.sort_unstable();
            Ok((meta, partitions))
        })
        .collect()
}

/// Deletes a group and its committed offsets; refused while it has live members.
pub fn delete_group(cluster: &Cluster, group: &str) -> Result<()> {
    let paths = existing_group(cluster, group)?;
    let guard = lock_group(cluster, &paths)?;
    refuse_live(&paths, "delete")?;
    // Rename first (one atomic step), then remove: '#' is never in a group name.
    let doomed = cluster.layout().groups_dir().join(format!("#deleted-{}", new_id()));
    std::fs::rename(paths.dir(), &doomed).at("rename", paths.dir())?;
    drop(guard);
    // The rename was the delete; what this removal leaves is invisible
    // (names with '#' are no groups) and never makes the delete a failure.
    let _ = std::fs::remove_dir_all(&doomed);
    Ok(())
}

//! `group reset-offsets` and `group delete`: admin changes to a group's
//! committed offsets and files, made under the group lock and refused while
//! the group has live members (they would overwrite or lose them).

use serde::Serialize;

use super::admin::{Inspection, existing_group, leader_log_end};
use super::offsets::{OffsetsFile, lock_group};
use super::paths::GroupPaths;
use crate::cluster::Cluster;
use crate::consumer::fetch::offline;
use crate::error::{Error, IoContext, Reason, Result};
use crate::store;
use crate::sys::ids::new_id;

/// Where the offsets move to (Kafka's `--to-*` and `--shift-by`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResetTarget {
    Earliest,
    Latest,
    Offset(u64),
    ShiftBy(i64),
    /// The first offset at or after this time (ms since the epoch).
    Datetime(i64),
}

/// Which partitions: a whole topic (`T`) or some of its partitions (`T:0,1,2`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResetScope {
    pub topic: String,
    pub partitions: Option<Vec<u32>>,
}

impl ResetScope {
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

fn refuse_live(paths: &GroupPaths, what: &str) -> Result<()> {
    let inspection = Inspection::read(paths)?;
    if inspection.live.is_empty() {
        return Ok(());
    }
    let ids: Vec<&str> = inspection.live.iter().map(|m| m.member_id.as_str()).collect();
    Err(Error::conflict(format!(
        "cannot {what} group '{}' while it has {} active member(s): {}",
        paths.group(),
        ids.len(),
        ids.join(", ")
    ))
    .because(Reason::GroupHasMembers {
        group: paths.group().to_string(),
        members: ids.iter().map(|id| id.to_string()).collect(),
    }))
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
    let mut scopes = spec.scopes.clone();
    if scopes.is_empty() {
        let mut topics: Vec<String> = offsets.offsets.iter().map(|c| c.topic.clone()).collect();
        topics.dedup();
        scopes = topics.into_iter().map(|topic| ResetScope { topic, partitions: None }).collect();
    }
    if scopes.is_empty() {
        return Err(Error::usage(format!("group '{group}' has no committed offsets; name the topics to reset")));
    }
    let mut plan = Vec::new();
    let mut work = Vec::new();
    for scope in &scopes {
        let meta = cluster.topic(&scope.topic)?;
        let partitions = scope.partitions.clone().unwrap_or_else(|| (0..meta.partition_count()).collect());
        work.push((meta, partitions));
    }
    let total = work.iter().map(|(_, ps)| ps.len() as u64).sum();
    for (meta, partitions) in &work {
        let count = meta.partition_count();
        for &p in partitions {
            progress(plan.len() as u64, total);
            if p >= count {
                return Err(Error::usage(format!(
                    "topic '{}' has no partition {p} (it has partitions 0 to {})",
                    meta.name,
                    count.saturating_sub(1)
                )));
            }
            let log = leader_log_end(cluster, meta, p)?.ok_or_else(|| offline(&meta.name, p))?;
            let current = offsets.get(&meta.name, p).map(|c| c.offset);
            let wanted: i128 = match spec.target {
                ResetTarget::Earliest => log.start_offset.into(),
                ResetTarget::Latest => log.end_offset.into(),
                ResetTarget::Offset(n) => n.into(),
                ResetTarget::ShiftBy(d) => i128::from(current.unwrap_or(log.start_offset)) + i128::from(d),
                ResetTarget::Datetime(ms) => {
                    let leader = meta.partition(p).and_then(|s| s.leader).ok_or_else(|| offline(&meta.name, p))?;
                    let dir = cluster.layout().replica_dir(leader, &meta.name, p);
                    store::offset_for_timestamp(&dir, ms)?.unwrap_or(log.end_offset).into()
                }
            };
            let new = wanted.clamp(log.start_offset.into(), log.end_offset.into()) as u64;
            plan.push(OffsetReset { topic: meta.name.clone(), partition: p, current, new });
        }
    }
    if execute {
        for r in &plan {
            offsets.set(&r.topic, r.partition, r.new, None, 0);
        }
        offsets.save(&paths)?;
    }
    Ok(plan)
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
    std::fs::remove_dir_all(&doomed).at("remove", &doomed)?;
    Ok(())
}

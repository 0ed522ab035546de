//! What a share group looks like from outside, and the admin changes Kafka
//! allows on one: `group describe` (members, and per share-partition the
//! start offset, lag and the records in flight with owner, age and delivery
//! count), `group pending` (in flight, retried, waiting; for either kind of
//! group), `group reset-offsets` (refused while the group has members, as
//! `kafka-share-groups.sh --reset-offsets` is). Reading takes no lock and
//! changes nothing. The JSON shapes are these types as they serialise
//! (REFERENCE.md).

use std::collections::BTreeMap;

use serde::Serialize;

use super::files::{self, GroupType, SharePaths, wrong_type};
use super::partition::{InFlight, RecordState, SharePartitionState};
use crate::cluster::Cluster;
use crate::consumer::TopicPartition;
use crate::consumer::group::admin::{GroupDescription, describe_group, existing_group, leader_log_end};
use crate::consumer::group::claim::{Probe, probe};
use crate::consumer::group::offsets::lock_group;
use crate::consumer::group::paths::GroupPaths;
use crate::consumer::group::reset::{OffsetReset, ResetSpec, partitions_to_reset, refuse_live, target_offset};
use crate::error::{IoContext, Result};
use crate::sys::clock::now_ms;

/// A share group's state, as Kafka names it (`ShareGroupState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ShareGroupStateName {
    Stable,
    Empty,
}

/// A live member of a share group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShareMemberDescription {
    pub member_id: String,
    pub client_id: String,
    pub host: String,
    pub pid: u32,
}

/// A run of consecutive in-flight records in one state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InFlightRun {
    pub first_offset: u64,
    pub last_offset: u64,
    /// `AVAILABLE`, `ACQUIRED`, `ACKNOWLEDGED` or `ARCHIVED`.
    pub state: RecordState,
    pub delivery_count: u32,
    /// The member holding them (ACQUIRED only).
    pub member_id: Option<String>,
    /// Since their last acquisition, in ms.
    pub age_ms: Option<i64>,
    /// Until their lock expires, in ms (ACQUIRED only; 0: expired, not yet
    /// made available by a member).
    pub lock_expires_in_ms: Option<i64>,
    /// Archived at the delivery limit and waiting for the dead-letter write.
    pub dead_letter: bool,
}

/// One share-partition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SharePartitionDescription {
    pub topic: String,
    pub partition: u32,
    /// SPSO: everything before it is acknowledged or archived.
    pub start_offset: u64,
    /// The next offset no member has acquired yet.
    pub next_offset: u64,
    /// The leader's log start and end; `null` while the partition is offline.
    pub log_start_offset: Option<u64>,
    pub log_end_offset: Option<u64>,
    /// Records not yet acknowledged or archived (Kafka's share group lag).
    pub lag: Option<u64>,
    pub in_flight: Vec<InFlightRun>,
}

/// `group describe G` of a share group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShareGroupDescription {
    pub group: String,
    #[serde(rename = "type")]
    pub group_type: GroupType,
    pub state: ShareGroupStateName,
    pub dead_letter_topic: Option<String>,
    pub members: Vec<ShareMemberDescription>,
    pub partitions: Vec<SharePartitionDescription>,
    pub total_lag: u64,
}

impl ShareGroupDescription {
    /// The share group as a consumer group's description shows one (what
    /// `group wait` looks at): its members without assignments, and per
    /// share-partition the start offset as the position and its lag.
    pub fn as_group_description(&self) -> GroupDescription {
        use crate::consumer::group::admin::{GroupStateName, MemberDescription, PartitionOffset};
        GroupDescription {
            group: self.group.clone(),
            state: match self.state {
                ShareGroupStateName::Stable => GroupStateName::Stable,
                ShareGroupStateName::Empty => GroupStateName::Empty,
            },
            generation: 0,
            strategy: None,
            protocol: None,
            members: self
                .members
                .iter()
                .map(|m| MemberDescription {
                    member_id: m.member_id.clone(),
                    client_id: m.client_id.clone(),
                    host: m.host.clone(),
                    pid: m.pid,
                    assignment: Vec::new(),
                    kind: crate::consumer::group::state::MemberKind::Runnel,
                })
                .collect(),
            offsets: self
                .partitions
                .iter()
                .map(|p| PartitionOffset {
                    topic: p.topic.clone(),
                    partition: p.partition,
                    committed: Some(p.start_offset),
                    leader_epoch: None,
                    log_start_offset: p.log_start_offset,
                    log_end_offset: p.log_end_offset,
                    lag: p.lag,
                    below_log_start: false,
                    member_id: None,
                })
                .collect(),
            total_lag: self.total_lag,
        }
    }
}

/// The kind of `group`; exit 66 when there is no such group.
pub fn group_type(cluster: &Cluster, group: &str) -> Result<GroupType> {
    let paths = existing_group(cluster, group)?;
    Ok(if paths.share_file().exists() { GroupType::Share } else { GroupType::Consumer })
}

/// The live members of a share group (their liveness claims are held).
pub fn live_members(paths: &GroupPaths) -> Result<Vec<ShareMemberDescription>> {
    let dir = paths.members_dir();
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).at("list", &dir),
    };
    let mut out = Vec::new();
    for entry in entries {
        let path = entry.at("list", &dir)?.path();
        if path.extension().is_none_or(|e| e != "lock") {
            continue;
        }
        match probe(&path)? {
            Probe::Held { tag, .. } => out.extend(parse_tag(&tag)),
            // A member killed before it removed its claim: nobody's.
            Probe::Free => {
                let _ = crate::consumer::group::claim::break_claim(&path);
            }
            Probe::Missing => {}
        }
    }
    out.sort_by(|a, b| a.member_id.cmp(&b.member_id));
    Ok(out)
}

/// "member ID pid P host H client C" → the member.
fn parse_tag(tag: &str) -> Option<ShareMemberDescription> {
    let rest = tag.strip_prefix("member ")?;
    let (member_id, rest) = rest.split_once(" pid ")?;
    let (pid, rest) = rest.split_once(" host ")?;
    let (host, client_id) = rest.split_once(" client ")?;
    Some(ShareMemberDescription {
        member_id: member_id.to_string(),
        client_id: client_id.to_string(),
        host: host.to_string(),
        pid: pid.parse().ok()?,
    })
}

fn runs(s: &SharePartitionState, now: i64) -> Vec<InFlightRun> {
    let view = |offset: u64, r: &InFlight| InFlightRun {
        first_offset: offset,
        last_offset: offset,
        state: r.state,
        delivery_count: r.delivery_count,
        member_id: r.member_id.clone(),
        age_ms: r.acquired_ms.map(|t| now.saturating_sub(t).max(0)),
        lock_expires_in_ms: r.lock_until_ms.map(|t| t.saturating_sub(now).max(0)),
        dead_letter: r.dead_letter,
    };
    let mut out: Vec<InFlightRun> = Vec::new();
    for (offset, r) in &s.records {
        let next = view(*offset, r);
        match out.last_mut() {
            Some(last)
                if last.last_offset + 1 == *offset
                    && (last.state, last.delivery_count, &last.member_id, last.age_ms, last.dead_letter)
                        == (next.state, next.delivery_count, &next.member_id, next.age_ms, next.dead_letter) =>
            {
                last.last_offset = *offset;
            }
            _ => out.push(next),
        }
    }
    out
}

fn share_paths(cluster: &Cluster, group: &str) -> Result<SharePaths> {
    let paths = SharePaths { group: existing_group(cluster, group)? };
    if paths.group_type() != Some(GroupType::Share) {
        return Err(wrong_type(group, GroupType::Consumer));
    }
    Ok(paths)
}

/// `group describe G` of a share group.
pub fn describe_share_group(cluster: &Cluster, group: &str) -> Result<ShareGroupDescription> {
    describe_with_states(cluster, group).map(|(d, _)| d)
}

/// The description, and the state of each of its share-partitions (in the
/// same order), read once.
fn describe_with_states(cluster: &Cluster, group: &str) -> Result<(ShareGroupDescription, Vec<SharePartitionState>)> {
    let paths = share_paths(cluster, group)?;
    let doc = paths.load_doc()?;
    let members = live_members(&paths.group)?;
    let now = now_ms();
    let mut partitions = Vec::new();
    let mut states = Vec::new();
    let mut metas = BTreeMap::new();
    for (p, s) in files::all_partitions(&paths)? {
        if !metas.contains_key(&p.topic) {
            metas.insert(p.topic.clone(), cluster.find_topic(&p.topic)?);
        }
        let log = match metas.get(&p.topic).and_then(Option::as_ref) {
            Some(meta) => leader_log_end(cluster, meta, p.partition)?,
            None => None,
        };
        let finished =
            s.records.values().filter(|r| matches!(r.state, RecordState::Acknowledged | RecordState::Archived)).count()
                as u64;
        let lag = log.map(|l| l.end_offset.saturating_sub(s.start_offset.max(l.start_offset)).saturating_sub(finished));
        partitions.push(SharePartitionDescription {
            topic: p.topic,
            partition: p.partition,
            start_offset: s.start_offset,
            next_offset: s.next_offset,
            log_start_offset: log.map(|l| l.start_offset),
            log_end_offset: log.map(|l| l.end_offset),
            lag,
            in_flight: runs(&s, now),
        });
        states.push(s);
    }
    let description = ShareGroupDescription {
        group: group.to_string(),
        group_type: GroupType::Share,
        state: if members.is_empty() { ShareGroupStateName::Empty } else { ShareGroupStateName::Stable },
        dead_letter_topic: doc.and_then(|d| d.dead_letter_topic),
        total_lag: partitions.iter().filter_map(|p| p.lag).sum(),
        members,
        partitions,
    };
    Ok((description, states))
}

/// A record in flight or waiting for redelivery, as `group pending` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PendingRecord {
    pub offset: u64,
    /// `ACQUIRED` (in flight) or `AVAILABLE` (released or expired, to be
    /// delivered again).
    pub state: RecordState,
    pub member_id: Option<String>,
    pub age_ms: Option<i64>,
    pub delivery_count: u32,
}

/// One partition of `group pending`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PendingPartition {
    pub topic: String,
    pub partition: u32,
    /// A share group's start offset, or a consumer group's committed offset.
    pub position: Option<u64>,
    pub log_end_offset: Option<u64>,
    /// Records acquired by a member now (share groups).
    pub in_flight: u64,
    /// Records delivered before and not yet done: in flight again, or
    /// available for redelivery (share groups).
    pub retried: u64,
    /// Records never delivered yet.
    pub waiting: Option<u64>,
    /// The records in flight or to be delivered again, one by one.
    pub records: Vec<PendingRecord>,
}

/// `group pending G`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PendingReport {
    pub group: String,
    #[serde(rename = "type")]
    pub group_type: GroupType,
    /// Whether records in flight are known: a share group records each;
    /// a consumer group only its committed offsets (and, with `--exec` on a
    /// data dir, the delivery counts of a failing batch: retried), so
    /// everything past them counts as waiting.
    pub in_flight_known: bool,
    pub in_flight: u64,
    pub retried: u64,
    pub waiting: u64,
    pub partitions: Vec<PendingPartition>,
}

/// `group pending G`, for either kind of group.
pub fn pending(cluster: &Cluster, group: &str) -> Result<PendingReport> {
    match group_type(cluster, group)? {
        GroupType::Share => share_pending(cluster, group),
        GroupType::Consumer => Ok(consumer_pending(&describe_group(cluster, group)?)),
    }
}

/// `group pending` of a consumer group, from its description: committed
/// offsets only, so everything past them counts as waiting.
pub fn consumer_pending(d: &GroupDescription) -> PendingReport {
    let partitions: Vec<PendingPartition> = d
        .offsets
        .iter()
        .map(|o| PendingPartition {
            topic: o.topic.clone(),
            partition: o.partition,
            position: o.committed,
            log_end_offset: o.log_end_offset,
            in_flight: 0,
            retried: 0,
            waiting: o.lag.or_else(|| {
                // Never committed: all of the log waits.
                o.log_end_offset.zip(o.log_start_offset).map(|(end, start)| end.saturating_sub(start))
            }),
            records: Vec::new(),
        })
        .collect();
    PendingReport {
        group: d.group.clone(),
        group_type: GroupType::Consumer,
        in_flight_known: false,
        in_flight: 0,
        retried: 0,
        waiting: partitions.iter().filter_map(|p| p.waiting).sum(),
        partitions,
    }
}

fn share_pending(cluster: &Cluster, group: &str) -> Result<PendingReport> {
    let (d, states) = describe_with_states(cluster, group)?;
    let now = now_ms();
    let mut partitions = Vec::new();
    for (p, s) in d.partitions.iter().zip(&states) {
        let records: Vec<PendingRecord> = s
            .records
            .iter()
            .filter(|(_, r)| matches!(r.state, RecordState::Acquired | RecordState::Available))
            .map(|(offset, r)| PendingRecord {
                offset: *offset,
                state: r.state,
                member_id: r.member_id.clone(),
                age_ms: r.acquired_ms.map(|t| now.saturating_sub(t).max(0)),
                delivery_count: r.delivery_count,
            })
            .collect();
        let in_flight = records.iter().filter(|r| r.state == RecordState::Acquired).count() as u64;
        let retried = records
            .iter()
            .filter(|r| r.delivery_count > 1 || (r.state == RecordState::Available && r.delivery_count >= 1))
            .count() as u64;
        partitions.push(PendingPartition {
            topic: p.topic.clone(),
            partition: p.partition,
            position: Some(p.start_offset),
            log_end_offset: p.log_end_offset,
            in_flight,
            retried,
            waiting: p.log_end_offset.map(|end| end.saturating_sub(s.next_offset.max(p.log_start_offset.unwrap_or(0)))),
            records,
        });
    }
    Ok(PendingReport {
        group: group.to_string(),
        group_type: GroupType::Share,
        in_flight_known: true,
        in_flight: partitions.iter().map(|p| p.in_flight).sum(),
        retried: partitions.iter().map(|p| p.retried).sum(),
        waiting: partitions.iter().filter_map(|p| p.waiting).sum(),
        partitions,
    })
}

/// `group reset-offsets` of a share group (Kafka's `kafka-share-groups.sh
/// --reset-offsets`): refused while the group has members; each
/// share-partition reset starts afresh at the new offset, nothing in flight.
/// "current" in the plan is the start offset.
pub fn reset_share_offsets(
    cluster: &Cluster,
    group: &str,
    spec: &ResetSpec,
    execute: bool,
) -> Result<Vec<OffsetReset>> {
    let paths = share_paths(cluster, group)?;
    let _guard = if execute { Some(lock_group(cluster, &paths.group)?) } else { None };
    refuse_live(&paths.group, "reset the offsets of")?;
    let states: BTreeMap<TopicPartition, SharePartitionState> = files::all_partitions(&paths)?.into_iter().collect();
    let known: Vec<TopicPartition> = states.keys().cloned().collect();
    let mut plan = Vec::new();
    for (meta, ps) in partitions_to_reset(cluster, group, spec, &known)? {
        for p in ps {
            let current = states.get(&TopicPartition::new(&meta.name, p)).map(|s| s.start_offset);
            let new = target_offset(cluster, group, &meta, p, current, &spec.target)?;
            plan.push(OffsetReset { topic: meta.name.clone(), partition: p, current, new });
        }
    }
    if execute {
        for r in &plan {
            let tp = TopicPartition::new(&r.topic, r.partition);
            files::with_partition(
                cluster,
                &paths,
                &tp,
                || Ok(r.new),
                |s| {
                    *s = SharePartitionState::new(r.new);
                    Ok(())
                },
            )?;
        }
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_tags_parse_back() {
        let m = parse_tag("member w-1 pid 42 host box client my worker").expect("tag");
        assert_eq!(
            (m.member_id.as_str(), m.pid, m.host.as_str(), m.client_id.as_str()),
            ("w-1", 42, "box", "my worker")
        );
        assert!(parse_tag("member x pid y host h client c").is_none());
    }
}

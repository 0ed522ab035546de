//! Group admin against Kafka: ListGroups and DescribeGroups (members and
//! their assignments, decoded from Kafka's consumer protocol), OffsetFetch
//! for committed offsets and lag, OffsetCommit of a reset plan, and
//! DeleteGroups — into the same reports the data dir gives.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use rdkafka::Offset;
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer as _, DefaultConsumerContext};
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::groups::GroupInfo;
use rdkafka::topic_partition_list::TopicPartitionList;

use super::{Kafka, errors, fetch};
use crate::backend::{GroupAdmin, TopicAdmin};
use crate::consumer::TopicPartition;
use crate::consumer::assignors::Strategy;
use crate::consumer::group::delete_offsets::OffsetDeletion;
use crate::consumer::group::state::MemberKind;
use crate::consumer::group::{
    GroupDescription, GroupStateName, GroupSummary, MemberDescription, OffsetReset, PartitionOffset, ResetScope,
    ResetSpec, ResetTarget,
};
use crate::error::{Error, ErrorKind, Reason, Result};

/// The pause before asking a busy group coordinator again.
const COORDINATOR_RETRY: Duration = Duration::from_millis(100);

impl Kafka {
    fn groups(&self, group: Option<&str>) -> Result<Vec<Info>> {
        let timeout = self.target.request_timeout();
        let list = self
            .admin()?
            .inner()
            .fetch_group_list(group, timeout)
            .map_err(|e| errors::from_kafka("listing groups", &self.target.bootstrap, &e))?;
        Ok(list
            .groups()
            .iter()
            .filter(|g| g.protocol_type().is_empty() || g.protocol_type() == "consumer")
            .map(Info::of)
            .collect())
    }

    /// A consumer that speaks for `group` without joining it.
    fn group_client(&self, group: &str) -> Result<BaseConsumer<DefaultConsumerContext>> {
        fetch::consumer(&self.target, &[("group.id", group.to_string())])
    }

    /// The group's committed offsets over every partition of every topic,
    /// each with the leader epoch stored with it (if any).
    fn committed(&self, client: &BaseConsumer<DefaultConsumerContext>) -> Result<BTreeMap<(String, u32), Commit>> {
        let mut tpl = TopicPartitionList::new();
        for topic in self.list_topics()? {
            for p in 0..topic.partition_count() {
                tpl.add_partition(&topic.name, p as i32);
            }
        }
        commits_in(&self.target, client, tpl)
    }
}

/// A committed offset and the leader epoch Kafka keeps with it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Commit {
    pub offset: u64,
    pub leader_epoch: Option<u32>,
}

/// The committed offsets of the partitions in `tpl` (those without one
/// left out).
pub(super) fn committed_in(
    target: &super::KafkaTarget,
    client: &BaseConsumer<DefaultConsumerContext>,
    tpl: TopicPartitionList,
) -> Result<BTreeMap<(String, u32), u64>> {
    Ok(commits_in(target, client, tpl)?.into_iter().map(|(k, c)| (k, c.offset)).collect())
}

/// [`committed_in`], with each commit's leader epoch (OffsetFetch v5+).
fn commits_in(
    target: &super::KafkaTarget,
    client: &BaseConsumer<DefaultConsumerContext>,
    tpl: TopicPartitionList,
) -> Result<BTreeMap<(String, u32), Commit>> {
    let mut out = BTreeMap::new();
    if tpl.count() == 0 {
        return Ok(out);
    }
    // A coordinator still loading or moving answers with an error per
    // partition, never as "no commit": asked again until the deadline.
    let deadline = Instant::now() + target.request_timeout();
    let fail = |e: &KafkaError| errors::from_kafka("reading committed offsets", &target.bootstrap, e);
    let committed = loop {
        let committed = client.committed_offsets(tpl.clone(), target.request_timeout()).map_err(|e| fail(&e))?;
        match committed.elements().iter().find_map(|e| e.error().err()) {
            None => break committed,
            Some(e)
                if Instant::now() < deadline
                    && errors::code_of(&e).is_some_and(|c| errors::kind_of(c) == ErrorKind::Unavailable) =>
            {
                std::thread::sleep(COORDINATOR_RETRY);
            }
            Some(e) => return Err(fail(&e)),
        }
    };
    for (i, e) in committed.elements().iter().enumerate() {
        if let Offset::Offset(n) = e.offset()
            && n >= 0
        {
            // SAFETY: `i` indexes the list's own `cnt` elements, read while
            // `committed` (which owns them) lives.
            let epoch = unsafe {
                let list = committed.ptr();
                rdkafka::bindings::rd_kafka_topic_partition_get_leader_epoch((*list).elems.add(i))
            };
            let commit = Commit { offset: n as u64, leader_epoch: u32::try_from(epoch).ok() };
            out.insert((e.topic().to_string(), e.partition().max(0) as u32), commit);
        }
    }
    Ok(out)
}

/// What is kept of librdkafka's group info (which borrows from its list).
struct Info {
    name: String,
    state: String,
    protocol: String,
    /// Empty for a group that only holds offsets (Kafka's simple group).
    protocol_type: String,
    members: Vec<MemberDescription>,
}

impl Info {
    fn of(g: &GroupInfo) -> Info {
        let members = g
            .members()
            .iter()
            .map(|m| MemberDescription {
                member_id: m.id().to_string(),
                client_id: m.client_id().to_string(),
                host: m.client_host().trim_start_matches('/').to_string(),
                pid: 0,
                kind: MemberKind::Kafka,
                assignment: m.assignment().map(decode_assignment).unwrap_or_default(),
            })
            .collect();
        Info {
            name: g.name().to_string(),
            state: g.state().to_string(),
            protocol: g.protocol().to_string(),
            protocol_type: g.protocol_type().to_string(),
            members,
        }
    }

    /// Kafka's state names (AwaitingSync is CompletingRebalance's old name).
    fn state_name(&self) -> GroupStateName {
        match self.state.as_str() {
            "Stable" => GroupStateName::Stable,
            "PreparingRebalance" => GroupStateName::PreparingRebalance,
            "CompletingRebalance" | "AwaitingSync" => GroupStateName::CompletingRebalance,
            "Empty" => GroupStateName::Empty,
            _ => GroupStateName::Dead,
        }
    }

    fn strategy(&self) -> Option<Strategy> {
        Strategy::ALL.into_iter().find(|s| s.name() == self.protocol)
    }

    /// The group's protocol when it is none of runnel's assignors (a
    /// custom one, Streams' `stream`, Connect's `sessioned`).
    fn other_protocol(&self) -> Option<String> {
        Some(self.protocol.clone()).filter(|p| !p.is_empty() && self.strategy().is_none())
    }

    fn exists(&self) -> bool {
        self.state_name() != GroupStateName::Dead
    }
}

/// Kafka's ConsumerProtocolAssignment: version (int16), then an array
/// (int32 count) of topics, each a string (int16 length) and an array of
/// int32 partitions; user data follows and is ignored. A malformed one
/// yields what decoded before the damage.
fn decode_assignment(bytes: &[u8]) -> Vec<TopicPartition> {
    fn take<'a>(bytes: &'a [u8], pos: &mut usize, n: usize) -> Option<&'a [u8]> {
        let out = bytes.get(*pos..pos.checked_add(n)?)?;
        *pos += n;
        Some(out)
    }
    fn int(bytes: &[u8], pos: &mut usize, n: usize) -> Option<i64> {
        let raw = take(bytes, pos, n)?;
        Some(
            raw.iter().fold(0i64, |acc, b| (acc << 8) | i64::from(*b))
                - if raw[0] & 0x80 != 0 { 1i64 << (8 * n) } else { 0 },
        )
    }
    let mut out = Vec::new();
    let mut pos = 0;
    let mut decode = || -> Option<()> {
        int(bytes, &mut pos, 2)?;
        let topics = int(bytes, &mut pos, 4)?;
        for _ in 0..topics.max(0) {
            let len = int(bytes, &mut pos, 2)?;
            let name = String::from_utf8_lossy(take(bytes, &mut pos, len.max(0) as usize)?).into_owned();
            let partitions = int(bytes, &mut pos, 4)?;
            for _ in 0..partitions.max(0) {
                let p = int(bytes, &mut pos, 4)?;
                out.push(TopicPartition::new(name.clone(), p.max(0) as u32));
            }
        }
        Some(())
    };
    let _ = decode();
    out
}

fn group_has_members(group: &str, info: &Info, what: &str) -> Error {
    let ids: Vec<String> = info.members.iter().map(|m| m.member_id.clone()).collect();
    Error::conflict(format!(
        "cannot {what} group '{group}' while it has {} active member(s): {}",
        ids.len(),
        ids.join(", ")
    ))
    .because(Reason::GroupHasMembers { group: group.to_string(), members: ids })
}

impl GroupAdmin for Kafka {
    fn list_groups(&self) -> Result<Vec<GroupSummary>> {
        let mut groups: Vec<GroupSummary> = self
            .groups(None)?
            .into_iter()
            .map(|g| GroupSummary {
                state: g.state_name(),
                members: g.members.len(),
                strategy: g.strategy(),
                protocol: g.other_protocol(),
                group_type: crate::consumer::share::GroupType::Consumer,
                simple: g.protocol_type.is_empty(),
                protocol_type: Some(g.protocol_type.clone()),
                group: g.name,
            })
            .collect();
        groups.sort_by(|a, b| a.group.cmp(&b.group));
        Ok(groups)
    }

    fn describe_group(&self, group: &str) -> Result<GroupDescription> {
        let info = self.groups(Some(group))?.into_iter().find(|g| g.name == group);
        let client = self.group_client(group)?;
        let committed = self.committed(&client)?;
        let Some(info) = info.filter(|i| i.exists() || !committed.is_empty()) else {
            return Err(errors::unknown_group(group));
        };
        let owner: BTreeMap<(String, u32), String> = info
            .members
            .iter()
            .flat_map(|m| m.assignment.iter().map(|tp| ((tp.topic.clone(), tp.partition), m.member_id.clone())))
            .collect();
        let mut keys: Vec<(String, u32)> = committed.keys().cloned().collect();
        keys.extend(owner.keys().cloned());
        keys.sort();
        keys.dedup();
        let mut offsets = Vec::new();
        let mut total_lag = 0;
        for (topic, partition) in keys {
            let (low, high) = self.watermarks(&topic, partition)?;
            let commit = committed.get(&(topic.clone(), partition)).copied();
            let current = commit.map(|c| c.offset);
            let lag = high.saturating_sub(current.unwrap_or(low).max(low));
            total_lag += lag;
            offsets.push(PartitionOffset {
                member_id: owner.get(&(topic.clone(), partition)).cloned(),
                topic,
                partition,
                committed: current,
                leader_epoch: commit.and_then(|c| c.leader_epoch),
                log_start_offset: Some(low),
                log_end_offset: Some(high),
                lag: Some(lag),
                below_log_start: current.is_some_and(|c| c < low),
            });
        }
        Ok(GroupDescription {
            group: group.to_string(),
            state: if info.exists() { info.state_name() } else { GroupStateName::Empty },
            generation: 0,
            strategy: info.strategy(),
            protocol: info.other_protocol(),
            members: info.members.clone(),
            offsets,
            total_lag,
        })
    }

    fn reset_offsets(
        &self,
        group: &str,
        spec: &ResetSpec,
        execute: bool,
        _progress: &mut dyn FnMut(u64, u64),
    ) -> Result<Vec<OffsetReset>> {
        if let Some(info) = self.groups(Some(group))?.into_iter().find(|g| g.name == group)
            && !info.members.is_empty()
        {
            return Err(group_has_members(group, &info, "reset the offsets of"));
        }
        let client = self.group_client(group)?;
        let committed = self.committed(&client)?;
        let mut wanted: Vec<(String, Option<Vec<u32>>)> =
            spec.scopes.iter().map(|s| (s.topic.clone(), s.partitions.clone())).collect();
        if wanted.is_empty() {
            let from: Vec<(String, u32)> = match &spec.target {
                ResetTarget::FromFile(plan) => plan.iter().map(|(tp, _)| (tp.topic.clone(), tp.partition)).collect(),
                _ => committed.keys().cloned().collect(),
            };
            for (topic, p) in from {
                match wanted.iter_mut().find(|(t, _)| *t == topic) {
                    Some((_, Some(ps))) if !ps.contains(&p) => ps.push(p),
                    Some(_) => {}
                    None => wanted.push((topic, Some(vec![p]))),
                }
            }
        }
        if wanted.is_empty() {
            return Err(Error::usage(format!("group '{group}' has no committed offsets; name the topics to reset")));
        }
        let mut plan = Vec::new();
        for (topic, partitions) in wanted {
            let meta = self.existing_topic(&topic)?;
            let count = meta.partition_count();
            let mut partitions = partitions.unwrap_or_else(|| (0..count).collect());
            partitions.sort_unstable();
            for p in partitions {
                if p >= count {
                    return Err(Error::usage(format!(
                        "topic '{topic}' has no partition {p} (it has partitions 0 to {})",
                        count.saturating_sub(1)
                    )));
                }
                let (low, high) = self.watermarks(&topic, p)?;
                let current = committed.get(&(topic.clone(), p)).map(|c| c.offset);
                let wanted: i128 = match &spec.target {
                    ResetTarget::Earliest => low.into(),
                    ResetTarget::Latest => high.into(),
                    ResetTarget::Current => current.unwrap_or(high).into(),
                    ResetTarget::Offset(n) => (*n).into(),
                    ResetTarget::FromFile(plan) => {
                        let found = plan.iter().rev().find(|(tp, _)| tp.topic == topic && tp.partition == p);
                        found.map_or(high, |(_, offset)| *offset).into()
                    }
                    ResetTarget::ShiftBy(d) => {
                        let Some(current) = current else {
                            return Err(Error::usage(format!(
                                "cannot shift the offset of {topic}-{p} in group '{group}': it has no committed offset (as in Kafka); reset it --to-earliest, --to-latest or --to-offset first"
                            )));
                        };
                        i128::from(current) + i128::from(*d)
                    }
                    ResetTarget::Datetime(ms) => {
                        let mut tpl = TopicPartitionList::new();
                        tpl.add_partition_offset(&topic, p as i32, Offset::Offset(*ms))
                            .map_err(|e| errors::from_kafka("looking up a time", &self.target.bootstrap, &e))?;
                        let found = client
                            .offsets_for_times(tpl, self.target.request_timeout())
                            .map_err(|e| errors::from_kafka("looking up a time", &self.target.bootstrap, &e))?;
                        let at = found.elements().first().and_then(|e| match e.offset() {
                            Offset::Offset(n) if n >= 0 => Some(n as u64),
                            _ => None,
                        });
                        at.unwrap_or(high).into()
                    }
                };
                let new = wanted.clamp(low.into(), high.into()) as u64;
                plan.push(OffsetReset { topic: topic.clone(), partition: p, current, new });
            }
        }
        if execute {
            let mut tpl = TopicPartitionList::new();
            for r in &plan {
                tpl.add_partition_offset(&r.topic, r.partition as i32, Offset::Offset(r.new as i64))
                    .map_err(|e| errors::from_kafka("planning the reset", &self.target.bootstrap, &e))?;
            }
            client.commit(&tpl, CommitMode::Sync).map_err(|e| {
                if errors::code_of(&e) == Some(RDKafkaErrorCode::UnknownMemberId) {
                    Error::conflict(format!("cannot reset the offsets of group '{group}': it has active members"))
                } else {
                    errors::from_kafka("committing the reset offsets", &self.target.bootstrap, &e)
                }
            })?;
        }
        Ok(plan)
    }

    fn delete_group(&self, group: &str) -> Result<()> {
        let results = self.wait("deleting a group", self.admin()?.delete_groups(&[group], &self.admin_options()))?;
        for result in results {
            result.map_err(|(_, code)| match code {
                RDKafkaErrorCode::GroupIdNotFound => errors::unknown_group(group),
                RDKafkaErrorCode::NonEmptyGroup => {
                    Error::conflict(format!("cannot delete group '{group}' while it has active members"))
                        .because(Reason::GroupHasMembers { group: group.to_string(), members: Vec::new() })
                }
                other => Error::new(errors::kind_of(other), format!("deleting group '{group}': {other}")),
            })?;
        }
        Ok(())
    }

    fn delete_offsets(&self, group: &str, scopes: &[ResetScope]) -> Result<Vec<(String, u32, OffsetDeletion)>> {
        let mut partitions = Vec::new();
        for scope in scopes {
            let asked = scope.partitions_or_all(|| Ok(self.topic(&scope.topic)?.partition_count()))?;
            partitions.extend(asked.into_iter().map(|p| (scope.topic.clone(), p)));
        }
        let timeout = self.target.request_timeout();
        let outcomes = super::delete_offsets::delete_offsets(self.admin()?.inner(), group, &partitions, timeout)
            .map_err(|code| match code {
                RDKafkaErrorCode::GroupIdNotFound => errors::unknown_group(group),
                other => Error::new(errors::kind_of(other), format!("deleting offsets of group '{group}': {other}")),
            })?;
        let mut out = Vec::new();
        for (topic, partition, error) in outcomes {
            let outcome = match error {
                None => OffsetDeletion::Deleted,
                Some(RDKafkaErrorCode::GroupSubscribedToTopic) => OffsetDeletion::Subscribed,
                Some(RDKafkaErrorCode::UnknownTopicOrPartition) => OffsetDeletion::UnknownPartition,
                Some(other) => {
                    return Err(Error::new(
                        errors::kind_of(other),
                        format!("deleting the offset of {topic}:{partition} of group '{group}': {other}"),
                    ));
                }
            };
            out.push((topic, partition, outcome));
        }
        Ok(out)
    }

    /// librdkafka lists and describes consumer groups only.
    fn group_type(&self, group: &str) -> Result<crate::consumer::share::GroupType> {
        self.describe_group(group).map(|_| crate::consumer::share::GroupType::Consumer)
    }

    fn describe_share_group(&self, _group: &str) -> Result<crate::consumer::share::ShareGroupDescription> {
        Err(no_share_groups("describing a share group"))
    }

    fn group_pending(&self, group: &str) -> Result<crate::consumer::share::PendingReport> {
        Ok(crate::consumer::share::consumer_pending(&self.describe_group(group)?))
    }
}

/// Share groups (KIP-932) against Kafka: librdkafka 2.10 has no share
/// consumer and no share group admin API, so runnel cannot reach them (exit 2).
pub fn no_share_groups(what: &str) -> Error {
    Error::usage(format!(
        "{what} is not available against a Kafka cluster: librdkafka 2.10, runnel's Kafka client, has no share consumer (KIP-932)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Kafka's ConsumerProtocolAssignment v0 for `t` partitions 0 and 2,
    /// and `u` partition 1, with empty user data.
    fn assignment() -> Vec<u8> {
        let mut b = vec![0, 0, 0, 0, 0, 2];
        b.extend([0, 1, b't', 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 2]);
        b.extend([0, 1, b'u', 0, 0, 0, 1, 0, 0, 0, 1]);
        b.extend([0xff, 0xff, 0xff, 0xff]);
        b
    }

    #[test]
    fn assignments_decode_as_kafkas_consumer_protocol() {
        let tps = decode_assignment(&assignment());
        assert_eq!(tps, [TopicPartition::new("t", 0), TopicPartition::new("t", 2), TopicPartition::new("u", 1)]);
    }

    #[test]
    fn a_damaged_assignment_yields_what_decoded_before_the_damage() {
        let whole = assignment();
        assert_eq!(decode_assignment(&whole[..17]), [TopicPartition::new("t", 0)]);
        assert!(decode_assignment(&[]).is_empty());
        assert!(decode_assignment(&[0, 0, 0x7f, 0xff, 0xff, 0xff]).is_empty());
    }
}

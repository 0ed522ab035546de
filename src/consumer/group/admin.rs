//! `group list` and `group describe`: what a group looks like from outside,
//! built from its files and its members' liveness claims (read-only: no
//! lock is taken, nothing is changed). The JSON shape of
//! [`GroupDescription`] is `group describe --format json` (REFERENCE.md).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::client_led::Phase;
use super::liveness::{self, Liveness};
use super::offsets::OffsetsFile;
use super::paths::GroupPaths;
use super::state::{GroupState, MemberInfo, MemberKind};
use crate::cluster::metadata::group_folder;
use crate::cluster::rules::suggest;
use crate::cluster::{Cluster, TopicMeta};
use crate::consumer::TopicPartition;
use crate::consumer::assignors::Strategy;
use crate::error::{Error, IoContext, Reason, Result};
use crate::store;

/// A group's state, named as Kafka names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum GroupStateName {
    Stable,
    PreparingRebalance,
    /// A client-led group waiting for its leader's assignment.
    CompletingRebalance,
    Empty,
    Dead,
}

/// One line of `group list`; its JSON is `{"group", "state", "members",
/// "strategy", "protocol"?, "type"}` (REFERENCE.md).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupSummary {
    pub group: String,
    pub state: GroupStateName,
    pub members: usize,
    pub strategy: Option<Strategy>,
    /// A client-led group's protocol, where `strategy` is null.
    pub protocol: Option<String>,
    /// `consumer` or `share` (Kafka's group type).
    pub group_type: crate::consumer::share::GroupType,
    /// No member ever joined: the group only holds offsets (Kafka's simple
    /// group, whose protocol type is empty).
    pub simple: bool,
    /// A client-led group's protocol type (`connect`, `consumer`...).
    pub protocol_type: Option<String>,
}

impl GroupSummary {
    /// The group's type as `group list` shows it: `share`, `consumer`, or
    /// the protocol type of a client-led group that is not a consumer
    /// group (`connect` for a Kafka Connect cluster's workers, as Kafka's
    /// `kafka-groups --list` shows in its PROTOCOL column).
    pub fn type_name(&self) -> &str {
        match (self.group_type, self.protocol_type.as_deref()) {
            (crate::consumer::share::GroupType::Consumer, Some(other)) if !other.is_empty() => other,
            (group_type, _) => group_type.name(),
        }
    }
}

impl Serialize for GroupSummary {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Shown<'a> {
            group: &'a str,
            state: GroupStateName,
            members: usize,
            strategy: Option<Strategy>,
            #[serde(skip_serializing_if = "Option::is_none")]
            protocol: Option<&'a str>,
            #[serde(rename = "type")]
            group_type: &'a str,
        }
        Shown {
            group: &self.group,
            state: self.state,
            members: self.members,
            strategy: self.strategy,
            protocol: self.protocol.as_deref(),
            group_type: self.type_name(),
        }
        .serialize(serializer)
    }
}

/// A live member as `group describe` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberDescription {
    pub member_id: String,
    pub client_id: String,
    pub host: String,
    pub pid: u32,
    /// `runnel` (a `consume --group` process) or `kafka` (a Kafka client
    /// through `runnel serve`, whose `pid` is the serve process's).
    pub kind: MemberKind,
    pub assignment: Vec<TopicPartition>,
}

/// One partition's committed offset and lag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartitionOffset {
    pub topic: String,
    pub partition: u32,
    /// `null` before the group's first commit of this partition.
    pub committed: Option<u64>,
    /// The leader epoch recorded with the commit (of the record before it);
    /// `null` for an admin reset or a commit from before runnel recorded it.
    pub leader_epoch: Option<u32>,
    /// The leader's log start offset; `null` while the partition is offline.
    pub log_start_offset: Option<u64>,
    /// The leader's high watermark; `null` while the partition is offline.
    pub log_end_offset: Option<u64>,
    /// Records the group has still to read: from the committed offset, or
    /// from the log start when retention or `topic trim` passed the
    /// committed offset (those records are gone; the group resumes at the
    /// log start, as Kafka's `auto.offset.reset=earliest`).
    pub lag: Option<u64>,
    /// The committed offset is below the log start offset.
    pub below_log_start: bool,
    /// The live member that owns it now.
    pub member_id: Option<String>,
}

/// `group describe G`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupDescription {
    pub group: String,
    pub state: GroupStateName,
    pub generation: u64,
    pub strategy: Option<Strategy>,
    /// A client-led group's protocol (its leader's assignor: `stream`, a
    /// custom one), where `strategy` is null.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    pub members: Vec<MemberDescription>,
    pub offsets: Vec<PartitionOffset>,
    pub total_lag: u64,
}

/// A group's files and which of its listed members live.
pub(crate) struct Inspection {
    pub state: Option<GroupState>,
    pub live: Vec<MemberInfo>,
    pub departed: usize,
}

impl Inspection {
    pub fn read(paths: &GroupPaths) -> Result<Inspection> {
        let state = GroupState::load(paths)?;
        let mut live = Vec::new();
        let mut departed = 0;
        for m in state.iter().flat_map(|s| s.members.iter()) {
            if liveness::check(paths, m)? == Liveness::Alive {
                live.push(m.clone());
            } else {
                departed += 1;
            }
        }
        Ok(Inspection { state, live, departed })
    }

    /// A client-led group's protocol while it has live members.
    pub fn client_led_protocol(&self) -> Option<String> {
        let led = self.state.as_ref()?.client_led.as_ref()?;
        led.protocol.clone().filter(|_| !self.live.is_empty())
    }

    /// Whether no member ever joined (no generation began): the group only
    /// holds offsets, as Kafka's simple groups do.
    pub fn never_joined(&self) -> bool {
        self.state.as_ref().is_none_or(|s| s.generation == 0)
    }

    pub fn state_name(&self, has_offsets: bool) -> GroupStateName {
        match &self.state {
            None if !has_offsets => GroupStateName::Dead,
            _ if self.live.is_empty() => GroupStateName::Empty,
            Some(s) if s.client_led.is_some() => match s.client_led.as_ref().map(|led| led.phase) {
                Some(Phase::Stable) => GroupStateName::Stable,
                Some(Phase::Completing) => GroupStateName::CompletingRebalance,
                Some(Phase::Empty) => GroupStateName::Empty,
                _ => GroupStateName::PreparingRebalance,
            },
            Some(s) if self.departed == 0 && self.live.iter().all(|m| m.synced_generation == s.generation) => {
                GroupStateName::Stable
            }
            _ => GroupStateName::PreparingRebalance,
        }
    }
}

/// The names of all groups, sorted.
pub fn group_names(cluster: &Cluster) -> Result<Vec<String>> {
    let dir = cluster.layout().groups_dir();
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).at("list", &dir),
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.at("list", &dir)?;
        let path = entry.path();
        // A hashed folder whose id file is damaged is left out, as `log
        // verify` reports it; the other groups are still listed.
        if path.is_dir()
            && let Some(name) = group_folder::group_in(&path).ok().flatten()
        {
            found.push(name);
        }
    }
    found.sort();
    Ok(found)
}

/// The paths of an existing group; exit 66 with a hint otherwise.
pub fn existing_group(cluster: &Cluster, group: &str) -> Result<GroupPaths> {
    let paths = GroupPaths::new(cluster, group)?;
    if paths.exists() {
        return Ok(paths);
    }
    let known = group_names(cluster).unwrap_or_default();
    let suggestion = suggest::closest(group, known.iter().map(String::as_str)).map(str::to_string);
    Err(Error::not_found(format!("unknown group '{group}'"))
        .because(Reason::UnknownGroup { group: group.to_string(), suggestion }))
}

/// `group list`.
pub fn list_groups(cluster: &Cluster) -> Result<Vec<GroupSummary>> {
    let mut out = Vec::new();
    for group in group_names(cluster)? {
        let paths = GroupPaths::new(cluster, &group)?;
        if paths.share_file().exists() {
            let members = crate::consumer::share::admin::live_members(&paths)?.len();
            out.push(GroupSummary {
                state: if members == 0 { GroupStateName::Empty } else { GroupStateName::Stable },
                members,
                strategy: None,
                protocol: None,
                group_type: crate::consumer::share::GroupType::Share,
                simple: false,
                protocol_type: None,
                group,
            });
            continue;
        }
        let inspection = Inspection::read(&paths)?;
        let has_offsets = paths.offsets_file().exists();
        out.push(GroupSummary {
            group_type: crate::consumer::share::GroupType::Consumer,
            state: inspection.state_name(has_offsets),
            members: inspection.live.len(),
            strategy: inspection.state.as_ref().and_then(|s| s.strategy),
            protocol: inspection.client_led_protocol(),
            simple: inspection.never_joined(),
            protocol_type: inspection
                .state
                .as_ref()
                .and_then(|s| s.client_led.as_ref())
                .map(|l| l.protocol_type.clone()),
            group,
        });
    }
    Ok(out)
}

/// The high watermark of `topic:partition` at its leader, if it has one.
pub fn leader_log_end(cluster: &Cluster, meta: &TopicMeta, partition: u32) -> Result<Option<store::LogEnd>> {
    let Some(leader) = meta.partition(partition).and_then(|p| p.leader) else {
        return Ok(None);
    };
    store::log_end(&cluster.layout().replica_dir(leader, &meta.name, partition)).map(Some)
}

/// `group describe G`.
pub fn describe_group(cluster: &Cluster, group: &str) -> Result<GroupDescription> {
    let paths = existing_group(cluster, group)?;
    if paths.share_file().exists() {
        return Err(crate::consumer::share::files::wrong_type(group, crate::consumer::share::GroupType::Share));
    }
    let inspection = Inspection::read(&paths)?;
    let offsets = OffsetsFile::load(&paths)?;
    let has_offsets = paths.offsets_file().exists();
    let mut owners: BTreeMap<TopicPartition, String> = BTreeMap::new();
    for m in &inspection.live {
        for p in &m.assignment {
            owners.insert(p.clone(), m.member_id.clone());
        }
    }
    let mut partitions: BTreeSet<TopicPartition> = owners.keys().cloned().collect();
    partitions.extend(offsets.offsets.iter().map(|c| TopicPartition::new(&c.topic, c.partition)));
    let mut topics: BTreeMap<String, Option<TopicMeta>> = BTreeMap::new();
    let mut rows = Vec::new();
    for p in partitions {
        if !topics.contains_key(&p.topic) {
            topics.insert(p.topic.clone(), cluster.find_topic(&p.topic)?);
        }
        let log = match topics.get(&p.topic).and_then(Option::as_ref) {
            Some(meta) => leader_log_end(cluster, meta, p.partition)?,
            None => None,
        };
        let entry = offsets.get(&p.topic, p.partition);
        let (committed, leader_epoch) = (entry.map(|c| c.offset), entry.and_then(|c| c.leader_epoch));
        let lag = match (committed, log) {
            (Some(c), Some(log)) => Some(log.end_offset.saturating_sub(c.max(log.start_offset))),
            _ => None,
        };
        let below_log_start = matches!((committed, log), (Some(c), Some(log)) if c < log.start_offset);
        rows.push(PartitionOffset {
            member_id: owners.get(&p).cloned(),
            topic: p.topic,
            partition: p.partition,
            committed,
            leader_epoch,
            log_start_offset: log.map(|l| l.start_offset),
            log_end_offset: log.map(|l| l.end_offset),
            lag,
            below_log_start,
        });
    }
    let mut members: Vec<MemberDescription> = inspection
        .live
        .iter()
        .map(|m| MemberDescription {
            member_id: m.member_id.clone(),
            client_id: m.client_id.clone(),
            host: m.host.clone(),
            pid: m.pid,
            kind: m.kind,
            assignment: m.assignment.clone(),
        })
        .collect();
    members.sort_by(|a, b| a.member_id.cmp(&b.member_id));
    Ok(GroupDescription {
        group: group.to_string(),
        state: inspection.state_name(has_offsets),
        generation: inspection.state.as_ref().map_or(0, |s| s.generation),
        strategy: inspection.state.as_ref().and_then(|s| s.strategy).filter(|_| !inspection.live.is_empty()),
        protocol: inspection.client_led_protocol(),
        total_lag: rows.iter().filter_map(|r| r.lag).sum(),
        members,
        offsets: rows,
    })
}

//! `state.json`: the group's membership and assignment, rewritten atomically
//! under the group lock at every change. Holds the pure rebalance step:
//! generation N+1 and every subscribed partition re-assigned among the
//! members with the group's strategy (previous ownership passed for the sticky
//! strategies; cooperative-sticky leaves partitions that change owner unassigned until
//! a follow-up rebalance, see `member.rs`).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::client_led::ClientLed;
use super::paths::GroupPaths;
use crate::cluster::Cluster;
use crate::cluster::metadata::group_files::{GroupFile, read_group_file};
use crate::consumer::TopicPartition;
use crate::consumer::assignors::{self, Assignment, MemberSubscription, Strategy};
use crate::error::{Error, Reason, Result};
use crate::sys::clock::now_ms;
use crate::sys::json_file;

/// Formats of `offsets.json` and of `state.json` this build writes.
pub use crate::cluster::metadata::group_files::{GROUP_FORMAT_VERSION, STATE_FORMAT_VERSION};

/// What process a member is: a `runnel consume --group` process, or a Kafka client
/// behind `runnel serve` (a "remote" member, `consumer::group::remote`), whose liveness
/// claim and partition claims the serve process holds on its behalf.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum MemberKind {
    /// `runnel consume --group` (absent from `state.json`: the default).
    #[default]
    #[serde(rename = "runnel")]
    Runnel,
    /// A Kafka client speaking the classic group protocol to `runnel serve`.
    #[serde(rename = "kafka")]
    Kafka,
}

impl MemberKind {
    /// Whether this is the default kind (left out of `state.json`).
    pub fn is_runnel(&self) -> bool {
        *self == MemberKind::Runnel
    }

    /// `"runnel"` or `"kafka"`.
    pub fn name(&self) -> &'static str {
        match self {
            MemberKind::Runnel => "runnel",
            MemberKind::Kafka => "kafka",
        }
    }
}

/// A member as recorded in `state.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberInfo {
    pub member_id: String,
    pub client_id: String,
    pub host: String,
    pub pid: u32,
    pub topics: Vec<String>,
    /// Evicted after this long without a heartbeat.
    pub session_timeout_ms: u64,
    pub joined_ms: i64,
    /// The generation whose assignment this member has taken up (released
    /// what it lost, claimed what it got): the group is Stable when every
    /// member has synced the current generation.
    pub synced_generation: u64,
    /// Its partitions in the current generation.
    pub assignment: Vec<TopicPartition>,
    /// Which kind of process the member is (absent: `runnel`).
    #[serde(default, skip_serializing_if = "MemberKind::is_runnel")]
    pub kind: MemberKind,
    /// A Kafka client's `group.instance.id` (static membership), if it set one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<String>,
    /// The strategies a Kafka client offered that runnel knows, in its order
    /// of preference, for the choice of the group's (Kafka's vote, see
    /// `remote::select_protocol`). Empty: the member uses the group's
    /// strategy only (a `runnel consume --group` member).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub protocols: Vec<Strategy>,
}

impl MemberInfo {
    /// The strategies the member can use, in its order of preference:
    /// its protocols, else the group's strategy `current`.
    pub fn offers(&self, current: Option<Strategy>) -> Vec<Strategy> {
        if self.protocols.is_empty() { current.into_iter().collect() } else { self.protocols.clone() }
    }
}

/// `state.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupState {
    pub format_version: u32,
    pub generation: u64,
    /// The strategy of the live members (its protocol name, `"range"` say);
    /// `None` once the group is empty. A name this build does not know makes
    /// the file damaged (`load` fails naming it).
    pub strategy: Option<Strategy>,
    pub members: Vec<MemberInfo>,
    /// Partition counts the current assignment was made from.
    pub partition_counts: BTreeMap<String, u32>,
    pub updated_ms: i64,
    /// Present while a client computes the group's assignment (Kafka's
    /// classic protocol run as a Kafka broker runs it: Connect, Streams,
    /// custom assignors); `strategy` is then `None`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_led: Option<ClientLed>,
}

impl Default for GroupState {
    fn default() -> Self {
        GroupState {
            format_version: STATE_FORMAT_VERSION,
            generation: 0,
            strategy: None,
            members: Vec::new(),
            partition_counts: BTreeMap::new(),
            updated_ms: 0,
            client_led: None,
        }
    }
}

impl GroupState {
    /// Reads `state.json`; `None` if the group has none. A file that is not
    /// a valid state (shape, version, member ids, names, partitions) is
    /// exit 74 naming it.
    pub fn load(paths: &GroupPaths) -> Result<Option<GroupState>> {
        read_group_file(&paths.state_file(), GroupFile::State)
    }

    /// Writes `state.json` in this build's format (caller holds the group lock).
    pub fn save(&mut self, paths: &GroupPaths) -> Result<()> {
        self.format_version = STATE_FORMAT_VERSION;
        self.updated_ms = now_ms();
        json_file::write(&paths.state_file(), self)
    }

    pub fn member(&self, member_id: &str) -> Option<&MemberInfo> {
        self.members.iter().find(|m| m.member_id == member_id)
    }

    /// The member that owns `p` in the current generation.
    pub fn owner_of(&self, p: &TopicPartition) -> Option<&MemberInfo> {
        self.members.iter().find(|m| m.assignment.contains(p))
    }

    /// Every topic some member subscribes to.
    pub fn subscribed_topics(&self) -> BTreeSet<String> {
        self.members.iter().flat_map(|m| m.topics.iter().cloned()).collect()
    }

    /// Whether the group's members (some of them) are Kafka clients that
    /// assign among themselves (see `client_led`).
    pub fn is_client_led(&self) -> bool {
        self.client_led.as_ref().is_some_and(|led| !led.members.is_empty())
    }

    /// Whether a subscribed topic's partition count moved since the
    /// assignment was made (a client-led group's leader watches that itself).
    pub fn partition_counts_moved(&self, counts: &BTreeMap<String, u32>) -> bool {
        self.client_led.is_none() && *counts != self.partition_counts
    }

    /// Whether some partition of a subscribed topic is in no member's assignment: with
    /// cooperative-sticky, a partition moving between members waits there for a
    /// follow-up rebalance until its old owner has released it.
    pub fn has_unassigned_partitions(&self) -> bool {
        let assigned: BTreeSet<&TopicPartition> = self.members.iter().flat_map(|m| &m.assignment).collect();
        let subscribed = self.subscribed_topics();
        self.partition_counts
            .iter()
            .filter(|(topic, _)| subscribed.contains(*topic))
            .any(|(topic, &n)| (0..n).any(|p| !assigned.contains(&TopicPartition::new(topic.as_str(), p))))
    }

    /// Whether a cooperative rebalance's second phase is overdue: every member has taken
    /// up the current generation (released what it lost), yet partitions are unassigned.
    pub fn cooperative_follow_up_due(&self) -> bool {
        self.strategy.is_some_and(|s| s.is_cooperative())
            && !self.members.is_empty()
            && self.members.iter().all(|m| m.synced_generation == self.generation)
            && self.has_unassigned_partitions()
    }

    /// Moves to the next generation: every subscribed partition is assigned
    /// among the members with `strategy`; nobody has synced it yet.
    /// A client-led group starts a rebalance instead (its next generation
    /// begins when its members have joined again), without the members
    /// `state` no longer lists.
    pub fn rebalance(&mut self, strategy: Strategy, partition_counts: BTreeMap<String, u32>) {
        if let Some(led) = &mut self.client_led {
            let listed: BTreeSet<&str> = self.members.iter().map(|m| m.member_id.as_str()).collect();
            let gone: Vec<String> = led.members.keys().filter(|id| !listed.contains(id.as_str())).cloned().collect();
            for id in gone {
                led.remove(&id);
            }
            led.prepare(now_ms());
            self.partition_counts = partition_counts;
            return;
        }
        self.generation += 1;
        self.members.sort_by(|a, b| a.member_id.cmp(&b.member_id));
        if self.members.is_empty() {
            self.strategy = None;
            self.partition_counts = BTreeMap::new();
            return;
        }
        let previous: Assignment = self.members.iter().map(|m| (m.member_id.clone(), m.assignment.clone())).collect();
        let subscriptions: Vec<MemberSubscription> =
            self.members.iter().map(|m| MemberSubscription::new(m.member_id.clone(), m.topics.clone())).collect();
        let assignment = assignors::assign(strategy, &subscriptions, &partition_counts, &previous);
        for member in &mut self.members {
            member.assignment = assignment.get(&member.member_id).cloned().unwrap_or_default();
        }
        self.strategy = Some(strategy);
        self.partition_counts = partition_counts;
    }
}

/// The current partition count of each topic (topics that no longer exist
/// count zero partitions).
pub fn partition_counts(cluster: &Cluster, topics: &BTreeSet<String>) -> Result<BTreeMap<String, u32>> {
    let mut counts = BTreeMap::new();
    for topic in topics {
        let n = cluster.find_topic(topic)?.map_or(0, |t| t.partition_count());
        counts.insert(topic.clone(), n);
    }
    Ok(counts)
}

/// The error for a member whose strategy differs from the live group's.
pub fn strategy_mismatch(group: &str, live: Strategy, asked: Strategy) -> Error {
    Error::usage(format!(
        "group '{group}' uses the {live} assignor but this member asked for {asked}; all members of a group must use one strategy"
    ))
    .because(Reason::StrategyMismatch { group: group.to_string(), live: live.to_string(), asked: asked.to_string() })
}

/// A `runnel consume --group` member asked to join a group whose Kafka
/// clients assign among themselves: it cannot take part in their assignor.
pub fn client_led_refusal(group: &str, led: &ClientLed) -> Error {
    let protocol = led.protocol.as_deref().unwrap_or("?");
    Error::conflict(format!(
        "group '{group}' is assigned by its Kafka clients' own assignor (protocol type '{}', protocol '{protocol}'); a runnel member cannot join it: use another group",
        led.protocol_type
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(id: &str, topics: &[&str]) -> MemberInfo {
        MemberInfo {
            member_id: id.to_string(),
            client_id: "c".to_string(),
            host: "h".to_string(),
            pid: 1,
            topics: topics.iter().map(|t| t.to_string()).collect(),
            session_timeout_ms: 10_000,
            joined_ms: 0,
            synced_generation: 0,
            assignment: Vec::new(),
            kind: MemberKind::Runnel,
            instance_id: None,
            protocols: Vec::new(),
        }
    }

    #[test]
    fn rebalance_assigns_every_partition_once_and_bumps_the_generation() {
        let mut state =
            GroupState { members: vec![member("b", &["t", "u"]), member("a", &["t"])], ..Default::default() };
        let counts = BTreeMap::from([("t".to_string(), 3), ("u".to_string(), 2)]);
        state.rebalance(Strategy::Range, counts.clone());
        assert_eq!(state.generation, 1);
        let mut all: Vec<TopicPartition> = state.members.iter().flat_map(|m| m.assignment.clone()).collect();
        all.sort();
        assert_eq!(all.len(), 5);
        all.dedup();
        assert_eq!(all.len(), 5);
        assert_eq!(state.member("a").map(|m| m.assignment.len()), Some(2));
        assert_eq!(state.strategy, Some(Strategy::Range));
        state.members.retain(|m| m.member_id != "a");
        state.rebalance(Strategy::Sticky, counts);
        assert_eq!(state.generation, 2);
        assert_eq!(state.member("b").map(|m| m.assignment.len()), Some(5));
        state.members.clear();
        state.rebalance(Strategy::Sticky, BTreeMap::new());
        assert_eq!((state.generation, state.strategy), (3, None));
    }

    /// `state.json` as runnel wrote it before `strategy` was an enum and the
    /// partitions `TopicPartition`s: read and written back byte for byte.
    #[test]
    fn state_json_of_earlier_builds_round_trips_byte_for_byte() {
        let text = r#"{
  "format_version": 1,
  "generation": 2,
  "strategy": "roundrobin",
  "members": [
    {
      "member_id": "runnel-4101-85875a9ca3765575",
      "client_id": "runnel-4101",
      "host": "vm",
      "pid": 4101,
      "topics": [
        "t",
        "u"
      ],
      "session_timeout_ms": 10000,
      "joined_ms": 1796189727918,
      "synced_generation": 2,
      "assignment": [
        {
          "topic": "t",
          "partition": 0
        },
        {
          "topic": "u",
          "partition": 2
        }
      ]
    }
  ],
  "partition_counts": {
    "t": 4,
    "u": 3
  },
  "updated_ms": 1796189728000
}
"#;
        for (name, strategy) in [
            ("range", Strategy::Range),
            ("roundrobin", Strategy::RoundRobin),
            ("sticky", Strategy::Sticky),
            ("cooperative-sticky", Strategy::CooperativeSticky),
        ] {
            let text = text.replace("\"roundrobin\"", &format!("\"{name}\""));
            let state: GroupState = serde_json::from_str(&text).expect("parse");
            assert_eq!(state.strategy, Some(strategy));
            assert_eq!(state.members[0].assignment[1], TopicPartition::new("u", 2));
            let mut again = serde_json::to_string_pretty(&state).expect("json");
            again.push('\n');
            assert_eq!(again, text);
        }
        let empty = text.replace("\"roundrobin\"", "null");
        let state: GroupState = serde_json::from_str(&empty).expect("parse");
        assert_eq!(state.strategy, None);
        assert_eq!(serde_json::to_string_pretty(&state).expect("json") + "\n", empty);
    }

    #[test]
    fn a_cooperative_rebalance_leaves_moving_partitions_for_a_second_phase() {
        let counts = BTreeMap::from([("t".to_string(), 4)]);
        let mut state = GroupState { members: vec![member("a", &["t"])], ..Default::default() };
        state.rebalance(Strategy::CooperativeSticky, counts.clone());
        assert_eq!(state.member("a").map(|m| m.assignment.len()), Some(4));
        assert!(!state.has_unassigned_partitions());
        state.members.push(member("b", &["t"]));
        state.rebalance(Strategy::CooperativeSticky, counts.clone());
        assert_eq!(
            state.member("a").map(|m| m.assignment.clone()),
            Some(vec![TopicPartition::new("t", 0), TopicPartition::new("t", 1)])
        );
        assert_eq!(state.member("b").map(|m| m.assignment.len()), Some(0));
        assert!(state.has_unassigned_partitions());
        assert!(!state.cooperative_follow_up_due(), "not before every member took up the generation");
        for m in &mut state.members {
            m.synced_generation = state.generation;
        }
        assert!(state.cooperative_follow_up_due());
        state.rebalance(Strategy::CooperativeSticky, counts);
        assert_eq!(state.member("b").map(|m| m.assignment.len()), Some(2));
        assert!(!state.has_unassigned_partitions());
        // Eager strategies never leave partitions unassigned.
        state.members.push(member("c", &["t"]));
        state.rebalance(Strategy::Sticky, BTreeMap::from([("t".to_string(), 4)]));
        assert!(!state.has_unassigned_partitions() && !state.cooperative_follow_up_due());
    }

    #[test]
    fn more_members_than_partitions_leaves_extras_idle() {
        let mut state = GroupState {
            members: vec![member("a", &["t"]), member("b", &["t"]), member("c", &["t"])],
            ..Default::default()
        };
        state.rebalance(Strategy::RoundRobin, BTreeMap::from([("t".to_string(), 2)]));
        let idle = state.members.iter().filter(|m| m.assignment.is_empty()).count();
        assert_eq!(idle, 1);
        assert!(strategy_mismatch("g", Strategy::Range, Strategy::Sticky).message.contains("range"));
    }
}

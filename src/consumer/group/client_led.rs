//! A group whose assignment one of its clients computes, as Kafka's classic
//! group protocol has it: Kafka Connect (`connect`), Kafka Streams
//! (`stream`), Schema Registry, a custom `ConsumerPartitionAssignor`. Its
//! part of `state.json` and the pure steps of Kafka's state machine
//! (`ClassicGroup`): a rebalance starts (PreparingRebalance), waits for every
//! member to join again or for the longest rebalance timeout, drops the
//! members that did not, and moves to the next generation with a protocol
//! every member supports (CompletingRebalance); the leader, a member, gets
//! every member's metadata, runs the assignor, and sends the assignments in
//! its SyncGroup (Stable). The waiting and the files are
//! `consumer::group::remote`'s.

use std::collections::{BTreeMap, BTreeSet};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Bytes a client sent (a protocol's metadata, an assignment), kept in
/// `state.json` as base64 text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Blob(pub Vec<u8>);

impl Serialize for Blob {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&STANDARD.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Blob {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Blob, D::Error> {
        let text = String::deserialize(d)?;
        STANDARD.decode(text.as_bytes()).map(Blob).map_err(serde::de::Error::custom)
    }
}

/// Where a client-led group is in Kafka's state machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// No members.
    Empty,
    /// PreparingRebalance: members join again.
    Preparing,
    /// CompletingRebalance: a new generation; the leader's SyncGroup is awaited.
    Completing,
    /// Stable: every member has its assignment.
    Stable,
}

/// One protocol a member offers: its name and metadata, as sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offered {
    pub name: String,
    pub metadata: Blob,
}

/// A member of a client-led group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedMember {
    /// In the member's order of preference.
    pub protocols: Vec<Offered>,
    pub rebalance_timeout_ms: u64,
    /// Its part of the leader's assignment in the current generation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignment: Option<Blob>,
}

/// `state.json`'s `client_led`: present while a group's assignment is a client's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientLed {
    /// `consumer`, `connect`, `sr`...: every member joins with the same.
    pub protocol_type: String,
    pub phase: Phase,
    /// The protocol of the current generation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    /// The member that assigns in the current generation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leader: Option<String>,
    /// While preparing: when the members that have not joined again are dropped.
    #[serde(default)]
    pub deadline_ms: i64,
    /// While preparing: the members that joined again.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub joined: Vec<String>,
    /// When the current generation began (its join completed).
    #[serde(default)]
    pub completed_ms: i64,
    /// The members that sent their SyncGroup in the current generation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub synced: Vec<String>,
    /// When the leader's SyncGroup of the current generation was refused
    /// (its group record too large, `record_size`): a SyncGroup waiting
    /// since before then is answered with the same error.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub sync_failed_ms: i64,
    pub members: BTreeMap<String, LedMember>,
}

fn is_zero(ms: &i64) -> bool {
    *ms == 0
}

/// What a JoinGroup does once recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinStep {
    /// Answered at once with the current generation.
    Answer,
    /// Answered when the rebalance completes.
    Wait,
}

impl ClientLed {
    pub fn new(protocol_type: &str) -> ClientLed {
        ClientLed {
            protocol_type: protocol_type.to_string(),
            phase: Phase::Empty,
            protocol: None,
            leader: None,
            deadline_ms: 0,
            joined: Vec::new(),
            completed_ms: 0,
            synced: Vec::new(),
            sync_failed_ms: 0,
            members: BTreeMap::new(),
        }
    }

    /// The protocols every member supports (Kafka's candidate protocols).
    fn candidates(&self) -> BTreeSet<&str> {
        let mut members = self.members.values();
        let Some(first) = members.next() else { return BTreeSet::new() };
        let mut common: BTreeSet<&str> = first.protocols.iter().map(|p| p.name.as_str()).collect();
        for m in members {
            common.retain(|name| m.protocols.iter().any(|p| p.name == *name));
        }
        common
    }

    /// Whether a member of `protocol_type` offering `offered` may join, as
    /// Kafka's `supportsProtocols` judges: the same protocol type, and one
    /// protocol every member supports — the joining member's earlier
    /// protocols count too, so a sole member cannot switch protocol type
    /// or protocols (an empty group: any protocol).
    pub fn accepts(&self, protocol_type: &str, offered: &[Offered]) -> bool {
        if offered.is_empty() || protocol_type.is_empty() {
            return false;
        }
        if self.members.is_empty() {
            return true;
        }
        protocol_type == self.protocol_type
            && offered.iter().any(|o| self.members.values().all(|m| m.protocols.iter().any(|p| p.name == o.name)))
    }

    /// Starts a rebalance (unless one is under way): every member is to join
    /// again before the longest of their rebalance timeouts. An empty group
    /// goes to Empty.
    pub fn prepare(&mut self, now_ms: i64) {
        if self.members.is_empty() {
            self.phase = Phase::Empty;
            self.protocol = None;
            self.leader = None;
            self.joined.clear();
            return;
        }
        if self.phase == Phase::Preparing {
            return;
        }
        let timeout = self.members.values().map(|m| m.rebalance_timeout_ms).max().unwrap_or(0);
        self.phase = Phase::Preparing;
        self.joined.clear();
        self.deadline_ms = now_ms.saturating_add(i64::try_from(timeout).unwrap_or(i64::MAX));
    }

    /// Records a JoinGroup of `member_id` (new or known): as Kafka, a known
    /// member with the same protocols is answered at once, unless the group
    /// is Stable and it is the leader (its join means it wants to assign
    /// again) or a rebalance is under way; anything else starts one.
    pub fn join(&mut self, member_id: &str, offered: Vec<Offered>, rebalance_timeout_ms: u64, now_ms: i64) -> JoinStep {
        let known = self.members.get(member_id);
        let same = known.is_some_and(|m| m.protocols == offered);
        let assignment = known.and_then(|m| m.assignment.clone());
        let leader = self.leader.as_deref() == Some(member_id);
        self.members.insert(member_id.to_string(), LedMember { protocols: offered, rebalance_timeout_ms, assignment });
        let answer = match self.phase {
            Phase::Completing => same,
            Phase::Stable => same && !leader,
            Phase::Empty | Phase::Preparing => false,
        };
        if answer {
            return JoinStep::Answer;
        }
        self.prepare(now_ms);
        if !self.joined.iter().any(|id| id == member_id) {
            self.joined.push(member_id.to_string());
        }
        JoinStep::Wait
    }

    /// A static member back under a new id takes its old self's place as
    /// it was (KIP-345): protocols, assignment, leadership.
    pub fn rename(&mut self, old: &str, new: &str) {
        if let Some(member) = self.members.remove(old) {
            self.members.insert(new.to_string(), member);
        }
        for id in self.joined.iter_mut().filter(|id| *id == old) {
            *id = new.to_string();
        }
        if self.leader.as_deref() == Some(old) {
            self.leader = Some(new.to_string());
        }
    }

    /// The group with a static member back under a new id in its old
    /// self's place, offering `offered` now — if the group would still
    /// select the protocol it uses (Kafka's test in
    /// `updateStaticMemberThenRebalanceOrCompleteJoin`): then nothing
    /// rebalances, whatever else its metadata (a subscription, say) now
    /// says. `None` when it would select another, or `old` is not a member.
    pub fn rejoined_in_place(&self, old: &str, new: &str, offered: &[Offered]) -> Option<ClientLed> {
        let current = self.protocol.as_deref()?;
        let mut next = self.clone();
        next.members.get_mut(old)?.protocols = offered.to_vec();
        if next.vote().as_deref() != Some(current) {
            return None;
        }
        next.rename(old, new);
        Some(next)
    }

    /// Forgets a member (left, evicted, or dropped by a rebalance).
    pub fn remove(&mut self, member_id: &str) {
        self.members.remove(member_id);
        self.joined.retain(|id| id != member_id);
    }

    /// Whether the rebalance under way can complete: every member joined
    /// again, or the deadline passed.
    pub fn join_complete(&self, now_ms: i64) -> bool {
        self.phase == Phase::Preparing
            && (self.members.keys().all(|id| self.joined.contains(id)) || now_ms >= self.deadline_ms)
    }

    /// Completes the rebalance: the members that did not join again are
    /// dropped (returned), and the group moves to `generation + 1` with the
    /// protocol the members vote for and a leader (the previous one if it
    /// stayed, else the first to join), every assignment cleared. Returns
    /// the dropped members and whether a generation began (not when none is
    /// left: the group is then Empty).
    pub fn complete(&mut self, generation: &mut u64, now_ms: i64) -> (Vec<String>, bool) {
        let dropped: Vec<String> = self.members.keys().filter(|id| !self.joined.contains(id)).cloned().collect();
        for id in &dropped {
            self.members.remove(id);
        }
        if self.members.is_empty() {
            self.prepare(0);
            return (dropped, false);
        }
        *generation += 1;
        self.protocol = self.vote();
        if !self.leader.as_ref().is_some_and(|l| self.members.contains_key(l)) {
            self.leader = self.joined.first().cloned();
        }
        for m in self.members.values_mut() {
            m.assignment = None;
        }
        self.joined.clear();
        self.synced.clear();
        self.completed_ms = now_ms;
        self.phase = Phase::Completing;
        (dropped, true)
    }

    /// Kafka's `selectProtocol`: of the protocols every member supports,
    /// the one most members prefer (each votes for its first among them);
    /// a tie goes to the leader's (or the first member's) preference.
    fn vote(&self) -> Option<String> {
        let candidates = self.candidates();
        let mut votes: BTreeMap<&str, usize> = BTreeMap::new();
        for m in self.members.values() {
            if let Some(name) = m.protocols.iter().map(|p| p.name.as_str()).find(|n| candidates.contains(n)) {
                *votes.entry(name).or_default() += 1;
            }
        }
        let most = votes.values().copied().max()?;
        let first = self.leader.as_ref().and_then(|l| self.members.get(l)).or_else(|| self.members.values().next())?;
        first
            .protocols
            .iter()
            .map(|p| p.name.as_str())
            .find(|n| votes.get(n) == Some(&most))
            .or_else(|| votes.iter().find(|(_, v)| **v == most).map(|(n, _)| *n))
            .map(str::to_string)
    }

    /// Records a member's SyncGroup in the current generation; whether it
    /// is news.
    pub fn mark_synced(&mut self, member_id: &str) -> bool {
        let new = !self.synced.iter().any(|id| id == member_id);
        if new {
            self.synced.push(member_id.to_string());
        }
        new
    }

    /// The members that have not sent their SyncGroup by the longest
    /// rebalance timeout after their generation began: Kafka drops them
    /// (`expirePendingSync`), so a leader that never assigns (or a member
    /// gone after it joined) does not hold the group up.
    pub fn sync_overdue(&self, now_ms: i64) -> Vec<String> {
        if !matches!(self.phase, Phase::Completing | Phase::Stable) {
            return Vec::new();
        }
        let timeout = self.members.values().map(|m| m.rebalance_timeout_ms).max().unwrap_or(0);
        if now_ms < self.completed_ms.saturating_add(i64::try_from(timeout).unwrap_or(i64::MAX)) {
            return Vec::new();
        }
        self.members.keys().filter(|id| !self.synced.contains(id)).cloned().collect()
    }

    /// The leader's SyncGroup: each member's assignment (a member it left
    /// out gets an empty one), and the group is Stable.
    pub fn assign(&mut self, assignments: &[(String, Vec<u8>)]) {
        for (id, m) in &mut self.members {
            let given = assignments.iter().find(|(member, _)| member == id).map(|(_, a)| a.clone());
            m.assignment = Some(Blob(given.unwrap_or_default()));
        }
        self.phase = Phase::Stable;
    }

    /// The leader's assignment was refused: as Kafka, every member's
    /// assignment is emptied and the group prepares a rebalance.
    pub fn refuse_assignment(&mut self, now_ms: i64) {
        for m in self.members.values_mut() {
            m.assignment = None;
        }
        self.synced.clear();
        self.phase = Phase::Completing;
        self.prepare(now_ms);
        self.sync_failed_ms = now_ms;
    }

    /// A member's metadata for the current protocol (empty if it has none).
    pub fn metadata_of(&self, member_id: &str) -> Vec<u8> {
        let protocol = self.protocol.as_deref().unwrap_or_default();
        self.members
            .get(member_id)
            .and_then(|m| m.protocols.iter().find(|p| p.name == protocol))
            .map(|p| p.metadata.0.clone())
            .unwrap_or_default()
    }

    /// A member's assignment in the current generation (empty before the
    /// leader's SyncGroup).
    pub fn assignment_of(&self, member_id: &str) -> Vec<u8> {
        self.members.get(member_id).and_then(|m| m.assignment.as_ref()).map(|a| a.0.clone()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offered(names: &[&str]) -> Vec<Offered> {
        names.iter().map(|n| Offered { name: n.to_string(), metadata: Blob(n.as_bytes().to_vec()) }).collect()
    }

    #[test]
    fn a_rebalance_waits_for_every_member_then_the_leader_assigns() {
        let mut g = ClientLed::new("consumer");
        let mut generation = 0;
        assert_eq!(g.join("a", offered(&["stream"]), 1000, 0), JoinStep::Wait);
        assert_eq!(g.phase, Phase::Preparing);
        assert_eq!(g.deadline_ms, 1000);
        assert!(g.join_complete(0), "the one member joined");
        assert_eq!(g.complete(&mut generation, 0), (vec![], true));
        assert_eq!((generation, g.phase, g.leader.as_deref()), (1, Phase::Completing, Some("a")));
        assert_eq!(g.protocol.as_deref(), Some("stream"));
        assert_eq!(g.metadata_of("a"), b"stream");
        g.assign(&[("a".into(), b"all".to_vec())]);
        assert_eq!((g.phase, g.assignment_of("a")), (Phase::Stable, b"all".to_vec()));

        // A second member: a rebalance, which waits for "a" to join again.
        assert_eq!(g.join("b", offered(&["stream"]), 5000, 100), JoinStep::Wait);
        assert_eq!((g.phase, g.deadline_ms), (Phase::Preparing, 5100));
        assert!(!g.join_complete(200));
        assert_eq!(g.join("a", offered(&["stream"]), 1000, 300), JoinStep::Wait);
        assert!(g.join_complete(300));
        g.complete(&mut generation, 0);
        assert_eq!((generation, g.leader.as_deref()), (2, Some("a")), "the leader stays");
        assert!(g.assignment_of("a").is_empty(), "assignments are the new generation's");
        g.assign(&[("a".into(), b"x".to_vec())]);
        assert_eq!((g.assignment_of("a"), g.assignment_of("b")), (b"x".to_vec(), Vec::new()));
    }

    #[test]
    fn a_known_member_with_the_same_protocols_is_answered_at_once_unless_it_leads_a_stable_group() {
        let mut g = ClientLed::new("connect");
        let mut generation = 0;
        g.join("a", offered(&["sessioned"]), 1000, 0);
        g.join("b", offered(&["sessioned"]), 1000, 0);
        g.complete(&mut generation, 0);
        assert_eq!(g.join("b", offered(&["sessioned"]), 1000, 10), JoinStep::Answer, "completing, same protocols");
        g.assign(&[]);
        assert_eq!(g.join("b", offered(&["sessioned"]), 1000, 10), JoinStep::Answer, "stable follower");
        assert_eq!(g.phase, Phase::Stable);
        assert_eq!(g.join("a", offered(&["sessioned"]), 1000, 10), JoinStep::Wait, "stable leader");
        assert_eq!(g.phase, Phase::Preparing);
        g.complete(&mut generation, 0);
        g.assign(&[]);
        assert_eq!(g.join("b", offered(&["sessioned", "compatible"]), 1000, 20), JoinStep::Wait, "new protocols");
    }

    #[test]
    fn members_that_do_not_join_again_in_time_are_dropped() {
        let mut g = ClientLed::new("consumer");
        let mut generation = 0;
        g.join("a", offered(&["custom"]), 1000, 0);
        g.join("b", offered(&["custom"]), 1000, 0);
        g.complete(&mut generation, 0);
        g.assign(&[]);
        g.join("c", offered(&["custom"]), 1000, 100);
        assert!(!g.join_complete(1099));
        assert!(g.join_complete(1100), "the deadline passed");
        let (dropped, began) = g.complete(&mut generation, 0);
        assert_eq!((dropped, began), (vec!["a".to_string(), "b".to_string()], true));
        assert_eq!(g.leader.as_deref(), Some("c"), "the old leader left: the first to join leads");
        g.remove("c");
        g.prepare(2000);
        assert_eq!((g.phase, g.leader.as_deref()), (Phase::Empty, None));
    }

    #[test]
    fn the_protocol_is_the_one_most_members_prefer_among_those_all_support() {
        let mut g = ClientLed::new("consumer");
        let mut generation = 0;
        g.join("a", offered(&["custom", "range"]), 1000, 0);
        g.join("b", offered(&["range", "custom"]), 1000, 0);
        g.join("c", offered(&["range", "custom"]), 1000, 0);
        g.complete(&mut generation, 0);
        assert_eq!(g.protocol.as_deref(), Some("range"));
        assert_eq!(g.metadata_of("a"), b"range");
        // Only what every member offers is a candidate.
        assert!(g.accepts("consumer", &offered(&["custom"])));
        assert!(!g.accepts("consumer", &offered(&["roundrobin"])));
        assert!(!g.accepts("connect", &offered(&["custom"])), "another protocol type");
        assert!(g.accepts("consumer", &offered(&["custom", "range"])));
        assert!(ClientLed::new("x").accepts("anything", &offered(&["p"])), "an empty group takes any");
        assert!(!ClientLed::new("x").accepts("", &offered(&["p"])), "but not an empty protocol type");
        // A sole member cannot switch: its own earlier protocols count (Kafka's supportsProtocols).
        let mut sole = ClientLed::new("consumer");
        sole.join("a", offered(&["custom"]), 1000, 0);
        assert!(!sole.accepts("consumer", &offered(&["other"])));
        assert!(!sole.accepts("connect", &offered(&["custom"])));
    }

    #[test]
    fn members_that_do_not_sync_by_the_rebalance_timeout_are_overdue() {
        let mut g = ClientLed::new("consumer");
        let mut generation = 0;
        g.join("a", offered(&["custom"]), 1000, 0);
        g.join("b", offered(&["custom"]), 1000, 0);
        g.complete(&mut generation, 500);
        assert!(g.sync_overdue(1499).is_empty(), "not yet");
        assert!(g.mark_synced("b"));
        assert!(!g.mark_synced("b"), "once");
        assert_eq!(g.sync_overdue(1500), vec!["a".to_string()], "the leader never sent its SyncGroup");
        g.assign(&[]);
        g.mark_synced("a");
        assert!(g.sync_overdue(9999).is_empty(), "everyone synced");
        g.prepare(10_000);
        assert!(g.sync_overdue(99_999).is_empty(), "not while preparing");
    }

    #[test]
    fn a_static_member_renamed_keeps_its_place() {
        let mut g = ClientLed::new("consumer");
        let mut generation = 0;
        g.join("a", offered(&["custom"]), 1000, 0);
        g.complete(&mut generation, 0);
        g.assign(&[("a".into(), b"mine".to_vec())]);
        g.rename("a", "a2");
        assert_eq!((g.leader.as_deref(), g.assignment_of("a2")), (Some("a2"), b"mine".to_vec()));
        assert!(!g.members.contains_key("a"));
    }

    /// A static member back with other metadata keeps its place as long as
    /// the group would still select the protocol it uses (Kafka's
    /// `selectProtocol` for the next generation); one whose protocols would
    /// change that does not.
    #[test]
    fn a_static_member_keeps_its_place_while_the_selected_protocol_stays() {
        let mut g = ClientLed::new("consumer");
        let mut generation = 0;
        g.join("a", offered(&["custom", "range"]), 1000, 0);
        g.join("b", offered(&["custom", "range"]), 1000, 0);
        g.complete(&mut generation, 0);
        assert_eq!(g.protocol.as_deref(), Some("custom"));
        let other_metadata = vec![Offered { name: "custom".into(), metadata: Blob(b"new subscription".to_vec()) }];
        let back = g.rejoined_in_place("a", "a2", &other_metadata).expect("new metadata, the same protocol");
        assert_eq!(back.metadata_of("a2"), b"new subscription".to_vec());
        assert!(!back.members.contains_key("a"), "the old id is gone");
        assert_eq!(back.members.len(), 2);
        assert!(
            g.rejoined_in_place("a", "a2", &offered(&["custom"])).is_some(),
            "a protocol dropped that was not selected"
        );
        assert!(g.rejoined_in_place("a", "a2", &offered(&["range", "custom"])).is_none(), "a tie now goes to range");
        assert!(g.rejoined_in_place("a", "a2", &offered(&["range"])).is_none(), "custom no longer supported by all");
        assert!(g.rejoined_in_place("nobody", "n2", &offered(&["custom"])).is_none());
    }

    #[test]
    fn blobs_are_kept_as_base64_text() {
        let blob = Blob(vec![0, 1, 2, 255]);
        let text = serde_json::to_string(&blob).expect("encode");
        assert_eq!(text, "\"AAEC/w==\"");
        assert_eq!(serde_json::from_str::<Blob>(&text).expect("decode"), blob);
        assert!(serde_json::from_str::<Blob>("\"not base64!\"").is_err());
    }
}

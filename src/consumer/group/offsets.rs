//! `offsets.json`: the group's committed offsets (the next offset to read,
//! Kafka's rule), with who committed each and in which generation. A commit
//! is one atomic JSON rewrite under the group lock, fenced: it is refused
//! from a member that is no longer in the group, from an older generation,
//! or for a partition the member neither owns in the current generation nor
//! still holds the ownership claim of (a revoked partition is committed by
//! its old owner before it releases the claim the new owner waits for).

use serde::{Deserialize, Serialize};

use super::delivery::CommitPoint;
use super::owners;
use super::paths::GroupPaths;
use super::state::{GROUP_FORMAT_VERSION, GroupState};
use crate::cluster::Cluster;
use crate::cluster::metadata::group_files::{GroupFile, read_group_file};
use crate::consumer::TopicPartition;
use crate::error::Result;
use crate::sys::clock::now_ms;
use crate::sys::json_file;
use crate::sys::lock::{LockFile, LockGuard};

/// One committed offset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommittedOffset {
    pub topic: String,
    pub partition: u32,
    /// The next offset to read.
    pub offset: u64,
    /// The leader epoch of the record before `offset` (Kafka's
    /// `committedLeaderEpoch`, KIP-320), to detect a log truncated below
    /// the commit; absent from an admin reset and from files written
    /// before runnel recorded it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leader_epoch: Option<u32>,
    /// Who committed it (`None` for an admin reset).
    pub member_id: Option<String>,
    pub generation: u64,
    pub commit_ms: i64,
    /// The metadata string a Kafka client committed with the offset
    /// (`OffsetCommit`'s `committed_metadata`); absent when it sent none or
    /// an empty one, and from `consume --group` commits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<String>,
}

/// `offsets.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OffsetsFile {
    pub format_version: u32,
    pub offsets: Vec<CommittedOffset>,
}

impl Default for OffsetsFile {
    fn default() -> Self {
        OffsetsFile { format_version: GROUP_FORMAT_VERSION, offsets: Vec::new() }
    }
}

impl OffsetsFile {
    /// Reads `offsets.json` (none: no offsets). A file that is not valid
    /// (shape, version, names, a partition twice) is exit 74 naming it.
    pub fn load(paths: &GroupPaths) -> Result<OffsetsFile> {
        let mut file: OffsetsFile = read_group_file(&paths.offsets_file(), GroupFile::Offsets)?.unwrap_or_default();
        file.sort();
        Ok(file)
    }

    pub fn save(&mut self, paths: &GroupPaths) -> Result<()> {
        self.sort();
        json_file::write(&paths.offsets_file(), self)
    }

    /// In partition order (topic, then partition), as the file is written
    /// and the lookups below expect: a commit of 20,000 partitions searched
    /// the list once per partition.
    fn sort(&mut self) {
        self.offsets.sort_by(|a, b| (&a.topic, a.partition).cmp(&(&b.topic, b.partition)));
    }

    /// Where `topic:partition`'s entry is (`Ok`), or would go (`Err`).
    fn position(&self, topic: &str, partition: u32) -> std::result::Result<usize, usize> {
        self.offsets.binary_search_by(|c| (c.topic.as_str(), c.partition).cmp(&(topic, partition)))
    }

    pub fn get(&self, topic: &str, partition: u32) -> Option<&CommittedOffset> {
        self.position(topic, partition).ok().map(|i| &self.offsets[i])
    }

    /// Sets (or adds) the committed offset of `topic:partition`.
    pub fn set(&mut self, topic: &str, partition: u32, at: CommitPoint, member_id: Option<&str>, generation: u64) {
        let entry = CommittedOffset {
            topic: topic.to_string(),
            partition,
            offset: at.offset,
            leader_epoch: at.leader_epoch,
            member_id: member_id.map(str::to_string),
            generation,
            commit_ms: now_ms(),
            metadata: None,
        };
        match self.position(topic, partition) {
            Ok(i) => self.offsets[i] = entry,
            Err(i) => self.offsets.insert(i, entry),
        }
    }

    /// Sets the committed offset of `topic:partition` with a client's
    /// metadata string (an empty one is stored as none).
    pub fn set_with_metadata(
        &mut self,
        p: &TopicPartition,
        at: CommitPoint,
        metadata: Option<&str>,
        member_id: Option<&str>,
        generation: u64,
    ) {
        self.set(&p.topic, p.partition, at, member_id, generation);
        if let Ok(i) = self.position(&p.topic, p.partition) {
            self.offsets[i].metadata = metadata.filter(|m| !m.is_empty()).map(str::to_string);
        }
    }
}

/// What became of a commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommitOutcome {
    Committed,
    /// Refused: the member must drop its partitions (uncommitted) and rejoin.
    Fenced(String),
}

/// Takes the group lock (bounded wait, naming the holder on timeout).
pub fn lock_group(cluster: &Cluster, paths: &GroupPaths) -> Result<LockGuard> {
    paths.create()?;
    LockFile::open(&paths.group_lock())?.lock(cluster.lock_timeout())
}

/// Whether `member_id` holds the ownership claim of `p` right now.
pub fn holds_claim(paths: &GroupPaths, member_id: &str, p: &TopicPartition) -> Result<bool> {
    owners::holds(paths, member_id, p)
}

/// Why a commit must be refused, if it must (pure).
pub fn fence_reason(
    state: &GroupState,
    member_id: &str,
    generation: u64,
    p: &TopicPartition,
    holds_claim: bool,
) -> Option<String> {
    let Some(member) = state.member(member_id) else {
        return Some(format!("member {member_id} is no longer in the group (it left or was evicted)"));
    };
    if generation != state.generation {
        return Some(format!("generation {generation} is stale: the group is at generation {}", state.generation));
    }
    if !holds_claim && !member.assignment.contains(p) {
        return Some(format!(
            "partition {}-{} is not owned by {member_id} in generation {generation}",
            p.topic, p.partition
        ));
    }
    None
}

/// Commits `offsets` for `member_id` of `generation`: all or none.
pub fn commit(
    cluster: &Cluster,
    paths: &GroupPaths,
    member_id: &str,
    generation: u64,
    offsets: &[(TopicPartition, CommitPoint)],
) -> Result<CommitOutcome> {
    if offsets.is_empty() {
        return Ok(CommitOutcome::Committed);
    }
    let _guard = lock_group(cluster, paths)?;
    let state = GroupState::load(paths)?.unwrap_or_default();
    // Looked up once per partition: a commit of thousands of partitions.
    let assigned: std::collections::HashSet<&TopicPartition> =
        state.member(member_id).map(|m| m.assignment.iter().collect()).unwrap_or_default();
    for (p, _) in offsets {
        let owned = assigned.contains(p);
        let holds = !owned && holds_claim(paths, member_id, p)?;
        if let Some(reason) = fence_reason(&state, member_id, generation, p, owned || holds) {
            return Ok(CommitOutcome::Fenced(reason));
        }
    }
    let mut file = OffsetsFile::load(paths)?;
    for (p, at) in offsets {
        file.set(&p.topic, p.partition, *at, Some(member_id), generation);
    }
    file.save(paths)?;
    Ok(CommitOutcome::Committed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consumer::group::state::MemberInfo;

    #[test]
    fn fencing_rules() {
        let p = TopicPartition::new("t", 0);
        let q = TopicPartition::new("t", 1);
        let member = MemberInfo {
            member_id: "a".into(),
            client_id: "c".into(),
            host: "h".into(),
            pid: 1,
            topics: vec!["t".into()],
            session_timeout_ms: 1,
            joined_ms: 0,
            synced_generation: 3,
            assignment: vec![p.clone()],
            kind: Default::default(),
            instance_id: None,
            protocols: Vec::new(),
        };
        let state = GroupState { generation: 3, members: vec![member], ..Default::default() };
        assert_eq!(fence_reason(&state, "a", 3, &p, false), None);
        assert!(fence_reason(&state, "a", 2, &p, true).is_some_and(|r| r.contains("stale")));
        assert!(fence_reason(&state, "b", 3, &p, true).is_some_and(|r| r.contains("no longer")));
        assert!(fence_reason(&state, "a", 3, &q, false).is_some_and(|r| r.contains("not owned")));
        assert_eq!(fence_reason(&state, "a", 3, &q, true), None, "a revoked partition whose claim it still holds");
    }

    /// Entries set in any order are found, kept in partition order, and a
    /// file read in any order is searched correctly.
    #[test]
    fn entries_are_found_whatever_order_they_came_in() {
        let mut f = OffsetsFile::default();
        let order = [7u32, 2, 9, 0, 4, 2, 11, 1];
        for (i, p) in order.iter().enumerate() {
            for topic in ["b", "a"] {
                f.set(topic, *p, CommitPoint { offset: i as u64, leader_epoch: None }, None, 1);
            }
        }
        assert_eq!(f.offsets.len(), 14, "partition 2 was set twice per topic");
        assert!(f.offsets.windows(2).all(|w| (&w[0].topic, w[0].partition) < (&w[1].topic, w[1].partition)));
        assert_eq!(f.get("a", 2).map(|c| c.offset), Some(5));
        assert_eq!(f.get("b", 11).map(|c| c.offset), Some(6));
        assert!(f.get("a", 3).is_none() && f.get("c", 0).is_none());
        let dir = tempfile::tempdir().expect("tempdir");
        let paths = GroupPaths::in_groups_dir(dir.path(), "g").expect("paths");
        paths.create().expect("create");
        let shuffled = r#"{"format_version":1,"offsets":[
            {"topic":"t","partition":5,"offset":50,"member_id":null,"generation":0,"commit_ms":1},
            {"topic":"s","partition":9,"offset":90,"member_id":null,"generation":0,"commit_ms":1},
            {"topic":"t","partition":1,"offset":10,"member_id":null,"generation":0,"commit_ms":1}]}"#;
        std::fs::write(paths.offsets_file(), shuffled).expect("write");
        let loaded = OffsetsFile::load(&paths).expect("load");
        assert_eq!(
            [("t", 1), ("t", 5), ("s", 9)].map(|(t, p)| loaded.get(t, p).map(|c| c.offset)),
            [Some(10), Some(50), Some(90)]
        );
    }

    #[test]
    fn set_replaces() {
        let mut f = OffsetsFile::default();
        f.set("t", 0, CommitPoint { offset: 5, leader_epoch: Some(3) }, Some("a"), 1);
        f.set("t", 0, CommitPoint { offset: 9, leader_epoch: None }, None, 2);
        assert_eq!(f.offsets.len(), 1);
        assert_eq!(f.get("t", 0).map(|c| (c.offset, c.leader_epoch)), Some((9, None)));
    }

    #[test]
    fn the_leader_epoch_is_optional_on_disk() {
        let old = r#"{"format_version":1,"offsets":[{"topic":"t","partition":0,"offset":7,"member_id":null,"generation":0,"commit_ms":1}]}"#;
        let file: OffsetsFile = serde_json::from_str(old).expect("a file without epochs still reads");
        assert_eq!(file.get("t", 0).map(|c| (c.offset, c.leader_epoch)), Some((7, None)));
        let mut f = OffsetsFile::default();
        f.set("t", 0, CommitPoint { offset: 5, leader_epoch: Some(3) }, Some("a"), 1);
        let text = serde_json::to_string(&f).expect("json");
        assert!(text.contains(r#""offset":5,"leader_epoch":3,"#), "{text}");
    }
}

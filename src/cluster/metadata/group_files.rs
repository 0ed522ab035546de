//! The rules a consumer group's files must meet when read
//! (`groups/<group>/state.json` and `offsets.json`): the format version, and
//! every name, member id and partition in them checked as if a user had
//! typed it, since member ids become file names (`members/<id>.lock`) and
//! topics are looked up by name. The group types themselves live in
//! `consumer::group`; the rules live here, beside the other documents, so
//! that `consumer::group` reads through them and `log verify` reports a file
//! that breaks them, with one set of rules. Fields a rule does not look at
//! (a per-offset `leader_epoch`, say) are left to the full type.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::names;
use crate::error::Result;
use crate::sys::json_file::{damaged, read_bytes};

/// Format of `offsets.json` this build writes and reads.
pub const GROUP_FORMAT_VERSION: u32 = 1;

/// Format of `state.json` this build writes; it reads 1 and 2 too. Format 3
/// says that the group's members keep their partition claims in shard files,
/// `owners/<topic>.claims.<k>` (`consumer::group::owners`), and format 2 that
/// they kept them in one file per topic, `owners/<topic>.claims`: builds
/// knowing only an earlier format cannot see them, so they refuse the group
/// (exit 74) rather than read a partition another member owns.
pub const STATE_FORMAT_VERSION: u32 = 3;

/// Which group file a path is, by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupFile {
    State,
    Offsets,
}

impl GroupFile {
    /// `state.json` or `offsets.json`; `None` for any other name.
    pub fn of(path: &Path) -> Option<GroupFile> {
        match path.file_name()?.to_str()? {
            "state.json" => Some(GroupFile::State),
            "offsets.json" => Some(GroupFile::Offsets),
            _ => None,
        }
    }

    /// Why `bytes` are not a valid file of this kind, if they are not.
    pub fn problem(self, bytes: &[u8]) -> Option<String> {
        let checked = match self {
            GroupFile::State => {
                serde_json::from_slice::<StateView>(bytes).map_err(|e| e.to_string()).and_then(check_state)
            }
            GroupFile::Offsets => {
                serde_json::from_slice::<OffsetsView>(bytes).map_err(|e| e.to_string()).and_then(check_offsets)
            }
        };
        checked.err()
    }
}

/// Reads the group file at `path` as `T` once it meets `kind`'s rules;
/// `Ok(None)` when there is none. A file that breaks them is exit 74
/// naming it, never a panic or a default.
pub fn read_group_file<T: DeserializeOwned>(path: &Path, kind: GroupFile) -> Result<Option<T>> {
    let Some((bytes, _)) = read_bytes(path)? else { return Ok(None) };
    if let Some(why) = kind.problem(&bytes) {
        return Err(damaged(path, why));
    }
    serde_json::from_slice(&bytes).map(Some).map_err(|e| damaged(path, e))
}

/// The parts of `state.json` the rules look at.
#[derive(Deserialize)]
struct StateView {
    format_version: u32,
    members: Vec<MemberView>,
    partition_counts: BTreeMap<String, u32>,
}

#[derive(Deserialize)]
struct MemberView {
    member_id: String,
    topics: Vec<String>,
    assignment: Vec<PartitionView>,
}

#[derive(Deserialize)]
struct PartitionView {
    topic: String,
    partition: u32,
}

/// The parts of `offsets.json` the rules look at.
#[derive(Deserialize)]
struct OffsetsView {
    format_version: u32,
    offsets: Vec<OffsetView>,
}

#[derive(Deserialize)]
#[allow(dead_code)] // Read for their types: a negative offset is refused as the full type refuses it.
struct OffsetView {
    topic: String,
    partition: u32,
    offset: u64,
    #[serde(default)]
    leader_epoch: Option<u32>,
    member_id: Option<String>,
    generation: u64,
    commit_ms: i64,
}

fn check_version(version: u32, newest: u32) -> std::result::Result<(), String> {
    if version == 0 || version > newest {
        return Err(format!(
            "its format_version {version} is not one this build reads (1 to {newest}; a newer runnel wrote it?)"
        ));
    }
    Ok(())
}

fn check_topic(topic: &str) -> std::result::Result<(), String> {
    names::validate_topic(topic).map_err(|e| format!("it names a topic that is not valid: {}", e.message))
}

fn check_member(id: &str) -> std::result::Result<(), String> {
    names::validate_member_id(id).map_err(|e| format!("it names a member that is not valid: {}", e.message))
}

fn check_state(state: StateView) -> std::result::Result<(), String> {
    check_version(state.format_version, STATE_FORMAT_VERSION)?;
    for topic in state.partition_counts.keys() {
        check_topic(topic)?;
    }
    let mut ids = BTreeSet::new();
    for member in &state.members {
        check_member(&member.member_id)?;
        if !ids.insert(member.member_id.as_str()) {
            return Err(format!("it lists member {} twice", member.member_id));
        }
        for topic in &member.topics {
            check_topic(topic)?;
        }
        for p in &member.assignment {
            check_topic(&p.topic)?;
            if let Some(&count) = state.partition_counts.get(&p.topic)
                && p.partition >= count
            {
                return Err(format!(
                    "member {} is assigned partition {} of '{}', which has {count} partitions",
                    member.member_id, p.partition, p.topic
                ));
            }
        }
    }
    Ok(())
}

fn check_offsets(offsets: OffsetsView) -> std::result::Result<(), String> {
    check_version(offsets.format_version, GROUP_FORMAT_VERSION)?;
    let mut seen = BTreeSet::new();
    for c in &offsets.offsets {
        check_topic(&c.topic)?;
        if let Some(member) = &c.member_id {
            check_member(member)?;
        }
        if !seen.insert((c.topic.as_str(), c.partition)) {
            return Err(format!("it holds two offsets for partition {} of '{}'", c.partition, c.topic));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MEMBER: &str = r#"{"member_id":"c-0123456789abcdef","client_id":"c","host":"h","pid":1,"topics":["t"],
        "session_timeout_ms":10000,"joined_ms":0,"synced_generation":1,"assignment":[{"topic":"t","partition":1}]}"#;

    fn state(version: u32, member: &str, counts: &str) -> String {
        format!(
            r#"{{"format_version":{version},"generation":1,"strategy":"range","members":[{member}],"partition_counts":{counts},"updated_ms":0}}"#
        )
    }

    #[test]
    fn a_valid_state_and_offsets_file_pass() {
        assert_eq!(GroupFile::State.problem(state(1, MEMBER, r#"{"t":2}"#).as_bytes()), None);
        assert_eq!(GroupFile::State.problem(state(2, MEMBER, r#"{"t":2}"#).as_bytes()), None);
        assert_eq!(GroupFile::State.problem(state(3, MEMBER, r#"{"t":2}"#).as_bytes()), None);
        let offsets = r#"{"format_version":1,"offsets":[{"topic":"t","partition":0,"offset":5,"member_id":null,
            "generation":0,"commit_ms":0},{"topic":"t","partition":1,"offset":5,"member_id":"c-1","generation":3,
            "commit_ms":0,"leader_epoch":4}]}"#;
        assert_eq!(GroupFile::Offsets.problem(offsets.as_bytes()), None, "a leader_epoch is tolerated");
    }

    #[test]
    fn crafted_or_damaged_group_files_are_refused() {
        let bad_states = [
            state(4, MEMBER, r#"{"t":2}"#),
            state(0, MEMBER, r#"{"t":2}"#),
            state(1, &MEMBER.replace("c-0123456789abcdef", "../../cluster"), r#"{"t":2}"#),
            state(1, &MEMBER.replace("c-0123456789abcdef", ""), r#"{"t":2}"#),
            state(1, &MEMBER.replace(r#"["t"]"#, r#"["a/b"]"#), r#"{"t":2}"#),
            state(1, MEMBER, r#"{"t":1}"#),
            state(1, MEMBER, r#"{"..":1}"#),
            state(1, &format!("{MEMBER},{MEMBER}"), r#"{"t":2}"#),
            state(1, MEMBER, r#"[]"#),
            "{}".to_string(),
            "[1,2]".to_string(),
        ];
        for bad in bad_states {
            assert!(GroupFile::State.problem(bad.as_bytes()).is_some(), "{bad}");
        }
        let entry = |topic: &str, p: u32, member: &str| {
            format!(
                r#"{{"topic":"{topic}","partition":{p},"offset":1,"member_id":{member},"generation":0,"commit_ms":0}}"#
            )
        };
        let bad_offsets = [
            format!(r#"{{"format_version":7,"offsets":[{}]}}"#, entry("t", 0, "null")),
            format!(r#"{{"format_version":1,"offsets":[{}]}}"#, entry("", 0, "null")),
            format!(r#"{{"format_version":1,"offsets":[{}]}}"#, entry("t", 0, r#""a/../b""#)),
            format!(r#"{{"format_version":1,"offsets":[{},{}]}}"#, entry("t", 0, "null"), entry("t", 0, "null")),
            r#"{"format_version":1,"offsets":[{"topic":"t","partition":-1,"member_id":null}]}"#.to_string(),
            // What the full type refuses, as every reader of the file does.
            format!(
                r#"{{"format_version":1,"offsets":[{}]}}"#,
                entry("t", 0, "null").replace(r#""offset":1"#, r#""offset":-5"#)
            ),
            format!(
                r#"{{"format_version":1,"offsets":[{}]}}"#,
                entry("t", 0, "null").replace(r#""generation":0"#, r#""generation":-1"#)
            ),
            format!(
                r#"{{"format_version":1,"offsets":[{}]}}"#,
                entry("t", 0, "null").replace(r#""commit_ms":0"#, r#""leader_epoch":-2,"commit_ms":0"#)
            ),
        ];
        for bad in bad_offsets {
            assert!(GroupFile::Offsets.problem(bad.as_bytes()).is_some(), "{bad}");
        }
    }

    #[test]
    fn a_damaged_file_is_74_naming_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("state.json");
        std::fs::write(&path, state(1, MEMBER, r#"{"t":1}"#)).expect("write");
        let err = read_group_file::<serde_json::Value>(&path, GroupFile::State).expect_err("damaged");
        assert_eq!(err.exit_code(), 74);
        assert!(err.message.contains("state.json"), "{}", err.message);
        assert_eq!(
            read_group_file::<serde_json::Value>(&dir.path().join("offsets.json"), GroupFile::Offsets).ok(),
            Some(None)
        );
    }

    proptest::proptest! {
        /// Any member list, names, partitions and version: the reader
        /// refuses the file or accepts one whose members have safe, unique
        /// ids and whose assignments fit the recorded partition counts.
        #[test]
        fn the_state_reader_never_lets_a_broken_file_through(
            version in 0u32..5,
            ids in proptest::collection::vec("[a-z./-]{0,6}", 0..4),
            topic in "[a-z./]{0,3}",
            partition in 0u32..4,
            count in 0u32..4,
        ) {
            let members: Vec<String> = ids
                .iter()
                .map(|id| MEMBER.replace("c-0123456789abcdef", id).replace(r#""partition":1"#, &format!(r#""partition":{partition}"#)))
                .collect();
            let text = state(version, &members.join(","), &format!(r#"{{"{topic}":{count}}}"#)).replace(r#"["t"]"#, &format!(r#"["{topic}"]"#)).replace(r#""topic":"t""#, &format!(r#""topic":"{topic}""#));
            if GroupFile::State.problem(text.as_bytes()).is_none() {
                proptest::prop_assert!((1..=3).contains(&version));
                let unique: BTreeSet<&String> = ids.iter().collect();
                proptest::prop_assert_eq!(unique.len(), ids.len());
                for id in &ids {
                    proptest::prop_assert!(names::validate_member_id(id).is_ok(), "{}", id);
                }
                proptest::prop_assert!(ids.is_empty() || (names::validate_topic(&topic).is_ok() && partition < count));
            }
        }

        /// Any bytes: the reader answers, never panics.
        #[test]
        fn any_bytes_are_refused_or_read(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
            let _ = GroupFile::State.problem(&bytes);
            let _ = GroupFile::Offsets.problem(&bytes);
        }
    }
}

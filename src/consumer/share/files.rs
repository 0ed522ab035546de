//! A share group's documents (see the module doc of `consumer::share`):
//! which kind a group is, `share.json`, and the share-partition documents,
//! each changed only under its own lock file and rewritten atomically
//! (temp file, fsync, rename, fsync of the folder).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::partition::{InFlight, RecordState, SharePartitionState};
use crate::cluster::Cluster;
use crate::cluster::metadata::layout;
use crate::consumer::TopicPartition;
use crate::consumer::group::offsets::lock_group;
use crate::consumer::group::paths::GroupPaths;
use crate::error::{Error, IoContext, Result};
use crate::sys::clock::now_ms;
use crate::sys::json_file;
use crate::sys::lock::LockFile;

/// Format of `share.json` and the share-partition documents.
pub const SHARE_FORMAT_VERSION: u32 = 1;

/// Kafka's group types that runnel has (`GroupType` in ListGroups).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GroupType {
    Consumer,
    Share,
}

impl GroupType {
    pub fn name(self) -> &'static str {
        match self {
            GroupType::Consumer => "consumer",
            GroupType::Share => "share",
        }
    }
}

/// `share.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareGroupDoc {
    pub format_version: u32,
    pub created_ms: i64,
    /// Where records archived at the delivery limit are written (Kafka's
    /// group config `errors.deadletterqueue.topic.name`); set by the last
    /// member that joined with `--dead-letter`.
    #[serde(default)]
    pub dead_letter_topic: Option<String>,
}

/// The paths of one share group.
#[derive(Debug, Clone)]
pub struct SharePaths {
    pub group: GroupPaths,
}

impl SharePaths {
    pub fn new(cluster: &Cluster, group: &str) -> Result<SharePaths> {
        Ok(SharePaths { group: GroupPaths::new(cluster, group)? })
    }

    pub fn name(&self) -> &str {
        self.group.group()
    }

    pub fn partitions_dir(&self) -> PathBuf {
        self.group.dir().join("partitions")
    }

    pub fn partition_file(&self, p: &TopicPartition) -> PathBuf {
        self.partitions_dir().join(layout::topic_file_name(&p.topic, &format!("-{}.json", p.partition)))
    }

    pub fn partition_lock(&self, p: &TopicPartition) -> PathBuf {
        self.partitions_dir().join(layout::partition_lock_name(&p.topic, p.partition))
    }

    /// The group's kind, or `None` when there is no such group.
    pub fn group_type(&self) -> Option<GroupType> {
        if self.group.share_file().exists() {
            Some(GroupType::Share)
        } else if self.group.exists() {
            Some(GroupType::Consumer)
        } else {
            None
        }
    }

    pub fn load_doc(&self) -> Result<Option<ShareGroupDoc>> {
        let doc: Option<ShareGroupDoc> = json_file::read(&self.group.share_file())?;
        if let Some(d) = &doc {
            check_version(&self.group.share_file(), d.format_version)?;
        }
        Ok(doc)
    }
}

/// The error for using a consumer group's name as a share group's (and
/// back): Kafka's `GroupIdNotFoundException` "Group G is not a share group".
pub fn wrong_type(group: &str, is: GroupType) -> Error {
    let wanted = match is {
        GroupType::Consumer => GroupType::Share,
        GroupType::Share => GroupType::Consumer,
    };
    Error::conflict(format!(
        "group '{group}' is not a {} group: it is a {} group (a group name is one kind or the other)",
        wanted.name(),
        is.name()
    ))
    .because(crate::error::Reason::GroupTypeMismatch { group: group.to_string(), is_share: is == GroupType::Share })
}

/// Makes `group` a share group if it is not one yet (refused, exit 73, when
/// it is a consumer group), and records `dead_letter` as its dead-letter
/// topic when given. Returns the group's document.
pub fn ensure_share_group(cluster: &Cluster, paths: &SharePaths, dead_letter: Option<&str>) -> Result<ShareGroupDoc> {
    let _guard = lock_group(cluster, &paths.group)?;
    let consumer_files = [paths.group.state_file(), paths.group.offsets_file()];
    if !paths.group.share_file().exists() && consumer_files.iter().any(|f| f.exists()) {
        return Err(wrong_type(paths.name(), GroupType::Consumer));
    }
    let mut doc = paths.load_doc()?.unwrap_or(ShareGroupDoc {
        format_version: SHARE_FORMAT_VERSION,
        created_ms: now_ms(),
        dead_letter_topic: None,
    });
    let fresh = !paths.group.share_file().exists();
    if fresh || (dead_letter.is_some() && doc.dead_letter_topic.as_deref() != dead_letter) {
        if let Some(topic) = dead_letter {
            doc.dead_letter_topic = Some(topic.to_string());
        }
        std::fs::create_dir_all(paths.partitions_dir()).at("create", &paths.partitions_dir())?;
        json_file::write(&paths.group.share_file(), &doc)?;
    }
    Ok(doc)
}

fn check_version(path: &std::path::Path, version: u32) -> Result<()> {
    if version == 0 || version > SHARE_FORMAT_VERSION {
        return Err(Error::new(
            crate::error::ErrorKind::Io,
            format!("metadata file {} has format {version} (a newer runnel wrote it?)", path.display()),
        )
        .because(crate::error::Reason::NewerFormat { path: path.to_path_buf(), version }));
    }
    Ok(())
}

/// A run of consecutive offsets in one state (Kafka's in-flight batches).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Run {
    first: u64,
    last: u64,
    #[serde(flatten)]
    record: InFlight,
}

/// `partitions/<topic>-<p>.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct PartitionDoc {
    format_version: u32,
    topic: String,
    partition: u32,
    start_offset: u64,
    next_offset: u64,
    records: Vec<Run>,
}

impl PartitionDoc {
    fn of(p: &TopicPartition, s: &SharePartitionState) -> PartitionDoc {
        let mut records: Vec<Run> = Vec::new();
        for (offset, r) in &s.records {
            match records.last_mut() {
                Some(run) if run.last + 1 == *offset && run.record == *r => run.last = *offset,
                _ => records.push(Run { first: *offset, last: *offset, record: r.clone() }),
            }
        }
        PartitionDoc {
            format_version: SHARE_FORMAT_VERSION,
            topic: p.topic.clone(),
            partition: p.partition,
            start_offset: s.start_offset,
            next_offset: s.next_offset,
            records,
        }
    }

    /// The state, if the document is consistent (else why not).
    fn state(self) -> std::result::Result<(TopicPartition, SharePartitionState), String> {
        if self.start_offset > self.next_offset {
            return Err(format!("start_offset {} is past next_offset {}", self.start_offset, self.next_offset));
        }
        let mut s = SharePartitionState::new(self.start_offset);
        s.next_offset = self.next_offset;
        for run in self.records {
            if run.first > run.last || run.first < self.start_offset || run.last >= self.next_offset {
                return Err(format!("records {}..={} lie outside the share-partition", run.first, run.last));
            }
            if (run.record.state == RecordState::Acquired) != run.record.member_id.is_some() {
                return Err(format!("records {}..={}: an owner goes with ACQUIRED only", run.first, run.last));
            }
            for offset in run.first..=run.last {
                s.records.insert(offset, run.record.clone());
            }
        }
        Ok((TopicPartition::new(&self.topic, self.partition), s))
    }
}

/// Reads one share-partition document (none: `None`); a damaged one is exit
/// 74 naming it.
pub fn read_partition_file(path: &std::path::Path) -> Result<Option<(TopicPartition, SharePartitionState)>> {
    let Some(doc) = json_file::read::<PartitionDoc>(path)? else {
        return Ok(None);
    };
    check_version(path, doc.format_version)?;
    doc.state().map(Some).map_err(|why| {
        Error::new(crate::error::ErrorKind::Io, format!("metadata file {} is damaged: {why}", path.display()))
            .because(crate::error::Reason::DamagedMetadata { path: path.to_path_buf() })
    })
}

/// The state of `p` (none before the group's first fetch of it).
pub fn load_partition(paths: &SharePaths, p: &TopicPartition) -> Result<Option<SharePartitionState>> {
    Ok(read_partition_file(&paths.partition_file(p))?.map(|(_, s)| s))
}

/// Every share-partition the group has state for, sorted.
pub fn all_partitions(paths: &SharePaths) -> Result<Vec<(TopicPartition, SharePartitionState)>> {
    let dir = paths.partitions_dir();
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).at("list", &dir),
    };
    let mut out = Vec::new();
    for entry in entries {
        let path = entry.at("list", &dir)?.path();
        let is_doc = path.extension().is_some_and(|e| e == "json")
            && !path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.'));
        if is_doc && let Some(found) = read_partition_file(&path)? {
            out.push(found);
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// Changes the state of `p` under its lock: loads it (a share-partition
/// not yet known starts at `init()`), applies `f`, and writes it back if it
/// changed, durably, before the lock is released.
pub fn with_partition<R>(
    cluster: &Cluster,
    paths: &SharePaths,
    p: &TopicPartition,
    init: impl FnOnce() -> Result<u64>,
    f: impl FnOnce(&mut SharePartitionState) -> Result<R>,
) -> Result<R> {
    let lock = LockFile::open(&paths.partition_lock(p))?;
    let _guard = lock.lock(cluster.lock_timeout())?;
    let before = load_partition(paths, p)?;
    let mut state = match &before {
        Some(s) => s.clone(),
        None => SharePartitionState::new(init()?),
    };
    let out = f(&mut state)?;
    if before.as_ref() != Some(&state) {
        json_file::write(&paths.partition_file(p), &PartitionDoc::of(p, &state))?;
    }
    Ok(out)
}

/// Removes a share-partition's document (a reset: it starts again).
pub fn remove_partition(paths: &SharePaths, p: &TopicPartition) -> Result<()> {
    json_file::remove(&paths.partition_file(p))
}

/// Removes the share-partition state of `topic` (a deleted topic: one
/// created again under the name starts afresh, as Kafka deletes the share
/// group state of a deleted topic). Returns whether there was any.
pub fn forget_topic(cluster: &Cluster, group: &GroupPaths, topic: &str) -> Result<bool> {
    let paths = SharePaths { group: group.clone() };
    let mut any = false;
    for (p, _) in all_partitions(&paths)?.into_iter().filter(|(p, _)| p.topic == topic) {
        let _guard = LockFile::open(&paths.partition_lock(&p))?.lock(cluster.lock_timeout())?;
        remove_partition(&paths, &p)?;
        any = true;
    }
    Ok(any)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consumer::share::partition::Limits;

    #[test]
    fn a_state_round_trips_through_its_runs() {
        let l = Limits::default();
        let mut s = SharePartitionState::new(5);
        s.acquire("a", 1, &l, 20, 4);
        s.acquire("b", 1, &l, 20, 3);
        s.acknowledge("a", &[6], crate::consumer::share::AcknowledgeType::Accept, &l);
        let p = TopicPartition::new("t", 2);
        let doc = PartitionDoc::of(&p, &s);
        // 5 (a), 6 (acknowledged), 7..=8 (a), 9..=11 (b)
        assert_eq!(doc.records.len(), 4);
        let json = serde_json::to_string(&doc).expect("json");
        let back: PartitionDoc = serde_json::from_str(&json).expect("parse");
        assert_eq!(back.state().expect("consistent"), (p, s));
    }

    #[test]
    fn members_changing_one_share_partition_at_once_never_acquire_a_record_twice() {
        // Each change is a load, a change and a rewrite: without the
        // share-partition's lock two members would load the same state and
        // both acquire its next record.
        let dir = tempfile::tempdir().expect("tempdir");
        let (cluster, _) = Cluster::init(dir.path(), 1, std::time::Duration::from_secs(30)).expect("init");
        let paths = SharePaths::new(&cluster, "g").expect("paths");
        std::fs::create_dir_all(paths.partitions_dir()).expect("mkdir");
        let p = TopicPartition::new("t", 0);
        let (members, each) = (4, 25);
        let got: Vec<Vec<u64>> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..members)
                .map(|m| {
                    let (cluster, paths, p) = (&cluster, &paths, &p);
                    scope.spawn(move || {
                        let member = format!("m{m}");
                        let l = Limits::default();
                        (0..each)
                            .flat_map(|_| {
                                with_partition(cluster, paths, p, || Ok(0), |s| Ok(s.acquire(&member, 0, &l, 1000, 1)))
                                    .expect("change")
                            })
                            .map(|a| a.offset)
                            .collect()
                    })
                })
                .collect();
            workers.into_iter().map(|w| w.join().expect("member")).collect()
        });
        let mut all: Vec<u64> = got.into_iter().flatten().collect();
        all.sort_unstable();
        assert_eq!(all, (0..members * each).collect::<Vec<u64>>(), "each record acquired once");
        let s = load_partition(&paths, &p).expect("load").expect("state");
        assert_eq!((s.next_offset, s.records.len() as u64), (members * each, members * each));
    }

    #[test]
    fn an_inconsistent_document_is_refused() {
        let doc = PartitionDoc {
            format_version: 1,
            topic: "t".into(),
            partition: 0,
            start_offset: 4,
            next_offset: 2,
            records: vec![],
        };
        assert!(doc.state().is_err());
    }
}

//! `log verify` across a data directory: every metadata document
//! (`cluster.json`, `topics/*.json`, `groups/*/*.json`) must parse, every
//! replica of the selected partitions is checked by [`store::verify_replica`]
//! (frames, indexes, and offsets missing where a segment was deleted or
//! emptied), and the in-sync replicas of each
//! partition are compared with each other: a follower that ends below the
//! leader (the high watermark) and a leader that ends more than one frame
//! below an in-sync follower are damage. Reads only; never changes anything
//! (`repair_data_dir.rs` repairs what this finds).

use std::fs;
use std::path::{Path, PathBuf};

use crate::cluster::handle::{Cluster, unknown_replica};
use crate::cluster::metadata::documents::{ClusterMeta, TopicMeta};
use crate::cluster::metadata::group_files::{GroupFile, read_group_file};
use crate::cluster::metadata::group_folder;
use crate::cluster::replication::replica_sync::{frames_beyond, level_target};
use crate::cluster::rules::topic_config;
use crate::error::{Error, ErrorKind, IoContext, Reason, Result};
use crate::store::{self, Finding, ReplicaVerify, verify_replica};
use crate::sys::json_file;
use crate::sys::lock::LockFile;

/// The health of one replica or metadata file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerifyStatus {
    Ok,
    /// A torn frame at the log end, which the next writer cuts: not damage.
    TornTail,
    Damaged,
    /// An assigned replica whose folder is gone (a lost disk).
    Missing,
}

impl VerifyStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            VerifyStatus::Ok => "ok",
            VerifyStatus::TornTail => "torn-tail",
            VerifyStatus::Damaged => "damaged",
            VerifyStatus::Missing => "missing",
        }
    }

    pub fn is_healthy(self) -> bool {
        matches!(self, VerifyStatus::Ok | VerifyStatus::TornTail)
    }
}

/// One metadata document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetadataCheck {
    pub path: PathBuf,
    pub status: VerifyStatus,
    pub detail: String,
}

/// One replica.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplicaCheck {
    pub broker: u32,
    pub topic: String,
    pub partition: u32,
    pub dir: PathBuf,
    pub status: VerifyStatus,
    pub result: ReplicaVerify,
}

/// Everything `log verify` found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VerifyReport {
    pub metadata: Vec<MetadataCheck>,
    pub replicas: Vec<ReplicaCheck>,
    /// Partitions (topic, partition) whose leader ends below what two of its
    /// in-sync followers hold: not damage (a writer killed between the
    /// followers and the leader leaves the same), but `--repair` levels
    /// them as the next writer would, so readers see those records now.
    pub behind: Vec<(String, u32)>,
    /// Temporary files left by interrupted metadata writes
    /// (`stale_temp_files`): not damage, but `--repair` removes them.
    pub stale_temp_files: Vec<PathBuf>,
}

impl VerifyReport {
    pub fn is_healthy(&self) -> bool {
        self.metadata.iter().all(|m| m.status.is_healthy()) && self.replicas.iter().all(|r| r.status.is_healthy())
    }

    /// The first damage as an error (exit 74) naming the file and byte position.
    pub fn first_damage(&self) -> Option<Error> {
        if let Some(m) = self.metadata.iter().find(|m| !m.status.is_healthy()) {
            return Some(
                Error::new(ErrorKind::Io, m.detail.clone())
                    .because(Reason::DamagedMetadataFound { path: m.path.clone() }),
            );
        }
        let r = self.replicas.iter().find(|r| !r.status.is_healthy())?;
        let error = match r.result.damage.first() {
            Some(f) => Error::corrupt(&f.path, f.position, &f.what),
            None => Error::new(ErrorKind::Io, format!("replica folder {} is missing", r.dir.display())),
        };
        let damaged = self.replicas.iter().filter(|r| !r.status.is_healthy()).count();
        Some(error.because(Reason::DamagedReplicas { count: damaged }))
    }
}

/// Which partitions to verify.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VerifySelection {
    pub topic: Option<String>,
    pub partition: Option<u32>,
}

impl Cluster {
    /// Verifies metadata and the selected replicas. `on_progress(done, total)`
    /// counts segment bytes.
    pub fn verify(&self, selection: &VerifySelection, mut on_progress: impl FnMut(u64, u64)) -> Result<VerifyReport> {
        let mut report = VerifyReport {
            metadata: self.verify_metadata()?,
            replicas: Vec::new(),
            behind: Vec::new(),
            stale_temp_files: self.stale_temp_files()?,
        };
        for (name, dirs) in self.stray_replicas(selection.topic.as_deref())? {
            let shown: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
            report.metadata.push(MetadataCheck {
                path: self.layout().topic_file(&name),
                status: VerifyStatus::Damaged,
                detail: format!(
                    "topic file {} is missing while replica folders of '{name}' remain ({}): a `topic delete` cut \
                     short (run `runnel topic delete {name}` to finish it) or a lost topic file (restore it from a backup)",
                    self.layout().topic_file(&name).display(),
                    crate::error::listed(&shown, 5)
                ),
            });
        }
        let topics = match &selection.topic {
            Some(name) => vec![self.topic(name)?],
            None => self.topic_names()?.iter().filter_map(|n| self.find_topic(n).ok().flatten()).collect(),
        };
        let mut replicas = Vec::new();
        for topic in &topics {
            if let Some(p) = selection.partition
                && p >= topic.partition_count()
            {
                return Err(Error::not_found(format!(
                    "topic '{}' has no partition {p} (it has {})",
                    topic.name,
                    topic.partition_count()
                )));
            }
            for part in &topic.partitions {
                if selection.partition.is_some_and(|p| p != part.partition) {
                    continue;
                }
                for &broker in &part.replicas {
                    let dir = self.layout().replica_dir(broker, &topic.name, part.partition);
                    replicas.push((broker, topic.name.clone(), part.partition, dir));
                }
            }
        }
        let total: u64 = replicas.iter().map(|(.., dir)| segment_bytes(dir)).sum();
        let mut done = 0u64;
        on_progress(0, total);
        for (broker, topic, partition, dir) in replicas {
            // A folder without segments is no replica: readers and writers
            // treat it as lost, and so does verify (repair rebuilds it).
            let (status, result) = if dir.is_dir() && store::holds_log(&dir).unwrap_or(false) {
                let result = verify_replica(&dir, |n| {
                    done += n;
                    on_progress(done, total);
                })?;
                let status = if !result.damage.is_empty() {
                    VerifyStatus::Damaged
                } else if result.torn.is_some() {
                    VerifyStatus::TornTail
                } else {
                    VerifyStatus::Ok
                };
                (status, result)
            } else {
                (VerifyStatus::Missing, ReplicaVerify::default())
            };
            report.replicas.push(ReplicaCheck { broker, topic, partition, dir, status, result });
        }
        let live = self.meta()?.live_brokers();
        for topic in &topics {
            for part in &topic.partitions {
                if selection.partition.is_none_or(|p| p == part.partition) {
                    self.compare_in_sync(topic, part.partition, &live, &mut report)?;
                }
            }
        }
        Ok(report)
    }

    /// Compares the ends of a partition's live in-sync replicas, under its
    /// writer lock where it can be taken (writers write followers before the
    /// leader, so without it a frame in flight could look like damage): an
    /// in-sync follower ending below the leader is missing acknowledged
    /// records; a leader ending more than one frame below an in-sync
    /// follower lost frames ([`frames_beyond`]). One frame is what a writer
    /// killed between the followers and the leader leaves.
    fn compare_in_sync(
        &self,
        topic: &TopicMeta,
        partition: u32,
        live: &[u32],
        report: &mut VerifyReport,
    ) -> Result<()> {
        let Some(state) = topic.partition(partition) else { return Ok(()) };
        let Some(leader) = state.leader else { return Ok(()) };
        let lock = LockFile::open(&self.layout().partition_lock(&topic.name, partition)).ok();
        let _guard = match &lock {
            // A writer or an admin command holding it past the timeout: not
            // compared now rather than compared mid-write.
            // Not counted (`partition_lock`): verifying reads only, and
            // changes nothing in the data dir, the lock file included.
            Some(lock) => match lock.lock(self.lock_timeout()) {
                Ok(guard) => Some(guard),
                Err(_) => return Ok(()),
            },
            None => None,
        };
        let mut ends = Vec::new();
        let mut starts = Vec::new();
        for &b in state.isr.iter().filter(|b| live.contains(b)) {
            let dir = self.layout().replica_dir(b, &topic.name, partition);
            if let (true, Ok(end)) = (store::holds_log(&dir).unwrap_or(false), store::log_end(&dir)) {
                starts.push((b, dir.clone(), end.start_offset, store::unrecorded_front_gap(&dir).unwrap_or(None)));
                ends.push((b, dir, end.end_offset));
            }
        }
        // A first segment above the recorded log start, where another in-sync
        // replica holds those offsets: segments at the front were lost (trims
        // and retention record the new start before they delete).
        let lowest = starts.iter().map(|&(_, _, start, _)| start).min();
        for (b, dir, _, gap) in &starts {
            if let (Some(held), Some((_, first))) = (lowest, gap)
                && held < *first
                && let Some(check) = report
                    .replicas
                    .iter_mut()
                    .find(|r| r.broker == *b && r.topic == topic.name && r.partition == partition)
            {
                check.status = VerifyStatus::Damaged;
                check.result.damage.push(Finding {
                    path: dir.clone(),
                    position: 0,
                    what: format!(
                        "the replica's log starts at offset {first}, but an in-sync replica holds offsets from \
                         {held} and no trim or retention removed them here (a segment was deleted)"
                    ),
                });
            }
        }
        let Some(&(_, _, leader_end)) = ends.iter().find(|(b, ..)| *b == leader) else { return Ok(()) };
        // One frame a follower holds beyond the leader is what a writer
        // killed after it and before the leader leaves (the next writer cuts
        // it, or copies it to the leader); more is frames the leader lost.
        let mut lost = None;
        for (b, dir, end) in &ends {
            if *b != leader && *end > leader_end && frames_beyond(dir, leader_end, *end)? > 1 {
                lost = lost.max(Some(*end));
            }
        }
        // As the next writer would, `--repair` raises a leader below what an
        // in-sync follower holds (`level_target`); one frame is no damage.
        let follower_ends: Vec<u64> = ends.iter().filter(|(b, ..)| *b != leader).map(|&(.., end)| end).collect();
        if lost.is_none() && level_target(leader_end, &follower_ends) > leader_end {
            report.behind.push((topic.name.clone(), partition));
        }
        for (b, dir, end) in ends {
            let what = if let (true, Some(held)) = (b == leader, lost) {
                format!(
                    "the leader's log ends at offset {end}, but an in-sync replica holds frames up to offset \
                     {held} (a segment of the leader was deleted or emptied)"
                )
            } else if b != leader && end < leader_end {
                format!("the in-sync replica ends at offset {end}, below the high watermark {leader_end}")
            } else {
                continue;
            };
            if let Some(check) =
                report.replicas.iter_mut().find(|r| r.broker == b && r.topic == topic.name && r.partition == partition)
            {
                check.status = VerifyStatus::Damaged;
                check.result.damage.push(Finding { path: dir, position: 0, what });
            }
        }
        Ok(())
    }

    /// Every metadata document, each judged as its readers judge it: a
    /// topic file must also name the topic its file name does and place
    /// replicas only on brokers `cluster.json` lists; a group's `state.json`
    /// and `offsets.json` must meet the group file rules (`group_files`).
    fn verify_metadata(&self) -> Result<Vec<MetadataCheck>> {
        let cluster_file = self.layout().cluster_file();
        let mut checks = vec![check_document::<ClusterMeta>(&cluster_file)];
        let cluster = json_file::read::<ClusterMeta>(&cluster_file).ok().flatten();
        let damaged = |check: &mut MetadataCheck, why: String| {
            check.status = VerifyStatus::Damaged;
            check.detail = format!("metadata file {} is damaged: {why}", check.path.display());
        };
        for path in json_files(&self.layout().topics_dir())? {
            let mut check = check_document::<TopicMeta>(&path);
            if let (VerifyStatus::Ok, Ok(Some(meta))) = (check.status, json_file::read::<TopicMeta>(&path)) {
                let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
                if meta.name != stem {
                    damaged(&mut check, format!("it names topic '{}'", meta.name.escape_default()));
                } else if let Some(why) = cluster.as_ref().and_then(|c| unknown_replica(&meta, c)) {
                    damaged(&mut check, why);
                } else if let Some(e) = meta.config.iter().find_map(|(k, v)| topic_config::validate(k, v).err()) {
                    // What every writer and reader of the topic would refuse.
                    damaged(&mut check, format!("its config: {}", e.message));
                }
            }
            checks.push(check);
        }
        for group in subdirs(&self.layout().groups_dir())? {
            // Folders whose name is no group name (what a `group delete`
            // cut short leaves) are read by no one; a long id's hashed
            // folder is its group's by its id file, checked below.
            let name = group.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            let hashed = group_folder::is_hashed(name);
            if !hashed && group_folder::group_of_folder(name).is_none() {
                continue;
            }
            for path in json_files(&group)? {
                let mut check = check_document::<serde_json::Value>(&path);
                if check.status == VerifyStatus::Ok
                    && let Some(kind) = GroupFile::of(&path)
                    && let Err(e) = read_group_file::<serde::de::IgnoredAny>(&path, kind)
                {
                    check.status = VerifyStatus::Damaged;
                    check.detail = e.message;
                }
                let id_file = hashed && path.file_name().is_some_and(|n| n == group_folder::ID_FILE);
                if check.status == VerifyStatus::Ok && id_file && !matches!(group_folder::group_in(&group), Ok(Some(_)))
                {
                    damaged(&mut check, "it names the group of another folder".to_string());
                }
                checks.push(check);
            }
        }
        Ok(checks)
    }
}

fn check_document<T: serde::de::DeserializeOwned>(path: &Path) -> MetadataCheck {
    let (status, detail) = match json_file::read::<T>(path) {
        Ok(Some(_)) => (VerifyStatus::Ok, String::new()),
        Ok(None) => (VerifyStatus::Missing, format!("metadata file {} is missing", path.display())),
        Err(e) => (VerifyStatus::Damaged, e.message),
    };
    MetadataCheck { path: path.to_path_buf(), status, detail }
}

/// The `*.json` files of a folder, sorted (temporary files are skipped).
fn json_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> =
        entries(dir)?.into_iter().filter(|p| p.extension().is_some_and(|e| e == "json") && p.is_file()).collect();
    files.sort();
    Ok(files)
}

fn subdirs(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut dirs: Vec<PathBuf> = entries(dir)?.into_iter().filter(|p| p.is_dir()).collect();
    dirs.sort();
    Ok(dirs)
}

fn entries(dir: &Path) -> Result<Vec<PathBuf>> {
    let list = match fs::read_dir(dir) {
        Ok(list) => list,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).at("list", dir),
    };
    let mut out = Vec::new();
    for entry in list {
        out.push(entry.at("list", dir)?.path());
    }
    Ok(out)
}

fn segment_bytes(dir: &Path) -> u64 {
    store::disk_usage(dir).map_or(0, |usage| usage.segment_bytes)
}

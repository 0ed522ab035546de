//! The [`Cluster`] handle: a data directory opened for use. Finds or creates
//! the cluster (auto-init of a one-broker cluster, like Kafka's single-node
//! quickstart), and reads metadata. Changes take the cluster lock.

use std::fs;
use std::path::Path;
use std::time::Duration;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, LazyLock, Mutex, OnceLock};

use crate::cluster::metadata::cache::MetaCache;
use crate::cluster::metadata::change_count::ChangeCount;
use crate::cluster::metadata::documents::{BrokerMeta, BrokerStatus, ClusterMeta, METADATA_VERSION, TopicMeta};
use crate::cluster::metadata::layout::Layout;
use crate::cluster::metadata::names;
use crate::cluster::rules::suggest;
use crate::cluster::rules::topic_config::TopicSettings;
use crate::error::{Error, IoContext, Reason, Result};
use crate::sys::clock::now_ms;
use crate::sys::ids::new_id;
use crate::sys::json_file;
use crate::sys::json_file::FileStamp;
use crate::sys::lock::LockFile;

/// An open data directory.
#[derive(Debug, Clone)]
pub struct Cluster {
    layout: Layout,
    lock_timeout: Duration,
    /// The topic and cluster file versions whose replica ids were checked
    /// against each other, per topic.
    brokers_checked: Arc<Mutex<HashMap<String, (FileStamp, FileStamp)>>>,
    /// The shared count of metadata changes, mapped at first use (a
    /// command that only reads never creates the lock file for it).
    changes: Arc<OnceLock<Result<ChangeCount>>>,
    /// Asks for the change count so far: it is mapped from the third on,
    /// so a command that appends once or twice never maps it.
    change_asks: Arc<AtomicU32>,
    /// The metadata files as looked at while the change count read `n`,
    /// shared by every writer of this process ([`Cluster::metadata_at`]).
    looked_at: Arc<Mutex<Option<LookedAt>>>,
}

/// A topic file as [`Cluster::topic_snapshot`] gives it.
type TopicSnapshot = Option<(FileStamp, Arc<TopicMeta>)>;

/// The metadata files looked at under one settled change count.
#[derive(Debug)]
struct LookedAt {
    changes: u64,
    cluster: (FileStamp, Arc<ClusterMeta>),
    topics: HashMap<String, TopicSnapshot>,
}

/// The parsed metadata files of this process, shared by every handle: a
/// command opens the data dir once per operation (a producer looks the topic
/// up, then appends), and each file is parsed once per change, not once per
/// handle. Keyed by path, so handles on other data dirs share it safely.
static TOPIC_FILES: LazyLock<MetaCache<TopicMeta>> = LazyLock::new(MetaCache::default);
static CLUSTER_FILES: LazyLock<MetaCache<ClusterMeta>> = LazyLock::new(MetaCache::default);

/// What `runnel init` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InitOutcome {
    Created(ClusterMeta),
    AlreadyThere(ClusterMeta),
}

impl Cluster {
    fn new(root: &Path, lock_timeout: Duration) -> Cluster {
        Cluster {
            layout: Layout::new(root),
            lock_timeout,
            brokers_checked: Arc::default(),
            changes: Arc::default(),
            change_asks: Arc::default(),
            looked_at: Arc::default(),
        }
    }

    /// The topic file and `cluster.json` as they are while the change count
    /// reads `changes` (read by the caller before this call): looked at
    /// once per count and topic in this process, not once per partition
    /// writer. A thousand writers opening under one count take the files
    /// one look found — safe for the reason a writer skips its own looks
    /// while the count stays (`change_count`): any change since that look
    /// moved the count. `None` (a change under way, or the count not
    /// mapped yet): looked at now, and not kept.
    pub fn metadata_at(
        &self,
        changes: Option<u64>,
        topic: &str,
    ) -> Result<(TopicSnapshot, (FileStamp, Arc<ClusterMeta>))> {
        if let Some(n) = changes
            && let Ok(looked) = self.looked_at.lock()
            && let Some(looked) = looked.as_ref().filter(|l| l.changes == n)
            && let Some(snapshot) = looked.topics.get(topic)
        {
            return Ok((snapshot.clone(), looked.cluster.clone()));
        }
        let snapshot = self.topic_snapshot(topic)?;
        let cluster = self.meta_snapshot()?;
        if let Some(n) = changes
            && let Ok(mut looked) = self.looked_at.lock()
        {
            match looked.as_mut() {
                Some(current) if current.changes == n => {
                    current.topics.insert(topic.to_string(), snapshot.clone());
                }
                _ => {
                    let topics = HashMap::from([(topic.to_string(), snapshot.clone())]);
                    *looked = Some(LookedAt { changes: n, cluster: cluster.clone(), topics });
                }
            }
        }
        Ok((snapshot, cluster))
    }

    /// A topic's metadata with its file's identity, parsed once per change
    /// of the file for this whole process. `Ok(None)` if there is no topic.
    pub fn topic_snapshot(&self, name: &str) -> Result<Option<(FileStamp, Arc<TopicMeta>)>> {
        names::validate_topic(name)?;
        let path = self.layout.topic_file(name);
        let snapshot = TOPIC_FILES.read(&path)?;
        if let Some((stamp, meta)) = &snapshot {
            named_as_its_file(meta, name, &path)?;
            // Checked once per version of the two files, not at every
            // append of a writer.
            let (cluster_stamp, _) = self.meta_snapshot()?;
            let versions = (*stamp, cluster_stamp);
            let known = |checked: &HashMap<String, (FileStamp, FileStamp)>| checked.get(name) == Some(&versions);
            if !self.brokers_checked.lock().is_ok_and(|checked| known(&checked)) {
                self.on_known_brokers(meta, &path)?;
                if let Ok(mut checked) = self.brokers_checked.lock() {
                    checked.insert(name.to_string(), versions);
                }
            }
        }
        Ok(snapshot)
    }

    /// `cluster.json` with its identity, parsed once per change of the file.
    pub fn meta_snapshot(&self) -> Result<(FileStamp, Arc<ClusterMeta>)> {
        let path = self.layout.cluster_file();
        CLUSTER_FILES.read(&path)?.ok_or_else(|| cluster_file_missing(&path))
    }
    /// Opens the cluster in `root`, creating a one-broker cluster if there is none.
    /// Only an absent or empty folder gets one: a folder holding anything
    /// else without `cluster.json` (not a data dir, or one that lost its
    /// `cluster.json`) is an error, exit 74, and nothing is written there.
    pub fn open(root: &Path, lock_timeout: Duration) -> Result<Cluster> {
        let cluster = Cluster::new(root, lock_timeout);
        if !cluster.layout.cluster_file().exists() {
            cluster.create(1)?;
        }
        Ok(cluster)
    }

    /// Opens the cluster in `root` for a command that only reads: without
    /// `cluster.json` there is no data dir (exit 66, or 74 for a folder
    /// holding other files), and nothing is written.
    pub fn open_existing(root: &Path, lock_timeout: Duration) -> Result<Cluster> {
        let cluster = Cluster::new(root, lock_timeout);
        if !cluster.layout.cluster_file().exists() {
            if !looks_empty(root) {
                return Err(not_a_data_dir(root));
            }
            return Err(Error::not_found(format!("there is no runnel data dir at {}", root.display()))
                .because(Reason::NoDataDir { root: root.to_path_buf() }));
        }
        Ok(cluster)
    }

    /// `runnel init --brokers N`: creates the cluster; running it again with
    /// the same broker count is a no-op.
    pub fn init(root: &Path, brokers: u32, lock_timeout: Duration) -> Result<(Cluster, InitOutcome)> {
        if brokers == 0 {
            return Err(Error::usage("a cluster needs at least one broker"));
        }
        let cluster = Cluster::new(root, lock_timeout);
        let outcome = cluster.create(brokers)?;
        if let InitOutcome::AlreadyThere(meta) = &outcome
            && meta.brokers.len() != brokers as usize
        {
            return Err(Error::conflict(format!(
                "a cluster with {} broker{} already exists in {}",
                meta.brokers.len(),
                if meta.brokers.len() == 1 { "" } else { "s" },
                root.display()
            ))
            .because(Reason::ClusterExists { root: root.to_path_buf(), brokers: meta.brokers.len() }));
        }
        Ok((cluster, outcome))
    }

    fn create(&self, brokers: u32) -> Result<InitOutcome> {
        let root = self.layout.root();
        if !self.layout.cluster_file().exists() && !looks_empty(root) {
            return Err(not_a_data_dir(root));
        }
        fs::create_dir_all(self.layout.locks_dir()).at("create the data directory", root)?;
        let lock = LockFile::open(&self.layout.cluster_lock())?;
        let _guard = lock.lock(self.lock_timeout)?;
        if let Some(meta) = json_file::read::<ClusterMeta>(&self.layout.cluster_file())? {
            return Ok(InitOutcome::AlreadyThere(meta));
        }
        if !looks_empty(root) {
            return Err(not_a_data_dir(root));
        }
        fs::create_dir_all(self.layout.topics_dir()).at("create", &self.layout.topics_dir())?;
        let meta = ClusterMeta {
            format_version: METADATA_VERSION,
            cluster_id: new_id(),
            created_ms: now_ms(),
            brokers: (0..brokers).map(|id| BrokerMeta { id, status: BrokerStatus::Up }).collect(),
        };
        for b in &meta.brokers {
            let dir = self.layout.broker_dir(b.id);
            fs::create_dir_all(&dir).at("create", &dir)?;
        }
        self.write_meta(&meta)?;
        Ok(InitOutcome::Created(meta))
    }

    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    pub fn lock_timeout(&self) -> Duration {
        self.lock_timeout
    }

    /// Takes the cluster lock, serialising metadata changes.
    pub fn lock_metadata(&self) -> Result<LockFile> {
        LockFile::open(&self.layout.cluster_lock())
    }

    /// Reads `cluster.json` (through the process's cache: parsed once per
    /// change of the file). The format version is checked as the file is
    /// parsed (a newer one is exit 74 naming the file, see `documents.rs`).
    pub fn meta(&self) -> Result<ClusterMeta> {
        Ok(self.meta_snapshot()?.1.as_ref().clone())
    }

    /// Writes `cluster.json` (caller holds the cluster lock), counted as a
    /// metadata change (`change_count`).
    pub fn write_meta(&self, meta: &ClusterMeta) -> Result<()> {
        let _change = self.change_count()?.begin();
        json_file::write(&self.layout.cluster_file(), meta)
    }

    /// Writes a topic's file (caller holds the cluster lock), counted as a
    /// metadata change. Metadata files are written only by these methods,
    /// each naming its file from the document: none goes uncounted.
    pub fn write_topic(&self, meta: &TopicMeta) -> Result<()> {
        let _change = self.change_count()?.begin();
        json_file::write(&self.layout.topic_file(&meta.name), meta)
    }

    /// The settings of a stored topic. Values were checked when set: one
    /// that is not valid now was edited into the file by hand, which is
    /// damage to the topic's metadata file (exit 74, naming it), not bad
    /// input of this command.
    pub fn topic_settings(&self, meta: &TopicMeta) -> Result<TopicSettings> {
        TopicSettings::resolve(&meta.config).map_err(|e| {
            let path = self.layout.topic_file(&meta.name);
            let message = format!("metadata file {} is damaged: its config: {}", path.display(), e.message);
            Error::new(crate::error::ErrorKind::Io, message)
                .because(Reason::DamagedTopicConfig { path, topic: meta.name.clone() })
        })
    }

    /// Removes a topic's file (caller holds the cluster lock), counted as a
    /// metadata change.
    pub fn remove_topic_file(&self, name: &str) -> Result<()> {
        let _change = self.change_count()?.begin();
        json_file::remove(&self.layout.topic_file(name))
    }

    /// The count of metadata changes if none is under way: while it stays
    /// the same, `cluster.json` and the topic files are as they were when it
    /// was read. `None` when the files must be looked at.
    pub fn settled_metadata_changes(&self) -> Option<u64> {
        if self.changes.get().is_none() && self.change_asks.fetch_add(1, Ordering::Relaxed) < 2 {
            return None;
        }
        self.change_count().ok()?.settled()
    }

    /// The mapped count (asked at every append: the path is built only
    /// the first time).
    fn change_count(&self) -> Result<&ChangeCount> {
        let mapped = self.changes.get_or_init(|| {
            let path = self.layout.cluster_lock();
            ChangeCount::map(LockFile::open(&path)?).at("map", &path)
        });
        mapped.as_ref().map_err(Error::clone)
    }

    /// The names of all topics, sorted.
    pub fn topic_names(&self) -> Result<Vec<String>> {
        let dir = self.layout.topics_dir();
        let entries = match fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(e).at("list", &dir),
        };
        let mut names = Vec::new();
        for entry in entries {
            let entry = entry.at("list", &dir)?;
            let name = entry.file_name();
            if let Some(topic) = name.to_str().and_then(|n| n.strip_suffix(".json"))
                && names::validate_topic(topic).is_ok()
            {
                names.push(topic.to_string());
            }
        }
        names.sort();
        Ok(names)
    }

    /// Reads a topic's metadata, if the topic exists (through the process's
    /// cache: a producer that looks the topic up and then appends under
    /// the partition lock parses its file once).
    pub fn find_topic(&self, name: &str) -> Result<Option<TopicMeta>> {
        Ok(self.topic_snapshot(name)?.map(|(_, meta)| meta.as_ref().clone()))
    }

    /// [`Cluster::find_topic`] for a name a client sent: one that is no
    /// valid topic name names no topic (`Ok(None)`); damage to the topic's
    /// files is still an error, not a missing topic.
    pub fn find_asked_topic(&self, name: &str) -> Result<Option<TopicMeta>> {
        if names::validate_topic(name).is_err() {
            return Ok(None);
        }
        self.find_topic(name)
    }

    /// Reads a topic's metadata; exit 66 with a hint if it does not exist.
    pub fn topic(&self, name: &str) -> Result<TopicMeta> {
        match self.find_topic(name)? {
            Some(meta) => Ok(meta),
            None => Err(self.unknown_topic(name)),
        }
    }

    /// The "unknown topic" error, with the closest known name.
    pub fn unknown_topic(&self, name: &str) -> Error {
        let known = self.topic_names().unwrap_or_default();
        let guess = suggest::closest(name, known.iter().map(String::as_str));
        Error::not_found(format!("unknown topic '{name}'"))
            .because(Reason::UnknownTopic { name: name.to_string(), suggestion: guess.map(str::to_string) })
    }
}

impl Cluster {
    /// A topic file may place replicas only on brokers `cluster.json`
    /// lists (replica folders are built from the ids).
    fn on_known_brokers(&self, meta: &TopicMeta, path: &Path) -> Result<()> {
        let (_, cluster) = self.meta_snapshot()?;
        match unknown_replica(meta, &cluster) {
            None => Ok(()),
            Some(why) => Err(Error::new(
                crate::error::ErrorKind::Io,
                format!("metadata file {} is damaged: {why}", path.display()),
            )
            .because(Reason::DamagedMetadata { path: path.to_path_buf() })),
        }
    }
}

/// Why `meta` does not fit `cluster`: a replica on a broker it does not list.
pub(crate) fn unknown_replica(meta: &TopicMeta, cluster: &ClusterMeta) -> Option<String> {
    meta.partitions.iter().find_map(|p| {
        let broker = p.replicas.iter().find(|&&b| cluster.broker(b).is_none())?;
        Some(format!("partition {} has a replica on broker {broker}, which cluster.json does not list", p.partition))
    })
}

/// `cluster.json` gone from an opened data dir: exit 74 naming it.
fn cluster_file_missing(path: &Path) -> Error {
    Error::new(crate::error::ErrorKind::Io, format!("{} is missing", path.display()))
        .because(Reason::NoCluster { path: path.to_path_buf() })
}

/// A topic file must name the topic its file name does: every path of the
/// topic is built from the name.
pub(crate) fn named_as_its_file(meta: &TopicMeta, name: &str, path: &std::path::Path) -> Result<()> {
    if meta.name == name {
        return Ok(());
    }
    Err(Error::new(
        crate::error::ErrorKind::Io,
        format!("metadata file {} is damaged: it names topic '{}'", path.display(), meta.name.escape_default()),
    )
    .because(Reason::DamagedMetadata { path: path.to_path_buf() }))
}

/// Whether `root` holds nothing a cluster could have written but empty
/// folders (`locks/`, and the empty `topics/`, `groups/` and `broker-N/`
/// an interrupted creation leaves): only such a folder may get a new cluster.
fn looks_empty(root: &Path) -> bool {
    let Ok(entries) = fs::read_dir(root) else { return true };
    entries.flatten().all(|entry| {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let empty_dir = || fs::read_dir(entry.path()).is_ok_and(|mut inner| inner.next().is_none());
        name == "locks" || (matches!(name.as_ref(), "topics" | "groups") || name.starts_with("broker-")) && empty_dir()
    })
}

/// A folder with files in it but no `cluster.json`: never made a cluster.
fn not_a_data_dir(root: &Path) -> Error {
    Error::new(
        crate::error::ErrorKind::Io,
        format!(
            "{} holds files but no cluster.json: it is not a runnel data dir, or its cluster.json was lost",
            root.display()
        ),
    )
    .because(Reason::NotADataDir { root: root.to_path_buf() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::TopicSpec;

    fn settled(c: &Cluster) -> u64 {
        for _ in 0..3 {
            if let Some(n) = c.settled_metadata_changes() {
                return n;
            }
        }
        panic!("the change count is never settled");
    }

    #[test]
    fn metadata_looked_at_under_a_count_is_taken_again_until_the_count_moves() {
        let dir = tempfile::tempdir().expect("tempdir");
        let c = Cluster::open(dir.path(), Duration::from_secs(5)).expect("cluster");
        let spec = TopicSpec { name: "t".into(), partitions: 2, replication_factor: 1, config: Vec::new() };
        c.create_topic(&spec).expect("topic");
        let n = settled(&c);
        let (first, _) = c.metadata_at(Some(n), "t").expect("look");
        let first = first.expect("the topic");
        // A hand edit is not counted: under the same count, the files are not looked at again.
        let path = c.layout().topic_file("t");
        let mut edited = first.1.as_ref().clone();
        edited.partitions.truncate(1);
        json_file::write(&path, &edited).expect("edit by hand");
        let (again, _) = c.metadata_at(Some(n), "t").expect("look");
        assert!(Arc::ptr_eq(&again.expect("the topic").1, &first.1), "taken from the first look");
        // Without a settled count they are, and a counted change moves the count.
        let (looked, _) = c.metadata_at(None, "t").expect("look");
        assert_eq!(looked.expect("the topic").1.partitions.len(), 1);
        let other = Cluster::open(dir.path(), Duration::from_secs(5)).expect("another handle");
        other.write_topic(&first.1).expect("a counted change");
        let moved = settled(&c);
        assert_ne!(moved, n);
        let (now, _) = c.metadata_at(Some(moved), "t").expect("look");
        assert_eq!(now.expect("the topic").1.partitions.len(), 2);
    }
}

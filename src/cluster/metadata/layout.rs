//! Where everything lives inside a data directory. The one place that knows
//! file and folder names above the store.
//!
//! ```text
//! <data-dir>/
//!   cluster.json                 brokers and the format version
//!   topics/<topic>.json          a topic: config and partition state
//!   locks/cluster.lock           held while metadata changes
//!   locks/<topic>-<p>.lock       the writer lock of a partition (and its group-commit record)
//!   broker-<id>/<topic>-<p>/     one replica: segments and indexes
//! ```

use std::path::{Path, PathBuf};

/// The paths of one data directory.
#[derive(Debug, Clone)]
pub struct Layout {
    root: PathBuf,
}

impl Layout {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Layout { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn cluster_file(&self) -> PathBuf {
        self.root.join("cluster.json")
    }

    pub fn topics_dir(&self) -> PathBuf {
        self.root.join("topics")
    }

    pub fn topic_file(&self, topic: &str) -> PathBuf {
        self.topics_dir().join(format!("{topic}.json"))
    }

    pub fn locks_dir(&self) -> PathBuf {
        self.root.join("locks")
    }

    pub fn cluster_lock(&self) -> PathBuf {
        self.locks_dir().join("cluster.lock")
    }

    pub fn partition_lock(&self, topic: &str, partition: u32) -> PathBuf {
        self.locks_dir().join(partition_lock_name(topic, partition))
    }

    pub fn broker_dir(&self, broker: u32) -> PathBuf {
        self.root.join(format!("broker-{broker}"))
    }

    pub fn replica_dir(&self, broker: u32, topic: &str, partition: u32) -> PathBuf {
        self.broker_dir(broker).join(format!("{topic}-{partition}"))
    }

    pub fn groups_dir(&self) -> PathBuf {
        self.root.join("groups")
    }

    /// Where `runnel serve` keeps what outlives one server (idempotent
    /// producers' sequence numbers).
    pub fn serve_dir(&self) -> PathBuf {
        self.root.join("serve")
    }
}

/// The data dir a command uses: `--data-dir`, else `RUNNEL_DATA_DIR` (both
/// resolved by the CLI into `explicit`), else `$XDG_DATA_HOME/runnel`, else
/// `~/.local/share/runnel`.
pub fn default_data_dir(explicit: Option<&Path>) -> Option<PathBuf> {
    if let Some(dir) = explicit {
        return Some(dir.to_path_buf());
    }
    let xdg = std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty());
    if let Some(xdg) = xdg {
        return Some(PathBuf::from(xdg).join("runnel"));
    }
    let home = std::env::var_os("HOME").filter(|v| !v.is_empty())?;
    Some(PathBuf::from(home).join(".local/share/runnel"))
}

/// The longest file name the file systems runnel runs on accept.
pub const MAX_FILE_NAME: usize = 255;

/// `<topic>-<p>.lock`, the lock file of a partition (the writer's, and a
/// group's ownership claim in data dirs of earlier builds). Every name
/// validation accepts must fit: a topic of Kafka's longest length (249)
/// would pass 255 bytes, so a name too long keeps a prefix and adds a hash
/// of the whole topic name.
pub fn partition_lock_name(topic: &str, partition: u32) -> String {
    topic_file_name(topic, &format!("-{partition}.lock"))
}

/// `<topic><suffix>` (`orders.claims`, `orders-3.lock`), kept within 255
/// bytes as [`partition_lock_name`] says.
pub fn topic_file_name(topic: &str, suffix: &str) -> String {
    let plain = format!("{topic}{suffix}");
    if plain.len() <= MAX_FILE_NAME {
        return plain;
    }
    let hash = topic.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    let tail = format!("~{hash:016x}{suffix}");
    // Names are ASCII (validation), so any byte count is a char boundary.
    format!("{}{tail}", &topic[..MAX_FILE_NAME - tail.len()])
}

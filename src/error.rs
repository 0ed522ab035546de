//! The one error type of runnel: what went wrong, why (a typed [`Reason`]
//! where the domain knows one), and which class of failure it is. The
//! library writes no advice: the CLI (`cli/hints.rs`) turns a reason into a
//! hint naming the fix, and `main` prints one line on stderr and exits with
//! the class's code (REFERENCE.md, "Exit codes"); nothing else prints errors.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The class of an error; each has its own exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Bad flags or arguments (exit 2).
    Usage,
    /// Bad input data, such as a malformed line (exit 65).
    BadInput,
    /// An unknown topic or group (exit 66).
    NotFound,
    /// No leader or not enough in-sync replicas (exit 69).
    Unavailable,
    /// An I/O failure or corruption on disk (exit 74).
    Io,
    /// A lock was not obtained in time (exit 75).
    LockTimeout,
    /// The request conflicts with what exists: a topic or cluster already
    /// there, a broker already down, a group with live members (exit 73,
    /// sysexits' `EX_CANTCREAT`).
    Conflict,
    /// Anything else (exit 1).
    Other,
    /// A wait with `--timeout` ran out (exit 124, like timeout(1)).
    TimedOut,
    /// The reader of our output went away (a closed pipe): a normal end,
    /// exit 0 with nothing printed, like `cat | head`.
    OutputClosed,
    /// `consume --exec`: the command failed on a record `--max-deliver`
    /// times and there is no `--dead-letter` topic (exit 123, as xargs
    /// when a command it ran failed).
    CommandFailed,
}

impl ErrorKind {
    pub fn exit_code(self) -> i32 {
        match self {
            ErrorKind::Usage => 2,
            ErrorKind::BadInput => 65,
            ErrorKind::NotFound => 66,
            ErrorKind::Unavailable => 69,
            ErrorKind::Io => 74,
            ErrorKind::LockTimeout => 75,
            ErrorKind::Conflict => 73,
            ErrorKind::Other => 1,
            ErrorKind::TimedOut => 124,
            ErrorKind::OutputClosed => 0,
            ErrorKind::CommandFailed => 123,
        }
    }
}

/// Why an error happened, as data (names, ids, paths, numbers): one variant
/// per situation a front end may want to explain or map to its own codes.
/// Errors with nothing to add beyond their message have no reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// A line of `produce --key-separator` input lacks the separator.
    NoKeySeparator { line: u64 },
    /// No data dir at `root` (no `cluster.json`, nothing else either).
    NoDataDir { root: PathBuf },
    /// `root` holds files but no `cluster.json`.
    NotADataDir { root: PathBuf },
    /// A topic name that breaks Kafka's naming rules.
    InvalidTopicName { name: String },
    /// A new topic's name differs from an existing one only in `.` vs `_`.
    TopicCollides { name: String, existing: String },
    /// No topic of this name; `suggestion` is the closest existing name.
    UnknownTopic { name: String, suggestion: Option<String> },
    /// No consumer group of this name; `suggestion` is the closest one.
    UnknownGroup { group: String, suggestion: Option<String> },
    /// No broker with this id; `known` are the cluster's ids.
    UnknownBroker { id: u32, known: Vec<u32> },
    /// A topic config key that does not exist; `known` are the valid ones.
    UnknownConfig { name: String, known: Vec<String> },
    /// `create_topic` for a name that is taken.
    TopicExists { name: String },
    /// A cluster is already in `root`, with another broker count.
    ClusterExists { root: PathBuf, brokers: usize },
    /// `cluster.json` is missing: there is no cluster in this data dir.
    NoCluster { path: PathBuf },
    /// A metadata file written by a newer format than this build reads.
    NewerFormat { path: PathBuf, version: u32 },
    /// A metadata file that does not parse.
    DamagedMetadata { path: PathBuf },
    /// A topic file whose stored config holds a value no command would set.
    DamagedTopicConfig { path: PathBuf, topic: String },
    /// A replication factor larger than the cluster's broker count.
    TooFewBrokers { replication_factor: u32, brokers: u32 },
    /// A replication factor larger than the number of brokers up.
    TooFewBrokersUp { replication_factor: u32, live: usize },
    /// Failing a broker that is already down (and nothing to finish).
    BrokerAlreadyDown { id: u32 },
    /// The partition has no leader: its in-sync replicas are down.
    Offline { topic: String, partition: u32 },
    /// Fewer in-sync replicas than `min.insync.replicas` for `acks=all`.
    NotEnoughReplicas { topic: String, partition: u32, isr: usize, min_isr: usize },
    /// The partition's leader is a broker that is down: a leadership move
    /// (`broker fail`) was interrupted.
    LeaderDown { topic: String, partition: u32, leader: u32 },
    /// The leader's replica folder is missing, found while moving or
    /// checking leadership.
    LeaderReplicaMissing { topic: String, partition: u32, leader: u32 },
    /// The leader's replica folder is missing, found when opening the
    /// partition to write (its disk was lost).
    LeaderReplicaLost { topic: String, partition: u32, leader: u32, dir: PathBuf },
    /// A reset or delete refused while the group has live members.
    GroupHasMembers { group: String, members: Vec<String> },
    /// A group used as the other type: `is_share` says what it is (a
    /// share group given to `--group`, or a consumer group to `--share`).
    GroupTypeMismatch { group: String, is_share: bool },
    /// A member asked for another assignor than the live group uses.
    StrategyMismatch { group: String, live: String, asked: String },
    /// An input line longer than any message `max.message.bytes` allows.
    MessageTooLarge { line: u64, max_line: usize },
    /// Damage in a file at a byte position.
    Corrupt { path: PathBuf, position: u64 },
    /// Damage at the end of a log that a reader stays stuck at (it is not
    /// a write in progress): the next append cuts a torn tail.
    CorruptTail { path: PathBuf, position: u64 },
    /// Damage in a replica that is the only in-sync copy of its partition.
    CorruptOnlyCopy { path: PathBuf, position: u64 },
    /// The leader's log lacks a frame at an offset a follower needs.
    LeaderLogGap { dir: PathBuf, offset: u64 },
    /// A data dir check found damaged metadata.
    DamagedMetadataFound { path: PathBuf },
    /// A data dir check found `count` damaged or missing replicas.
    DamagedReplicas { count: usize },
    /// A log refuses writes after an earlier write or sync failed.
    LogPoisoned { dir: PathBuf },
    /// A lock was not obtained in time.
    LockTimeout { path: PathBuf },
    /// An I/O failure doing `action` on `path`; `source` is the OS error.
    Io { action: String, path: PathBuf, source: IoSource },
    /// The reader of our output went away.
    OutputClosed,
    /// `consume --exec`: the command failed on a record as often as
    /// `--max-deliver` allows, and there is no dead-letter topic.
    CommandFailed,
}

/// An OS error kept as the source of an [`Error`]: shared, so errors stay
/// `Clone`; equal when the kind and the OS error number are.
#[derive(Debug, Clone)]
pub struct IoSource(pub Arc<io::Error>);

impl PartialEq for IoSource {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
            || (self.0.kind() == other.0.kind() && self.0.raw_os_error() == other.0.raw_os_error())
    }
}

impl Eq for IoSource {}

/// The I/O failures that have a cause worth naming, from the OS error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IoTrouble {
    DiskFull,
    ReadOnly,
    PermissionDenied,
    TooManyOpenFiles,
}

impl IoTrouble {
    pub fn of(err: &io::Error) -> Option<IoTrouble> {
        match err.raw_os_error() {
            Some(libc::ENOSPC) => Some(IoTrouble::DiskFull),
            Some(libc::EROFS) => Some(IoTrouble::ReadOnly),
            Some(libc::EACCES) | Some(libc::EPERM) => Some(IoTrouble::PermissionDenied),
            Some(libc::EMFILE) | Some(libc::ENFILE) => Some(IoTrouble::TooManyOpenFiles),
            _ => None,
        }
    }
}

/// An error: its class (the exit code), a message, and the reason where
/// the domain knows one (boxed: errors stay small on the hot paths).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
    pub reason: Option<Box<Reason>>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error { kind, message: message.into(), reason: None }
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Usage, message)
    }

    pub fn bad_input(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::BadInput, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotFound, message)
    }

    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Unavailable, message)
    }

    pub fn timed_out(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::TimedOut, message)
    }

    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Conflict, message)
    }

    pub fn other(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Other, message)
    }

    /// Damage found on disk: names the file and the byte position.
    pub fn corrupt(path: &Path, position: u64, what: impl fmt::Display) -> Self {
        Self::new(ErrorKind::Io, format!("corrupt data in {} at byte {position}: {what}", path.display()))
            .because(Reason::Corrupt { path: path.to_path_buf(), position })
    }

    /// An I/O failure while doing `action` on `path`; the `io::Error` is
    /// kept as the [`source`](std::error::Error::source).
    pub fn io(action: &str, path: &Path, err: io::Error) -> Self {
        Self::new(ErrorKind::Io, format!("cannot {action} {}: {}", path.display(), plain_io_message(&err))).because(
            Reason::Io { action: action.to_string(), path: path.to_path_buf(), source: IoSource(Arc::new(err)) },
        )
    }

    /// A failure writing our output: a closed pipe is a quiet, normal end.
    pub fn output(err: io::Error) -> Self {
        // A sink that failed for a reason of its own (`consume --exec`)
        // hands its error through the sink's `io::Error`.
        if let Some(inner) = err.get_ref().and_then(|e| e.downcast_ref::<Error>()) {
            return inner.clone();
        }
        if err.kind() == io::ErrorKind::BrokenPipe {
            return Self::new(ErrorKind::OutputClosed, "the output was closed").because(Reason::OutputClosed);
        }
        Self::io("write", Path::new("standard output"), err)
    }

    /// Sets the reason (replacing one set before).
    pub fn because(mut self, reason: Reason) -> Self {
        self.reason = Some(Box::new(reason));
        self
    }

    /// Why, where the domain knows.
    pub fn reason(&self) -> Option<&Reason> {
        self.reason.as_deref()
    }

    /// The cause of an I/O failure, when the OS error names one.
    pub fn io_trouble(&self) -> Option<IoTrouble> {
        match self.reason() {
            Some(Reason::Io { source, .. }) => IoTrouble::of(&source.0),
            _ => None,
        }
    }

    /// Whether the reader of our output went away.
    pub fn is_output_closed(&self) -> bool {
        matches!(self.reason(), Some(Reason::OutputClosed))
    }

    pub fn exit_code(&self) -> i32 {
        self.kind.exit_code()
    }
}

/// The OS message without Rust's " (os error N)" suffix.
fn plain_io_message(err: &io::Error) -> String {
    let text = err.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// The message alone: advice is the front end's (see `cli::hints`).
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self.reason() {
            Some(Reason::Io { source, .. }) => Some(&*source.0),
            _ => None,
        }
    }
}

/// Attaches a path and an action to I/O results.
pub trait IoContext<T> {
    fn at(self, action: &str, path: &Path) -> Result<T>;
}

impl<T> IoContext<T> for io::Result<T> {
    fn at(self, action: &str, path: &Path) -> Result<T> {
        self.map_err(|e| Error::io(action, path, e))
    }
}

/// `a, b, c`, or past `max` items `a, b, c and 997 more`: an error (or
/// note) naming what it is about (partitions, folders) stays one line when
/// there are thousands of them.
pub fn listed(items: &[String], max: usize) -> String {
    if items.len() <= max {
        return items.join(", ");
    }
    format!("{} and {} more", items[..max].join(", "), items.len() - max)
}

#[cfg(test)]
mod tests {
    #[test]
    fn long_lists_name_their_first_items_and_count_the_rest() {
        let items: Vec<String> = (0..1000).map(|p| format!("t-{p}")).collect();
        assert_eq!(super::listed(&items[..3], 3), "t-0, t-1, t-2");
        assert_eq!(super::listed(&items, 3), "t-0, t-1, t-2 and 997 more");
        assert_eq!(super::listed(&[], 3), "");
    }

    use super::*;
    use std::error::Error as _;

    #[test]
    fn disk_full_names_the_file_and_the_cause() {
        let err = Error::io("write", Path::new("/d/x.log"), io::Error::from_raw_os_error(libc::ENOSPC));
        assert_eq!(err.exit_code(), 74);
        let line = err.to_string();
        assert_eq!(line, "cannot write /d/x.log: No space left on device");
        assert_eq!(err.io_trouble(), Some(IoTrouble::DiskFull));
        assert!(
            matches!(err.reason(), Some(Reason::Io { action, path, .. }) if action == "write" && path == Path::new("/d/x.log"))
        );
    }

    #[test]
    fn an_io_error_keeps_its_source() {
        let err = Error::io("open", Path::new("/d/y"), io::Error::from_raw_os_error(libc::EACCES));
        let source = err.source().and_then(|s| s.downcast_ref::<io::Error>()).expect("an io::Error source");
        assert_eq!(source.raw_os_error(), Some(libc::EACCES));
        assert_eq!(err.io_trouble(), Some(IoTrouble::PermissionDenied));
        // Clones share the source and compare equal.
        assert_eq!(err.clone(), err);
        assert!(Error::other("x").source().is_none());
    }

    #[test]
    fn the_cause_comes_from_the_os_error() {
        let of = |errno| IoTrouble::of(&io::Error::from_raw_os_error(errno));
        assert_eq!(of(libc::EROFS), Some(IoTrouble::ReadOnly));
        assert_eq!(of(libc::EPERM), Some(IoTrouble::PermissionDenied));
        assert_eq!(of(libc::EMFILE), Some(IoTrouble::TooManyOpenFiles));
        assert_eq!(of(libc::ENFILE), Some(IoTrouble::TooManyOpenFiles));
        assert_eq!(of(libc::EIO), None);
    }

    #[test]
    fn a_closed_pipe_is_its_own_reason() {
        let err = Error::output(io::Error::from(io::ErrorKind::BrokenPipe));
        assert!(err.is_output_closed());
        assert_eq!(err.exit_code(), 0);
        assert!(!Error::output(io::Error::from_raw_os_error(libc::EIO)).is_output_closed());
    }

    #[test]
    fn corruption_names_the_file_and_the_byte() {
        let err = Error::corrupt(Path::new("/d/0.log"), 12, "bad crc");
        assert_eq!(err.to_string(), "corrupt data in /d/0.log at byte 12: bad crc");
        assert_eq!(err.reason(), Some(&Reason::Corrupt { path: PathBuf::from("/d/0.log"), position: 12 }));
        assert_eq!(err.exit_code(), 74);
    }

    #[test]
    fn exit_codes_follow_the_reference() {
        let codes: Vec<i32> = [
            ErrorKind::Usage,
            ErrorKind::BadInput,
            ErrorKind::NotFound,
            ErrorKind::Unavailable,
            ErrorKind::Conflict,
            ErrorKind::Io,
            ErrorKind::LockTimeout,
            ErrorKind::Other,
            ErrorKind::TimedOut,
            ErrorKind::OutputClosed,
            ErrorKind::CommandFailed,
        ]
        .iter()
        .map(|k| k.exit_code())
        .collect();
        assert_eq!(codes, [2, 65, 66, 69, 73, 74, 75, 1, 124, 0, 123]);
    }

    #[test]
    fn a_sink_error_carried_in_an_io_error_comes_back_whole() {
        let failed = Error::new(ErrorKind::CommandFailed, "the command failed");
        let back = Error::output(io::Error::other(failed.clone()));
        assert_eq!(back, failed);
        assert_eq!(back.exit_code(), 123);
    }
}

//! The CLI's face of errors: the library reports a typed [`Reason`]; here
//! it becomes the hint naming the `runnel` command or flag that fixes it.
//! A command's own advice (about its flags) is a [`CommandError`] built
//! with [`WithHint::with_hint`]. `main` prints `runnel: error: MESSAGE; HINT`.

use std::fmt;

use crate::error::{Error, IoTrouble, Reason};

/// An error as the CLI reports it: the library error and, where the
/// command knows better than the reason, its own hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandError {
    pub error: Error,
    pub hint: Option<String>,
}

pub type CommandResult<T> = std::result::Result<T, CommandError>;

impl From<Error> for CommandError {
    fn from(error: Error) -> Self {
        CommandError { error, hint: None }
    }
}

impl CommandError {
    pub fn exit_code(&self) -> i32 {
        self.error.exit_code()
    }

    /// The hint to print: the command's own, else the reason's.
    pub fn hint(&self) -> Option<String> {
        self.hint.clone().or_else(|| self.error.reason().and_then(hint))
    }
}

/// The line printed for the error (without the `runnel: error: ` prefix).
impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.error.message)?;
        if let Some(hint) = self.hint() {
            write!(f, "; {hint}")?;
        }
        Ok(())
    }
}

/// Attaches a command's own hint (replacing the reason's).
pub trait WithHint {
    fn with_hint(self, hint: impl Into<String>) -> CommandError;
}

impl WithHint for Error {
    fn with_hint(self, hint: impl Into<String>) -> CommandError {
        CommandError { error: self, hint: Some(hint.into()) }
    }
}

/// A library error's message with the reason's hint, as one line.
pub fn line(error: &Error) -> String {
    CommandError::from(error.clone()).to_string()
}

/// The advice for a reason, naming the command or flag that fixes it.
pub fn hint(reason: &Reason) -> Option<String> {
    let text = match reason {
        Reason::UnknownTopic { name, suggestion } => {
            let guess = suggestion.as_ref().map(|g| format!("did you mean '{g}'? ")).unwrap_or_default();
            format!("{guess}create it with `runnel topic create {name}`")
        }
        Reason::UnknownGroup { suggestion: Some(g), .. } => {
            format!("did you mean '{g}'? `runnel group list` shows the groups")
        }
        Reason::UnknownGroup { suggestion: None, .. } => {
            "`runnel group list` shows the groups; a group is created by `runnel consume --group`".to_string()
        }
        Reason::UnknownBroker { known, .. } => {
            let ids: Vec<String> = known.iter().map(u32::to_string).collect();
            format!("the brokers are {}; see them with `runnel broker list`", ids.join(", "))
        }
        Reason::UnknownConfig { known, .. } => format!("known configs: {}", known.join(", ")),
        Reason::TopicExists { name } => format!("see it with `runnel topic describe {name}`"),
        // The message itself says which characters and lengths are allowed.
        Reason::InvalidTopicName { .. } => return None,
        Reason::NoKeySeparator { .. } => {
            "add the separator to the line, or pass --allow-keyless to produce such lines with a null key".to_string()
        }
        Reason::NoDataDir { .. } => {
            "check --data-dir (or RUNNEL_DATA_DIR); a data dir is created by `runnel init` or the first produce".to_string()
        }
        Reason::NotADataDir { .. } => {
            "check --data-dir (or RUNNEL_DATA_DIR); if this is a data dir that lost its cluster.json, restore the file"
                .to_string()
        }
        Reason::TopicCollides { existing, .. } => format!("use the existing topic '{existing}', or a name that differs in more than '.' and '_'"),
        Reason::ClusterExists { .. } => "use `runnel broker add` to grow it, or pick another --data-dir".to_string(),
        Reason::NoCluster { .. } => "run `runnel init` to create a cluster".to_string(),
        Reason::NewerFormat { .. } => "upgrade runnel".to_string(),
        Reason::DamagedMetadata { .. } => {
            "restore it from a backup, or delete it and recreate what it described".to_string()
        }
        Reason::DamagedTopicConfig { topic, .. } => format!(
            "set a valid value with `runnel topic alter {topic} --config KEY=VALUE`, or go back to the default with \
             `--delete-config KEY`"
        ),
        Reason::TooFewBrokers { .. } => "lower --replication-factor, or add brokers with `runnel broker add`".to_string(),
        Reason::TooFewBrokersUp { .. } => {
            "recover a broker with `runnel broker recover ID`, or lower --replication-factor".to_string()
        }
        Reason::BrokerAlreadyDown { id } => format!("bring it back with `runnel broker recover {id}`"),
        Reason::Offline { .. } => "recover a broker with `runnel broker recover ID`, or allow unclean election with `runnel elect-leaders --unclean`".to_string(),
        Reason::NotEnoughReplicas { .. } => {
            "recover the missing brokers with `runnel broker recover ID`, or produce with --acks 1".to_string()
        }
        Reason::LeaderDown { leader, .. } => format!(
            "finish moving leadership with `runnel broker fail {leader}`, or bring it back with `runnel broker recover {leader}`"
        ),
        Reason::LeaderReplicaMissing { leader, .. } => {
            format!("fail the broker and rebuild it: `runnel broker fail {leader}` then `runnel broker recover {leader}`")
        }
        Reason::LeaderReplicaLost { leader, .. } => format!(
            "move leadership away and rebuild it: `runnel broker fail {leader}` then `runnel broker recover {leader}`"
        ),
        Reason::GroupHasMembers { .. } => "stop its consumers first (`runnel group describe` shows them)".to_string(),
        Reason::GroupTypeMismatch { group, is_share } => format!(
            "use another group name, or {} it with `runnel group delete {group}` once it has no members",
            if *is_share { "read it with --share G, or delete" } else { "read it with --group G, or delete" }
        ),
        Reason::StrategyMismatch { live, .. } => {
            format!("use --assignment-strategy {live}, or wait until the group is empty")
        }
        Reason::MessageTooLarge { .. } => {
            "raise it with `runnel topic alter TOPIC --config max.message.bytes=N`".to_string()
        }
        Reason::Corrupt { .. } => "run `runnel log verify` to see the damage; `runnel log verify --repair` rebuilds a replicated partition from a healthy in-sync replica".to_string(),
        Reason::CorruptTail { .. } => "`runnel log verify` shows the damage; the next produce cuts a torn tail, and a replicated partition can be repaired with `runnel broker recover ID --repair`".to_string(),
        Reason::CorruptOnlyCopy { .. } => {
            "no other in-sync replica holds this partition: `runnel log dump` shows what is readable".to_string()
        }
        Reason::LeaderLogGap { .. } => "run `runnel log verify` on the leader's replica".to_string(),
        Reason::DamagedMetadataFound { .. } => "restore it from a backup".to_string(),
        Reason::DamagedReplicas { count } => format!(
            "{count} damaged replica{}; `runnel log verify --repair` rebuilds them from healthy in-sync replicas",
            if *count == 1 { "" } else { "s" }
        ),
        Reason::LogPoisoned { .. } => "run the command again: the next process cuts what was half written".to_string(),
        Reason::LockTimeout { .. } => "wait for it to finish, stop it, or raise --lock-timeout".to_string(),
        Reason::Io { source, .. } => return IoTrouble::of(&source.0).map(io_hint).map(str::to_string),
        Reason::OutputClosed => return None,
        Reason::CommandFailed => "fix the command and run again (the group resumes at that record), or set such records aside with --dead-letter TOPIC".to_string(),
    };
    Some(text)
}

fn io_hint(trouble: IoTrouble) -> &'static str {
    match trouble {
        IoTrouble::DiskFull => "the disk is full: free space or move the data dir",
        IoTrouble::ReadOnly => "the data dir is on a read-only file system",
        IoTrouble::PermissionDenied => "check the permissions of the data dir, or pick another with --data-dir",
        IoTrouble::TooManyOpenFiles => {
            "raise the limit on open files (`ulimit -Hn`): each partition replica written holds four open"
        }
    }
}

#[cfg(test)]
mod tests {
    use std::error::Error as _;
    use std::io;
    use std::path::{Path, PathBuf};

    use super::*;

    fn said(reason: Reason) -> String {
        hint(&reason).expect("a hint")
    }

    #[test]
    fn an_unknown_topic_names_the_closest_and_the_fix() {
        let reason = |suggestion: Option<&str>| Reason::UnknownTopic {
            name: "rieds".into(),
            suggestion: suggestion.map(str::to_string),
        };
        assert_eq!(said(reason(Some("rides"))), "did you mean 'rides'? create it with `runnel topic create rieds`");
        assert_eq!(said(reason(None)), "create it with `runnel topic create rieds`");
    }

    #[test]
    fn reasons_render_the_hints_printed_before() {
        assert_eq!(
            said(Reason::UnknownBroker { id: 7, known: vec![0, 1, 2] }),
            "the brokers are 0, 1, 2; see them with `runnel broker list`"
        );
        assert_eq!(
            said(Reason::UnknownGroup { group: "gg".into(), suggestion: None }),
            "`runnel group list` shows the groups; a group is created by `runnel consume --group`"
        );
        assert_eq!(
            said(Reason::LeaderDown { topic: "t".into(), partition: 0, leader: 2 }),
            "finish moving leadership with `runnel broker fail 2`, or bring it back with `runnel broker recover 2`"
        );
        assert_eq!(
            said(Reason::NotEnoughReplicas { topic: "t".into(), partition: 1, isr: 1, min_isr: 2 }),
            "recover the missing brokers with `runnel broker recover ID`, or produce with --acks 1"
        );
        assert_eq!(said(Reason::DamagedReplicas { count: 1 }).split(';').next(), Some("1 damaged replica"));
        assert_eq!(said(Reason::DamagedReplicas { count: 3 }).split(';').next(), Some("3 damaged replicas"));
        assert_eq!(
            said(Reason::LockTimeout { path: PathBuf::from("/d/x.lock") }),
            "wait for it to finish, stop it, or raise --lock-timeout"
        );
        assert_eq!(hint(&Reason::OutputClosed), None);
    }

    #[test]
    fn the_line_is_the_message_then_the_hint() {
        let err = Error::corrupt(Path::new("/d/0.log"), 9, "bad crc");
        assert_eq!(
            line(&err),
            "corrupt data in /d/0.log at byte 9: bad crc; run `runnel log verify` to see the damage; `runnel log verify --repair` rebuilds a replicated partition from a healthy in-sync replica"
        );
        assert_eq!(line(&Error::other("plain")), "plain");
        // A command's own hint replaces the reason's.
        let own = Error::corrupt(Path::new("/d/0.log"), 9, "bad crc").with_hint("look elsewhere");
        assert_eq!(own.to_string(), "corrupt data in /d/0.log at byte 9: bad crc; look elsewhere");
    }

    #[test]
    fn an_io_failure_keeps_its_source_and_names_its_cause() {
        let err = Error::io("write", Path::new("/d/x.log"), io::Error::from_raw_os_error(libc::ENOSPC));
        assert_eq!(
            line(&err),
            "cannot write /d/x.log: No space left on device; the disk is full: free space or move the data dir"
        );
        let source = err.source().and_then(|s| s.downcast_ref::<io::Error>()).expect("the io::Error");
        assert_eq!(source.raw_os_error(), Some(libc::ENOSPC));
        let plain = Error::io("read", Path::new("/d/y"), io::Error::from_raw_os_error(libc::EIO));
        assert_eq!(line(&plain), "cannot read /d/y: Input/output error");
        let emfile = Error::io("open", Path::new("/d/z"), io::Error::from_raw_os_error(libc::EMFILE));
        assert!(line(&emfile).ends_with("each partition replica written holds four open"));
    }
}

//! The one error type of runnel: what went wrong, what to do about it, and
//! which exit code (REFERENCE.md, "Exit codes") it maps to. `main` turns it into one
//! line on stderr and the exit code; nothing else prints errors.

use std::fmt;
use std::io;
use std::path::Path;

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
    /// Anything else (exit 1).
    Other,
    /// A wait with `--timeout` ran out (exit 124, like timeout(1)).
    TimedOut,
    /// The reader of our output went away (a closed pipe): a normal end,
    /// exit 0 with nothing printed, like `cat | head`.
    OutputClosed,
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
            ErrorKind::Other => 1,
            ErrorKind::TimedOut => 124,
            ErrorKind::OutputClosed => 0,
        }
    }
}

/// An error with a message and, where one helps, a hint naming the fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
    pub hint: Option<String>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error { kind, message: message.into(), hint: None }
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

    pub fn other(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Other, message)
    }

    /// Damage found on disk: names the file and the byte position.
    pub fn corrupt(path: &Path, position: u64, what: impl fmt::Display) -> Self {
        Self::new(
            ErrorKind::Io,
            format!("corrupt data in {} at byte {position}: {what}", path.display()),
        )
        .with_hint("run `runnel log verify` to see the damage; a replicated partition can be repaired with `runnel broker recover ID --repair`")
    }

    /// An I/O failure while doing `action` on `path`.
    pub fn io(action: &str, path: &Path, err: io::Error) -> Self {
        let hint = match err.raw_os_error() {
            Some(libc::ENOSPC) => Some("the disk is full: free space or move the data dir"),
            Some(libc::EROFS) => Some("the data dir is on a read-only file system"),
            Some(libc::EACCES) | Some(libc::EPERM) => {
                Some("check the permissions of the data dir, or pick another with --data-dir")
            }
            Some(libc::EMFILE) | Some(libc::ENFILE) => {
                Some("raise the limit on open files (`ulimit -Hn`): each partition replica written holds four open")
            }
            _ => None,
        };
        let err = Self::new(ErrorKind::Io, format!("cannot {action} {}: {}", path.display(), plain_io_message(&err)));
        match hint {
            Some(h) => err.with_hint(h),
            None => err,
        }
    }

    /// A failure writing our output: a closed pipe is a quiet, normal end.
    pub fn output(err: io::Error) -> Self {
        if err.kind() == io::ErrorKind::BrokenPipe {
            return Self::new(ErrorKind::OutputClosed, "the output was closed");
        }
        Self::io("write", Path::new("standard output"), err)
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
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

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "; {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// Attaches a path and an action to I/O results.
pub trait IoContext<T> {
    fn at(self, action: &str, path: &Path) -> Result<T>;
}

impl<T> IoContext<T> for io::Result<T> {
    fn at(self, action: &str, path: &Path) -> Result<T> {
        self.map_err(|e| Error::io(action, path, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disk_full_names_the_file_and_the_fix() {
        let err = Error::io("write", Path::new("/d/x.log"), io::Error::from_raw_os_error(libc::ENOSPC));
        assert_eq!(err.exit_code(), 74);
        let line = err.to_string();
        assert!(line.contains("/d/x.log") && line.contains("disk is full"), "{line}");
        assert!(!line.contains("os error"), "{line}");
    }

    #[test]
    fn exit_codes_follow_the_interface() {
        let codes: Vec<i32> = [
            ErrorKind::Usage,
            ErrorKind::BadInput,
            ErrorKind::NotFound,
            ErrorKind::Unavailable,
            ErrorKind::Io,
            ErrorKind::LockTimeout,
            ErrorKind::Other,
        ]
        .iter()
        .map(|k| k.exit_code())
        .collect();
        assert_eq!(codes, [2, 65, 66, 69, 74, 75, 1]);
    }
}

//! What runs for a batch: `sh -c CMD`, or, when CMD is a plain command line
//! — words of ordinary characters, the first naming an executable found in
//! `PATH` (resolved once) and no shell builtin or keyword — that program
//! with those words as its arguments, directly. The shell would only have
//! split the words and run the program (after a fork of its own, as
//! `dash` does), so the outcome is the same, without a shell's start and
//! fork per batch.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Characters a word may have for the command line to be run without a
/// shell: nothing the shell would expand, quote, redirect or combine.
fn plain_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '/' | ':' | ',' | '+' | '%' | '@' | '=' | '-')
}

/// Shell builtins and keywords (POSIX and common extensions): a first word
/// among them goes to the shell, whatever `PATH` holds.
const SHELL_WORDS: &[&str] = &[
    "alias", "bg", "break", "case", "cd", "command", "continue", "do", "done", "elif", "else", "esac", "eval", "exec",
    "exit", "export", "false", "fc", "fg", "fi", "for", "getopts", "hash", "if", "in", "jobs", "kill", "local", "read",
    "readonly", "return", "set", "shift", "source", "test", "then", "times", "trap", "true", "type", "ulimit", "umask",
    "unalias", "unset", "until", "wait", "while", "echo", "printf", "pwd",
];

/// A command as it will be started for each batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Program {
    /// The command line as given (`sh -c` runs it).
    pub command: String,
    /// The program and its arguments when it runs without a shell.
    direct: Option<(PathBuf, Vec<OsString>)>,
}

impl Program {
    /// `command`, run directly when it is a plain command line whose
    /// program `PATH` (the one given, normally this process's) finds.
    pub fn new(command: &str, path: Option<&std::ffi::OsStr>) -> Program {
        let direct = Self::plain_words(command).and_then(|words| {
            let program = resolve(words[0], path?)?;
            Some((program, words[1..].iter().map(OsString::from).collect()))
        });
        Program { command: command.to_string(), direct }
    }

    /// `command` with this process's `PATH`.
    pub fn from_env(command: &str) -> Program {
        Program::new(command, std::env::var_os("PATH").as_deref())
    }

    /// The words of a plain command line (see the module doc).
    fn plain_words(command: &str) -> Option<Vec<&str>> {
        let words: Vec<&str> = command.split([' ', '\t']).filter(|w| !w.is_empty()).collect();
        let first = *words.first()?;
        let plain = words.iter().all(|w| w.chars().all(plain_char));
        (plain && !first.contains('=') && !SHELL_WORDS.contains(&first)).then_some(words)
    }

    /// Whether batches run without a shell.
    pub fn is_direct(&self) -> bool {
        self.direct.is_some()
    }

    /// The process to start: the program itself, or `sh -c CMD`.
    pub fn command(&self) -> std::process::Command {
        match &self.direct {
            Some((program, args)) => {
                let mut cmd = std::process::Command::new(program);
                cmd.args(args);
                cmd
            }
            None => {
                let mut cmd = std::process::Command::new("/bin/sh");
                cmd.arg("-c").arg(&self.command);
                cmd
            }
        }
    }
}

/// The executable file `name` names: itself when it has a `/`, else the
/// first in `path`'s folders.
fn resolve(name: &str, path: &std::ffi::OsStr) -> Option<PathBuf> {
    let executable = |p: &Path| {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    };
    if name.contains('/') {
        let p = PathBuf::from(name);
        return executable(&p).then_some(p);
    }
    std::env::split_paths(path).filter(|dir| dir.is_absolute()).map(|dir| dir.join(name)).find(|p| executable(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_command_lines_run_directly_anything_else_through_the_shell() {
        let path = std::env::var_os("PATH");
        let path = path.as_deref();
        assert!(Program::new("cat", path).is_direct());
        assert!(Program::new("  tr a-z A-Z ", path).is_direct());
        assert!(Program::new("/bin/cat -u", path).is_direct());
        for shell in [
            "cat | tr a b",
            "jq -c '{a: .b}'",
            "echo $HOME",
            "exit 3",
            "true",
            "X=1 cat",
            "cat > out",
            "cat *",
            "no-such-program-here",
            "./not-there",
            "",
        ] {
            assert!(!Program::new(shell, path).is_direct(), "{shell}");
        }
        assert!(Program::new("grep -v boom", path).is_direct(), "grep is a program");
        assert!(!Program::new("cat", None).is_direct(), "no PATH: the shell finds it");
    }
}

//! One try of a command on one batch: `sh -c CMD` (or the program of a
//! plain command line, [`Program`]) with the batch's environment, the batch's bytes on its standard input (closed after
//! them), its standard output inherited (runnel's stdout) or captured
//! (`--to`), its standard error passed through to runnel's with the last
//! [`STDERR_TAIL`] bytes kept for a dead letter's header. The command dies
//! with runnel (`PR_SET_PDEATHSIG`), so a `kill -9` of runnel leaves no
//! command working on a batch the group will hand out again; and it runs in
//! a process group of its own, so a Ctrl-C at the terminal reaches runnel,
//! which lets the running batches finish before it leaves, and not the
//! command (a second Ctrl-C ends runnel at once, and the command's whole
//! process group with it, [`super::process_groups`]). A `kill -9` of
//! runnel ends the process it started; what that process started itself
//! (a shell pipeline's programs) is ended only as they notice: their
//! input closes.
//!
//! Only how the command exited matters: one that stops reading its input
//! early and exits 0 has succeeded. A command writing to runnel's standard
//! output that fails once that output's reader has gone (`| head -1`: the
//! command dies of SIGPIPE) did not fail on its batch: the try ends as a
//! closed output (`BrokenPipe`), which stops the member as a closed output
//! stops `consume`, neither retried nor dead-lettered.

use std::ffi::OsString;
use std::io::{self, Read, Write};
use std::os::fd::AsFd;
use std::os::unix::ffi::OsStringExt;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::Stdio;

use super::Program;

/// How much of the command's standard error is kept (its end).
pub const STDERR_TAIL: usize = 1024;

/// What the command sees of its batch, as environment variables.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BatchEnv {
    pub topic: String,
    pub partition: u32,
    /// The first and last offset of the batch.
    pub first_offset: u64,
    pub last_offset: u64,
    pub count: usize,
    /// The record's key when the batch is one record with a key.
    pub key: Option<Vec<u8>>,
    /// The most times any record of the batch was given to the command,
    /// this try included (1 the first time).
    pub delivery: u32,
    pub group: Option<String>,
}

impl BatchEnv {
    /// `RUNNEL_TOPIC`, `RUNNEL_PARTITION`, `RUNNEL_OFFSET` (the first),
    /// `RUNNEL_OFFSET_LAST`, `RUNNEL_COUNT`, `RUNNEL_DELIVERY`,
    /// `RUNNEL_GROUP` (in a group) and `RUNNEL_KEY` (a batch of one record
    /// with a key without a NUL byte).
    pub fn vars(&self) -> Vec<(&'static str, OsString)> {
        let mut vars = vec![
            ("RUNNEL_TOPIC", OsString::from(&self.topic)),
            ("RUNNEL_PARTITION", self.partition.to_string().into()),
            ("RUNNEL_OFFSET", self.first_offset.to_string().into()),
            ("RUNNEL_OFFSET_LAST", self.last_offset.to_string().into()),
            ("RUNNEL_COUNT", self.count.to_string().into()),
            ("RUNNEL_DELIVERY", self.delivery.to_string().into()),
        ];
        if let Some(group) = &self.group {
            vars.push(("RUNNEL_GROUP", group.into()));
        }
        if let Some(key) = self.key.as_ref().filter(|k| self.count == 1 && !k.contains(&0)) {
            vars.push(("RUNNEL_KEY", OsString::from_vec(key.clone())));
        }
        vars
    }
}

/// How a try ended (kept with a share group's record between deliveries).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Exit {
    Success,
    /// A non-zero exit status.
    Code(i32),
    /// Killed by this signal.
    Signal(i32),
}

impl Exit {
    pub fn success(self) -> bool {
        self == Exit::Success
    }
}

impl std::fmt::Display for Exit {
    /// `exit 0`, `exit 3`, `signal 9`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Exit::Success => f.write_str("exit 0"),
            Exit::Code(code) => write!(f, "exit {code}"),
            Exit::Signal(signal) => write!(f, "signal {signal}"),
        }
    }
}

/// Where the command's standard output goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StdoutTo {
    /// runnel's own standard output.
    Inherit,
    /// Kept in [`Outcome::stdout`].
    Capture,
}

/// A finished try.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub exit: Exit,
    /// The standard output, when captured.
    pub stdout: Vec<u8>,
    /// The last [`STDERR_TAIL`] bytes of its standard error.
    pub stderr_tail: Vec<u8>,
}

/// Runs `program` once on `input`; an error when the command could not be
/// started or waited for, or (`BrokenPipe`) when it failed after the
/// reader of runnel's standard output, which it writes to, went away.
pub fn run_batch(program: &Program, input: &[u8], env: &BatchEnv, stdout_to: StdoutTo) -> io::Result<Outcome> {
    let mut cmd = program.command();
    cmd.envs(env.vars()).stdin(Stdio::piped()).stderr(Stdio::piped());
    cmd.stdout(match stdout_to {
        StdoutTo::Inherit => Stdio::inherit(),
        StdoutTo::Capture => Stdio::piped(),
    });
    let parent = std::process::id() as libc::pid_t;
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 || libc::setpgid(0, 0) != 0 {
                return Err(io::Error::last_os_error());
            }
            // runnel died before the line above: do not outlive it.
            if libc::getppid() != parent {
                libc::_exit(137);
            }
            Ok(())
        });
    }
    let mut child = cmd.spawn()?;
    // Its group (its pid: it leads it), for a second Ctrl-C to end whole.
    let _group = super::process_groups::track(child.id() as i32);
    let mut child_stdin = child.stdin.take();
    let child_stderr = child.stderr.take();
    let child_stdout = child.stdout.take();
    let (exit, stdout, stderr_tail) = std::thread::scope(|scope| -> io::Result<_> {
        let stderr = scope.spawn(move || pass_stderr(child_stderr));
        let captured = scope.spawn(move || {
            let mut out = Vec::new();
            if let Some(mut pipe) = child_stdout {
                pipe.read_to_end(&mut out)?;
            }
            Ok::<_, io::Error>(out)
        });
        if let Some(mut pipe) = child_stdin.take() {
            // A command that stops reading early closes the pipe: its exit
            // status decides, not the bytes it left.
            match pipe.write_all(input) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
                Err(e) => return Err(e),
            }
        }
        let status = child.wait()?;
        let exit = match (status.code(), status.signal()) {
            (Some(0), _) => Exit::Success,
            (Some(code), _) => Exit::Code(code),
            (None, Some(signal)) => Exit::Signal(signal),
            (None, None) => Exit::Code(-1),
        };
        if !exit.success() && matches!(stdout_to, StdoutTo::Inherit) && our_reader_gone() {
            return Err(io::Error::from(io::ErrorKind::BrokenPipe));
        }
        let stdout = captured.join().map_err(|_| io::Error::other("the command's output reader failed"))??;
        let tail = stderr.join().unwrap_or_default();
        Ok((exit, stdout, tail))
    })?;
    Ok(Outcome { exit, stdout, stderr_tail })
}

/// Whether runnel's standard output is a pipe or socket whose reader has gone.
fn our_reader_gone() -> bool {
    crate::sys::out_queue::OutQueue::of(io::stdout().as_fd()).is_ok_and(|q| q.reader_gone())
}

/// Copies the command's standard error to ours, keeping its last bytes.
fn pass_stderr(pipe: Option<std::process::ChildStderr>) -> Vec<u8> {
    let Some(mut pipe) = pipe else { return Vec::new() };
    let mut tail = Vec::new();
    let mut buf = [0u8; 8192];
    let mut ours = io::stderr();
    loop {
        match pipe.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                let _ = ours.write_all(&buf[..n]);
                tail.extend_from_slice(&buf[..n]);
                if tail.len() > STDERR_TAIL {
                    tail.drain(..tail.len() - STDERR_TAIL);
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
    tail
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> BatchEnv {
        BatchEnv {
            topic: "t".into(),
            partition: 2,
            first_offset: 5,
            last_offset: 5,
            count: 1,
            key: Some(b"k1".to_vec()),
            delivery: 3,
            group: Some("g".into()),
        }
    }

    #[test]
    fn the_batch_reaches_stdin_and_the_environment_is_set() {
        let cmd = r#"cat; echo "$RUNNEL_TOPIC $RUNNEL_PARTITION $RUNNEL_OFFSET $RUNNEL_OFFSET_LAST $RUNNEL_COUNT $RUNNEL_KEY $RUNNEL_DELIVERY $RUNNEL_GROUP""#;
        let out = run_batch(&Program::from_env(cmd), b"a\nb\n", &env(), StdoutTo::Capture).expect("runs");
        assert_eq!(out.exit, Exit::Success);
        assert_eq!(String::from_utf8_lossy(&out.stdout), "a\nb\nt 2 5 5 1 k1 3 g\n");
    }

    #[test]
    fn exit_codes_and_signals_are_told_apart() {
        let out =
            run_batch(&Program::from_env("cat >/dev/null; exit 3"), b"x\n", &env(), StdoutTo::Capture).expect("runs");
        assert_eq!(out.exit, Exit::Code(3));
        assert_eq!(out.exit.to_string(), "exit 3");
        let out = run_batch(&Program::from_env("kill -9 $$"), b"", &env(), StdoutTo::Capture).expect("runs");
        assert_eq!(out.exit, Exit::Signal(9));
    }

    #[test]
    fn a_command_that_reads_nothing_still_succeeds() {
        let input = vec![b'x'; 1 << 20];
        let out = run_batch(&Program::from_env("true"), &input, &env(), StdoutTo::Capture).expect("runs");
        assert!(out.exit.success());
    }

    #[test]
    fn the_end_of_stderr_is_kept() {
        let out = run_batch(&Program::from_env("echo boom >&2; exit 1"), b"", &env(), StdoutTo::Capture).expect("runs");
        assert_eq!(out.stderr_tail, b"boom\n");
    }

    #[test]
    fn a_plain_command_line_runs_directly_with_the_same_input_and_environment() {
        let program = Program::from_env("tr a-z A-Z");
        assert!(program.is_direct());
        let out = run_batch(&program, b"ab\n", &env(), StdoutTo::Capture).expect("runs");
        assert_eq!((out.exit, out.stdout), (Exit::Success, b"AB\n".to_vec()));
        let out = run_batch(&Program::from_env("env"), b"", &env(), StdoutTo::Capture).expect("runs");
        assert!(String::from_utf8_lossy(&out.stdout).lines().any(|l| l == "RUNNEL_OFFSET=5"));
        let out = run_batch(&Program::from_env("false"), b"", &env(), StdoutTo::Capture).expect("runs");
        assert_eq!(out.exit, Exit::Code(1), "a shell builtin name goes through the shell");
    }

    #[test]
    fn no_key_variable_for_a_batch_of_many() {
        let many = BatchEnv { count: 2, ..env() };
        assert!(!many.vars().iter().any(|(name, _)| *name == "RUNNEL_KEY"));
    }
}

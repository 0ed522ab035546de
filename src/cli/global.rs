//! Global flags and the per-command context built from them: which data
//! directory, how long to wait for locks, whether informational lines are
//! printed. Turned into settings before any command logic runs.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use crate::cli::hints::{CommandResult, WithHint};
use crate::cluster::Cluster;
use crate::cluster::metadata::layout::default_data_dir;
use crate::error::{Error, Result};

/// Flags every command takes, under their own heading in every help.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// The data directory [default: $XDG_DATA_HOME/runnel or ~/.local/share/runnel]
    #[arg(long, global = true, env = "RUNNEL_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// How long to wait for a lock another process holds before giving up (exit 75)
    #[arg(long, global = true, env = "RUNNEL_LOCK_TIMEOUT", default_value = "10s", value_parser = parse_duration, value_name = "DURATION")]
    pub lock_timeout: Duration,

    /// Defaults for flags, from a TOML file [default: ~/.config/runnel/config.toml if it exists]
    #[arg(long, global = true, env = "RUNNEL_CONFIG", value_name = "PATH")]
    pub config_file: Option<PathBuf>,

    /// Print no informational lines on stderr (errors still are); RUNNEL_QUIET takes
    /// 1/0, true/false, yes/no, on/off
    #[arg(short, long, global = true, env = "RUNNEL_QUIET", action = clap::ArgAction::SetTrue,
          value_parser = clap::builder::BoolishValueParser::new())]
    pub quiet: bool,
}

/// Parses a duration such as `500ms`, `10s`, `2m`, `1h30m`.
pub fn parse_duration(text: &str) -> std::result::Result<Duration, String> {
    humantime::parse_duration(text.trim()).map_err(|e| format!("{e} (examples: 500ms, 10s, 2m)"))
}

/// What a command runs with.
#[derive(Debug, Clone)]
pub struct Context {
    pub data_dir: PathBuf,
    pub lock_timeout: Duration,
    pub quiet: bool,
}

impl Context {
    pub fn from_args(args: &GlobalArgs) -> CommandResult<Context> {
        let data_dir = default_data_dir(args.data_dir.as_deref()).ok_or_else(|| {
            Error::usage("no data directory: HOME is not set").with_hint("pass --data-dir DIR or set RUNNEL_DATA_DIR")
        })?;
        Ok(Context { data_dir, lock_timeout: args.lock_timeout, quiet: args.quiet })
    }

    /// Opens the cluster for a command that creates (`topic create`,
    /// `produce`), creating a one-broker cluster in an absent or empty folder.
    pub fn cluster(&self) -> Result<Cluster> {
        Cluster::open(&self.data_dir, self.lock_timeout)
    }

    /// Opens the cluster for every other command, which reads or changes
    /// what exists: a folder without a cluster is an error, and nothing is
    /// written there (a typo'd `--data-dir` never becomes a data dir).
    pub fn existing_cluster(&self) -> Result<Cluster> {
        Cluster::open_existing(&self.data_dir, self.lock_timeout)
    }

    /// An informational line on stderr, unless `--quiet`.
    pub fn note(&self, line: impl std::fmt::Display) {
        if !self.quiet {
            stderr_line(line);
        }
    }
}

/// Writes one line to stderr; a closed stderr is ignored (never a panic).
pub fn stderr_line(line: impl std::fmt::Display) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

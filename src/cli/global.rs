//! Global flags and the per-command context built from them: where the
//! data lives (a data directory, or a Kafka cluster through
//! `--bootstrap-server`, `-X` client properties and `--profile`), how long
//! to wait for locks, whether informational lines are printed. Turned into
//! settings before any command logic runs.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use crate::backend::Backend;
use crate::backend::datadir::DataDir;
use crate::backend::kafka::config::parse_property;
use crate::backend::kafka::{Kafka, KafkaTarget};
use crate::cli::config_file::ConfigFile;
use crate::cli::hints::{CommandResult, WithHint};
use crate::cluster::Cluster;
use crate::cluster::metadata::layout::default_data_dir;
use crate::error::{Error, Result};

// Flags every command takes, under their own heading in every help (a plain
// comment: clap would take a doc comment of a flattened struct for the
// command's description when it is deferred).
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

    /// Work on this Apache Kafka cluster instead of a data directory
    #[arg(long, global = true, env = "RUNNEL_BOOTSTRAP_SERVERS", value_name = "HOST:PORT[,...]")]
    pub bootstrap_server: Option<String>,

    /// A Kafka client property (any librdkafka property: security.protocol, sasl.*, ssl.*);
    /// repeatable
    #[arg(short = 'X', global = true, value_name = "KEY=VALUE", value_parser = parse_property)]
    pub client_properties: Vec<(String, String)>,

    /// Use the [profile.NAME] table of the config file (bootstrap-server, properties)
    #[arg(long, global = true, env = "RUNNEL_PROFILE", value_name = "NAME")]
    pub profile: Option<String>,
}

/// The longest duration a flag takes: a wait, timeout or backoff is added
/// to the clock, which a few hundred billion years would overflow.
/// 100 years of 365.25 days, as humantime counts a year.
const MAX_DURATION: Duration = Duration::from_secs(100 * 31_557_600);

/// Parses a duration such as `500ms`, `10s`, `2m`, `1h30m`, of at most
/// 100 years.
pub fn parse_duration(text: &str) -> std::result::Result<Duration, String> {
    let duration = humantime::parse_duration(text.trim()).map_err(|e| format!("{e} (examples: 500ms, 10s, 2m)"))?;
    if duration > MAX_DURATION {
        return Err("a duration of more than 100 years is not taken (examples: 500ms, 10s, 2m)".to_string());
    }
    Ok(duration)
}

/// What a command runs with.
#[derive(Debug, Clone)]
pub struct Context {
    pub data_dir: PathBuf,
    pub lock_timeout: Duration,
    pub quiet: bool,
    /// Set when the command works on a Kafka cluster, not the data dir.
    pub kafka: Option<KafkaTarget>,
    /// The `-X` client properties (after a profile's), for commands that
    /// name their Kafka clusters themselves (`mirror --from/--to`).
    pub client_properties: Vec<(String, String)>,
}

impl Context {
    /// `names_own_clusters`: the command names its Kafka clusters itself
    /// (`mirror`), so `-X` needs no `--bootstrap-server`.
    pub fn from_args(
        args: &GlobalArgs,
        config: Option<&ConfigFile>,
        names_own_clusters: bool,
    ) -> CommandResult<Context> {
        let data_dir = default_data_dir(args.data_dir.as_deref()).ok_or_else(|| {
            Error::usage("no data directory: HOME is not set").with_hint("pass --data-dir DIR or set RUNNEL_DATA_DIR")
        })?;
        let kafka = if names_own_clusters { None } else { kafka_target(args, config)? };
        Ok(Context {
            data_dir,
            lock_timeout: args.lock_timeout,
            quiet: args.quiet,
            kafka,
            client_properties: args.client_properties.clone(),
        })
    }

    /// Where the data lives: the Kafka cluster of `--bootstrap-server`, else
    /// the data dir. Commands work through it without asking which.
    pub fn backend(&self) -> Result<Box<dyn Backend>> {
        Ok(match &self.kafka {
            Some(target) => Box::new(Kafka::new(target.clone())?),
            None => Box::new(DataDir::new(self.data_dir.clone(), self.lock_timeout)),
        })
    }

    /// Refuses (exit 2) a command that exists only for a data dir when the
    /// command line names a Kafka cluster.
    pub fn data_dir_only(&self, command: &str, why: &str) -> CommandResult<()> {
        match &self.kafka {
            None => Ok(()),
            Some(target) => Err(Error::usage(format!(
                "`runnel {command}` works on a data dir, not on the Kafka cluster at {}: {why}",
                target.bootstrap
            ))
            .with_hint("drop --bootstrap-server (and RUNNEL_BOOTSTRAP_SERVERS, --profile) to use the data dir")),
        }
    }

    /// A data-dir operation asked for while the command line names a Kafka
    /// cluster: exit 2, never a silent use of the data dir.
    fn refuse_kafka(&self) -> Result<()> {
        match &self.kafka {
            None => Ok(()),
            Some(target) => Err(Error::usage(format!(
                "this command is not available against the Kafka cluster at {} yet; it works on a data dir",
                target.bootstrap
            ))),
        }
    }

    /// Opens the cluster for a command that creates (`topic create`,
    /// `produce`), creating a one-broker cluster in an absent or empty folder.
    pub fn cluster(&self) -> Result<Cluster> {
        self.refuse_kafka()?;
        Cluster::open(&self.data_dir, self.lock_timeout)
    }

    /// Opens the cluster for every other command, which reads or changes
    /// what exists: a folder without a cluster is an error, and nothing is
    /// written there (a typo'd `--data-dir` never becomes a data dir).
    pub fn existing_cluster(&self) -> Result<Cluster> {
        self.refuse_kafka()?;
        Cluster::open_existing(&self.data_dir, self.lock_timeout)
    }

    /// An informational line on stderr, unless `--quiet`.
    pub fn note(&self, line: impl std::fmt::Display) {
        if !self.quiet {
            stderr_line(line);
        }
    }
}

/// The Kafka cluster the command line names: `--bootstrap-server` (or
/// `RUNNEL_BOOTSTRAP_SERVERS`), else the profile's `bootstrap-server`; the
/// profile's properties come first, `-X` ones after them (and win).
fn kafka_target(args: &GlobalArgs, config: Option<&ConfigFile>) -> CommandResult<Option<KafkaTarget>> {
    let profile = match &args.profile {
        None => None,
        Some(name) => Some(config.and_then(|c| c.profile.get(name)).ok_or_else(|| {
            Error::usage(format!("no profile '{name}' in the config file")).with_hint(
                "add a [profile.NAME] table with bootstrap-server = \"HOST:PORT\" to ~/.config/runnel/config.toml",
            )
        })?),
    };
    let bootstrap = args
        .bootstrap_server
        .clone()
        .filter(|b| !b.is_empty())
        .or_else(|| profile.and_then(|p| p.bootstrap_server.clone()));
    let Some(bootstrap) = bootstrap else {
        if !args.client_properties.is_empty() {
            return Err(Error::usage("-X sets a Kafka client property, and no Kafka cluster is named")
                .with_hint("add --bootstrap-server HOST:PORT"));
        }
        return Ok(None);
    };
    let mut properties: Vec<(String, String)> =
        profile.map(|p| p.properties.iter().map(|(k, v)| (k.clone(), v.clone())).collect()).unwrap_or_default();
    properties.extend(args.client_properties.iter().cloned());
    Ok(Some(KafkaTarget::new(bootstrap, properties)))
}

/// A failure that did not stop the command, as one warning line.
pub fn warn(w: &crate::backend::Warning) {
    stderr_line(format!("runnel: warning: {}: {}{}", w.what, crate::cli::hints::line(&w.error), w.then));
}

/// Writes one line to stderr; a closed stderr is ignored (never a panic).
pub fn stderr_line(line: impl std::fmt::Display) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_taken_up_to_100_years_and_refused_beyond() {
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("100y").map(|d| d <= MAX_DURATION), Ok(true));
        for text in ["101y", "300000000000y", "500000000000y"] {
            let refused = parse_duration(text).expect_err(text);
            assert!(refused.contains("100 years"), "{text}: {refused}");
        }
    }
}

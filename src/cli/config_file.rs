//! Defaults from a config file, so a user sets the data dir, output formats
//! or client id once: `--config-file PATH`, else `RUNNEL_CONFIG`, else
//! `$XDG_CONFIG_HOME/runnel/config.toml` (`~/.config/runnel/config.toml`)
//! if it exists. A flag beats its environment variable, which beats the
//! file, which beats the built-in default.
//!
//! ```toml
//! data-dir = "/var/lib/runnel"
//! lock-timeout = "30s"
//! quiet = false
//! consume-format = "json"       # consume --format
//! admin-format = "table"        # --format of list/describe commands
//! client-id = "billing-worker"  # consume --client-id
//!
//! [profile.prod]                # --profile prod: a Kafka cluster
//! bootstrap-server = "kafka-1:9092,kafka-2:9092"
//! properties = { "security.protocol" = "SSL", "ssl.ca.location" = "/etc/ca.pem" }
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, IoContext, Result};

/// The settings a config file may hold.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    pub data_dir: Option<PathBuf>,
    pub lock_timeout: Option<String>,
    pub quiet: Option<bool>,
    pub consume_format: Option<String>,
    pub admin_format: Option<String>,
    pub client_id: Option<String>,
    /// Named Kafka clusters, chosen with `--profile NAME`.
    #[serde(default)]
    pub profile: BTreeMap<String, Profile>,
}

/// A `[profile.NAME]` table: a Kafka cluster and its client properties.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Profile {
    pub bootstrap_server: Option<String>,
    /// librdkafka properties, as `-X key=value` gives them.
    #[serde(default)]
    pub properties: BTreeMap<String, String>,
}

/// The config file named on the command line or by `RUNNEL_CONFIG`, or the
/// default one if it exists; `None` if there is none.
pub fn locate(args: &[String]) -> Option<(PathBuf, bool)> {
    let mut named = None;
    for (i, arg) in args.iter().enumerate() {
        if let Some(value) = arg.strip_prefix("--config-file=") {
            named = Some(PathBuf::from(value));
        } else if arg == "--config-file" {
            named = args.get(i + 1).map(PathBuf::from);
        }
    }
    if let Some(path) = named.or_else(|| std::env::var_os("RUNNEL_CONFIG").filter(|v| !v.is_empty()).map(PathBuf::from))
    {
        return Some((path, true));
    }
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    let path = base.join("runnel/config.toml");
    path.exists().then_some((path, false))
}

/// Reads and parses a config file; exit 2 naming the file when it is wrong.
pub fn load(path: &Path) -> Result<ConfigFile> {
    let text = std::fs::read_to_string(path).at("read the config file", path)?;
    toml::from_str(&text).map_err(|e| {
        let detail = e.message().to_string();
        Error::usage(format!("config file {} is not valid: {detail}", path.display()))
    })
}

/// Makes the file's values the defaults of the matching flags.
pub fn apply(mut command: clap::Command, config: &ConfigFile) -> clap::Command {
    if let Some(dir) = &config.data_dir {
        let dir = dir.display().to_string();
        command = command.mut_arg("data_dir", |a| a.default_value(dir));
    }
    if let Some(timeout) = &config.lock_timeout {
        let timeout = timeout.clone();
        command = command.mut_arg("lock_timeout", |a| a.default_value(timeout));
    }
    if config.quiet == Some(true) {
        command = command.mut_arg("quiet", |a| a.default_value("true"));
    }
    if let Some(format) = &config.consume_format {
        let format = format.clone();
        command = command.mut_subcommand("consume", |c| c.mut_arg("format", |a| a.default_value(format)));
    }
    if let Some(id) = &config.client_id {
        let id = id.clone();
        command = command.mut_subcommand("consume", |c| {
            if c.get_arguments().any(|a| a.get_id() == "client_id") {
                c.mut_arg("client_id", |a| a.default_value(id))
            } else {
                c
            }
        });
    }
    if let Some(format) = &config.admin_format {
        command = set_admin_format(command, format);
    }
    command
}

/// Sets the default `--format` of every list/describe command below `command`.
fn set_admin_format(mut command: clap::Command, format: &str) -> clap::Command {
    let names: Vec<String> = command.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for name in names {
        if name == "consume" || name == "produce" {
            continue;
        }
        let format = format.to_string();
        command = command.mut_subcommand(name, |sub| {
            // Only where the value is one of the flag's choices: `log dump --format`
            // is text|json, and a "table" there would break its default.
            let takes_it = |a: &clap::Arg| {
                a.get_id() == "format" && a.get_possible_values().iter().any(|v| v.matches(&format, false))
            };
            let sub = if sub.get_arguments().any(takes_it) {
                let value = format.clone();
                sub.mut_arg("format", |a| a.default_value(value))
            } else {
                sub
            };
            set_admin_format(sub, &format)
        });
    }
    command
}

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
use std::sync::OnceLock;

use clap::ValueEnum;

use serde::Deserialize;

use crate::cli::format::AdminFormatArg;
use crate::error::{Error, Result};

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
    let text = std::fs::read_to_string(path).map_err(|e| {
        // A file the user named that is not there or not text: exit 2.
        let mut error = Error::io("read the config file", path, e);
        error.kind = crate::error::ErrorKind::Usage;
        error
    })?;
    let config: ConfigFile = toml::from_str(&text).map_err(|e| {
        let detail = e.message().to_string();
        Error::usage(format!("config file {} is not valid: {detail}", path.display()))
    })?;
    config.check().map_err(|why| Error::usage(format!("config file {} is not valid: {why}", path.display())))?;
    Ok(config)
}

impl ConfigFile {
    /// Each value as its flag would take it, so a bad one is named with
    /// its file rather than with a flag the user did not type.
    fn check(&self) -> std::result::Result<(), String> {
        if self.data_dir.as_ref().is_some_and(|d| d.as_os_str().is_empty()) {
            return Err("data-dir is empty".to_string());
        }
        if let Some(timeout) = &self.lock_timeout {
            crate::cli::global::parse_duration(timeout).map_err(|why| format!("lock-timeout {timeout:?}: {why}"))?;
        }
        if let Some(format) = &self.consume_format {
            crate::output::records::RecordFormat::parse(format)
                .map_err(|e| format!("consume-format {format:?}: {}", e.message))?;
        }
        if self.client_id.as_ref().is_some_and(String::is_empty) {
            return Err("client-id is empty".to_string());
        }
        Ok(())
    }
}

/// Makes the file's values the defaults of the global flags, which the
/// top-level command defines itself. The defaults of a subcommand's flags
/// (`consume-format`, `client-id`, `admin-format`) are not set on clap's
/// definition: subcommands are defined only when one runs (`defer`), so
/// they are looked up after parsing, where a flag left unset is resolved
/// ([`consume_format`], [`client_id`], [`admin_format`]).
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
    command
}

/// The file's defaults for subcommands' flags, kept for the process.
#[derive(Debug, Default)]
struct SubcommandDefaults {
    consume_format: Option<String>,
    client_id: Option<String>,
    admin_format: Option<AdminFormatArg>,
}

static SUBCOMMAND_DEFAULTS: OnceLock<SubcommandDefaults> = OnceLock::new();

/// Keeps the file's defaults for the flags of subcommands; an
/// `admin-format` that is not `table` or `json` is a usage error naming
/// the file (exit 2).
pub fn keep_subcommand_defaults(path: &Path, config: &ConfigFile) -> Result<()> {
    let admin_format = match &config.admin_format {
        None => None,
        Some(text) => Some(AdminFormatArg::from_str(text, false).map_err(|_| {
            Error::usage(format!(
                "config file {} is not valid: admin-format must be table or json, not {text:?}",
                path.display()
            ))
        })?),
    };
    let defaults = SubcommandDefaults {
        consume_format: config.consume_format.clone(),
        client_id: config.client_id.clone(),
        admin_format,
    };
    let _ = SUBCOMMAND_DEFAULTS.set(defaults);
    Ok(())
}

/// `consume --format` from the config file, if it sets one.
pub fn consume_format() -> Option<&'static str> {
    SUBCOMMAND_DEFAULTS.get()?.consume_format.as_deref()
}

/// `consume --client-id` from the config file, if it sets one.
pub fn client_id() -> Option<&'static str> {
    SUBCOMMAND_DEFAULTS.get()?.client_id.as_deref()
}

/// The `--format` of the admin commands from the config file, if it sets one.
pub fn admin_format() -> Option<AdminFormatArg> {
    SUBCOMMAND_DEFAULTS.get()?.admin_format
}

//! The command line: the only place that knows clap. Each command turns its
//! arguments into validated settings, makes one domain call and hands the
//! report to `output`. [`main`] maps every error to one line on stderr and
//! its exit code (REFERENCE.md, "Exit codes").

pub mod broker;
pub mod completions;
pub mod config_file;
pub mod consume;
pub mod consume_exec;
pub mod consume_flags;
pub mod consume_share;
pub mod demo;
pub mod elect_leaders;
pub mod format;
pub mod global;
pub mod group;
pub mod hints;
pub mod init;
pub mod log;
pub mod man_pages;
pub mod metadata;
pub mod mirror;
pub mod panic_line;
pub mod produce;
pub mod progress;
pub mod rebalance_notes;
pub mod serve;
pub mod topic;
pub mod waiting;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::error::ErrorKind;
use global::{Context, GlobalArgs};
use hints::{CommandError, CommandResult};

/// Kafka's model — topics, partitions, offsets, keyed producers, consumer
/// groups, replicated brokers — as one binary over a local directory.
#[derive(Debug, Parser)]
#[command(
    name = "runnel",
    version,
    about,
    propagate_version = true,
    max_term_width = 100,
    after_help = "Examples:
  runnel init --brokers 3
  runnel topic create rides --partitions 6 --replication-factor 3
  jq -c '.[]' rides.json | runnel produce rides --key-field car_id
  runnel consume rides --from -10m --format '%k %p:%o %s\\n' | head
  runnel consume rides --group billing --follow     # in several terminals
  runnel group describe billing
  runnel demo

Against Apache Kafka: --bootstrap-server HOST:PORT (or RUNNEL_BOOTSTRAP_SERVERS, or --profile NAME)
runs topic, produce, consume and group commands on the cluster, with -X KEY=VALUE client properties.

Environment: RUNNEL_DATA_DIR, RUNNEL_LOCK_TIMEOUT, RUNNEL_QUIET, RUNNEL_ADMIN_FORMAT, RUNNEL_CONFIG,
RUNNEL_BOOTSTRAP_SERVERS, RUNNEL_PROFILE.
Config file (TOML, ~/.config/runnel/config.toml): data-dir, lock-timeout, quiet,
consume-format, admin-format, client-id, [profile.NAME] bootstrap-server and properties.
Flags beat environment variables, which beat the file."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

// Each subcommand's arguments are defined only when it is the one run
// (`defer`): a short command such as `topic list` starts without building
// the definition of every other command (BENCHMARKS.md, "Startup").
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum Command {
    /// Create a cluster of N brokers in the data directory
    Init(init::InitArgs),
    /// Create, list, describe, alter and delete topics
    #[command(subcommand)]
    Topic(topic::TopicCommand),
    /// List, add, fail and recover brokers
    #[command(subcommand)]
    Broker(broker::BrokerCommand),
    /// Elect leaders: back to the preferred replicas, or unclean for offline partitions
    ElectLeaders(elect_leaders::ElectLeadersArgs),
    /// Brokers, topics, partitions, leaders and in-sync replicas at a glance (kcat -L)
    Metadata(metadata::MetadataArgs),
    /// Write standard input, one message per line, to a topic
    Produce(produce::ProduceArgs),
    /// Copy topics between data dirs and Kafka clusters, either way (--follow keeps them in sync)
    Mirror(mirror::MirrorArgs),
    /// Read messages from topics to standard output (alone, or as a group member)
    Consume(consume::ConsumeArgs),
    /// Verify, dump and clean the logs on disk, and show their disk usage
    #[command(subcommand)]
    Log(log::LogCommand),
    /// List, describe, wait for, reset the offsets of and delete consumer groups
    #[command(subcommand)]
    Group(group::GroupCommand),
    /// Serve the data dir to Kafka clients over Kafka's wire protocol
    Serve(serve::ServeArgs),
    /// A guided tour of the whole model, in a temporary directory
    Demo(demo::DemoArgs),
    /// Print a shell completion script
    Completions(completions::CompletionsArgs),
    /// Write completions and man pages into a folder (for packagers)
    #[command(hide = true)]
    Generate(completions::GenerateArgs),
}

/// The whole clap definition, every subcommand built: for completions, man
/// pages and anything else that walks it.
pub fn command() -> clap::Command {
    let mut command = with_headings_in_order(Cli::command());
    command.build();
    command
}

/// The definition before clap builds it, its subcommands still deferred:
/// for man pages, which change settings that building propagates.
pub fn unbuilt_command() -> clap::Command {
    with_headings_in_order(Cli::command())
}

/// Defines `consume`'s flags now rather than when it is built. A deferred
/// subcommand gets the global flags before its own, and help lists headings
/// in the order of their first flag: `consume --help` would show "Global
/// options" before its own headings. Only for help and introspection; a run
/// needs no headings.
fn with_headings_in_order(command: clap::Command) -> clap::Command {
    use clap::Args;
    command.mut_subcommand("consume", |consume| consume::ConsumeArgs::augment_args(consume.defer(|c| c)))
}

/// Whether the arguments ask for help (`-h`, `--help`, `help`).
fn asks_for_help(args: &[String]) -> bool {
    args.iter().skip(1).take_while(|a| *a != "--").any(|a| a == "-h" || a == "--help" || a == "help")
}

fn run(cli: &Cli, config: Option<&config_file::ConfigFile>) -> CommandResult<()> {
    let ctx = Context::from_args(&cli.global, config, matches!(cli.command, Command::Mirror(_)))?;
    if ctx.kafka.is_some() {
        refuse_on_kafka(&ctx, &cli.command)?;
    }
    Ok(match &cli.command {
        Command::Init(args) => init::cmd_init(&ctx, args),
        Command::Topic(command) => return topic::cmd_topic(&ctx, command),
        Command::Broker(command) => broker::cmd_broker(&ctx, command),
        Command::ElectLeaders(args) => elect_leaders::cmd_elect_leaders(&ctx, args),
        Command::Metadata(args) => metadata::cmd_metadata(&ctx, args),
        Command::Produce(args) => return produce::cmd_produce(&ctx, args),
        Command::Mirror(args) => return mirror::cmd_mirror(&ctx, args),
        Command::Consume(args) => return consume::cmd_consume(&ctx, args),
        Command::Log(command) => return log::cmd_log(&ctx, command),
        Command::Group(command) => group::cmd_group(&ctx, command),
        Command::Demo(args) => demo::cmd_demo(&ctx, args),
        Command::Serve(args) => serve::cmd_serve(&ctx, args),
        Command::Completions(args) => completions::cmd_completions(args),
        Command::Generate(args) => completions::cmd_generate(&ctx, args),
    }?)
}

/// The commands that exist only for a data dir (exit 2 against Kafka,
/// saying why), and those not yet brought to the Kafka backend.
fn refuse_on_kafka(ctx: &Context, command: &Command) -> CommandResult<()> {
    let brokers = "a Kafka cluster's brokers are its own processes, managed with Kafka's tools";
    match command {
        Command::Init(_) => ctx.data_dir_only("init", "a Kafka cluster exists already"),
        Command::Broker(broker::BrokerCommand::List(_)) => Ok(()),
        Command::Broker(_) => ctx.data_dir_only("broker add|fail|recover", brokers),
        Command::ElectLeaders(_) => {
            ctx.data_dir_only("elect-leaders", "Kafka elects its leaders itself (kafka-leader-election.sh)")
        }
        Command::Log(_) => ctx.data_dir_only("log", "the logs are on the Kafka brokers' disks, not here"),
        Command::Demo(_) => ctx.data_dir_only("demo", "the demo builds its own data dir"),
        Command::Serve(_) => ctx.data_dir_only("serve", "it serves a data dir; the Kafka cluster serves itself"),
        _ => Ok(()),
    }
}

/// Runs the command line and returns the process exit code: that of an
/// internal error if anything panicked on the way, on this thread or
/// another ([`panic_line`]). Nothing unwinds out of it.
pub fn main() -> i32 {
    panic_line::install();
    let internal = ErrorKind::Other.exit_code();
    match std::panic::catch_unwind(parse_and_run) {
        Ok(0) if panic_line::reported() => internal,
        Ok(code) => code,
        Err(_) => internal,
    }
}

/// Parses the command line (and a config file) and runs the command.
fn parse_and_run() -> i32 {
    crate::sys::descriptors::raise_open_file_limit();
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let text_args: Vec<String> = args.iter().map(|a| a.to_string_lossy().into_owned()).collect();
    // Before the definition: clap reads a flag's variable when it is defined.
    let env_flags = env_flags();
    forget_unused_env(&env_flags, &text_args);
    // Unbuilt: clap builds only the subcommand the arguments name.
    let mut command = Cli::command();
    if asks_for_help(&text_args) {
        command = with_headings_in_order(command);
    }
    let mut config = None;
    if let Some((path, named)) = config_file::locate(&text_args) {
        match config_file::load(&path) {
            Ok(loaded) => {
                if let Err(e) = config_file::keep_subcommand_defaults(&path, &loaded) {
                    return report(&e.into());
                }
                command = config_file::apply(command, &loaded);
                config = Some(loaded);
            }
            Err(e) if named || e.kind != ErrorKind::Io => return report(&e.into()),
            Err(_) => {}
        }
    }
    let matches = match command.try_get_matches_from_mut(args) {
        Ok(m) => m,
        Err(e) => return clap_exit_naming_env(&e, &env_flags),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => return clap_exit(&e),
    };
    // The process ends after the command: freeing clap's definition of
    // every command and the matches (a fifth of `topic list`'s
    // instructions) would be work for nothing.
    std::mem::forget(command);
    std::mem::forget(matches);
    match run(&cli, config.as_ref()) {
        Ok(()) => 0,
        Err(e) => report(&e),
    }
}

/// A flag an environment variable sets when the flag is not given, from
/// the command's definition (clap's `env = ...`).
struct EnvFlag {
    long: String,
    short: Option<char>,
    var: String,
}

/// Every flag a variable sets: those of the global flags and of the admin
/// commands' `--format`, read from their definitions (the commands
/// themselves are defined only when run; a test checks that no other
/// flag has a variable).
fn env_flags() -> Vec<EnvFlag> {
    use clap::Args;
    let definitions = [
        global::GlobalArgs::augment_args(clap::Command::new("global")),
        format::AdminFormatFlag::augment_args(clap::Command::new("format")),
    ];
    let mut flags = Vec::new();
    for arg in definitions.iter().flat_map(|c| c.get_arguments()) {
        if let (Some(var), Some(long)) = (arg.get_env(), arg.get_long()) {
            let var = var.to_string_lossy().into_owned();
            flags.push(EnvFlag { long: format!("--{long}"), short: arg.get_short(), var });
        }
    }
    flags
}

/// Forgets the variables that must not count: an empty one (clap would
/// take it for a missing value), and one whose flag the command line
/// gives — the flag wins, and clap would check the variable's value anyway.
fn forget_unused_env(flags: &[EnvFlag], args: &[String]) {
    let given = |flag: &EnvFlag| {
        args.iter().skip(1).take_while(|a| *a != "--").any(|a| {
            a == &flag.long
                || a.strip_prefix(&flag.long).is_some_and(|rest| rest.starts_with('='))
                || flag.short.is_some_and(|c| *a == format!("-{c}"))
        })
    };
    for flag in flags {
        if std::env::var_os(&flag.var).is_some_and(|v| v.is_empty()) || given(flag) {
            // SAFETY: called in `main` before any thread starts, so nothing
            // reads the environment concurrently.
            unsafe { std::env::remove_var(&flag.var) };
        }
    }
}

/// As [`clap_exit`], but a bad value that came from an environment
/// variable names the variable: the user typed no `--lock-timeout`, they
/// set `RUNNEL_LOCK_TIMEOUT`.
fn clap_exit_naming_env(e: &clap::Error, flags: &[EnvFlag]) -> i32 {
    // (Empty variables, and those of flags given, were forgotten before parsing.)
    use clap::error::{ContextKind, ContextValue};
    let Some(ContextValue::String(arg)) = e.get(ContextKind::InvalidArg) else { return clap_exit(e) };
    let flag = arg.split([' ', '=']).next().unwrap_or_default();
    let Some(var) = flags.iter().find(|f| f.long == flag).map(|f| &f.var) else { return clap_exit(e) };
    let Some(value) = std::env::var_os(var).map(|v| v.to_string_lossy().into_owned()) else { return clap_exit(e) };
    let from_env = matches!(e.get(ContextKind::InvalidValue), Some(ContextValue::String(bad)) if *bad == value);
    if !from_env {
        return clap_exit(e);
    }
    let message = clap_one_line(&e.to_string());
    let named = message.replacen(&format!("for '{arg}'"), &format!("in environment variable {var}"), 1);
    global::stderr_line(format!("runnel: error: {named}"));
    ErrorKind::Usage.exit_code()
}

/// Prints clap's message (help and version go to stdout and exit 0); a
/// usage error becomes one line on stderr, like every other error.
fn clap_exit(e: &clap::Error) -> i32 {
    if !e.use_stderr() {
        // A closed stdout (`>&-`), which clap's print would take for a sink.
        if let Err(closed) = format::stdout_unbuffered() {
            return report(&closed.into());
        }
        let _ = e.print();
        return 0;
    }
    if e.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        // `runnel` or `runnel topic` alone: the help is the answer.
        let _ = e.print();
        return ErrorKind::Usage.exit_code();
    }
    global::stderr_line(format!("runnel: error: {}", clap_one_line(&e.to_string())));
    ErrorKind::Usage.exit_code()
}

/// clap's multi-line error as one line: the message, its tips, and where
/// to look for the usage.
fn clap_one_line(text: &str) -> String {
    let mut paragraphs = text.split("\n\n");
    let message = paragraphs.next().unwrap_or_default();
    let message = message.strip_prefix("error: ").unwrap_or(message);
    let mut parts = vec![message.split('\n').map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ")];
    for paragraph in paragraphs {
        for line in paragraph.lines().map(str::trim) {
            if let Some(tip) = line.strip_prefix("tip: ") {
                parts.push(tip.to_string());
            }
        }
    }
    parts.push("see --help".to_string());
    parts.join("; ")
}

/// One line on stderr (none for a closed pipe, nor after a panic's line,
/// which said what went wrong), then the exit code.
fn report(e: &CommandError) -> i32 {
    if e.error.kind != ErrorKind::OutputClosed && !panic_line::reported() {
        let line = e.to_string().replace('\n', " ");
        global::stderr_line(format!("runnel: error: {line}"));
    }
    e.exit_code()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every flag with a variable, in every command once built, is one
    /// `env_flags` knows: a new one cannot be left out of the checks that
    /// forget an empty variable and name a bad one.
    #[test]
    fn env_flags_covers_every_flag_with_a_variable() {
        let mut command = Cli::command();
        command.build();
        let known = env_flags();
        let mut commands = vec![&command];
        let mut seen = 0;
        while let Some(c) = commands.pop() {
            for arg in c.get_arguments() {
                if let Some(var) = arg.get_env() {
                    let long = format!("--{}", arg.get_long().unwrap_or_default());
                    assert!(
                        known.iter().any(|f| f.var == var.to_string_lossy() && f.long == long),
                        "{long} ({var:?}) of `{}` is missing from env_flags",
                        c.get_name()
                    );
                    seen += 1;
                }
            }
            commands.extend(c.get_subcommands());
        }
        assert!(seen > known.len(), "the walk found the flags: {seen}");
    }
}

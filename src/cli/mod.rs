//! The command line: the only place that knows clap. Each command turns its
//! arguments into validated settings, makes one domain call and hands the
//! report to `output`. [`main`] maps every error to one line on stderr and
//! the exit code INTERFACE.md gives.

pub mod completions;
pub mod consume;
pub mod demo;
pub mod format;
pub mod global;
pub mod group;
pub mod init;
pub mod produce;
pub mod topic;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::error::{Error, ErrorKind, Result};
use global::{Context, GlobalArgs};

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

Environment: RUNNEL_DATA_DIR, RUNNEL_LOCK_TIMEOUT, RUNNEL_QUIET, RUNNEL_ADMIN_FORMAT."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a cluster of N brokers in the data directory
    Init(init::InitArgs),
    /// Create, list, describe, alter and delete topics
    #[command(subcommand)]
    Topic(topic::TopicCommand),
    /// Write standard input, one message per line, to a topic
    Produce(produce::ProduceArgs),
    /// Read messages from topics to standard output (alone, or as a group member)
    Consume(consume::ConsumeArgs),
    /// List, describe, reset the offsets of and delete consumer groups
    #[command(subcommand)]
    Group(group::GroupCommand),
    /// A guided tour of the whole model, in a temporary directory
    Demo(demo::DemoArgs),
    /// Print a shell completion script
    Completions(completions::CompletionsArgs),
    /// Write completions and man pages into a folder (for packagers)
    #[command(hide = true)]
    Generate(completions::GenerateArgs),
}

/// The clap definition, for completions and man pages.
pub fn command() -> clap::Command {
    Cli::command()
}

fn run(cli: &Cli) -> Result<()> {
    let ctx = Context::from_args(&cli.global)?;
    match &cli.command {
        Command::Init(args) => init::cmd_init(&ctx, args),
        Command::Topic(command) => topic::cmd_topic(&ctx, command),
        Command::Produce(args) => produce::cmd_produce(&ctx, args),
        Command::Consume(args) => consume::cmd_consume(&ctx, args),
        Command::Group(command) => group::cmd_group(&ctx, command),
        Command::Demo(args) => demo::cmd_demo(&ctx, args),
        Command::Completions(args) => completions::cmd_completions(args),
        Command::Generate(args) => completions::cmd_generate(&ctx, args),
    }
}

/// Runs the command line and returns the process exit code.
pub fn main() -> i32 {
    let matches = match command().try_get_matches() {
        Ok(m) => m,
        Err(e) => return clap_exit(&e),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => return clap_exit(&e),
    };
    match run(&cli) {
        Ok(()) => 0,
        Err(e) => report(&e),
    }
}

/// Prints clap's message (help and version go to stdout and exit 0).
fn clap_exit(e: &clap::Error) -> i32 {
    let _ = e.print();
    if e.use_stderr() { ErrorKind::Usage.exit_code() } else { 0 }
}

/// One line on stderr (none for a closed pipe), then the exit code.
fn report(e: &Error) -> i32 {
    if e.kind != ErrorKind::OutputClosed {
        let line = e.to_string().replace('\n', " ");
        eprintln!("runnel: error: {line}");
    }
    e.exit_code()
}

//! `runnel produce TOPIC`: standard input, one message per line, into a
//! topic. Exit 0 means every message is on disk on the replicas `--acks`
//! asks for; a one-line summary goes to stderr.

use std::io::{IsTerminal, Read};
use std::time::Instant;

use clap::{Args, ValueEnum};

use super::global::Context;
use crate::cli::hints::{CommandResult, WithHint};
use crate::cluster::TopicSpec;
use crate::cluster::admin::topics::MAX_PARTITIONS;
use crate::cluster::replication::partition_writer::Acks;
use crate::error::{Error, IoContext};
use crate::producer::input::{input_ready_within, stdin_ready};
use crate::producer::key_field::KeyPath;
use crate::producer::message::{LineFormat, MissingSeparator};
use crate::producer::read_ahead;
use crate::producer::{PipelineOptions, ProduceSummary};
use crate::sys::pipe::WideningReader;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// Each line is a message value, bytes as they are
    Lines,
    /// Each line is an envelope {"key", "value", "headers", "partition", "timestamp"}
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AcksArg {
    /// Don't wait for the disk
    #[value(name = "0")]
    None,
    /// The leader has it on disk
    #[value(name = "1")]
    Leader,
    /// Every in-sync replica has it on disk
    #[value(name = "all", alias = "-1")]
    All,
}

#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:
  jq -c '.[]' rides.json | runnel produce rides --key-field car_id
  printf 'k1:hello\\nk2:world\\n' | runnel produce greetings --key-separator :
  runnel consume src --format json | runnel produce dst --format json
  seq 1000 | runnel produce numbers --create
  echo hello | runnel produce greetings -H source=cli -H trace=1")]
pub struct ProduceArgs {
    /// The topic to write to
    pub topic: String,
    /// How input lines are read
    #[arg(short, long, value_enum, default_value_t = InputFormat::Lines)]
    pub format: InputFormat,
    /// Take the key from this field of each JSON line (user.id or .user.id); the whole line is the value
    #[arg(short, long, value_name = "PATH", conflicts_with_all = ["key_separator"])]
    pub key_field: Option<String>,
    /// Split each line into key and value at the first SEP; a line without SEP is an error
    /// naming it, as in kafka-console-producer
    #[arg(short = 'K', long, value_name = "SEP")]
    pub key_separator: Option<String>,
    /// With --key-separator: a line without SEP becomes a record with a null key, the whole
    /// line its value (Kafka's ignore.error)
    #[arg(long, requires = "key_separator")]
    pub allow_keyless: bool,
    /// A value that stands for null (a tombstone), in the lines format
    #[arg(long, value_name = "STRING")]
    pub null_value: Option<String>,
    /// Send every message to this partition
    #[arg(short, long)]
    pub partition: Option<u32>,
    /// A header every message gets (repeatable; a name may repeat, as Kafka allows;
    /// before an envelope's own headers)
    #[arg(short = 'H', long = "header", value_name = "NAME=VALUE", value_parser = parse_header)]
    pub headers: Vec<(String, String)>,
    /// Which replicas must have a message on disk before exit 0 (Kafka's acks)
    #[arg(long, value_enum, default_value_t = AcksArg::All)]
    pub acks: AcksArg,
    /// Create the topic (one partition, or --partitions N) if it does not exist
    #[arg(long)]
    pub create: bool,
    /// With --create: the partition count of the new topic [default: 1; with --format json,
    /// enough for every partition the envelopes name, at least the count of the topic they
    /// were consumed from if it is in this data dir]
    #[arg(long, requires = "create", value_name = "N")]
    pub partitions: Option<u32>,
}

/// Validated produce settings.
struct ProduceSettings {
    pipeline: PipelineOptions,
    acks: Acks,
}

impl ProduceArgs {
    fn settings(&self) -> CommandResult<ProduceSettings> {
        let format = match (self.format, &self.key_field, &self.key_separator) {
            (InputFormat::Json, None, None) => LineFormat::Json,
            (InputFormat::Json, _, _) => {
                return Err(Error::usage("--key-field and --key-separator are for --format lines")
                    .with_hint("in --format json each envelope carries its own \"key\""));
            }
            (InputFormat::Lines, Some(path), _) => LineFormat::KeyField(KeyPath::parse(path).ok_or_else(|| {
                Error::usage(format!("invalid --key-field '{path}': use a dotted path such as user.id"))
            })?),
            (InputFormat::Lines, None, Some(sep)) if sep.is_empty() => {
                return Err(Error::usage("--key-separator cannot be empty").into());
            }
            (InputFormat::Lines, None, Some(sep)) => LineFormat::KeySeparator {
                separator: sep.as_bytes().to_vec(),
                if_missing: if self.allow_keyless { MissingSeparator::NullKey } else { MissingSeparator::Refuse },
            },
            (InputFormat::Lines, None, None) => LineFormat::Plain,
        };
        let acks = match self.acks {
            AcksArg::None => Acks::None,
            AcksArg::Leader => Acks::Leader,
            AcksArg::All => Acks::All,
        };
        Ok(ProduceSettings {
            pipeline: PipelineOptions {
                format,
                null_value: self.null_value.as_ref().map(|v| v.as_bytes().to_vec()),
                partition: self.partition,
            },
            acks,
        })
    }
}

pub fn cmd_produce(ctx: &Context, args: &ProduceArgs) -> CommandResult<()> {
    let settings = args.settings()?;
    let backend = ctx.backend()?;
    let interactive = std::io::stdin().is_terminal();
    // A pipe that comes full is widened: reads of up to a mebibyte.
    let mut stdin = WideningReader::new(std::io::stdin().lock());
    let mut read_ahead = Vec::new();
    let (topic, mut producer) = match backend.open_appender(&args.topic, settings.acks)? {
        Some(found) => found,
        None if args.create => {
            let partitions = match args.partitions {
                Some(n) => n,
                None if args.format == InputFormat::Json && !interactive => {
                    let (bytes, needs) = read_ahead::read_ahead(&mut stdin, read_ahead::READ_AHEAD_BYTES, || {
                        input_ready_within(libc::STDIN_FILENO, read_ahead::READ_AHEAD_PAUSE_MS)
                    })
                    .at("read", std::path::Path::new("standard input"))?;
                    read_ahead = bytes;
                    partitions_for(backend.as_ref(), &needs)
                }
                None => 1,
            };
            let created = backend.create_topic(&TopicSpec {
                name: args.topic.clone(),
                partitions,
                replication_factor: 1,
                config: Vec::new(),
            })?;
            created.warnings.iter().for_each(super::global::warn);
            let meta = created.meta;
            let n = meta.partition_count();
            ctx.note(format!("created topic '{}' with {n} partition{}", meta.name, if n == 1 { "" } else { "s" }));
            let appender = backend.appender(&meta, settings.acks)?;
            (meta, appender)
        }
        None => {
            return Err(backend
                .unknown_topic(&args.topic)
                .with_hint(format!("create it with `runnel topic create {0}`, or pass --create", args.topic)));
        }
    };
    if let Some(p) = args.partition
        && p >= topic.partition_count()
    {
        return Err(Error::usage(format!(
            "--partition {p} is out of range: topic '{}' has partitions 0 to {}",
            topic.name,
            topic.partition_count() - 1
        ))
        .into());
    }
    let started = Instant::now();
    let headers: Vec<(Vec<u8>, Option<Vec<u8>>)> =
        args.headers.iter().map(|(k, v)| (k.clone().into_bytes(), Some(v.clone().into_bytes()))).collect();
    producer.set_headers(&headers);
    // At a terminal a spinner would draw over what the user types: a hint instead.
    if interactive {
        ctx.note(format!("type messages for '{}', one per line; Ctrl-D to end", args.topic));
    }
    let mut stdin = std::io::Cursor::new(read_ahead).chain(stdin);
    let bar = if interactive { None } else { super::progress::counter(ctx, "produced", "messages") };
    let (result, summary) = producer.produce_lines(&mut stdin, &settings.pipeline, &mut stdin_ready, &mut |messages| {
        if let Some(bar) = &bar {
            bar.set_position(messages);
        }
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    for repair in producer.take_repairs() {
        super::global::stderr_line(format!("runnel: {repair}"));
    }
    if !ctx.quiet || result.is_err() {
        super::global::stderr_line(summary_line(
            &args.topic,
            &summary,
            started.elapsed().as_secs_f64(),
            result.is_err(),
        ));
    }
    Ok(result?)
}

/// `-H NAME=VALUE`: split at the first `=` (the value may hold more).
fn parse_header(text: &str) -> std::result::Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) => Ok((name.to_string(), value.to_string())),
        None => Err(format!("'{text}' is not NAME=VALUE")),
    }
}

/// The partition count of a topic `--create` makes for envelopes: enough
/// for every partition they name, and at least that of the topic they were
/// consumed from when it is in this data dir (so an exact copy keeps empty
/// partitions too).
fn partitions_for(backend: &dyn crate::backend::Backend, needs: &read_ahead::EnvelopeNeeds) -> u32 {
    let source = match &needs.source_topic {
        Some(name) => backend.find_topic(name).ok().flatten().map_or(0, |meta| meta.partition_count()),
        None => 0,
    };
    let named = u32::try_from(needs.partitions).unwrap_or(u32::MAX).min(MAX_PARTITIONS);
    source.max(named).max(1)
}

fn summary_line(topic: &str, summary: &ProduceSummary, seconds: f64, failed: bool) -> String {
    use crate::output::words::{count, rate};
    let used = summary.per_partition.iter().filter(|&&n| n > 0).count();
    let per_second = if seconds > 0.0 { summary.messages as f64 / seconds } else { 0.0 };
    format!(
        "{}{} ({}) to '{topic}' across {} in {:.2}s ({})",
        if failed { "produced only " } else { "produced " },
        count(summary.messages, "message"),
        crate::output::tables::human_bytes(summary.bytes),
        count(used as u64, "partition"),
        seconds,
        rate(per_second, "msgs")
    )
}

//! `runnel log dump PATH|TOPIC:P`: every frame (base and last offset, count,
//! byte position, CRC, leader epoch, timestamps, size) and, unless
//! `--no-records`, every record, like Kafka's kafka-dump-log. PATH is a
//! `.log` segment or a replica folder (TOPIC:P reads the leader's replica),
//! or an index file, whose entries `dump_index` prints.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::dump_index::dump_index;
use super::verify::parse_target;
use crate::cli::global::Context;
use crate::cli::hints::{CommandResult, WithHint};
use crate::cluster::replication::partition_writer::lost_leader_replica;
use crate::error::Error;
use crate::output::log::{dump_frame_json, dump_frame_text, dump_record_json, dump_record_text};
use crate::store::{SegmentFileKind, segment_file_base, segment_file_kind, segment_files, walk_segment};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DumpFormat {
    /// kafka-dump-log's lines: one per frame, one per record starting with '|'
    Text,
    /// One JSON object per frame, its records in "records"
    Json,
}

#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:
  runnel log dump rides:0
  runnel log dump --no-records \\
      ~/.local/share/runnel/broker-0/rides-0/00000000000000000000.log
  runnel log dump rides:0 --format json | jq -c '.records[]'")]
pub struct LogDumpArgs {
    /// A segment file (.log), an index file (.index, .timeindex), a replica folder, or TOPIC:PARTITION
    #[arg(value_name = "PATH|TOPIC:P")]
    pub target: String,
    /// Print the records of each frame (the default)
    #[arg(long, overrides_with = "no_records")]
    pub records: bool,
    /// Print only the frame lines
    #[arg(long)]
    pub no_records: bool,
    /// How to print
    #[arg(short, long, value_enum, default_value_t = DumpFormat::Text)]
    pub format: DumpFormat,
}

/// What `log dump` was asked to dump.
enum DumpTarget {
    /// Segment files, in order (one, or a replica's).
    Segments(Vec<PathBuf>),
    /// One index file.
    Index(PathBuf, SegmentFileKind),
}

const TARGET_HINT: &str = "give a .log, .index or .timeindex file, a replica folder, or TOPIC:PARTITION";

/// What `target` names: a file by its extension (as kafka-dump-log tells
/// them), a replica folder, or a partition (its leader's replica).
fn target_of(ctx: &Context, target: &str) -> CommandResult<DumpTarget> {
    let path = Path::new(target);
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => match segment_file_kind(path) {
            Some(SegmentFileKind::Log) => Ok(DumpTarget::Segments(vec![path.to_path_buf()])),
            Some(kind) => Ok(DumpTarget::Index(path.to_path_buf(), kind)),
            None => Err(Error::usage(format!(
                "{target} is not a segment (.log), offset index (.index) or time index (.timeindex) file"
            ))
            .with_hint(TARGET_HINT)),
        },
        Ok(meta) if meta.is_dir() => {
            let files = segment_files(path)?;
            if files.is_empty() {
                return Err(Error::not_found(format!("{target} holds no segment: it is not a replica folder"))
                    .with_hint(TARGET_HINT));
            }
            Ok(DumpTarget::Segments(files))
        }
        Ok(_) => Err(Error::usage(format!("{target} is not a regular file or a folder")).with_hint(TARGET_HINT)),
        Err(_) if target.contains(':') => Ok(DumpTarget::Segments(partition_segments(ctx, target)?)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Err(Error::not_found(format!("no such file or folder: {target}")).with_hint(TARGET_HINT))
        }
        Err(e) => Err(Error::io("read", path, e).into()),
    }
}

/// The segment files of `TOPIC:PARTITION`'s leader replica, in order.
fn partition_segments(ctx: &Context, target: &str) -> CommandResult<Vec<PathBuf>> {
    let selection = parse_target(target)?;
    let (Some(topic), Some(partition)) = (selection.topic, selection.partition) else {
        return Err(Error::usage(format!("'{target}' is not TOPIC:PARTITION")).into());
    };
    let cluster = ctx.existing_cluster()?;
    let meta = cluster.topic(&topic)?;
    let state = meta.partition(partition).ok_or_else(|| {
        Error::not_found(format!("topic '{topic}' has no partition {partition} (it has {})", meta.partition_count()))
    })?;
    let leader =
        state.leader.ok_or_else(|| Error::unavailable(format!("partition {partition} of '{topic}' has no leader")))?;
    let dir = cluster.layout().replica_dir(leader, &topic, partition);
    let files = segment_files(&dir)?;
    if files.is_empty() {
        return Err(lost_leader_replica(&topic, partition, leader, &dir).into());
    }
    Ok(files)
}

pub fn cmd_log_dump(ctx: &Context, args: &LogDumpArgs) -> CommandResult<()> {
    let files = match target_of(ctx, &args.target)? {
        DumpTarget::Segments(files) => files,
        DumpTarget::Index(path, kind) => return dump_index(ctx, &path, kind, args.format),
    };
    let records = !args.no_records;
    let mut stdout = crate::cli::format::stdout_unbuffered()?;
    let mut out = Vec::with_capacity(1 << 16);
    for (i, path) in files.iter().enumerate() {
        if args.format == DumpFormat::Text {
            out.extend_from_slice(format!("Dumping {}\n", path.display()).as_bytes());
            if let Some(base) = segment_file_base(path) {
                out.extend_from_slice(format!("Log starting offset: {base}\n").as_bytes());
            }
        }
        let is_last = i + 1 == files.len();
        let torn = walk_segment(path, is_last, |position, frame| {
            match args.format {
                DumpFormat::Text => {
                    dump_frame_text(&frame.header, position, &mut out);
                    if records {
                        for record in frame.records().filter_map(|r| r.ok()) {
                            dump_record_text(&record, &mut out);
                        }
                    }
                }
                DumpFormat::Json => {
                    dump_frame_json(&frame.header, position, &mut out);
                    out.pop(); // the closing brace: records and the file go inside
                    out.extend_from_slice(b",\"file\":");
                    crate::envelope::payload::write_json_string(&path.display().to_string(), &mut out);
                    if records {
                        out.extend_from_slice(b",\"records\":[");
                        for (n, record) in frame.records().filter_map(|r| r.ok()).enumerate() {
                            if n > 0 {
                                out.push(b',');
                            }
                            dump_record_json(&record, &mut out);
                        }
                        out.push(b']');
                    }
                    out.extend_from_slice(b"}\n");
                }
            }
            if out.len() >= 1 << 16 {
                stdout.write_all(&out).map_err(Error::output)?;
                out.clear();
            }
            Ok(())
        });
        stdout.write_all(&out).map_err(Error::output)?;
        out.clear();
        if let Some(torn) = torn? {
            ctx.note(format!(
                "runnel: {}: {} bytes of a torn frame at byte {} ({}); the next writer cuts them",
                path.display(),
                torn.bytes,
                torn.position,
                torn.what
            ));
        }
    }
    Ok(stdout.flush().map_err(Error::output)?)
}

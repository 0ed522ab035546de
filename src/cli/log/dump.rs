//! `runnel log dump PATH|TOPIC:P`: every frame (base and last offset, count,
//! byte position, CRC, leader epoch, timestamps, size) and, unless
//! `--no-records`, every record, like Kafka's kafka-dump-log. PATH is a
//! `.log` segment or a replica folder; TOPIC:P reads the leader's replica.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::verify::parse_target;
use crate::cli::global::Context;
use crate::cli::hints::{CommandResult, WithHint};
use crate::error::Error;
use crate::output::log::{dump_frame_json, dump_frame_text, dump_record_json, dump_record_text};
use crate::store::{segment_files, walk_segment};

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
    /// A segment file (.log), a replica folder, or TOPIC:PARTITION
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

/// The segment files to dump, in order.
fn segments_of(ctx: &Context, target: &str) -> CommandResult<Vec<PathBuf>> {
    let path = Path::new(target);
    if path.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let dir = if path.is_dir() {
        path.to_path_buf()
    } else if target.contains(':') {
        let selection = parse_target(target)?;
        let (Some(topic), Some(partition)) = (selection.topic, selection.partition) else {
            return Err(Error::usage(format!("'{target}' is not TOPIC:PARTITION")).into());
        };
        let cluster = ctx.existing_cluster()?;
        let meta = cluster.topic(&topic)?;
        let state = meta.partition(partition).ok_or_else(|| {
            Error::not_found(format!(
                "topic '{topic}' has no partition {partition} (it has {})",
                meta.partition_count()
            ))
        })?;
        let leader = state
            .leader
            .ok_or_else(|| Error::unavailable(format!("partition {partition} of '{topic}' has no leader")))?;
        cluster.layout().replica_dir(leader, &topic, partition)
    } else {
        return Err(Error::usage(format!("no such file or folder: {target}"))
            .with_hint("give a .log file, a replica folder, or TOPIC:PARTITION"));
    };
    Ok(segment_files(&dir)?)
}

pub fn cmd_log_dump(ctx: &Context, args: &LogDumpArgs) -> CommandResult<()> {
    let files = segments_of(ctx, &args.target)?;
    let records = !args.no_records;
    let mut stdout = crate::cli::format::stdout_unbuffered()?;
    let mut out = Vec::with_capacity(1 << 16);
    for (i, path) in files.iter().enumerate() {
        if args.format == DumpFormat::Text {
            out.extend_from_slice(format!("Dumping {}\n", path.display()).as_bytes());
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

//! `log dump` of an index file, as kafka-dump-log dumps one: `offset: N
//! position: P` per entry of an offset index (`.index`), `timestamp: T
//! offset: N` per entry of a time index (`.timeindex`); with `--format json`
//! one object per entry. Each entry is checked against the segment beside
//! it, and what does not hold is noted on stderr after the entries (an
//! index is a hint, not data: the exit code stays 0, as kafka-dump-log's).

use std::io::Write;
use std::path::Path;

use super::dump::DumpFormat;
use crate::cli::global::Context;
use crate::cli::hints::CommandResult;
use crate::error::Error;
use crate::store::{IndexEntry, SegmentFileKind, walk_index};

/// Mismatched entries noted one by one at most; the rest are counted.
const NOTED_AT_MOST: usize = 10;

pub fn dump_index(ctx: &Context, path: &Path, kind: SegmentFileKind, format: DumpFormat) -> CommandResult<()> {
    let mut stdout = crate::cli::format::stdout_unbuffered()?;
    let mut out = Vec::with_capacity(1 << 16);
    if format == DumpFormat::Text {
        out.extend_from_slice(format!("Dumping {}\n", path.display()).as_bytes());
    }
    let shown = path.display().to_string();
    let walk = walk_index(path, kind, |entry| {
        match format {
            DumpFormat::Text => write_entry_text(entry, &mut out),
            DumpFormat::Json => write_entry_json(entry, &shown, &mut out),
        }
        if out.len() >= 1 << 16 {
            stdout.write_all(&out).map_err(Error::output)?;
            out.clear();
        }
        Ok(())
    })?;
    if walk.entries == 0 && format == DumpFormat::Text && kind == SegmentFileKind::OffsetIndex {
        out.extend_from_slice(format!("{shown} is empty.\n").as_bytes());
    }
    stdout.write_all(&out).map_err(Error::output)?;
    stdout.flush().map_err(Error::output)?;

    if let Some(log) = &walk.log_missing {
        ctx.note(format!("runnel: {shown}: its segment {} is not there: the entries were not checked", log.display()));
    }
    for (entry, why) in walk.mismatches.iter().take(NOTED_AT_MOST) {
        ctx.note(format!("runnel: {shown}: the entry for offset {} at byte {}: {why}", entry.offset, entry.position));
    }
    if !walk.mismatches.is_empty() {
        let more = walk.mismatches.len().saturating_sub(NOTED_AT_MOST);
        let more = if more > 0 { format!(" ({more} more not shown)") } else { String::new() };
        ctx.note(format!(
            "runnel: {shown}: {} entries do not hold{more}; an index is only a hint for finding offsets: \
             `runnel log verify` reports it and `runnel log verify --repair` rebuilds it",
            walk.mismatches.len()
        ));
    }
    if walk.trailing_bytes > 0 {
        ctx.note(format!("runnel: {shown}: the last {} bytes are not a whole entry", walk.trailing_bytes));
    }
    Ok(())
}

/// kafka-dump-log's line for one entry.
fn write_entry_text(entry: &IndexEntry, out: &mut Vec<u8>) {
    let line = match entry.timestamp {
        Some(timestamp) => format!("timestamp: {timestamp} offset: {}\n", entry.offset),
        None => format!("offset: {} position: {}\n", entry.offset, entry.position),
    };
    out.extend_from_slice(line.as_bytes());
}

/// One entry as a JSON object on its own line.
fn write_entry_json(entry: &IndexEntry, file: &str, out: &mut Vec<u8>) {
    let mut value = serde_json::json!({ "offset": entry.offset, "position": entry.position, "file": file });
    if let Some(timestamp) = entry.timestamp {
        value["timestamp"] = serde_json::json!(timestamp);
    }
    let _ = serde_json::to_writer(&mut *out, &value);
    out.push(b'\n');
}

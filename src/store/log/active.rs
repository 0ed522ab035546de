//! The active segment of a [`Log`](super::Log): its open files and append
//! state, creating a segment's files, and opening the last segment — from
//! the resume point its indexes give, verifying the frames after it,
//! cutting a torn tail ([`Repair`]) and dropping index entries past what
//! survived.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

use super::policy::LogConfig;
use crate::error::{IoContext, Result};
use crate::store::frame::FrameHeader;
use crate::store::segment::index::IndexPolicy;
use crate::store::segment::open_scan::{self, TornTail, Verify};
use crate::store::segment::resume_point::{frame_at, resume_point};
use crate::store::segment::{self, INDEX_EXT, LOG_EXT, TIME_INDEX_EXT};
use crate::sys::fault;
use crate::sys::fs::sync_dir;

/// A torn tail that opening a log cut off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Repair {
    pub segment: PathBuf,
    pub torn: TornTail,
    /// The log end offset after the repair.
    pub next_offset: u64,
}

impl std::fmt::Display for Repair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "repaired {}: cut {} bytes of a torn frame at byte {} ({}); the log now ends at offset {}",
            self.segment.display(),
            self.torn.bytes,
            self.torn.position,
            self.torn.reason,
            self.next_offset
        )
    }
}

/// The open active segment: its files and the state appends keep.
pub(super) struct Active {
    pub(super) base: u64,
    /// Shared with the write-back ranges taken from it ([`WriteBack`](crate::store::WriteBack)).
    pub(super) path: std::sync::Arc<Path>,
    pub(super) file: std::sync::Arc<File>,
    /// The segment file's device and inode: which file appends went to.
    pub(super) id: (u64, u64),
    pub(super) len: u64,
    pub(super) next_offset: u64,
    /// Position and header of the last frame written, to notice another
    /// process rewriting the tail between our lock holds.
    pub(super) last_frame: Option<(u64, FrameHeader)>,
    /// The largest timestamp of the segment's first frame (what `segment.ms`
    /// counts from, as Kafka's `rollingBasedTimestamp`).
    pub(super) first_timestamp: Option<i64>,
    pub(super) index_path: PathBuf,
    pub(super) index: File,
    pub(super) index_len: u64,
    pub(super) time_path: PathBuf,
    pub(super) time_index: File,
    pub(super) time_index_len: u64,
    pub(super) policy: IndexPolicy,
    pub(super) pending_offsets: Vec<u8>,
    pub(super) pending_times: Vec<u8>,
    /// The pending entries were earned by an earlier append than the one
    /// now writing them: another process may have held the lock since
    /// (see `index_entries`).
    pub(super) carried: bool,
    pub(super) unsynced: bool,
    /// Up to where write-back was started (see `WRITE_BEHIND_BYTES`).
    pub(super) written_back: u64,
}

/// Opens a segment file for reading and writing. (A FIFO put where one
/// belongs opens at once read-write, and its first `pread` or `pwrite`
/// fails, `ESPIPE`: the writer never waits on it.)
pub(super) fn open_rw(path: &Path, create: bool) -> Result<File> {
    OpenOptions::new().read(true).write(true).create(create).truncate(false).open(path).at("open", path)
}

/// Creates the empty files of a new segment and makes them durable.
pub(super) fn create_segment(dir: &Path, base: u64) -> Result<()> {
    for ext in [LOG_EXT, INDEX_EXT, TIME_INDEX_EXT] {
        let path = segment::file_path(dir, base, ext);
        open_rw(&path, true)?;
    }
    sync_dir(dir)
}

/// Opens the segment at `base` as the active one: finds the known-good point
/// from its indexes, verifies every frame after it, cuts a torn tail, and
/// drops index entries that point past what survived.
pub(super) fn open_active(dir: &Path, base: u64, config: LogConfig) -> Result<(Active, Option<Repair>)> {
    let path = segment::file_path(dir, base, LOG_EXT);
    let file = open_rw(&path, false)?;
    let meta = file.metadata().at("stat", &path)?;
    let mut len = meta.len();
    let id = {
        use std::os::unix::fs::MetadataExt;
        (meta.dev(), meta.ino())
    };
    let index_path = segment::file_path(dir, base, INDEX_EXT);
    let time_path = segment::file_path(dir, base, TIME_INDEX_EXT);
    let index = open_rw(&index_path, true)?;
    let time_index = open_rw(&time_path, true)?;
    let point = resume_point(&file, &path, len, base, Some(&index), Some(&time_index))?;

    let mut pending_offsets = Vec::new();
    let mut pending_times = Vec::new();
    let mut policy = IndexPolicy::resume(config.index_interval_bytes, 0, point.max_timestamp, point.max_timestamp);
    let mut last_frame = None;
    let mut first_timestamp = None;
    let scan = open_scan::scan(&file, &path, point.position, point.offset, len, Verify::Checksums, |f| {
        if f.position == 0 {
            first_timestamp = Some(f.header.max_timestamp);
        }
        if let Ok(relative) = u32::try_from(f.header.base_offset - base) {
            policy.on_frame(
                relative,
                f.position as u32,
                f.header.frame_len,
                f.header.max_timestamp,
                &mut pending_offsets,
                &mut pending_times,
            );
        }
        last_frame = Some((f.position, f.header));
    })?;

    let mut repair = None;
    if let Some(torn) = scan.torn {
        file.set_len(scan.end_position).at("truncate", &path)?;
        fault::sync_all(&file).at("fsync", &path)?;
        len = scan.end_position;
        repair = Some(Repair { segment: path.clone(), torn, next_offset: scan.next_offset });
    }
    if last_frame.is_none() && point.position > 0 {
        last_frame = frame_at(&file, &path, len, point.position)?.map(|h| (point.position, h));
    }
    if first_timestamp.is_none() {
        // The scan began past the first frame: read its header.
        first_timestamp = frame_at(&file, &path, len, 0)?.map(|h| h.max_timestamp);
    }
    // Keep the verified entries, then add the ones the scan earned.
    if point.index_file_len != point.index_len {
        index.set_len(point.index_len).at("truncate", &index_path)?;
    }
    if point.time_index_file_len != point.time_index_len {
        time_index.set_len(point.time_index_len).at("truncate", &time_path)?;
    }
    fault::write_all_at(&index, &pending_offsets, point.index_len).at("write", &index_path)?;
    fault::write_all_at(&time_index, &pending_times, point.time_index_len).at("write", &time_path)?;
    let index_len = point.index_len + pending_offsets.len() as u64;
    let time_index_len = point.time_index_len + pending_times.len() as u64;
    pending_offsets.clear();
    pending_times.clear();

    Ok((
        Active {
            base,
            path: path.into(),
            file: std::sync::Arc::new(file),
            id,
            len,
            next_offset: scan.next_offset,
            last_frame,
            first_timestamp,
            index_path,
            index,
            index_len,
            time_path,
            time_index,
            time_index_len,
            policy,
            pending_offsets,
            pending_times,
            carried: false,
            unsynced: false,
            written_back: len,
        },
        repair,
    ))
}

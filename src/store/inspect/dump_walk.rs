//! Walking the frames of one segment file in order, with their byte
//! positions: for `log dump`. Stops at the first frame that does not verify
//! — a torn tail (in the last segment, a write cut short: `segment/torn.rs`)
//! is returned, anything else is an error naming the file and byte position.

use std::path::{Path, PathBuf};

use crate::error::{Error, IoContext, Result};
use crate::store::frame::Frame;
use crate::store::segment::cursor::{DamagePolicy, FrameCursor, Problem, Step};
use crate::store::segment::{self, LOG_EXT};
use crate::sys::fs::open_regular;

/// A torn tail met at the end of a walk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TornEnd {
    pub position: u64,
    pub bytes: u64,
    pub what: String,
}

/// The segment files of the replica in `dir`, oldest first (the last is the
/// active one): what [`walk_segment`] takes.
pub fn segment_files(dir: &Path) -> Result<Vec<PathBuf>> {
    Ok(segment::list(dir)?.into_iter().map(|base| segment::file_path(dir, base, LOG_EXT)).collect())
}

/// Calls `each(position, frame)` for every whole frame of the segment at
/// `path`. `is_last` says whether a bad final frame may be a torn tail.
pub fn walk_segment(
    path: &Path,
    is_last: bool,
    mut each: impl FnMut(u64, Frame<'_>) -> Result<()>,
) -> Result<Option<TornEnd>> {
    let (file, meta) = open_regular(path).at("open", path)?;
    let len = meta.len();
    let policy = if is_last { DamagePolicy::TornTail } else { DamagePolicy::Refuse };
    let mut cursor = FrameCursor::new(&file, path, 0, len, policy);
    loop {
        match cursor.next_frame()? {
            Step::Whole(position, frame) => each(position, frame)?,
            Step::End => return Ok(None),
            Step::Bad(bad) => {
                let what = match bad.problem {
                    Problem::HeaderCut | Problem::FrameCut => Problem::FrameCut.to_string(),
                    problem => problem.to_string(),
                };
                if bad.torn {
                    return Ok(Some(TornEnd { position: bad.position, bytes: bad.bytes_to_end, what }));
                }
                return Err(Error::corrupt(path, bad.position, what));
            }
        }
    }
}

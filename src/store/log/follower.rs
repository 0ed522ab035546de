//! What a follower copying its leader does to its [`Log`]: cut it back
//! ([`Log::truncate_to`]), append copied frames that may start past a gap
//! ([`Log::append_copied`]), and start over empty at an offset
//! ([`Log::restart_at`]).

use super::active::{create_segment, open_active, open_rw};
use super::{Log, checkpoint};
use crate::error::{Error, ErrorKind, IoContext, Result};
use crate::store::frame::FrameHeader;
use crate::store::segment::index::{OFFSET_ENTRY_LEN, TIME_ENTRY_LEN};
use crate::store::segment::open_scan::{self, Verify};
use crate::store::segment::{self, INDEX_EXT, LOG_EXT, TIME_INDEX_EXT};
use crate::sys::fault;
use crate::sys::fs::sync_dir;

impl Log {
    /// Removes every frame holding offsets at or after `offset` (Kafka's
    /// truncateTo: a frame straddling `offset` goes whole, so the log may end
    /// a little before `offset`). Returns the new log end offset.
    pub fn truncate_to(&mut self, offset: u64) -> Result<u64> {
        self.check_poison()?;
        let result = self.truncate_unchecked(offset);
        self.poison_on_error(result)
    }

    fn truncate_unchecked(&mut self, offset: u64) -> Result<u64> {
        if offset >= self.active.next_offset {
            return Ok(self.active.next_offset);
        }
        let dir = self.dir.clone();
        let segments = self.segments_mut()?;
        let keep = segments.iter().rposition(|&b| b <= offset).unwrap_or(0);
        for &base in segments[keep + 1..].iter().rev() {
            segment::remove_files(&dir, base)?;
        }
        let Some(&base) = segments.get(keep) else {
            return Err(Error::new(
                ErrorKind::Io,
                format!(
                    "the segments of {} disappeared while it was open; `runnel log verify` shows what is left",
                    dir.display()
                ),
            ));
        };
        segments.truncate(keep + 1);
        let path = segment::file_path(&self.dir, base, LOG_EXT);
        let file = open_rw(&path, false)?;
        let len = file.metadata().at("stat", &path)?.len();
        let mut cut = len;
        open_scan::scan(&file, &path, 0, base, len, Verify::HeadersOnly, |f| {
            if cut == len && f.header.last_offset() >= offset {
                cut = f.position;
            }
        })?;
        file.set_len(cut).at("truncate", &path)?;
        fault::sync_all(&file).at("fsync", &path)?;
        for (ext, entry_len) in [(INDEX_EXT, OFFSET_ENTRY_LEN as u64), (TIME_INDEX_EXT, TIME_ENTRY_LEN as u64)] {
            // Entries at or past the cut are dropped; the rest stay valid.
            let index_path = segment::file_path(&self.dir, base, ext);
            let bytes = crate::sys::fs::read_optional(&index_path)?;
            let keep_entries = bytes
                .chunks_exact(entry_len as usize)
                .take_while(|e| {
                    let p = &e[entry_len as usize - 4..];
                    u64::from(u32::from_le_bytes([p[0], p[1], p[2], p[3]])) < cut
                })
                .count() as u64;
            let index = open_rw(&index_path, true)?;
            index.set_len(keep_entries * entry_len).at("truncate", &index_path)?;
        }
        sync_dir(&self.dir)?;
        let (active, _) = open_active(&self.dir, base, self.config)?;
        self.active = active;
        Ok(self.active.next_offset)
    }

    /// Raises this replica's `cleaner-offset` checkpoint to `offset` if it
    /// is lower: a copy of a compacted log is about to take over gaps below
    /// it, which are then compaction's, not damage.
    pub fn allow_gaps_below(&mut self, offset: u64) -> Result<()> {
        self.check_poison()?;
        if checkpoint::read(self.dir(), checkpoint::CLEANER)?.unwrap_or(0) < offset {
            let result = checkpoint::write(self.dir(), checkpoint::CLEANER, offset);
            self.poison_on_error(result)?;
        }
        Ok(())
    }

    /// Appends frames copied verbatim from another replica (their offsets
    /// and epochs are kept). The frame may start above the log end: a
    /// compacted leader has gaps between frames, and so will the copy.
    pub fn append_copied(&mut self, frame: &[u8], header: &FrameHeader) -> Result<()> {
        self.check_poison()?;
        if header.base_offset > self.active.next_offset {
            let result = self.skip_to(header.base_offset, frame.len() as u64, header);
            self.poison_on_error(result)?;
        }
        self.append(frame, header)
    }

    /// Moves the log end up to `offset` for a copied frame that starts
    /// there. A roll it needs happens first, at the old log end as every
    /// roll does (see the module doc). If even then the active segment could
    /// not hold `offset` as a relative offset, a segment starting at it
    /// follows: after a roll the empty one stays (it marks the roll); an
    /// active segment that was empty to begin with is replaced.
    fn skip_to(&mut self, offset: u64, frame_len: u64, header: &FrameHeader) -> Result<()> {
        let fits = |log: &Log| u32::try_from(offset - log.active.base).is_ok();
        if self.active.len > 0 && (self.roll_due(frame_len, header) || !fits(self)) {
            self.roll()?;
            if !fits(self) {
                self.active.next_offset = offset;
                self.roll()?;
            }
        } else if !fits(self) {
            self.replace_empty_active(offset)?;
        }
        self.active.next_offset = offset;
        Ok(())
    }

    /// Replaces the empty active segment with an empty one at `base`. A
    /// handle elsewhere that holds the old one finds it unlinked.
    fn replace_empty_active(&mut self, base: u64) -> Result<()> {
        let old = self.active.base;
        create_segment(&self.dir, base)?;
        segment::remove_files(&self.dir, old)?;
        sync_dir(&self.dir)?;
        let (active, _) = open_active(&self.dir, base, self.config)?;
        self.active = active;
        if let Some(segments) = &mut self.segments {
            segments.retain(|&b| b != old);
            segments.push(base);
        }
        Ok(())
    }

    /// Empties the log and starts it again at `start_offset` (Kafka's
    /// `truncateFullyAndStartAt`): for a follower that fell behind the start
    /// of its leader's log.
    pub fn restart_at(&mut self, start_offset: u64) -> Result<()> {
        let dir = self.dir.clone();
        for base in segment::list(&dir)? {
            segment::remove_files(&dir, base)?;
        }
        let (fresh, _) = Log::open(&dir, self.config, start_offset)?;
        *self = fresh;
        Ok(())
    }
}

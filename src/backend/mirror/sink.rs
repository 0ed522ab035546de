//! Where a mirror's fetched records go: each to its topic's appender on
//! the target, same partition; every so often (and at the end of a read)
//! the target is synced and then — only then — the next offsets are
//! committed on the source.

use std::collections::BTreeMap;
use std::io;
use std::time::{Duration, Instant};

use super::MirrorReport;
use super::topics::TopicCopy;
use crate::backend::GroupOffsets;
use crate::consumer::{RecordSink, StopReason};
use crate::error::{Error, Result};
use crate::store::Record;

/// Sync and commit once this many records are pending...
const SYNC_RECORDS: u64 = 100_000;
/// ... or this long after the last commit, whichever comes first.
const SYNC_EVERY: Duration = Duration::from_secs(1);
/// Progress is told every this many records.
const PROGRESS_EVERY: u64 = 4096;

pub struct MirrorSink<'a> {
    copies: &'a mut BTreeMap<String, TopicCopy>,
    offsets: &'a mut dyn GroupOffsets,
    /// The next offset to copy of each partition, moved up at each commit.
    next: &'a mut BTreeMap<(String, u32), u64>,
    progress: &'a mut dyn FnMut(u64),
    /// Per topic, the next offset of each partition with records copied
    /// since the last commit (looked up by the record's `&str` topic: no
    /// allocation per record).
    pending: BTreeMap<String, BTreeMap<u32, u64>>,
    pending_records: u64,
    last_sync: Instant,
    /// Records and bytes copied by this read, per topic.
    copied: BTreeMap<String, u64>,
    bytes: u64,
    /// Records copied before this read (for progress).
    before: u64,
    /// The error behind a failed write or flush (the fetcher sees an
    /// `io::Error`; this one is reported).
    failure: Option<Error>,
}

impl<'a> MirrorSink<'a> {
    pub fn new(
        copies: &'a mut BTreeMap<String, TopicCopy>,
        offsets: &'a mut dyn GroupOffsets,
        next: &'a mut BTreeMap<(String, u32), u64>,
        progress: &'a mut dyn FnMut(u64),
        before: u64,
    ) -> MirrorSink<'a> {
        MirrorSink {
            copies,
            offsets,
            next,
            progress,
            pending: BTreeMap::new(),
            pending_records: 0,
            last_sync: Instant::now(),
            copied: BTreeMap::new(),
            bytes: 0,
            before,
            failure: None,
        }
    }

    /// Every record copied so far by the whole mirror.
    pub fn copied_total(&self) -> u64 {
        self.before + self.copied.values().sum::<u64>()
    }

    /// Syncs the target's topics with pending records, then commits their
    /// next offsets on the source.
    fn sync_and_commit(&mut self) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        for topic in self.pending.keys() {
            if let Some(copy) = self.copies.get_mut(topic) {
                copy.appender.sync()?;
            }
        }
        crate::sys::fault::step("mirror.synced");
        let commits: Vec<(String, u32, u64)> = self
            .pending
            .iter()
            .flat_map(|(t, partitions)| partitions.iter().map(|(&p, &o)| (t.clone(), p, o)))
            .collect();
        self.offsets.commit(&commits)?;
        self.pending.clear();
        for (topic, p, offset) in commits {
            self.next.insert((topic, p), offset);
        }
        self.pending_records = 0;
        self.last_sync = Instant::now();
        Ok(())
    }

    fn fail(&mut self, e: Error) -> io::Error {
        let io = io::Error::other(e.message.clone());
        self.failure = Some(e);
        io
    }

    /// Ends a read: the target synced and the offsets committed; the
    /// error behind a failed write wins over the fetcher's wrapping of it.
    pub fn finish(&mut self, ran: Result<StopReason>) -> Result<StopReason> {
        if let Some(e) = self.failure.take() {
            return Err(e);
        }
        let reason = ran?;
        self.sync_and_commit()?;
        let total = self.copied_total();
        (self.progress)(total);
        Ok(reason)
    }

    /// Adds what this read copied to `report`.
    pub fn count_into(&self, report: &mut MirrorReport) {
        for (topic, n) in &self.copied {
            *report.copied.entry(topic.clone()).or_default() += n;
        }
        report.bytes += self.bytes;
    }
}

impl RecordSink for MirrorSink<'_> {
    fn write(&mut self, topic: &str, partition: u32, record: &Record<'_>) -> io::Result<()> {
        let Some(copy) = self.copies.get_mut(topic) else { return Ok(()) };
        if let Err(e) = copy.appender.append(partition, record) {
            return Err(self.fail(e));
        }
        match self.pending.get_mut(topic) {
            Some(partitions) => {
                partitions.insert(partition, record.offset + 1);
            }
            None => {
                self.pending.insert(topic.to_string(), BTreeMap::from([(partition, record.offset + 1)]));
            }
        }
        self.pending_records += 1;
        self.bytes += (record.key.map_or(0, <[u8]>::len) + record.value.map_or(0, <[u8]>::len)) as u64;
        match self.copied.get_mut(topic) {
            Some(n) => *n += 1,
            None => {
                self.copied.insert(topic.to_string(), 1);
            }
        }
        if self.pending_records.is_multiple_of(PROGRESS_EVERY) {
            let total = self.copied_total();
            (self.progress)(total);
        }
        if self.pending_records >= SYNC_RECORDS {
            self.sync_and_commit().map_err(|e| self.fail(e))?;
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.pending_records >= SYNC_RECORDS || self.last_sync.elapsed() >= SYNC_EVERY {
            self.sync_and_commit().map_err(|e| self.fail(e))?;
        }
        Ok(())
    }
}

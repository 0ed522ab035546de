//! `consume --share G`: one member of a share group. It acquires a batch of
//! records from one of its topics' partitions at a time (every member reads
//! every partition; the share-partition's lock makes each record one
//! member's), writes them to the sink, and acknowledges them: ACCEPT for
//! each record whose last byte the reader took (`group::delivery`'s
//! accounting: never what still waits in a pipe), and, when leaving, RELEASE
//! for what the reader did not take. The next batch is acquired only once
//! the reader took the last one, so a slow reader holds few locks and the
//! other members get the rest. A member killed holding records leaves them
//! ACQUIRED until their locks expire; then any member acquires them again,
//! their delivery count one higher. Records that reach the delivery limit
//! are archived, or, when the group has a dead-letter topic, handed to a
//! [`DeadLetterSink`] first (the start offset waits for that write).

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::files::{self, SharePaths};
use super::partition::{AckOutcome, AcknowledgeType, Acquired, Limits};
use crate::cluster::Cluster;
use crate::consumer::exec::Exit;
use crate::consumer::group::claim::Claim;
use crate::consumer::group::delivery::{Delivery, Tracked};
use crate::consumer::group::membership::hostname;
use crate::consumer::group::offset_reset::{AutoOffsetReset, start_position};
use crate::consumer::{Consumer, PollState, Position, RecordSink, TopicPartition, Until};
use crate::error::{Error, Result};
use crate::store::Record;
use crate::sys::clock::now_ms;

/// Records acquired at a time: Kafka's `max.poll.records` default.
pub const DEFAULT_BATCH: usize = 500;

/// The longest a leaving member waits for its reader to take what is still
/// in the pipe (as a consumer group member does); the rest is released.
pub const DRAIN_WAIT: Duration = crate::consumer::group::member::DRAIN_WAIT;

/// How often a member looks at what its reader took while it waits.
const TAKEN_POLL: Duration = Duration::from_millis(5);

/// The longest a following member waits before it looks again (new records,
/// released ones, expired locks).
const IDLE_WAIT: Duration = Duration::from_millis(200);

/// `consume --share`.
#[derive(Debug, Clone)]
pub struct ShareMemberOptions {
    pub group: String,
    pub topics: Vec<String>,
    /// Defaults to `runnel-<pid>`.
    pub client_id: Option<String>,
    /// Where a share-partition the group has no state for starts; `None`:
    /// as `offset_reset` says (Kafka's `share.auto.offset.reset`).
    pub from: Option<Position>,
    pub offset_reset: AutoOffsetReset,
    pub follow: bool,
    pub max_messages: Option<u64>,
    pub limits: Limits,
    /// Records acquired at a time.
    pub batch: usize,
    /// The group's dead-letter topic to set (Kafka's group config
    /// `errors.deadletterqueue.topic.name`).
    pub dead_letter: Option<String>,
}

impl ShareMemberOptions {
    pub fn new(group: &str, topics: Vec<String>) -> ShareMemberOptions {
        ShareMemberOptions {
            group: group.to_string(),
            topics,
            client_id: None,
            from: None,
            offset_reset: AutoOffsetReset::default(),
            follow: false,
            max_messages: None,
            limits: Limits::default(),
            batch: DEFAULT_BATCH,
            dead_letter: None,
        }
    }
}

/// Where records archived at the delivery limit go (the dead-letter topic).
pub trait DeadLetterSink {
    /// Writes one record of `topic:partition` delivered `delivery_count`
    /// times, whose last try ended as `last_exit` (`None`: its lock expired).
    fn write(
        &mut self,
        topic: &str,
        partition: u32,
        record: &Record<'_>,
        delivery_count: u32,
        last_exit: Option<Exit>,
    ) -> Result<()>;
    /// Makes what was written durable.
    fn flush(&mut self) -> Result<()>;
}

/// Works on acquired batches itself (`consume --share --exec CMD`): each
/// batch is accepted when the work succeeds, released when it fails.
pub trait BatchHandler: DeadLetterSink {
    /// A record of the batch, with its delivery count (this one included).
    fn add(&mut self, topic: &str, partition: u32, record: &Record<'_>, delivery_count: u32) -> Result<()>;
    /// Works on the records added since the last call: `None` when it
    /// succeeded (accept them all), how the command ended when it failed
    /// (release them).
    fn run(&mut self, p: &TopicPartition) -> Result<Option<Exit>>;
    /// How long to pause after a failed batch whose highest delivery count
    /// was `delivery_count`.
    fn backoff(&self, delivery_count: u32) -> Duration;
    /// Whether records at the delivery limit go to a dead-letter topic.
    fn dead_letters(&self) -> bool;
}

/// What a member does with what it acquires.
pub enum ShareWork<'a> {
    /// Writes it to a sink and accepts what the sink's reader took;
    /// archived records go to `dead` when given.
    Pipe { sink: &'a mut dyn RecordSink, dead: Option<&'a mut dyn DeadLetterSink> },
    /// Hands each batch to a handler (which also writes the dead letters).
    Batches(&'a mut dyn BatchHandler),
}

/// What a member did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareReport {
    pub member_id: String,
    /// Records written to the sink.
    pub delivered: u64,
    /// Records acknowledged ACCEPT.
    pub accepted: u64,
    /// Records released (not taken by the reader when the member left).
    pub released: u64,
    /// Acknowledgements refused: the record's lock had expired and it went on.
    pub refused: u64,
    /// Records written to the dead-letter topic.
    pub dead_lettered: u64,
    /// Records this member archived at the delivery limit.
    pub archived: u64,
    /// Batches the handler failed on (released).
    pub failed_batches: u64,
    pub stop: ShareStop,
}

/// Why the member left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShareStop {
    /// Without follow: nothing left to acquire.
    Drained,
    CountReached,
    Stopped,
}

/// A joined member: its liveness claim and id.
pub struct ShareMember {
    pub member_id: String,
    claim: Claim,
}

impl ShareMember {
    /// Joins `paths`'s group (making it a share group if it is new).
    pub fn join(cluster: &Cluster, paths: &SharePaths, opts: &ShareMemberOptions) -> Result<(ShareMember, Limits)> {
        if opts.topics.is_empty() {
            return Err(Error::usage("a share group member needs at least one topic"));
        }
        for topic in &opts.topics {
            cluster.topic(topic)?;
        }
        let doc = files::ensure_share_group(cluster, paths, opts.dead_letter.as_deref())?;
        let pid = std::process::id();
        let client_id = opts.client_id.clone().unwrap_or_else(|| format!("runnel-{pid}"));
        let member_id = crate::consumer::group::membership::member_id_for(&client_id);
        let tag = format!("member {member_id} pid {pid} host {} client {client_id}", hostname());
        let path = paths.group.member_lock(&member_id);
        paths.group.create()?;
        let claim = Claim::try_take(&path, &tag)?
            .ok_or_else(|| Error::conflict(format!("member id {member_id} is already taken; try again")))?;
        let limits = Limits { dead_letter: doc.dead_letter_topic.is_some(), ..opts.limits };
        Ok((ShareMember { member_id, claim }, limits))
    }

    /// Leaves: the liveness claim goes.
    pub fn leave(self) -> Result<()> {
        self.claim.remove()
    }
}

/// Reads the records at `offsets` of one partition into `sink`; returns the
/// offsets found (a compacted or trimmed log lacks some).
pub fn read_offsets(
    consumer: &mut Consumer,
    p: &TopicPartition,
    offsets: &BTreeSet<u64>,
    sink: &mut dyn RecordSink,
) -> Result<BTreeSet<u64>> {
    let (Some(&first), Some(&last)) = (offsets.first(), offsets.last()) else {
        return Ok(BTreeSet::new());
    };
    consumer.assign_until(&p.topic, p.partition, Position::Offset(first), Until::Offset(last + 1))?;
    let mut only = Only { sink, wanted: offsets, found: BTreeSet::new() };
    let read = loop {
        match consumer.poll(&mut only) {
            Ok(PollState::Finished) => break Ok(()),
            Ok(PollState::Progress(_)) => {}
            // Below the end it was assigned to stop at, a partition is never idle
            // for long; wait like any reader.
            Ok(PollState::Idle) => consumer.wait(TAKEN_POLL),
            Err(e) => break Err(e),
        }
    };
    consumer.unassign(&p.topic, p.partition);
    read.map(|()| only.found)
}

/// Passes on only the records asked for.
struct Only<'a> {
    sink: &'a mut dyn RecordSink,
    wanted: &'a BTreeSet<u64>,
    found: BTreeSet<u64>,
}

impl RecordSink for Only<'_> {
    fn write(&mut self, topic: &str, partition: u32, record: &Record<'_>) -> io::Result<()> {
        if self.wanted.contains(&record.offset) && self.found.insert(record.offset) {
            self.sink.write(topic, partition, record)?;
        }
        Ok(())
    }
    fn flush(&mut self) -> io::Result<()> {
        self.sink.flush()
    }
    fn begin_frame(&mut self, topic: &str, partition: u32, leader_epoch: u32) {
        self.sink.begin_frame(topic, partition, leader_epoch);
    }
    fn accepted_bytes(&self) -> u64 {
        self.sink.accepted_bytes()
    }
    fn written_bytes(&self) -> u64 {
        self.sink.written_bytes()
    }
    fn taken_bytes(&self) -> u64 {
        self.sink.taken_bytes()
    }
    fn reader_gone(&self) -> bool {
        self.sink.reader_gone()
    }
}

/// A member's access to its share-partitions: the documents, the log
/// bounds they follow, and where a new one starts.
pub struct Partitions<'a> {
    pub cluster: &'a Cluster,
    pub paths: &'a SharePaths,
    pub consumer: Consumer,
    pub limits: Limits,
    pub member_id: String,
    from: Option<Position>,
    offset_reset: AutoOffsetReset,
    topics: Vec<String>,
    /// Every partition of the topics (re-read when idle: a topic may grow).
    pub list: Vec<TopicPartition>,
    cursor: usize,
}

impl<'a> Partitions<'a> {
    pub fn new(
        cluster: &'a Cluster,
        paths: &'a SharePaths,
        member_id: &str,
        limits: Limits,
        opts: &ShareMemberOptions,
    ) -> Result<Partitions<'a>> {
        let mut parts = Partitions {
            cluster,
            paths,
            consumer: Consumer::new(cluster),
            limits,
            member_id: member_id.to_string(),
            from: opts.from,
            offset_reset: opts.offset_reset,
            topics: opts.topics.clone(),
            list: Vec::new(),
            cursor: 0,
        };
        parts.refresh()?;
        parts.consumer.watch(&paths.partitions_dir());
        Ok(parts)
    }

    /// Re-reads the topics' partition counts.
    pub fn refresh(&mut self) -> Result<()> {
        let mut list = Vec::new();
        for topic in &self.topics {
            let meta = self.cluster.topic(topic)?;
            list.extend((0..meta.partition_count()).map(|p| TopicPartition::new(topic, p)));
        }
        self.list = list;
        Ok(())
    }

    /// Changes `p`'s state under its lock, after following the log's bounds
    /// and expiring locks that ran out (what that archives waits in the
    /// state for [`Partitions::dead_letter`]). Returns `f`'s answer.
    pub fn change<R>(
        &mut self,
        p: &TopicPartition,
        f: impl FnOnce(&mut super::partition::SharePartitionState, &Limits, u64) -> R,
    ) -> Result<R> {
        let look = self.consumer.look(&p.topic, p.partition)?;
        let (log_start, log_end) = look.bounds();
        let init = if self.paths.partition_file(p).exists() {
            None
        } else {
            let tp = (p.topic.as_str(), p.partition);
            let at = start_position(tp, None, self.from, self.offset_reset, (log_start, log_end))?;
            Some(self.consumer.position_in(&look, at)?.0)
        };
        let limits = self.limits;
        files::with_partition(
            self.cluster,
            self.paths,
            p,
            || Ok(init.unwrap_or(log_start)),
            |s| {
                s.align(log_start, log_end);
                s.expire(now_ms(), &limits);
                Ok(f(s, &limits, log_end))
            },
        )
    }

    /// Acquires up to `max` records from the next partition that has any,
    /// taking the partitions in turn.
    pub fn acquire(&mut self, max: usize) -> Result<Option<(TopicPartition, Vec<Acquired>)>> {
        let n = self.list.len();
        for step in 0..n {
            let p = self.list[(self.cursor + step) % n].clone();
            let member = self.member_id.clone();
            let got = self.change(&p, |s, l, end| s.acquire(&member, now_ms(), l, end, max))?;
            if !got.is_empty() {
                self.cursor = (self.cursor + step + 1) % n;
                return Ok(Some((p, got)));
            }
        }
        Ok(None)
    }

    /// Acknowledges `offsets` of `p` held by this member.
    pub fn acknowledge(&mut self, p: &TopicPartition, offsets: &[u64], kind: AcknowledgeType) -> Result<AckOutcome> {
        let member = self.member_id.clone();
        self.change(p, |s, l, _| s.acknowledge(&member, offsets, kind, l))
    }

    /// Acknowledges a list of `(partition, offset)`, one change per partition.
    pub fn acknowledge_all(&mut self, records: &[(TopicPartition, u64)], kind: AcknowledgeType) -> Result<AckOutcome> {
        let mut by_partition: BTreeMap<TopicPartition, Vec<u64>> = BTreeMap::new();
        for (p, o) in records {
            by_partition.entry(p.clone()).or_default().push(*o);
        }
        let mut total = AckOutcome::default();
        for (p, offsets) in by_partition {
            let out = self.acknowledge(&p, &offsets, kind)?;
            total.done += out.done;
            total.refused.extend(out.refused);
            total.archived.extend(out.archived);
        }
        Ok(total)
    }

    /// The soonest a lock of any share-partition read expires, from now.
    pub fn next_expiry_in(&self) -> Option<Duration> {
        let now = now_ms();
        self.list
            .iter()
            .filter_map(|p| files::load_partition(self.paths, p).ok().flatten())
            .filter_map(|s| s.next_expiry())
            .min()
            .map(|t| Duration::from_millis(u64::try_from(t.saturating_sub(now)).unwrap_or(0)))
    }

    /// Writes the records archived at the delivery limit and waiting for it
    /// to `dead` and marks them done; returns how many.
    pub fn dead_letter(&mut self, dead: &mut dyn DeadLetterSink) -> Result<u64> {
        let mut written = 0;
        for p in self.list.clone() {
            // A look without the lock first: there is rarely anything to write.
            let pending =
                files::load_partition(self.paths, &p)?.is_some_and(|s| s.records.values().any(|r| r.dead_letter));
            if !pending {
                continue;
            }
            // Under the share-partition's lock from the read to the mark, so no
            // two members write the same dead letter.
            let consumer = &mut self.consumer;
            let dead = &mut *dead;
            written += files::with_partition(
                self.cluster,
                self.paths,
                &p,
                || Ok(0),
                |s| {
                    let waiting: BTreeMap<u64, (u32, Option<Exit>)> = s
                        .records
                        .iter()
                        .filter(|(_, r)| r.dead_letter)
                        .map(|(o, r)| (*o, (r.delivery_count, r.last_exit)))
                        .collect();
                    if waiting.is_empty() {
                        return Ok(0);
                    }
                    let offsets: BTreeSet<u64> = waiting.keys().copied().collect();
                    let mut sink = ToDeadLetters { dead: &mut *dead, counts: &waiting, error: None };
                    let read = read_offsets(consumer, &p, &offsets, &mut sink);
                    if let Some(e) = sink.error {
                        return Err(e);
                    }
                    read?;
                    dead.flush()?;
                    let done: Vec<u64> = offsets.into_iter().collect();
                    // Written (or gone from the log): the start offset may pass them.
                    s.dead_lettered(&done);
                    Ok(done.len() as u64)
                },
            )?;
        }
        Ok(written)
    }
}

/// Hands records to a [`DeadLetterSink`] with their delivery counts.
struct ToDeadLetters<'a> {
    dead: &'a mut dyn DeadLetterSink,
    counts: &'a BTreeMap<u64, (u32, Option<Exit>)>,
    error: Option<Error>,
}

impl RecordSink for ToDeadLetters<'_> {
    fn write(&mut self, topic: &str, partition: u32, record: &Record<'_>) -> io::Result<()> {
        let (count, exit) = self.counts.get(&record.offset).copied().unwrap_or((0, None));
        self.dead.write(topic, partition, record, count, exit).map_err(|e| {
            let line = e.message.clone();
            self.error = Some(e);
            io::Error::other(line)
        })
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Runs one share group member until it leaves; see the module doc.
pub fn run_share_member(
    cluster: &Cluster,
    opts: &ShareMemberOptions,
    work: ShareWork<'_>,
    stop: &AtomicBool,
) -> Result<ShareReport> {
    let paths = SharePaths::new(cluster, &opts.group)?;
    let dead_letters = match &work {
        ShareWork::Pipe { dead, .. } => dead.is_some(),
        ShareWork::Batches(handler) => handler.dead_letters(),
    };
    let (member, limits) = ShareMember::join(cluster, &paths, opts)?;
    let limits = Limits { dead_letter: dead_letters, ..limits };
    let mut parts = Partitions::new(cluster, &paths, &member.member_id, limits, opts)?;
    let report = ShareReport {
        member_id: member.member_id.clone(),
        delivered: 0,
        accepted: 0,
        released: 0,
        refused: 0,
        dead_lettered: 0,
        archived: 0,
        failed_batches: 0,
        stop: ShareStop::Drained,
    };
    let outcome = match work {
        ShareWork::Pipe { sink, dead } => {
            let mut run = PipeRun { delivery: Delivery::default(), started: BTreeSet::new(), report };
            run.run(&mut parts, opts, sink, dead, stop).map(|()| run.report)
        }
        ShareWork::Batches(handler) => {
            let mut run = BatchRun { report };
            run.run(&mut parts, opts, handler, stop).map(|()| run.report)
        }
    };
    let _ = member.leave();
    outcome
}

/// What the next acquisition found.
enum Next {
    Batch(TopicPartition, Vec<Acquired>),
    /// Nothing now; a following member waited a little: look again.
    Again,
    /// Nothing, and the member does not follow: it is done.
    Drained,
}

/// Acquires the next batch for a member that may take `max` more records.
fn next_batch(parts: &mut Partitions<'_>, opts: &ShareMemberOptions, max: usize) -> Result<Next> {
    let max = opts.batch.max(1).min(max);
    match parts.acquire(max)? {
        Some((p, got)) => Ok(Next::Batch(p, got)),
        None if !opts.follow => Ok(Next::Drained),
        None => {
            parts.refresh()?;
            let pause = parts.next_expiry_in().map_or(IDLE_WAIT, |d| d.clamp(Duration::from_millis(1), IDLE_WAIT));
            parts.consumer.wait(pause);
            Ok(Next::Again)
        }
    }
}

fn remaining(opts: &ShareMemberOptions, r: &ShareReport) -> usize {
    let left = opts.max_messages.map_or(u64::MAX, |m| m.saturating_sub(r.delivered));
    usize::try_from(left).unwrap_or(usize::MAX)
}

/// The member loop handing batches to a [`BatchHandler`].
struct BatchRun {
    report: ShareReport,
}

impl BatchRun {
    fn run(
        &mut self,
        parts: &mut Partitions<'_>,
        opts: &ShareMemberOptions,
        handler: &mut dyn BatchHandler,
        stop: &AtomicBool,
    ) -> Result<()> {
        self.report.stop = loop {
            if stop.load(Ordering::Relaxed) {
                break ShareStop::Stopped;
            }
            if handler.dead_letters() {
                self.report.dead_lettered += parts.dead_letter(handler)?;
            }
            let left = remaining(opts, &self.report);
            if left == 0 {
                break ShareStop::CountReached;
            }
            let (p, got) = match next_batch(parts, opts, left)? {
                Next::Drained => break ShareStop::Drained,
                Next::Again => continue,
                Next::Batch(p, got) => (p, got),
            };
            let counts: BTreeMap<u64, u32> = got.iter().map(|a| (a.offset, a.delivery_count)).collect();
            let wanted: BTreeSet<u64> = counts.keys().copied().collect();
            let mut into = IntoHandler { handler: &mut *handler, counts: &counts, error: None };
            let read = read_offsets(&mut parts.consumer, &p, &wanted, &mut into);
            if let Some(e) = into.error {
                return Err(e);
            }
            let found = read?;
            let gaps: Vec<u64> = wanted.difference(&found).copied().collect();
            if !gaps.is_empty() {
                parts.acknowledge(&p, &gaps, AcknowledgeType::Gap)?;
            }
            if found.is_empty() {
                continue;
            }
            self.report.delivered += found.len() as u64;
            let offsets: Vec<u64> = found.iter().copied().collect();
            let failed = match handler.run(&p) {
                Err(e) if e.is_output_closed() => {
                    // Our output's reader went while the command ran: the
                    // batch goes back to the group, as the rest would.
                    let member = parts.member_id.clone();
                    parts.change(&p, |s, l, _| s.acknowledge(&member, &offsets, AcknowledgeType::Release, l))?;
                    return Err(e);
                }
                other => other?,
            };
            let kind = if failed.is_none() { AcknowledgeType::Accept } else { AcknowledgeType::Release };
            let member = parts.member_id.clone();
            let out = parts.change(&p, |s, l, _| {
                if let Some(exit) = failed {
                    s.note_exit(&member, &offsets, exit);
                }
                s.acknowledge(&member, &offsets, kind, l)
            })?;
            self.report.refused += out.refused.len() as u64;
            self.report.archived += out.archived.len() as u64;
            if kind == AcknowledgeType::Accept {
                self.report.accepted += out.done as u64;
            } else {
                self.report.failed_batches += 1;
                self.report.released += (out.done - out.archived.len()) as u64;
                let highest = found.iter().filter_map(|o| counts.get(o)).max().copied().unwrap_or(1);
                // Redelivered at once otherwise, to this member or another: a pause
                // keeps a failing command from spinning (a stop ends it).
                pause_unless_stopped(handler.backoff(highest), stop);
            }
        };
        if handler.dead_letters() {
            self.report.dead_lettered += parts.dead_letter(handler)?;
        }
        Ok(())
    }
}

/// Sleeps for `pause`, or less once `stop` is set.
fn pause_unless_stopped(pause: Duration, stop: &AtomicBool) {
    let until = Instant::now().checked_add(pause);
    while !stop.load(Ordering::Relaxed) {
        let left = until.map_or(STOP_POLL, |u| u.saturating_duration_since(Instant::now()));
        if left.is_zero() {
            return;
        }
        std::thread::sleep(left.min(STOP_POLL));
    }
}

/// How often a pause looks at the stop flag.
const STOP_POLL: Duration = Duration::from_millis(50);

/// Hands read records to a [`BatchHandler`] with their delivery counts.
struct IntoHandler<'a> {
    handler: &'a mut dyn BatchHandler,
    counts: &'a BTreeMap<u64, u32>,
    error: Option<Error>,
}

impl RecordSink for IntoHandler<'_> {
    fn write(&mut self, topic: &str, partition: u32, record: &Record<'_>) -> io::Result<()> {
        let count = self.counts.get(&record.offset).copied().unwrap_or(1);
        self.handler.add(topic, partition, record, count).map_err(|e| {
            let line = e.message.clone();
            self.error = Some(e);
            io::Error::other(line)
        })
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The member loop writing to a pipe (or any sink that says what was taken).
struct PipeRun {
    delivery: Delivery,
    started: BTreeSet<TopicPartition>,
    report: ShareReport,
}

impl PipeRun {
    /// The loop, then leaving: what the reader took is accepted, the rest
    /// released.
    fn run(
        &mut self,
        parts: &mut Partitions<'_>,
        opts: &ShareMemberOptions,
        sink: &mut dyn RecordSink,
        mut dead: Option<&mut dyn DeadLetterSink>,
        stop: &AtomicBool,
    ) -> Result<()> {
        let outcome = self.drive(parts, opts, sink, &mut dead, stop);
        let flushed = match &outcome {
            Err(e) if e.is_output_closed() => false,
            _ => sink.flush().is_ok(),
        };
        if flushed {
            self.wait_taken(sink, DRAIN_WAIT);
        }
        let settled = self.settle(parts, sink);
        let untaken = self.delivery.take_untaken();
        let released = parts.acknowledge_all(&untaken, AcknowledgeType::Release);
        if let Some(dead) = dead.as_mut()
            && outcome.is_ok()
        {
            self.report.dead_lettered += parts.dead_letter(&mut **dead)?;
        }
        self.report.stop = outcome?;
        settled?;
        let released = released?;
        self.report.released += (released.done - released.archived.len()) as u64;
        self.report.archived += released.archived.len() as u64;
        self.report.refused += released.refused.len() as u64;
        Ok(())
    }

    fn drive(
        &mut self,
        parts: &mut Partitions<'_>,
        opts: &ShareMemberOptions,
        sink: &mut dyn RecordSink,
        dead: &mut Option<&mut dyn DeadLetterSink>,
        stop: &AtomicBool,
    ) -> Result<ShareStop> {
        loop {
            self.settle(parts, sink)?;
            if stop.load(Ordering::Relaxed) {
                return Ok(ShareStop::Stopped);
            }
            if self.delivery.untaken() > 0 {
                // The next batch waits until the reader took this one.
                if sink.reader_gone() {
                    return Err(Error::output(io::Error::from(io::ErrorKind::BrokenPipe)));
                }
                std::thread::sleep(TAKEN_POLL);
                continue;
            }
            let left = remaining(opts, &self.report);
            if left == 0 {
                return Ok(ShareStop::CountReached);
            }
            if let Some(dead) = dead.as_deref_mut() {
                self.report.dead_lettered += parts.dead_letter(dead)?;
            }
            match next_batch(parts, opts, left)? {
                Next::Batch(p, got) => self.deliver(parts, &p, &got, sink)?,
                Next::Again => {}
                Next::Drained => return Ok(ShareStop::Drained),
            }
        }
    }

    /// Writes an acquired batch to the sink, marking each record; offsets
    /// the log lacks are acknowledged as gaps.
    fn deliver(
        &mut self,
        parts: &mut Partitions<'_>,
        p: &TopicPartition,
        got: &[Acquired],
        sink: &mut dyn RecordSink,
    ) -> Result<()> {
        if self.started.insert(p.clone()) {
            self.delivery.start(p, None);
        }
        let wanted: BTreeSet<u64> = got.iter().map(|a| a.offset).collect();
        let mut tracked = Tracked { sink: &mut *sink, delivery: &mut self.delivery };
        let found = read_offsets(&mut parts.consumer, p, &wanted, &mut tracked)?;
        self.report.delivered += found.len() as u64;
        let gaps: Vec<u64> = wanted.difference(&found).copied().collect();
        if !gaps.is_empty() {
            parts.acknowledge(p, &gaps, AcknowledgeType::Gap)?;
        }
        sink.flush().map_err(Error::output)
    }

    /// Accepts every record the reader took since the last look.
    fn settle(&mut self, parts: &mut Partitions<'_>, sink: &dyn RecordSink) -> Result<()> {
        let taken = self.delivery.taken(sink.taken_bytes());
        if taken.is_empty() {
            return Ok(());
        }
        let out = parts.acknowledge_all(&taken, AcknowledgeType::Accept)?;
        self.report.accepted += out.done as u64;
        self.report.refused += out.refused.len() as u64;
        Ok(())
    }

    /// Waits until the reader took everything, went away, or `limit` passed
    /// (the marks are dropped by `settle`, with their acknowledgements).
    fn wait_taken(&mut self, sink: &dyn RecordSink, limit: Duration) {
        let started = Instant::now();
        while sink.taken_bytes() < sink.accepted_bytes() && !sink.reader_gone() && started.elapsed() < limit {
            std::thread::sleep(TAKEN_POLL);
        }
    }
}

//! The [`ExecSink`]: records a group member delivers are queued per
//! partition and run through the command a batch at a time (`--batch`
//! records, or fewer once the oldest waited `--batch-timeout`, or when the
//! member leaves), batches of different partitions in parallel (at most
//! `--parallel`), one batch per partition at a time so its order holds.
//! A failed batch is tried again one record at a time after a backoff; a
//! record the command failed on `--max-deliver` times goes to the
//! dead-letter topic, or, without one, stops the member (exit 123) with
//! nothing after it done. The sink reports a record taken — committable —
//! only once it is done: the command succeeded on it (and with `--to` its
//! outputs are appended) or it was dead-lettered.
//!
//! The commands run on worker threads; everything else (retries, dead
//! letters, `--to` appends) happens on the member's thread, whenever the
//! member writes or flushes. A write blocks while its partition already
//! has a full batch waiting, so memory stays bounded. Delivery counts are
//! kept with the group where there is a [`DeliveryStore`] (a data dir),
//! else in this process. On a data dir, a [`Fence`] keeps a member that
//! lost a partition while its command ran (evicted) from appending or
//! launching anything more of it.

use std::collections::HashMap;
use std::io;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use super::dead_letter::{self, Failure};
use super::deliveries::DeliveryStore;
use super::exactly_once::{ExactlyOnce, Published};
use super::fence::{Fence, Token};
use super::record::Item;
use super::work::PartitionWork;
use crate::backend::Backend;
use crate::cluster::TopicMeta;
use crate::consumer::exec::{Backoff, BatchEnv, Exit, Outcome, Program, StdoutTo, run_batch};
use crate::consumer::{RecordSink, TopicPartition};
use crate::error::{Error, ErrorKind, Reason, Result};
use crate::output::records::RecordFormat;
use crate::store::Record;

/// The longest the member's thread sleeps waiting for a command.
const WAIT_STEP: Duration = Duration::from_millis(50);

/// Records queued (not yet in a batch) in all partitions at which a write
/// waits for the commands (or twice `--batch`, if more).
pub const BACKLOG_RECORDS: usize = 20_000;
/// The same in bytes held.
pub const BACKLOG_BYTES: usize = 16 << 20;

/// `consume --exec` and its flags.
#[derive(Debug, Clone)]
pub struct ExecOptions {
    pub command: String,
    /// How records are written to the command (every `consume --format`).
    pub format: RecordFormat,
    pub batch: usize,
    pub batch_timeout: Duration,
    pub backoff: Backoff,
    /// Deliveries of a record before it is dead-lettered (or the member stops).
    pub max_deliver: u32,
    /// Batches of different partitions running at once.
    pub parallel: usize,
    pub group: Option<String>,
    /// The dead-letter topic, created (one partition) when missing.
    pub dead_letter: Option<String>,
    /// Prints a warning line (a batch dropped by the fence).
    pub warn: fn(&str),
    /// Set when the member is asked to stop (SIGINT/SIGTERM): nothing more
    /// starts — no batch, no retry — and the tries running end; what is
    /// not done is not committed, so the group hands it out again.
    pub stop: Option<Arc<AtomicBool>>,
}

/// A try that ended.
struct Done {
    topic: String,
    partition: u32,
    result: io::Result<Outcome>,
}

/// See the module doc.
pub struct ExecSink<'a> {
    opts: ExecOptions,
    backend: &'a dyn Backend,
    to: Option<ExactlyOnce<'a>>,
    /// Where delivery counts are kept across members (a data dir).
    counts: Option<DeliveryStore>,
    /// Fences appends by the partition's claim (a data dir).
    fence: Option<Arc<Fence>>,
    /// The member's taking of each partition it claimed (with a fence).
    tokens: HashMap<(String, u32), Option<Token>>,
    dead_letter: Option<TopicMeta>,
    parts: Vec<PartitionWork>,
    /// What was done of each partition let go (its last `done_seq`): still
    /// reported taken, so the member commits a batch that ended while the
    /// partition was released, before its next owner starts.
    released: HashMap<(String, u32), u64>,
    /// Records accepted so far: each record's "end" is its number.
    accepted: u64,
    running: usize,
    /// Where the next launch looks first (fair among partitions).
    cursor: usize,
    /// What starts for each batch (the command, resolved once).
    program: Arc<Program>,
    tx: Sender<Done>,
    rx: Receiver<Done>,
    failed: Option<Error>,
}

impl<'a> ExecSink<'a> {
    /// Resolves (or creates) the dead-letter topic first. `counts`: where
    /// delivery counts are kept across members, if anywhere; `fence`: what
    /// fences the appends of a member that lost a partition (a data dir;
    /// `to`'s own fence).
    pub fn new(
        opts: ExecOptions,
        backend: &'a dyn Backend,
        to: Option<ExactlyOnce<'a>>,
        counts: Option<DeliveryStore>,
        fence: Option<Arc<Fence>>,
    ) -> Result<Self> {
        let dead_letter = match &opts.dead_letter {
            None => None,
            Some(name) => Some(match backend.find_topic(name)? {
                Some(meta) => meta,
                None => {
                    let spec = crate::cluster::TopicSpec {
                        name: name.clone(),
                        partitions: 1,
                        replication_factor: 1,
                        config: Vec::new(),
                    };
                    match backend.create_topic(&spec) {
                        Ok(created) => created.meta,
                        // Another member created it meanwhile.
                        Err(e) if e.kind == ErrorKind::Conflict => backend.topic(name)?,
                        Err(e) => return Err(e),
                    }
                }
            }),
        };
        let (tx, rx) = mpsc::channel();
        let program = Arc::new(Program::from_env(&opts.command));
        Ok(ExecSink {
            program,
            opts,
            backend,
            to,
            counts,
            fence,
            tokens: HashMap::new(),
            dead_letter,
            parts: Vec::new(),
            released: HashMap::new(),
            accepted: 0,
            running: 0,
            cursor: 0,
            tx,
            rx,
            failed: None,
        })
    }

    fn find(&self, topic: &str, partition: u32) -> Option<usize> {
        self.parts.iter().position(|w| w.partition == partition && w.topic == topic)
    }

    /// The work of `topic`'s `partition`, taken up (an exactly-once intent
    /// recovered) when new, or again when the member went back in it
    /// (a rejoin: what it had queued is dropped).
    fn entry(&mut self, topic: &str, partition: u32, offset: u64) -> Result<usize> {
        if let Some(i) = self.find(topic, partition) {
            if self.parts[i].last_offset.is_none_or(|last| offset > last) {
                return Ok(i);
            }
            self.release_one(i);
        }
        let mut work = PartitionWork::new(topic, partition);
        // Records are numbered across partitions, so what was done before
        // stays done and no new record is counted in it.
        work.done_seq = self.released.remove(&(topic.to_string(), partition)).unwrap_or(0);
        work.token = self.tokens.get(&(topic.to_string(), partition)).cloned().flatten();
        if let Some(to) = &self.to {
            work.skip_below = to.recover(topic, partition, offset)?;
        }
        if let Some(counts) = &self.counts {
            work.known_deliveries = counts.load(topic, partition)?;
        }
        self.parts.push(work);
        Ok(self.parts.len() - 1)
    }

    fn error_to_io(e: &Error) -> io::Error {
        io::Error::other(e.clone())
    }

    /// The member was asked to stop: nothing more starts.
    fn stopping(&self) -> bool {
        self.opts.stop.as_ref().is_some_and(|s| s.load(Ordering::Relaxed))
    }

    fn check(&self) -> io::Result<()> {
        match &self.failed {
            Some(e) => Err(Self::error_to_io(e)),
            None => Ok(()),
        }
    }

    /// Takes in finished tries, then starts what is due: retries whose
    /// backoff passed, full batches, partial ones whose oldest record waited
    /// `--batch-timeout` (all partial ones with `force`: at the end, and
    /// when the queue is full with nothing running, see `write`). Once the
    /// member is stopping, only takes in what ended.
    fn pump(&mut self, force: bool) {
        while let Ok(done) = self.rx.try_recv() {
            self.on_done(done);
        }
        if self.failed.is_some() || self.parts.is_empty() || self.stopping() {
            return;
        }
        let now = Instant::now();
        let n = self.parts.len();
        for k in 0..n {
            if self.running >= self.opts.parallel {
                break;
            }
            let i = (self.cursor + k) % n;
            let w = &mut self.parts[i];
            let due = match &w.batch {
                Some(b) => !b.running && b.retry_at.is_none_or(|t| t <= now),
                None => {
                    let full = w.queue.len() >= self.opts.batch;
                    let waited = w.oldest.is_some_and(|t| now.duration_since(t) >= self.opts.batch_timeout);
                    let start = !w.queue.is_empty() && (full || force || waited);
                    if start {
                        w.start_batch(self.opts.batch);
                    }
                    start
                }
            };
            if due {
                self.launch(i);
                self.cursor = (i + 1) % n;
            }
        }
    }

    /// Starts a try of partition `i`'s current unit on a worker thread.
    fn launch(&mut self, i: usize) {
        // A member that lost the partition (evicted while it was stopped)
        // runs nothing more of it.
        if let Some(fence) = &self.fence {
            let w = &self.parts[i];
            match fence.holds(w.token.as_ref(), &w.topic, w.partition) {
                Ok(true) => {}
                Ok(false) => {
                    let unit = w.batch.as_ref().map(|b| b.unit()).unwrap_or_default();
                    let offsets = match (unit.first(), unit.last()) {
                        (Some(f), Some(l)) => format!("{}-{}", f.offset, l.offset),
                        _ => "?".to_string(),
                    };
                    let what = format!(
                        "before the command ran on offsets {offsets}; the batch and what is queued after it are dropped"
                    );
                    return self.fenced_out(i, &what);
                }
                Err(e) => {
                    self.failed = Some(e);
                    return;
                }
            }
        }
        let w = &mut self.parts[i];
        let Some(batch) = w.batch.as_mut() else { return };
        for item in batch.unit_mut() {
            item.deliveries += 1;
        }
        batch.running = true;
        let unit = batch.unit();
        let (Some(first), Some(last)) = (unit.first(), unit.last()) else { return };
        let env = BatchEnv {
            topic: w.topic.clone(),
            partition: w.partition,
            first_offset: first.offset,
            last_offset: last.offset,
            count: unit.len(),
            key: if unit.len() == 1 { first.key.clone() } else { None },
            delivery: unit.iter().map(|i| i.deliveries).max().unwrap_or(1),
            group: self.opts.group.clone(),
        };
        let input: Vec<u8> = unit.iter().flat_map(|i| i.formatted.iter().copied()).collect();
        let program = Arc::clone(&self.program);
        let stdout = if self.to.is_some() { StdoutTo::Capture } else { StdoutTo::Inherit };
        let tx = self.tx.clone();
        let (topic, partition) = (w.topic.clone(), w.partition);
        self.running += 1;
        let spawned = std::thread::Builder::new().name("runnel-exec".into()).spawn(move || {
            let result = run_batch(&program, &input, &env, stdout);
            let _ = tx.send(Done { topic, partition, result });
        });
        if let Err(e) = spawned {
            self.running -= 1;
            self.failed = Some(Error::other(format!("cannot start a thread for the command: {e}")));
        }
    }

    /// A try ended: done records advance the partition; a failure is
    /// retried, dead-lettered or fatal.
    fn on_done(&mut self, done: Done) {
        self.running = self.running.saturating_sub(1);
        let Some(i) = self.find(&done.topic, done.partition) else { return };
        let outcome = match done.result {
            Ok(outcome) => outcome,
            // The command died writing to our closed output: we stop as
            // a closed output, its batch neither done nor failed.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.failed = Some(Error::output(e));
                return;
            }
            Err(e) => {
                let what = format!("run the command '{}' with", self.opts.command);
                self.failed = Some(Error::io(&what, Path::new("sh -c"), e));
                return;
            }
        };
        let Some(mut batch) = self.parts[i].batch.take() else { return };
        batch.running = false;
        if outcome.exit.success() {
            let unit = batch.unit();
            let (first, last, seq) = match (unit.first(), unit.last()) {
                (Some(f), Some(l)) => (f.offset, l.offset, l.seq),
                _ => return,
            };
            if let Some(to) = &self.to {
                let token = self.parts[i].token.as_ref();
                match to.publish(token, &done.topic, done.partition, first, last, &outcome.stdout) {
                    Ok(Published::Appended) => {}
                    Ok(Published::Fenced) => {
                        let what = format!("while the command ran on offsets {first}-{last}; its outputs are dropped");
                        return self.fenced_out(i, &what);
                    }
                    Err(e) => {
                        self.failed = Some(e);
                        return;
                    }
                }
            }
            self.parts[i].done_seq = seq;
            if !batch.unit_done() {
                self.parts[i].batch = Some(batch);
            }
            return;
        }
        // Failed: go on one record at a time; set aside (or stop at) the
        // records that reached the limit.
        if batch.unit().len() > 1 {
            batch.one_by_one = true;
        }
        if let Some(counts) = &self.counts {
            let left = batch.items[batch.next..].iter().map(|i| (i.offset, i.deliveries));
            if let Err(e) = counts.save(&done.topic, done.partition, left) {
                self.failed = Some(e);
                return;
            }
        }
        let mut letters = Vec::new();
        let mut last_lettered = None;
        while let Some(head) = batch.unit().first() {
            if head.deliveries < self.opts.max_deliver {
                batch.retry_at = Some(Instant::now() + self.opts.backoff.after(head.deliveries));
                break;
            }
            if self.dead_letter.is_none() {
                self.failed = Some(self.fatal(&done.topic, done.partition, head, outcome.exit));
                break;
            }
            let failure = Failure {
                topic: &done.topic,
                partition: done.partition,
                group: self.opts.group.as_deref(),
                command: &self.opts.command,
                exit: Some(outcome.exit),
                stderr_tail: &outcome.stderr_tail,
            };
            let Some(to) = &self.dead_letter else { break };
            if let Err(e) = dead_letter::envelope(head, &failure, to, &mut letters) {
                self.failed = Some(e);
                return;
            }
            last_lettered = Some(head.seq);
            if batch.unit_done() {
                break;
            }
            batch.one_by_one = true;
        }
        if let Some(seq) = last_lettered {
            let offset = |item: Option<&Item>| item.map_or(0, |item| item.offset);
            let (first, last) = (offset(batch.items.first()), offset(batch.items.last()));
            match self.send_dead_letters(i, &letters) {
                Ok(Published::Appended) => self.parts[i].done_seq = seq,
                Ok(Published::Fenced) => {
                    let what = format!("while the command ran on offsets {first}-{last}; its dead letters are dropped");
                    return self.fenced_out(i, &what);
                }
                Err(e) => {
                    self.failed = Some(e);
                    return;
                }
            }
        }
        if !batch.finished() {
            self.parts[i].batch = Some(batch);
        }
    }

    fn fatal(&self, topic: &str, partition: u32, item: &Item, exit: Exit) -> Error {
        Error::new(
            ErrorKind::CommandFailed,
            format!(
                "the command failed on {topic}-{partition} offset {} {} time{} (last: {exit}); \
                 the group's offsets stop before that record",
                item.offset,
                item.deliveries,
                if item.deliveries == 1 { "" } else { "s" }
            ),
        )
        .because(Reason::CommandFailed)
    }

    /// Appends dead letters of partition `i`: with a fence, under its exec
    /// lock and only while the member still holds the partition.
    fn send_dead_letters(&self, i: usize, envelopes: &[u8]) -> Result<Published> {
        let Some(meta) = &self.dead_letter else { return Ok(Published::Appended) };
        let w = &self.parts[i];
        let _exec = match &self.fence {
            Some(fence) => {
                let guard = fence.lock(&w.topic, w.partition)?;
                if !fence.holds(w.token.as_ref(), &w.topic, w.partition)? {
                    return Ok(Published::Fenced);
                }
                Some(guard)
            }
            None => None,
        };
        super::append_envelopes(self.backend, meta, envelopes, "writing to the dead-letter topic")?;
        Ok(Published::Appended)
    }

    /// The partition of work `i` was taken from this member (`what`: when,
    /// and what is dropped): the batch and everything queued of the
    /// partition are dropped until the member takes it up again (it is
    /// fenced in the group too, and rejoins); its new owner runs them.
    fn fenced_out(&mut self, i: usize, what: &str) {
        let w = &mut self.parts[i];
        if !w.fenced {
            (self.opts.warn)(&format!(
                "group '{}': this member lost {}-{} (evicted: silent past --session-timeout) {what}; \
                 the partition's new owner runs them; rejoining",
                self.opts.group.as_deref().unwrap_or_default(),
                w.topic,
                w.partition
            ));
        }
        w.clear_queue();
        w.batch = None;
        w.fenced = true;
    }

    /// Waits for a try to end, or until the next retry or batch timeout is
    /// due (at most [`WAIT_STEP`]).
    fn wait_some(&mut self) {
        match self.rx.recv_timeout(WAIT_STEP) {
            Ok(done) => self.on_done(done),
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {}
        }
    }

    /// Enough is queued: the member waits for the commands before it
    /// reads more. Bounded in all, not per partition, since the member
    /// delivers a whole frame of one partition at a time.
    fn backlogged(&self) -> bool {
        let records: usize = self.parts.iter().map(|w| w.queue.len()).sum();
        let bytes: usize = self.parts.iter().map(|w| w.queued_bytes).sum();
        records >= BACKLOG_RECORDS.max(self.opts.batch.saturating_mul(2)) || bytes >= BACKLOG_BYTES
    }

    /// Stops working on partition `i`: drops what is queued, lets a running
    /// try end (its success counts; no retry follows) and forgets it.
    fn release_one(&mut self, i: usize) {
        let (topic, partition) = (self.parts[i].topic.clone(), self.parts[i].partition);
        self.parts[i].clear_queue();
        while self.running > 0 {
            match self.find(&topic, partition) {
                Some(j) if self.parts[j].batch.as_ref().is_some_and(|b| b.running) => self.wait_some(),
                _ => break,
            }
        }
        if let Some(j) = self.find(&topic, partition) {
            let work = self.parts.remove(j);
            self.released.insert((topic, partition), work.done_seq);
        }
        self.cursor = 0;
    }
}

impl RecordSink for ExecSink<'_> {
    fn write(&mut self, topic: &str, partition: u32, record: &Record<'_>) -> io::Result<()> {
        self.check()?;
        self.accepted += 1;
        let seq = self.accepted;
        let i = self.entry(topic, partition, record.offset).map_err(|e| Self::error_to_io(&e))?;
        let w = &mut self.parts[i];
        w.last_offset = Some(record.offset);
        if w.fenced {
            // Not this member's any more: its new owner runs it.
            return Ok(());
        }
        if record.offset < w.skip_below && w.idle() {
            // Done by an earlier run whose commit did not land (exactly once).
            w.done_seq = seq;
            return Ok(());
        }
        let mut formatted = Vec::new();
        self.opts.format.format(topic, partition, record, &mut formatted);
        let mut item = Item::new(seq, record, formatted);
        item.deliveries = w.known_deliveries.get(&record.offset).copied().unwrap_or(0);
        w.push(item);
        self.pump(false);
        while self.failed.is_none() && self.backlogged() && !self.stopping() {
            if self.running == 0 {
                // No batch is full and none runs: the member reads nothing
                // more until the queue drains, so waiting out
                // `--batch-timeout` could not fill one. Run the partial ones.
                self.pump(true);
            }
            self.wait_some();
            self.pump(false);
        }
        self.check()
    }

    fn flush(&mut self) -> io::Result<()> {
        self.pump(false);
        self.check()
    }

    fn accepted_bytes(&self) -> u64 {
        self.accepted
    }

    fn written_bytes(&self) -> u64 {
        self.accepted
    }

    fn taken_bytes_of(&self, topic: &str, partition: u32) -> u64 {
        match self.find(topic, partition) {
            Some(i) => self.parts[i].done_seq,
            None => self.released.get(&(topic.to_string(), partition)).copied().unwrap_or(0),
        }
    }

    /// Nothing more will be done once the member is stopping or the
    /// command failed for good: a leaving member need not wait for it.
    fn reader_gone(&self) -> bool {
        self.stopping() || self.failed.is_some()
    }

    /// Runs the partial batches too, and waits until every record is done
    /// (or the command failed for good, or the member is stopping: then
    /// until the running tries ended).
    fn finish(&mut self) -> io::Result<()> {
        while !self.finish_step()? {}
        Ok(())
    }

    fn finish_step(&mut self) -> io::Result<bool> {
        self.pump(true);
        let nothing_left = self.failed.is_some() || self.stopping() || self.parts.iter().all(PartitionWork::idle);
        if self.running == 0 && nothing_left {
            // After a failure the other partitions' running tries ended too.
            return self.check().map(|()| true);
        }
        self.wait_some();
        Ok(false)
    }

    fn release(&mut self, partitions: &[TopicPartition]) -> io::Result<bool> {
        for p in partitions {
            if let Some(i) = self.find(&p.topic, p.partition) {
                self.release_one(i);
            }
        }
        self.check().map(|()| true)
    }

    /// A new taking of the partition: what is left of an earlier one (a
    /// member fenced and rejoined) is let go — a running command ends first
    /// and its appends are fenced by the earlier taking's token — and the
    /// appends from now on are fenced by this one's.
    fn claimed(&mut self, topic: &str, partition: u32, member_id: &str) -> io::Result<()> {
        if let Some(i) = self.find(topic, partition) {
            self.release_one(i);
        }
        if let Some(fence) = &self.fence {
            let token = fence.taken_by(topic, partition, member_id).map_err(|e| Self::error_to_io(&e))?;
            self.tokens.insert((topic.to_string(), partition), token);
        }
        self.check()
    }
}

impl Drop for ExecSink<'_> {
    /// No command outlives the sink: the running tries end first.
    fn drop(&mut self) {
        while self.running > 0 {
            match self.rx.recv() {
                Ok(_) => self.running -= 1,
                Err(_) => break,
            }
        }
    }
}

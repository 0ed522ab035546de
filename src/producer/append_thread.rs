//! The producer's append threads: full frames are handed over channels to
//! threads that own the partition writers and append them (lock, replicate,
//! write), while the caller goes on reading and encoding input — on two
//! cores, parsing and writing overlap instead of adding up. Many partitions
//! get two threads, each owning every other partition, so the appends left
//! when the input ends run on both cores. A partition is opened as soon as
//! the caller knows it will get a frame, while that frame is still filling.
//! Memory in flight is bounded in bytes, not frames: a sender waits while
//! more than the budget is queued, so a thousand small frames can be queued
//! at once (and the caller keeps parsing) as safely as a few large ones.
//! One thread per partition, one FIFO per thread: frames of a partition are
//! appended in the order they were sent. Jobs go in batches, one wake-up
//! each. A thread takes everything that has arrived before each append, and
//! a partition's frames that queued up meanwhile go out together, under one
//! hold of its lock and with one write per replica (`Gathered`, below).
//! The first failure stops its thread; the caller sees it at its next
//! send, flush or finish. Emptied frame buffers come back for reuse. Every
//! few MiB appended, a write-back thread asks the disk to start writing
//! them, so the sync at the end has little left to do and no append waits
//! for the disk meanwhile; each thread syncs its partitions as soon as its
//! last frame is appended.
//!
//! Threads are started when first needed (startup is a budget for the
//! many one-line invocations of a shell script): an append thread when its
//! first batch of jobs is handed over before the end of input, the
//! write-back thread at the first write-back. An input that ends before
//! any hand-over (a line or a few) is appended and synced by the caller's
//! own thread, with no thread started.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender, TryRecvError};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use super::early_flush::EarlyFlush;
use super::open_writers::OpenWriters;
use crate::cluster::replication::partition_writer::{Acks, PartitionWriter, sync_and_close_writers};
use crate::cluster::{Cluster, TopicMeta};
use crate::error::{Error, Result};
use crate::store::{FrameBuilder, IndexWrites, Repair, WriteBack};

/// Emptied frame buffers kept for reuse at most.
const SPARES: usize = 4096;
/// Bytes a thread appends between two requests to start writing them back.
const WRITE_BACK_EVERY: usize = 4 << 20;
/// A partition's appended bytes are handed to the write-back thread once
/// at least this many wait. Each `sync_file_range` costs CPU whatever its
/// length (allocating the blocks, submitting the I/O: 86 µs on average
/// over the calls of a 1000-partition run), so starting every few KiB a
/// partition gets when the keys spread over hundreds of partitions costs
/// more than the final fsync saves; starting none leaves all of it to that
/// fsync. On the disk, 1M lines into 1000 partitions (medians of 8-10):
/// every range 284 ms, at least 16 KiB 267, 64 KiB 243, 128 KiB 263,
/// 256 KiB 291 (the final fsyncs 34 ms at 64 KiB against 66-72).
const WRITE_BACK_AT_LEAST: u64 = 64 << 10;
/// Jobs handed to a thread at once, at most.
const BATCH: usize = 32;
/// The most bytes of gathered frames ([`Gathered`]) appended with one write.
const GATHER_AT_MOST: usize = 1 << 20;
/// Above this many partitions, two threads append.
const TWO_THREADS_ABOVE: u32 = 32;

/// What the append threads have done so far, for progress and the summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Appended {
    pub messages: u64,
    pub bytes: u64,
    pub per_partition: Vec<u64>,
    pub repairs: Vec<Repair>,
}

/// How an append thread ended: its partitions appended and synced, or why
/// not; and its writers, for the caller to close once every thread has
/// ended (see [`AppendThread::stop`]).
type WorkerEnd = (Result<()>, Vec<PartitionWriter>);

enum Job {
    Frame {
        partition: u32,
        frame: FrameBuilder,
        messages: u64,
        /// `Now` for the partition's last frame for now (its entries and
        /// any held back before go with it); the others hold theirs back.
        index: IndexWrites,
    },
    /// A partition about to get frames: open it now, while the caller is
    /// still filling its first frame.
    Open(u32),
    /// Answered once every frame sent before it is appended.
    Barrier(SyncSender<()>),
}

/// Emptied frame buffers, back from the append threads for reuse (at most
/// [`SPARES`]). A list that grows as buffers come back: a bounded channel
/// of that many slots would be allocated and written whole at startup.
#[derive(Default)]
struct Spares(Mutex<Vec<FrameBuilder>>);

impl Spares {
    fn put(&self, frame: FrameBuilder) {
        if let Ok(mut spares) = self.0.lock()
            && spares.len() < SPARES
        {
            spares.push(frame);
        }
    }

    fn take(&self) -> Option<FrameBuilder> {
        self.0.lock().ok()?.pop()
    }
}

/// Bytes handed to the append threads and not appended yet.
#[derive(Debug, Default)]
struct InFlight {
    counts: Mutex<InFlightCounts>,
    appended: Condvar,
}

#[derive(Debug, Default)]
struct InFlightCounts {
    bytes: usize,
    /// The count a waiting sender waits to fall to: the append that brings
    /// it there wakes the sender, once. Waking it at every append instead
    /// (hundreds of frames while the threads catch up) cost a futex wake
    /// per frame on the appending side and a context switch on the other.
    wake_at: Option<usize>,
}

impl InFlight {
    fn add(&self, n: usize) -> usize {
        self.counts
            .lock()
            .map(|mut c| {
                c.bytes += n;
                c.bytes
            })
            .unwrap_or(0)
    }

    /// Counts `n` bytes appended; wakes the waiting sender if this brings
    /// the count to what it waits for, and says whether it did.
    fn done(&self, n: usize) -> bool {
        let wake = self.counts.lock().is_ok_and(|mut c| {
            c.bytes = c.bytes.saturating_sub(n);
            let reached = c.wake_at.is_some_and(|limit| c.bytes <= limit);
            if reached {
                c.wake_at = None;
            }
            reached
        });
        if wake {
            self.appended.notify_all();
        }
        wake
    }

    /// Waits (a while) until at most `limit` bytes are in flight.
    fn wait_below(&self, limit: usize) -> bool {
        let Ok(mut counts) = self.counts.lock() else { return true };
        // Set under the lock: the append that lowers the count to `limit`
        // after this sees it and wakes the sender.
        counts.wake_at = Some(limit);
        let waited = self.appended.wait_timeout_while(counts, Duration::from_millis(50), |c| c.bytes > limit);
        waited.is_ok_and(|(mut c, _)| {
            c.wake_at = None;
            c.bytes <= limit
        })
    }
}

/// One append thread as the producer sees it.
struct WorkerHandle {
    jobs: Option<Sender<Vec<Job>>>,
    /// Jobs not handed over yet: they go in batches, one wake-up each.
    pending: Vec<Job>,
    state: WorkerState,
}

/// Whether an append thread runs.
enum WorkerState {
    /// Not started: no job was handed over yet.
    Idle(Box<(Worker, Receiver<Vec<Job>>, OpenWriters)>),
    Running(JoinHandle<WorkerEnd>),
    /// Joined (or run to its end on the caller's thread).
    Ended,
}

impl WorkerHandle {
    /// Starts the thread if it is not running yet.
    fn start(&mut self) -> Result<()> {
        if let WorkerState::Idle(_) = self.state
            && let WorkerState::Idle(idle) = std::mem::replace(&mut self.state, WorkerState::Ended)
        {
            let (worker, inbox, open) = *idle;
            self.state = WorkerState::Running(spawn("runnel-append", move || worker.run(inbox, open, true))?);
        }
        Ok(())
    }

    /// Whether the thread ran and stopped (on an error, before `finish`).
    fn stopped_early(&self) -> bool {
        match &self.state {
            WorkerState::Idle(_) => false,
            WorkerState::Running(thread) => thread.is_finished(),
            WorkerState::Ended => true,
        }
    }

    /// Waits for the thread's end; one never started runs here, on the
    /// caller's thread, with the jobs handed over to it.
    fn join(&mut self) -> WorkerEnd {
        match std::mem::replace(&mut self.state, WorkerState::Ended) {
            WorkerState::Running(thread) => thread
                .join()
                .unwrap_or_else(|_| (Err(Error::other("internal error: an append thread failed")), Vec::new())),
            WorkerState::Idle(idle) => {
                // Run on the caller's thread at the end of the input: each
                // frame follows at once, so opening ahead would only take
                // the partition lock twice.
                let (worker, inbox, open) = *idle;
                worker.run(inbox, open, false)
            }
            WorkerState::Ended => (Err(Error::other("internal error: an append thread already finished")), Vec::new()),
        }
    }
}

/// The running write-back thread's queue and handle.
type RunningWriteBack = (Sender<Vec<WriteBack>>, JoinHandle<()>);

/// The write-back thread, started at the first write-back: it asks the
/// disk to start writing what the append threads wrote, without holding
/// up their appends, and asks for an early flush as the bytes add up
/// ([`EarlyFlush`]).
#[derive(Default)]
struct WriteBackThread {
    running: Mutex<Option<RunningWriteBack>>,
    /// Set once an append thread has appended its last frame: its fsyncs
    /// write back whatever is left, so write-backs still queued are dropped.
    done: Arc<AtomicBool>,
    /// The run ends in fsyncs (not `--acks 0`): flush early as it goes
    /// ([`EarlyFlush`]).
    flush_early: bool,
}

impl WriteBackThread {
    /// Hands `ranges` over, starting the thread if need be (or, if it
    /// cannot start, starts their write-back here: it is a head start).
    fn send(&self, ranges: Vec<WriteBack>) {
        let Ok(mut running) = self.running.lock() else { return };
        if running.is_none() {
            let (sender, inbox) = mpsc::channel::<Vec<WriteBack>>();
            let done = Arc::clone(&self.done);
            let flush_early = self.flush_early;
            let thread = spawn("runnel-writeback", move || {
                let mut early = EarlyFlush::new(flush_early);
                for batch in inbox {
                    for range in batch.iter().take_while(|_| !done.load(Ordering::Relaxed)) {
                        range.start();
                        early.written_back(range.len, &range.path);
                    }
                }
            });
            match thread {
                Ok(thread) => *running = Some((sender, thread)),
                Err(_) => return ranges.iter().for_each(WriteBack::start),
            }
        }
        if let Some((sender, _)) = running.as_ref() {
            let _ = sender.send(ranges);
        }
    }

    /// Drops what is still queued and waits for the thread's end.
    fn stop(&self) {
        self.done.store(true, Ordering::Relaxed);
        let running = self.running.lock().ok().and_then(|mut r| r.take());
        if let Some((sender, thread)) = running {
            drop(sender);
            let _ = thread.join();
        }
    }
}

/// The handle the producer keeps on its append threads.
pub struct AppendThread {
    workers: Vec<WorkerHandle>,
    write_back: Arc<WriteBackThread>,
    spares: Arc<Spares>,
    shared: Arc<Mutex<Appended>>,
    in_flight: Arc<InFlight>,
    /// Senders wait while more than this many bytes are in flight.
    budget: usize,
}

impl AppendThread {
    /// Prepares the threads (each starts at its first hand-over); senders
    /// wait while more than `budget` bytes are queued.
    pub fn start(cluster: &Cluster, topic: &TopicMeta, acks: Acks, budget: usize) -> Result<AppendThread> {
        let spares = Arc::new(Spares::default());
        let n = topic.partition_count();
        let shared = Arc::new(Mutex::new(Appended { per_partition: vec![0; n as usize], ..Appended::default() }));
        let in_flight = Arc::new(InFlight::default());
        let write_back = Arc::new(WriteBackThread { flush_early: acks != Acks::None, ..WriteBackThread::default() });
        let count = if n > TWO_THREADS_ABOVE { 2 } else { 1 };
        let mut workers = Vec::with_capacity(count);
        for _ in 0..count {
            let (jobs, inbox) = mpsc::channel();
            let worker = Worker {
                cluster: cluster.clone(),
                topic: topic.clone(),
                acks,
                shared: Arc::clone(&shared),
                in_flight: Arc::clone(&in_flight),
                give_back: Arc::clone(&spares),
                write_back: Arc::clone(&write_back),
            };
            let open = OpenWriters::new(n as usize, writers_open_at_once(topic, count));
            let idle = WorkerState::Idle(Box::new((worker, inbox, open)));
            workers.push(WorkerHandle { jobs: Some(jobs), pending: Vec::new(), state: idle });
        }
        Ok(AppendThread { workers, write_back, spares, shared, in_flight, budget })
    }

    /// An empty frame buffer: one that came back, or a new one of `capacity`.
    pub fn spare(&self, capacity: usize) -> FrameBuilder {
        self.spares.take().unwrap_or_else(|| FrameBuilder::with_capacity(capacity))
    }

    fn worker_of(&mut self, partition: u32) -> &mut WorkerHandle {
        let count = self.workers.len();
        &mut self.workers[partition as usize % count]
    }

    /// Queues a job for `partition`'s thread, handing the batch over once
    /// it is [`BATCH`] jobs long.
    fn queue(&mut self, partition: u32, job: Job) -> Result<()> {
        let worker = self.worker_of(partition);
        worker.pending.push(job);
        if worker.pending.len() >= BATCH { self.submit() } else { Ok(()) }
    }

    /// Hands every queued job over, starting the threads that get jobs;
    /// fails if a thread stopped on an error.
    pub fn submit(&mut self) -> Result<()> {
        self.hand_over(true)
    }

    /// Hands every queued job over; a thread not running yet is started
    /// if `start`, else its jobs wait in its queue for [`Self::stop`].
    fn hand_over(&mut self, start: bool) -> Result<()> {
        for worker in &mut self.workers {
            if worker.pending.is_empty() {
                continue;
            }
            if start && let Err(e) = worker.start() {
                self.stop().ok();
                return Err(e);
            }
            let jobs = std::mem::take(&mut worker.pending);
            if !matches!(worker.jobs.as_ref().map(|sender| sender.send(jobs)), Some(Ok(()))) {
                return Err(self.stopped());
            }
        }
        Ok(())
    }

    /// Queues a full frame (see [`AppendThread::submit`]); fails if its
    /// thread stopped on an error. `last`: no more frames of the partition
    /// are coming for now (a flush or the end of input), so the index
    /// entries its appends held back are written with it.
    pub fn send(&mut self, partition: u32, frame: FrameBuilder, messages: u64, last: bool) -> Result<()> {
        let queued = self.in_flight.add(frame.len());
        let index = if last { IndexWrites::Now } else { IndexWrites::HoldBack };
        self.queue(partition, Job::Frame { partition, frame, messages, index })?;
        if queued > self.budget {
            self.submit()?;
            // Over budget: let the threads catch up to half of it.
            while !self.in_flight.wait_below(self.budget / 2) {
                if self.workers.iter().any(WorkerHandle::stopped_early) {
                    return Err(self.stopped());
                }
            }
        }
        Ok(())
    }

    /// Asks for `partition` to be opened ahead of its first frame.
    pub fn open_ahead(&mut self, partition: u32) -> Result<()> {
        self.queue(partition, Job::Open(partition))
    }

    /// Waits until everything sent so far is appended.
    pub fn barrier(&mut self) -> Result<()> {
        let mut waits = Vec::with_capacity(self.workers.len());
        for worker in &mut self.workers {
            let (done, wait) = mpsc::sync_channel(1);
            worker.pending.push(Job::Barrier(done));
            waits.push(wait);
        }
        self.submit()?;
        if waits.iter().all(|wait| wait.recv().is_ok()) { Ok(()) } else { Err(self.stopped()) }
    }

    /// Messages appended so far.
    pub fn appended_messages(&self) -> u64 {
        self.shared.lock().map(|a| a.messages).unwrap_or_default()
    }

    /// What has been appended so far.
    pub fn appended(&self) -> Appended {
        self.shared.lock().map(|a| a.clone()).unwrap_or_default()
    }

    /// Repairs made while opening partitions; drained.
    pub fn take_repairs(&self) -> Vec<Repair> {
        self.shared.lock().map(|mut a| std::mem::take(&mut a.repairs)).unwrap_or_default()
    }

    /// Stops the threads after everything sent, each making its partitions
    /// durable as `acks` asks; returns the first failure.
    pub fn finish(&mut self) -> Result<()> {
        // A thread that stopped on an error cannot take its last jobs: the
        // hand-over then stops the others and returns that error. A thread
        // never started gets its jobs queued and runs them in `stop`, here.
        self.hand_over(false)?;
        self.stop()
    }

    /// The error a thread stopped on (a hand-over to it failed).
    fn stopped(&mut self) -> Error {
        match self.stop() {
            Err(e) => e,
            Ok(_) => Error::other("internal error: an append thread stopped early"),
        }
    }

    /// Closes the queues (jobs not handed over are dropped), waits for
    /// the threads to append and sync what they were given (a thread never
    /// started does its part on this thread), and stops the write-back
    /// thread; returns the first failure. The sync threads closed each
    /// replica's segment files once they were synced; the rest of each writer
    /// (its lock file and shared record) is closed last, here, with no
    /// other thread of the process running: closing it unmaps the record,
    /// and an unmapping while another thread runs interrupts that thread's
    /// core to flush its TLB — with hundreds of partitions, tens of
    /// milliseconds at the end of a run when the two append threads closed
    /// their writers side by side.
    fn stop(&mut self) -> Result<()> {
        for worker in &mut self.workers {
            worker.jobs = None;
        }
        let mut result = Ok(());
        let mut writers = Vec::new();
        for worker in &mut self.workers {
            let (end, closing) = worker.join();
            result = result.and(end);
            writers.push(closing);
        }
        self.write_back.stop();
        drop(writers);
        result
    }
}

impl Drop for AppendThread {
    fn drop(&mut self) {
        // After `finish` there is nothing left to stop.
        let _ = self.stop();
    }
}

/// Starts a thread named `name` running `f`.
pub(super) fn spawn<T: Send + 'static>(name: &str, f: impl FnOnce() -> T + Send + 'static) -> Result<JoinHandle<T>> {
    std::thread::Builder::new()
        .name(name.into())
        .spawn(f)
        .map_err(|e| Error::other(format!("cannot start the {name} thread: {e}")))
}

struct Worker {
    cluster: Cluster,
    topic: TopicMeta,
    acks: Acks,
    shared: Arc<Mutex<Appended>>,
    in_flight: Arc<InFlight>,
    give_back: Arc<Spares>,
    write_back: Arc<WriteBackThread>,
}

impl Worker {
    /// Appends the jobs from `inbox`, then syncs; `open_ahead`: open a
    /// partition when asked to, else at its first frame.
    fn run(self, inbox: Receiver<Vec<Job>>, mut writers: OpenWriters, open_ahead: bool) -> WorkerEnd {
        let end = self.append_all(inbox, &mut writers, open_ahead);
        let mut writers = writers.into_writers();
        let end = end.and_then(|()| {
            // Every frame of this thread's partitions is appended: make them
            // durable now, while the other thread may still append (the
            // write-backs still queued are left to these fsyncs). Many
            // fsyncs at once share the device queue (see
            // `sync_and_close_writers`), and each sync thread closes the
            // replica logs it synced. Writers closed earlier
            // to save descriptors were synced as they closed.
            self.write_back.done.store(true, Ordering::Relaxed);
            // A partition whose last frame went out before the end of
            // input still holds index entries back.
            writers.iter_mut().try_for_each(PartitionWriter::write_deferred_index)?;
            sync_and_close_writers(writers.iter_mut().collect())
        });
        (end, writers)
    }

    /// Appends the jobs from `inbox` until it closes or an append fails.
    /// Whatever has arrived is taken before the next append, so the frames
    /// of a partition that queued up meanwhile go out together
    /// ([`Gathered`]); the thread waits only when nothing is left.
    fn append_all(&self, inbox: Receiver<Vec<Job>>, writers: &mut OpenWriters, open_ahead: bool) -> Result<()> {
        let mut gathered = Gathered::default();
        let mut written = Vec::new();
        let mut unstarted = 0;
        let mut closed = false;
        loop {
            while !closed {
                let batch = if gathered.is_empty() {
                    inbox.recv().map_err(|_| TryRecvError::Disconnected)
                } else {
                    inbox.try_recv()
                };
                let batch = match batch {
                    Ok(batch) => batch,
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Disconnected) => {
                        closed = true;
                        break;
                    }
                };
                for job in batch {
                    match job {
                        Job::Frame { partition, frame, messages, index } => {
                            gathered.push(partition, frame, messages, index);
                        }
                        Job::Open(partition) if open_ahead => self.open_ahead(writers, partition)?,
                        Job::Open(_) => {}
                        Job::Barrier(done) => {
                            while let Some(group) = gathered.pop() {
                                self.append_group(writers, group, &mut written, &mut unstarted)?;
                            }
                            let _ = done.send(());
                        }
                    }
                }
            }
            match gathered.pop() {
                Some(group) => self.append_group(writers, group, &mut written, &mut unstarted)?,
                None if closed => return Ok(()),
                None => {}
            }
        }
    }

    /// Appends one partition's gathered frames, gives their buffers back,
    /// and starts writing back every [`WRITE_BACK_EVERY`] bytes.
    fn append_group(
        &self,
        writers: &mut OpenWriters,
        mut group: Group,
        written: &mut Vec<u32>,
        unstarted: &mut usize,
    ) -> Result<()> {
        let appended = self.append(writers, &mut group);
        let bytes = group.bytes();
        self.in_flight.done(bytes);
        *unstarted += bytes;
        written.push(group.partition);
        if *unstarted >= WRITE_BACK_EVERY {
            self.start_write_back(writers, written);
            *unstarted = 0;
        }
        appended?;
        for (mut frame, _) in group.frames {
            frame.clear();
            self.give_back.put(frame);
        }
        Ok(())
    }

    /// Hands what the partitions in `written` appended to the write-back
    /// thread, each once [`WRITE_BACK_AT_LEAST`] bytes wait (a partition
    /// with less keeps them for a later round or its fsync).
    fn start_write_back(&self, writers: &mut OpenWriters, written: &mut Vec<u32>) {
        written.sort_unstable();
        written.dedup();
        let mut ranges = Vec::new();
        for p in written.drain(..) {
            if let Some(writer) = writers.get(p) {
                ranges.extend(writer.take_write_backs(WRITE_BACK_AT_LEAST));
            }
        }
        if !ranges.is_empty() {
            self.write_back.send(ranges);
        }
    }

    /// Opens a partition ahead of its first frame. A failure to open is
    /// left for that frame's append to meet and report; a failure to make
    /// the writers closed for room durable is this thread's end.
    fn open_ahead(&self, writers: &mut OpenWriters, partition: u32) -> Result<()> {
        if writers.is_open(partition) {
            return Ok(());
        }
        if let Ok(mut writer) = PartitionWriter::new(&self.cluster, &self.topic, partition, self.acks) {
            let _ = writer.open();
            writers.insert(partition, writer)?;
        }
        Ok(())
    }

    fn append(&self, writers: &mut OpenWriters, group: &mut Group) -> Result<()> {
        let partition = group.partition;
        if !writers.is_open(partition) {
            let writer = PartitionWriter::new(&self.cluster, &self.topic, partition, self.acks)?;
            writers.insert(partition, writer)?;
        }
        let writer =
            writers.get(partition).ok_or_else(|| Error::other(format!("internal error: no partition {partition}")))?;
        let (bytes, messages) = (group.bytes() as u64, group.messages());
        let mut frames: Vec<&mut FrameBuilder> = group.frames.iter_mut().map(|(frame, _)| frame).collect();
        let outcome = writer.append_frames(&mut frames, group.index);
        let repairs = writer.take_repairs();
        if let Ok(mut shared) = self.shared.lock() {
            shared.repairs.extend(repairs);
            if outcome.is_ok() {
                shared.messages += messages;
                shared.bytes += bytes;
                shared.per_partition[partition as usize] += messages;
            }
        }
        outcome.map(drop)
    }
}

/// The frames an append thread has received and not appended yet, one
/// group per partition: a partition's frames in the order they came, the
/// groups in the order of their first frame. A thread that falls behind —
/// keys spread over hundreds of partitions, a small frame each, or every
/// frame written to three replicas — finds several frames of a partition
/// waiting, and appends them under one hold of the partition lock with one
/// write per replica instead of a hold and a write each. No frame waits
/// longer than it would have: the thread appends as soon as it has taken
/// what arrived.
#[derive(Default)]
struct Gathered {
    groups: HashMap<u32, Group>,
    order: VecDeque<u32>,
}

/// One partition's gathered frames ([`Gathered`]).
struct Group {
    partition: u32,
    /// The frames in the order they came, each with its message count.
    frames: Vec<(FrameBuilder, u64)>,
    /// `Now` if any of the frames asks for its index entries now.
    index: IndexWrites,
}

impl Group {
    fn bytes(&self) -> usize {
        self.frames.iter().map(|(frame, _)| frame.len()).sum()
    }

    fn messages(&self) -> u64 {
        self.frames.iter().map(|(_, messages)| messages).sum()
    }
}

impl Gathered {
    fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    fn push(&mut self, partition: u32, frame: FrameBuilder, messages: u64, index: IndexWrites) {
        let group = self.groups.entry(partition).or_insert_with(|| {
            self.order.push_back(partition);
            Group { partition, frames: Vec::new(), index: IndexWrites::HoldBack }
        });
        group.frames.push((frame, messages));
        if index == IndexWrites::Now {
            group.index = IndexWrites::Now;
        }
    }

    /// The group that waited longest, or its first [`GATHER_AT_MOST`]
    /// bytes (at least a frame): the rest stays first in line, so one
    /// write never holds up the memory of many frames.
    fn pop(&mut self) -> Option<Group> {
        let partition = *self.order.front()?;
        let group = self.groups.get_mut(&partition)?;
        let mut bytes = 0;
        let fitting = group
            .frames
            .iter()
            .take_while(|(frame, _)| {
                bytes += frame.len();
                bytes <= GATHER_AT_MOST
            })
            .count()
            .max(1);
        if fitting < group.frames.len() {
            let frames = group.frames.drain(..fitting).collect();
            return Some(Group { partition, frames, index: IndexWrites::HoldBack });
        }
        self.order.pop_front();
        self.groups.remove(&partition)
    }
}

/// How many partition writers each of `threads` append threads may keep
/// open: a lock file and three segment files per replica each, within the
/// soft limit on open files.
fn writers_open_at_once(topic: &TopicMeta, threads: usize) -> usize {
    let per_writer = topic.partitions.iter().map(|p| 1 + 3 * p.replicas.len()).max().unwrap_or(4);
    crate::sys::descriptors::fitting(per_writer, threads)
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;
    use crate::cluster::TopicSpec;
    use crate::error::ErrorKind;
    use crate::store::RecordParts;

    fn frame() -> FrameBuilder {
        let mut frame = FrameBuilder::new();
        frame.push(&RecordParts { timestamp: 1, key: None, value: Some(b"v"), headers: &[], header_count: 0 });
        frame
    }

    /// A data dir with topic `t` of `partitions`, and an append thread on it.
    fn started(partitions: u32) -> (tempfile::TempDir, Cluster, AppendThread) {
        let dir = tempfile::tempdir().expect("tempdir");
        let cluster = Cluster::open(dir.path(), Duration::from_secs(5)).expect("open");
        let spec = TopicSpec { name: "t".into(), partitions, replication_factor: 1, config: vec![] };
        cluster.create_topic(&spec).expect("create topic");
        let topic = cluster.topic("t").expect("topic");
        let appender = AppendThread::start(&cluster, &topic, Acks::All, 1 << 20).expect("start");
        (dir, cluster, appender)
    }

    fn waiting_for(in_flight: &InFlight) -> Option<usize> {
        in_flight.counts.lock().expect("counts").wake_at
    }

    /// Only the append that brings the count to what a waiting sender waits
    /// for wakes it, and only once: the appends before it, and after it
    /// until the sender waits again, wake nobody.
    #[test]
    fn a_waiting_sender_is_woken_once_by_the_append_that_makes_room() {
        let in_flight = InFlight::default();
        in_flight.add(100);
        assert!(!in_flight.done(10), "nobody waits: nobody is woken");
        in_flight.counts.lock().expect("counts").wake_at = Some(50);
        assert!(!in_flight.done(20), "70 in flight: not yet");
        assert_eq!(waiting_for(&in_flight), Some(50));
        assert!(in_flight.done(30), "40 in flight: this append wakes the sender");
        assert_eq!(waiting_for(&in_flight), None);
        assert!(!in_flight.done(10), "and the next one does not");
        assert_eq!(in_flight.add(0), 30);

        // A sender really waiting returns once appends on another thread
        // bring the count down, with its wish cleared.
        let in_flight = Arc::new(InFlight::default());
        in_flight.add(100);
        let appending = Arc::clone(&in_flight);
        let appends = std::thread::spawn(move || {
            for _ in 0..10 {
                std::thread::sleep(Duration::from_millis(2));
                appending.done(10);
            }
        });
        let deadline = Instant::now() + Duration::from_secs(10);
        while !in_flight.wait_below(30) {
            assert!(Instant::now() < deadline, "the sender was never let through");
        }
        assert!(in_flight.add(0) <= 30);
        assert_eq!(waiting_for(&in_flight), None);
        appends.join().expect("appends");
    }

    fn sized(bytes: usize) -> FrameBuilder {
        let mut frame = FrameBuilder::new();
        let value = vec![b'v'; bytes];
        frame.push(&RecordParts { timestamp: 1, key: None, value: Some(&value), headers: &[], header_count: 0 });
        frame
    }

    /// Frames come out grouped by partition, each group in the order its
    /// frames came, the groups in the order of their first frame; a group
    /// asks for its index entries now if any of its frames did.
    #[test]
    fn gathered_frames_come_out_per_partition_in_the_order_they_came() {
        let mut gathered = Gathered::default();
        for (partition, bytes, index) in [
            (3, 10, IndexWrites::HoldBack),
            (5, 20, IndexWrites::HoldBack),
            (3, 30, IndexWrites::Now),
            (7, 40, IndexWrites::HoldBack),
            (5, 50, IndexWrites::HoldBack),
        ] {
            gathered.push(partition, sized(bytes), bytes as u64, index);
        }
        let mut out = Vec::new();
        while let Some(group) = gathered.pop() {
            out.push((group.partition, group.messages(), group.index));
        }
        assert_eq!(
            out,
            vec![(3, 40, IndexWrites::Now), (5, 70, IndexWrites::HoldBack), (7, 40, IndexWrites::HoldBack)]
        );
        assert!(gathered.is_empty());
    }

    /// A group larger than [`GATHER_AT_MOST`] goes out in parts of at most
    /// that much (or one frame), the part left first in line and holding
    /// the group's wish for its index entries.
    #[test]
    fn a_large_group_goes_out_in_parts() {
        let mut gathered = Gathered::default();
        let big = GATHER_AT_MOST / 2 + 1;
        gathered.push(1, sized(big), 1, IndexWrites::HoldBack);
        gathered.push(2, sized(10), 1, IndexWrites::HoldBack);
        gathered.push(1, sized(big), 1, IndexWrites::HoldBack);
        gathered.push(1, sized(100), 1, IndexWrites::Now);
        gathered.push(1, sized(GATHER_AT_MOST * 2), 1, IndexWrites::HoldBack);
        let mut parts = Vec::new();
        while let Some(group) = gathered.pop() {
            parts.push((group.partition, group.frames.len(), group.index));
        }
        assert_eq!(
            parts,
            vec![
                (1, 1, IndexWrites::HoldBack),
                (1, 2, IndexWrites::HoldBack),
                (1, 1, IndexWrites::Now),
                (2, 1, IndexWrites::HoldBack)
            ]
        );
    }

    /// Frames queued before the thread runs (fewer than a batch: nothing
    /// handed over, so it runs at `finish` with all of them waiting) go
    /// out together — one hold of each partition's lock, not one per frame,
    /// as the lock record's count of holds shows — and the log holds every
    /// message in order.
    #[test]
    fn frames_waiting_for_a_thread_are_appended_together_and_in_order() {
        let (dir, cluster, mut appender) = started(2);
        for round in 0..10u8 {
            for partition in 0..2 {
                let mut frame = FrameBuilder::new();
                frame.push(&RecordParts {
                    timestamp: 1,
                    key: None,
                    value: Some(&[round]),
                    headers: &[],
                    header_count: 0,
                });
                appender.send(partition, frame, 1, round == 9).expect("queued");
            }
        }
        appender.finish().expect("finished");
        assert_eq!(appender.appended().per_partition, vec![10, 10]);
        for p in 0..2 {
            let lock = crate::sys::lock::LockFile::open(&cluster.layout().partition_lock("t", p)).expect("lock");
            let marks = crate::cluster::replication::group_commit::DurableMarks::map(lock.file()).expect("record");
            // The holds so far (this call counts one more): one, for ten frames.
            assert_eq!(marks.count_hold(), Some(1), "partition {p}: one hold for its ten frames");
            let replica = dir.path().join("broker-0").join(format!("t-{p}"));
            let mut reader = crate::store::LogReader::open(&replica, 0).expect("reader");
            let mut values = Vec::new();
            while let Some(frame) = reader.next_frame().expect("frame") {
                for record in frame.records() {
                    values.push(record.expect("record").value.unwrap_or_default()[0]);
                }
            }
            assert_eq!(values, (0..10).collect::<Vec<u8>>());
        }
    }

    #[test]
    fn finish_reports_the_failure_a_thread_stopped_on_while_jobs_were_queued() {
        let (_dir, cluster, mut appender) = started(2);
        // The topic goes away: the thread's next append fails and it stops.
        cluster.delete_topic("t").expect("delete topic");
        appender.send(0, frame(), 1, true).expect("queued");
        appender.submit().expect("handed over");
        let started = Instant::now();
        while !appender.workers[0].stopped_early() {
            assert!(started.elapsed() < Duration::from_secs(10), "the append thread did not stop");
            std::thread::sleep(Duration::from_millis(5));
        }
        // A job still queued when the producer finishes: its hand-over fails.
        appender.send(1, frame(), 1, true).expect("queued");
        let err = appender.finish().expect_err("the failed append is reported");
        assert_eq!(err.kind, ErrorKind::NotFound, "{}", err.message);
        assert!(err.message.contains("was deleted"), "{}", err.message);
    }

    #[test]
    fn an_input_that_ends_before_any_hand_over_starts_no_thread() {
        let (dir, _cluster, mut appender) = started(2);
        appender.open_ahead(1).expect("queued");
        appender.send(1, frame(), 1, true).expect("queued");
        assert!(appender.workers.iter().all(|w| matches!(w.state, WorkerState::Idle(_))));
        appender.finish().expect("appended and synced here");
        assert_eq!(appender.appended().per_partition, vec![0, 1]);
        assert!(appender.write_back.running.lock().expect("lock").is_none(), "no write-back thread");
        let log = dir.path().join("broker-0").join("t-1").join("00000000000000000000.log");
        assert!(std::fs::metadata(&log).expect("segment").len() > 0);
    }

    #[test]
    fn index_entries_held_back_are_written_with_the_last_frame_or_at_the_end() {
        let (dir, _cluster, mut appender) = started(2);
        // Frames past `index.interval.bytes` (4096): each after the first earns an entry.
        let big = || {
            let mut frame = FrameBuilder::new();
            let value = [b'v'; 5000];
            frame.push(&RecordParts { timestamp: 1, key: None, value: Some(&value), headers: &[], header_count: 0 });
            frame
        };
        let index = |p: u32| {
            let path = dir.path().join("broker-0").join(format!("t-{p}")).join("00000000000000000000.index");
            std::fs::metadata(path).expect("index").len() / 8
        };
        for _ in 0..5 {
            appender.send(0, big(), 1, false).expect("queued");
            appender.send(1, big(), 1, false).expect("queued");
        }
        appender.barrier().expect("appended");
        assert_eq!((index(0), index(1)), (0, 0), "entries are held back while more frames may come");
        appender.send(0, big(), 1, true).expect("queued");
        appender.barrier().expect("appended");
        assert_eq!((index(0), index(1)), (5, 0), "the last frame writes its partition's entries");
        appender.finish().expect("finished");
        assert_eq!((index(0), index(1)), (5, 4), "the end writes what a partition still holds");
        for p in 0..2 {
            let replica = dir.path().join("broker-0").join(format!("t-{p}"));
            let report = crate::store::verify_replica(&replica, |_| {}).expect("verify");
            assert!(report.damage.is_empty(), "{:?}", report.damage);
        }
    }

    #[test]
    fn a_hand_over_before_the_end_starts_the_thread() {
        let (_dir, _cluster, mut appender) = started(1);
        appender.send(0, frame(), 1, true).expect("queued");
        appender.barrier().expect("appended");
        assert!(matches!(appender.workers[0].state, WorkerState::Running(_)));
        assert_eq!(appender.appended_messages(), 1);
        appender.send(0, frame(), 1, true).expect("queued");
        appender.finish().expect("finished");
        assert_eq!(appender.appended_messages(), 2);
    }
}

//! The producer's append thread: full frames are handed over a channel to
//! one thread that owns the partition writers and appends them (lock,
//! replicate, write), while the caller goes on reading and encoding input —
//! on two cores, parsing and writing overlap instead of adding up. Memory
//! in flight is bounded in bytes, not frames: a sender waits while more
//! than the budget is queued, so a thousand small frames can be queued at
//! once (and the caller keeps parsing) as safely as a few large ones.
//! One thread, one FIFO: frames of a partition are appended in the order
//! they were sent. The first failure stops the thread; the caller sees it at
//! its next send, flush or finish. Emptied frame buffers come back for reuse.

use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::cluster::partition_writer::{Acks, PartitionWriter};
use crate::cluster::{Cluster, TopicMeta};
use crate::error::{Error, Result};
use crate::store::{FrameBuilder, Repair};

/// Emptied frame buffers kept for reuse at most.
const SPARES: usize = 64;

/// What the append thread has done so far, for progress and the summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Appended {
    pub messages: u64,
    pub bytes: u64,
    pub per_partition: Vec<u64>,
    pub repairs: Vec<Repair>,
}

/// How the append thread ended, and the writers it opened (to sync them).
type WorkerEnd = (Result<()>, Vec<Option<PartitionWriter>>);

enum Job {
    Frame {
        partition: u32,
        frame: FrameBuilder,
        messages: u64,
    },
    /// Answered once every frame sent before it is appended.
    Barrier(SyncSender<()>),
}

/// Bytes handed to the append thread and not appended yet.
#[derive(Debug, Default)]
struct InFlight {
    bytes: Mutex<usize>,
    appended: Condvar,
}

impl InFlight {
    fn add(&self, n: usize) -> usize {
        self.bytes
            .lock()
            .map(|mut b| {
                *b += n;
                *b
            })
            .unwrap_or(0)
    }

    fn done(&self, n: usize) {
        if let Ok(mut b) = self.bytes.lock() {
            *b = b.saturating_sub(n);
        }
        self.appended.notify_all();
    }

    /// Waits (a while) until at most `limit` bytes are in flight.
    fn wait_below(&self, limit: usize) -> bool {
        let Ok(bytes) = self.bytes.lock() else { return true };
        self.appended
            .wait_timeout_while(bytes, Duration::from_millis(50), |b| *b > limit)
            .is_ok_and(|(b, _)| *b <= limit)
    }
}

/// The handle the producer keeps on its append thread.
pub struct AppendThread {
    jobs: Option<Sender<Job>>,
    spares: Receiver<FrameBuilder>,
    shared: Arc<Mutex<Appended>>,
    in_flight: Arc<InFlight>,
    /// Senders wait while more than this many bytes are in flight.
    budget: usize,
    thread: Option<JoinHandle<WorkerEnd>>,
}

impl AppendThread {
    /// Starts the thread; senders wait while more than `budget` bytes are queued.
    pub fn start(cluster: &Cluster, topic: &TopicMeta, acks: Acks, budget: usize) -> Result<AppendThread> {
        let (jobs, inbox) = mpsc::channel();
        let (give_back, spares) = mpsc::sync_channel(SPARES);
        let n = topic.partition_count() as usize;
        let shared = Arc::new(Mutex::new(Appended { per_partition: vec![0; n], ..Appended::default() }));
        let in_flight = Arc::new(InFlight::default());
        let worker = Worker {
            cluster: cluster.clone(),
            topic: topic.clone(),
            acks,
            shared: Arc::clone(&shared),
            in_flight: Arc::clone(&in_flight),
        };
        let thread = std::thread::Builder::new()
            .name("runnel-append".into())
            .spawn(move || worker.run(inbox, give_back, n))
            .map_err(|e| Error::other(format!("cannot start the append thread: {e}")))?;
        Ok(AppendThread { jobs: Some(jobs), spares, shared, in_flight, budget, thread: Some(thread) })
    }

    /// An empty frame buffer, reused when one came back.
    pub fn spare(&self) -> FrameBuilder {
        self.spares.try_recv().unwrap_or_default()
    }

    /// Hands a full frame over; fails if the thread stopped on an error.
    pub fn send(&mut self, partition: u32, frame: FrameBuilder, messages: u64) -> Result<()> {
        let queued = self.in_flight.add(frame.len());
        let sent = self.jobs.as_ref().map(|jobs| jobs.send(Job::Frame { partition, frame, messages }));
        if !matches!(sent, Some(Ok(()))) {
            return Err(self.stopped());
        }
        if queued > self.budget {
            // Over budget: let the thread catch up to half of it.
            while !self.in_flight.wait_below(self.budget / 2) {
                if self.thread.as_ref().is_none_or(JoinHandle::is_finished) {
                    return Err(self.stopped());
                }
            }
        }
        Ok(())
    }

    /// Waits until everything sent so far is appended.
    pub fn barrier(&mut self) -> Result<()> {
        let (done, wait) = mpsc::sync_channel(1);
        let sent = self.jobs.as_ref().map(|jobs| jobs.send(Job::Barrier(done)));
        match (sent, wait.recv()) {
            (Some(Ok(())), Ok(())) => Ok(()),
            _ => Err(self.stopped()),
        }
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

    /// Stops the thread after everything sent; returns its writers for syncing.
    pub fn finish(&mut self) -> Result<Vec<PartitionWriter>> {
        self.jobs = None;
        let Some(thread) = self.thread.take() else {
            return Err(Error::other("internal error: the append thread already finished"));
        };
        let (result, writers) = thread
            .join()
            .unwrap_or_else(|_| (Err(Error::other("internal error: the append thread failed")), Vec::new()));
        result.map(|()| writers.into_iter().flatten().collect())
    }

    /// The error the thread stopped on.
    fn stopped(&mut self) -> Error {
        match self.finish() {
            Err(e) => e,
            Ok(_) => Error::other("internal error: the append thread stopped early"),
        }
    }
}

impl Drop for AppendThread {
    fn drop(&mut self) {
        self.jobs = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

struct Worker {
    cluster: Cluster,
    topic: TopicMeta,
    acks: Acks,
    shared: Arc<Mutex<Appended>>,
    in_flight: Arc<InFlight>,
}

impl Worker {
    fn run(self, inbox: Receiver<Job>, give_back: SyncSender<FrameBuilder>, partitions: usize) -> WorkerEnd {
        let mut writers: Vec<Option<PartitionWriter>> = (0..partitions).map(|_| None).collect();
        for job in inbox {
            match job {
                Job::Barrier(done) => {
                    let _ = done.send(());
                }
                Job::Frame { partition, mut frame, messages } => {
                    let outcome = self.append(&mut writers, partition, &mut frame, messages);
                    self.in_flight.done(frame.len());
                    if let Err(e) = outcome {
                        return (Err(e), writers);
                    }
                    frame.clear();
                    let _ = give_back.try_send(frame);
                }
            }
        }
        (Ok(()), writers)
    }

    fn append(
        &self,
        writers: &mut [Option<PartitionWriter>],
        partition: u32,
        frame: &mut FrameBuilder,
        messages: u64,
    ) -> Result<()> {
        let slot = writers
            .get_mut(partition as usize)
            .ok_or_else(|| Error::other(format!("internal error: no partition {partition}")))?;
        let writer = match slot {
            Some(w) => w,
            None => slot.insert(PartitionWriter::new(&self.cluster, &self.topic, partition, self.acks)?),
        };
        let bytes = frame.len() as u64;
        let outcome = writer.append(frame);
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

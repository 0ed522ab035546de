//! A member of a Kafka consumer group (`consume --group` against Kafka):
//! Kafka's group protocol through librdkafka's `subscribe()` with the
//! chosen `partition.assignment.strategy`, and runnel's commit rule kept —
//! an offset is committed only once the process reading the sink took the
//! record before it (`consumer::group::delivery`, as on a data dir), never
//! what waits in a pipe or in our buffer; leaving, the member waits at most
//! [`DRAIN_WAIT`] for the reader. Partitions without a committed
//! offset start at `--from` when given (set in the rebalance callback,
//! before the partitions are assigned), else as `--offset-reset` says.
//! Without `--follow` the member leaves once every assigned partition is
//! read to its high watermark.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer as _, ConsumerContext, RebalanceProtocol};
use rdkafka::error::KafkaError;
use rdkafka::topic_partition_list::TopicPartitionList;
use rdkafka::types::RDKafkaRespErr;
use rdkafka::{ClientContext, Message as _, Offset};

use super::{Kafka, errors, records};
use crate::consumer::assignors::Strategy;
use crate::consumer::group::delivery::{Delivery, Tracked};
use crate::consumer::group::member::DRAIN_WAIT;
use crate::consumer::group::{AutoOffsetReset, MemberOptions, MemberReport, MemberStop};
use crate::consumer::{Position, RecordSink, TopicPartition};
use crate::error::{Error, ErrorKind, Result};

/// The longest single wait for records.
const POLL_WAIT: Duration = Duration::from_millis(100);

/// How often a leaving member looks at what its reader took.
const DRAIN_POLL: Duration = Duration::from_millis(10);

type Tp = (String, u32);

/// What the rebalance callback and the member loop share.
#[derive(Default)]
struct Shared {
    /// The partitions assigned now.
    assigned: std::collections::BTreeSet<Tp>,
    /// Where each owned partition may be committed, as the member loop
    /// last saw it (what the reader took); committed for revoked ones.
    committable: BTreeMap<Tp, u64>,
    /// Partitions revoked since the member loop last looked.
    revoked: Vec<Tp>,
    /// Whether a first assignment arrived (possibly empty).
    assigned_once: bool,
    rebalances: u64,
    commits: u64,
    error: Option<KafkaError>,
}

/// The consumer's context: runs the rebalances.
struct Member {
    from: Option<Position>,
    timeout: Duration,
    shared: Mutex<Shared>,
}

impl ClientContext for Member {}

impl ConsumerContext for Member {
    fn rebalance(&self, consumer: &BaseConsumer<Self>, err: RDKafkaRespErr, tpl: &mut TopicPartitionList) {
        let cooperative = matches!(consumer.rebalance_protocol(), RebalanceProtocol::Cooperative);
        let Ok(mut shared) = self.shared.lock() else { return };
        shared.rebalances += 1;
        let result = match err {
            RDKafkaRespErr::RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS => {
                if let Some(from) = self.from {
                    self.start_uncommitted_at(consumer, tpl, from);
                }
                for e in tpl.elements() {
                    shared.assigned.insert((e.topic().to_string(), e.partition().max(0) as u32));
                }
                shared.assigned_once = true;
                if cooperative { consumer.incremental_assign(tpl) } else { consumer.assign(tpl) }
            }
            RDKafkaRespErr::RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS => {
                // What the reader took of the revoked partitions is
                // committed before they go to another member.
                let revoked: Vec<Tp> =
                    tpl.elements().iter().map(|e| (e.topic().to_string(), e.partition().max(0) as u32)).collect();
                let mut commit = BTreeMap::new();
                for tp in &revoked {
                    shared.assigned.remove(tp);
                    if let Some(next) = shared.committable.remove(tp) {
                        commit.insert(tp.clone(), next);
                    }
                    shared.revoked.push(tp.clone());
                }
                if !commit.is_empty() && commit_offsets(consumer, &commit).is_ok() {
                    shared.commits += 1;
                }
                if cooperative {
                    consumer.incremental_unassign(tpl)
                } else {
                    let rest: Vec<Tp> = std::mem::take(&mut shared.assigned).into_iter().collect();
                    shared.revoked.extend(rest);
                    consumer.unassign()
                }
            }
            other => Err(KafkaError::Rebalance(other.into())),
        };
        if let Err(e) = result
            && shared.error.is_none()
        {
            shared.error = Some(e);
        }
    }
}

impl Member {
    /// Sets where partitions without a committed offset start: `from`.
    fn start_uncommitted_at(&self, consumer: &BaseConsumer<Self>, tpl: &mut TopicPartitionList, from: Position) {
        let Ok(committed) = consumer.committed_offsets(tpl.clone(), self.timeout) else { return };
        for e in committed.elements() {
            if matches!(e.offset(), Offset::Offset(n) if n >= 0) {
                continue;
            }
            let (topic, partition) = (e.topic(), e.partition());
            let offset = match from {
                Position::Beginning => Offset::Beginning,
                Position::End => Offset::End,
                Position::Offset(n) => Offset::Offset(n as i64),
                Position::FromEnd(n) => Offset::OffsetTail(n as i64),
                Position::FromStart(n) => match consumer.fetch_watermarks(topic, partition, self.timeout) {
                    Ok((low, high)) => Offset::Offset(low.saturating_add(n as i64).min(high)),
                    Err(_) => Offset::Beginning,
                },
                Position::Time(ms) => {
                    let mut by_time = TopicPartitionList::new();
                    let _ = by_time.add_partition_offset(topic, partition, Offset::Offset(ms));
                    match consumer.offsets_for_times(by_time, self.timeout) {
                        Ok(found) => found.elements().first().map_or(Offset::End, |f| match f.offset() {
                            Offset::Offset(n) if n >= 0 => Offset::Offset(n),
                            _ => Offset::End,
                        }),
                        Err(_) => Offset::End,
                    }
                }
            };
            let _ = tpl.set_partition_offset(topic, partition, offset);
        }
    }
}

fn commit_offsets<C: ConsumerContext>(
    consumer: &BaseConsumer<C>,
    offsets: &BTreeMap<Tp, u64>,
) -> rdkafka::error::KafkaResult<()> {
    let mut tpl = TopicPartitionList::new();
    for ((topic, partition), next) in offsets {
        tpl.add_partition_offset(topic, *partition as i32, Offset::Offset(*next as i64))?;
    }
    consumer.commit(&tpl, CommitMode::Sync)
}

/// The assignor name librdkafka knows for a strategy. "sticky", Kafka's
/// eager StickyAssignor, is runnel's patch of librdkafka
/// (`vendor/rdkafka-sys`): its sticky assignor under the eager protocol.
fn assignor(strategy: Strategy) -> &'static str {
    match strategy {
        Strategy::Range => "range",
        Strategy::RoundRobin => "roundrobin",
        Strategy::Sticky => "sticky",
        Strategy::CooperativeSticky => "cooperative-sticky",
    }
}

pub fn run_member(
    kafka: &Kafka,
    opts: &MemberOptions,
    sink: &mut dyn RecordSink,
    stop: &AtomicBool,
) -> Result<MemberReport> {
    let target = kafka.target();
    for topic in &opts.topics {
        kafka.existing_topic(topic)?;
    }
    let client_id = opts.client_id.clone().unwrap_or_else(|| format!("runnel-{}", std::process::id()));
    let reset = match opts.offset_reset {
        AutoOffsetReset::Earliest => "earliest",
        AutoOffsetReset::Latest => "latest",
        AutoOffsetReset::None => "error",
    };
    let config = target.client_config(&[
        ("group.id", opts.group.clone()),
        ("client.id", client_id.clone()),
        ("partition.assignment.strategy", assignor(opts.strategy).into()),
        ("session.timeout.ms", opts.session_timeout.as_millis().to_string()),
        ("heartbeat.interval.ms", (opts.session_timeout.as_millis() / 3).max(1).to_string()),
        ("enable.auto.commit", "false".into()),
        ("enable.auto.offset.store", "false".into()),
        ("auto.offset.reset", reset.into()),
        ("fetch.wait.max.ms", "100".into()),
        ("queued.min.messages", super::fetch::QUEUED_MIN_MESSAGES.into()),
    ]);
    let member = Member { from: opts.from, timeout: target.request_timeout(), shared: Mutex::new(Shared::default()) };
    let consumer: BaseConsumer<Member> =
        config.create_with_context(member).map_err(|e| super::config::bad_config(&e))?;
    let topics: Vec<&str> = opts.topics.iter().map(String::as_str).collect();
    consumer.subscribe(&topics).map_err(|e| errors::from_kafka("joining the group", &target.bootstrap, &e))?;

    let mut run = Run {
        consumer: &consumer,
        kafka,
        delivery: Delivery::default(),
        position: BTreeMap::new(),
        committed: BTreeMap::new(),
        delivered: 0,
        last_commit: Instant::now(),
    };
    let result = run.member_loop(opts, sink, stop);
    // Leaving: after a clean end, wait (at most DRAIN_WAIT) for the reader
    // to take what is in the pipe; after an error or a closed output,
    // commit what it took without flushing more.
    let committed = match &result {
        Ok(_) => run.drain(sink, opts.commit.interval),
        Err(_) => run.commit(sink, false),
    };
    let delivered = run.delivered;
    let untaken = run.delivery.untaken() as u64;
    consumer.unsubscribe();
    let shared = consumer.context().shared.lock().map(|s| (s.commits, s.rebalances)).unwrap_or_default();
    drop(consumer);
    let stop = result?;
    committed?;
    Ok(MemberReport {
        member_id: client_id,
        generation: 0,
        delivered,
        commits: shared.0,
        rebalances: shared.1,
        stop,
        untaken,
    })
}

struct Run<'a> {
    consumer: &'a BaseConsumer<Member>,
    kafka: &'a Kafka,
    /// Where each delivered record ends in the sink's output.
    delivery: Delivery,
    /// The next offset after the last record delivered, per partition.
    position: BTreeMap<Tp, u64>,
    /// What was last committed, per partition.
    committed: BTreeMap<Tp, u64>,
    delivered: u64,
    last_commit: Instant,
}

impl Run<'_> {
    fn fail(&self, doing: &str, e: &KafkaError) -> Error {
        errors::from_kafka(doing, &self.kafka.target().bootstrap, e)
    }

    fn member_loop(
        &mut self,
        opts: &MemberOptions,
        sink: &mut dyn RecordSink,
        stop: &AtomicBool,
    ) -> Result<MemberStop> {
        if opts.max_messages == Some(0) {
            return Ok(MemberStop::CountReached);
        }
        let mut headers = Vec::new();
        let mut since_commit = 0u64;
        loop {
            if stop.load(Ordering::Relaxed) {
                return Ok(MemberStop::Stopped);
            }
            let polled = self.consumer.poll(POLL_WAIT);
            if let Some(e) = self.consumer.context().shared.lock().ok().and_then(|mut s| s.error.take()) {
                return Err(self.fail("rebalancing", &e));
            }
            self.forget_revoked(sink)?;
            match polled {
                Some(Ok(message)) => {
                    let tp = (message.topic().to_string(), message.partition().max(0) as u32);
                    if !self.owns(&tp) {
                        continue;
                    }
                    if !self.position.contains_key(&tp) {
                        self.delivery.start(&TopicPartition::new(tp.0.clone(), tp.1), None);
                    }
                    let mut tracked = Tracked { sink: &mut *sink, delivery: &mut self.delivery };
                    records::deliver(&message, &mut tracked, &mut headers)?;
                    self.position.insert(tp, message.offset().max(0) as u64 + 1);
                    self.delivered += 1;
                    since_commit += 1;
                    if opts.max_messages.is_some_and(|max| self.delivered >= max) {
                        return Ok(MemberStop::CountReached);
                    }
                    if since_commit >= opts.commit.every_records || self.last_commit.elapsed() >= opts.commit.interval {
                        self.commit(sink, true)?;
                        since_commit = 0;
                    }
                }
                Some(Err(KafkaError::PartitionEOF(_))) => {}
                Some(Err(e)) => {
                    let err = self.fail("reading as a group member", &e);
                    if err.kind != ErrorKind::Unavailable {
                        return Err(err);
                    }
                    // librdkafka retries on its own: go on while the cluster
                    // answers within the deadline, exit 69 when it does not.
                    self.kafka.metadata(None)?;
                }
                None => {
                    self.commit(sink, true)?;
                    since_commit = 0;
                    if sink.reader_gone() {
                        return Err(Error::output(std::io::ErrorKind::BrokenPipe.into()));
                    }
                    if !opts.follow && self.drained(opts.offset_reset)? {
                        return Ok(MemberStop::Drained);
                    }
                }
            }
        }
    }

    fn owns(&self, tp: &Tp) -> bool {
        self.consumer.context().shared.lock().is_ok_and(|s| s.assigned.contains(tp))
    }

    /// Drops what it kept of partitions revoked since it last looked.
    /// The sink stops working on them first ([`RecordSink::release`]).
    fn forget_revoked(&mut self, sink: &mut dyn RecordSink) -> Result<()> {
        let revoked = match self.consumer.context().shared.lock() {
            Ok(mut shared) => std::mem::take(&mut shared.revoked),
            Err(_) => return Ok(()),
        };
        if !revoked.is_empty() {
            let partitions: Vec<TopicPartition> =
                revoked.iter().map(|tp| TopicPartition::new(tp.0.clone(), tp.1)).collect();
            sink.release(&partitions).map_err(Error::output)?;
        }
        for tp in revoked {
            self.delivery.stop(&TopicPartition::new(tp.0.clone(), tp.1));
            self.position.remove(&tp);
            self.committed.remove(&tp);
        }
        Ok(())
    }

    /// Commits, per partition, up to the first record the reader has not
    /// taken (flushing the sink first when `flush`).
    fn commit(&mut self, sink: &mut dyn RecordSink, flush: bool) -> Result<()> {
        if flush {
            sink.flush().map_err(Error::output)?;
        }
        self.forget_revoked(sink)?;
        self.delivery.taken_from(sink);
        let mut commit = BTreeMap::new();
        if let Ok(mut shared) = self.consumer.context().shared.lock() {
            for (tp, &position) in &self.position {
                let point = self.delivery.commit_point(&TopicPartition::new(tp.0.clone(), tp.1), position).offset;
                shared.committable.insert(tp.clone(), point);
                if self.committed.get(tp) != Some(&point) {
                    commit.insert(tp.clone(), point);
                }
            }
        }
        self.last_commit = Instant::now();
        if commit.is_empty() {
            return Ok(());
        }
        match commit_offsets(self.consumer, &commit) {
            Ok(()) => {
                if let Ok(mut shared) = self.consumer.context().shared.lock() {
                    shared.commits += 1;
                }
                self.committed.extend(commit);
                Ok(())
            }
            // A rebalance took the partitions: their next owner re-reads
            // from the last commit (at-least-once).
            Err(e) if errors::code_of(&e).is_some_and(|c| errors::kind_of(c) != ErrorKind::Unavailable) => Ok(()),
            Err(e) => Err(self.fail("committing offsets", &e)),
        }
    }

    /// Leaving: lets the sink finish its work (committing what is done every
    /// `interval` meanwhile), waits at most [`DRAIN_WAIT`] for the reader to
    /// take what is still in the pipe (not when it has gone), then commits.
    fn drain(&mut self, sink: &mut dyn RecordSink, interval: Duration) -> Result<()> {
        while !sink.finish_step().map_err(Error::output)? {
            if self.last_commit.elapsed() >= interval {
                self.commit(sink, true)?;
            }
        }
        let deadline = Instant::now() + DRAIN_WAIT;
        loop {
            self.delivery.taken_from(sink);
            if self.delivery.untaken() == 0 || sink.reader_gone() || Instant::now() >= deadline {
                break;
            }
            std::thread::sleep(DRAIN_POLL);
        }
        self.commit(sink, false)
    }

    /// Every assigned partition is read to its high watermark (and the
    /// group assigned this member at least once).
    fn drained(&self, reset: AutoOffsetReset) -> Result<bool> {
        let (assigned, once) = match self.consumer.context().shared.lock() {
            Ok(s) => (s.assigned.iter().cloned().collect::<Vec<Tp>>(), s.assigned_once),
            Err(_) => return Ok(false),
        };
        if !once {
            return Ok(false);
        }
        if assigned.is_empty() {
            return Ok(true);
        }
        let position = self.consumer.position().map_err(|e| self.fail("reading positions", &e))?;
        let mut unknown = TopicPartitionList::new();
        let mut next: BTreeMap<Tp, u64> = BTreeMap::new();
        for e in position.elements() {
            let tp = (e.topic().to_string(), e.partition().max(0) as u32);
            match e.offset() {
                Offset::Offset(n) if n >= 0 => {
                    next.insert(tp, n as u64);
                }
                _ => {
                    let _ = unknown.add_partition(e.topic(), e.partition());
                }
            }
        }
        if unknown.count() > 0 {
            let committed = self
                .consumer
                .committed_offsets(unknown, self.kafka.target().request_timeout())
                .map_err(|e| self.fail("reading committed offsets", &e))?;
            for e in committed.elements() {
                if let Offset::Offset(n) = e.offset()
                    && n >= 0
                {
                    next.insert((e.topic().to_string(), e.partition().max(0) as u32), n as u64);
                }
            }
        }
        for tp in &assigned {
            let (low, high) = self.kafka.watermarks(&tp.0, tp.1)?;
            let at = match next.get(tp) {
                Some(&n) => n,
                None if reset == AutoOffsetReset::Latest => high,
                None => low,
            };
            if at < high {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

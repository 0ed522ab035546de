//! The member loop: joins the group, claims its assigned partitions and
//! reads them with a [`Consumer`] from the committed offsets (checked against
//! the leader's epoch history, KIP-320; else from `from`), flushes the sink
//! and only then commits what the reading process took (`delivery`: never
//! what still waits in a pipe, so at-least-once through a pipe even when the
//! reader dies), reacts to rebalances (commit, release
//! what was revoked, claim what was added; with cooperative-sticky only the
//! revoked partitions are committed and released, and the member that released
//! them triggers the follow-up rebalance that assigns them), and leaves cleanly
//! at the end:
//! drained (without follow), `max_messages` reached, or `stop` set — after
//! waiting at most [`DRAIN_WAIT`] for the reader to take what is still in
//! the pipe. A closed pipe ends it too, committing what the reader took.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::delivery::{CommitPoint, Delivery, Tracked};
use super::membership::{CHECK_INTERVAL, GroupEvent, JoinOptions, Membership};
use super::offset_reset::{AutoOffsetReset, start_position};
use super::offsets::CommitOutcome;
use super::owners::OwnerClaim;
use crate::cluster::Cluster;
use crate::consumer::assignors::Strategy;
use crate::consumer::truncation::Checked;
use crate::consumer::{Consumer, PollState, Position, RecordSink, TopicPartition, Until};
use crate::error::{Error, Result};

/// How often a commit fenced by a newer generation is retried in the next
/// one before the member gives up and rejoins.
const COMMIT_ATTEMPTS: usize = 5;

/// While records flow, a member commits once it has delivered this many
/// since its last commit, or after [`COMMIT_INTERVAL`], whichever comes first.
pub const COMMIT_EVERY_RECORDS: u64 = 5000;
/// While records flow, the longest time between two commits (see
/// [`COMMIT_EVERY_RECORDS`]); a member also commits when idle, at a rebalance
/// and when it leaves.
pub const COMMIT_INTERVAL: Duration = Duration::from_millis(200);

/// How long a member takes up assigned partitions (claims them, reads
/// their commits, starts reading them) between two looks at its stop flag
/// and heartbeats.
const TAKE_FOR: Duration = Duration::from_millis(250);

/// The longest a leaving member waits for its reader to take what is still
/// in the pipe (committing as it goes); what is left then is read again by
/// the group's next reader. Not waited for when the reader has gone.
pub const DRAIN_WAIT: Duration = Duration::from_secs(5);

/// How often a leaving member looks at what its reader took.
const DRAIN_POLL: Duration = Duration::from_millis(10);

/// When positions are committed (and always at a rebalance and at leave).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommitPolicy {
    pub every_records: u64,
    pub interval: Duration,
}

impl Default for CommitPolicy {
    fn default() -> Self {
        CommitPolicy { every_records: COMMIT_EVERY_RECORDS, interval: COMMIT_INTERVAL }
    }
}

/// `consume --group`.
#[derive(Debug, Clone)]
pub struct MemberOptions {
    pub group: String,
    pub topics: Vec<String>,
    /// Defaults to `runnel-<pid>`.
    pub client_id: Option<String>,
    pub strategy: Strategy,
    pub session_timeout: Duration,
    /// Where to start a partition the group has no committed offset for;
    /// `None`: as `offset_reset` says.
    pub from: Option<Position>,
    /// Kafka's `auto.offset.reset`, for partitions without a commit (and no
    /// `from`) and for commits outside the log.
    pub offset_reset: AutoOffsetReset,
    pub follow: bool,
    pub max_messages: Option<u64>,
    pub commit: CommitPolicy,
    /// Prints a warning line (a log truncation detected).
    pub warn: fn(&str),
    /// Told this member's assignment when it joins and whenever a
    /// rebalance changes it: `(group, first, generation, partitions)`.
    pub on_assigned: fn(&str, bool, u64, &[TopicPartition]),
}

impl MemberOptions {
    /// Range strategy (Kafka's default), a 10 s session and `earliest`
    /// (runnel's defaults; Kafka's are 45 s and `latest`).
    pub fn new(group: &str, topics: Vec<String>) -> MemberOptions {
        MemberOptions {
            group: group.to_string(),
            topics,
            client_id: None,
            strategy: Strategy::Range,
            session_timeout: Duration::from_secs(10),
            from: None,
            offset_reset: AutoOffsetReset::default(),
            follow: false,
            max_messages: None,
            commit: CommitPolicy::default(),
            warn: |_| {},
            on_assigned: |_, _, _, _| {},
        }
    }

    fn join(&self) -> JoinOptions {
        JoinOptions {
            group: self.group.clone(),
            topics: self.topics.clone(),
            client_id: self.client_id.clone(),
            strategy: self.strategy,
            session_timeout: self.session_timeout,
        }
    }
}

/// Why the member left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberStop {
    /// Without follow: every assigned partition was read to its end.
    Drained,
    CountReached,
    /// The caller's stop flag was set.
    Stopped,
}

/// What a member did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberReport {
    /// The last member id (a fenced member rejoins with a new one).
    pub member_id: String,
    pub generation: u64,
    pub delivered: u64,
    pub commits: u64,
    pub rebalances: u64,
    pub stop: MemberStop,
    /// Records written that the reader had not taken when the member left
    /// (not committed: the group reads them again).
    pub untaken: u64,
}

struct Run<'a> {
    opts: &'a MemberOptions,
    consumer: Consumer,
    owned: BTreeMap<TopicPartition, OwnerClaim>,
    pending: Vec<TopicPartition>,
    committed: BTreeMap<TopicPartition, CommitPoint>,
    delivery: Delivery,
    since_commit: u64,
    last_commit: Instant,
    commits: u64,
    rebalances: u64,
    /// The generation and assignment last told to `on_assigned`.
    announced: Option<(u64, Vec<TopicPartition>)>,
}

/// Runs one group member until it leaves; see the module doc.
pub fn run_member(
    cluster: &Cluster,
    opts: &MemberOptions,
    sink: &mut dyn RecordSink,
    stop: &AtomicBool,
) -> Result<MemberReport> {
    let mut member = Membership::join(cluster, &opts.join())?;
    let mut run = Run {
        opts,
        consumer: Consumer::new(cluster),
        owned: BTreeMap::new(),
        pending: member.assignment().to_vec(),
        committed: BTreeMap::new(),
        delivery: Delivery::default(),
        since_commit: 0,
        last_commit: Instant::now(),
        commits: 0,
        rebalances: 0,
        announced: None,
    };
    run.announce(&member);
    run.consumer.set_max_messages(opts.max_messages);
    run.consumer.on_truncation(opts.offset_reset, opts.warn);
    run.consumer.watch(member.paths().dir());
    let outcome = run.drive(cluster, &mut member, sink, stop);
    let outcome = outcome.and_then(|reason| run.drain(cluster, &mut member, sink).map(|()| reason));
    let report = |run: &Run<'_>, member: &Membership, stop| MemberReport {
        member_id: member.member_id().to_string(),
        generation: member.generation(),
        delivered: run.consumer.delivered(),
        commits: run.commits,
        rebalances: run.rebalances,
        stop,
        untaken: run.delivery.untaken() as u64,
    };
    match outcome {
        Ok(reason) => {
            let done = report(&run, &member, reason);
            run.owned.clear();
            member.leave()?;
            Ok(done)
        }
        Err(e) => {
            // What the reader took is committed, the rest (after damage in
            // the log, or in the pipe or our buffer when the reader went
            // away) is read again by the next owner.
            if !e.is_output_closed() && sink.finish().is_ok() {
                run.wait_taken(sink, None);
            }
            run.commit_taken(&member, sink);
            run.owned.clear();
            let _ = member.leave();
            Err(e)
        }
    }
}

impl Run<'_> {
    fn drive(
        &mut self,
        cluster: &Cluster,
        member: &mut Membership,
        sink: &mut dyn RecordSink,
        stop: &AtomicBool,
    ) -> Result<MemberStop> {
        loop {
            if stop.load(Ordering::Relaxed) {
                self.flush_commit(cluster, member, sink)?;
                return Ok(MemberStop::Stopped);
            }
            member.heartbeat()?;
            match member.refresh()? {
                GroupEvent::Unchanged => {}
                GroupEvent::Rebalanced => self.rebalanced(cluster, member, sink)?,
                GroupEvent::Fenced(_) => self.rejoin(cluster, member)?,
            }
            self.take_pending(member, sink)?;
            if self.pending.is_empty() && !member.is_synced() {
                member.mark_synced()?;
            }
            if self.opts.max_messages.is_some_and(|max| self.consumer.delivered() >= max) {
                self.flush_commit(cluster, member, sink)?;
                return Ok(MemberStop::CountReached);
            }
            let mut tracked = Tracked { sink: &mut *sink, delivery: &mut self.delivery };
            match self.consumer.poll(&mut tracked)? {
                PollState::Progress(n) => {
                    self.since_commit += n;
                    let policy = self.opts.commit;
                    if self.since_commit >= policy.every_records || self.last_commit.elapsed() >= policy.interval {
                        self.flush_commit(cluster, member, sink)?;
                    }
                }
                PollState::Idle => {
                    self.flush_commit(cluster, member, sink)?;
                    self.wait();
                }
                PollState::Finished => {
                    self.flush_commit(cluster, member, sink)?;
                    if self.opts.max_messages.is_some_and(|max| self.consumer.delivered() >= max) {
                        return Ok(MemberStop::CountReached);
                    }
                    if !self.opts.follow && self.pending.is_empty() {
                        return Ok(MemberStop::Drained);
                    }
                    self.wait();
                }
            }
        }
    }

    fn wait(&mut self) {
        let pause = if self.pending.is_empty() { CHECK_INTERVAL } else { Duration::from_millis(20) };
        self.consumer.wait(pause);
    }

    /// Leaving: lets the sink finish its work (heartbeating, and committing
    /// what is done every commit interval, however long that takes), waits
    /// (at most [`DRAIN_WAIT`]) for the reader to take what is still in the
    /// pipe, then commits what it took.
    fn drain(&mut self, cluster: &Cluster, member: &mut Membership, sink: &mut dyn RecordSink) -> Result<()> {
        while !sink.finish_step().map_err(Error::output)? {
            member.heartbeat()?;
            if self.last_commit.elapsed() >= self.opts.commit.interval {
                self.flush_commit(cluster, member, sink)?;
            }
        }
        self.wait_taken(sink, None);
        self.flush_commit(cluster, member, sink)
    }

    /// After an error: one commit of what the reader took, without flushing;
    /// refused or failing, nothing is committed (read again).
    fn commit_taken(&mut self, member: &Membership, sink: &dyn RecordSink) {
        self.delivery.taken_from(sink);
        let changed = self.changed_positions(member, false);
        if !changed.is_empty() {
            let _ = member.commit(&changed);
        }
    }

    /// Flushes the sink, then commits what the reader took.
    fn flush_commit(&mut self, cluster: &Cluster, member: &mut Membership, sink: &mut dyn RecordSink) -> Result<()> {
        self.commit_positions(cluster, member, sink, false)
    }

    /// Flushes the sink, then commits the positions of the partitions held that the
    /// reader took (`revoked_only`: of those the current assignment no longer has). A commit fenced
    /// only because the group moved to a newer generation (a member joined or left
    /// meanwhile) is retried in that generation: this member still holds the claims of
    /// what it read, so the commit is its to make, and re-reading it would only
    /// duplicate. Fenced otherwise (evicted), the member drops what it did not commit
    /// and rejoins.
    fn commit_positions(
        &mut self,
        cluster: &Cluster,
        member: &mut Membership,
        sink: &mut dyn RecordSink,
        revoked_only: bool,
    ) -> Result<()> {
        self.since_commit = 0;
        self.last_commit = Instant::now();
        let mut newer_generation = false;
        sink.flush().map_err(Error::output)?;
        for _ in 0..COMMIT_ATTEMPTS {
            self.delivery.taken_from(sink);
            let changed = self.changed_positions(member, revoked_only);
            if changed.is_empty() {
                return if newer_generation { self.take_up_assignment(member) } else { Ok(()) };
            }
            match member.commit(&changed)? {
                CommitOutcome::Committed => {
                    self.commits += 1;
                    self.committed.extend(changed);
                    return if newer_generation { self.take_up_assignment(member) } else { Ok(()) };
                }
                CommitOutcome::Fenced(_) => match member.refresh()? {
                    GroupEvent::Rebalanced => {
                        self.rebalances += 1;
                        newer_generation = true;
                        let revoked = self.revoked(member);
                        if !sink.release(&revoked).map_err(Error::output)? {
                            self.wait_taken(sink, Some(&revoked));
                        }
                    }
                    GroupEvent::Unchanged | GroupEvent::Fenced(_) => break,
                },
            }
        }
        self.rejoin(cluster, member)
    }

    /// The held partitions whose position taken by the reader is not
    /// committed yet (`revoked_only`: only those no longer assigned).
    fn changed_positions(&self, member: &Membership, revoked_only: bool) -> Vec<(TopicPartition, CommitPoint)> {
        self.consumer
            .positions()
            .into_iter()
            .map(|(topic, partition, next)| {
                let p = TopicPartition { topic, partition };
                let at = self.delivery.commit_point(&p, next);
                (p, at)
            })
            .filter(|(p, at)| self.owned.contains_key(p) && self.committed.get(p) != Some(at))
            .filter(|(p, _)| !revoked_only || !member.assignment().contains(p))
            .collect()
    }

    /// A new generation. Eager strategies (Kafka's EAGER protocol, as runnel runs it):
    /// commit everything held, release what was revoked, queue what was added.
    /// Cooperative-sticky (KIP-429): the partitions kept are not touched (no commit, no
    /// stop); only the revoked ones are committed and released, then the follow-up
    /// rebalance hands them to their new owners.
    fn rebalanced(&mut self, cluster: &Cluster, member: &mut Membership, sink: &mut dyn RecordSink) -> Result<()> {
        self.rebalances += 1;
        let cooperative = member.strategy().is_cooperative();
        let revoked = self.revoked(member);
        if !revoked.is_empty() {
            // Their next owner starts at our commit: let the reader take them first.
            let let_go = sink.release(&revoked).map_err(Error::output)?;
            sink.flush().map_err(Error::output)?;
            if !let_go {
                self.wait_taken(sink, Some(&revoked));
            }
        }
        self.commit_positions(cluster, member, sink, cooperative)?;
        self.take_up_assignment(member)
    }

    /// The partitions held that the current assignment no longer has.
    fn revoked(&self, member: &Membership) -> Vec<TopicPartition> {
        self.owned.keys().filter(|p| !member.assignment().contains(p)).cloned().collect()
    }

    /// Waits until the reader took every record delivered of `only` these
    /// partitions (`None`: of all), the reader has gone, or [`DRAIN_WAIT`]
    /// has passed.
    fn wait_taken(&mut self, sink: &dyn RecordSink, only: Option<&[TopicPartition]>) {
        let started = Instant::now();
        loop {
            self.delivery.taken_from(sink);
            let left = only.map_or_else(|| self.delivery.untaken(), |ps| self.delivery.untaken_of(ps));
            if left == 0 || sink.reader_gone() || started.elapsed() >= DRAIN_WAIT {
                return;
            }
            std::thread::sleep(DRAIN_POLL);
        }
    }

    /// Releases the partitions the member's current assignment no longer has (committed
    /// by the caller) and queues the ones it gained. With cooperative-sticky, a member that
    /// lost something (held, or still waiting for its claim) then completes the rebalance
    /// (its second phase).
    /// Tells `on_assigned` the member's assignment if it changed.
    fn announce(&mut self, member: &Membership) {
        let now = (member.generation(), member.assignment().to_vec());
        if self.announced.as_ref() != Some(&now) {
            (self.opts.on_assigned)(&self.opts.group, self.announced.is_none(), now.0, &now.1);
            self.announced = Some(now);
        }
    }

    fn take_up_assignment(&mut self, member: &mut Membership) -> Result<()> {
        self.announce(member);
        let assigned = member.assignment().to_vec();
        let revoked: Vec<TopicPartition> = self.owned.keys().filter(|p| !assigned.contains(p)).cloned().collect();
        let released = !revoked.is_empty() || self.pending.iter().any(|p| !assigned.contains(p));
        for p in revoked {
            self.consumer.unassign(&p.topic, p.partition);
            self.delivery.stop(&p);
            self.committed.remove(&p);
            self.owned.remove(&p);
        }
        self.pending = assigned.into_iter().filter(|p| !self.owned.contains_key(p)).collect();
        if released && member.strategy().is_cooperative() {
            member.complete_cooperative_rebalance()?;
        }
        Ok(())
    }

    /// Fenced (evicted): drop everything uncommitted and join afresh.
    fn rejoin(&mut self, cluster: &Cluster, member: &mut Membership) -> Result<()> {
        self.rebalances += 1;
        for p in self.owned.keys() {
            self.consumer.unassign(&p.topic, p.partition);
        }
        self.owned.clear();
        self.committed.clear();
        self.delivery.clear();
        *member = Membership::join(cluster, &self.opts.join())?;
        self.announce(member);
        self.pending = member.assignment().to_vec();
        Ok(())
    }

    /// Claims the assigned partitions whose previous owners let go, and
    /// starts reading them at the committed offset (else at `from`); for
    /// at most [`TAKE_FOR`] per call, so that a member of tens of
    /// thousands of partitions heartbeats, reads and sees a stop between.
    fn take_pending(&mut self, member: &mut Membership, sink: &mut dyn RecordSink) -> Result<()> {
        let mut still = Vec::new();
        let mut taken = Vec::new();
        let started = Instant::now();
        let mut pending = std::mem::take(&mut self.pending).into_iter();
        for p in pending.by_ref() {
            match member.take_partition(&p)? {
                Some(claim) => taken.push((p, claim)),
                None => still.push(p),
            }
            if started.elapsed() >= TAKE_FOR {
                break;
            }
        }
        still.extend(pending);
        self.pending = still;
        if taken.is_empty() {
            return Ok(());
        }
        // Read once every claim is taken: a previous owner commits before it lets go.
        let partitions: Vec<TopicPartition> = taken.iter().map(|(p, _)| p.clone()).collect();
        let commits = member.committed_all(&partitions)?;
        for ((p, claim), committed) in taken.into_iter().zip(commits) {
            sink.claimed(&p.topic, p.partition, member.member_id()).map_err(Error::output)?;
            let until = if self.opts.follow { Until::Never } else { Until::End };
            let in_group = |e: Error| Error::new(e.kind, format!("group '{}': {}", self.opts.group, e.message));
            // The leader is up and holds a log (else 69) before its history
            // is read; reading starts from this look, not another.
            let look = self.consumer.look(&p.topic, p.partition)?;
            let bounds = look.bounds();
            let resume = self.checked_commit(&p, committed).map_err(in_group)?;
            let tp = (p.topic.as_str(), p.partition);
            let offset = resume.map(|at| at.offset);
            let start = start_position(tp, offset, self.opts.from, self.opts.offset_reset, bounds).map_err(in_group)?;
            let epoch = resume.and_then(|at| at.leader_epoch);
            let start_offset = self.consumer.assign_in(look, start, epoch, until)?;
            let known = epoch.filter(|_| start == Position::Offset(start_offset));
            self.delivery.start(&p, known);
            if let Some(at) = committed {
                self.committed.insert(p.clone(), at);
            }
            self.owned.insert(p, claim);
        }
        Ok(())
    }
}

impl Run<'_> {
    /// The committed position of `p`, checked against its leader's epoch
    /// history when it carries an epoch: a log truncated below it (an
    /// unclean election) resumes at the divergence point, with a warning.
    fn checked_commit(&mut self, p: &TopicPartition, committed: Option<CommitPoint>) -> Result<Option<CommitPoint>> {
        let Some(at) = committed else {
            return Ok(None);
        };
        let Some(epoch) = at.leader_epoch else {
            return Ok(Some(at));
        };
        Ok(Some(match self.consumer.check_position(&p.topic, p.partition, at.offset, epoch)? {
            Checked::Valid => at,
            Checked::Resume { offset, epoch, warning } => {
                self.consumer.warn(&format!("{warning} (group '{}')", self.opts.group));
                CommitPoint { offset, leader_epoch: epoch }
            }
        }))
    }
}

/// Whether an error means the output went away (a closed pipe).
pub fn is_output_closed(err: &Error) -> bool {
    err.is_output_closed()
}

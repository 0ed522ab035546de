//! The member loop: joins the group, claims its assigned partitions and
//! reads them with a [`Consumer`] from the committed offsets (else from
//! `from`), flushes the sink and only then commits what it delivered
//! (at-least-once through a pipe), reacts to rebalances (commit, release
//! what was revoked, claim what was added; with cooperative-sticky only the
//! revoked partitions are committed and released, and the member that released
//! them triggers the follow-up rebalance that assigns them), and leaves cleanly
//! at the end:
//! drained (without follow), `max_messages` reached, or `stop` set.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::membership::{CHECK_INTERVAL, GroupEvent, JoinOptions, Membership};
use super::offset_reset::{AutoOffsetReset, start_position};
use super::offsets::CommitOutcome;
use super::owners::OwnerClaim;
use crate::cluster::Cluster;
use crate::consumer::assignors::Strategy;
use crate::consumer::{Consumer, PollState, Position, RecordSink, TopicPartition};
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
}

struct Run<'a> {
    opts: &'a MemberOptions,
    consumer: Consumer,
    owned: BTreeMap<TopicPartition, OwnerClaim>,
    pending: Vec<TopicPartition>,
    committed: BTreeMap<TopicPartition, u64>,
    since_commit: u64,
    last_commit: Instant,
    commits: u64,
    rebalances: u64,
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
        since_commit: 0,
        last_commit: Instant::now(),
        commits: 0,
        rebalances: 0,
    };
    run.consumer.set_max_messages(opts.max_messages);
    run.consumer.watch(member.paths().dir());
    let outcome = run.drive(cluster, &mut member, sink, stop);
    let report = |run: &Run<'_>, member: &Membership, stop| MemberReport {
        member_id: member.member_id().to_string(),
        generation: member.generation(),
        delivered: run.consumer.delivered(),
        commits: run.commits,
        rebalances: run.rebalances,
        stop,
    };
    match outcome {
        Ok(reason) => {
            let done = report(&run, &member, reason);
            run.owned.clear();
            member.leave()?;
            Ok(done)
        }
        Err(e) => {
            // Nothing more is committed: what was not flushed is read again by the next owner.
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
            self.take_pending(member)?;
            if self.pending.is_empty() && !member.is_synced() {
                member.mark_synced()?;
            }
            if self.opts.max_messages.is_some_and(|max| self.consumer.delivered() >= max) {
                self.flush_commit(cluster, member, sink)?;
                return Ok(MemberStop::CountReached);
            }
            match self.consumer.poll(sink)? {
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

    /// Flushes the sink, then commits the positions it delivered.
    fn flush_commit(&mut self, cluster: &Cluster, member: &mut Membership, sink: &mut dyn RecordSink) -> Result<()> {
        self.commit_positions(cluster, member, sink, false)
    }

    /// Flushes the sink, then commits the delivered positions of the partitions held
    /// (`revoked_only`: of those the current assignment no longer has). A commit fenced
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
        let mut flushed = false;
        let mut newer_generation = false;
        for _ in 0..COMMIT_ATTEMPTS {
            let changed = self.changed_positions(member, revoked_only);
            if changed.is_empty() {
                return if newer_generation { self.take_up_assignment(member) } else { Ok(()) };
            }
            if !flushed {
                sink.flush().map_err(Error::output)?;
                flushed = true;
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
                    }
                    GroupEvent::Unchanged | GroupEvent::Fenced(_) => break,
                },
            }
        }
        self.rejoin(cluster, member)
    }

    /// The held partitions whose delivered position is not committed yet
    /// (`revoked_only`: only those no longer assigned).
    fn changed_positions(&self, member: &Membership, revoked_only: bool) -> Vec<(TopicPartition, u64)> {
        self.consumer
            .positions()
            .into_iter()
            .map(|(topic, partition, next)| (TopicPartition { topic, partition }, next))
            .filter(|(p, next)| self.owned.contains_key(p) && self.committed.get(p) != Some(next))
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
        self.commit_positions(cluster, member, sink, cooperative)?;
        self.take_up_assignment(member)
    }

    /// Releases the partitions the member's current assignment no longer has (committed
    /// by the caller) and queues the ones it gained. With cooperative-sticky, a member that
    /// lost something (held, or still waiting for its claim) then completes the rebalance
    /// (its second phase).
    fn take_up_assignment(&mut self, member: &mut Membership) -> Result<()> {
        let assigned = member.assignment().to_vec();
        let revoked: Vec<TopicPartition> = self.owned.keys().filter(|p| !assigned.contains(p)).cloned().collect();
        let released = !revoked.is_empty() || self.pending.iter().any(|p| !assigned.contains(p));
        for p in revoked {
            self.consumer.unassign(&p.topic, p.partition);
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
        *member = Membership::join(cluster, &self.opts.join())?;
        self.pending = member.assignment().to_vec();
        Ok(())
    }

    /// Claims the assigned partitions whose previous owners let go, and
    /// starts reading them at the committed offset (else at `from`).
    fn take_pending(&mut self, member: &mut Membership) -> Result<()> {
        let mut still = Vec::new();
        for p in std::mem::take(&mut self.pending) {
            let Some(claim) = member.take_partition(&p)? else {
                still.push(p);
                continue;
            };
            let follow = self.opts.follow;
            let committed = member.committed(&p)?;
            let bounds = self.consumer.log_bounds(&p.topic, p.partition)?;
            let tp = (p.topic.as_str(), p.partition);
            let start = start_position(tp, committed, self.opts.from, self.opts.offset_reset, bounds)
                .map_err(|e| Error::new(e.kind, format!("group '{}': {}", self.opts.group, e.message)))?;
            self.consumer.assign(&p.topic, p.partition, start, follow)?;
            if let Some(offset) = committed {
                self.committed.insert(p.clone(), offset);
            }
            self.owned.insert(p, claim);
        }
        self.pending = still;
        Ok(())
    }
}

/// Whether an error means the output went away (a closed pipe).
pub fn is_output_closed(err: &Error) -> bool {
    err.is_output_closed()
}

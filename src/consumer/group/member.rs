//! The member loop: joins the group, claims its assigned partitions and
//! reads them with a [`Consumer`] from the committed offsets (else from
//! `from`), flushes the sink and only then commits what it delivered
//! (at-least-once through a pipe), reacts to rebalances (commit, release
//! what was revoked, claim what was added), and leaves cleanly at the end:
//! drained (without follow), `max_messages` reached, or `stop` set.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::claim::Claim;
use super::membership::{CHECK_INTERVAL, GroupEvent, JoinOptions, Membership};
use super::offsets::CommitOutcome;
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
    /// Where to start a partition the group has no committed offset for.
    pub from: Position,
    pub follow: bool,
    pub max_messages: Option<u64>,
    pub commit: CommitPolicy,
}

impl MemberOptions {
    /// Kafka's defaults: range strategy, 10 s session, from the beginning.
    pub fn new(group: &str, topics: Vec<String>) -> MemberOptions {
        MemberOptions {
            group: group.to_string(),
            topics,
            client_id: None,
            strategy: Strategy::Range,
            session_timeout: Duration::from_secs(10),
            from: Position::Beginning,
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
    owned: BTreeMap<TopicPartition, Claim>,
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

    /// Flushes the sink, then commits the positions it delivered. A commit
    /// fenced only because the group moved to a newer generation (a member
    /// joined or left meanwhile) is retried in that generation: this member
    /// still holds the claims of what it read, so the commit is its to make,
    /// and re-reading it would only duplicate. Fenced otherwise (evicted),
    /// the member drops what it did not commit and rejoins.
    fn flush_commit(&mut self, cluster: &Cluster, member: &mut Membership, sink: &mut dyn RecordSink) -> Result<()> {
        let changed: Vec<(TopicPartition, u64)> = self
            .consumer
            .positions()
            .into_iter()
            .map(|(topic, partition, next)| (TopicPartition { topic, partition }, next))
            .filter(|(p, next)| self.owned.contains_key(p) && self.committed.get(p) != Some(next))
            .collect();
        self.since_commit = 0;
        self.last_commit = Instant::now();
        if changed.is_empty() {
            return Ok(());
        }
        sink.flush().map_err(Error::output)?;
        let mut newer_generation = false;
        for _ in 0..COMMIT_ATTEMPTS {
            match member.commit(&changed)? {
                CommitOutcome::Committed => {
                    self.commits += 1;
                    self.committed.extend(changed);
                    if newer_generation {
                        self.take_up_assignment(member);
                    }
                    return Ok(());
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

    /// A new generation: commit everything held, release what was revoked,
    /// and queue what was added.
    fn rebalanced(&mut self, cluster: &Cluster, member: &mut Membership, sink: &mut dyn RecordSink) -> Result<()> {
        self.rebalances += 1;
        self.flush_commit(cluster, member, sink)?;
        self.take_up_assignment(member);
        Ok(())
    }

    /// Releases the partitions the member's current assignment no longer
    /// has (after committing them) and queues the ones it gained.
    fn take_up_assignment(&mut self, member: &Membership) {
        let assigned = member.assignment().to_vec();
        let revoked: Vec<TopicPartition> = self.owned.keys().filter(|p| !assigned.contains(p)).cloned().collect();
        for p in revoked {
            self.consumer.unassign(&p.topic, p.partition);
            self.committed.remove(&p);
            self.owned.remove(&p);
        }
        self.pending = assigned.into_iter().filter(|p| !self.owned.contains_key(p)).collect();
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
            match member.committed(&p)? {
                Some(offset) => {
                    // Moved to the log start if retention passed it.
                    self.consumer.assign(&p.topic, p.partition, Position::Offset(offset), follow)?;
                    self.committed.insert(p.clone(), offset);
                }
                None => {
                    self.consumer.assign(&p.topic, p.partition, self.opts.from, follow)?;
                }
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

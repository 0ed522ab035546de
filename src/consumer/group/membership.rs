//! One member's handle on its group: join (claim `members/<id>.lock`, add
//! itself, rebalance), heartbeat, notice changes (a new `state.json`, a
//! member that died or went silent, a topic that grew: rebalance), take
//! ownership claims of assigned partitions, commit (fenced), mark the
//! current generation synced, and leave (rebalancing for the others).
//! Every change of `state.json` happens under the group lock.

use std::time::{Duration, Instant};

use super::claim::{self, Claim};
use super::delivery::CommitPoint;
use super::heartbeat::Heartbeat;
use super::liveness;
use super::offsets::{self, CommitOutcome, OffsetsFile, lock_group};
use super::owners::{OwnerClaim, Owners};
use super::paths::GroupPaths;
use super::state::{self, GroupState, MemberInfo, MemberKind};
use crate::cluster::Cluster;
use crate::consumer::TopicPartition;
use crate::consumer::assignors::Strategy;
use crate::error::{Error, Result};
use crate::sys::clock::now_ms;
use crate::sys::ids::new_id;
use crate::sys::json_file::FileStamp;

/// How often a member looks at the others' liveness claims.
pub const CHECK_INTERVAL: Duration = Duration::from_millis(500);

/// Who joins and how.
#[derive(Debug, Clone)]
pub struct JoinOptions {
    pub group: String,
    pub topics: Vec<String>,
    /// Defaults to `runnel-<pid>`.
    pub client_id: Option<String>,
    pub strategy: Strategy,
    pub session_timeout: Duration,
}

/// What `refresh` noticed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupEvent {
    Unchanged,
    /// A new generation: see `assignment()`.
    Rebalanced,
    /// This member is no longer in the group: drop everything, rejoin.
    Fenced(String),
}

/// A live member of a group.
#[derive(Debug)]
pub struct Membership {
    cluster: Cluster,
    paths: GroupPaths,
    member_id: String,
    strategy: Strategy,
    claim: Claim,
    owners: Owners,
    generation: u64,
    assignment: Vec<TopicPartition>,
    state: GroupState,
    stamp: Option<FileStamp>,
    heartbeat_every: Duration,
    last_heartbeat: Instant,
    last_check: Instant,
    background: Option<Heartbeat>,
}

/// This machine's host name.
pub fn hostname() -> String {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .map(|s| s.trim().to_string())
        .find(|s| !s.is_empty())
        .unwrap_or_else(|| "localhost".to_string())
}

/// A member id `<client_id>-<16 hex>` that is a safe file name.
pub(crate) fn member_id_for(client_id: &str) -> String {
    let safe: String = client_id
        .chars()
        .take(100)
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') { c } else { '_' })
        .collect();
    format!("{}-{}", safe.trim_start_matches('.'), new_id())
}

impl Membership {
    /// Joins the group: generation N+1 with this member in it.
    pub fn join(cluster: &Cluster, opts: &JoinOptions) -> Result<Membership> {
        let paths = GroupPaths::new(cluster, &opts.group)?;
        if opts.topics.is_empty() {
            return Err(Error::usage("a group member needs at least one topic"));
        }
        for topic in &opts.topics {
            cluster.topic(topic)?;
        }
        let pid = std::process::id();
        let client_id = opts.client_id.clone().unwrap_or_else(|| format!("runnel-{pid}"));
        let member_id = member_id_for(&client_id);
        let host = hostname();
        let tag = claim::member_tag(&member_id, pid, &host);
        let guard = lock_group(cluster, &paths)?;
        if paths.share_file().exists() {
            let share = crate::consumer::share::GroupType::Share;
            return Err(crate::consumer::share::files::wrong_type(&opts.group, share));
        }
        let mut state = GroupState::load(&paths)?.unwrap_or_default();
        let gone = liveness::departed(&paths, &state, None)?;
        liveness::remove_departed(&paths, &mut state, &gone)?;
        if let Some(led) = &state.client_led {
            if state.members.iter().any(|m| led.members.contains_key(&m.member_id)) {
                return Err(state::client_led_refusal(&opts.group, led));
            }
            // Its clients all left: the group is runnel's again.
            state.client_led = None;
        }
        // Kafka's rule: a member joins when every member can use a strategy
        // it offers. This one offers one: the group switches to it when every
        // member (Kafka clients offering several) can use it.
        if let Some(live) = state.strategy
            && live != opts.strategy
            && !state.members.iter().all(|m| m.offers(Some(live)).contains(&opts.strategy))
        {
            return Err(state::strategy_mismatch(&opts.group, live, opts.strategy));
        }
        let claim = Claim::try_take(&paths.member_lock(&member_id), &tag)?
            .ok_or_else(|| Error::conflict(format!("member id {member_id} is already taken; try again")))?;
        let mut topics = opts.topics.clone();
        topics.sort();
        topics.dedup();
        state.members.push(MemberInfo {
            member_id: member_id.clone(),
            client_id,
            host,
            pid,
            topics,
            session_timeout_ms: opts.session_timeout.as_millis().min(u128::from(u64::MAX)) as u64,
            joined_ms: now_ms(),
            synced_generation: 0,
            assignment: Vec::new(),
            kind: MemberKind::Runnel,
            instance_id: None,
            protocols: Vec::new(),
        });
        let counts = state::partition_counts(cluster, &state.subscribed_topics())?;
        state.rebalance(opts.strategy, counts);
        state.save(&paths)?;
        let stamp = FileStamp::of(&paths.state_file());
        drop(guard);
        let assignment = state.member(&member_id).map(|m| m.assignment.clone()).unwrap_or_default();
        let heartbeat_every = (opts.session_timeout / 3).max(Duration::from_millis(10));
        let background = Some(Heartbeat::start(paths.member_lock(&member_id), heartbeat_every));
        let owners = Owners::new(&paths, &member_id, &tag);
        Ok(Membership {
            cluster: cluster.clone(),
            generation: state.generation,
            paths,
            member_id,
            strategy: opts.strategy,
            claim,
            owners,
            assignment,
            state,
            stamp,
            heartbeat_every,
            last_heartbeat: Instant::now(),
            last_check: Instant::now(),
            background,
        })
    }

    pub fn member_id(&self) -> &str {
        &self.member_id
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// This member's partitions in its current generation.
    pub fn assignment(&self) -> &[TopicPartition] {
        &self.assignment
    }

    pub fn paths(&self) -> &GroupPaths {
        &self.paths
    }

    /// The group state as last read.
    pub fn state(&self) -> &GroupState {
        &self.state
    }

    /// Stops the background heartbeat and the manual one (`heartbeat()`
    /// becomes a no-op): the member then looks hung and is evicted after its
    /// session timeout. For tests and diagnostics.
    pub fn stop_heartbeat(&mut self) {
        self.background = None;
        self.heartbeat_every = Duration::MAX;
    }

    /// Refreshes the heartbeat if it is due (a background thread does it
    /// too; this covers a platform where the thread could not start).
    pub fn heartbeat(&mut self) -> Result<()> {
        if self.last_heartbeat.elapsed() >= self.heartbeat_every {
            self.claim.touch()?;
            self.last_heartbeat = Instant::now();
        }
        Ok(())
    }

    /// Re-reads the group state if it changed and, every `CHECK_INTERVAL`,
    /// rebalances if a member died or went silent or a topic grew.
    pub fn refresh(&mut self) -> Result<GroupEvent> {
        self.reload_if_changed()?;
        if self.last_check.elapsed() >= CHECK_INTERVAL {
            self.last_check = Instant::now();
            if self.state.member(&self.member_id).is_some() && self.needs_rebalance()? {
                self.rebalance_departed()?;
            }
        }
        let Some(me) = self.state.member(&self.member_id) else {
            return Ok(GroupEvent::Fenced(format!(
                "member {} was removed from group '{}'",
                self.member_id,
                self.paths.group()
            )));
        };
        if me.assignment != self.assignment || self.state.generation != self.generation {
            self.assignment = me.assignment.clone();
            self.generation = self.state.generation;
            return Ok(GroupEvent::Rebalanced);
        }
        Ok(GroupEvent::Unchanged)
    }

    fn reload_if_changed(&mut self) -> Result<()> {
        let stamp = FileStamp::of(&self.paths.state_file());
        if stamp != self.stamp || stamp.is_none() {
            self.state = GroupState::load(&self.paths)?.unwrap_or_default();
            self.stamp = stamp;
        }
        Ok(())
    }

    fn needs_rebalance(&self) -> Result<bool> {
        liveness::rebalance_due(&self.cluster, &self.paths, &self.state, Some(&self.member_id))
    }

    /// Under the group lock: drops departed members, rebalances if needed (a member
    /// left, a topic grew, or a cooperative rebalance still has its second phase due).
    fn rebalance_departed(&mut self) -> Result<()> {
        let guard = lock_group(&self.cluster, &self.paths)?;
        let mut state = GroupState::load(&self.paths)?.unwrap_or_default();
        if state.member(&self.member_id).is_some() {
            let me = Some(self.member_id.as_str());
            liveness::rebalance_if_due(&self.cluster, &self.paths, &mut state, me, self.strategy, false)?;
        }
        self.stamp = FileStamp::of(&self.paths.state_file());
        drop(guard);
        self.state = state;
        Ok(())
    }

    /// The strategy this member joined with (the group's).
    pub fn strategy(&self) -> Strategy {
        self.strategy
    }

    /// The second phase of a cooperative rebalance (KIP-429), after this member released
    /// the partitions it lost: if the current generation left partitions unassigned (they
    /// were waiting for their owners to let go), moves the group to the next generation,
    /// where nobody owns them and the assignor gives them out. Returns whether it did.
    /// (Should that member die first, the others notice its departure; should it not have
    /// held them, `refresh` does this once every member has synced the generation.)
    pub fn complete_cooperative_rebalance(&mut self) -> Result<bool> {
        let guard = lock_group(&self.cluster, &self.paths)?;
        let mut state = GroupState::load(&self.paths)?.unwrap_or_default();
        let strategy = state.strategy.unwrap_or(self.strategy);
        let due =
            strategy.is_cooperative() && state.member(&self.member_id).is_some() && state.has_unassigned_partitions();
        if due {
            let counts = state::partition_counts(&self.cluster, &state.subscribed_topics())?;
            state.rebalance(strategy, counts);
            state.save(&self.paths)?;
        }
        self.stamp = FileStamp::of(&self.paths.state_file());
        drop(guard);
        self.state = state;
        Ok(due)
    }

    /// Records that this member has taken up its current generation.
    pub fn mark_synced(&mut self) -> Result<()> {
        let guard = lock_group(&self.cluster, &self.paths)?;
        let mut state = GroupState::load(&self.paths)?.unwrap_or_default();
        let generation = state.generation;
        if generation == self.generation
            && let Some(me) = state.members.iter_mut().find(|m| m.member_id == self.member_id)
            && me.synced_generation != generation
        {
            me.synced_generation = generation;
            state.save(&self.paths)?;
        }
        self.stamp = FileStamp::of(&self.paths.state_file());
        drop(guard);
        self.state = state;
        Ok(())
    }

    /// Whether this member has marked its current generation synced.
    pub fn is_synced(&self) -> bool {
        self.state.member(&self.member_id).is_some_and(|m| m.synced_generation == self.generation)
    }

    /// Takes the ownership claim of `p` if its previous owner let go (or was
    /// evicted: its stale claim is broken). `None`: wait and try again.
    pub fn take_partition(&mut self, p: &TopicPartition) -> Result<Option<OwnerClaim>> {
        self.owners.take(&self.cluster, &self.state, p)
    }

    /// The group's committed offset of `p`, with its leader epoch.
    pub fn committed(&self, p: &TopicPartition) -> Result<Option<CommitPoint>> {
        Ok(self.committed_all(std::slice::from_ref(p))?.pop().flatten())
    }

    /// The group's committed offsets of `partitions`, in their order, from one
    /// read of `offsets.json` (a member taking many partitions reads it once).
    pub fn committed_all(&self, partitions: &[TopicPartition]) -> Result<Vec<Option<CommitPoint>>> {
        let file = OffsetsFile::load(&self.paths)?;
        let point = |p: &TopicPartition| {
            file.get(&p.topic, p.partition).map(|c| CommitPoint { offset: c.offset, leader_epoch: c.leader_epoch })
        };
        Ok(partitions.iter().map(point).collect())
    }

    /// Commits `offsets` (next offsets to read) in this member's generation.
    pub fn commit(&self, offsets: &[(TopicPartition, CommitPoint)]) -> Result<CommitOutcome> {
        offsets::commit(&self.cluster, &self.paths, &self.member_id, self.generation, offsets)
    }

    /// Leaves the group: the others rebalance without this member.
    pub fn leave(self) -> Result<()> {
        let guard = lock_group(&self.cluster, &self.paths)?;
        let mut state = GroupState::load(&self.paths)?.unwrap_or_default();
        if state.member(&self.member_id).is_some() {
            state.members.retain(|m| m.member_id != self.member_id);
            liveness::rebalance_if_due(&self.cluster, &self.paths, &mut state, None, self.strategy, true)?;
        }
        self.claim.remove()?;
        drop(guard);
        Ok(())
    }
}

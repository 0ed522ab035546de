//! The coordinator of Kafka clients' group membership: JoinGroup, SyncGroup,
//! Heartbeat and LeaveGroup over a group's files, and the periodic look
//! (`tick`) that evicts silent members and rebalances for grown topics, as a
//! CLI member's loop does. See the module doc of `remote` for the design.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::types::{GroupError, JoinRequest, Joined, LeaveOutcome, Subscription, Synced};
use crate::cluster::Cluster;
use crate::cluster::metadata::names;
use crate::consumer::TopicPartition;
use crate::consumer::assignors::Strategy;
use crate::consumer::group::claim::{self, Claim};
use crate::consumer::group::liveness;
use crate::consumer::group::membership::{hostname, member_id_for};
use crate::consumer::group::offsets::lock_group;
use crate::consumer::group::owners::{OwnerClaim, Owners};
use crate::consumer::group::paths::GroupPaths;
use crate::consumer::group::state::{self, GroupState, MemberInfo, MemberKind};
use crate::sys::clock::now_ms;

/// The JoinGroup leader named to every client: no member has this id (member
/// ids are `<client id>-<16 hex digits>`), so every client is a follower and
/// takes the assignment runnel computed from SyncGroup.
pub const LEADER_ID: &str = "runnel-coordinator";

/// Kafka's `group.min.session.timeout.ms` default: shorter sessions are refused.
pub const MIN_SESSION_TIMEOUT: Duration = Duration::from_millis(6_000);
/// Kafka's `group.max.session.timeout.ms` default: longer sessions are refused.
pub const MAX_SESSION_TIMEOUT: Duration = Duration::from_millis(1_800_000);

/// How long a SyncGroup waits between two tries at the previous owners' claims.
const CLAIM_RETRY: Duration = Duration::from_millis(10);

/// One Kafka client in a group, as serve holds it.
#[derive(Debug)]
pub(super) struct Remote {
    /// Its liveness claim (`members/<id>.lock`), touched at each of its requests.
    claim: Claim,
    owners: Owners,
    /// The ownership claims serve holds for it.
    pub(super) held: BTreeMap<TopicPartition, OwnerClaim>,
    /// The generation its last JoinGroup answered.
    pub(super) generation: u64,
    pub(super) subscription: Subscription,
    pub(super) instance_id: Option<String>,
    session_timeout: Duration,
    rebalance_timeout: Duration,
}

impl Remote {
    /// A client joining now, whose liveness claim this process took.
    pub(super) fn joining(claim: Claim, owners: Owners, req: &JoinRequest, subscription: Subscription) -> Remote {
        Remote {
            claim,
            owners,
            held: BTreeMap::new(),
            generation: 0,
            subscription,
            instance_id: req.instance_id.clone(),
            session_timeout: req.session_timeout,
            rebalance_timeout: req.rebalance_timeout,
        }
    }

    /// Takes the timeouts of the client's latest JoinGroup.
    pub(super) fn rejoined(&mut self, req: &JoinRequest) {
        self.session_timeout = req.session_timeout;
        self.rebalance_timeout = req.rebalance_timeout;
    }

    /// Lets go of the member's liveness claim (it left, or a static
    /// member's new id took its place).
    pub(super) fn release(self) {
        drop(self.held);
        let _ = self.claim.remove();
    }

    /// How long a SyncGroup of this member may wait.
    pub(super) fn sync_wait(&self) -> Duration {
        (self.session_timeout / 2).min(self.rebalance_timeout)
    }

    /// Refreshes the member's heartbeat (any request from it counts).
    pub(super) fn touch_claim(&self) {
        self.touch();
    }

    fn touch(&self) {
        // A failed touch shows later as a missed heartbeat; the request goes on.
        let _ = self.claim.touch();
    }
}

/// The clients of one group that this process coordinates.
#[derive(Debug)]
pub(super) struct RemoteGroup {
    pub(super) paths: GroupPaths,
    pub(super) members: BTreeMap<String, Remote>,
    /// Member ids handed out with `MEMBER_ID_REQUIRED`, until they expire.
    pending: BTreeMap<String, Instant>,
}

/// The member a JoinGroup is for.
pub(super) struct Resolved {
    pub member_id: String,
    /// Not a member yet (a first join, or the second one after `MEMBER_ID_REQUIRED`).
    pub new: bool,
    /// The member of this process holding the client's `group.instance.id`.
    pub static_holder: Option<String>,
}

impl RemoteGroup {
    /// Forgets the clients that `state` no longer lists (evicted by someone):
    /// their claims are released.
    pub(super) fn forget_missing(&mut self, state: &GroupState) {
        self.members.retain(|id, _| state.member(id).is_some());
    }

    /// The member a JoinGroup is for, as Kafka decides it: a new one (asked
    /// to join again with the id handed out, from JoinGroup v4, unless
    /// static), a known one, or a refusal (an unknown id; a static instance
    /// another member holds).
    pub(super) fn resolve_member(&mut self, req: &JoinRequest) -> Result<Resolved, GroupError> {
        let now = Instant::now();
        self.pending.retain(|_, until| *until > now);
        let static_holder = req.instance_id.as_ref().and_then(|instance| {
            self.members.iter().find(|(_, r)| r.instance_id.as_ref() == Some(instance)).map(|(id, _)| id.clone())
        });
        let (member_id, new) = if req.member_id.is_empty() {
            let id = member_id_for(&req.client_id);
            if req.instance_id.is_none() && req.requires_known_member_id {
                self.pending.insert(id.clone(), now + req.session_timeout);
                return Err(GroupError::MemberIdRequired(id));
            }
            (id, true)
        } else if self.pending.remove(&req.member_id).is_some() {
            (req.member_id.clone(), true)
        } else if self.members.contains_key(&req.member_id) {
            (req.member_id.clone(), false)
        } else if static_holder.is_some() {
            return Err(GroupError::FencedInstanceId);
        } else {
            return Err(GroupError::UnknownMemberId);
        };
        if static_holder.as_ref().is_some_and(|holder| *holder != member_id) && !new {
            return Err(GroupError::FencedInstanceId);
        }
        Ok(Resolved { member_id, new, static_holder })
    }
}

/// The group coordinator of one serve process. Cheap to share between
/// connection threads; each group is locked on its own.
#[derive(Debug)]
pub struct Coordinator {
    pub(super) cluster: Cluster,
    groups: Mutex<BTreeMap<String, Arc<Mutex<RemoteGroup>>>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The generation a client sent, as runnel counts them (`None`: negative).
fn generation_of(generation: i32) -> Option<u64> {
    u64::try_from(generation).ok()
}

impl Coordinator {
    pub fn new(cluster: &Cluster) -> Coordinator {
        Coordinator { cluster: cluster.clone(), groups: Mutex::new(BTreeMap::new()) }
    }

    pub fn cluster(&self) -> &Cluster {
        &self.cluster
    }

    /// The paths of `group`, refusing a name runnel cannot use.
    pub(super) fn paths(&self, group: &str) -> Result<GroupPaths, GroupError> {
        GroupPaths::new(&self.cluster, group).map_err(|_| GroupError::InvalidGroupId)
    }

    pub(super) fn group(&self, group: &str) -> Result<Arc<Mutex<RemoteGroup>>, GroupError> {
        let paths = self.paths(group)?;
        let mut groups = lock(&self.groups);
        let entry = groups.entry(group.to_string()).or_insert_with(|| {
            Arc::new(Mutex::new(RemoteGroup { paths, members: BTreeMap::new(), pending: BTreeMap::new() }))
        });
        Ok(Arc::clone(entry))
    }

    /// The group's entry if this process coordinates clients of it.
    pub(super) fn known_group(&self, group: &str) -> Option<Arc<Mutex<RemoteGroup>>> {
        lock(&self.groups).get(group).cloned()
    }

    /// JoinGroup: adds the client (or takes its rejoin), releases the claims of
    /// what it no longer owns, and moves the group to a new generation when
    /// something changed (a new member, a new subscription, a departed member,
    /// a grown topic, a cooperative rebalance's second phase).
    pub fn join(&self, req: &JoinRequest) -> Result<Joined, GroupError> {
        if req.protocol_type != "consumer" {
            return Err(GroupError::InconsistentGroupProtocol);
        }
        if req.session_timeout < MIN_SESSION_TIMEOUT || req.session_timeout > MAX_SESSION_TIMEOUT {
            return Err(GroupError::InvalidSessionTimeout);
        }
        let entry = self.group(&req.group)?;
        let mut g = lock(&entry);
        let Resolved { member_id, new, static_holder } = g.resolve_member(req)?;
        let paths = g.paths.clone();
        let guard = lock_group(&self.cluster, &paths)?;
        let mut state = GroupState::load(&paths)?.unwrap_or_default();
        g.forget_missing(&state);
        if super::client_led::led_by_live_clients(&paths, &state)? {
            // Its live Kafka clients assign among themselves, with protocols
            // this client does not offer first (or it would have joined them).
            return Err(GroupError::InconsistentGroupProtocol);
        }
        // Its clients all left or died: the group is runnel's again (the
        // dead are removed below).
        state.client_led = None;
        if !new && !g.members.contains_key(&member_id) {
            return Err(GroupError::UnknownMemberId);
        }
        let mut changed = false;
        // A static member rejoining under a new id takes its old self's
        // place (KIP-345): its assignment and generation, no rebalance
        // unless its subscription changed. The old id's ownership claims are
        // let go here, for the new id's SyncGroup to take.
        let mut replacing = false;
        if new && let Some(old) = static_holder {
            if let Some(remote) = g.members.remove(&old) {
                remote.release();
            }
            // Renamed now: the old id's claim is gone, and it is no departure.
            if let Some(me) = state.members.iter_mut().find(|m| m.member_id == old) {
                me.member_id.clone_from(&member_id);
                replacing = true;
            }
        }
        let gone = liveness::departed(&paths, &state, Some(&member_id))?;
        changed |= liveness::remove_departed(&paths, &mut state, &gone)?;
        let others: Vec<Vec<Strategy>> =
            state.members.iter().filter(|m| m.member_id != member_id).map(|m| m.offers(state.strategy)).collect();
        let (strategy, subscription) = select_protocol(&req.protocols, &others, state.strategy)?;
        let protocols = known_protocols(&req.protocols);
        let topics = usable_topics(&subscription.topics);
        if new {
            let tag = claim::member_tag(&member_id, std::process::id(), &hostname());
            let claim = Claim::try_take(&paths.member_lock(&member_id), &tag)?.ok_or(GroupError::UnknownMemberId)?;
            let joined = MemberInfo {
                member_id: member_id.clone(),
                client_id: req.client_id.clone(),
                host: req.client_host.clone(),
                pid: std::process::id(),
                topics,
                session_timeout_ms: duration_ms(req.session_timeout),
                joined_ms: now_ms(),
                synced_generation: 0,
                assignment: Vec::new(),
                kind: MemberKind::Kafka,
                instance_id: req.instance_id.clone(),
                protocols,
            };
            match state.members.iter_mut().find(|m| replacing && m.member_id == member_id) {
                Some(old) => {
                    changed |= old.topics != joined.topics;
                    let (assignment, synced_generation) = (std::mem::take(&mut old.assignment), old.synced_generation);
                    *old = MemberInfo { assignment, synced_generation, ..joined };
                }
                None => {
                    state.members.push(joined);
                    changed = true;
                }
            }
            let owners = Owners::new(&paths, &member_id, &tag);
            g.members.insert(member_id.clone(), Remote::joining(claim, owners, req, subscription.clone()));
        } else {
            let Some(remote) = g.members.get_mut(&member_id) else { return Err(GroupError::UnknownMemberId) };
            remote.touch();
            // An eager client has revoked everything before it rejoins (Kafka's EAGER
            // protocol); a cooperative one lists what it still owns.
            let owned =
                if strategy.is_cooperative() { subscription.owned.clone().unwrap_or_default() } else { Vec::new() };
            let revoked: Vec<TopicPartition> = remote.held.keys().filter(|p| !owned.contains(p)).cloned().collect();
            for p in &revoked {
                remote.held.remove(p);
            }
            remote.rejoined(req);
            if let Some(info) = state.members.iter_mut().find(|m| m.member_id == member_id) {
                if info.topics != topics {
                    info.topics = topics;
                    changed = true;
                }
                info.session_timeout_ms = duration_ms(req.session_timeout);
                info.client_id.clone_from(&req.client_id);
                info.protocols = protocols;
            }
            if strategy.is_cooperative() && !revoked.is_empty() && state.has_unassigned_partitions() {
                changed = true;
            }
        }
        let counts = state::partition_counts(&self.cluster, &state.subscribed_topics())?;
        if changed
            || counts != state.partition_counts
            || state.strategy != Some(strategy)
            || state.cooperative_follow_up_due()
        {
            state.rebalance(strategy, counts);
        }
        // Saved even without a rebalance: the member's session timeout and client id may have changed.
        state.save(&paths)?;
        drop(guard);
        let Some(remote) = g.members.get_mut(&member_id) else { return Err(GroupError::UnknownMemberId) };
        remote.generation = state.generation;
        remote.subscription = subscription;
        remote.instance_id.clone_from(&req.instance_id);
        Ok(Joined { generation: state.generation, strategy, member_id, leader_id: LEADER_ID.to_string() })
    }

    /// SyncGroup: the member's partitions in `generation`, once serve holds
    /// every one's ownership claim (the previous owners let go). Waits at
    /// most half the member's session timeout (or its rebalance timeout, if
    /// shorter), then answers `REBALANCE_IN_PROGRESS` so the client rejoins.
    pub fn sync(&self, group: &str, member_id: &str, generation: i32) -> Result<Synced, GroupError> {
        let entry = self.known_group(group).ok_or(GroupError::UnknownMemberId)?;
        let started = Instant::now();
        loop {
            let mut g = lock(&entry);
            let paths = g.paths.clone();
            let state = GroupState::load(&paths)?.unwrap_or_default();
            g.forget_missing(&state);
            let Some(remote) = g.members.get_mut(member_id) else { return Err(GroupError::UnknownMemberId) };
            remote.touch();
            let Some(info) = state.member(member_id) else { return Err(GroupError::UnknownMemberId) };
            check_generation(generation, &state, remote)?;
            let mut waiting = false;
            for p in &info.assignment {
                if remote.held.contains_key(p) {
                    continue;
                }
                match remote.owners.take(&self.cluster, &state, p)? {
                    Some(claim) => {
                        remote.held.insert(p.clone(), claim);
                    }
                    None => waiting = true,
                }
            }
            if !waiting {
                let synced = Synced {
                    strategy: state.strategy.unwrap_or(Strategy::Range),
                    version: remote.subscription.version,
                    assignment: info.assignment.clone(),
                };
                self.mark_synced(&paths, member_id, state.generation)?;
                return Ok(synced);
            }
            let limit = remote.sync_wait();
            drop(g);
            if started.elapsed() >= limit {
                return Err(GroupError::RebalanceInProgress);
            }
            std::thread::sleep(CLAIM_RETRY);
        }
    }

    fn mark_synced(&self, paths: &GroupPaths, member_id: &str, generation: u64) -> Result<(), GroupError> {
        let _guard = lock_group(&self.cluster, paths)?;
        let mut state = GroupState::load(paths)?.unwrap_or_default();
        if state.generation != generation {
            return Err(GroupError::RebalanceInProgress);
        }
        if let Some(me) = state.members.iter_mut().find(|m| m.member_id == member_id)
            && me.synced_generation != generation
        {
            me.synced_generation = generation;
            state.save(paths)?;
        }
        Ok(())
    }

    /// Heartbeat: keeps the member alive; `REBALANCE_IN_PROGRESS` when the
    /// group has moved to a generation the member has not joined.
    pub fn heartbeat(&self, group: &str, member_id: &str, generation: i32) -> Result<(), GroupError> {
        let entry = self.known_group(group).ok_or(GroupError::UnknownMemberId)?;
        let mut g = lock(&entry);
        let state = GroupState::load(&g.paths)?.unwrap_or_default();
        g.forget_missing(&state);
        let Some(remote) = g.members.get(member_id) else { return Err(GroupError::UnknownMemberId) };
        remote.touch();
        if state.client_led.is_some() {
            return super::client_led::heartbeat(&state, member_id, generation);
        }
        check_generation(generation, &state, remote)
    }

    /// Kafka's static-membership fence (`validateMember`), for a Heartbeat,
    /// SyncGroup or OffsetCommit naming a `group.instance.id`: another of
    /// this process's members holding that instance id now (the client was
    /// replaced by a newer instance of itself) is `FENCED_INSTANCE_ID`.
    /// Looked up in memory, where the static holder of a JoinGroup is found
    /// too: no file is read on the way to the request's own checks, which
    /// answer a member nobody holds with `UNKNOWN_MEMBER_ID`.
    pub fn check_instance(&self, group: &str, member_id: &str, instance_id: Option<&str>) -> Result<(), GroupError> {
        let Some(instance) = instance_id.filter(|_| !member_id.is_empty()) else { return Ok(()) };
        let Some(entry) = self.known_group(group) else { return Ok(()) };
        let g = lock(&entry);
        let holder = g.members.iter().find(|(_, r)| r.instance_id.as_deref() == Some(instance));
        match holder {
            Some((id, _)) if id != member_id => Err(GroupError::FencedInstanceId),
            _ => Ok(()),
        }
    }

    /// LeaveGroup: each member (by id, or by `group.instance.id` when the id
    /// is empty) leaves; the others rebalance without it, then its claims are
    /// released.
    pub fn leave(&self, group: &str, leaving: &[(String, Option<String>)]) -> Result<Vec<LeaveOutcome>, GroupError> {
        let entry = self.group(group)?;
        let mut g = lock(&entry);
        let paths = g.paths.clone();
        let guard = lock_group(&self.cluster, &paths)?;
        let mut state = GroupState::load(&paths)?.unwrap_or_default();
        g.forget_missing(&state);
        let mut outcomes = Vec::new();
        let mut removed = Vec::new();
        for (member_id, instance_id) in leaving {
            let found = if member_id.is_empty() {
                instance_id.as_ref().and_then(|instance| {
                    g.members.iter().find(|(_, r)| r.instance_id.as_ref() == Some(instance)).map(|(id, _)| id.clone())
                })
            } else {
                g.members.contains_key(member_id).then(|| member_id.clone())
            };
            let result = match found {
                Some(id)
                    if instance_id.is_some()
                        && g.members.get(&id).and_then(|r| r.instance_id.as_ref()) != instance_id.as_ref() =>
                {
                    Err(GroupError::FencedInstanceId)
                }
                Some(id) => {
                    state.members.retain(|m| m.member_id != id);
                    removed.extend(g.members.remove(&id));
                    Ok(())
                }
                None => Err(GroupError::UnknownMemberId),
            };
            outcomes.push(LeaveOutcome { member_id: member_id.clone(), instance_id: instance_id.clone(), result });
        }
        if !removed.is_empty() {
            liveness::rebalance_if_due(&self.cluster, &paths, &mut state, None, Strategy::Range, true)?;
        }
        drop(guard);
        for remote in removed {
            remote.release();
        }
        Ok(outcomes)
    }

    /// The periodic look, every few hundred milliseconds: for each group with
    /// clients here, forgets the clients others evicted and rebalances if a
    /// member died or went silent, a topic grew, or a cooperative rebalance's
    /// second phase is due. Groups without clients here are dropped.
    pub fn tick(&self) -> Result<(), GroupError> {
        let entries: Vec<Arc<Mutex<RemoteGroup>>> = lock(&self.groups).values().cloned().collect();
        for entry in entries {
            let mut g = lock(&entry);
            let now = Instant::now();
            g.pending.retain(|_, until| *until > now);
            let paths = g.paths.clone();
            let state = GroupState::load(&paths)?.unwrap_or_default();
            g.forget_missing(&state);
            if g.members.is_empty() {
                continue;
            }
            if state.client_led.is_some() {
                self.complete_overdue(&paths)?;
            }
            if !liveness::rebalance_due(&self.cluster, &paths, &state, None)? {
                continue;
            }
            let guard = lock_group(&self.cluster, &paths)?;
            let mut state = GroupState::load(&paths)?.unwrap_or_default();
            liveness::rebalance_if_due(&self.cluster, &paths, &mut state, None, Strategy::Range, false)?;
            drop(guard);
            g.forget_missing(&state);
        }
        lock(&self.groups).retain(|_, entry| {
            let g = lock(entry);
            !g.members.is_empty() || !g.pending.is_empty()
        });
        Ok(())
    }
}

/// Whether a request in `generation` fits the member's place in the group.
fn check_generation(generation: i32, state: &GroupState, remote: &Remote) -> Result<(), GroupError> {
    match generation_of(generation) {
        Some(g) if g == state.generation && remote.generation == g => Ok(()),
        Some(g) if g <= state.generation => Err(GroupError::RebalanceInProgress),
        _ => Err(GroupError::IllegalGeneration),
    }
}

/// The strategy and subscription to use, chosen as Kafka's classic group
/// chooses its protocol (`ClassicGroup.selectProtocol`): of the strategies
/// the client and every other member (`others`, each in its order of
/// preference) can use, the one most members prefer — each votes for the
/// first of its own among them. A tie keeps the group's `current`
/// strategy, else goes to the client's preference. None in common is
/// INCONSISTENT_GROUP_PROTOCOL, as Kafka refuses such a member.
pub(super) fn select_protocol(
    protocols: &[(String, Subscription)],
    others: &[Vec<Strategy>],
    current: Option<Strategy>,
) -> Result<(Strategy, Subscription), GroupError> {
    let mine = known_protocols(protocols);
    let candidates: Vec<Strategy> =
        mine.iter().copied().filter(|s| others.iter().all(|offers| offers.contains(s))).collect();
    let vote = |offers: &[Strategy]| offers.iter().copied().find(|s| candidates.contains(s));
    let votes = |s: Strategy| {
        std::iter::once(mine.as_slice()).chain(others.iter().map(Vec::as_slice)).filter(|o| vote(o) == Some(s)).count()
    };
    let most = candidates.iter().map(|&s| votes(s)).max().ok_or(GroupError::InconsistentGroupProtocol)?;
    let chosen = current
        .filter(|&s| candidates.contains(&s) && votes(s) == most)
        .or_else(|| candidates.iter().copied().find(|&s| votes(s) == most))
        .ok_or(GroupError::InconsistentGroupProtocol)?;
    protocols
        .iter()
        .find(|(name, _)| Strategy::parse(name) == Some(chosen))
        .map(|(_, sub)| (chosen, sub.clone()))
        .ok_or(GroupError::InconsistentGroupProtocol)
}

/// The strategies runnel knows among a client's protocols, in its order,
/// each once.
fn known_protocols(protocols: &[(String, Subscription)]) -> Vec<Strategy> {
    let mut known: Vec<Strategy> = Vec::new();
    for s in protocols.iter().filter_map(|(name, _)| Strategy::parse(name)) {
        if !known.contains(&s) {
            known.push(s);
        }
    }
    known
}

/// The topics of a subscription that runnel can name (others cannot exist here).
fn usable_topics(topics: &[String]) -> Vec<String> {
    let mut out: Vec<String> = topics.iter().filter(|t| names::validate_topic(t).is_ok()).cloned().collect();
    out.sort();
    out.dedup();
    out
}

fn duration_ms(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

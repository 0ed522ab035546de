//! JoinGroup and SyncGroup for a group whose assignment a client computes
//! (`consumer::group::client_led`): Kafka Connect, Kafka Streams, custom
//! assignors. The group's state stays `state.json` (its `client_led` part),
//! so the join barrier is kept there: a JoinGroup records the member and
//! waits, looking again every few milliseconds, until every member has
//! joined again or the longest rebalance timeout passed; whichever waiting
//! request sees that first moves the group to its next generation, and each
//! answers from it (the leader with every member's metadata). A follower's
//! SyncGroup waits the same way for the leader's, which carries the
//! assignments. Liveness, eviction and commits are the coordinator's as for
//! any Kafka client.

use std::time::{Duration, Instant};

use super::coordinator::{Coordinator, Remote, RemoteGroup, Resolved};
use super::types::{GroupError, JoinOutcome, JoinRequest, LedJoined, LedMemberMetadata, SyncOutcome, SyncRequest};
use crate::consumer::assignors::Strategy;
use crate::consumer::group::claim::{self, Claim};
use crate::consumer::group::client_led::{Blob, ClientLed, JoinStep, Offered, Phase};
use crate::consumer::group::liveness;
use crate::consumer::group::membership::hostname;
use crate::consumer::group::offsets::lock_group;
use crate::consumer::group::owners::Owners;
use crate::consumer::group::paths::GroupPaths;
use crate::consumer::group::record_size::{MAX_GROUP_RECORD_BYTES, group_record_bytes};
use crate::consumer::group::state::{GroupState, MemberInfo, MemberKind};
use crate::sys::clock::now_ms;

/// How often a waiting JoinGroup or SyncGroup looks at the group again.
const LOOK_AGAIN: Duration = Duration::from_millis(10);

/// Beyond its rebalance timeout, how long a JoinGroup waits for a rebalance
/// another process should have completed (its waiting requests complete it
/// at the deadline; this only bounds a wait on a stuck one).
const JOIN_GRACE: Duration = Duration::from_secs(5);

fn lock(entry: &std::sync::Mutex<RemoteGroup>) -> std::sync::MutexGuard<'_, RemoteGroup> {
    entry.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Whether a JoinGroup goes to a client-led group: the group is one (with
/// a live member), or it has no live member and the client offers first
/// what runnel cannot assign (a protocol type other than `consumer`, an
/// assignor runnel does not have).
fn wants_client_led(paths: &GroupPaths, state: &GroupState, req: &JoinRequest) -> Result<bool, GroupError> {
    if led_by_live_clients(paths, state)? {
        return Ok(true);
    }
    if state.members.len() > liveness::departed(paths, state, None)?.len() {
        return Ok(false);
    }
    Ok(req.protocol_type != "consumer" || req.offered.first().is_none_or(|(name, _)| Strategy::parse(name).is_none()))
}

/// Whether the group is client-led with a live member (one whose liveness
/// claim stands): a group whose clients all died is anyone's again.
pub(super) fn led_by_live_clients(paths: &GroupPaths, state: &GroupState) -> Result<bool, GroupError> {
    if !state.is_client_led() {
        return Ok(false);
    }
    let gone = liveness::departed(paths, state, None)?;
    Ok(state.client_led.as_ref().is_some_and(|led| led.members.keys().any(|id| !gone.contains(id))))
}

impl Coordinator {
    /// JoinGroup: to runnel's assignment, or to a client-led group.
    pub fn join_group(&self, req: &JoinRequest) -> Result<JoinOutcome, GroupError> {
        let paths = self.paths(&req.group)?;
        let state = GroupState::load(&paths)?.unwrap_or_default();
        if wants_client_led(&paths, &state, req)? {
            self.join_led(req, &paths).map(JoinOutcome::Led)
        } else {
            self.join(req).map(JoinOutcome::Runnel)
        }
    }

    /// SyncGroup: runnel's assignment, or (a client-led group) the leader's.
    pub fn sync_group(&self, req: &SyncRequest<'_>) -> Result<SyncOutcome, GroupError> {
        let paths = self.paths(req.group)?;
        let state = GroupState::load(&paths)?.unwrap_or_default();
        if state.client_led.is_none() {
            if req.protocol_type.is_some_and(|t| t != "consumer") {
                return Err(GroupError::InconsistentGroupProtocol);
            }
            return self.sync(req.group, req.member_id, req.generation).map(SyncOutcome::Runnel);
        }
        self.sync_led(req)
    }

    fn join_led(&self, req: &JoinRequest, paths: &GroupPaths) -> Result<LedJoined, GroupError> {
        if req.session_timeout < super::MIN_SESSION_TIMEOUT || req.session_timeout > super::MAX_SESSION_TIMEOUT {
            return Err(GroupError::InvalidSessionTimeout);
        }
        let offered: Vec<Offered> = req
            .offered
            .iter()
            .map(|(name, metadata)| Offered { name: name.clone(), metadata: Blob(metadata.clone()) })
            .collect();
        let entry = self.group(&req.group)?;
        let (member_id, skip_assignment, shown_leader) = {
            let mut g = lock(&entry);
            let Resolved { member_id, new, static_holder } = g.resolve_member(req)?;
            let guard = lock_group(&self.cluster, paths)?;
            let mut state = GroupState::load(paths)?.unwrap_or_default();
            g.forget_missing(&state);
            if !new && !g.members.contains_key(&member_id) {
                return Err(GroupError::UnknownMemberId);
            }
            drop_departed(paths, &mut state, &member_id)?;
            let led_ids: Vec<String> = state.client_led.iter().flat_map(|l| l.members.keys().cloned()).collect();
            if state.members.iter().any(|m| !led_ids.contains(&m.member_id)) {
                // Members runnel assigns to (a CLI member, a client of another protocol).
                return Err(GroupError::InconsistentGroupProtocol);
            }
            let led = state.client_led.get_or_insert_with(|| ClientLed::new(&req.protocol_type));
            if led.members.is_empty() {
                *led = ClientLed::new(&req.protocol_type);
            }
            if !led.accepts(&req.protocol_type, &offered) {
                return Err(GroupError::InconsistentGroupProtocol);
            }
            let topics = subscribed_topics(req);
            let mut in_place = false;
            // What an old client leading the group is told (see below).
            let mut shown_leader = None;
            if new {
                if let Some(old) = static_holder {
                    // A static member back under a new id takes its old self's
                    // place (KIP-345): in a Stable group whose selected protocol
                    // its protocols leave as it is, without a rebalance, with
                    // the protocols it offers now. A leader is told the members
                    // and to keep the assignment (KIP-814); a client too old to
                    // be told so is answered as Kafka answers it, with its old
                    // id as the leader's, and follows.
                    let rejoined = (led.phase == Phase::Stable)
                        .then(|| led.rejoined_in_place(&old, &member_id, &offered))
                        .flatten();
                    // Kafka stores the group at once; a record too large
                    // refuses the join and leaves the old member in place.
                    if rejoined
                        .as_ref()
                        .is_some_and(|r| group_record_bytes(&req.group, r, &state.members) > MAX_GROUP_RECORD_BYTES)
                    {
                        return Err(record_too_large(&req.group));
                    }
                    if let Some(remote) = g.members.remove(&old) {
                        remote.release();
                    }
                    let leads = led.leader.as_deref() == Some(old.as_str());
                    in_place = rejoined.is_some();
                    if let Some(rejoined) = rejoined {
                        *led = rejoined;
                        if leads && !req.skip_assignment_allowed {
                            shown_leader = Some(old.clone());
                        }
                    } else {
                        led.remove(&old);
                        if leads {
                            led.leader = Some(member_id.clone());
                        }
                    }
                    let renamed = state.members.iter().position(|m| m.member_id == old);
                    match renamed.filter(|_| in_place) {
                        Some(at) => state.members[at].member_id.clone_from(&member_id),
                        None => state.members.retain(|m| m.member_id != old),
                    }
                }
                let tag = claim::member_tag(&member_id, std::process::id(), &hostname());
                let claim =
                    Claim::try_take(&paths.member_lock(&member_id), &tag)?.ok_or(GroupError::UnknownMemberId)?;
                if in_place {
                    if let Some(me) = state.members.iter_mut().find(|m| m.member_id == member_id) {
                        me.topics = topics;
                        me.client_id.clone_from(&req.client_id);
                        me.host.clone_from(&req.client_host);
                        me.session_timeout_ms = millis(req.session_timeout);
                    }
                } else {
                    state.members.push(MemberInfo {
                        member_id: member_id.clone(),
                        client_id: req.client_id.clone(),
                        host: req.client_host.clone(),
                        pid: std::process::id(),
                        topics,
                        session_timeout_ms: millis(req.session_timeout),
                        joined_ms: now_ms(),
                        synced_generation: 0,
                        assignment: Vec::new(),
                        kind: MemberKind::Kafka,
                        instance_id: req.instance_id.clone(),
                        protocols: Vec::new(),
                    });
                }
                let owners = Owners::new(paths, &member_id, &tag);
                let subscription = req.protocols.first().map(|(_, s)| s.clone()).unwrap_or_default();
                g.members.insert(member_id.clone(), Remote::joining(claim, owners, req, subscription));
            } else {
                if let Some(remote) = g.members.get_mut(&member_id) {
                    remote.touch_claim();
                    remote.rejoined(req);
                }
                if let Some(info) = state.members.iter_mut().find(|m| m.member_id == member_id) {
                    info.topics = topics;
                    info.session_timeout_ms = millis(req.session_timeout);
                    info.client_id.clone_from(&req.client_id);
                }
            }
            let step = if in_place {
                JoinStep::Answer
            } else {
                led.join(&member_id, offered, millis(req.rebalance_timeout), now_ms())
            };
            let skip_assignment =
                in_place && req.skip_assignment_allowed && led.leader.as_deref() == Some(member_id.as_str());
            if step == JoinStep::Wait {
                complete_if_due(paths, &mut state);
            }
            state.save(paths)?;
            drop(guard);
            (member_id, skip_assignment, shown_leader)
        };
        let mut joined = self.await_join(&entry, paths, &member_id, req.rebalance_timeout)?;
        joined.skip_assignment = skip_assignment;
        if let Some(old) = shown_leader {
            joined.leader_id = old;
            joined.members.clear();
        }
        Ok(joined)
    }

    /// Waits until the group has moved past its rebalance with `member_id`
    /// in it, completing the rebalance when it is due; answers from the
    /// generation it reached.
    fn await_join(
        &self,
        entry: &std::sync::Mutex<RemoteGroup>,
        paths: &GroupPaths,
        member_id: &str,
        rebalance_timeout: Duration,
    ) -> Result<LedJoined, GroupError> {
        let started = Instant::now();
        loop {
            {
                let mut g = lock(entry);
                let guard = lock_group(&self.cluster, paths)?;
                let mut state = GroupState::load(paths)?.unwrap_or_default();
                g.forget_missing(&state);
                let Some(remote) = g.members.get_mut(member_id) else { return Err(GroupError::UnknownMemberId) };
                remote.touch_claim();
                let mut changed = drop_departed(paths, &mut state, member_id)?;
                let Some(led) = state.client_led.as_mut().filter(|l| l.members.contains_key(member_id)) else {
                    return Err(GroupError::UnknownMemberId);
                };
                if led.phase == Phase::Preparing && !led.joined.iter().any(|id| id == member_id) {
                    // A rebalance began after the one this member joined
                    // completed, before it looked: it is in this one too.
                    led.joined.push(member_id.to_string());
                    changed = true;
                }
                changed |= complete_if_due(paths, &mut state);
                if changed {
                    state.save(paths)?;
                }
                drop(guard);
                if let Some(joined) = answer_join(&state, member_id) {
                    if let Some(remote) = g.members.get_mut(member_id) {
                        remote.generation = state.generation;
                    }
                    return Ok(joined);
                }
            }
            if started.elapsed() > rebalance_timeout + JOIN_GRACE {
                return Err(GroupError::RebalanceInProgress);
            }
            std::thread::sleep(LOOK_AGAIN);
        }
    }

    fn sync_led(&self, req: &SyncRequest<'_>) -> Result<SyncOutcome, GroupError> {
        let entry = self.known_group(req.group).ok_or(GroupError::UnknownMemberId)?;
        let started = Instant::now();
        let arrived_ms = now_ms();
        loop {
            {
                let mut g = lock(&entry);
                let paths = g.paths.clone();
                let mut state = GroupState::load(&paths)?.unwrap_or_default();
                g.forget_missing(&state);
                let Some(remote) = g.members.get(req.member_id) else { return Err(GroupError::UnknownMemberId) };
                remote.touch_claim();
                let wait = remote.sync_wait();
                let led = state.client_led.as_ref().ok_or(GroupError::UnknownMemberId)?;
                // Kafka's order: the member, its generation, the protocol, the state.
                check_member(led, &state, req.member_id, req.generation)?;
                if req.protocol_type.is_some_and(|t| t != led.protocol_type)
                    || req.protocol.is_some_and(|p| Some(p) != led.protocol.as_deref())
                {
                    return Err(GroupError::InconsistentGroupProtocol);
                }
                if led.phase == Phase::Preparing {
                    // Kafka answers the SyncGroups parked when the leader's
                    // was refused with its error, later ones with a rebalance.
                    if led.sync_failed_ms >= arrived_ms {
                        return Err(record_too_large(req.group));
                    }
                    return Err(GroupError::RebalanceInProgress);
                }
                let leads = led.leader.as_deref() == Some(req.member_id);
                if led.phase == Phase::Completing && leads {
                    let guard = lock_group(&self.cluster, &paths)?;
                    state = GroupState::load(&paths)?.unwrap_or_default();
                    let led = state.client_led.as_ref().ok_or(GroupError::UnknownMemberId)?;
                    check_member(led, &state, req.member_id, req.generation)?;
                    if let Some(led) = state.client_led.as_mut().filter(|l| l.phase == Phase::Completing) {
                        led.assign(req.assignments);
                        if group_record_bytes(req.group, led, &state.members) > MAX_GROUP_RECORD_BYTES {
                            led.refuse_assignment(now_ms());
                            state.save(&paths)?;
                            return Err(record_too_large(req.group));
                        }
                        led.mark_synced(req.member_id);
                        let consumer = led.protocol_type == "consumer";
                        let generation = state.generation;
                        let assigned: Vec<(String, Vec<u8>)> =
                            led.members.keys().map(|id| (id.clone(), led.assignment_of(id))).collect();
                        for m in &mut state.members {
                            let bytes = assigned.iter().find(|(id, _)| *id == m.member_id).map(|(_, a)| a.as_slice());
                            m.assignment =
                                bytes.filter(|_| consumer).and_then(|a| (req.partitions_of)(a)).unwrap_or_default();
                            m.synced_generation = generation;
                        }
                        state.save(&paths)?;
                    }
                    drop(guard);
                }
                let led = state.client_led.as_ref().ok_or(GroupError::UnknownMemberId)?;
                if led.phase == Phase::Stable && !led.synced.iter().any(|id| id == req.member_id) {
                    // Recorded, so the member is not dropped as never synced.
                    let _guard = lock_group(&self.cluster, &paths)?;
                    state = GroupState::load(&paths)?.unwrap_or_default();
                    let led = state.client_led.as_mut().ok_or(GroupError::UnknownMemberId)?;
                    if led.phase == Phase::Stable
                        && led.members.contains_key(req.member_id)
                        && led.mark_synced(req.member_id)
                    {
                        state.save(&paths)?;
                    }
                }
                let led = state.client_led.as_ref().ok_or(GroupError::UnknownMemberId)?;
                if led.phase == Phase::Stable {
                    return Ok(SyncOutcome::Led {
                        protocol_type: led.protocol_type.clone(),
                        protocol: led.protocol.clone().unwrap_or_default(),
                        assignment: led.assignment_of(req.member_id),
                    });
                }
                if started.elapsed() >= wait {
                    return Err(GroupError::RebalanceInProgress);
                }
            }
            std::thread::sleep(LOOK_AGAIN);
        }
    }

    /// Completes the rebalance of a client-led group whose deadline passed
    /// with nobody waiting in a JoinGroup (its members went quiet): the
    /// members that did not join again are dropped; and drops the members
    /// that never sent their SyncGroup in time (`complete_if_due`).
    pub(super) fn complete_overdue(&self, paths: &GroupPaths) -> Result<(), GroupError> {
        let due = |s: &GroupState| {
            s.client_led.as_ref().is_some_and(|l| l.join_complete(now_ms()) || !l.sync_overdue(now_ms()).is_empty())
        };
        if !GroupState::load(paths)?.as_ref().is_some_and(due) {
            return Ok(());
        }
        let _guard = lock_group(&self.cluster, paths)?;
        let mut state = GroupState::load(paths)?.unwrap_or_default();
        if complete_if_due(paths, &mut state) {
            state.save(paths)?;
        }
        Ok(())
    }
}

/// The error Kafka answers when a group's record does not fit in a batch
/// of `__consumer_offsets` (`UNKNOWN_SERVER_ERROR`).
fn record_too_large(group: &str) -> GroupError {
    GroupError::Failed(format!(
        "the metadata and assignments of group '{group}' exceed the {MAX_GROUP_RECORD_BYTES} bytes of a group record (Kafka's message.max.bytes)"
    ))
}

/// Kafka's checks of a member's request in a client-led group: an unknown
/// member is `UNKNOWN_MEMBER_ID`, another generation `ILLEGAL_GENERATION`.
pub(super) fn check_member(
    led: &ClientLed,
    state: &GroupState,
    member_id: &str,
    generation: i32,
) -> Result<(), GroupError> {
    if !led.members.contains_key(member_id) || state.member(member_id).is_none() {
        return Err(GroupError::UnknownMemberId);
    }
    if u64::try_from(generation).ok() != Some(state.generation) {
        return Err(GroupError::IllegalGeneration);
    }
    Ok(())
}

/// A Heartbeat in a client-led group: `REBALANCE_IN_PROGRESS` while its
/// members are to join again.
pub(super) fn heartbeat(state: &GroupState, member_id: &str, generation: i32) -> Result<(), GroupError> {
    let led = state.client_led.as_ref().ok_or(GroupError::UnknownMemberId)?;
    check_member(led, state, member_id, generation)?;
    if led.phase == Phase::Preparing { Err(GroupError::RebalanceInProgress) } else { Ok(()) }
}

/// An OffsetCommit of a member of a client-led group, judged as Kafka's
/// classic group judges it: a known member of the current generation,
/// not while the group waits for its leader's assignment.
pub(super) fn check_commit(state: &GroupState, member_id: &str, generation: u64) -> Result<(), GroupError> {
    let led = state.client_led.as_ref().ok_or(GroupError::UnknownMemberId)?;
    check_member(led, state, member_id, i32::try_from(generation).unwrap_or(-1))?;
    if led.phase == Phase::Completing { Err(GroupError::RebalanceInProgress) } else { Ok(()) }
}

/// Removes the members (other than `except`) whose liveness claim says they
/// are gone, and starts a rebalance without them. Returns whether any was.
fn drop_departed(paths: &GroupPaths, state: &mut GroupState, except: &str) -> Result<bool, GroupError> {
    let gone = liveness::departed(paths, state, Some(except))?;
    if !liveness::remove_departed(paths, state, &gone)? {
        return Ok(false);
    }
    if let Some(led) = state.client_led.as_mut() {
        for id in &gone {
            led.remove(id);
        }
        led.prepare(now_ms());
    }
    Ok(true)
}

/// Moves the group on where Kafka's timers would: completes the rebalance
/// if it is due (`ClientLed::complete`), dropping the members that did not
/// join again; or, past the rebalance timeout of a generation, drops the
/// members that never sent their SyncGroup and starts a rebalance without
/// them (`ClientLed::sync_overdue`). The dropped leave `state` and their
/// claims are broken. Returns whether anything changed.
fn complete_if_due(paths: &GroupPaths, state: &mut GroupState) -> bool {
    let now = now_ms();
    let Some(led) = state.client_led.as_mut() else { return false };
    let dropped = if led.join_complete(now) {
        led.complete(&mut state.generation, now).0
    } else {
        let overdue = led.sync_overdue(now);
        if overdue.is_empty() {
            return false;
        }
        for id in &overdue {
            led.remove(id);
        }
        led.prepare(now);
        overdue
    };
    state.members.retain(|m| !dropped.contains(&m.member_id));
    for id in &dropped {
        // A claim that cannot be broken now is found stale by the next look.
        let _ = claim::break_claim(&paths.member_lock(id));
    }
    for m in &mut state.members {
        m.assignment.clear();
    }
    true
}

/// The JoinGroup answer for `member_id` once the group is past its
/// rebalance; `None` while it is preparing.
fn answer_join(state: &GroupState, member_id: &str) -> Option<LedJoined> {
    let led = state.client_led.as_ref()?;
    if !matches!(led.phase, Phase::Completing | Phase::Stable) {
        return None;
    }
    let leader = led.leader.clone().unwrap_or_default();
    let members = if leader == member_id {
        led.members
            .keys()
            .map(|id| LedMemberMetadata {
                member_id: id.clone(),
                instance_id: state.member(id).and_then(|m| m.instance_id.clone()),
                metadata: led.metadata_of(id),
            })
            .collect()
    } else {
        Vec::new()
    };
    Some(LedJoined {
        generation: state.generation,
        protocol_type: led.protocol_type.clone(),
        protocol: led.protocol.clone().unwrap_or_default(),
        leader_id: leader,
        member_id: member_id.to_string(),
        members,
        skip_assignment: false,
    })
}

/// The topics a consumer's subscriptions name (any protocol's), for the
/// group's files; none for other protocol types.
fn subscribed_topics(req: &JoinRequest) -> Vec<String> {
    if req.protocol_type != "consumer" {
        return Vec::new();
    }
    let mut topics: Vec<String> = req.protocols.iter().flat_map(|(_, s)| s.topics.iter().cloned()).collect();
    topics.retain(|t| crate::cluster::metadata::names::validate_topic(t).is_ok());
    topics.sort();
    topics.dedup();
    topics
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

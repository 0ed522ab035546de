//! Is a member alive? Its claim on `members/<id>.lock` says so while the
//! process lives (the OS drops it at death, even by SIGKILL); the claim's
//! heartbeat (modification time) says whether a living process still
//! works: one silent for longer than its session timeout is evicted.

use std::time::{Duration, SystemTime};

use super::claim::{self, Probe};
use super::paths::GroupPaths;
use super::state::{GroupState, MemberInfo, partition_counts};
use crate::cluster::Cluster;
use crate::consumer::assignors::Strategy;
use crate::error::Result;

/// A member's condition as others see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Liveness {
    Alive,
    /// The process is gone (its claim is free or missing).
    Dead,
    /// The process holds its claim but missed its heartbeats.
    Evicted,
}

/// The pure judgement of one probe.
pub fn judge(probe: &Probe, now: SystemTime, session_timeout: Duration) -> Liveness {
    match probe {
        Probe::Missing | Probe::Free => Liveness::Dead,
        Probe::Held { heartbeat, .. } => match now.duration_since(*heartbeat) {
            Ok(silent) if silent > session_timeout => Liveness::Evicted,
            _ => Liveness::Alive,
        },
    }
}

/// Probes one member's claim.
pub fn check(paths: &GroupPaths, member: &MemberInfo) -> Result<Liveness> {
    let probe = claim::probe(&paths.member_lock(&member.member_id))?;
    Ok(judge(&probe, SystemTime::now(), Duration::from_millis(member.session_timeout_ms)))
}

/// The members (other than `except`) that are dead or evicted.
pub fn departed(paths: &GroupPaths, state: &GroupState, except: Option<&str>) -> Result<Vec<String>> {
    let mut gone = Vec::new();
    for m in &state.members {
        if Some(m.member_id.as_str()) == except {
            continue;
        }
        if check(paths, m)? != Liveness::Alive {
            gone.push(m.member_id.clone());
        }
    }
    Ok(gone)
}

/// Removes the departed members from `state` and breaks their claims
/// (caller holds the group lock). Returns whether any was removed.
pub fn remove_departed(paths: &GroupPaths, state: &mut GroupState, gone: &[String]) -> Result<bool> {
    if gone.is_empty() {
        return Ok(false);
    }
    state.members.retain(|m| !gone.contains(&m.member_id));
    for id in gone {
        claim::break_claim(&paths.member_lock(id))?;
    }
    Ok(true)
}

/// Whether `state` is due a rebalance: a member (other than `except`)
/// departed, a subscribed topic's partition count changed, or a cooperative
/// rebalance's second phase is due. Needs no lock: a cheap look before
/// [`rebalance_if_due`] takes the group lock.
pub fn rebalance_due(cluster: &Cluster, paths: &GroupPaths, state: &GroupState, except: Option<&str>) -> Result<bool> {
    if !departed(paths, state, except)?.is_empty() {
        return Ok(true);
    }
    let counts = partition_counts(cluster, &state.subscribed_topics())?;
    Ok(state.partition_counts_moved(&counts) || state.cooperative_follow_up_due())
}

/// Under the group lock: removes the departed members (other than
/// `except`), and rebalances and saves `state` when `changed`, one was
/// removed, a topic's partition count changed, or a cooperative rebalance's
/// second phase is due; with the group's strategy, `strategy` if it has
/// none. Returns whether it rebalanced.
pub fn rebalance_if_due(
    cluster: &Cluster,
    paths: &GroupPaths,
    state: &mut GroupState,
    except: Option<&str>,
    strategy: Strategy,
    changed: bool,
) -> Result<bool> {
    let gone = departed(paths, state, except)?;
    let removed = remove_departed(paths, state, &gone)?;
    let counts = partition_counts(cluster, &state.subscribed_topics())?;
    if !(changed || removed || state.partition_counts_moved(&counts) || state.cooperative_follow_up_due()) {
        return Ok(false);
    }
    state.rebalance(state.strategy.unwrap_or(strategy), counts);
    state.save(paths)?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judgement() {
        let now = SystemTime::now();
        let timeout = Duration::from_secs(10);
        assert_eq!(judge(&Probe::Missing, now, timeout), Liveness::Dead);
        assert_eq!(judge(&Probe::Free, now, timeout), Liveness::Dead);
        let fresh = Probe::Held { tag: String::new(), heartbeat: now - Duration::from_secs(3) };
        assert_eq!(judge(&fresh, now, timeout), Liveness::Alive);
        let stale = Probe::Held { tag: String::new(), heartbeat: now - Duration::from_secs(11) };
        assert_eq!(judge(&stale, now, timeout), Liveness::Evicted);
        let future = Probe::Held { tag: String::new(), heartbeat: now + Duration::from_secs(1) };
        assert_eq!(judge(&future, now, timeout), Liveness::Alive);
    }
}

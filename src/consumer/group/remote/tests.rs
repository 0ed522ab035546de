//! The coordinator on temporary data dirs: join (with `MEMBER_ID_REQUIRED`),
//! sync, heartbeat, fencing, eviction of a silent client, leave, commits, and
//! a client sharing a group with a CLI member (`Membership`).

use std::collections::BTreeSet;
use std::time::{Duration, SystemTime};

use super::*;
use crate::consumer::TopicPartition;
use crate::consumer::assignors::Strategy;
use crate::consumer::group::membership::{JoinOptions, Membership};
use crate::consumer::group::paths::GroupPaths;
use crate::consumer::group::state::{GroupState, MemberKind};
use crate::consumer::group::tests::setup;

fn subscription(topics: &[&str], owned: Option<Vec<TopicPartition>>) -> Subscription {
    Subscription { version: 1, topics: topics.iter().map(|t| t.to_string()).collect(), owned, raw: vec![0, 1] }
}

fn request(member_id: &str, protocols: &[&str], owned: Option<Vec<TopicPartition>>) -> JoinRequest {
    JoinRequest {
        group: "g".to_string(),
        member_id: member_id.to_string(),
        instance_id: None,
        client_id: "app".to_string(),
        client_host: "/127.0.0.1".to_string(),
        session_timeout: Duration::from_secs(10),
        rebalance_timeout: Duration::from_secs(10),
        protocol_type: "consumer".to_string(),
        protocols: protocols.iter().map(|p| (p.to_string(), subscription(&["t"], owned.clone()))).collect(),
        offered: protocols.iter().map(|p| (p.to_string(), vec![0, 1])).collect(),
        requires_known_member_id: true,
        skip_assignment_allowed: true,
    }
}

/// A new member's two JoinGroups (the first answers `MEMBER_ID_REQUIRED`).
fn join_new(c: &Coordinator, protocols: &[&str]) -> Joined {
    let id = match c.join(&request("", protocols, None)) {
        Err(GroupError::MemberIdRequired(id)) => id,
        other => panic!("expected MEMBER_ID_REQUIRED, got {other:?}"),
    };
    assert!(id.starts_with("app-"), "{id}");
    let joined = c.join(&request(&id, protocols, None)).expect("join");
    assert_eq!(joined.member_id, id);
    assert_ne!(joined.leader_id, id, "every client is a follower");
    joined
}

fn joined_gen(j: &Joined) -> i32 {
    i32::try_from(j.generation).expect("generation")
}

fn partitions(n: u32) -> BTreeSet<TopicPartition> {
    (0..n).map(|p| TopicPartition::new("t", p)).collect()
}

#[test]
fn a_client_joins_syncs_heartbeats_and_is_recorded_as_a_kafka_member() {
    let (_dir, cluster) = setup(&[("t", 4)]);
    let c = Coordinator::new(&cluster);
    let joined = join_new(&c, &["cooperative-sticky", "range"]);
    assert_eq!(joined.strategy, Strategy::CooperativeSticky, "the client's first preference");
    let synced = c.sync("g", &joined.member_id, joined_gen(&joined)).expect("sync");
    assert_eq!(synced.assignment.iter().cloned().collect::<BTreeSet<_>>(), partitions(4));
    assert_eq!(synced.version, 1);
    assert_eq!(c.heartbeat("g", &joined.member_id, joined_gen(&joined)), Ok(()));
    assert_eq!(c.heartbeat("g", "nobody", joined_gen(&joined)), Err(GroupError::UnknownMemberId));
    assert_eq!(c.heartbeat("g", &joined.member_id, joined_gen(&joined) + 1), Err(GroupError::IllegalGeneration));
    let paths = GroupPaths::new(&cluster, "g").expect("paths");
    let state = GroupState::load(&paths).expect("load").expect("state");
    let me = state.member(&joined.member_id).expect("listed");
    assert_eq!((me.kind, me.synced_generation, me.host.as_str()), (MemberKind::Kafka, joined.generation, "/127.0.0.1"));
    let view = c.describe("g").expect("describe").expect("group");
    assert_eq!(view.members.len(), 1);
    assert_eq!(view.members[0].subscription.as_deref(), Some(&[0u8, 1][..]));
    // A protocol type other than "consumer", a session out of bounds, an empty group id.
    let mut other = request("", &["range"], None);
    other.protocol_type = "connect".to_string();
    assert_eq!(c.join(&other).err(), Some(GroupError::InconsistentGroupProtocol));
    let mut short = request("", &["range"], None);
    short.session_timeout = Duration::from_millis(100);
    assert_eq!(c.join(&short).err(), Some(GroupError::InvalidSessionTimeout));
    let mut bad = request("", &["range"], None);
    bad.group = String::new();
    assert_eq!(c.join(&bad).err(), Some(GroupError::InvalidGroupId));
    // Any other id is a group, as on Kafka: one that reads as a path asks
    // for a member id like any new group.
    let mut odd = request("", &["range"], None);
    odd.group = "../x".to_string();
    assert!(matches!(c.join(&odd).err(), Some(GroupError::MemberIdRequired(_))));
}

#[test]
fn eager_clients_hand_partitions_over_through_a_rejoin() {
    let (_dir, cluster) = setup(&[("t", 4)]);
    let c = Coordinator::new(&cluster);
    let a = join_new(&c, &["range"]);
    assert_eq!(c.sync("g", &a.member_id, joined_gen(&a)).expect("sync a").assignment.len(), 4);
    let b = join_new(&c, &["range", "roundrobin"]);
    assert_eq!((b.strategy, b.generation), (Strategy::Range, a.generation + 1));
    // a learns of the new generation at its heartbeat; b's sync waits for a's claims.
    assert_eq!(c.heartbeat("g", &a.member_id, joined_gen(&a)), Err(GroupError::RebalanceInProgress));
    std::thread::scope(|s| {
        let waiting = s.spawn(|| c.sync("g", &b.member_id, joined_gen(&b)));
        // a commits in its old generation (it still holds the claims), then rejoins owning nothing.
        let commit = [OffsetToCommit {
            partition: TopicPartition::new("t", 0),
            offset: 0,
            leader_epoch: None,
            metadata: Some("m".into()),
        }];
        let results = c.commit("g", &a.member_id, joined_gen(&a), &commit).expect("commit");
        assert_eq!(results, vec![(TopicPartition::new("t", 0), Ok(()))]);
        let again = c.join(&request(&a.member_id, &["range"], Some(vec![]))).expect("rejoin");
        assert_eq!(again.generation, b.generation, "a rejoin that changes nothing keeps the generation");
        let synced_a = c.sync("g", &a.member_id, joined_gen(&again)).expect("sync a");
        let synced_b = waiting.join().expect("thread").expect("sync b");
        let mut all: Vec<TopicPartition> = synced_a.assignment.clone();
        all.extend(synced_b.assignment.clone());
        assert_eq!(all.len(), 4);
        assert_eq!(all.into_iter().collect::<BTreeSet<_>>(), partitions(4));
        assert_eq!((synced_a.assignment.len(), synced_b.assignment.len()), (2, 2));
    });
    let stored = c.fetch_offsets("g", None).expect("fetch");
    assert_eq!(stored.len(), 1);
    assert_eq!((stored[0].offset, stored[0].metadata.as_deref()), (0, Some("m")));
}

#[test]
fn commits_are_fenced_like_kafka() {
    let (_dir, cluster) = setup(&[("t", 2)]);
    let c = Coordinator::new(&cluster);
    let at = |p: u32, offset: u64| OffsetToCommit {
        partition: TopicPartition::new("t", p),
        offset,
        leader_epoch: Some(0),
        metadata: None,
    };
    // A simple commit (generation -1, no member) into an empty group is taken.
    assert_eq!(c.commit("g", "", -1, &[at(0, 3)]).expect("simple"), vec![(TopicPartition::new("t", 0), Ok(()))]);
    let a = join_new(&c, &["range"]);
    c.sync("g", &a.member_id, joined_gen(&a)).expect("sync");
    // With a live member it is not.
    assert_eq!(c.commit("g", "", -1, &[at(0, 4)]).err(), Some(GroupError::UnknownMemberId));
    assert_eq!(c.commit("g", "ghost", joined_gen(&a), &[at(0, 4)]).err(), Some(GroupError::UnknownMemberId));
    assert_eq!(c.commit("g", &a.member_id, joined_gen(&a) + 5, &[at(0, 4)]).err(), Some(GroupError::IllegalGeneration));
    let results = c.commit("g", &a.member_id, joined_gen(&a), &[at(0, 5), at(7, 1)]).expect("commit");
    assert_eq!(results[0], (TopicPartition::new("t", 0), Ok(())));
    assert_eq!(results[1], (TopicPartition::new("t", 7), Err(GroupError::UnknownTopicOrPartition)));
    let big = OffsetToCommit { metadata: Some("x".repeat(5000)), ..at(1, 1) };
    assert_eq!(
        c.commit("g", &a.member_id, joined_gen(&a), &[big]).expect("commit")[0].1,
        Err(GroupError::OffsetMetadataTooLarge)
    );
    let fetched =
        c.fetch_offsets("g", Some(&[TopicPartition::new("t", 0), TopicPartition::new("t", 1)])).expect("fetch");
    assert_eq!(fetched.iter().map(|s| (s.offset, s.leader_epoch)).collect::<Vec<_>>(), vec![(5, Some(0))]);
    // After a new generation the member's old one is stale once it rejoined.
    let b = join_new(&c, &["range"]);
    let again = c.join(&request(&a.member_id, &["range"], Some(vec![]))).expect("rejoin");
    assert_eq!(again.generation, b.generation);
    assert_eq!(c.commit("g", &a.member_id, joined_gen(&a), &[at(0, 6)]).err(), Some(GroupError::IllegalGeneration));
    assert_eq!(c.delete("g"), Err(GroupError::NonEmptyGroup));
    assert_eq!(c.delete("nothing"), Err(GroupError::GroupIdNotFound));
}

#[test]
fn a_silent_client_is_evicted_and_told_so() {
    let (_dir, cluster) = setup(&[("t", 2)]);
    let c = Coordinator::new(&cluster);
    let a = join_new(&c, &["range"]);
    c.sync("g", &a.member_id, joined_gen(&a)).expect("sync");
    let paths = GroupPaths::new(&cluster, "g").expect("paths");
    // Its last request was a minute ago.
    let old = SystemTime::now() - Duration::from_secs(60);
    std::fs::File::options()
        .write(true)
        .open(paths.member_lock(&a.member_id))
        .expect("open")
        .set_modified(old)
        .expect("age");
    c.tick().expect("tick");
    let state = GroupState::load(&paths).expect("load").expect("state");
    assert!(state.members.is_empty(), "evicted: {state:?}");
    assert_eq!(c.heartbeat("g", &a.member_id, joined_gen(&a)), Err(GroupError::UnknownMemberId));
    // Its partitions' claims were released: a CLI member takes them.
    let opts = JoinOptions {
        group: "g".into(),
        topics: vec!["t".into()],
        client_id: None,
        strategy: Strategy::Range,
        session_timeout: Duration::from_secs(10),
    };
    let mut cli = Membership::join(&cluster, &opts).expect("cli join");
    for p in cli.assignment().to_vec() {
        assert!(cli.take_partition(&p).expect("take").is_some(), "{p:?} still claimed");
    }
    cli.leave().expect("leave");
}

#[test]
fn a_client_and_a_cli_member_share_a_group() {
    let (_dir, cluster) = setup(&[("t", 4)]);
    let c = Coordinator::new(&cluster);
    let opts = JoinOptions {
        group: "g".into(),
        topics: vec!["t".into()],
        client_id: Some("shell".into()),
        strategy: Strategy::Range,
        session_timeout: Duration::from_secs(10),
    };
    let mut cli = Membership::join(&cluster, &opts).expect("cli join");
    let held: Vec<_> =
        cli.assignment().to_vec().iter().map(|p| cli.take_partition(p).expect("take").expect("free")).collect();
    // A client offering only sticky cannot join a range group.
    match c.join(&request("", &["sticky"], None)) {
        Err(GroupError::MemberIdRequired(id)) => {
            assert_eq!(c.join(&request(&id, &["sticky"], None)).err(), Some(GroupError::InconsistentGroupProtocol));
        }
        other => panic!("{other:?}"),
    }
    let a = join_new(&c, &["sticky", "range"]);
    assert_eq!(a.strategy, Strategy::Range, "the group's strategy");
    std::thread::scope(|s| {
        let waiting = s.spawn(|| c.sync("g", &a.member_id, joined_gen(&a)));
        // The CLI member sees the new generation and lets go of what it lost.
        assert_eq!(cli.refresh().expect("refresh"), crate::consumer::group::GroupEvent::Rebalanced);
        let kept: Vec<TopicPartition> = cli.assignment().to_vec();
        drop(held);
        for p in &kept {
            assert!(cli.take_partition(p).expect("take").is_some());
        }
        let synced = waiting.join().expect("thread").expect("sync");
        let mut all: BTreeSet<TopicPartition> = kept.iter().cloned().collect();
        assert_eq!(kept.len() + synced.assignment.len(), 4);
        all.extend(synced.assignment);
        assert_eq!(all, partitions(4));
    });
    let view = c.describe("g").expect("describe").expect("group");
    let kinds: BTreeSet<MemberKind> = view.members.iter().map(|m| m.kind).collect();
    assert_eq!(kinds.len(), 2, "both kinds are listed: {view:?}");
    // The client leaves; the CLI member gets everything back.
    let out = c.leave("g", &[(a.member_id.clone(), None), ("ghost".into(), None)]).expect("leave");
    assert_eq!(out[0].result, Ok(()));
    assert_eq!(out[1].result, Err(GroupError::UnknownMemberId));
    cli.refresh().expect("refresh");
    assert_eq!(cli.assignment().len(), 4);
    for p in cli.assignment().to_vec() {
        assert!(cli.take_partition(&p).expect("take").is_some(), "{p:?} still claimed after the client left");
    }
    cli.leave().expect("leave");
}

#[test]
fn protocol_selection_is_kafkas_vote_among_what_every_member_offers() {
    use Strategy::{CooperativeSticky, Range, RoundRobin, Sticky};
    let sub = subscription(&["t"], None);
    let offer = |names: &[&str]| names.iter().map(|n| (n.to_string(), sub.clone())).collect::<Vec<_>>();
    let pick = |names: &[&str], others: &[Vec<Strategy>], current| {
        super::coordinator::select_protocol(&offer(names), others, current).map(|(s, _)| s)
    };
    // Alone: the first the client offers that runnel knows.
    assert_eq!(pick(&["x-custom", "roundrobin", "range"], &[], None), Ok(RoundRobin));
    assert_eq!(pick(&["x-custom"], &[], None), Err(GroupError::InconsistentGroupProtocol));
    // Kafka's GroupMetadataTest.testSelectProtocol: [range, roundrobin] then
    // [roundrobin, range] is a tie (the group's strategy stays), and a third
    // [roundrobin, range] makes it roundrobin.
    assert_eq!(pick(&["roundrobin", "range"], &[vec![Range, RoundRobin]], Some(Range)), Ok(Range));
    assert_eq!(
        pick(&["roundrobin", "range"], &[vec![Range, RoundRobin], vec![RoundRobin, Range]], Some(Range)),
        Ok(RoundRobin)
    );
    // testSelectProtocolChoosesCompatibleProtocol: [range, roundrobin] and
    // [roundrobin, blah]: the one both offer.
    assert_eq!(pick(&["roundrobin", "blah"], &[vec![Range, RoundRobin]], Some(Range)), Ok(RoundRobin));
    // KIP-429's rolling upgrade: a client offering only cooperative-sticky
    // joins one offering [range, cooperative-sticky] (the Java default).
    assert_eq!(pick(&["cooperative-sticky"], &[vec![Range, CooperativeSticky]], Some(Range)), Ok(CooperativeSticky));
    // A member using one strategy (a `runnel consume --group` member) holds the group to it.
    assert_eq!(
        pick(&["range", "cooperative-sticky"], &[vec![CooperativeSticky]], Some(CooperativeSticky)),
        Ok(CooperativeSticky)
    );
    assert_eq!(pick(&["range"], &[vec![Sticky]], Some(Sticky)), Err(GroupError::InconsistentGroupProtocol));
}

#[test]
fn cooperative_clients_keep_what_they_retain_and_hand_over_in_a_second_generation() {
    let (_dir, cluster) = setup(&[("t", 4)]);
    let c = Coordinator::new(&cluster);
    let a = join_new(&c, &["cooperative-sticky"]);
    let all = c.sync("g", &a.member_id, joined_gen(&a)).expect("sync a").assignment;
    assert_eq!(all.len(), 4);
    let b = join_new(&c, &["cooperative-sticky"]);
    // b's first generation gives it nothing: the partitions moving to it are still a's.
    assert!(c.sync("g", &b.member_id, joined_gen(&b)).expect("sync b").assignment.is_empty());
    assert_eq!(c.heartbeat("g", &a.member_id, joined_gen(&a)), Err(GroupError::RebalanceInProgress));
    // a rejoins owning all four, and keeps the two it retains.
    let again = c.join(&request(&a.member_id, &["cooperative-sticky"], Some(all.clone()))).expect("rejoin");
    assert_eq!(again.generation, b.generation);
    let kept = c.sync("g", &a.member_id, joined_gen(&again)).expect("sync a").assignment;
    assert_eq!(kept.len(), 2);
    // a revokes the other two and rejoins without them: the second phase gives them to b.
    let second = c.join(&request(&a.member_id, &["cooperative-sticky"], Some(kept.clone()))).expect("rejoin");
    assert_eq!(second.generation, b.generation + 1);
    assert_eq!(c.sync("g", &a.member_id, joined_gen(&second)).expect("sync a").assignment, kept);
    assert_eq!(c.heartbeat("g", &b.member_id, joined_gen(&b)), Err(GroupError::RebalanceInProgress));
    let b2 = c.join(&request(&b.member_id, &["cooperative-sticky"], Some(vec![]))).expect("rejoin b");
    let moved = c.sync("g", &b.member_id, joined_gen(&b2)).expect("sync b").assignment;
    assert_eq!(moved.len(), 2);
    let union: BTreeSet<TopicPartition> = kept.into_iter().chain(moved).collect();
    assert_eq!(union, partitions(4));
}

/// KIP-345: a static member (`group.instance.id`) restarting under a new
/// member id takes its old self's place — the same partitions, the same
/// generation, no rebalance for the others — and the old id is fenced.
#[test]
fn a_static_member_rejoining_under_a_new_id_takes_its_place_without_a_rebalance() {
    let (_dir, cluster) = setup(&[("t", 4)]);
    let c = Coordinator::new(&cluster);
    let join_static = |instance: &str| {
        let mut req = request("", &["range"], None);
        req.instance_id = Some(instance.to_string());
        c.join(&req).expect("a static member joins at once")
    };
    let a = join_static("a");
    let b = join_static("b");
    let mut again = request(&a.member_id, &["range"], None);
    again.instance_id = Some("a".to_string());
    let a = c.join(&again).expect("a rejoins for b's generation");
    let generation = joined_gen(&b);
    assert_eq!(joined_gen(&a), generation);
    let synced_a = c.sync("g", &a.member_id, generation).expect("sync a").assignment;
    let synced_b = c.sync("g", &b.member_id, generation).expect("sync b").assignment;
    assert_eq!(synced_a.len() + synced_b.len(), 4);
    // b restarts: a new member id, the same instance.
    let b2 = join_static("b");
    assert_ne!(b2.member_id, b.member_id);
    assert_eq!(b2.generation, b.generation, "no new generation");
    assert_eq!(c.heartbeat("g", &a.member_id, generation), Ok(()), "a sees no rebalance");
    assert_eq!(c.sync("g", &b2.member_id, generation).expect("sync b2").assignment, synced_b);
    assert_eq!(c.heartbeat("g", &b.member_id, generation), Err(GroupError::UnknownMemberId));
    let paths = GroupPaths::new(&cluster, "g").expect("paths");
    let state = GroupState::load(&paths).expect("load").expect("state");
    assert_eq!(state.members.len(), 2);
    assert!(state.member(&b.member_id).is_none() && state.member(&b2.member_id).is_some());
    // A changed subscription is a rebalance.
    let mut other = request("", &["range"], None);
    other.instance_id = Some("b".to_string());
    other.protocols[0].1.topics.push("u".to_string());
    let b3 = c.join(&other).expect("b again, subscribing to more");
    assert!(b3.generation > b2.generation);
}

//! Client-led groups on temporary data dirs: the join barrier across
//! threads (each JoinGroup a connection's), the leader's metadata and
//! SyncGroup, followers waiting for it, Kafka's answers to heartbeats and
//! commits in each state, and the refusals between runnel's groups and
//! client-led ones.

use std::time::Duration;

use super::*;
use crate::consumer::TopicPartition;
use crate::consumer::group::GroupStateName;
use crate::consumer::group::membership::{JoinOptions, Membership};
use crate::consumer::group::tests::setup;

fn request(member_id: &str, protocol_type: &str, protocols: &[&str]) -> JoinRequest {
    JoinRequest {
        group: "g".to_string(),
        member_id: member_id.to_string(),
        instance_id: None,
        client_id: "app".to_string(),
        client_host: "/127.0.0.1".to_string(),
        session_timeout: Duration::from_secs(10),
        rebalance_timeout: Duration::from_secs(10),
        protocol_type: protocol_type.to_string(),
        protocols: protocols
            .iter()
            .map(|p| {
                let topics = vec!["t".to_string()];
                (p.to_string(), Subscription { version: 1, topics, owned: None, raw: Vec::new() })
            })
            .collect(),
        offered: protocols.iter().map(|p| (p.to_string(), format!("{p}-meta").into_bytes())).collect(),
        requires_known_member_id: false,
        skip_assignment_allowed: true,
    }
}

fn led(outcome: Result<JoinOutcome, GroupError>) -> LedJoined {
    match outcome {
        Ok(JoinOutcome::Led(joined)) => joined,
        other => panic!("expected a client-led join, got {other:?}"),
    }
}

fn generation(j: &LedJoined) -> i32 {
    i32::try_from(j.generation).expect("generation")
}

fn no_partitions(_: &[u8]) -> Option<Vec<TopicPartition>> {
    None
}

fn sync<'a>(member: &'a LedJoined, assignments: &'a [(String, Vec<u8>)]) -> SyncRequest<'a> {
    SyncRequest {
        group: "g",
        member_id: &member.member_id,
        generation: generation(member),
        protocol_type: Some("connect"),
        protocol: Some("sessioned"),
        assignments,
        partitions_of: &no_partitions,
    }
}

fn assignment(outcome: Result<SyncOutcome, GroupError>) -> Vec<u8> {
    match outcome {
        Ok(SyncOutcome::Led { assignment, .. }) => assignment,
        other => panic!("expected the leader's assignment, got {other:?}"),
    }
}

#[test]
fn a_connect_group_waits_for_every_member_and_its_leader_assigns() {
    let (_dir, cluster) = setup(&[("t", 2)]);
    let c = Coordinator::new(&cluster);
    let a = led(c.join_group(&request("", "connect", &["sessioned", "compatible"])));
    assert_eq!((a.generation, a.leader_id.as_str()), (1, a.member_id.as_str()), "alone: it leads");
    assert_eq!((a.protocol_type.as_str(), a.protocol.as_str()), ("connect", "sessioned"));
    assert_eq!(a.members.len(), 1);
    assert_eq!(a.members[0].metadata, b"sessioned-meta");
    let own = vec![(a.member_id.clone(), b"to-a".to_vec())];
    assert_eq!(assignment(c.sync_group(&sync(&a, &own))), b"to-a");
    assert_eq!(c.heartbeat("g", &a.member_id, generation(&a)), Ok(()));

    // A second worker: its JoinGroup waits until the first joins again,
    // which it does once its heartbeat says a rebalance is under way.
    let (a2, b) = std::thread::scope(|s| {
        let b = s.spawn(|| led(c.join_group(&request("", "connect", &["sessioned"]))));
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while c.heartbeat("g", &a.member_id, generation(&a)) != Err(GroupError::RebalanceInProgress) {
            assert!(std::time::Instant::now() < deadline, "no rebalance began");
            std::thread::sleep(Duration::from_millis(5));
        }
        let a2 = led(c.join_group(&request(&a.member_id, "connect", &["sessioned", "compatible"])));
        (a2, b.join().expect("b joined"))
    });
    {
        assert_eq!((a2.generation, b.generation), (2, 2));
        assert_eq!(a2.leader_id, a.member_id, "the leader stays");
        assert_eq!(b.leader_id, a.member_id);
        assert!(b.members.is_empty(), "a follower is told no metadata");
        let mut seen: Vec<&str> = a2.members.iter().map(|m| m.member_id.as_str()).collect();
        seen.sort();
        let mut expected = vec![a.member_id.as_str(), b.member_id.as_str()];
        expected.sort();
        assert_eq!(seen, expected);
        assert_eq!(c.describe("g").expect("describe").expect("found").state, GroupStateName::CompletingRebalance);
        assert_eq!(
            c.commit("g", &b.member_id, generation(&b), &[]),
            Err(GroupError::RebalanceInProgress),
            "no commits before the leader's assignment"
        );

        // The follower's SyncGroup waits for the leader's.
        std::thread::scope(|s| {
            let follower = s.spawn(|| assignment(c.sync_group(&sync(&b, &[]))));
            std::thread::sleep(Duration::from_millis(50));
            let all = vec![(a.member_id.clone(), b"to-a".to_vec()), (b.member_id.clone(), b"to-b".to_vec())];
            assert_eq!(assignment(c.sync_group(&sync(&a2, &all))), b"to-a");
            assert_eq!(follower.join().expect("follower synced"), b"to-b");
        });

        let view = c.describe("g").expect("describe").expect("found");
        assert_eq!(view.state, GroupStateName::Stable);
        assert_eq!(view.led, Some(("connect".to_string(), Some("sessioned".to_string()))));
        let b_view = view.members.iter().find(|m| m.member_id == b.member_id).expect("b described");
        assert_eq!(b_view.led, Some((b"sessioned-meta".to_vec(), b"to-b".to_vec())));

        // Kafka's answers: an older generation is ILLEGAL_GENERATION.
        assert_eq!(c.heartbeat("g", &b.member_id, generation(&b)), Ok(()));
        assert_eq!(c.heartbeat("g", &b.member_id, 1), Err(GroupError::IllegalGeneration));
        assert_eq!(c.heartbeat("g", "nobody", 2), Err(GroupError::UnknownMemberId));
        let stale = SyncRequest { generation: 1, ..sync(&b, &[]) };
        assert_eq!(c.sync_group(&stale), Err(GroupError::IllegalGeneration));
        let other = SyncRequest { protocol: Some("compatible"), ..sync(&b, &[]) };
        assert_eq!(c.sync_group(&other), Err(GroupError::InconsistentGroupProtocol));
        // A rejoin of a follower with the same protocols keeps the generation.
        let again = led(c.join_group(&request(&b.member_id, "connect", &["sessioned"])));
        assert_eq!(again.generation, 2);

        // A member leaving starts a rebalance for the others.
        let left = c.leave("g", &[(b.member_id.clone(), None)]).expect("leave");
        assert_eq!(left[0].result, Ok(()));
        assert_eq!(c.heartbeat("g", &a.member_id, 2), Err(GroupError::RebalanceInProgress));
        let a3 = led(c.join_group(&request(&a.member_id, "connect", &["sessioned", "compatible"])));
        assert_eq!((a3.generation, a3.members.len()), (3, 1));
    }
}

#[test]
fn a_custom_assignor_runs_client_led_and_its_commits_follow_kafkas_rules() {
    let (_dir, cluster) = setup(&[("t", 2)]);
    let c = Coordinator::new(&cluster);
    let a = led(c.join_group(&request("", "consumer", &["custom", "range"])));
    assert_eq!((a.protocol_type.as_str(), a.protocol.as_str()), ("consumer", "custom"));
    let decode = |_: &[u8]| Some(vec![TopicPartition::new("t", 0), TopicPartition::new("t", 1)]);
    let all = vec![(a.member_id.clone(), b"both".to_vec())];
    let leader_sync = SyncRequest {
        group: "g",
        member_id: &a.member_id,
        generation: generation(&a),
        protocol_type: Some("consumer"),
        protocol: Some("custom"),
        assignments: &all,
        partitions_of: &decode,
    };
    assert_eq!(assignment(c.sync_group(&leader_sync)), b"both");
    // The group's files show who reads what, for `group describe`.
    let described = crate::consumer::group::describe_group(&cluster, "g").expect("describe");
    assert_eq!(described.members[0].assignment.len(), 2);
    assert_eq!(described.state, GroupStateName::Stable);

    let offset =
        OffsetToCommit { partition: TopicPartition::new("t", 1), offset: 5, leader_epoch: None, metadata: None };
    let results = c.commit("g", &a.member_id, generation(&a), std::slice::from_ref(&offset)).expect("commit");
    assert_eq!(results[0].1, Ok(()));
    assert_eq!(c.fetch_offsets("g", None).expect("fetch")[0].offset, 5);
    assert_eq!(c.commit("g", &a.member_id, 7, std::slice::from_ref(&offset)), Err(GroupError::IllegalGeneration));
    assert_eq!(c.commit("g", "nobody", 1, std::slice::from_ref(&offset)), Err(GroupError::UnknownMemberId));

    // runnel's own members stay out of it, both ways.
    let cli = JoinOptions {
        group: "g".into(),
        topics: vec!["t".into()],
        client_id: None,
        strategy: crate::consumer::assignors::Strategy::Range,
        session_timeout: Duration::from_secs(10),
    };
    let refused = Membership::join(&cluster, &cli).expect_err("a CLI member is refused");
    assert!(refused.message.contains("assigned by its Kafka clients' own assignor"), "{}", refused.message);
    let other = c.join_group(&request("", "consumer", &["roundrobin"]));
    assert_eq!(other, Err(GroupError::InconsistentGroupProtocol), "roundrobin is not a candidate of this group");
    let mut joined_as_range = request("", "consumer", &["range"]);
    joined_as_range.group = "other".to_string();
    assert!(matches!(c.join_group(&joined_as_range), Ok(JoinOutcome::Runnel(_))), "range alone: runnel assigns");
    let mut custom_to_runnel_group = request("", "consumer", &["custom"]);
    custom_to_runnel_group.group = "other".to_string();
    assert_eq!(c.join_group(&custom_to_runnel_group), Err(GroupError::InconsistentGroupProtocol));

    // Once its clients left, the group is anyone's again.
    c.leave("g", &[(a.member_id.clone(), None)]).expect("leave");
    let cli_member = Membership::join(&cluster, &cli).expect("a CLI member joins the emptied group");
    drop(cli_member);
}

#[test]
fn a_member_that_does_not_join_again_in_time_is_dropped() {
    let (_dir, cluster) = setup(&[("t", 1)]);
    let c = Coordinator::new(&cluster);
    let mut quick = request("", "connect", &["sessioned"]);
    quick.rebalance_timeout = Duration::from_millis(300);
    let a = led(c.join_group(&quick));
    c.sync_group(&sync(&a, &[])).expect("sync");
    // A second member: the first never joins again, and is dropped at the deadline.
    let b = led(c.join_group(&quick));
    assert_eq!((b.generation, b.leader_id.as_str()), (2, b.member_id.as_str()), "b leads alone");
    assert_eq!(c.heartbeat("g", &a.member_id, 1), Err(GroupError::UnknownMemberId));
}

fn static_request(instance: &str) -> JoinRequest {
    JoinRequest { instance_id: Some(instance.to_string()), ..request("", "connect", &["sessioned"]) }
}

/// Two static members, `a-instance` and `b-instance`, in generation 2
/// with the leader's assignment synced (`to-leader`, `to-follower`): the
/// leader and the follower as they joined, each with its instance id.
fn two_static_members(c: &Coordinator) -> ((LedJoined, &'static str), (LedJoined, &'static str)) {
    let a = led(c.join_group(&static_request("a-instance")));
    let b = std::thread::scope(|s| {
        let b = s.spawn(|| led(c.join_group(&static_request("b-instance"))));
        while c.heartbeat("g", &a.member_id, 1) != Err(GroupError::RebalanceInProgress) {
            std::thread::sleep(Duration::from_millis(5));
        }
        let again = JoinRequest { member_id: a.member_id.clone(), ..static_request("a-instance") };
        led(c.join_group(&again));
        b.join().expect("b")
    });
    let (leader, follower) = if b.leader_id == a.member_id {
        ((a, "a-instance"), (b, "b-instance"))
    } else {
        ((b, "b-instance"), (a, "a-instance"))
    };
    let all = vec![
        (leader.0.member_id.clone(), b"to-leader".to_vec()),
        (follower.0.member_id.clone(), b"to-follower".to_vec()),
    ];
    assignment(c.sync_group(&SyncRequest { generation: 2, ..sync(&leader.0, &all) }));
    (leader, follower)
}

/// KIP-345 in a client-led group: a static member back under a new id
/// takes its old self's place in a Stable group without a rebalance (the
/// leader told to keep the assignment, KIP-814), and its old id is fenced.
#[test]
fn a_static_member_restarting_keeps_its_place_and_fences_its_old_self() {
    let (_dir, cluster) = setup(&[("t", 1)]);
    let c = Coordinator::new(&cluster);
    let ((leader, leader_instance), (follower, follower_instance)) = two_static_members(&c);
    // The follower restarts: same instance, a new id, the same generation.
    let back = led(c.join_group(&static_request(follower_instance)));
    assert_ne!(back.member_id, follower.member_id);
    assert_eq!((back.generation, back.skip_assignment), (2, false), "no rebalance");
    assert_eq!(c.heartbeat("g", &leader.member_id, 2), Ok(()), "the leader is not disturbed");
    assert_eq!(assignment(c.sync_group(&SyncRequest { generation: 2, ..sync(&back, &[]) })), b"to-follower".to_vec());
    let old = &follower.member_id;
    assert_eq!(c.check_instance("g", old, Some(follower_instance)), Err(GroupError::FencedInstanceId));
    assert_eq!(c.check_instance("g", &back.member_id, Some(follower_instance)), Ok(()));
    assert_eq!(c.check_instance("g", old, Some("nobody")), Ok(()), "nobody holds it: the request's own checks answer");
    assert_eq!(c.heartbeat("g", old, 2), Err(GroupError::UnknownMemberId));
    // The leader restarts: it is told the members and to keep the assignment.
    let new_leader = led(c.join_group(&static_request(leader_instance)));
    assert_eq!((new_leader.generation, new_leader.skip_assignment), (2, true));
    assert_eq!((new_leader.leader_id.as_str(), new_leader.members.len()), (new_leader.member_id.as_str(), 2));
}

/// A leader that never sends its SyncGroup is dropped once the rebalance
/// timeout passed (Kafka's pending-sync expiry), and the others rebalance.
#[test]
fn a_leader_that_never_assigns_is_dropped_after_the_rebalance_timeout() {
    let (_dir, cluster) = setup(&[("t", 1)]);
    let c = Coordinator::new(&cluster);
    let mut quick = request("", "connect", &["sessioned"]);
    quick.rebalance_timeout = Duration::from_millis(300);
    let a = led(c.join_group(&quick));
    assert_eq!(a.leader_id, a.member_id);
    std::thread::sleep(Duration::from_millis(350));
    c.tick().expect("tick");
    assert_eq!(c.heartbeat("g", &a.member_id, 1), Err(GroupError::UnknownMemberId), "dropped");
    let b = led(c.join_group(&quick));
    assert_eq!((b.generation, b.leader_id.as_str()), (2, b.member_id.as_str()));
}

/// Kafka's rule for a static member back in a Stable group: what decides
/// is whether the selected protocol would change, not whether its metadata
/// did. A follower back with a new subscription keeps its place, and the
/// leader, restarting next, is handed that new metadata; a leader too old
/// to be told to keep the assignment (JoinGroup below v9) is not made to
/// rebalance either: Kafka names its old id as the leader, and it follows.
#[test]
fn a_static_member_back_with_new_metadata_keeps_its_place_and_an_old_leader_follows() {
    let (_dir, cluster) = setup(&[("t", 1)]);
    let c = Coordinator::new(&cluster);
    let ((leader, leader_instance), (_, follower_instance)) = two_static_members(&c);

    let changed = JoinRequest {
        offered: vec![("sessioned".to_string(), b"a new subscription".to_vec())],
        ..static_request(follower_instance)
    };
    let back = led(c.join_group(&changed));
    assert_eq!((back.generation, back.skip_assignment), (2, false), "no rebalance for new metadata");
    assert_eq!(c.heartbeat("g", &leader.member_id, 2), Ok(()), "the leader is not disturbed");

    let new_leader = led(c.join_group(&static_request(leader_instance)));
    assert_eq!((new_leader.generation, new_leader.skip_assignment), (2, true));
    let metadata: Vec<&[u8]> =
        new_leader.members.iter().filter(|m| m.member_id == back.member_id).map(|m| m.metadata.as_slice()).collect();
    assert_eq!(metadata, [&b"a new subscription"[..]], "the follower's new metadata reached the leader");

    let old_client = JoinRequest { skip_assignment_allowed: false, ..static_request(leader_instance) };
    let newest = led(c.join_group(&old_client));
    assert_eq!(newest.generation, 2, "no rebalance for an old client's leader either");
    assert_eq!(
        (newest.leader_id.as_str(), newest.members.len(), newest.skip_assignment),
        (new_leader.member_id.as_str(), 0, false),
        "told its old id leads: it follows"
    );
    assert_eq!(c.heartbeat("g", &back.member_id, 2), Ok(()));
    assert_eq!(assignment(c.sync_group(&SyncRequest { generation: 2, ..sync(&newest, &[]) })), b"to-leader".to_vec());
}

/// Two members, joined and in CompletingRebalance: the leader (first) and
/// a follower.
fn two_joined(c: &Coordinator) -> (LedJoined, LedJoined) {
    let a = led(c.join_group(&request("", "connect", &["sessioned"])));
    c.sync_group(&sync(&a, &[])).expect("alone, synced");
    std::thread::scope(|s| {
        let b = s.spawn(|| led(c.join_group(&request("", "connect", &["sessioned"]))));
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while c.heartbeat("g", &a.member_id, generation(&a)) != Err(GroupError::RebalanceInProgress) {
            assert!(std::time::Instant::now() < deadline, "no rebalance began");
            std::thread::sleep(Duration::from_millis(5));
        }
        let a2 = led(c.join_group(&request(&a.member_id, "connect", &["sessioned"])));
        (a2, b.join().expect("b joined"))
    })
}

#[test]
fn assignments_past_kafkas_group_record_limit_are_refused_and_the_group_rebalances() {
    use crate::consumer::group::record_size::MAX_GROUP_RECORD_BYTES;
    let (_dir, cluster) = setup(&[("t", 2)]);
    let c = Coordinator::new(&cluster);
    let (a, b) = two_joined(&c);
    let half = MAX_GROUP_RECORD_BYTES / 2;
    let too_large = vec![(a.member_id.clone(), vec![1; half]), (b.member_id.clone(), vec![2; half])];
    std::thread::scope(|s| {
        // A follower waiting for the leader gets the leader's error.
        let parked = s.spawn(|| c.sync_group(&sync(&b, &[])));
        std::thread::sleep(Duration::from_millis(50));
        let refused = c.sync_group(&sync(&a, &too_large));
        assert!(matches!(&refused, Err(GroupError::Failed(why)) if why.contains("message.max.bytes")), "{refused:?}");
        let parked = parked.join().expect("parked follower");
        assert!(matches!(parked, Err(GroupError::Failed(_))), "{parked:?}");
    });
    // The group prepares a rebalance; a SyncGroup after the refusal is told so.
    assert_eq!(c.describe("g").expect("describe").expect("found").state, GroupStateName::PreparingRebalance);
    assert_eq!(c.sync_group(&sync(&b, &[])), Err(GroupError::RebalanceInProgress));
    assert_eq!(c.heartbeat("g", &a.member_id, generation(&a)), Err(GroupError::RebalanceInProgress));

    // Both join again; assignments that fit are taken.
    let (a2, b2) = std::thread::scope(|s| {
        let b2 = s.spawn(|| led(c.join_group(&request(&b.member_id, "connect", &["sessioned"]))));
        let a2 = led(c.join_group(&request(&a.member_id, "connect", &["sessioned"])));
        (a2, b2.join().expect("b joined again"))
    });
    assert_eq!((a2.generation, b2.generation), (3, 3));
    let fitting = vec![(a.member_id.clone(), vec![1; half - 1000]), (b.member_id.clone(), b"to-b".to_vec())];
    std::thread::scope(|s| {
        let follower = s.spawn(|| assignment(c.sync_group(&sync(&b2, &[]))));
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(assignment(c.sync_group(&sync(&a2, &fitting))).len(), half - 1000);
        assert_eq!(follower.join().expect("follower synced"), b"to-b");
    });
}

#[test]
fn a_static_member_back_with_metadata_past_the_record_limit_is_refused_and_its_old_self_stays() {
    use crate::consumer::group::record_size::MAX_GROUP_RECORD_BYTES;
    let (_dir, cluster) = setup(&[("t", 1)]);
    let c = Coordinator::new(&cluster);
    let ((leader, _), (follower, follower_instance)) = two_static_members(&c);
    let huge = JoinRequest {
        offered: vec![("sessioned".to_string(), vec![7; MAX_GROUP_RECORD_BYTES])],
        ..static_request(follower_instance)
    };
    let refused = c.join_group(&huge);
    assert!(matches!(&refused, Err(GroupError::Failed(why)) if why.contains("message.max.bytes")), "{refused:?}");
    // Nothing changed: the old member is still the instance's, in generation 2.
    assert_eq!(c.heartbeat("g", &follower.member_id, 2), Ok(()));
    assert_eq!(c.heartbeat("g", &leader.member_id, 2), Ok(()));
    let view = c.describe("g").expect("describe").expect("found");
    assert_eq!(view.state, GroupStateName::Stable);
    assert!(view.members.iter().any(|m| m.member_id == follower.member_id), "the old member stays");
}

//! A client-led group over the wire, as a Kafka broker runs one: two
//! members of protocol type `connect` (Kafka Connect's workers), each on its
//! own connection. The first JoinGroup waits for the second member's
//! rebalance until the first joins again; the leader alone is told every
//! member's metadata, its SyncGroup carries the assignments, and a
//! follower's SyncGroup waits for it. DescribeGroups and ListGroups show the
//! protocol type and protocol, and Kafka's error codes answer the rest.
//! Expected values are Kafka's (`GroupMetadataManager`'s classic group).

use std::net::TcpStream;

use bytes::Bytes;
use kafka_protocol::messages::join_group_request::JoinGroupRequestProtocol;
use kafka_protocol::messages::leave_group_request::MemberIdentity;
use kafka_protocol::messages::sync_group_request::SyncGroupRequestAssignment;
use kafka_protocol::messages::{
    ApiKey, DescribeGroupsRequest, DescribeGroupsResponse, GroupId, HeartbeatRequest, HeartbeatResponse,
    JoinGroupRequest, JoinGroupResponse, LeaveGroupRequest, LeaveGroupResponse, ListGroupsRequest, ListGroupsResponse,
    SyncGroupRequest, SyncGroupResponse,
};
use kafka_protocol::protocol::StrBytes;

use crate::common::Sandbox;
use crate::serve_fidelity::{call, connect};
use crate::serve_harness::Served;

const ILLEGAL_GENERATION: i16 = 22;
const REBALANCE_IN_PROGRESS: i16 = 27;
const MEMBER_ID_REQUIRED: i16 = 79;
const INCONSISTENT_GROUP_PROTOCOL: i16 = 23;
const GROUP: &str = "workers";

fn text(s: &str) -> StrBytes {
    StrBytes::from_string(s.to_string())
}

fn join_request(member_id: &str, protocol_type: &str, metadata: &str) -> JoinGroupRequest {
    let protocol = JoinGroupRequestProtocol::default()
        .with_name(text("sessioned"))
        .with_metadata(Bytes::from(metadata.as_bytes().to_vec()));
    JoinGroupRequest::default()
        .with_group_id(GroupId(text(GROUP)))
        .with_session_timeout_ms(10_000)
        .with_rebalance_timeout_ms(20_000)
        .with_member_id(text(member_id))
        .with_protocol_type(text(protocol_type))
        .with_protocols(vec![protocol])
}

fn join(conn: &mut TcpStream, member_id: &str, metadata: &str) -> JoinGroupResponse {
    call(conn, ApiKey::JoinGroup, 7, &join_request(member_id, "connect", metadata))
}

/// A new member's two JoinGroups (v4+: the first hands out its id).
fn join_new(conn: &mut TcpStream, metadata: &str) -> JoinGroupResponse {
    let first = join(conn, "", metadata);
    assert_eq!(first.error_code, MEMBER_ID_REQUIRED);
    join(conn, first.member_id.as_str(), metadata)
}

fn sync(conn: &mut TcpStream, joined: &JoinGroupResponse, assignments: &[(&str, &str)]) -> SyncGroupResponse {
    let assignments = assignments
        .iter()
        .map(|(id, a)| {
            SyncGroupRequestAssignment::default()
                .with_member_id(text(id))
                .with_assignment(Bytes::from(a.as_bytes().to_vec()))
        })
        .collect();
    let request = SyncGroupRequest::default()
        .with_group_id(GroupId(text(GROUP)))
        .with_generation_id(joined.generation_id)
        .with_member_id(joined.member_id.clone())
        .with_protocol_type(Some(text("connect")))
        .with_protocol_name(Some(text("sessioned")))
        .with_assignments(assignments);
    call(conn, ApiKey::SyncGroup, 5, &request)
}

fn heartbeat(conn: &mut TcpStream, member_id: &str, generation: i32) -> i16 {
    let request = HeartbeatRequest::default()
        .with_group_id(GroupId(text(GROUP)))
        .with_generation_id(generation)
        .with_member_id(text(member_id));
    call::<_, HeartbeatResponse>(conn, ApiKey::Heartbeat, 4, &request).error_code
}

#[test]
fn a_connect_group_is_assigned_by_its_leader_as_on_a_kafka_broker() {
    let sb = Sandbox::new();
    let served = Served::start(&sb, 1);
    let mut a = connect(&served);
    let first = join_new(&mut a, "meta-a");
    assert_eq!(first.error_code, 0);
    let a_id = first.member_id.as_str().to_string();
    assert_eq!((first.generation_id, first.leader.as_str()), (1, a_id.as_str()), "alone, it leads");
    assert_eq!(first.protocol_type.as_ref().map(|t| t.as_str()), Some("connect"));
    assert_eq!(first.protocol_name.as_ref().map(|n| n.as_str()), Some("sessioned"));
    assert_eq!(first.members.len(), 1);
    assert_eq!(first.members[0].metadata.as_ref(), b"meta-a");
    let synced = sync(&mut a, &first, &[(&a_id, "all-to-a")]);
    assert_eq!((synced.error_code, synced.assignment.as_ref()), (0, b"all-to-a".as_slice()));

    // A second worker: its JoinGroup is answered once the first joins again.
    let second = std::thread::scope(|s| {
        let joining = s.spawn(|| join_new(&mut connect(&served), "meta-b"));
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while heartbeat(&mut a, &a_id, 1) != REBALANCE_IN_PROGRESS {
            assert!(std::time::Instant::now() < deadline, "no rebalance began");
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let again = join(&mut a, &a_id, "meta-a");
        (again, joining.join().expect("b joined"))
    });
    let (again, b_joined) = second;
    let b_id = b_joined.member_id.as_str().to_string();
    assert_eq!((again.generation_id, b_joined.generation_id), (2, 2));
    assert_eq!((again.leader.as_str(), b_joined.leader.as_str()), (a_id.as_str(), a_id.as_str()));
    assert!(b_joined.members.is_empty(), "a follower is told no metadata");
    let mut told: Vec<(String, Vec<u8>)> =
        again.members.iter().map(|m| (m.member_id.as_str().to_string(), m.metadata.to_vec())).collect();
    told.sort();
    let mut expected = vec![(a_id.clone(), b"meta-a".to_vec()), (b_id.clone(), b"meta-b".to_vec())];
    expected.sort();
    assert_eq!(told, expected);

    // The follower's SyncGroup waits for the leader's, which carries its part.
    let mut b = connect(&served);
    let b_synced = std::thread::scope(|s| {
        let waiting = s.spawn(|| sync(&mut b, &b_joined, &[]));
        std::thread::sleep(std::time::Duration::from_millis(100));
        let leader = sync(&mut a, &again, &[(&a_id, "half-a"), (&b_id, "half-b")]);
        assert_eq!(leader.assignment.as_ref(), b"half-a");
        waiting.join().expect("b synced")
    });
    assert_eq!((b_synced.error_code, b_synced.assignment.as_ref()), (0, b"half-b".as_slice()));
    assert_eq!(b_synced.protocol_type.as_ref().map(|t| t.as_str()), Some("connect"));

    // Kafka's answers to a stale generation, and to another protocol type.
    assert_eq!(heartbeat(&mut b, &b_id, 2), 0);
    assert_eq!(heartbeat(&mut b, &b_id, 1), ILLEGAL_GENERATION);
    let mut c = connect(&served);
    let consumer: JoinGroupResponse = call(&mut c, ApiKey::JoinGroup, 7, &join_request("", "consumer", "x"));
    let consumer = if consumer.error_code == MEMBER_ID_REQUIRED {
        call(&mut c, ApiKey::JoinGroup, 7, &join_request(consumer.member_id.as_str(), "consumer", "x"))
    } else {
        consumer
    };
    assert_eq!(consumer.error_code, INCONSISTENT_GROUP_PROTOCOL);

    // As Kafka's tools see the group.
    let described: DescribeGroupsResponse = call(
        &mut c,
        ApiKey::DescribeGroups,
        5,
        &DescribeGroupsRequest::default().with_groups(vec![GroupId(text(GROUP))]),
    );
    let group = &described.groups[0];
    assert_eq!((group.group_state.as_str(), group.protocol_type.as_str()), ("Stable", "connect"));
    assert_eq!(group.protocol_data.as_str(), "sessioned");
    let b_described = group.members.iter().find(|m| m.member_id.as_str() == b_id).expect("b described");
    assert_eq!(b_described.member_metadata.as_ref(), b"meta-b");
    assert_eq!(b_described.member_assignment.as_ref(), b"half-b");
    let listed: ListGroupsResponse = call(&mut c, ApiKey::ListGroups, 4, &ListGroupsRequest::default());
    let workers = listed.groups.iter().find(|g| g.group_id.0.as_str() == GROUP).expect("listed");
    assert_eq!(workers.protocol_type.as_str(), "connect");
    // And as runnel's own `group list` shows it: a Connect group, not a consumer group.
    let listed: serde_json::Value =
        serde_json::from_str(&sb.ok(&["group", "list", "--format", "json"])).expect("group list json");
    let row = listed.as_array().and_then(|a| a.iter().find(|g| g["group"] == GROUP)).expect("in group list");
    assert_eq!((row["type"].as_str(), row["protocol"].as_str()), (Some("connect"), Some("sessioned")), "{row}");
    let table = sb.ok(&["group", "list"]);
    let line = table.lines().find(|l| l.starts_with(GROUP)).expect("a row");
    assert_eq!(line.split_whitespace().nth(1), Some("connect"), "{table}");

    // A member leaves: while the others are to join again, Kafka describes
    // each member with its assignment and without its metadata, and no protocol.
    let leave = LeaveGroupRequest::default()
        .with_group_id(GroupId(text(GROUP)))
        .with_members(vec![MemberIdentity::default().with_member_id(text(&b_id))]);
    let left: LeaveGroupResponse = call(&mut c, ApiKey::LeaveGroup, 3, &leave);
    assert_eq!(left.members[0].error_code, 0);
    let described: DescribeGroupsResponse = call(
        &mut c,
        ApiKey::DescribeGroups,
        5,
        &DescribeGroupsRequest::default().with_groups(vec![GroupId(text(GROUP))]),
    );
    let group = &described.groups[0];
    assert_eq!((group.group_state.as_str(), group.protocol_data.as_str()), ("PreparingRebalance", ""));
    let a_described = group.members.iter().find(|m| m.member_id.as_str() == a_id).expect("a described");
    assert_eq!(a_described.member_assignment.as_ref(), b"half-a");
    assert!(a_described.member_metadata.is_empty(), "no metadata outside Stable");
}

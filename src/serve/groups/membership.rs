//! FindCoordinator, JoinGroup, SyncGroup, Heartbeat and LeaveGroup: requests
//! decoded into the domain's terms, answered by `consumer::group::remote`'s
//! coordinator, and its answers (or refusals, as Kafka's error codes) encoded.

use std::time::Duration;

use bytes::Bytes;
use kafka_protocol::error::ResponseError;
use kafka_protocol::messages::find_coordinator_response::Coordinator as FoundCoordinator;
use kafka_protocol::messages::join_group_response::JoinGroupResponseMember;
use kafka_protocol::messages::leave_group_response::MemberResponse;
use kafka_protocol::messages::{
    BrokerId, FindCoordinatorRequest, FindCoordinatorResponse, HeartbeatRequest, HeartbeatResponse, JoinGroupRequest,
    JoinGroupResponse, LeaveGroupRequest, LeaveGroupResponse, SyncGroupRequest, SyncGroupResponse,
};
use kafka_protocol::protocol::StrBytes;

use super::codec::{code_of, decode_assignment, decode_subscription, encode_assignment, error_code};
use crate::consumer::group::remote::{Coordinator, GroupError, JoinOutcome, JoinRequest, SyncOutcome, SyncRequest};

/// Who sent a request: its `client.id` (request header) and address as Kafka
/// shows it (`/127.0.0.1`).
#[derive(Debug, Clone)]
pub struct Peer {
    pub client_id: String,
    pub host: String,
}

/// The broker a client reached: the group coordinator it is told of.
#[derive(Debug, Clone)]
pub struct Node {
    pub id: i32,
    pub host: String,
    pub port: i32,
}

fn text(s: &str) -> StrBytes {
    StrBytes::from_string(s.to_string())
}

/// Kafka's key type of consumer groups (transactions are 1, share groups 2).
const KEY_TYPE_GROUP: i8 = 0;

/// FindCoordinator: for groups, the broker the client is connected to (every
/// listener of a serve process coordinates every group: the state is the data
/// dir's); other key types (transactions) are not served: `INVALID_REQUEST`.
pub fn find_coordinator(req: &FindCoordinatorRequest, version: i16, node: &Node) -> FindCoordinatorResponse {
    let refusal = (req.key_type != KEY_TYPE_GROUP).then(|| {
        (ResponseError::InvalidRequest.code(), "runnel serve coordinates consumer groups only (no transactions)")
    });
    let mut resp = FindCoordinatorResponse::default();
    if version >= 4 {
        resp.coordinators = req
            .coordinator_keys
            .iter()
            .map(|key| {
                let mut c = FoundCoordinator::default().with_key(key.clone());
                match refusal {
                    Some((code, message)) => {
                        c = c.with_error_code(code).with_error_message(Some(text(message))).with_node_id(BrokerId(-1));
                        c.host = text("");
                        c.port = -1;
                    }
                    None => {
                        c = c.with_node_id(BrokerId(node.id)).with_host(text(&node.host)).with_port(node.port);
                    }
                }
                c
            })
            .collect();
        return resp;
    }
    match refusal {
        Some((code, message)) => {
            resp.error_code = code;
            resp.error_message = Some(text(message));
            resp.node_id = BrokerId(-1);
            resp.host = text("");
            resp.port = -1;
        }
        None => {
            resp.node_id = BrokerId(node.id);
            resp.host = text(&node.host);
            resp.port = node.port;
        }
    }
    resp
}

fn millis(ms: i32) -> Duration {
    Duration::from_millis(u64::try_from(ms).unwrap_or(0))
}

/// JoinGroup. In a group runnel assigns, every client is told a leader that
/// is not itself, so it follows with an empty SyncGroup; in a client-led
/// group (Connect, Streams, a custom assignor) the leader is a member and
/// gets every member's metadata, as from a Kafka broker.
pub fn join_group(c: &Coordinator, req: &JoinGroupRequest, version: i16, peer: &Peer) -> JoinGroupResponse {
    let protocols: Vec<_> = req
        .protocols
        .iter()
        .filter_map(|p| decode_subscription(&p.metadata).map(|s| (p.name.as_str().to_string(), s)))
        .collect();
    let join = JoinRequest {
        group: req.group_id.0.as_str().to_string(),
        member_id: req.member_id.as_str().to_string(),
        instance_id: req.group_instance_id.as_ref().map(|s| s.as_str().to_string()),
        client_id: peer.client_id.clone(),
        client_host: peer.host.clone(),
        session_timeout: millis(req.session_timeout_ms),
        // v0 has no rebalance timeout: Kafka takes the session timeout.
        rebalance_timeout: millis(if version >= 1 { req.rebalance_timeout_ms } else { req.session_timeout_ms }),
        protocol_type: req.protocol_type.as_str().to_string(),
        protocols,
        offered: req.protocols.iter().map(|p| (p.name.as_str().to_string(), p.metadata.to_vec())).collect(),
        requires_known_member_id: version >= 4,
        skip_assignment_allowed: version >= 9,
    };
    let mut resp = JoinGroupResponse::default();
    match c.join_group(&join) {
        Ok(JoinOutcome::Runnel(joined)) => {
            resp.generation_id = i32::try_from(joined.generation).unwrap_or(i32::MAX);
            resp.protocol_type = Some(text("consumer"));
            resp.protocol_name = Some(text(joined.strategy.name()));
            resp.leader = text(&joined.leader_id);
            resp.member_id = text(&joined.member_id);
        }
        Ok(JoinOutcome::Led(joined)) => {
            resp.generation_id = i32::try_from(joined.generation).unwrap_or(i32::MAX);
            resp.protocol_type = Some(text(&joined.protocol_type));
            resp.protocol_name = Some(text(&joined.protocol));
            resp.leader = text(&joined.leader_id);
            resp.member_id = text(&joined.member_id);
            resp.skip_assignment = joined.skip_assignment;
            resp.members = joined
                .members
                .iter()
                .map(|m| {
                    JoinGroupResponseMember::default()
                        .with_member_id(text(&m.member_id))
                        .with_group_instance_id(m.instance_id.as_deref().map(text))
                        .with_metadata(Bytes::from(m.metadata.clone()))
                })
                .collect();
        }
        Err(e) => {
            resp.error_code = error_code(&e);
            resp.generation_id = -1;
            resp.member_id = match &e {
                GroupError::MemberIdRequired(id) => text(id),
                _ => req.member_id.clone(),
            };
            resp.leader = text("");
            // Nullable from v7; an empty name before.
            resp.protocol_type = None;
            resp.protocol_name = (version < 7).then(|| text(""));
        }
    }
    resp
}

/// SyncGroup: in a group runnel assigns, the member's assignment once serve
/// holds its partitions' claims (assignments a client sends are ignored, as
/// Kafka ignores a follower's: every client is a follower); in a client-led
/// group, the leader's assignments, which its SyncGroup carries.
pub fn sync_group(c: &Coordinator, req: &SyncGroupRequest, version: i16) -> SyncGroupResponse {
    let mut resp = SyncGroupResponse::default();
    let assignments: Vec<(String, Vec<u8>)> =
        req.assignments.iter().map(|a| (a.member_id.as_str().to_string(), a.assignment.to_vec())).collect();
    let partitions_of = |bytes: &[u8]| decode_assignment(&Bytes::copy_from_slice(bytes));
    let sync = SyncRequest {
        group: req.group_id.0.as_str(),
        member_id: req.member_id.as_str(),
        generation: req.generation_id,
        protocol_type: req.protocol_type.as_ref().map(|t| t.as_str()).filter(|_| version >= 5),
        protocol: req.protocol_name.as_ref().map(|n| n.as_str()).filter(|_| version >= 5),
        assignments: &assignments,
        partitions_of: &partitions_of,
    };
    let instance = req.group_instance_id.as_ref().map(|s| s.as_str());
    match c.check_instance(sync.group, sync.member_id, instance).and_then(|()| c.sync_group(&sync)) {
        Ok(SyncOutcome::Led { protocol_type, protocol, assignment }) => {
            resp.protocol_type = Some(text(&protocol_type));
            resp.protocol_name = Some(text(&protocol));
            resp.assignment = Bytes::from(assignment);
        }
        Ok(SyncOutcome::Runnel(synced)) => {
            if version >= 5 && req.protocol_name.as_ref().is_some_and(|n| n.as_str() != synced.strategy.name()) {
                resp.error_code = ResponseError::InconsistentGroupProtocol.code();
                return resp;
            }
            resp.protocol_type = Some(text("consumer"));
            resp.protocol_name = Some(text(synced.strategy.name()));
            resp.assignment = encode_assignment(&synced.assignment, synced.version);
        }
        Err(e) => {
            resp.error_code = error_code(&e);
            resp.assignment = Bytes::new();
        }
    }
    resp
}

/// Heartbeat.
pub fn heartbeat(c: &Coordinator, req: &HeartbeatRequest) -> HeartbeatResponse {
    let instance = req.group_instance_id.as_ref().map(|s| s.as_str());
    let result = c
        .check_instance(req.group_id.0.as_str(), req.member_id.as_str(), instance)
        .and_then(|()| c.heartbeat(req.group_id.0.as_str(), req.member_id.as_str(), req.generation_id));
    HeartbeatResponse::default().with_error_code(code_of(&result))
}

/// LeaveGroup: one member (v0-2) or a batch (v3+, by member id or instance id).
pub fn leave_group(c: &Coordinator, req: &LeaveGroupRequest, version: i16) -> LeaveGroupResponse {
    let leaving: Vec<(String, Option<String>)> = if version >= 3 {
        req.members
            .iter()
            .map(|m| (m.member_id.as_str().to_string(), m.group_instance_id.as_ref().map(|s| s.as_str().to_string())))
            .collect()
    } else {
        vec![(req.member_id.as_str().to_string(), None)]
    };
    let mut resp = LeaveGroupResponse::default();
    match c.leave(req.group_id.0.as_str(), &leaving) {
        Ok(outcomes) => {
            if version >= 3 {
                resp.members = outcomes
                    .iter()
                    .map(|o| {
                        MemberResponse::default()
                            .with_member_id(text(&o.member_id))
                            .with_group_instance_id(o.instance_id.as_deref().map(text))
                            .with_error_code(code_of(&o.result))
                    })
                    .collect();
            } else {
                resp.error_code = outcomes.first().map_or(0, |o| code_of(&o.result));
            }
        }
        Err(e) => resp.error_code = error_code(&e),
    }
    resp
}

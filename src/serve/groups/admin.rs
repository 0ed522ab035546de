//! DescribeGroups, ListGroups and DeleteGroups: runnel's groups as Kafka's
//! tools see them — CLI members and Kafka clients alike, a CLI member's
//! subscription and assignment encoded as a Kafka client's would be.

use kafka_protocol::error::ResponseError;
use kafka_protocol::messages::delete_groups_response::DeletableGroupResult;
use kafka_protocol::messages::describe_groups_response::{DescribedGroup, DescribedGroupMember};
use kafka_protocol::messages::list_groups_response::ListedGroup;
use kafka_protocol::messages::{
    DeleteGroupsRequest, DeleteGroupsResponse, DescribeGroupsRequest, DescribeGroupsResponse, GroupId,
    ListGroupsRequest, ListGroupsResponse,
};
use kafka_protocol::protocol::StrBytes;

use super::codec::{code_of, encode_assignment, encode_subscription, error_code};
use crate::consumer::group::GroupStateName;
use crate::consumer::group::admin::GroupSummary;
use crate::consumer::group::remote::Coordinator;
use crate::consumer::share::GroupType;
use crate::serve::authorized::{self, Resource};

fn text(s: &str) -> StrBytes {
    StrBytes::from_string(s.to_string())
}

/// Kafka's name of a group state.
fn state_name(state: GroupStateName) -> &'static str {
    match state {
        GroupStateName::Stable => "Stable",
        GroupStateName::PreparingRebalance => "PreparingRebalance",
        GroupStateName::CompletingRebalance => "CompletingRebalance",
        GroupStateName::Empty => "Empty",
        GroupStateName::Dead => "Dead",
    }
}

/// DescribeGroups.
pub fn describe_groups(c: &Coordinator, req: &DescribeGroupsRequest, version: i16) -> DescribeGroupsResponse {
    let groups = req
        .groups
        .iter()
        .map(|id| {
            let mut d = DescribedGroup::default().with_group_id(id.clone());
            d.authorized_operations = authorized::NOT_ASKED;
            match c.describe(id.0.as_str()) {
                Ok(Some(view)) => {
                    d.authorized_operations =
                        authorized::operations(Resource::Group, req.include_authorized_operations);
                    d.group_state = text(state_name(view.state));
                    let (kind, protocol) = match &view.led {
                        Some((kind, protocol)) => (kind.as_str(), protocol.as_deref().unwrap_or("")),
                        None => (protocol_type(view.simple), view.strategy.map_or("", |s| s.name())),
                    };
                    d.protocol_type = text(kind);
                    // Outside Stable, Kafka gives no protocol.
                    let stable = view.state == GroupStateName::Stable;
                    d.protocol_data = text(if stable { protocol } else { "" });
                    d.members = view
                        .members
                        .iter()
                        .map(|m| {
                            let metadata = match &m.subscription {
                                Some(raw) => bytes::Bytes::from(raw.clone()),
                                None => encode_subscription(&m.topics),
                            };
                            let member = DescribedGroupMember::default()
                                .with_member_id(text(&m.member_id))
                                .with_group_instance_id(m.instance_id.as_deref().map(text))
                                .with_client_id(text(&m.client_id))
                                .with_client_host(text(&m.host));
                            let (metadata, assignment) = match &m.led {
                                Some((metadata, assignment)) => {
                                    (bytes::Bytes::from(metadata.clone()), bytes::Bytes::from(assignment.clone()))
                                }
                                None => (metadata, encode_assignment(&m.assignment, m.version)),
                            };
                            // Outside Stable, Kafka gives the assignment without the metadata
                            // (`describeNoMetadata`).
                            let member = member.with_member_assignment(assignment);
                            if stable { member.with_member_metadata(metadata) } else { member }
                        })
                        .collect();
                }
                Ok(None) => {
                    d.group_state = text("Dead");
                    if version >= 6 {
                        d.error_code = ResponseError::GroupIdNotFound.code();
                        let group = id.0.as_str();
                        d.error_message = Some(text(&if c.is_share_group(group) {
                            format!("Group {group} is not a classic group.")
                        } else {
                            format!("Group {group} not found.")
                        }));
                    }
                }
                Err(e) => {
                    d.error_code = error_code(&e);
                    d.group_state = text("Dead");
                }
            }
            d
        })
        .collect();
    DescribeGroupsResponse::default().with_groups(groups)
}

/// A classic group's protocol type: `consumer` once a consumer joined it,
/// empty for one that only ever held offsets (Kafka's simple group).
fn protocol_type(simple: bool) -> &'static str {
    if simple { "" } else { "consumer" }
}

/// ListGroups, with v4's state filter and v5's type filter: runnel's
/// consumer groups are Kafka's `classic` groups, its share groups `share`
/// ones (protocol type `share`); a dead group is not listed.
pub fn list_groups(c: &Coordinator, req: &ListGroupsRequest, version: i16) -> ListGroupsResponse {
    let mut resp = ListGroupsResponse::default();
    let groups = match c.list() {
        Ok(groups) => groups,
        Err(e) => {
            resp.error_code = error_code(&e);
            return resp;
        }
    };
    let state_wanted =
        |s: &str| req.states_filter.is_empty() || req.states_filter.iter().any(|f| f.as_str().eq_ignore_ascii_case(s));
    fn kafka_type(g: &GroupSummary) -> (&'static str, &str) {
        match g.group_type {
            GroupType::Share => ("share", "share"),
            GroupType::Consumer => ("classic", g.protocol_type.as_deref().unwrap_or(protocol_type(g.simple))),
        }
    }
    let type_wanted = |t: &str| {
        version < 5
            || req.types_filter.is_empty()
            || req.types_filter.iter().any(|f| f.as_str().eq_ignore_ascii_case(t))
    };
    resp.groups = groups
        .iter()
        .filter(|g| g.state != GroupStateName::Dead)
        .filter(|g| version < 4 || state_wanted(state_name(g.state)))
        .filter(|g| type_wanted(kafka_type(g).0))
        .map(|g| {
            let (group_type, protocol) = kafka_type(g);
            ListedGroup::default()
                .with_group_id(GroupId(text(&g.group)))
                .with_protocol_type(text(protocol))
                .with_group_state(text(state_name(g.state)))
                .with_group_type(text(group_type))
        })
        .collect();
    resp
}

/// DeleteGroups: a group with live members is `NON_EMPTY_GROUP`, an unknown one
/// `GROUP_ID_NOT_FOUND`.
pub fn delete_groups(c: &Coordinator, req: &DeleteGroupsRequest) -> DeleteGroupsResponse {
    let results = req
        .groups_names
        .iter()
        .map(|id| {
            DeletableGroupResult::default().with_group_id(id.clone()).with_error_code(code_of(&c.delete(id.0.as_str())))
        })
        .collect();
    DeleteGroupsResponse::default().with_results(results)
}

//! DescribeGroups, ListGroups and DeleteGroups for Kafka clients and tools,
//! over the same files `group describe|list|delete` read: both kinds of
//! member are shown, each with its subscription as the client sent it (a
//! client of this process) or as runnel knows it (topics only).

use super::coordinator::Coordinator;
use super::types::GroupError;
use crate::consumer::TopicPartition;
use crate::consumer::assignors::Strategy;
use crate::consumer::group::admin::{GroupStateName, GroupSummary, Inspection, list_groups};
use crate::consumer::group::state::MemberKind;
use crate::consumer::group::{delete_group, paths::GroupPaths};

/// A live member as DescribeGroups shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberView {
    pub member_id: String,
    pub instance_id: Option<String>,
    pub client_id: String,
    pub host: String,
    pub kind: MemberKind,
    pub topics: Vec<String>,
    /// The subscription a client of this process sent (`None`: build one from `topics`).
    pub subscription: Option<Vec<u8>>,
    /// The subscription version to encode the assignment in.
    pub version: i16,
    pub assignment: Vec<TopicPartition>,
    /// In a client-led group: its metadata for the group's protocol and its
    /// part of the leader's assignment, as the clients sent them.
    pub led: Option<(Vec<u8>, Vec<u8>)>,
}

/// A group as DescribeGroups shows it (`None` from `describe`: no such group, Kafka's Dead).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupView {
    pub state: GroupStateName,
    pub strategy: Option<Strategy>,
    pub members: Vec<MemberView>,
    /// No member ever joined (Kafka's simple group: no protocol type).
    pub simple: bool,
    /// A client-led group's protocol type and protocol (`None` before its
    /// first generation).
    pub led: Option<(String, Option<String>)>,
}

impl Coordinator {
    /// DescribeGroups of one group.
    pub fn describe(&self, group: &str) -> Result<Option<GroupView>, GroupError> {
        let paths = self.paths(group)?;
        // A share group is not a classic one: Kafka's DescribeGroups does not find it.
        if !paths.exists() || paths.share_file().exists() {
            return Ok(None);
        }
        let inspection = Inspection::read(&paths)?;
        let state = inspection.state_name(paths.offsets_file().exists());
        let led = inspection.state.as_ref().and_then(|s| s.client_led.as_ref());
        let local = self.known_group(group);
        let local = local.as_ref().map(|e| e.lock().unwrap_or_else(|poisoned| poisoned.into_inner()));
        let members = inspection
            .live
            .iter()
            .map(|m| {
                let remote = local.as_ref().and_then(|g| g.members.get(&m.member_id));
                MemberView {
                    member_id: m.member_id.clone(),
                    instance_id: m.instance_id.clone(),
                    client_id: m.client_id.clone(),
                    host: m.host.clone(),
                    kind: m.kind,
                    topics: m.topics.clone(),
                    subscription: remote.map(|r| r.subscription.raw.clone()).filter(|raw| !raw.is_empty()),
                    version: remote.map_or(0, |r| r.subscription.version),
                    assignment: m.assignment.clone(),
                    led: led.map(|l| (l.metadata_of(&m.member_id), l.assignment_of(&m.member_id))),
                }
            })
            .collect();
        let strategy = inspection.state.as_ref().and_then(|s| s.strategy).filter(|_| !inspection.live.is_empty());
        let led = led.map(|l| (l.protocol_type.clone(), l.protocol.clone()));
        Ok(Some(GroupView { state, strategy, members, simple: inspection.never_joined(), led }))
    }

    /// Whether `group` is a share group (Kafka's DescribeGroups does not
    /// describe one: it is not a classic group).
    pub fn is_share_group(&self, group: &str) -> bool {
        self.paths(group).is_ok_and(|paths| paths.share_file().exists())
    }

    /// ListGroups: every group with its state.
    pub fn list(&self) -> Result<Vec<GroupSummary>, GroupError> {
        Ok(list_groups(&self.cluster)?)
    }

    /// DeleteGroups of one group: `GROUP_ID_NOT_FOUND`, `NON_EMPTY_GROUP`, or deleted.
    pub fn delete(&self, group: &str) -> Result<(), GroupError> {
        let paths: GroupPaths = self.paths(group)?;
        if !paths.exists() {
            return Err(GroupError::GroupIdNotFound);
        }
        Ok(delete_group(&self.cluster, group)?)
    }
}

//! What the coordinator is asked and answers, in domain terms (no wire types),
//! and its refusals, named after the Kafka error codes `serve` sends for them.

use std::time::Duration;

use crate::consumer::TopicPartition;
use crate::consumer::assignors::Strategy;
use crate::error::{Error, ErrorKind, Reason};

/// Why a group request is refused: each is one Kafka error code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupError {
    /// `UNKNOWN_MEMBER_ID`: the member is not (or no longer) in the group.
    UnknownMemberId,
    /// `ILLEGAL_GENERATION`: the request names a generation that is not the member's.
    IllegalGeneration,
    /// `REBALANCE_IN_PROGRESS`: a newer generation exists; rejoin.
    RebalanceInProgress,
    /// `MEMBER_ID_REQUIRED` (JoinGroup v4+): join again with this id.
    MemberIdRequired(String),
    /// `INCONSISTENT_GROUP_PROTOCOL`: none of the client's protocols fits the group.
    InconsistentGroupProtocol,
    /// `INVALID_SESSION_TIMEOUT`.
    InvalidSessionTimeout,
    /// `INVALID_GROUP_ID`: a name runnel cannot use for a group.
    InvalidGroupId,
    /// `GROUP_ID_NOT_FOUND`.
    GroupIdNotFound,
    /// `NON_EMPTY_GROUP`: the group has live members.
    NonEmptyGroup,
    /// `FENCED_INSTANCE_ID`: another member took this `group.instance.id`.
    FencedInstanceId,
    /// `UNKNOWN_TOPIC_OR_PARTITION` (per partition of a commit).
    UnknownTopicOrPartition,
    /// `OFFSET_METADATA_TOO_LARGE` (per partition of a commit).
    OffsetMetadataTooLarge,
    /// `COORDINATOR_LOAD_IN_PROGRESS`: the group's files are busy (a lock
    /// not obtained in time); the client retries.
    Busy(String),
    /// `UNKNOWN_SERVER_ERROR`: the data dir failed (I/O, a damaged file).
    Failed(String),
}

impl From<Error> for GroupError {
    fn from(e: Error) -> GroupError {
        match (e.kind, e.reason.as_deref()) {
            (_, Some(Reason::GroupHasMembers { .. })) => GroupError::NonEmptyGroup,
            (_, Some(Reason::UnknownGroup { .. })) => GroupError::GroupIdNotFound,
            (ErrorKind::LockTimeout, _) => GroupError::Busy(e.message),
            _ => GroupError::Failed(e.message),
        }
    }
}

/// One protocol a client offers: its subscription, decoded.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Subscription {
    /// The version of the client's `ConsumerProtocolSubscription` (its
    /// assignment is answered in the same version).
    pub version: i16,
    pub topics: Vec<String>,
    /// The partitions the client still owns (subscription v1+); `None` for v0.
    pub owned: Option<Vec<TopicPartition>>,
    /// The subscription as the client sent it, for DescribeGroups.
    pub raw: Vec<u8>,
}

/// A JoinGroup.
#[derive(Debug, Clone)]
pub struct JoinRequest {
    pub group: String,
    /// Empty for a new member.
    pub member_id: String,
    pub instance_id: Option<String>,
    pub client_id: String,
    pub client_host: String,
    pub session_timeout: Duration,
    pub rebalance_timeout: Duration,
    pub protocol_type: String,
    /// `(protocol name, subscription)` in the client's order of preference:
    /// the protocols whose metadata is a consumer subscription.
    pub protocols: Vec<(String, Subscription)>,
    /// Every protocol as sent, `(name, metadata)`, in the client's order
    /// (what a client-led group's leader gets).
    pub offered: Vec<(String, Vec<u8>)>,
    /// The client understands `MEMBER_ID_REQUIRED` (JoinGroup v4+).
    pub requires_known_member_id: bool,
    /// A leader can be told to keep its assignment (JoinGroup v9+, KIP-814).
    pub skip_assignment_allowed: bool,
}

/// A JoinGroup's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Joined {
    pub generation: u64,
    pub strategy: Strategy,
    pub member_id: String,
    /// Never a member's id: every client is a follower.
    pub leader_id: String,
}

/// A JoinGroup's answer in a client-led group (`client_led`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedJoined {
    pub generation: u64,
    pub protocol_type: String,
    pub protocol: String,
    pub leader_id: String,
    pub member_id: String,
    /// For the leader: every member with its metadata for the protocol.
    pub members: Vec<LedMemberMetadata>,
    /// The leader is a static member back under a new id in a Stable
    /// group: it is not to assign again (KIP-814), only to learn the members.
    pub skip_assignment: bool,
}

/// One member as a client-led group's leader is told of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedMemberMetadata {
    pub member_id: String,
    pub instance_id: Option<String>,
    pub metadata: Vec<u8>,
}

/// A JoinGroup's answer: runnel assigns, or a client does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JoinOutcome {
    Runnel(Joined),
    Led(LedJoined),
}

/// A SyncGroup as a client-led group takes it.
#[derive(Clone, Copy)]
pub struct SyncRequest<'a> {
    pub group: &'a str,
    pub member_id: &'a str,
    pub generation: i32,
    /// The protocol type and name the client states (SyncGroup v5+).
    pub protocol_type: Option<&'a str>,
    pub protocol: Option<&'a str>,
    /// The leader's assignments, `(member id, assignment)`; a follower sends none.
    pub assignments: &'a [(String, Vec<u8>)],
    /// Reads a consumer protocol assignment's partitions (for the group's
    /// files: `group describe` shows who reads what).
    pub partitions_of: &'a dyn Fn(&[u8]) -> Option<Vec<TopicPartition>>,
}

/// A SyncGroup's answer: runnel's assignment, or the leader's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncOutcome {
    Runnel(Synced),
    Led { protocol_type: String, protocol: String, assignment: Vec<u8> },
}

/// A SyncGroup's answer: the member's partitions in its generation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Synced {
    pub strategy: Strategy,
    /// The subscription version the member joined with (encode the assignment so).
    pub version: i16,
    pub assignment: Vec<TopicPartition>,
}

/// One member's part of a LeaveGroup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaveOutcome {
    pub member_id: String,
    pub instance_id: Option<String>,
    pub result: Result<(), GroupError>,
}

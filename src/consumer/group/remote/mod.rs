//! Remote members: Kafka clients in a runnel group, through `runnel serve`.
//!
//! A Kafka client speaking the classic group protocol (JoinGroup, SyncGroup,
//! Heartbeat, LeaveGroup, OffsetCommit, OffsetFetch) joins the same group as
//! `runnel consume --group` processes: the group's state stays `state.json`,
//! `offsets.json` and the ownership claims, so one group holds members of
//! both kinds. The serve process is the group's coordinator for its clients
//! and acts as their proxy on disk:
//!
//! - it holds each client's liveness claim (`members/<id>.lock`), touching it
//!   at every request the client sends (so the session timeout applies as for
//!   any member: a client silent for longer is evicted, by serve or by any CLI
//!   member, and a dead serve process takes its clients with it);
//! - it computes the assignment itself with runnel's assignors (the strategy is
//!   the first of the client's protocols that the group supports) and names as
//!   JoinGroup leader an id no member has, so every client is a follower and
//!   receives its assignment from SyncGroup;
//! - it holds the ownership claims of a client's partitions (`owners`): taken
//!   before SyncGroup answers (the answer waits for the previous owner to let
//!   go), released when the client revokes them — rejoins without them (an
//!   eager client owns nothing when it rejoins), leaves, or is evicted. So no
//!   partition is read by a client and a CLI member at once.
//!
//! Commits are fenced as Kafka fences them (unknown member, stale generation),
//! with runnel's rule added: a partition another member holds is refused.
//!
//! Clients that offer first what runnel cannot assign (Kafka Connect,
//! Kafka Streams, a custom assignor) get a client-led group instead
//! (`client_led`): the JoinGroup leader is one of them and assigns, as on a
//! Kafka broker. Nothing here knows the wire format; `serve` decodes and
//! encodes.

mod client_led;
mod commits;
mod coordinator;
mod describe;
mod types;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_client_led;

pub use commits::{OffsetToCommit, StoredOffset};
pub use coordinator::{Coordinator, LEADER_ID, MAX_SESSION_TIMEOUT, MIN_SESSION_TIMEOUT};
pub use describe::{GroupView, MemberView};
pub use types::{
    GroupError, JoinOutcome, JoinRequest, Joined, LeaveOutcome, LedJoined, LedMemberMetadata, Subscription,
    SyncOutcome, SyncRequest, Synced,
};

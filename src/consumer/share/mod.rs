//! Share groups (KIP-932, Kafka's "queues"): the members of a share group
//! all read all partitions of its topics, and each record is handed to one
//! member at a time under a time-limited lock, acknowledged one by one
//! (accepted, released, rejected), redelivered when released or when its
//! lock expires, and archived (or dead-lettered) after the delivery limit.
//!
//! There is no share coordinator: every member changes a share-partition's
//! state itself, under that share-partition's lock file, and each change is
//! one atomic, fsynced rewrite of its document. On disk,
//! `<data-dir>/groups/<group>/`:
//! ```text
//! share.json                   the group is a share group: format_version,
//!                              created_ms, dead_letter_topic (or null)
//! group.lock                   held while the group is created or removed
//!                              (the consumer groups' lock: a name is one kind)
//! members/<member_id>.lock     liveness claim, held for the member's life;
//!                              its text is "member <id> pid <pid> host <host>
//!                              client <client id>"
//! partitions/<topic>-<p>.json  one share-partition: start_offset (SPSO),
//!                              next_offset, and the in-flight records as runs
//!                              {first, last, state, delivery_count, member_id,
//!                              acquired_ms, lock_until_ms, dead_letter}
//! partitions/<topic>-<p>.lock  held while that document changes
//! ```
//! The state machine is [`partition`] (pure); [`files`] reads and writes
//! the documents; [`member`] is `consume --share`'s loop; [`admin`] is
//! `group describe|list|pending|reset-offsets|delete` of a share group.

pub mod admin;
pub mod files;
pub mod member;
pub mod partition;

pub use admin::{
    PendingPartition, PendingRecord, PendingReport, ShareGroupDescription, SharePartitionDescription, consumer_pending,
    describe_share_group, group_type, pending,
};
pub use files::GroupType;
pub use member::{
    BatchHandler, DeadLetterSink, ShareMemberOptions, ShareReport, ShareStop, ShareWork, run_share_member,
};
pub use partition::{AcknowledgeType, Limits, RecordState};

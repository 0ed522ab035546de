//! Consumer groups across processes: membership, rebalancing, fenced
//! offset commits, the member loop, and the admin operations
//! (`group list|describe|reset-offsets|delete`).
//!
//! A member is a process (or, in tests, a [`Membership`] handle). Its
//! liveness is an OS file lock it holds for its whole life; its heartbeat is
//! that lock file's modification time, refreshed by a background thread. Every change of membership moves the
//! group to generation N+1 with all subscribed partitions re-assigned by the
//! group's one strategy (`assignors::assign`); with cooperative-sticky, the
//! partitions changing owner stay unassigned until their old owner has
//! released them and moved the group on to N+2 (see ARCHITECTURE.md,
//! "Rebalancing a consumer group"). A member reads a partition
//! only while holding the partition's ownership claim, which the previous
//! owner releases after committing, so no partition is read by two members
//! of one generation; an evicted (hung) owner's claim is broken, and its
//! commits are refused by the fencing in `offsets`.
//!
//! On disk, `<data-dir>/groups/<group>/`:
//! ```text
//! group.lock              held (bounded wait) while state.json or offsets.json change
//! state.json              generation, strategy, partition counts, and each member:
//!                         member_id, client_id, host, pid, topics, session_timeout_ms,
//!                         joined_ms, synced_generation, assignment [{topic, partition}]
//! offsets.json            committed offsets: [{topic, partition, offset (next to read),
//!                         leader_epoch (optional: of the record before offset),
//!                         member_id | null, generation, commit_ms}]
//! members/<member_id>.lock  liveness claim: locked for the member's life; its text is
//!                         "member <id> pid <pid> host <host>"; mtime = last heartbeat
//! owners/<topic>.claims.<k>  ownership claims of the topic's partitions 1024 k to
//!                         1024 k + 1023: a one-byte lock per partition and a record
//!                         "<epoch> <takes> <member id>" (see `owners`; earlier builds
//!                         kept owners/<topic>.claims, and before, owners/<topic>-<p>.lock)
//! ```
//! Both JSON files are replaced atomically (temp, fsync, rename, fsync dir),
//! one write per change or commit. A group is Stable when every listed
//! member is alive and has synced the current generation, PreparingRebalance
//! while not, Empty without live members, Dead while its state is missing.
//! A group of Kafka clients that assign among themselves (`client_led`)
//! keeps Kafka's states in `state.json`'s `client_led` instead.

pub mod admin;
pub mod claim;
pub mod client_led;
pub mod delete_offsets;
pub mod delivery;
pub mod forget;
pub mod heartbeat;
pub mod liveness;
pub mod member;
pub mod membership;
pub mod offset_reset;
pub mod offsets;
pub mod owners;
pub mod paths;
pub mod record_size;
pub mod remote;
pub mod reset;
pub mod state;

#[cfg(test)]
mod tests;

pub use admin::{
    GroupDescription, GroupStateName, GroupSummary, MemberDescription, PartitionOffset, describe_group, list_groups,
};
pub use delivery::CommitPoint;
pub use forget::forget_topic;
pub use member::{CommitPolicy, MemberOptions, MemberReport, MemberStop, run_member};
pub use membership::{GroupEvent, JoinOptions, Membership};
pub use offset_reset::AutoOffsetReset;
pub use offsets::CommitOutcome;
pub use reset::{
    OffsetReset, ResetScope, ResetSpec, ResetTarget, commit_outside, committed_offsets, delete_group, reset_offsets,
    reset_offsets_with_progress,
};

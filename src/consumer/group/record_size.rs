//! The size of the record Kafka writes to `__consumer_offsets` when a
//! classic group led by its clients completes a generation, and the limit
//! it must fit. Kafka checks no JoinGroup metadata or SyncGroup assignment
//! on its own: the leader's SyncGroup stores one `GroupMetadataValue`
//! (version 3) holding every member's metadata for the chosen protocol and
//! its assignment, and a batch larger than the offsets topic's
//! `max.message.bytes` (the broker's `message.max.bytes`, 1048588 by
//! default) is refused: the SyncGroup answers `UNKNOWN_SERVER_ERROR` and
//! the group prepares a rebalance. runnel keeps the same bound, so a group
//! that works here fits on a Kafka broker with its defaults.

use super::client_led::ClientLed;
use super::state::MemberInfo;

/// The largest group record batch taken: Kafka's `message.max.bytes`
/// default (1 MiB and a batch's log overhead).
pub const MAX_GROUP_RECORD_BYTES: usize = 1024 * 1024 + 12;

/// A v2 record batch's header, before its records.
const BATCH_HEADER: usize = 61;

/// Bytes of a zigzag varint holding `n`.
fn varint_len(n: usize) -> usize {
    let mut zigzag = (n as u64) << 1;
    let mut len = 1;
    while zigzag >= 0x80 {
        zigzag >>= 7;
        len += 1;
    }
    len
}

/// A Kafka `STRING` or `NULLABLE_STRING` (an i16 length, then the bytes).
fn string(text: Option<&str>) -> usize {
    2 + text.map_or(0, str::len)
}

/// The batch Kafka would append for `group`'s metadata after the leader's
/// SyncGroup: the key (`GroupMetadataKey` v2), the value
/// (`GroupMetadataValue` v3) with each member's metadata for the current
/// protocol and its assignment, one record in a v2 batch. `members` gives
/// each member's client id, host and session timeout (a member not listed
/// counts with empty ones).
pub fn group_record_bytes(group: &str, led: &ClientLed, members: &[MemberInfo]) -> usize {
    let key = 2 + string(Some(group));
    let mut value = 2
        + string(Some(&led.protocol_type))
        + 4
        + string(led.protocol.as_deref())
        + string(led.leader.as_deref())
        + 8
        + 4;
    let infos: std::collections::HashMap<&str, &MemberInfo> =
        members.iter().map(|m| (m.member_id.as_str(), m)).collect();
    let protocol = led.protocol.as_deref().unwrap_or_default();
    for (id, member) in &led.members {
        let info = infos.get(id.as_str()).copied();
        let subscription = member.protocols.iter().find(|p| p.name == protocol).map_or(0, |p| p.metadata.0.len());
        let assignment = member.assignment.as_ref().map_or(0, |a| a.0.len());
        value += string(Some(id))
            + string(info.and_then(|m| m.instance_id.as_deref()))
            + string(Some(info.map_or("", |m| m.client_id.as_str())))
            + string(Some(info.map_or("", |m| m.host.as_str())))
            + 4
            + 4
            + 4
            + subscription
            + 4
            + assignment;
    }
    // attributes, timestamp delta, offset delta, key, value, no headers.
    let body = 1 + 1 + 1 + varint_len(key) + key + varint_len(value) + value + 1;
    BATCH_HEADER + varint_len(body) + body
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consumer::group::client_led::{Blob, LedMember, Offered, Phase};

    fn led(metadata: usize, assignment: usize) -> ClientLed {
        let mut led = ClientLed::new("connect");
        led.phase = Phase::Stable;
        led.protocol = Some("sessioned".into());
        led.leader = Some("m-1".into());
        led.members.insert(
            "m-1".into(),
            LedMember {
                protocols: vec![
                    Offered { name: "sessioned".into(), metadata: Blob(vec![1; metadata]) },
                    Offered { name: "other".into(), metadata: Blob(vec![2; 5000]) },
                ],
                rebalance_timeout_ms: 1000,
                assignment: Some(Blob(vec![3; assignment])),
            },
        );
        led
    }

    #[test]
    fn varints_grow_by_seven_bits_of_the_zigzag_value() {
        assert_eq!((varint_len(0), varint_len(63), varint_len(64)), (1, 1, 2));
        assert_eq!((varint_len(8191), varint_len(8192)), (2, 3));
    }

    #[test]
    fn the_record_counts_the_chosen_protocols_metadata_and_the_assignment_once_each() {
        let small = group_record_bytes("g", &led(10, 20), &[]);
        assert_eq!(group_record_bytes("g", &led(110, 20), &[]), small + 100, "metadata counts");
        assert_eq!(group_record_bytes("g", &led(10, 220), &[]), small + 200, "assignment counts");
        // Another protocol's metadata is not stored.
        let mut other = led(10, 20);
        if let Some(m) = other.members.get_mut("m-1") {
            m.protocols[1].metadata = Blob(vec![2; 50_000]);
        }
        assert_eq!(group_record_bytes("g", &other, &[]), small);
    }

    #[test]
    fn a_members_client_id_host_and_instance_id_count_as_written() {
        let bare = group_record_bytes("g", &led(10, 20), &[]);
        let info = MemberInfo {
            member_id: "m-1".into(),
            client_id: "worker".into(),
            host: "/10.0.0.7".into(),
            pid: 1,
            topics: Vec::new(),
            session_timeout_ms: 10_000,
            joined_ms: 0,
            synced_generation: 0,
            assignment: Vec::new(),
            kind: crate::consumer::group::state::MemberKind::Kafka,
            instance_id: Some("i-1".into()),
            protocols: Vec::new(),
        };
        assert_eq!(group_record_bytes("g", &led(10, 20), &[info]), bare + 6 + 9 + 3);
    }

    #[test]
    fn a_megabyte_of_member_data_is_past_the_limit_and_half_of_it_is_not() {
        assert!(group_record_bytes("g", &led(512 * 1024, 0), &[]) < MAX_GROUP_RECORD_BYTES);
        assert!(group_record_bytes("g", &led(600 * 1024, 500 * 1024), &[]) > MAX_GROUP_RECORD_BYTES);
    }
}

//! The consumer protocol's embedded messages (`ConsumerProtocolSubscription`
//! in JoinGroup, `ConsumerProtocolAssignment` in SyncGroup and
//! DescribeGroups: a 2-byte version, then the message at that version) and
//! the Kafka error code of each refusal of the group coordinator.

use bytes::{Buf, BufMut, Bytes, BytesMut};
use kafka_protocol::error::ResponseError;
use kafka_protocol::messages::consumer_protocol_assignment::TopicPartition as AssignedTopic;
use kafka_protocol::messages::{ConsumerProtocolAssignment, ConsumerProtocolSubscription, TopicName};
use kafka_protocol::protocol::{Decodable, Encodable, StrBytes};

use crate::consumer::TopicPartition;
use crate::consumer::group::remote::{GroupError, Subscription};

/// The newest version of the embedded consumer-protocol messages.
pub const CONSUMER_PROTOCOL_VERSION: i16 = 3;

/// A JoinGroup protocol's metadata as a subscription; `None` if it is not one.
/// A version newer than known is read as the newest (as Kafka's clients do:
/// later versions only add fields at the end).
pub fn decode_subscription(metadata: &Bytes) -> Option<Subscription> {
    let mut buf = metadata.clone();
    if buf.remaining() < 2 {
        return None;
    }
    let version = buf.get_i16();
    if version < 0 {
        return None;
    }
    let read = version.min(CONSUMER_PROTOCOL_VERSION);
    let sub = ConsumerProtocolSubscription::decode(&mut buf, read).ok()?;
    let owned = (version >= 1).then(|| {
        sub.owned_partitions
            .iter()
            .flat_map(|t| {
                t.partitions
                    .iter()
                    .filter_map(|&p| u32::try_from(p).ok())
                    .map(|p| TopicPartition::new(t.topic.0.as_str(), p))
            })
            .collect()
    });
    Some(Subscription {
        version: read,
        topics: sub.topics.iter().map(|t| t.as_str().to_string()).collect(),
        owned,
        raw: metadata.to_vec(),
    })
}

/// A subscription to `topics` as runnel would send it (for members that are not
/// Kafka clients of this process), at version 0.
pub fn encode_subscription(topics: &[String]) -> Bytes {
    let sub = ConsumerProtocolSubscription::default()
        .with_topics(topics.iter().map(|t| StrBytes::from_string(t.clone())).collect());
    encode_versioned(&sub, 0)
}

/// An assignment at `version` (the version of the member's subscription).
pub fn encode_assignment(partitions: &[TopicPartition], version: i16) -> Bytes {
    let mut topics: Vec<AssignedTopic> = Vec::new();
    for p in partitions {
        let index = i32::try_from(p.partition).unwrap_or(i32::MAX);
        match topics.iter_mut().find(|t| t.topic.0.as_str() == p.topic) {
            Some(t) => t.partitions.push(index),
            None => topics.push(
                AssignedTopic::default()
                    .with_topic(TopicName(StrBytes::from_string(p.topic.clone())))
                    .with_partitions(vec![index]),
            ),
        }
    }
    let assignment = ConsumerProtocolAssignment::default().with_assigned_partitions(topics);
    encode_versioned(&assignment, version.clamp(0, CONSUMER_PROTOCOL_VERSION))
}

/// An assignment's partitions (the other half of `encode_assignment`).
pub fn decode_assignment(bytes: &Bytes) -> Option<Vec<TopicPartition>> {
    let mut buf = bytes.clone();
    if buf.remaining() < 2 {
        return None;
    }
    let version = buf.get_i16().clamp(0, CONSUMER_PROTOCOL_VERSION);
    let assignment = ConsumerProtocolAssignment::decode(&mut buf, version).ok()?;
    Some(
        assignment
            .assigned_partitions
            .iter()
            .flat_map(|t| {
                t.partitions
                    .iter()
                    .filter_map(|&p| u32::try_from(p).ok())
                    .map(|p| TopicPartition::new(t.topic.0.as_str(), p))
            })
            .collect(),
    )
}

fn encode_versioned<M: Encodable>(message: &M, version: i16) -> Bytes {
    let mut buf = BytesMut::new();
    buf.put_i16(version);
    // Encoding a message built here at a version it supports cannot fail; should it, the
    // member sees an empty (unreadable) assignment rather than a dropped connection.
    if message.encode(&mut buf, version).is_err() {
        return Bytes::new();
    }
    buf.freeze()
}

/// The Kafka error code of a refusal.
pub fn error_code(e: &GroupError) -> i16 {
    let kind = match e {
        GroupError::UnknownMemberId => ResponseError::UnknownMemberId,
        GroupError::IllegalGeneration => ResponseError::IllegalGeneration,
        GroupError::RebalanceInProgress => ResponseError::RebalanceInProgress,
        GroupError::MemberIdRequired(_) => ResponseError::MemberIdRequired,
        GroupError::InconsistentGroupProtocol => ResponseError::InconsistentGroupProtocol,
        GroupError::InvalidSessionTimeout => ResponseError::InvalidSessionTimeout,
        GroupError::InvalidGroupId => ResponseError::InvalidGroupId,
        GroupError::GroupIdNotFound => ResponseError::GroupIdNotFound,
        GroupError::NonEmptyGroup => ResponseError::NonEmptyGroup,
        GroupError::FencedInstanceId => ResponseError::FencedInstanceId,
        GroupError::UnknownTopicOrPartition => ResponseError::UnknownTopicOrPartition,
        GroupError::OffsetMetadataTooLarge => ResponseError::OffsetMetadataTooLarge,
        GroupError::Busy(_) => ResponseError::CoordinatorLoadInProgress,
        GroupError::Failed(_) => ResponseError::UnknownServerError,
    };
    kind.code()
}

/// The code of a result (0: none).
pub fn code_of(result: &Result<(), GroupError>) -> i16 {
    result.as_ref().err().map_or(0, error_code)
}

#[cfg(test)]
mod tests {
    use kafka_protocol::messages::consumer_protocol_subscription::TopicPartition as OwnedTopic;

    use super::*;

    #[test]
    fn assignments_round_trip_at_every_version() {
        let partitions = vec![TopicPartition::new("a", 0), TopicPartition::new("a", 2), TopicPartition::new("b", 1)];
        for version in 0..=CONSUMER_PROTOCOL_VERSION {
            let bytes = encode_assignment(&partitions, version);
            assert_eq!(i16::from_be_bytes([bytes[0], bytes[1]]), version);
            assert_eq!(decode_assignment(&bytes), Some(partitions.clone()), "version {version}");
        }
        assert_eq!(decode_assignment(&encode_assignment(&[], 1)), Some(vec![]));
        assert_eq!(decode_assignment(&Bytes::from_static(&[0])), None);
        assert_eq!(decode_assignment(&Bytes::from_static(&[0, 0, 0, 0, 0, 9])), None, "truncated");
    }

    #[test]
    fn subscriptions_decode_with_owned_partitions_from_v1() {
        for version in 0..=CONSUMER_PROTOCOL_VERSION {
            let sub = ConsumerProtocolSubscription::default()
                .with_topics(vec![StrBytes::from_static_str("t")])
                .with_owned_partitions(vec![
                    OwnedTopic::default()
                        .with_topic(TopicName(StrBytes::from_static_str("t")))
                        .with_partitions(vec![3]),
                ]);
            let bytes = encode_versioned(&sub, version);
            let decoded = decode_subscription(&bytes).expect("decoded");
            assert_eq!(decoded.topics, vec!["t".to_string()]);
            assert_eq!(decoded.version, version);
            let owned = (version >= 1).then(|| vec![TopicPartition::new("t", 3)]);
            assert_eq!(decoded.owned, owned);
            assert_eq!(decoded.raw, bytes.to_vec());
        }
        let ours = encode_subscription(&["x".to_string()]);
        assert_eq!(decode_subscription(&ours).map(|s| s.topics), Some(vec!["x".to_string()]));
        // A future version is read as the newest known.
        let mut future = encode_versioned(&ConsumerProtocolSubscription::default(), 3).to_vec();
        future[1] = 9;
        assert_eq!(decode_subscription(&Bytes::from(future)).map(|s| s.version), Some(3));
        assert_eq!(decode_subscription(&Bytes::from_static(&[0xff, 0xff])), None);
        assert_eq!(decode_subscription(&Bytes::new()), None);
    }

    #[test]
    fn refusals_carry_kafkas_codes() {
        assert_eq!(error_code(&GroupError::UnknownMemberId), 25);
        assert_eq!(error_code(&GroupError::IllegalGeneration), 22);
        assert_eq!(error_code(&GroupError::RebalanceInProgress), 27);
        assert_eq!(error_code(&GroupError::MemberIdRequired("m".into())), 79);
        assert_eq!(error_code(&GroupError::NonEmptyGroup), 68);
        assert_eq!(error_code(&GroupError::GroupIdNotFound), 69);
        assert_eq!(code_of(&Ok(())), 0);
    }
}

//! Kafka's errors as runnel's: each librdkafka or broker error code to the
//! exit code REFERENCE.md §8 documents (unknown topic or group 66, an
//! unreachable cluster or too few in-sync replicas 69, a taken name 73, an
//! impossible request 2, a record too large 65).

use rdkafka::error::{KafkaError, RDKafkaErrorCode};

use crate::error::{Error, ErrorKind, Reason};

/// The error code inside a client error, if it has one (rdkafka leaves the
/// admin operations' codes out of `rdkafka_error_code`).
pub fn code_of(err: &KafkaError) -> Option<RDKafkaErrorCode> {
    match err {
        KafkaError::AdminOp(code) => Some(*code),
        other => other.rdkafka_error_code(),
    }
}

/// The exit-code kind of a Kafka error code.
pub fn kind_of(code: RDKafkaErrorCode) -> ErrorKind {
    use RDKafkaErrorCode as C;
    match code {
        // AutoOffsetReset: no committed offset and `--offset-reset none`
        // (Kafka's NoOffsetForPartition).
        C::UnknownTopicOrPartition
        | C::UnknownTopic
        | C::UnknownPartition
        | C::UnknownTopicId
        | C::GroupIdNotFound
        | C::AutoOffsetReset => ErrorKind::NotFound,
        C::TopicAlreadyExists | C::NonEmptyGroup => ErrorKind::Conflict,
        C::InvalidTopic
        | C::InvalidPartitions
        | C::InvalidConfig
        | C::InvalidRequest
        | C::PolicyViolation
        | C::InvalidSessionTimeout
        | C::InvalidArgument => ErrorKind::Usage,
        C::InvalidReplicationFactor => ErrorKind::Usage,
        C::MessageSizeTooLarge | C::InvalidRecord => ErrorKind::BadInput,
        C::BrokerTransportFailure
        | C::AllBrokersDown
        | C::Resolve
        | C::MessageTimedOut
        | C::OperationTimedOut
        | C::RequestTimedOut
        | C::TimedOutQueue
        | C::NotEnoughReplicas
        | C::NotEnoughReplicasAfterAppend
        | C::LeaderNotAvailable
        | C::NotLeaderForPartition
        | C::BrokerNotAvailable
        | C::NetworkException
        | C::CoordinatorNotAvailable
        | C::NotCoordinator
        | C::CoordinatorLoadInProgress => ErrorKind::Unavailable,
        _ => ErrorKind::Other,
    }
}

/// `doing` failed with `err` against the cluster at `bootstrap`.
pub fn from_kafka(doing: &str, bootstrap: &str, err: &KafkaError) -> Error {
    let kind = code_of(err).map_or(ErrorKind::Other, kind_of);
    let what = code_of(err).map_or_else(|| err.to_string(), |code| code.to_string());
    let message = match kind {
        ErrorKind::Unavailable => format!("{doing}: the Kafka cluster at {bootstrap} did not answer in time ({what})"),
        _ => format!("{doing}: {what}"),
    };
    Error::new(kind, message)
}

/// `doing` failed with a bare error code (librdkafka's Admin API called
/// directly): an unknown topic is exit 66, the rest as [`kind_of`] says.
pub fn from_code(doing: &str, bootstrap: &str, code: RDKafkaErrorCode) -> Error {
    from_kafka(doing, bootstrap, &KafkaError::AdminOp(code))
}

/// A topic the cluster does not have (exit 66).
pub fn unknown_topic(name: &str) -> Error {
    Error::not_found(format!("unknown topic '{name}'"))
        .because(Reason::UnknownTopic { name: name.to_string(), suggestion: None })
}

/// A group the cluster does not have (exit 66).
pub fn unknown_group(group: &str) -> Error {
    Error::not_found(format!("unknown group '{group}'"))
        .because(Reason::UnknownGroup { group: group.to_string(), suggestion: None })
}

/// The cluster did not answer within the deadline (exit 69).
pub fn unreachable(bootstrap: &str, waited: std::time::Duration) -> Error {
    Error::unavailable(format!(
        "cannot reach the Kafka cluster at {bootstrap} within {}",
        humantime::format_duration(waited)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kafka_codes_map_to_the_documented_exit_codes() {
        use RDKafkaErrorCode as C;
        let code = |c| kind_of(c).exit_code();
        assert_eq!(code(C::UnknownTopicOrPartition), 66);
        assert_eq!(code(C::GroupIdNotFound), 66);
        assert_eq!(code(C::TopicAlreadyExists), 73);
        assert_eq!(code(C::NonEmptyGroup), 73);
        assert_eq!(code(C::InvalidPartitions), 2);
        assert_eq!(code(C::MessageSizeTooLarge), 65);
        for unavailable in
            [C::AllBrokersDown, C::MessageTimedOut, C::NotEnoughReplicas, C::NotEnoughReplicasAfterAppend]
        {
            assert_eq!(code(unavailable), 69, "{unavailable:?}");
        }
        // The admin operations' codes are found too.
        assert_eq!(code_of(&KafkaError::AdminOp(C::TopicAlreadyExists)), Some(C::TopicAlreadyExists));
    }
}

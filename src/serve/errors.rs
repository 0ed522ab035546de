//! runnel's errors as Kafka's error codes (`ResponseError`), for the
//! per-partition and per-topic error fields of responses.

use kafka_protocol::ResponseError;

use crate::error::{Error, ErrorKind, Reason};

/// The Kafka error code for a domain error.
pub fn code_of(error: &Error) -> i16 {
    let kafka = match error.reason() {
        Some(Reason::UnknownTopic { .. }) => ResponseError::UnknownTopicOrPartition,
        Some(Reason::TopicExists { .. }) => ResponseError::TopicAlreadyExists,
        // Kafka's controller refuses a colliding name as an invalid one.
        Some(Reason::InvalidTopicName { .. }) | Some(Reason::TopicCollides { .. }) => {
            ResponseError::InvalidTopicException
        }
        Some(Reason::UnknownConfig { .. }) => ResponseError::InvalidConfig,
        Some(Reason::TooFewBrokers { .. }) | Some(Reason::TooFewBrokersUp { .. }) => {
            ResponseError::InvalidReplicationFactor
        }
        Some(Reason::Offline { .. }) | Some(Reason::LeaderDown { .. }) => ResponseError::LeaderNotAvailable,
        Some(Reason::LeaderReplicaMissing { .. }) | Some(Reason::LeaderReplicaLost { .. }) => {
            ResponseError::NotLeaderOrFollower
        }
        Some(Reason::NotEnoughReplicas { .. }) => ResponseError::NotEnoughReplicas,
        Some(Reason::MessageTooLarge { .. }) => ResponseError::MessageTooLarge,
        Some(Reason::Corrupt { .. }) | Some(Reason::CorruptTail { .. }) | Some(Reason::CorruptOnlyCopy { .. }) => {
            ResponseError::KafkaStorageError
        }
        Some(Reason::LockTimeout { .. }) => ResponseError::RequestTimedOut,
        _ => match error.kind {
            ErrorKind::NotFound => ResponseError::UnknownTopicOrPartition,
            ErrorKind::Usage | ErrorKind::BadInput => ResponseError::InvalidRequest,
            ErrorKind::Unavailable => ResponseError::LeaderNotAvailable,
            ErrorKind::Io => ResponseError::KafkaStorageError,
            ErrorKind::LockTimeout | ErrorKind::TimedOut => ResponseError::RequestTimedOut,
            ErrorKind::Conflict => ResponseError::InvalidRequest,
            ErrorKind::Other | ErrorKind::OutputClosed | ErrorKind::CommandFailed => ResponseError::UnknownServerError,
        },
    };
    kafka.code()
}

/// Kafka's code for `error`, `0` for none.
pub fn code(error: Option<ResponseError>) -> i16 {
    error.map_or(0, |e| e.code())
}

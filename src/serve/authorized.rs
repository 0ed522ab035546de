//! Authorized operations as a Kafka broker without an authorizer answers
//! them (`AuthHelper.authorizedOperations`): every operation Kafka supports
//! on the resource's type (`AclEntry.supportedOperations`), as a bit field
//! of `AclOperation` codes. A client that did not ask gets `i32::MIN`
//! (Kafka's "not asked").

/// The answer when the client did not ask.
pub const NOT_ASKED: i32 = i32::MIN;

/// The kinds of resource whose operations a client can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    Topic,
    Group,
    Cluster,
}

// Kafka's `AclOperation` codes.
const READ: u8 = 3;
const WRITE: u8 = 4;
const CREATE: u8 = 5;
const DELETE: u8 = 6;
const ALTER: u8 = 7;
const DESCRIBE: u8 = 8;
const CLUSTER_ACTION: u8 = 9;
const DESCRIBE_CONFIGS: u8 = 10;
const ALTER_CONFIGS: u8 = 11;
const IDEMPOTENT_WRITE: u8 = 12;

/// What a client is allowed on `resource`, or [`NOT_ASKED`] unless `asked`.
pub fn operations(resource: Resource, asked: bool) -> i32 {
    if !asked {
        return NOT_ASKED;
    }
    let ops: &[u8] = match resource {
        Resource::Topic => &[READ, WRITE, CREATE, DESCRIBE, DELETE, ALTER, DESCRIBE_CONFIGS, ALTER_CONFIGS],
        Resource::Group => &[READ, DESCRIBE, DELETE, DESCRIBE_CONFIGS, ALTER_CONFIGS],
        Resource::Cluster => {
            &[CREATE, CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS, IDEMPOTENT_WRITE, ALTER, DESCRIBE]
        }
    };
    ops.iter().fold(0, |bits, &op| bits | (1 << op))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bit fields a Kafka 4.1 broker without an authorizer answers.
    #[test]
    fn every_supported_operation_as_kafka_counts_them() {
        assert_eq!(operations(Resource::Topic, true), 3576);
        assert_eq!(operations(Resource::Group, true), 3400);
        assert_eq!(operations(Resource::Cluster, true), 8096);
        assert_eq!(operations(Resource::Topic, false), i32::MIN);
    }
}

//! Kafka's `auto.offset.reset`: where a member starts a partition the group
//! has no committed offset for, or whose committed offset lies outside the
//! log (below the log start after retention or a trim, above the log end
//! after a truncation). A pure decision; the member applies it.

use crate::consumer::Position;
use crate::error::{Error, Result};

/// The policy, with Kafka's names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AutoOffsetReset {
    /// The log start. runnel's default, so a new group reads what is there
    /// (Kafka's default is `latest`).
    #[default]
    Earliest,
    /// The log end: only what is produced from now on.
    Latest,
    /// No reset: an error (Kafka's `NoOffsetForPartition` /
    /// `OffsetOutOfRange`).
    None,
}

/// Where `topic:partition` starts: its committed offset when it lies in
/// `[log_start, log_end]`; else, without a commit, `from` if the user gave
/// one; else the policy.
pub fn start_position(
    topic_partition: (&str, u32),
    committed: Option<u64>,
    from: Option<Position>,
    reset: AutoOffsetReset,
    (log_start, log_end): (u64, u64),
) -> Result<Position> {
    let (topic, partition) = topic_partition;
    let by_policy = |why: String| match reset {
        AutoOffsetReset::Earliest => Ok(Position::Beginning),
        AutoOffsetReset::Latest => Ok(Position::End),
        AutoOffsetReset::None => Err(Error::not_found(format!("{why}, and --offset-reset is none"))),
    };
    match committed {
        Some(offset) if (log_start..=log_end).contains(&offset) => Ok(Position::Offset(offset)),
        Some(offset) => by_policy(format!(
            "the committed offset {offset} of {topic}-{partition} is outside its log ({log_start} to {log_end}; Kafka's OffsetOutOfRange)"
        )),
        None => match from {
            Some(position) => Ok(position),
            None => by_policy(format!("no committed offset for {topic}-{partition} (Kafka's NoOffsetForPartition)")),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start(committed: Option<u64>, from: Option<Position>, reset: AutoOffsetReset) -> Result<Position> {
        start_position(("t", 0), committed, from, reset, (10, 20))
    }

    #[test]
    fn a_commit_inside_the_log_wins_over_everything() {
        for reset in [AutoOffsetReset::Earliest, AutoOffsetReset::Latest, AutoOffsetReset::None] {
            assert_eq!(start(Some(10), Some(Position::End), reset).expect("in"), Position::Offset(10));
            assert_eq!(start(Some(20), None, reset).expect("at the end"), Position::Offset(20));
        }
    }

    #[test]
    fn out_of_range_commits_and_missing_ones_follow_the_policy_as_in_kafka() {
        assert_eq!(start(Some(5), None, AutoOffsetReset::Earliest).expect("below"), Position::Beginning);
        assert_eq!(start(Some(25), None, AutoOffsetReset::Earliest).expect("above"), Position::Beginning);
        assert_eq!(start(Some(5), Some(Position::Offset(15)), AutoOffsetReset::Latest).expect("below"), Position::End);
        assert_eq!(start(None, None, AutoOffsetReset::Latest).expect("none"), Position::End);
        assert_eq!(start(None, Some(Position::Time(7)), AutoOffsetReset::None).expect("from"), Position::Time(7));
        let err = start(None, None, AutoOffsetReset::None).expect_err("no commit");
        assert!(err.message.contains("no committed offset for t-0") && err.exit_code() == 66, "{err}");
        let err = start(Some(25), None, AutoOffsetReset::None).expect_err("out of range");
        assert!(err.message.contains("outside its log (10 to 20"), "{err}");
    }
}

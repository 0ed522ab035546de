//! The lines a group member prints on stderr at each rebalance: which
//! partitions this process was assigned (the member loop tells
//! [`print_note`] through `MemberOptions::on_assigned`).

use crate::consumer::TopicPartition;

/// Prints [`note`] on stderr (the member's `on_assigned`, unless `--quiet`).
pub fn print_note(group: &str, first: bool, generation: u64, assignment: &[TopicPartition]) {
    super::global::stderr_line(note(group, first, generation, assignment));
}

/// `joined group 'g' (generation 1): assigned rides-0, rides-1`, then
/// `group 'g' rebalanced (generation 2): assigned rides-1`.
pub fn note(group: &str, first: bool, generation: u64, assignment: &[TopicPartition]) -> String {
    let what = if first { format!("joined group '{group}'") } else { format!("group '{group}' rebalanced") };
    let partitions = if assignment.is_empty() {
        "no partitions (the group has more members than partitions)".to_string()
    } else {
        assignment.iter().map(|p| format!("{}-{}", p.topic, p.partition)).collect::<Vec<_>>().join(", ")
    };
    format!("runnel: {what} (generation {generation}): assigned {partitions}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_note_names_the_partitions_or_says_none() {
        let tp = |t: &str, p| TopicPartition::new(t, p);
        assert_eq!(
            note("billing", true, 1, &[tp("rides", 0), tp("rides", 1)]),
            "runnel: joined group 'billing' (generation 1): assigned rides-0, rides-1"
        );
        assert_eq!(
            note("billing", false, 3, &[]),
            "runnel: group 'billing' rebalanced (generation 3): assigned no partitions (the group has more members than partitions)"
        );
    }
}

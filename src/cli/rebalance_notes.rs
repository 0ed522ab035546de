//! The lines a group member prints on stderr at each rebalance: which
//! partitions this process was assigned (the member loop tells
//! [`print_note`] through `MemberOptions::on_assigned`). A note stays one
//! readable line however many partitions a member gets: runs of three or
//! more consecutive partitions of a topic are written as a range, and past
//! ten items the rest is counted.

use crate::consumer::TopicPartition;

/// Items (a partition or a range of them) a note names before it counts
/// the rest.
const MAX_SHOWN: usize = 10;

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
        partition_list(assignment)
    };
    format!("runnel: {what} (generation {generation}): assigned {partitions}")
}

/// One run of consecutive partitions of a topic.
struct Run<'a> {
    topic: &'a str,
    first: u32,
    last: u32,
}

impl Run<'_> {
    fn len(&self) -> usize {
        (self.last - self.first) as usize + 1
    }
}

/// `t-0, t-1`; with a run of three or more `t-0 to t-9, u-3 (11
/// partitions)`; past [`MAX_SHOWN`] items the first ten and `and 990 more
/// (1000 partitions)`.
fn partition_list(assignment: &[TopicPartition]) -> String {
    let mut sorted: Vec<(&str, u32)> = assignment.iter().map(|p| (p.topic.as_str(), p.partition)).collect();
    sorted.sort_unstable();
    sorted.dedup();
    let mut runs: Vec<Run<'_>> = Vec::new();
    for (topic, partition) in sorted.iter().copied() {
        match runs.last_mut() {
            Some(run) if run.topic == topic && run.last.checked_add(1) == Some(partition) => run.last = partition,
            _ => runs.push(Run { topic, first: partition, last: partition }),
        }
    }
    // A run of two reads best as its two partitions.
    let mut items: Vec<(String, usize)> = Vec::new();
    for run in &runs {
        if run.len() <= 2 {
            items.extend((run.first..=run.last).map(|p| (format!("{}-{p}", run.topic), 1)));
        } else {
            items.push((format!("{t}-{} to {t}-{}", run.first, run.last, t = run.topic), run.len()));
        }
    }
    let total = sorted.len();
    let shown = &items[..items.len().min(MAX_SHOWN)];
    let text = shown.iter().map(|(text, _)| text.as_str()).collect::<Vec<_>>().join(", ");
    let more = total - shown.iter().map(|(_, n)| n).sum::<usize>();
    if more > 0 {
        format!("{text} and {more} more ({total} partitions)")
    } else if items.len() < total {
        format!("{text} ({total} partitions)")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tp(t: &str, p: u32) -> TopicPartition {
        TopicPartition::new(t, p)
    }

    #[test]
    fn the_note_names_the_partitions_or_says_none() {
        assert_eq!(
            note("billing", true, 1, &[tp("rides", 0), tp("rides", 1)]),
            "runnel: joined group 'billing' (generation 1): assigned rides-0, rides-1"
        );
        assert_eq!(
            note("billing", false, 3, &[]),
            "runnel: group 'billing' rebalanced (generation 3): assigned no partitions (the group has more members than partitions)"
        );
    }

    #[test]
    fn consecutive_partitions_are_one_range_and_the_count_is_given() {
        let all: Vec<TopicPartition> = (0..20_000).map(|p| tp("big", p)).collect();
        assert_eq!(partition_list(&all), "big-0 to big-19999 (20000 partitions)");
        let mixed = [tp("t", 0), tp("t", 1), tp("t", 2), tp("u", 5), tp("u", 7), tp("u", 8)];
        assert_eq!(partition_list(&mixed), "t-0 to t-2, u-5, u-7, u-8 (6 partitions)");
        // Unsorted and repeated input is the same set.
        let shuffled = [tp("u", 8), tp("t", 2), tp("u", 5), tp("t", 0), tp("u", 7), tp("t", 1), tp("t", 1)];
        assert_eq!(partition_list(&shuffled), "t-0 to t-2, u-5, u-7, u-8 (6 partitions)");
    }

    #[test]
    fn past_ten_items_the_rest_is_counted() {
        // Round robin over two members: every other partition, no ranges.
        let every_other: Vec<TopicPartition> = (0..1000).step_by(2).map(|p| tp("t", p)).collect();
        let text = partition_list(&every_other);
        assert_eq!(text, "t-0, t-2, t-4, t-6, t-8, t-10, t-12, t-14, t-16, t-18 and 490 more (500 partitions)");
        // Ten single partitions are all named, without a count.
        let ten: Vec<TopicPartition> = (0..20).step_by(2).map(|p| tp("t", p)).collect();
        assert_eq!(partition_list(&ten), "t-0, t-2, t-4, t-6, t-8, t-10, t-12, t-14, t-16, t-18");
        // Ranges count what they hold.
        let ranges: Vec<TopicPartition> = (0..12).flat_map(|r| (0..3).map(move |i| tp("t", r * 10 + i))).collect();
        assert_eq!(
            partition_list(&ranges),
            "t-0 to t-2, t-10 to t-12, t-20 to t-22, t-30 to t-32, t-40 to t-42, t-50 to t-52, t-60 to t-62, \
             t-70 to t-72, t-80 to t-82, t-90 to t-92 and 6 more (36 partitions)"
        );
    }
}

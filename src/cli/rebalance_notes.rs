//! The lines a group member prints on stderr at each rebalance: which
//! partitions this process was assigned, read from the group's state (the
//! member loop is not touched; this watches from beside it).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::consumer::TopicPartition;
use crate::consumer::group::paths::GroupPaths;
use crate::consumer::group::state::GroupState;

/// How often the group's state is looked at.
const POLL: Duration = Duration::from_millis(100);

/// Watches group `group` until dropped, printing this process's assignment
/// whenever the generation that assigns it changes.
pub struct RebalanceNotes {
    done: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl RebalanceNotes {
    /// Starts watching (a thread that cannot start means no notes).
    pub fn start(paths: GroupPaths, group: String) -> RebalanceNotes {
        let done = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&done);
        let thread =
            std::thread::Builder::new().name("rebalance-notes".into()).spawn(move || watch(&paths, &group, &flag)).ok();
        RebalanceNotes { done, thread }
    }
}

impl Drop for RebalanceNotes {
    fn drop(&mut self) {
        self.done.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn watch(paths: &GroupPaths, group: &str, done: &AtomicBool) {
    let pid = std::process::id();
    let mut shown: Option<(u64, Vec<TopicPartition>)> = None;
    while !done.load(Ordering::Relaxed) {
        // A state file being replaced or unreadable is looked at again next time.
        if let Ok(Some(state)) = GroupState::load(paths)
            && let Some(me) = state.members.iter().find(|m| m.pid == pid && m.synced_generation == state.generation)
        {
            let now = (state.generation, me.assignment.clone());
            if shown.as_ref() != Some(&now) {
                super::global::stderr_line(note(group, shown.is_none(), now.0, &now.1));
                shown = Some(now);
            }
        }
        std::thread::sleep(POLL);
    }
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

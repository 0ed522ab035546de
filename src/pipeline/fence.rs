//! Fencing a member that lost its partition while its command ran (Kafka
//! fences a zombie transactional producer by its epoch; here the epoch is
//! the partition's ownership claim). A member evicted as hung — stopped
//! past `--session-timeout` while its command ran — can wake up after
//! another member took the partition and ran the same batch; what it then
//! appends (`--to` outputs, dead letters) would be a second copy.
//!
//! - A partition's work starts with a [`Token`]: who holds the partition's
//!   ownership claim (`consumer::group::owners`) and how many times the
//!   claim was taken so far. The member reads it when it takes the
//!   partition up in the sink; the claim names a member id (new at every
//!   join) and its take count (one more at every take), so a token matches
//!   the claim again only while that same taking of it lasts.
//! - The exec lock `groups/G/exec/T-P.lock` (an `flock`, which the kernel
//!   drops when its holder dies) is held across "check the token still
//!   matches the claim → write the intent → append" and across the next
//!   owner's recovery of the intent. Breaking a hung member's claim (under
//!   the group lock, before anyone else can take it) changes the record, so
//!   a fenced member that checks afterwards sees it; one that checked before
//!   finishes its append under the lock first, and the next owner's recovery
//!   sees its intent. Either way each output is appended once.
//!
//! A fenced member drops the batch's outputs: the batch belongs to the
//! partition's new owner. Its commit is refused too (`offsets`: it is no
//! longer in the group's generation), and it rejoins as a new member.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use crate::consumer::TopicPartition;
use crate::consumer::group::owners::{self, Owner};
use crate::consumer::group::paths::GroupPaths;
use crate::error::{ErrorKind, Result};
use crate::sys::lock::{LockFile, LockGuard};

/// How long a wait for the exec lock lasts before a warning names its
/// holder (then the wait goes on: only the holder may finish its append).
pub const LOCK_WARN_AFTER: Duration = Duration::from_secs(10);

/// One taking of a partition's ownership claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub member: String,
    pub takes: u64,
}

impl std::fmt::Display for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "member {} (take {})", self.member, self.takes)
    }
}

/// The fence of one group's pipeline (a data dir).
#[derive(Debug)]
pub struct Fence {
    paths: GroupPaths,
    /// The group's exec folder, where the locks live.
    dir: PathBuf,
    locks: Mutex<HashMap<(String, u32), LockFile>>,
    warn: fn(&str),
}

impl Fence {
    /// `dir`: the group's exec folder (`groups/G/exec`); `warn` prints a
    /// warning line.
    pub fn new(paths: GroupPaths, dir: PathBuf, warn: fn(&str)) -> Fence {
        Fence { paths, dir, locks: Mutex::new(HashMap::new()), warn }
    }

    /// Who holds `topic`'s `partition` now (`None`: nobody).
    pub fn token(&self, topic: &str, partition: u32) -> Result<Option<Token>> {
        let p = TopicPartition { topic: topic.to_string(), partition };
        Ok(match owners::owner(&self.paths, &p)? {
            Owner::Held { member: Some(member), takes } => Some(Token { member, takes }),
            Owner::Held { member: None, .. } | Owner::Free => None,
        })
    }

    /// The token of `member_id`'s taking of the partition, read right after
    /// it took the claim (`None` if the claim names someone else by now:
    /// nothing will pass the fence).
    pub fn taken_by(&self, topic: &str, partition: u32, member_id: &str) -> Result<Option<Token>> {
        Ok(self.token(topic, partition)?.filter(|t| t.member == member_id))
    }

    /// Whether `token` is still the partition's claim (a `None` token never is).
    pub fn holds(&self, token: Option<&Token>, topic: &str, partition: u32) -> Result<bool> {
        Ok(token.is_some() && self.token(topic, partition)?.as_ref() == token)
    }

    /// Takes the partition's exec lock, waiting as long as its holder keeps
    /// it (a warning names the holder after [`LOCK_WARN_AFTER`]).
    pub fn lock(&self, topic: &str, partition: u32) -> Result<LockGuard> {
        let mut locks = self.locks.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let key = (topic.to_string(), partition);
        let file = match locks.entry(key) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(LockFile::open(&self.dir.join(format!("{topic}-{partition}.lock")))?)
            }
        };
        let mut warned = false;
        loop {
            match file.lock(LOCK_WARN_AFTER) {
                Ok(guard) => return Ok(guard),
                Err(e) if e.kind == ErrorKind::LockTimeout && !warned => {
                    let holder = file.holder().unwrap_or_else(|| "another process".to_string());
                    (self.warn)(&format!(
                        "waiting for {topic}-{partition}'s exec lock ({}), held by {holder}: a member that lost \
                         the partition is finishing its append",
                        file.path().display()
                    ));
                    warned = true;
                }
                Err(e) if e.kind == ErrorKind::LockTimeout => {}
                Err(e) => return Err(e),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_names_the_claim_and_the_lock_is_exclusive_across_descriptors() {
        let dir = tempfile::tempdir().expect("tempdir");
        let paths = GroupPaths::in_groups_dir(dir.path(), "g").expect("paths");
        let fence = Fence::new(paths, dir.path().join("g/exec"), |_| {});
        assert_eq!(fence.token("t", 0).expect("token"), None);
        assert!(!fence.holds(None, "t", 0).expect("holds"));
        let guard = fence.lock("t", 0).expect("lock");
        let other = LockFile::open(&dir.path().join("g/exec/t-0.lock")).expect("open");
        assert!(other.try_lock().expect("try").is_none(), "held");
        drop(guard);
        assert!(other.try_lock().expect("try").is_some(), "released");
    }
}

//! The leader-epoch cache of one replica folder, derived from its frames.
//!
//! Every frame carries the epoch of the leader that wrote it
//! (`FrameHeader::leader_epoch`), and frames are copied between replicas
//! verbatim, so a replica's [`EpochCache`] can always be rebuilt by walking
//! its frame headers: each frame assigns `(epoch, base_offset)`. runnel keeps
//! no `leader-epoch-checkpoint` file: like the offset index, the cache is a
//! derived value, never a reason for a replica to be unreadable, and it is
//! only needed when a replica recovers (not on the produce path). The walk
//! reads headers only and is read-only, so it may run on a leader's folder
//! while a writer appends to it: it stops at the first frame that is not
//! whole yet.
//!
//! A Kafka leader records its own epoch at its log end the moment it becomes
//! leader, before it writes anything in that epoch; [`leader_cache`] adds that
//! entry, so a follower holding frames of an epoch the leader never wrote in
//! still finds the end of the last epoch both share (and is not cut to 0).

use std::path::Path;

use crate::cluster::rules::epoch_cache::{EpochCache, EpochEntry};
use crate::error::Result;
use crate::store::frame_epochs;

/// A replica's epoch cache with the offsets it spans.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReplicaEpochs {
    pub cache: EpochCache,
    /// The first offset in the log (the first segment's base).
    pub start_offset: u64,
    /// The offset after the last whole frame (the log end offset).
    pub end_offset: u64,
}

/// Builds the epoch cache of the replica in `dir` from its frame headers
/// (the store walks them). A missing folder is an empty log at offset 0.
pub fn replica_epochs(dir: &Path) -> Result<ReplicaEpochs> {
    let epochs = frame_epochs(dir)?;
    let entries = epochs.starts.iter().map(|s| EpochEntry { epoch: s.epoch, start_offset: s.start_offset }).collect();
    Ok(ReplicaEpochs {
        cache: EpochCache::from_entries(entries),
        start_offset: epochs.start_offset,
        end_offset: epochs.end_offset,
    })
}

/// The epochs of the partition's current leader, with its current
/// `leader_epoch` recorded at its log end (see the module docs).
pub fn leader_cache(dir: &Path, leader_epoch: u32) -> Result<ReplicaEpochs> {
    let mut epochs = replica_epochs(dir)?;
    let newer = epochs.cache.latest_epoch().is_none_or(|latest| leader_epoch > latest);
    if newer {
        epochs.cache.assign(leader_epoch, epochs.end_offset);
    }
    Ok(epochs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Log, LogConfig};

    use crate::store::append_epoch_frame as append;

    #[test]
    fn cache_follows_frame_epochs_across_segments() {
        let dir = tempfile::tempdir().expect("tempdir");
        let config = LogConfig { segment_bytes: 1024, index_interval_bytes: 100, segment_ms: None };
        let (mut log, _) = Log::open(dir.path(), config, 0).expect("open");
        for _ in 0..20 {
            append(&mut log, 0, 3);
        }
        for _ in 0..20 {
            append(&mut log, 2, 1);
        }
        append(&mut log, 5, 2);
        let e = replica_epochs(dir.path()).expect("epochs");
        assert_eq!(e.end_offset, 82);
        assert_eq!(e.start_offset, 0);
        assert_eq!(
            e.cache.entries(),
            [
                EpochEntry { epoch: 0, start_offset: 0 },
                EpochEntry { epoch: 2, start_offset: 60 },
                EpochEntry { epoch: 5, start_offset: 80 }
            ]
        );
        let l = leader_cache(dir.path(), 7).expect("leader");
        assert_eq!(l.cache.latest_entry(), Some(EpochEntry { epoch: 7, start_offset: 82 }));
        let same = leader_cache(dir.path(), 5).expect("leader");
        assert_eq!(same.cache, e.cache);
    }

    #[test]
    fn a_missing_folder_is_an_empty_log() {
        let dir = tempfile::tempdir().expect("tempdir");
        let e = replica_epochs(&dir.path().join("gone")).expect("epochs");
        assert_eq!(e, ReplicaEpochs::default());
    }
}

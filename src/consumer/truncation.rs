//! Detecting a log truncated under a consumer's position (Kafka's KIP-320).
//!
//! A position carries the leader epoch of the record before it. After an
//! unclean election the new leader may lack records an old one served, and
//! then write other records at those offsets: a consumer that went on at its
//! old offset would never see them. So, when a position comes from a commit
//! and whenever the leader changes, it is checked against the leader's epoch
//! history, as Kafka's consumer does with `OffsetsForLeaderEpoch`: the end
//! offset of the largest epoch at or below the position's epoch. Below the
//! position, the log diverged there: the consumer resumes at that offset
//! with a warning (Kafka's `seekValidated` "to the first offset known to
//! diverge"), or, with `auto.offset.reset=none`, fails (Kafka's
//! `LogTruncationException`, runnel's exit 66 as for every offset out of
//! range). An epoch the leader knows nothing about (above its latest) is
//! undefined: the reset policy decides, as in Kafka. A position without an
//! epoch (an admin reset, an old commit) is not checked.

use crate::cluster::replication::partition_writer::lost_leader_replica;
use crate::cluster::replication::replica_epochs::leader_cache;
use crate::cluster::{Cluster, PartitionMeta};
use crate::consumer::group::AutoOffsetReset;
use crate::error::{Error, Result};
use crate::store;

/// What the check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Checked {
    /// The leader holds the position's history: go on.
    Valid,
    /// Resume at `offset` (its previous record of `epoch`); `warning` is the
    /// one line to print.
    Resume { offset: u64, epoch: Option<u32>, warning: String },
}

/// Checks `offset`, whose previous record has leader epoch `epoch`, against
/// the current leader of `topic:partition` (`state`).
pub fn check_position(
    cluster: &Cluster,
    state: &PartitionMeta,
    (topic, partition): (&str, u32),
    (offset, epoch): (u64, u32),
    reset: AutoOffsetReset,
) -> Result<Checked> {
    let Some(leader) = state.leader else {
        return Err(super::fetch::offline(topic, partition));
    };
    let dir = cluster.layout().replica_dir(leader, topic, partition);
    if !store::holds_log(&dir)? {
        // A lost replica has no history to compare with: unavailable, not truncated.
        return Err(lost_leader_replica(topic, partition, leader, &dir));
    }
    let end = if epoch == state.leader_epoch {
        // The leader's own epoch ends at its log end: no need to walk its frames.
        Some((epoch, store::log_end(&dir)?.end_offset))
    } else {
        let epochs = leader_cache(&dir, state.leader_epoch)?;
        epochs.cache.end_offset_for(epoch, epochs.end_offset)
    };
    let name = format!("{topic}-{partition}");
    match end {
        Some((_, end)) if end >= offset => Ok(Checked::Valid),
        Some((found, end)) => {
            let what = format!(
                "the log of {name} was truncated below offset {offset} (epoch {epoch}; an unclean leader election)"
            );
            match reset {
                AutoOffsetReset::None => Err(Error::not_found(format!(
                    "{what}: it diverges from offset {end}, and --offset-reset is none (Kafka's LogTruncationException)"
                ))),
                _ => Ok(Checked::Resume {
                    offset: end,
                    epoch: Some(found),
                    warning: format!("warning: {what}; resuming at offset {end}, the first offset known to diverge"),
                }),
            }
        }
        None => {
            let what = format!(
                "the leader of {name} has no history of epoch {epoch} (of the position {offset}; the topic was recreated?)"
            );
            let log = store::log_end(&dir)?;
            let (to, named) = match reset {
                AutoOffsetReset::None => {
                    return Err(Error::not_found(format!(
                        "{what}, and --offset-reset is none (Kafka's LogTruncationException)"
                    )));
                }
                AutoOffsetReset::Earliest => (log.start_offset, "earliest"),
                AutoOffsetReset::Latest => (log.end_offset, "latest"),
            };
            Ok(Checked::Resume {
                offset: to,
                epoch: None,
                warning: format!("warning: {what}; resuming at offset {to} (--offset-reset {named})"),
            })
        }
    }
}

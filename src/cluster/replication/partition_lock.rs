//! Taking a partition's writer lock. Every holder that may change the
//! partition's logs counts its hold in the lock file's shared record
//! (`group_commit::W_HOLDS`), so that a writer
//! finding the count where its own last hold left it knows that no other
//! process held the lock in between — nobody appended, truncated, rolled,
//! repaired, cleaned or removed the partition's logs — and that its open
//! segments are as it left them (`Log::refresh_untouched`) without reading
//! them again. Writers count through their mapping of the record
//! (`DurableMarks::count_hold`); every other holder that may change them
//! (leader changes, recovery, repairs, topic deletion) through [`hold`].
//! `log verify` without `--repair` reads only and is not counted: it
//! changes nothing in the data dir, the lock file included.

use std::os::unix::fs::FileExt;
use std::time::Duration;

use super::group_commit::W_HOLDS;
use crate::error::{IoContext, Result};
use crate::sys::fs::read_at_most;
use crate::sys::lock::{LockFile, LockGuard};

/// Where the count of holds lies in the lock file.
const HOLDS_AT: u64 = (W_HOLDS * 8) as u64;

/// Takes the partition lock `lock`, waiting at most `timeout`, and counts
/// the hold. A count that cannot be written is an error (the lock is let
/// go): a writer would otherwise take the partition as untouched.
pub fn hold(lock: &LockFile, timeout: Duration) -> Result<LockGuard> {
    let guard = lock.lock(timeout)?;
    count_hold(lock)?;
    Ok(guard)
}

/// Adds one to the count of holds, with the lock held: no other holder
/// counts at the same time, so a read and a write suffice.
fn count_hold(lock: &LockFile) -> Result<()> {
    let file = lock.file();
    let mut word = [0u8; 8];
    let got = read_at_most(file, &mut word, HOLDS_AT).at("read", lock.path())?;
    // A file shorter than the count (made before counting, or before the
    // first writer mapped it) has counted nothing: the missing bytes are 0.
    word[got..].fill(0);
    let count = u64::from_ne_bytes(word).wrapping_add(1);
    file.write_all_at(&count.to_ne_bytes(), HOLDS_AT).at("write", lock.path())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::replication::group_commit::DurableMarks;
    use crate::cluster::replication::partition_writer::{Acks, PartitionWriter};

    #[test]
    fn a_hold_by_an_admin_command_moves_the_count_a_writer_reads() {
        let dir = tempfile::tempdir().expect("tempdir");
        let lock = LockFile::open(&dir.path().join("t-0.lock")).expect("open");
        // Counted before any writer mapped the record (the file is empty).
        drop(hold(&lock, Duration::from_secs(1)).expect("hold"));
        let marks = DurableMarks::map(lock.file()).expect("map");
        assert_eq!(marks.count_hold(), Some(1), "the writer sees the admin command's hold");
        drop(hold(&lock, Duration::from_secs(1)).expect("hold"));
        drop(hold(&lock, Duration::from_secs(1)).expect("hold"));
        assert_eq!(marks.count_hold(), Some(4), "two more holds, then the writer's own");
    }

    fn frame(values: &[usize]) -> crate::store::FrameBuilder {
        let mut f = crate::store::FrameBuilder::new();
        for &len in values {
            let value = vec![b'v'; len];
            let parts = crate::store::RecordParts {
                timestamp: 1,
                key: None,
                value: Some(&value),
                headers: &[],
                header_count: 0,
            };
            f.push(&parts);
        }
        f
    }

    /// As another holder (a leader change, a repair) may: under the
    /// counted lock, cuts the last frame of partition 0 (one record of 200
    /// bytes, from `offset`) and writes two records in its place, the log
    /// exactly as long as before.
    fn rewrite_last_frame_as_two_records(cluster: &crate::cluster::Cluster, offset: u64) {
        use crate::store::{Log, LogConfig, peek_header};
        let one_record_len = frame(&[200]).seal(offset, 0).len();
        let two = (1..200)
            .flat_map(|a| (1..200).map(move |b| [a, b]))
            .find(|v| frame(v).seal(offset, 0).len() == one_record_len)
            .expect("two records as long as one");
        let lock = LockFile::open(&cluster.layout().partition_lock("t", 0)).expect("lock");
        let _guard = hold(&lock, Duration::from_secs(1)).expect("hold");
        let (mut log, _) = Log::open(&cluster.layout().replica_dir(0, "t", 0), LogConfig::default(), 0).expect("open");
        log.truncate_to(offset).expect("truncate");
        let mut replacement = frame(&two);
        let bytes = replacement.seal(offset, 0).to_vec();
        log.append(&bytes, &peek_header(&bytes).expect("header")).expect("append");
    }

    fn one_partition() -> (tempfile::TempDir, crate::cluster::Cluster, crate::cluster::TopicMeta) {
        use crate::cluster::{Cluster, TopicSpec};
        let dir = tempfile::tempdir().expect("tempdir");
        let cluster = Cluster::open(dir.path(), Duration::from_secs(5)).expect("cluster");
        let spec = TopicSpec { name: "t".into(), partitions: 1, replication_factor: 1, config: Vec::new() };
        let topic = cluster.create_topic(&spec).expect("topic");
        assert_eq!(topic.partitions[0].leader, Some(0));
        (dir, cluster, topic)
    }

    // In both tests the writer's view of the log end is stale by one offset
    // after `rewrite_last_frame_as_two_records`, and nothing but the count of
    // holds shows it: the file is as long as before. Both fail if `hold`
    // does not count (checked by leaving the count out).

    #[test]
    fn a_writer_looks_again_after_another_holder_rewrote_the_log_end_at_the_same_length() {
        let (_dir, cluster, topic) = one_partition();
        // Two appends: the second hold finds the partition untouched.
        let mut writer = PartitionWriter::new(&cluster, &topic, 0, Acks::Leader).expect("writer");
        writer.append(&mut frame(&[200])).expect("append");
        assert_eq!(writer.append(&mut frame(&[200])).expect("append").base_offset, 1);
        rewrite_last_frame_as_two_records(&cluster, 1);
        let next = writer.append(&mut frame(&[200])).expect("append");
        assert_eq!(next.base_offset, 3, "appended after the two records, not over the second");
    }

    #[test]
    fn a_writer_opened_ahead_looks_again_after_another_holder_rewrote_the_log_end() {
        let (_dir, cluster, topic) = one_partition();
        let mut first = PartitionWriter::new(&cluster, &topic, 0, Acks::Leader).expect("writer");
        first.append(&mut frame(&[200])).expect("append");
        // A producer's writer, opened while its first frame still fills.
        let mut opened = PartitionWriter::new(&cluster, &topic, 0, Acks::Leader).expect("writer");
        opened.open().expect("open");
        rewrite_last_frame_as_two_records(&cluster, 0);
        let next = opened.append(&mut frame(&[200])).expect("append");
        assert_eq!(next.base_offset, 2, "appended after the two records, not over the second");
    }
}

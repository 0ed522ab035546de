//! Where a mirror resumes each partition: its group's committed offset —
//! or, when the target already holds more than that and the offsets line
//! up, the target's end. A mirror killed after syncing but before
//! committing then copies nothing twice.
//!
//! The offsets line up when the source partition was copied from offset 0
//! with no gaps: the record at target offset `E - 1` (its last) is then the
//! source's record at `E - 1`. That is checked record for record (timestamp,
//! key, value, headers); when it does not hold (a compacted or trimmed
//! source, duplicates of an earlier at-least-once resume, another writer
//! of the target) the committed offset is used, and what was copied after
//! it is copied again.

use std::collections::BTreeMap;
use std::io;

use crate::backend::Backend;
use crate::consumer::{Position, RecordSink, Until};
use crate::error::Result;
use crate::store::Record;

/// A record as compared across the two ends.
#[derive(Debug, PartialEq, Eq)]
struct Owned {
    timestamp: i64,
    key: Option<Vec<u8>>,
    value: Option<Vec<u8>>,
    headers: Vec<(Vec<u8>, Option<Vec<u8>>)>,
}

/// Keeps the records it is given, by partition.
#[derive(Default)]
struct Collect(BTreeMap<u32, (u64, Owned)>);

impl RecordSink for Collect {
    fn write(&mut self, _topic: &str, partition: u32, record: &Record<'_>) -> io::Result<()> {
        let owned = Owned {
            timestamp: record.timestamp,
            key: record.key.map(<[u8]>::to_vec),
            value: record.value.map(<[u8]>::to_vec),
            headers: record.headers.iter().map(|(k, v)| (k.to_vec(), v.map(<[u8]>::to_vec))).collect(),
        };
        self.0.insert(partition, (record.offset, owned));
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The record at `offset` of each `(partition, offset)` in `at`, where
/// there is one.
fn records_at(backend: &dyn Backend, topic: &str, at: &[(u32, u64)]) -> Result<BTreeMap<u32, Owned>> {
    let mut fetcher = backend.fetcher()?;
    for &(p, offset) in at {
        fetcher.assign(topic, Some(p), Position::Offset(offset), Until::Offset(offset + 1))?;
    }
    let mut found = Collect::default();
    fetcher.run(&mut found, None)?;
    let wanted: BTreeMap<u32, u64> = at.iter().copied().collect();
    Ok(found.0.into_iter().filter(|(p, (o, _))| wanted.get(p) == Some(o)).map(|(p, (_, r))| (p, r)).collect())
}

/// The next offset to copy of each partition of `topic` that has one:
/// `committed`, moved up to the target's end where the offsets line up.
pub fn resume_points(
    source: &dyn Backend,
    target: &dyn Backend,
    topic: &str,
    committed: BTreeMap<u32, u64>,
) -> Result<BTreeMap<u32, u64>> {
    let desc = target.describe_topic(topic)?;
    let ahead: Vec<(u32, u64)> = desc
        .partitions
        .iter()
        .filter_map(|p| {
            let end = p.log.as_ref()?.end_offset;
            let from = committed.get(&p.meta.partition).copied().unwrap_or(0);
            (end > from).then(|| (p.meta.partition, end - 1))
        })
        .collect();
    let mut next = committed;
    if ahead.is_empty() {
        return Ok(next);
    }
    let on_target = records_at(target, topic, &ahead)?;
    let on_source = records_at(source, topic, &ahead)?;
    for (p, last) in ahead {
        if let (Some(t), Some(s)) = (on_target.get(&p), on_source.get(&p))
            && t == s
        {
            next.insert(p, last + 1);
        }
    }
    Ok(next)
}

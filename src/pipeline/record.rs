//! A delivered record, owned: kept while its batch may be tried again, for
//! the command's input and for a dead letter.

use crate::store::Record;

/// One record of a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The sink's count of records accepted when this one was (its "end"
    /// in the sink's byte positions, see `RecordSink::accepted_bytes`).
    pub seq: u64,
    pub offset: u64,
    pub timestamp: i64,
    pub key: Option<Vec<u8>>,
    pub value: Option<Vec<u8>>,
    pub headers: Vec<(Vec<u8>, Option<Vec<u8>>)>,
    /// The record in the chosen `--format`, as the command reads it.
    pub formatted: Vec<u8>,
    /// Times given to the command so far.
    pub deliveries: u32,
}

impl Item {
    pub fn new(seq: u64, record: &Record<'_>, formatted: Vec<u8>) -> Item {
        Item {
            seq,
            offset: record.offset,
            timestamp: record.timestamp,
            key: record.key.map(<[u8]>::to_vec),
            value: record.value.map(<[u8]>::to_vec),
            headers: record.headers.iter().map(|(k, v)| (k.to_vec(), v.map(<[u8]>::to_vec))).collect(),
            formatted,
            deliveries: 0,
        }
    }

    /// Roughly the memory it holds.
    pub fn size(&self) -> usize {
        let headers: usize = self.headers.iter().map(|(k, v)| k.len() + v.as_ref().map_or(0, Vec::len)).sum();
        self.formatted.len()
            + self.key.as_ref().map_or(0, Vec::len)
            + self.value.as_ref().map_or(0, Vec::len)
            + headers
            + 64
    }
}

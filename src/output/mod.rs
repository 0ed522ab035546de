//! The output layer: the only place that turns records and admin reports
//! into text. Record formats stream into any `io::Write`; admin reports
//! render to a `String` (a table or one JSON document) that the CLI prints,
//! except `topic describe`, whose rows (100,000 partitions, say) are written
//! to an `io::Write` as they are rendered.

pub mod brokers;
pub mod envelope;
mod envelope_head;
pub mod groups;
pub mod lifecycle;
pub mod log;
pub mod metadata;
pub mod records;
pub mod share;
pub mod streamed_table;
pub mod tables;
pub mod template;
pub mod topics;
pub mod words;

pub use brokers::{render_broker_list, render_changes, render_recover_report};
pub use envelope::write_envelope;
pub use records::{RecordFormat, RecordWriter};
pub use tables::{AdminFormat, dash, human_bytes, join_ids, table, to_json};
pub use template::Template;
pub use topics::{render_topic_describe, render_topic_list};

/// Builds real records (through a sealed frame) for the tests.
#[cfg(test)]
pub(crate) mod test_support {
    use crate::store::{Frame, FrameBuilder, FrameCheck, Record, RecordParts, check_frame, encode_headers};

    pub type OwnedHeaders = Vec<(Vec<u8>, Option<Vec<u8>>)>;

    /// A one-record frame at `offset`.
    pub fn frame(
        offset: u64,
        timestamp: i64,
        key: Option<&[u8]>,
        value: Option<&[u8]>,
        headers: &OwnedHeaders,
    ) -> Vec<u8> {
        let mut hbuf = Vec::new();
        let header_count = encode_headers(headers.iter().map(|(k, v)| (k.as_slice(), v.as_deref())), &mut hbuf);
        let mut builder = FrameBuilder::new();
        builder.push(&RecordParts { timestamp, key, value, headers: &hbuf, header_count });
        builder.seal(offset, 0).to_vec()
    }

    /// The one record of a frame built by [`frame`].
    pub fn record(frame: &[u8]) -> Record<'_> {
        let FrameCheck::Whole(header) = check_frame(frame) else { panic!("test frame should verify") };
        Frame::new(header, frame).records().next().expect("one record").expect("record decodes")
    }
}

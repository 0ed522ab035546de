//! How `consume` prints records: `value`, `json` (the envelope that
//! `produce --format json` reads back) or a kcat-style template, written by a
//! [`RecordWriter`] in large chunks.

use std::io::{self, Write};

use super::envelope::{EnvelopeWriter, write_envelope};
use super::template::Template;
use crate::consumer::RecordSink;
use crate::error::{Error, Result};
use crate::store::Record;
use crate::sys::out_queue::OutQueue;

/// The `--format` of `consume`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordFormat {
    /// The value bytes and a newline (a null value is an empty line).
    Value,
    /// One compact JSON envelope per line.
    Json,
    /// A kcat-style template.
    Template(Template),
}

impl RecordFormat {
    /// `value`, `json`, or else a template (see [`Template::parse`]). A word
    /// without any `%` token or `\` escape is taken for a mistyped format name.
    pub fn parse(text: &str) -> Result<RecordFormat> {
        match text {
            "value" => Ok(RecordFormat::Value),
            "json" => Ok(RecordFormat::Json),
            _ if !text.contains(['%', '\\']) => Err(Error::usage(format!(
                "unknown --format '{text}'; use value, json, or a template such as '%k=%s\\n' (tokens %t %p %o %k %s %v %T %d %h)"
            ))),
            _ => Template::parse(text).map(RecordFormat::Template),
        }
    }

    /// Prints null keys and values as `NULL` (kcat's `-Z`); JSON already
    /// prints `null`.
    pub fn print_nulls(self) -> Result<RecordFormat> {
        Ok(match self {
            RecordFormat::Value => RecordFormat::Template(Template::parse("%s\n")?.with_null_text(b"NULL")),
            RecordFormat::Template(t) => RecordFormat::Template(t.with_null_text(b"NULL")),
            RecordFormat::Json => RecordFormat::Json,
        })
    }

    /// Appends one record in this format to `out`.
    pub fn format(&self, topic: &str, partition: u32, record: &Record<'_>, out: &mut Vec<u8>) {
        match self {
            RecordFormat::Value => {
                out.extend_from_slice(record.value.unwrap_or_default());
                out.push(b'\n');
            }
            RecordFormat::Json => {
                write_envelope(topic, partition, record, out);
                out.push(b'\n');
            }
            RecordFormat::Template(t) => t.render(topic, partition, record, out),
        }
    }
}

/// Formats records into one reusable buffer and hands it to `W` in large
/// chunks: when it passes [`RecordWriter::CHUNK`] bytes and on
/// [`RecordSink::flush`]. Errors from `W` (a broken pipe, say) are returned
/// as they are. It counts the bytes it accepted and wrote (a write cut short
/// by an error counts what went out), and with [`RecordWriter::probing`] how
/// many of them the reader of a pipe or socket has taken.
#[derive(Debug)]
pub struct RecordWriter<W: Write> {
    out: W,
    format: RecordFormat,
    /// Writes `format` json, keeping what the records of a partition share.
    envelope: EnvelopeWriter,
    buf: Vec<u8>,
    /// Records in `buf`, not yet handed to `out`.
    pending: u64,
    /// Records handed to `out` and flushed there, since creation.
    flushed: u64,
    /// Bytes formatted since creation.
    accepted: u64,
    /// Bytes handed to `out` since creation.
    written: u64,
    /// Where `out` queues bytes for a reader, what is still unread there.
    probe: Option<OutQueue>,
}

impl<W: Write> RecordWriter<W> {
    /// The buffer size past which records are written out.
    pub const CHUNK: usize = 256 * 1024;

    pub fn new(out: W, format: RecordFormat) -> Self {
        RecordWriter {
            out,
            format,
            envelope: EnvelopeWriter::default(),
            buf: Vec::with_capacity(Self::CHUNK + 4096),
            pending: 0,
            flushed: 0,
            accepted: 0,
            written: 0,
            probe: None,
        }
    }

    /// Counts as taken only what the reader of `out` took (`probe` watches
    /// the same descriptor); without it, written is taken.
    pub fn probing(mut self, probe: OutQueue) -> Self {
        self.probe = Some(probe);
        self
    }

    pub fn format(&self) -> &RecordFormat {
        &self.format
    }

    /// Records written to `W` and flushed there since this writer was
    /// created: the caller may commit offsets up to these records.
    pub fn records_flushed(&self) -> u64 {
        self.flushed
    }

    /// Records accepted but still in the buffer (lost if the process dies).
    pub fn records_pending(&self) -> u64 {
        self.pending
    }

    /// Bytes waiting in the buffer.
    pub fn buffered_bytes(&self) -> usize {
        self.buf.len()
    }

    pub fn get_ref(&self) -> &W {
        &self.out
    }

    /// The destination, after whatever is buffered has been written to it.
    pub fn into_inner(mut self) -> io::Result<W> {
        self.flush_buffer()?;
        Ok(self.out)
    }

    fn flush_buffer(&mut self) -> io::Result<()> {
        let mut done = 0;
        let result = loop {
            match self.buf.get(done..).filter(|rest| !rest.is_empty()) {
                None => break Ok(()),
                Some(rest) => match self.out.write(rest) {
                    Ok(0) => break Err(io::Error::from(io::ErrorKind::WriteZero)),
                    Ok(n) => done += n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => break Err(e),
                },
            }
        };
        self.written += done as u64;
        self.buf.drain(..done);
        result?;
        self.out.flush()?;
        self.flushed += self.pending;
        self.pending = 0;
        Ok(())
    }
}

impl<W: Write> RecordSink for RecordWriter<W> {
    fn write(&mut self, topic: &str, partition: u32, record: &Record<'_>) -> io::Result<()> {
        let before = self.buf.len();
        match &self.format {
            RecordFormat::Json => self.envelope.write_line(topic, partition, record, &mut self.buf),
            format => format.format(topic, partition, record, &mut self.buf),
        }
        self.accepted += (self.buf.len() - before) as u64;
        self.pending += 1;
        if self.buf.len() >= Self::CHUNK {
            self.flush_buffer()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.flush_buffer()
    }

    fn accepted_bytes(&self) -> u64 {
        self.accepted
    }

    fn written_bytes(&self) -> u64 {
        self.written
    }

    /// Written, less what the pipe or socket still holds unread. If the
    /// kernel cannot say (it always can for a pipe), written.
    fn taken_bytes(&self) -> u64 {
        let unread = self.probe.as_ref().and_then(OutQueue::unread).unwrap_or(0);
        self.written.saturating_sub(unread)
    }

    fn reader_gone(&self) -> bool {
        self.probe.as_ref().is_some_and(OutQueue::reader_gone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envelope;
    use crate::output::test_support::{OwnedHeaders, frame, record};
    use proptest::prelude::*;

    fn fmt(format: &RecordFormat, key: Option<&[u8]>, value: Option<&[u8]>, headers: &OwnedHeaders) -> Vec<u8> {
        let f = frame(12, 1_732_523_000_000, key, value, headers);
        let mut out = Vec::new();
        format.format("t", 0, &record(&f), &mut out);
        out
    }

    fn h(pairs: &[(&str, Option<&[u8]>)]) -> OwnedHeaders {
        pairs.iter().map(|(k, v)| (k.as_bytes().to_vec(), v.map(<[u8]>::to_vec))).collect()
    }

    #[test]
    fn parse_formats() {
        assert_eq!(RecordFormat::parse("value").expect("value"), RecordFormat::Value);
        assert_eq!(RecordFormat::parse("json").expect("json"), RecordFormat::Json);
        assert!(matches!(RecordFormat::parse("%k %s\\n").expect("template"), RecordFormat::Template(_)));
        let err = RecordFormat::parse("jsno").expect_err("typo");
        assert_eq!(err.exit_code(), 2);
        assert!(err.message.contains("jsno"));
        assert_eq!(RecordFormat::parse("%y").expect_err("token").exit_code(), 2);
    }

    #[test]
    fn value_format() {
        let none = h(&[]);
        assert_eq!(fmt(&RecordFormat::Value, Some(b"k"), Some(b"hello"), &none), b"hello\n");
        assert_eq!(fmt(&RecordFormat::Value, None, None, &none), b"\n");
        assert_eq!(fmt(&RecordFormat::Value, None, Some(&[0xff, 0]), &none), [0xff, 0, b'\n']);
    }

    #[test]
    fn json_format_matches_the_interface() {
        let out = fmt(&RecordFormat::Json, Some(b"k"), Some(b"v"), &h(&[]));
        assert_eq!(
            out,
            br#"{"topic":"t","partition":0,"offset":12,"timestamp":1732523000000,"key":"k","value":"v","headers":{}}
"#
        );
        let out =
            fmt(&RecordFormat::Json, None, Some(b""), &h(&[("a", Some(b"x\"y")), ("b", None), ("c", Some(&[0xff]))]));
        assert_eq!(
            out,
            br#"{"topic":"t","partition":0,"offset":12,"timestamp":1732523000000,"key":null,"value":"","headers":{"a":"x\"y","b":null,"c":{"base64":"/w=="}}}
"#
        );
        let out = fmt(&RecordFormat::Json, Some(&[0, 0x80]), None, &h(&[]));
        let text = String::from_utf8(out).expect("json is utf-8");
        assert!(text.contains(r#","key":{"base64":"AIA="},"value":null,"headers":{}}"#), "{text}");
    }

    type Owned = (Option<Vec<u8>>, Option<Vec<u8>>, Vec<(String, Option<Vec<u8>>)>, i64);

    proptest! {
        #[test]
        fn json_round_trips_through_produce(
            (key, value, headers, ts) in (
                proptest::option::of(proptest::collection::vec(any::<u8>(), 0..48)),
                proptest::option::of(proptest::collection::vec(any::<u8>(), 0..48)),
                proptest::collection::vec((".{0,8}", proptest::option::of(proptest::collection::vec(any::<u8>(), 0..16))), 0..4),
                // Timestamps a producer may send: none is negative (as in Kafka).
                0..=i64::MAX,
            )
        ) {
            let (key, value, headers, ts): Owned = (key, value, headers, ts);
            let owned: OwnedHeaders = headers.iter().map(|(k, v)| (k.as_bytes().to_vec(), v.clone())).collect();
            let f = frame(7, ts, key.as_deref(), value.as_deref(), &owned);
            let mut line = Vec::new();
            RecordFormat::Json.format("topic \"x\"", 5, &record(&f), &mut line);
            prop_assert_eq!(line.pop(), Some(b'\n'));
            prop_assert!(!line.contains(&b'\n'));
            let env = envelope::parse(&line).map_err(TestCaseError::fail)?;
            prop_assert_eq!(env.key.as_deref(), key.as_deref());
            prop_assert_eq!(env.value.as_deref(), value.as_deref());
            prop_assert_eq!(env.timestamp, Some(ts));
            prop_assert_eq!(env.partition, Some(5));
            let back: OwnedHeaders = env.headers.iter().map(|(k, v)| (k.to_vec(), v.as_deref().map(<[u8]>::to_vec))).collect();
            prop_assert_eq!(back, owned);
        }
    }

    /// Counts the calls it receives.
    #[derive(Default)]
    struct Spy {
        bytes: Vec<u8>,
        writes: usize,
        flushes: usize,
    }

    impl Write for Spy {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.writes += 1;
            self.bytes.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            self.flushes += 1;
            Ok(())
        }
    }

    #[test]
    fn writer_buffers_until_a_chunk_or_flush() {
        let value = vec![b'x'; 1000];
        let f = frame(0, 0, None, Some(&value), &h(&[]));
        let rec = record(&f);
        let mut w = RecordWriter::new(Spy::default(), RecordFormat::Value);
        for _ in 0..10 {
            w.write("t", 0, &rec).expect("write");
        }
        assert_eq!((w.get_ref().writes, w.records_flushed(), w.records_pending()), (0, 0, 10));
        assert_eq!(w.buffered_bytes(), 10 * 1001);
        // 262 records of 1001 bytes pass 256 KiB: one chunk goes out.
        let n = RecordWriter::<Spy>::CHUNK.div_ceil(1001);
        assert_eq!(n, 262);
        for _ in 10..n {
            w.write("t", 0, &rec).expect("write");
        }
        assert_eq!((w.get_ref().writes, w.records_flushed(), w.records_pending()), (1, 262, 0));
        w.write("t", 0, &rec).expect("write");
        assert_eq!((w.records_flushed(), w.records_pending()), (262, 1));
        RecordSink::flush(&mut w).expect("flush");
        assert_eq!((w.get_ref().writes, w.records_flushed(), w.records_pending()), (2, 263, 0));
        // Flushing with nothing buffered writes nothing more.
        RecordSink::flush(&mut w).expect("flush");
        assert_eq!(w.get_ref().writes, 2);
        let spy = w.into_inner().expect("inner");
        assert_eq!(spy.bytes.len(), 263 * 1001);
        assert!(spy.flushes >= 2);
    }

    struct BrokenPipe;

    impl Write for BrokenPipe {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::from(io::ErrorKind::BrokenPipe))
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// Takes `room` bytes, then fails like a pipe whose reader left.
    struct Cut {
        room: usize,
    }

    impl Write for Cut {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            match self.room.min(buf.len()) {
                0 => Err(io::Error::from(io::ErrorKind::BrokenPipe)),
                n => {
                    self.room -= n;
                    Ok(n)
                }
            }
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn bytes_accepted_written_and_taken_are_counted_even_when_a_write_is_cut_short() {
        let f = frame(0, 0, None, Some(b"abcd"), &h(&[]));
        let mut w = RecordWriter::new(Cut { room: 7 }, RecordFormat::Value);
        w.write("t", 0, &record(&f)).expect("buffered");
        w.write("t", 0, &record(&f)).expect("buffered");
        assert_eq!((w.accepted_bytes(), w.written_bytes()), (10, 0));
        assert!(RecordSink::flush(&mut w).is_err());
        assert_eq!((w.accepted_bytes(), w.written_bytes(), w.taken_bytes()), (10, 7, 7));
        assert_eq!(w.buffered_bytes(), 3, "what did not go out stays buffered");
    }

    #[test]
    fn through_a_pipe_only_what_the_reader_read_is_taken() {
        use std::io::Read;
        use std::os::fd::{AsFd, OwnedFd};
        let (mut reader, writer) = std::io::pipe().expect("pipe");
        let file = std::fs::File::from(OwnedFd::from(writer));
        let probe = OutQueue::of(file.as_fd()).expect("probe");
        let mut w = RecordWriter::new(file, RecordFormat::Value).probing(probe);
        let f = frame(0, 0, None, Some(b"abcd"), &h(&[]));
        for _ in 0..3 {
            w.write("t", 0, &record(&f)).expect("write");
        }
        assert_eq!((w.written_bytes(), w.taken_bytes()), (0, 0), "still in our buffer");
        RecordSink::flush(&mut w).expect("flush");
        assert_eq!((w.written_bytes(), w.taken_bytes()), (15, 0), "in the pipe, unread");
        let mut got = [0u8; 7];
        reader.read_exact(&mut got).expect("read");
        assert_eq!(w.taken_bytes(), 7);
        assert!(!w.reader_gone());
        drop(reader);
        assert!(w.reader_gone());
        assert_eq!(w.taken_bytes(), 7, "what the reader left behind is never taken");
    }

    #[test]
    fn broken_pipe_is_returned_and_nothing_counts_as_flushed() {
        let f = frame(0, 0, None, Some(b"v"), &h(&[]));
        let mut w = RecordWriter::new(BrokenPipe, RecordFormat::Value);
        w.write("t", 0, &record(&f)).expect("buffered");
        let err = RecordSink::flush(&mut w).expect_err("broken pipe");
        assert_eq!(err.kind(), io::ErrorKind::BrokenPipe);
        assert_eq!(w.records_flushed(), 0);
    }
}

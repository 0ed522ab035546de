//! Producing a stream of input lines: each line parsed into a message in
//! the chosen format, sent through the [`Producer`], and — whenever the
//! input has nothing more ready — the buffered frames appended so a slow
//! or interactive source is visible to consumers at once. At the end (or at
//! the first bad line) everything appended is made durable; what was
//! produced before a bad line stays produced.

use std::io::Read;

use super::input::{LineReader, LineTooLong};
use super::message::{LineFormat, LineParts, Message, NoSeparator, parse_line, split_line};
use super::producer::{ProduceSummary, Producer};
use crate::error::{Error, ErrorKind, Reason, Result};
use crate::sys::clock::now_ms;
use crate::sys::prefetch;

/// How a line stream is produced.
#[derive(Debug, Clone)]
pub struct PipelineOptions {
    pub format: LineFormat,
    /// A value that stands for null (a tombstone) in the lines formats.
    pub null_value: Option<Vec<u8>>,
    /// Sends every message to this partition.
    pub partition: Option<u32>,
}

/// Produces every line of `input`. `input_ready` says whether more input
/// can be read without blocking (for standard input: a zero-timeout poll);
/// `on_progress` hears how many messages are appended, once per buffer read.
/// On a bad line returns the error (exit 65, naming the line) after making
/// the lines before it durable; `summary` then says what was written.
pub fn produce_lines<R: Read>(
    producer: &mut Producer,
    input: R,
    options: &PipelineOptions,
    mut input_ready: impl FnMut() -> bool,
    mut on_progress: impl FnMut(u64),
) -> (Result<()>, ProduceSummary) {
    let mut lines = LineReader::new(input).with_max_line(max_line_bytes(&options.format, producer.max_message_bytes()));
    let mut failure = None;
    let mut grouping = Grouping::default();
    let batch = producer.partition_count() > GROUP_ABOVE_PARTITIONS;
    loop {
        let now = now_ms();
        let step = if batch {
            let mut routed = Routed::with_capacity(grouping.last_len);
            let read = lines.for_each_buffered(|line_no, line| routed.route(producer, options, line_no, line));
            // A bad line stops the reading: the lines before it still go.
            // A failure to send comes first: nothing after it is appended.
            grouping.send(producer, &routed, now).and(read)
        } else {
            lines.for_each_buffered(|line_no, line| -> Result<()> {
                let sent = match split_line(&options.format, line, options.null_value.as_deref()) {
                    Some(Ok(parts)) => producer.send_line(options.partition, parts, now)?,
                    Some(Err(e)) => return Err(no_separator(line_no, e)),
                    None => producer.send(&parse(options, line_no, line)?, now)?,
                };
                sent.map(drop).map_err(|e| Error::bad_input(format!("line {line_no}: {e}")))
            })
        };
        match step {
            Ok(true) => {
                if !input_ready()
                    && let Err(e) = producer.flush()
                {
                    failure = Some(e);
                    break;
                }
                on_progress(producer.appended_messages());
            }
            Ok(false) => break,
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
    }
    // What was sent before a bad line is still appended and made durable;
    // after a failure to append or sync, nothing is retried.
    let result = match failure {
        None => producer.finish().map(drop),
        Some(e) if e.kind == ErrorKind::BadInput => producer.finish().and(Err(e)),
        Some(e) => Err(e),
    };
    (result, producer.summary())
}

/// Above this many partitions, lines are produced a buffer at a time,
/// grouped by partition: each frame is then written in runs instead of a
/// record here and a record there, which keeps its end in the cache.
const GROUP_ABOVE_PARTITIONS: u32 = 32;

/// A line of a key-separator format without the separator: refused,
/// naming the line, as kafka-console-producer refuses it.
fn no_separator(line_no: u64, e: NoSeparator) -> Error {
    Error::bad_input(format!("line {line_no}: {e}")).because(Reason::NoKeySeparator { line: line_no })
}

fn parse<'a>(options: &PipelineOptions, line_no: u64, line: &'a [u8]) -> Result<Message<'a>> {
    let mut message = parse_line(&options.format, line, options.null_value.as_deref())
        .map_err(|e| Error::bad_input(format!("line {line_no}: {e}")))?;
    if options.partition.is_some() {
        message.partition = options.partition;
    }
    Ok(message)
}

/// A buffer of lines routed to their partitions, to be produced grouped by
/// partition. A line of a lines format is kept as its key and value, slices
/// of the line; a JSON line is kept as the message parsed from it.
struct Routed<'a> {
    partitions: Vec<u32>,
    parts: Vec<RoutedParts<'a>>,
    whole: Vec<Message<'a>>,
    /// Number of the first line routed.
    first_line: u64,
}

/// What is kept of a routed line.
enum RoutedParts<'a> {
    /// A line of a lines format: its key and value.
    Line(LineParts<'a>),
    /// Index into [`Routed::whole`].
    Whole(usize),
}

impl<'a> Routed<'a> {
    fn with_capacity(lines: usize) -> Self {
        Routed {
            partitions: Vec::with_capacity(lines),
            parts: Vec::with_capacity(lines),
            whole: Vec::new(),
            first_line: 0,
        }
    }

    /// Parses, checks and routes one line. A bad line's error stops the
    /// buffer there: nothing at or after it is produced.
    fn route(
        &mut self,
        producer: &mut Producer,
        options: &PipelineOptions,
        line_no: u64,
        line: &'a [u8],
    ) -> Result<()> {
        if self.parts.is_empty() {
            self.first_line = line_no;
        }
        let bad = |e: String| Error::bad_input(format!("line {line_no}: {e}"));
        // A record is never larger than the bytes it was read from (twice
        // with --key-field: the key is also in the line), plus the frame and
        // record headers: lines below that bound need no size check.
        let copies = if matches!(options.format, LineFormat::KeyField(_)) { 2 } else { 1 };
        let may_not_fit = (line.len() * copies + 128) as u64 >= producer.max_message_bytes();
        if let Some(parts) = split_line(&options.format, line, options.null_value.as_deref()) {
            let parts = parts.map_err(|e| no_separator(line_no, e))?;
            if may_not_fit {
                producer.check_line_size(parts).map_err(bad)?;
            }
            self.partitions.push(producer.partition_for(options.partition, parts.key).map_err(bad)?);
            self.parts.push(RoutedParts::Line(parts));
            return Ok(());
        }
        let message = parse(options, line_no, line)?;
        if may_not_fit {
            producer.check_size(&message).map_err(bad)?;
        }
        let partition = producer.choose_partition(&message).map_err(bad)?;
        self.partitions.push(partition);
        self.whole.push(message);
        self.parts.push(RoutedParts::Whole(self.whole.len() - 1));
        Ok(())
    }
}

/// How many sends ahead a routed line is asked into the cache.
const PREFETCH_AHEAD: usize = 8;

/// Scratch space for sending routed lines grouped by partition.
#[derive(Default)]
struct Grouping {
    counts: Vec<usize>,
    order: Vec<usize>,
    /// Lines in the last buffer: the next is likely as long.
    last_len: usize,
}

impl Grouping {
    /// Sends every routed line, grouped by partition (in input order within
    /// each); stops at the first message that cannot be sent.
    fn send(&mut self, producer: &mut Producer, routed: &Routed<'_>, now: i64) -> Result<()> {
        let partitions = &routed.partitions;
        self.last_len = partitions.len();
        // A stable counting sort of the line indexes by partition.
        self.counts.clear();
        self.counts.resize(producer.partition_count() as usize + 1, 0);
        for &p in partitions {
            self.counts[p as usize + 1] += 1;
        }
        for i in 1..self.counts.len() {
            self.counts[i] += self.counts[i - 1];
        }
        self.order.clear();
        self.order.resize(partitions.len(), 0);
        for (i, &p) in partitions.iter().enumerate() {
            self.order[self.counts[p as usize]] = i;
            self.counts[p as usize] += 1;
        }
        for (k, &i) in self.order.iter().enumerate() {
            // The lines are read in an order the hardware cannot guess:
            // ask for the line `PREFETCH_AHEAD` sends ahead, and for where
            // its key and value are twice that far ahead.
            if let Some(&j) = self.order.get(k + 2 * PREFETCH_AHEAD) {
                prefetch::value(&routed.parts[j]);
            }
            if let Some(&j) = self.order.get(k + PREFETCH_AHEAD)
                && let RoutedParts::Line(parts) = &routed.parts[j]
            {
                prefetch::bytes(parts.key);
                prefetch::bytes(parts.value);
            }
            let partition = partitions[i];
            let sent = match routed.parts[i] {
                RoutedParts::Line(parts) => producer.send_line_in_run(partition, parts, now)?,
                RoutedParts::Whole(w) => producer.send_in_run(partition, &routed.whole[w], now)?,
            };
            if let Err(e) = sent {
                let line_no = routed.first_line + i as u64;
                return Err(Error::bad_input(format!("line {line_no}: {e}")));
            }
        }
        Ok(())
    }
}

/// What a JSON envelope line may hold besides its escaped key and value:
/// the other fields, headers and whitespace.
const ENVELOPE_SLACK_BYTES: usize = 64 * 1024;

/// The longest input line that could still fit `max.message.bytes`: in the
/// lines formats the value (and key) are the line's bytes; a JSON envelope
/// may spell a byte in up to six (`\u0000`), plus the other fields.
pub fn max_line_bytes(format: &LineFormat, max_message_bytes: u64) -> usize {
    let max = usize::try_from(max_message_bytes).unwrap_or(usize::MAX);
    match format {
        LineFormat::Plain | LineFormat::KeyField(_) => max,
        LineFormat::KeySeparator { separator, .. } => max.saturating_add(separator.len()),
        LineFormat::Json => max.saturating_mul(6).saturating_add(ENVELOPE_SLACK_BYTES),
    }
}

impl From<LineTooLong> for Error {
    fn from(e: LineTooLong) -> Self {
        Error::bad_input(format!(
            "line {}: longer than {} bytes, so its message would pass the topic's max.message.bytes",
            e.line_no, e.max_line
        ))
        .because(Reason::MessageTooLarge { line: e.line_no, max_line: e.max_line })
    }
}

impl From<std::io::Error> for Error {
    fn from(err: std::io::Error) -> Self {
        Error::io("read", std::path::Path::new("standard input"), err)
    }
}

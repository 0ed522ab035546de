//! What a topic created by `produce --format json --create` needs, read
//! ahead from the envelopes before anything is written: the partitions they
//! name and the topic they were consumed from, so that
//! `consume T --format json | produce COPY --format json --create` makes a
//! copy with every partition it writes to.

use std::io::{self, Read};

use serde::Deserialize;

/// How much input is read ahead at most (the rest streams as usual).
pub const READ_AHEAD_BYTES: usize = 64 << 20;

/// What the envelopes read ahead say about the topic they need.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnvelopeNeeds {
    /// The `"topic"` of the first envelope (as `consume --format json` writes it).
    pub source_topic: Option<String>,
    /// One more than the highest `"partition"` named (0 when none is).
    pub partitions: u64,
}

/// The fields read ahead; anything else, and any line that does not parse,
/// is left for the producer to take or refuse.
#[derive(Deserialize)]
struct Fields {
    #[serde(default)]
    topic: Option<String>,
    #[serde(default)]
    partition: Option<u32>,
}

/// How long input may pause before the read-ahead stops waiting for more
/// (a `consume --follow` upstream never ends).
pub const READ_AHEAD_PAUSE_MS: i32 = 1000;

/// Reads `input` to its end, up to `limit` bytes, or until `ready()` says
/// no more input came in time; returns the bytes read with what their whole
/// lines need.
pub fn read_ahead(
    input: &mut impl Read,
    limit: usize,
    mut ready: impl FnMut() -> bool,
) -> io::Result<(Vec<u8>, EnvelopeNeeds)> {
    let mut buf = Vec::new();
    let mut chunk = vec![0u8; 1 << 20];
    while buf.len() < limit && ready() {
        let want = chunk.len().min(limit - buf.len());
        match input.read(&mut chunk[..want]) {
            Ok(0) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    let needs = needs_of(&buf);
    Ok((buf, needs))
}

/// What the envelopes in `bytes` need (a last line without its newline is
/// read only if `bytes` ends there, so a line cut at the limit is skipped).
fn needs_of(bytes: &[u8]) -> EnvelopeNeeds {
    let mut needs = EnvelopeNeeds::default();
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        let Ok(fields) = serde_json::from_slice::<Fields>(line) else { continue };
        if i == 0 {
            needs.source_topic = fields.topic;
        }
        if let Some(p) = fields.partition {
            needs.partitions = needs.partitions.max(u64::from(p) + 1);
        }
    }
    needs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_highest_partition_and_the_first_topic() {
        let input = b"{\"topic\":\"rides\",\"partition\":1,\"value\":\"a\"}\n{\"partition\":5,\"value\":\"b\"}\nnot json\n{\"value\":\"c\"}";
        let (buf, needs) = read_ahead(&mut &input[..], 1 << 20, || true).expect("read");
        assert_eq!(buf, input, "every byte read ahead is handed back");
        assert_eq!(needs, EnvelopeNeeds { source_topic: Some("rides".into()), partitions: 6 });
    }

    #[test]
    fn only_the_limit_is_read_and_a_cut_line_is_skipped() {
        let input = b"{\"partition\":2,\"value\":\"a\"}\n{\"partition\":9,\"value\":\"b\"}\n";
        let (buf, needs) = read_ahead(&mut &input[..], 40, || true).expect("read");
        assert_eq!(buf.len(), 40);
        assert_eq!(needs.partitions, 3);
        let (_, none) = read_ahead(&mut &b"x\ny\n"[..], 100, || true).expect("read");
        assert_eq!(none, EnvelopeNeeds::default());
        let (nothing, _) = read_ahead(&mut &input[..], 100, || false).expect("read");
        assert!(nothing.is_empty(), "input that is not ready is not waited for");
    }
}

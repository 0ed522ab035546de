//! The [`ExecSink`]'s answer to "taken" across a release: a real command
//! (`sh -c`) on a data dir backend.

use std::time::Duration;

use super::exec_sink::{ExecOptions, ExecSink};
use crate::backend::datadir::DataDir;
use crate::consumer::exec::Backoff;
use crate::consumer::{RecordSink, TopicPartition};
use crate::output::records::RecordFormat;
use crate::store::{Headers, Record};

fn options(command: &str, batch: usize) -> ExecOptions {
    ExecOptions {
        command: command.to_string(),
        format: RecordFormat::Value,
        batch,
        batch_timeout: Duration::from_secs(60),
        backoff: Backoff::default(),
        max_deliver: 3,
        parallel: 2,
        group: Some("g".to_string()),
        dead_letter: None,
        warn: |_| {},
        stop: None,
    }
}

fn record(offset: u64) -> Record<'static> {
    Record { offset, timestamp: 0, key: None, value: Some(b"v"), headers: Headers::from_encoded(&[], 0) }
}

/// A batch still running when its partition is let go ends first, and
/// what it did stays taken after the release: the member commits it before
/// the partition's next owner starts there (it ran the batch again).
#[test]
fn a_batch_that_ends_during_a_release_stays_taken() {
    let dir = tempfile::tempdir().expect("tempdir");
    let backend = DataDir::new(dir.path().to_path_buf(), Duration::from_secs(5));
    let mut sink = ExecSink::new(options("sleep 0.2; cat > /dev/null", 2), &backend, None, None, None).expect("sink");
    for offset in 0..3 {
        sink.write("t", 0, &record(offset)).expect("write");
    }
    // Offsets 0-1 make a batch that runs now; offset 2 waits in the queue.
    assert_eq!(sink.taken_bytes_of("t", 0), 0, "nothing done yet");
    let released = sink.release(&[TopicPartition::new("t", 0)]).expect("release");
    assert!(released);
    assert_eq!(sink.taken_bytes_of("t", 0), 2, "the running batch's two records are done and stay taken");
    // Taken up again later: the count goes on from there, and a new record
    // is taken only once its own batch is done.
    sink.write("t", 0, &record(2)).expect("write");
    assert_eq!(sink.taken_bytes_of("t", 0), 2);
    sink.finish().expect("finish");
    assert_eq!(sink.taken_bytes_of("t", 0), 4);
}

//! Produce → fetch latency through a Kafka broker (`runnel serve` or a real
//! one), measured with a real client (librdkafka through the rdkafka crate):
//! a producer with `linger.ms=0` and `acks=all` sends one record at a time
//! to partition 0 of TOPIC, a consumer of that partition long-polls
//! (`fetch.wait.max.ms=500`, `fetch.min.bytes=1`), and each record's latency
//! is the time from just before `send` until the consumer's `poll` returns
//! it (one process, one monotonic clock). The next record goes once the
//! previous one arrived, after a pause, so records do not share a fetch.
//!
//! Usage: `cargo run --release --example serve_latency -- BOOTSTRAP TOPIC [COUNT]`
//! (COUNT default 500). Prints one line: `median X ms, p99 Y ms, N records`.
//! TOPIC must exist; the records it adds are 8-byte sequence numbers.

use std::process::ExitCode;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::Message;
use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
use rdkafka::{Offset, TopicPartitionList};

/// Records sent and awaited before timing, so connections and metadata are warm.
const WARM_UP: u64 = 20;
/// The pause between one record's arrival and the next send.
const PAUSE: Duration = Duration::from_millis(2);
/// How long one record may take before the run is called failed.
const TIMEOUT: Duration = Duration::from_secs(10);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 2 {
        eprintln!("usage: serve_latency BOOTSTRAP TOPIC [COUNT]");
        return ExitCode::from(2);
    }
    let count = match args.get(2).map(|c| c.parse::<u64>()) {
        None => 500,
        Some(Ok(n)) if n > 0 => n,
        Some(_) => {
            eprintln!("serve_latency: COUNT must be a positive number, not '{}'", args[2]);
            return ExitCode::from(2);
        }
    };
    match run(&args[0], &args[1], count) {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("serve_latency: {e}");
            ExitCode::from(1)
        }
    }
}

fn run(bootstrap: &str, topic: &str, count: u64) -> Result<String, String> {
    let producer: BaseProducer = ClientConfig::new()
        .set("bootstrap.servers", bootstrap)
        .set("linger.ms", "0")
        .set("acks", "all")
        .create()
        .map_err(|e| format!("cannot create the producer: {e}"))?;
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", bootstrap)
        .set("group.id", "serve-latency")
        .set("enable.auto.commit", "false")
        .set("fetch.wait.max.ms", "500")
        .set("fetch.min.bytes", "1")
        .create()
        .map_err(|e| format!("cannot create the consumer: {e}"))?;
    let mut assignment = TopicPartitionList::new();
    assignment
        .add_partition_offset(topic, 0, Offset::End)
        .map_err(|e| format!("cannot assign {topic} partition 0: {e}"))?;
    consumer.assign(&assignment).map_err(|e| format!("cannot assign {topic} partition 0: {e}"))?;

    // The consumer's thread sends back each sequence number with when it arrived.
    let (arrived_tx, arrived) = mpsc::channel::<(u64, Instant)>();
    let (stop_tx, stop) = mpsc::channel::<()>();
    let reader = std::thread::spawn(move || -> Result<(), String> {
        while stop.try_recv().is_err() {
            match consumer.poll(Duration::from_millis(100)) {
                None => {}
                Some(Err(e)) => return Err(format!("the consumer failed: {e}")),
                Some(Ok(message)) => {
                    let at = Instant::now();
                    let seq = message.payload().and_then(|p| <[u8; 8]>::try_from(p).ok()).map(u64::from_be_bytes);
                    if let Some(seq) = seq
                        && arrived_tx.send((seq, at)).is_err()
                    {
                        return Ok(());
                    }
                }
            }
        }
        Ok(())
    });

    let mut latencies = Vec::with_capacity(count as usize);
    let result = measure(&producer, topic, &arrived, count, &mut latencies);
    let _ = stop_tx.send(());
    drop(arrived);
    let read = reader.join().map_err(|_| "the consumer thread panicked".to_string())?;
    result?;
    read?;
    let _ = producer.flush(Duration::from_secs(5));
    latencies.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let median = latencies[latencies.len() / 2];
    let p99 = latencies[(latencies.len() * 99).div_ceil(100) - 1];
    Ok(format!("median {:.3} ms, p99 {:.3} ms, {} records", ms(median), ms(p99), latencies.len()))
}

/// Warms up, then times `count` records into `latencies`.
fn measure(
    producer: &BaseProducer,
    topic: &str,
    arrived: &mpsc::Receiver<(u64, Instant)>,
    count: u64,
    latencies: &mut Vec<Duration>,
) -> Result<(), String> {
    // The consumer starts at the log end once it has looked it up: send
    // warm-up records until one arrives, then the rest of the warm-up.
    let mut seq = 0u64;
    let first_deadline = Instant::now() + TIMEOUT * 3;
    loop {
        send(producer, topic, seq)?;
        seq += 1;
        if arrived.recv_timeout(Duration::from_millis(200)).is_ok() {
            break;
        }
        if Instant::now() > first_deadline {
            return Err("no record arrived at the consumer: is the topic there, with partition 0?".to_string());
        }
    }
    for _ in 0..WARM_UP {
        await_seq(producer, topic, arrived, &mut seq)?;
    }
    for _ in 0..count {
        latencies.push(await_seq(producer, topic, arrived, &mut seq)?);
    }
    Ok(())
}

/// Sends record `seq` and waits for it to arrive; its latency.
fn await_seq(
    producer: &BaseProducer,
    topic: &str,
    arrived: &mpsc::Receiver<(u64, Instant)>,
    seq: &mut u64,
) -> Result<Duration, String> {
    std::thread::sleep(PAUSE);
    let want = *seq;
    *seq += 1;
    let sent = Instant::now();
    send(producer, topic, want)?;
    loop {
        let (got, at) =
            arrived.recv_timeout(TIMEOUT).map_err(|_| format!("record {want} did not arrive within {TIMEOUT:?}"))?;
        // Late warm-up records may still arrive; only this one counts.
        if got == want {
            return Ok(at.duration_since(sent));
        }
    }
}

fn send(producer: &BaseProducer, topic: &str, seq: u64) -> Result<(), String> {
    let payload = seq.to_be_bytes();
    producer
        .send(BaseRecord::<(), [u8; 8]>::to(topic).payload(&payload).partition(0))
        .map_err(|(e, _)| format!("cannot send record {seq}: {e}"))?;
    producer.poll(Duration::ZERO);
    Ok(())
}

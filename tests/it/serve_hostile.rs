//! `runnel serve` against bad and hostile clients, as a class: every served
//! API key at every version with random, truncated and degenerate bodies (a
//! seeded loop, so a failure replays); a client that sends and never reads;
//! slow-loris frames; many connections at once; sizes negative or absurd.
//! Each costs its connection at most: the server keeps answering a fresh
//! ApiVersions, never panics, and its memory stays bounded.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::Duration;

use bytes::BytesMut;
use kafka_protocol::messages::fetch_request::{FetchPartition, FetchTopic};
use kafka_protocol::messages::{
    ApiKey, ApiVersionsRequest, ApiVersionsResponse, BrokerId, FetchRequest, RequestHeader, ResponseHeader, TopicName,
};
use kafka_protocol::protocol::{Decodable, Encodable, StrBytes};

use crate::common::Sandbox;
use crate::serve_harness::Served;

/// A small deterministic generator (xorshift64*), so a failing case replays.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next() as u8).collect()
    }
}

/// A request header of `key` at `version`, encoded as a client would.
fn header(key: i16, version: i16, correlation_id: i32) -> BytesMut {
    let mut header = RequestHeader::default();
    header.request_api_key = key;
    header.request_api_version = version;
    header.correlation_id = correlation_id;
    header.client_id = Some(StrBytes::from_static_str("fuzz"));
    let header_version = ApiKey::try_from(key).map_or(1, |k| k.request_header_version(version));
    let mut out = BytesMut::new();
    header.encode(&mut out, header_version).expect("header");
    out
}

fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = (body.len() as i32).to_be_bytes().to_vec();
    out.extend_from_slice(body);
    out
}

fn connect(addr: &str) -> TcpStream {
    let stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(30))).expect("timeout");
    stream
}

/// ApiVersions v3 on a fresh connection: the server's list of APIs.
fn api_versions(addr: &str) -> ApiVersionsResponse {
    api_versions_within(addr, Duration::from_secs(30))
}

/// [`api_versions`], failing if no answer comes within `wait` (a hang
/// guard shorter than serve's 30 s frame deadline, so a client made to wait
/// for others' claims to expire fails it).
fn api_versions_within(addr: &str, wait: Duration) -> ApiVersionsResponse {
    let mut stream = connect(addr);
    stream.set_read_timeout(Some(wait)).expect("timeout");
    let mut request = header(ApiKey::ApiVersions as i16, 3, 77);
    let mut body = ApiVersionsRequest::default();
    body.client_software_name = StrBytes::from_static_str("fuzz");
    body.client_software_version = StrBytes::from_static_str("1");
    body.encode(&mut request, 3).expect("body");
    stream.write_all(&frame(&request)).expect("send ApiVersions");
    let mut size = [0u8; 4];
    stream.read_exact(&mut size).expect("the server answers ApiVersions");
    let mut reply = vec![0u8; i32::from_be_bytes(size) as usize];
    stream.read_exact(&mut reply).expect("ApiVersions body");
    let mut reply = bytes::Bytes::from(reply);
    assert_eq!(ResponseHeader::decode(&mut reply, 0).expect("header").correlation_id, 77);
    ApiVersionsResponse::decode(&mut reply, 3).expect("ApiVersions response")
}

/// The server's resident memory in KiB (Linux), or `None` elsewhere.
fn rss_kib(pid: u32) -> Option<u64> {
    crate::common::proc_kib(&format!("/proc/{pid}/status"), "VmRSS")
}

/// The bodies tried for one API version: random bytes, zeros (empty arrays
/// and strings, often a valid request), 0xff runs (negative lengths, huge
/// varints), and random prefixes cut short.
fn bodies(rng: &mut Rng) -> Vec<Vec<u8>> {
    let mut out = vec![Vec::new()];
    for _ in 0..3 {
        let len = rng.below(96) as usize;
        out.push(rng.bytes(len));
    }
    out.push(vec![0; 1 + rng.below(64) as usize]);
    out.push(vec![0xff; 1 + rng.below(16) as usize]);
    let mut mixed = vec![0u8; 48];
    for _ in 0..4 {
        let at = rng.below(48) as usize;
        mixed[at] = rng.next() as u8;
    }
    out.push(mixed);
    out
}

#[test]
fn garbage_bodies_for_every_api_and_version_cost_a_connection_never_the_server() {
    let sb = Sandbox::with_brokers(1);
    sb.ok(&["topic", "create", "fuzzed", "-p", "2"]);
    sb.ok_with(&["-q", "produce", "fuzzed"], "a\nb\nc\n");
    let served = Served::start_logged(&sb, 1);
    let addr = served.brokers[0].clone();
    let apis = api_versions(&addr).api_keys;
    assert!(apis.len() > 20, "{apis:?}");
    let mut rng = Rng(0x5eed_2026_0018);
    let mut sent = 0;
    for api in &apis {
        for version in api.min_version..=api.max_version {
            for body in bodies(&mut rng) {
                let mut request = header(api.api_key, version, sent);
                request.extend_from_slice(&body);
                let mut stream = connect(&addr);
                // The server answers, or closes the connection: either is fine.
                let _ = stream.write_all(&frame(&request));
                let _ = stream.shutdown(Shutdown::Write);
                sent += 1;
            }
        }
        let alive = api_versions(&addr);
        assert_eq!(alive.error_code, 0, "after API key {}", api.api_key);
    }
    // The same, unknown API keys and versions beyond what is served.
    for (key, version) in [(999, 0), (-1, 0), (ApiKey::Metadata as i16, 999), (ApiKey::Produce as i16, -1)] {
        let mut stream = connect(&addr);
        stream.write_all(&frame(&header(key, version, 1))).expect("send");
        let mut byte = [0u8; 1];
        assert!(matches!(stream.read(&mut byte), Ok(0) | Err(_)), "key {key} v{version} closes the connection");
    }
    assert_eq!(api_versions(&addr).error_code, 0);
    let stderr = served.stderr();
    assert!(!stderr.contains("panicked"), "a request made the server panic:\n{stderr}");
    assert!(sent > 500, "{sent} requests");
    assert_eq!(served.stop(), Some(0));
}

#[test]
fn a_client_that_never_reads_costs_a_bounded_buffer() {
    let sb = Sandbox::with_brokers(1);
    sb.ok(&["topic", "create", "big", "-p", "1"]);
    // A megabyte of records for Fetch to answer with, again and again.
    let line = "x".repeat(1000);
    let input: String = (0..1000).map(|_| format!("{line}\n")).collect();
    sb.ok_with(&["-q", "produce", "big"], input);
    let served = Served::start_logged(&sb, 1);
    let addr = served.brokers[0].clone();
    let pid = served.pid().expect("pid");
    let before = rss_kib(pid);
    // Fetch v4 of big:0 from offset 0, up to 50 MiB, every request the same.
    let mut fetch = header(ApiKey::Fetch as i16, 4, 1);
    let partition = FetchPartition::default().with_partition(0).with_fetch_offset(0).with_partition_max_bytes(50 << 20);
    let topic =
        FetchTopic::default().with_topic(TopicName(StrBytes::from_static_str("big"))).with_partitions(vec![partition]);
    let request = FetchRequest::default()
        .with_replica_id(BrokerId(-1))
        .with_max_wait_ms(0)
        .with_min_bytes(1)
        .with_max_bytes(50 << 20)
        .with_topics(vec![topic]);
    request.encode(&mut fetch, 4).expect("fetch");
    let fetch = frame(&fetch);
    // Send until the server stops reading (its socket buffers full): it reads
    // one request, answers, and reads the next only once the answer is taken.
    let mut greedy = connect(&addr);
    greedy.set_write_timeout(Some(Duration::from_millis(500))).expect("timeout");
    // A hundred requests a write; 60 MB of requests would be a million answers.
    let batch = fetch.repeat(100);
    let mut requests = 0;
    while requests < 1_000_000 && greedy.write_all(&batch).is_ok() {
        requests += 100;
    }
    assert!(requests < 1_000_000, "the server kept reading requests whose answers nobody took");
    // Meanwhile, other clients are served.
    assert_eq!(api_versions(&addr).error_code, 0);
    if let (Some(before), Some(after)) = (before, rss_kib(pid)) {
        eprintln!("{requests} requests taken before serve stopped reading; RSS {before} -> {after} KiB");
        // A few answers in flight (each ~1 MiB), not one per request sent.
        assert!(after < before + 64 * 1024, "RSS grew from {before} KiB to {after} KiB after {requests} requests");
    }
    drop(greedy);
    assert_eq!(api_versions(&addr).error_code, 0);
    assert_eq!(served.stop(), Some(0));
}

#[test]
fn slow_loris_frames_and_absurd_sizes_hold_no_memory_and_block_no_one() {
    let sb = Sandbox::with_brokers(1);
    let served = Served::start_logged(&sb, 1);
    let addr = served.brokers[0].clone();
    let pid = served.pid().expect("pid");
    let before = rss_kib(pid);
    // 200 connections each claim a 100 MiB frame and send 10 bytes of it.
    let mut loris = Vec::new();
    for i in 0..200 {
        let mut stream = connect(&addr);
        stream.write_all(&(100i32 << 20).to_be_bytes()).expect("size");
        stream.write_all(&header(ApiKey::Produce as i16, 3, i)[..10]).expect("a little");
        loris.push(stream);
    }
    // Another 200 connect and wait, sending nothing.
    let idle: Vec<TcpStream> = (0..200).map(|_| connect(&addr)).collect();
    // Others are served meanwhile, without waiting for the claims' frame
    // deadline, and memory did not follow the claims.
    assert_eq!(api_versions_within(&addr, Duration::from_secs(10)).error_code, 0);
    if let (Some(before), Some(after)) = (before, rss_kib(pid)) {
        eprintln!("400 hostile connections: RSS {before} -> {after} KiB");
        assert!(after < before + 256 * 1024, "RSS grew from {before} KiB to {after} KiB");
    }
    // Sizes negative, zero, below a header, and above 100 MiB close at once.
    for size in [-1i32, i32::MIN, 0, 7, (100 << 20) + 1, i32::MAX] {
        let mut stream = connect(&addr);
        stream.write_all(&size.to_be_bytes()).expect("size");
        let mut byte = [0u8; 1];
        assert!(matches!(stream.read(&mut byte), Ok(0) | Err(_)), "size {size} closes the connection");
    }
    drop(loris);
    drop(idle);
    assert_eq!(api_versions(&addr).error_code, 0);
    assert!(!served.stderr().contains("panicked"), "{}", served.stderr());
    assert_eq!(served.stop(), Some(0));
}

#[test]
fn many_connections_at_once_are_each_answered() {
    let sb = Sandbox::with_brokers(1);
    let served = Served::start_logged(&sb, 1);
    let addr = served.brokers[0].clone();
    let answered = std::thread::scope(|s| {
        let workers: Vec<_> = (0..8)
            .map(|_| {
                s.spawn(|| {
                    let streams: Vec<TcpStream> = (0..50).map(|_| connect(&addr)).collect();
                    streams.len() + (0..50).filter(|_| api_versions(&addr).error_code == 0).count()
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap_or(0)).sum::<usize>()
    });
    assert_eq!(answered, 8 * 100);
    assert_eq!(api_versions(&addr).error_code, 0);
    assert_eq!(served.stop(), Some(0));
}

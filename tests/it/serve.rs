//! `runnel serve` with real Kafka clients: kcat, the rdkafka crate, and
//! raw frames for the hostile cases. Each test starts its own server on
//! system-chosen ports (`serve_harness`).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

use bytes::{BufMut, BytesMut};
use kafka_protocol::messages::{ApiKey, ApiVersionsRequest, ApiVersionsResponse, RequestHeader, ResponseHeader};
use kafka_protocol::protocol::{Decodable, Encodable, StrBytes};

use crate::common::Sandbox;
use crate::serve_harness::Served;

/// kcat's output, or `None` (the test is skipped, with a printed reason)
/// where kcat is not installed and `CI` is not set.
fn kcat(args: &[&str], input: Option<&[u8]>) -> Option<Vec<u8>> {
    let mut cmd = Command::new("kcat");
    cmd.args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && std::env::var_os("CI").is_none() => {
            eprintln!("skipping: kcat is not installed");
            return None;
        }
        Err(e) => panic!("kcat: {e}"),
    };
    let mut stdin = child.stdin.take().expect("stdin");
    if let Some(bytes) = input {
        stdin.write_all(bytes).expect("kcat stdin");
    }
    drop(stdin);
    let out = child.wait_with_output().expect("kcat");
    assert!(out.status.success(), "kcat {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    Some(out.stdout)
}

/// Sends one raw frame (its size prefixed) and reads one response frame.
fn exchange(stream: &mut TcpStream, body: &[u8]) -> Option<Vec<u8>> {
    let mut frame = (body.len() as i32).to_be_bytes().to_vec();
    frame.extend_from_slice(body);
    stream.write_all(&frame).ok()?;
    read_response(stream)
}

fn read_response(stream: &mut TcpStream) -> Option<Vec<u8>> {
    let mut size = [0u8; 4];
    stream.read_exact(&mut size).ok()?;
    let mut body = vec![0u8; i32::from_be_bytes(size) as usize];
    stream.read_exact(&mut body).ok()?;
    Some(body)
}

/// An ApiVersions request of `version`, encoded by the Kafka codec.
fn api_versions_request(version: i16, correlation_id: i32) -> Vec<u8> {
    let mut header = RequestHeader::default();
    header.request_api_key = ApiKey::ApiVersions as i16;
    header.request_api_version = version;
    header.correlation_id = correlation_id;
    header.client_id = Some(StrBytes::from_static_str("raw-test"));
    let mut request = ApiVersionsRequest::default();
    request.client_software_name = StrBytes::from_static_str("raw");
    request.client_software_version = StrBytes::from_static_str("1");
    let mut out = BytesMut::new();
    header.encode(&mut out, ApiKey::ApiVersions.request_header_version(version)).expect("header");
    request.encode(&mut out, version).expect("request");
    out.to_vec()
}

fn api_versions(stream: &mut TcpStream, correlation_id: i32) -> ApiVersionsResponse {
    let reply = exchange(stream, &api_versions_request(3, correlation_id)).expect("an ApiVersions answer");
    let mut bytes = bytes::Bytes::from(reply);
    let header = ResponseHeader::decode(&mut bytes, 0).expect("header");
    assert_eq!(header.correlation_id, correlation_id);
    ApiVersionsResponse::decode(&mut bytes, 3).expect("ApiVersions response")
}

/// `serve --log-requests`: each request of a real client (kcat) on
/// stderr as it arrives and when it is answered, with its client id, API,
/// version and correlation id; a produce with acks=0 says it sent nothing back.
#[test]
fn log_requests_shows_each_request_of_a_client_arriving_and_answered() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "rides", "-p", "1"]);
    let served = Served::start_traced(&sb, 1);
    let b = served.brokers[0].clone();
    let Some(_) = kcat(&["-b", &b, "-L"], None) else { return };
    kcat(&["-b", &b, "-P", "-t", "rides", "-X", "acks=0", "-X", "client.id=quiet-writer"], Some(b"one\n"));
    // With acks=0 kcat is gone before serve has read the produce.
    let read_log = || std::fs::read_to_string(Served::log_file(&sb)).unwrap_or_default();
    let produced = crate::common::wait_until(Duration::from_secs(20), || read_log().contains("(no response: acks=0)"));
    drop(served);
    let log = read_log();
    assert!(produced, "{log}");
    let metadata: Vec<&str> = log.lines().filter(|l| l.contains(" Metadata v") && l.contains("'rdkafka'")).collect();
    assert!(metadata.iter().any(|l| l.ends_with(": received")), "{log}");
    assert!(metadata.iter().any(|l| l.contains(": answered in ") && l.ends_with(" ms")), "{log}");
    let produce: Vec<&str> = log.lines().filter(|l| l.contains(" Produce v")).collect();
    assert!(
        produce.iter().any(|l| l.contains("'quiet-writer'") && l.ends_with("handled (no response: acks=0)")),
        "{log}"
    );
    assert_eq!(sb.ok(&["consume", "rides", "--format", "value"]), "one\n");
}

#[test]
fn kcat_sees_runnels_brokers_topics_leaders_and_isrs() {
    let sb = Sandbox::with_brokers(3);
    sb.ok(&["topic", "create", "rides", "-p", "3", "-r", "2"]);
    let served = Served::start(&sb, 3);
    let Some(out) = kcat(&["-b", &served.brokers[1], "-L", "-J"], None) else { return };
    let meta: serde_json::Value = serde_json::from_slice(&out).expect("kcat -J");
    let brokers: Vec<(u64, String)> = meta["brokers"]
        .as_array()
        .expect("brokers")
        .iter()
        .map(|b| (b["id"].as_u64().unwrap_or(99), b["name"].as_str().unwrap_or("").into()))
        .collect();
    let wanted: Vec<(u64, String)> = served.brokers.iter().enumerate().map(|(i, a)| (i as u64, a.clone())).collect();
    assert_eq!(brokers, wanted);
    let described = sb.describe("rides");
    let topic = &meta["topics"].as_array().expect("topics")[0];
    assert_eq!(topic["topic"], "rides");
    for (seen, ours) in
        topic["partitions"].as_array().expect("partitions").iter().zip(described["partitions"].as_array().expect("p"))
    {
        assert_eq!(seen["leader"], ours["leader"], "{seen} vs {ours}");
        let isrs: Vec<u64> = seen["isrs"].as_array().expect("isrs").iter().filter_map(|v| v["id"].as_u64()).collect();
        let ours_isr: Vec<u64> = ours["isr"].as_array().expect("isr").iter().filter_map(|v| v.as_u64()).collect();
        assert_eq!(isrs, ours_isr);
    }
    assert_eq!(served.stop(), Some(0), "SIGTERM ends serve with exit 0");
}

#[test]
fn hostile_frames_cost_their_connection_only() {
    let sb = Sandbox::with_brokers(1);
    let served = Served::start(&sb, 1);
    let addr = served.brokers[0].clone();

    // An unknown API key closes its connection, as on a Kafka broker
    // (whose SocketServer cannot parse such a header); others go on.
    let mut unknown = BytesMut::new();
    unknown.put_i16(999);
    unknown.put_i16(0);
    unknown.put_i32(7);
    unknown.put_i16(-1);
    let mut closed = TcpStream::connect(&addr).expect("connect");
    assert!(exchange(&mut closed, &unknown).is_none(), "an unknown API key closes the connection");
    let mut a = TcpStream::connect(&addr).expect("connect");
    assert!(!api_versions(&mut a, 8).api_keys.is_empty());

    // An ApiVersions version not served: Kafka's v0 answer with the error
    // and the versions served.
    let mut future = BytesMut::new();
    future.put_i16(ApiKey::ApiVersions as i16);
    future.put_i16(99);
    future.put_i32(9);
    future.put_i16(-1);
    future.put_slice(&[0, 1, 2]);
    let reply = exchange(&mut a, &future).expect("answer");
    let mut bytes = bytes::Bytes::from(reply);
    assert_eq!(ResponseHeader::decode(&mut bytes, 0).expect("header").correlation_id, 9);
    let response = ApiVersionsResponse::decode(&mut bytes, 0).expect("v0 response");
    assert_eq!(response.error_code, 35);
    assert!(response.api_keys.iter().any(|k| k.api_key == ApiKey::Metadata as i16));

    // An absurd size, a truncated frame, garbage: those connections close.
    let mut huge = TcpStream::connect(&addr).expect("connect");
    huge.write_all(&i32::MAX.to_be_bytes()).expect("write");
    assert!(read_response(&mut huge).is_none(), "a 2 GiB frame closes the connection");
    let mut cut = TcpStream::connect(&addr).expect("connect");
    cut.write_all(&100i32.to_be_bytes()).expect("write");
    cut.write_all(&[0, 18, 0, 3]).expect("write");
    drop(cut);
    let mut garbage = TcpStream::connect(&addr).expect("connect");
    let reply = exchange(&mut garbage, &[0, 3, 0, 12, 0, 0, 0, 1, 0xff, 0xff, 0xff]);
    assert!(reply.is_none(), "a Metadata body that does not decode closes the connection");

    // The first connection and new ones are still served.
    assert!(!api_versions(&mut a, 10).api_keys.is_empty());
    let mut b = TcpStream::connect(&addr).expect("connect");
    assert!(!api_versions(&mut b, 11).api_keys.is_empty());
    assert_eq!(served.stop(), Some(0));
}

#[test]
fn declared_counts_of_2_pow_31_allocate_nothing() {
    let sb = Sandbox::with_brokers(1);
    let served = Served::start(&sb, 1);
    let addr = served.brokers[0].clone();
    // Metadata v4 (an Int32 array count) and v12 (a compact, varint count),
    // each declaring i32::MAX topics and sending none: the decoder must not
    // size a buffer by the claim (that would abort the process), only close
    // the connection.
    let mut v4 = BytesMut::new();
    v4.put_i16(ApiKey::Metadata as i16);
    v4.put_i16(4);
    v4.put_i32(1);
    v4.put_i16(-1);
    v4.put_i32(i32::MAX);
    let mut v12 = BytesMut::new();
    v12.put_i16(ApiKey::Metadata as i16);
    v12.put_i16(12);
    v12.put_i32(2);
    v12.put_i16(-1);
    v12.put_u8(0); // header tagged fields
    v12.put_slice(&[0xff, 0xff, 0xff, 0xff, 0x07]); // unsigned varint 2^31 - 1
    for claim in [v4, v12] {
        let mut conn = TcpStream::connect(&addr).expect("connect");
        assert!(exchange(&mut conn, &claim).is_none(), "a body that does not decode closes the connection");
    }
    let mut other = TcpStream::connect(&addr).expect("connect");
    assert!(!api_versions(&mut other, 3).api_keys.is_empty(), "the server still answers");
    assert_eq!(served.stop(), Some(0));
}

#[test]
fn binding_beyond_loopback_needs_allow_remote() {
    let sb = Sandbox::new();
    let err = sb.fails(&["serve", "--listen", "0.0.0.0:0"], 2);
    assert!(err.contains("--allow-remote"), "{err}");
    let err = sb.fails(&["serve", "--listen", "nonsense"], 2);
    assert!(err.contains("HOST:PORT"), "{err}");
}

#[test]
fn kcat_and_the_cli_read_each_others_records_byte_exact() {
    let sb = Sandbox::with_brokers(1);
    sb.ok(&["topic", "create", "exact", "-p", "1"]);
    let input = concat!(
        r#"{"key":null,"value":"null key","timestamp":1000,"headers":{"h":"1","e":""}}"#,
        "\n",
        r#"{"key":"","value":"","timestamp":2000}"#,
        "\n",
        r#"{"key":"k","value":null,"timestamp":3000}"#,
        "\n"
    );
    sb.produce("exact", &["--format", "json"], input);
    let served = Served::start(&sb, 1);
    let b = served.bootstrap();
    let Some(seen) = kcat(&["-b", &b, "-C", "-t", "exact", "-e", "-q", "-Z", "-f", "%k|%s|%T|%h\\n"], None) else {
        return;
    };
    assert_eq!(
        String::from_utf8_lossy(&seen),
        "NULL|null key|1000|h=1,e=\nNULL|NULL|2000|\nk|NULL|3000|\n",
        "kcat reads what the CLI wrote: timestamps and headers as they were (kcat -Z prints empty as NULL too; \
         clients::null_and_empty_stay_apart tells them apart)"
    );
    // What kcat writes, the CLI reads: keys, values, headers, the partition kcat chose.
    kcat(&["-b", &b, "-P", "-t", "back", "-K", ":", "-H", "x=1", "-H", "x=2", "-p", "0"], Some(b"a:1\nb:\n:3\n"));
    // Raw lines: a JSON parser would fold the repeated header.
    let back = sb.consume("back", &["--format", "json"]);
    let fields: Vec<&str> = back.lines().map(|l| &l[l.find("\"key\"").unwrap_or(0)..]).collect();
    assert_eq!(
        fields,
        vec![
            r#""key":"a","value":"1","headers":{"x":"1","x":"2"}}"#,
            r#""key":"b","value":"","headers":{"x":"1","x":"2"}}"#,
            r#""key":"","value":"3","headers":{"x":"1","x":"2"}}"#,
        ]
    );
    assert_eq!(served.stop(), Some(0));
}

#[test]
fn every_compression_codec_is_decoded() {
    let sb = Sandbox::with_brokers(1);
    sb.ok(&["topic", "create", "zipped", "-p", "1"]);
    let served = Served::start(&sb, 1);
    let b = served.bootstrap();
    for codec in ["none", "gzip", "snappy", "lz4", "zstd"] {
        let lines: String = (0..50).map(|i| format!("{codec}-{i}-{}\n", "x".repeat(i))).collect();
        if kcat(&["-b", &b, "-P", "-t", "zipped", "-z", codec], Some(lines.as_bytes())).is_none() {
            return;
        }
    }
    let values = sb.consume("zipped", &[]);
    for codec in ["none", "gzip", "snappy", "lz4", "zstd"] {
        let ours: Vec<&str> = values.lines().filter(|l| l.starts_with(&format!("{codec}-"))).collect();
        assert_eq!(ours.len(), 50, "{codec}");
        assert_eq!(ours[49], format!("{codec}-49-{}", "x".repeat(49)));
    }
}

mod clients {
    //! The rdkafka crate (librdkafka) as a client of `runnel serve`.

    use std::time::Duration;

    use rdkafka::config::ClientConfig;
    use rdkafka::consumer::{BaseConsumer, Consumer};
    use rdkafka::message::Message;
    use rdkafka::producer::{BaseRecord, DefaultProducerContext, Producer, ThreadedProducer};
    use rdkafka::{Offset, TopicPartitionList};

    use crate::common::Sandbox;
    use crate::serve_harness::Served;

    fn producer(bootstrap: &str) -> ThreadedProducer<DefaultProducerContext> {
        ClientConfig::new()
            .set("bootstrap.servers", bootstrap)
            .set("enable.idempotence", "true")
            .set("acks", "all")
            .set("partitioner", "murmur2_random")
            .set("linger.ms", "5")
            .set("message.timeout.ms", "60000")
            .set("topic.metadata.refresh.interval.ms", "200")
            .create()
            .expect("producer")
    }

    fn send_all(producer: &ThreadedProducer<DefaultProducerContext>, topic: &str, range: std::ops::Range<u32>) {
        for i in range {
            let key = format!("key-{}", i % 17);
            let value = format!("value-{i}");
            let mut record = BaseRecord::to(topic).key(&key).payload(&value);
            loop {
                match producer.send(record) {
                    Ok(()) => break,
                    Err((_, back)) => {
                        record = back;
                        std::thread::sleep(Duration::from_millis(5));
                    }
                }
            }
        }
    }

    /// A record as a client sees it: partition, key, value.
    type Raw = (i32, Option<Vec<u8>>, Option<Vec<u8>>);

    /// Every record read by assign() from the start of every partition:
    /// partition, key and value (`None`: null).
    fn consume_raw(bootstrap: &str, topic: &str, partitions: i32, expected: usize) -> Vec<Raw> {
        let consumer: BaseConsumer = ClientConfig::new()
            .set("bootstrap.servers", bootstrap)
            .set("group.id", "unused-assign-only")
            .set("enable.auto.commit", "false")
            .create()
            .expect("consumer");
        let mut assignment = TopicPartitionList::new();
        for p in 0..partitions {
            assignment.add_partition_offset(topic, p, Offset::Beginning).expect("assign");
        }
        consumer.assign(&assignment).expect("assign");
        let mut seen = Vec::new();
        let deadline = std::time::Instant::now() + Duration::from_secs(60);
        while seen.len() < expected && std::time::Instant::now() < deadline {
            if let Some(message) = consumer.poll(Duration::from_millis(200)) {
                let message = message.expect("a record");
                seen.push((
                    message.partition(),
                    message.key().map(<[u8]>::to_vec),
                    message.payload().map(<[u8]>::to_vec),
                ));
            }
        }
        seen
    }

    fn consume_all(bootstrap: &str, topic: &str, partitions: i32, expected: usize) -> Vec<(i32, String, String)> {
        let text = |b: Option<Vec<u8>>| String::from_utf8_lossy(&b.unwrap_or_default()).into_owned();
        consume_raw(bootstrap, topic, partitions, expected).into_iter().map(|(p, k, v)| (p, text(k), text(v))).collect()
    }

    #[test]
    fn null_and_empty_stay_apart() {
        let sb = Sandbox::with_brokers(1);
        let input = concat!(
            r#"{"key":null,"value":""}"#,
            "\n",
            r#"{"key":"","value":null}"#,
            "\n",
            r#"{"key":"k","value":"v"}"#,
            "\n"
        );
        sb.ok_with(&["-q", "produce", "nulls", "--create", "--format", "json"], input);
        let served = Served::start(&sb, 1);
        let seen = consume_raw(&served.bootstrap(), "nulls", 1, 3);
        assert_eq!(
            seen,
            vec![
                (0, None, Some(Vec::new())),
                (0, Some(Vec::new()), None),
                (0, Some(b"k".to_vec()), Some(b"v".to_vec())),
            ]
        );
    }

    #[test]
    fn an_idempotent_acks_all_producer_and_an_assigned_consumer() {
        let sb = Sandbox::with_brokers(2);
        sb.ok(&["topic", "create", "orders", "-p", "3", "-r", "2"]);
        let served = Served::start(&sb, 2);
        let producer = producer(&served.bootstrap());
        send_all(&producer, "orders", 0..300);
        producer.flush(Duration::from_secs(30)).expect("flush");
        // The CLI reads all of it once, each key in one partition.
        let records = sb.consume_json("orders", &[]);
        assert_eq!(records.len(), 300);
        let mut by_key = std::collections::BTreeMap::new();
        for r in &records {
            let previous = by_key.insert(r["key"].to_string(), r["partition"].as_u64());
            assert!(previous.is_none() || previous == Some(r["partition"].as_u64()), "a key in two partitions");
        }
        // librdkafka's murmur2 partitions are runnel's: the CLI puts the same keys there.
        let lines: String = (0..17).map(|i| format!("key-{i}:x\n")).collect();
        sb.ok_with(&["-q", "produce", "orders", "-K", ":"], lines);
        for r in sb
            .consume_json("orders", &["--from", "300"])
            .iter()
            .chain(sb.consume_json("orders", &["-p", "0,1,2"]).iter())
        {
            if let Some(p) = by_key.get(&r["key"].to_string()) {
                assert_eq!(*p, r["partition"].as_u64(), "{r}");
            }
        }
        let seen = consume_all(&served.bootstrap(), "orders", 3, 317);
        assert_eq!(seen.len(), 317);
        let mut values: Vec<&str> =
            seen.iter().map(|(_, _, v)| v.as_str()).filter(|v| v.starts_with("value-")).collect();
        values.sort();
        values.dedup();
        assert_eq!(values.len(), 300);
    }

    #[test]
    fn a_leader_move_while_producing_loses_and_repeats_nothing() {
        let sb = Sandbox::with_brokers(3);
        sb.ok(&["topic", "create", "moving", "-p", "2", "-r", "3"]);
        let served = Served::start(&sb, 3);
        let producer = producer(&served.bootstrap());
        send_all(&producer, "moving", 0..500);
        producer.flush(Duration::from_secs(30)).expect("flush");
        let leader = sb.describe("moving")["partitions"][0]["leader"].as_u64().expect("leader");
        sb.ok(&["broker", "fail", &leader.to_string()]);
        send_all(&producer, "moving", 500..1000);
        producer.flush(Duration::from_secs(60)).expect("flush after the leader moved");
        let records = sb.consume_json("moving", &[]);
        let mut values: Vec<String> = records.iter().map(|r| r["value"].to_string()).collect();
        assert_eq!(values.len(), 1000, "nothing lost or repeated");
        values.sort();
        values.dedup();
        assert_eq!(values.len(), 1000, "nothing repeated");
        let seen = consume_all(&served.bootstrap(), "moving", 2, 1000);
        assert_eq!(seen.len(), 1000, "a client reads it all from the new leaders");
    }
}

/// A Produce request (v9, acks all) of one batch from producer 77 with
/// `sequence` as its base sequence, encoded by the Kafka codec.
fn idempotent_produce(topic: &str, sequence: i32, value: &str, correlation_id: i32) -> Vec<u8> {
    let value = bytes::Bytes::from(value.to_string());
    produce_request(topic, sequence, value, kafka_protocol::records::Compression::None, correlation_id)
}

/// The request of [`idempotent_produce`] with any value and compression.
fn produce_request(
    topic: &str,
    sequence: i32,
    value: bytes::Bytes,
    compression: kafka_protocol::records::Compression,
    correlation_id: i32,
) -> Vec<u8> {
    use kafka_protocol::messages::produce_request::{PartitionProduceData, TopicProduceData};
    use kafka_protocol::messages::{ProduceRequest, TopicName};
    use kafka_protocol::records::{Record, RecordBatchEncoder, RecordEncodeOptions, TimestampType};
    let record = Record {
        transactional: false,
        control: false,
        delete_horizon: false,
        partition_leader_epoch: 0,
        producer_id: 77,
        producer_epoch: 0,
        timestamp_type: TimestampType::Creation,
        offset: 0,
        sequence,
        timestamp: 1234,
        key: None,
        value: Some(value),
        headers: Default::default(),
    };
    let mut records = BytesMut::new();
    let options = RecordEncodeOptions { version: 2, compression };
    RecordBatchEncoder::encode(&mut records, [&record], &options).expect("batch");
    let mut partition = PartitionProduceData::default();
    partition.index = 0;
    partition.records = Some(records.freeze());
    let mut data = TopicProduceData::default();
    data.name = TopicName(StrBytes::from_string(topic.to_string()));
    data.partition_data = vec![partition];
    let mut request = ProduceRequest::default();
    request.acks = -1;
    request.timeout_ms = 10_000;
    request.topic_data = vec![data];
    let mut header = RequestHeader::default();
    header.request_api_key = ApiKey::Produce as i16;
    header.request_api_version = 9;
    header.correlation_id = correlation_id;
    let mut out = BytesMut::new();
    header.encode(&mut out, ApiKey::Produce.request_header_version(9)).expect("header");
    request.encode(&mut out, 9).expect("request");
    out.to_vec()
}

/// (error code, base offset) of a one-partition Produce answer.
fn produced(stream: &mut TcpStream, request: &[u8]) -> (i16, i64) {
    use kafka_protocol::messages::ProduceResponse;
    let reply = exchange(stream, request).expect("a Produce answer");
    let mut bytes = bytes::Bytes::from(reply);
    ResponseHeader::decode(&mut bytes, 1).expect("header");
    let response = ProduceResponse::decode(&mut bytes, 9).expect("Produce response");
    let answer = &response.responses[0].partition_responses[0];
    (answer.error_code, answer.base_offset)
}

#[test]
fn a_compressed_bomb_costs_its_partition_an_error_not_the_server() {
    use kafka_protocol::records::Compression;
    let sb = Sandbox::with_brokers(1);
    sb.ok(&["topic", "create", "bomb", "-p", "1"]);
    let served = Served::start(&sb, 1);
    let mut conn = TcpStream::connect(&served.brokers[0]).expect("connect");
    // 65 MiB of zeros, zstd-compressed to a few KiB on the wire: one past
    // the server's 64 MiB bound on a decompressed batch.
    let bomb = bytes::Bytes::from(vec![0u8; 65 * 1024 * 1024]);
    let request = produce_request("bomb", 0, bomb, Compression::Zstd, 1);
    assert!(request.len() < 64 * 1024, "the bomb is small on the wire: {} bytes", request.len());
    assert_eq!(produced(&mut conn, &request).0, 18, "RECORD_LIST_TOO_LARGE");
    let fine = produce_request("bomb", 0, bytes::Bytes::from_static(b"fine"), Compression::Zstd, 2);
    assert_eq!(produced(&mut conn, &fine), (0, 0), "the same connection goes on");
    drop(conn);
    assert_eq!(sb.consume("bomb", &[]), "fine\n");
    assert_eq!(served.stop(), Some(0));
}

#[test]
fn a_retried_batch_is_appended_once_even_across_a_restart() {
    let sb = Sandbox::with_brokers(1);
    sb.ok(&["topic", "create", "once", "-p", "1"]);
    let served = Served::start(&sb, 1);
    let mut conn = TcpStream::connect(&served.brokers[0]).expect("connect");
    assert_eq!(produced(&mut conn, &idempotent_produce("once", 0, "first", 1)), (0, 0));
    assert_eq!(produced(&mut conn, &idempotent_produce("once", 0, "first", 2)), (0, 0), "a retry gets its offset");
    assert_eq!(produced(&mut conn, &idempotent_produce("once", 5, "gap", 3)).0, 45, "OUT_OF_ORDER_SEQUENCE_NUMBER");
    assert_eq!(produced(&mut conn, &idempotent_produce("once", 1, "second", 4)), (0, 1));
    drop(conn);
    assert_eq!(served.stop(), Some(0));

    let served = Served::start(&sb, 1);
    let mut conn = TcpStream::connect(&served.brokers[0]).expect("connect");
    assert_eq!(produced(&mut conn, &idempotent_produce("once", 1, "second", 5)), (0, 1), "still known after a restart");
    assert_eq!(produced(&mut conn, &idempotent_produce("once", 2, "third", 6)), (0, 2));
    assert_eq!(sb.consume("once", &[]), "first\nsecond\nthird\n");
}

#[test]
fn an_admin_client_creates_grows_and_deletes_topics() {
    use rdkafka::admin::{AdminClient, AdminOptions, NewPartitions, NewTopic, TopicReplication};
    use rdkafka::client::DefaultClientContext;
    use rdkafka::config::ClientConfig;
    let sb = Sandbox::with_brokers(2);
    let served = Served::start(&sb, 2);
    let admin: AdminClient<DefaultClientContext> =
        ClientConfig::new().set("bootstrap.servers", served.bootstrap()).create().expect("admin");
    let options = AdminOptions::new().request_timeout(Some(std::time::Duration::from_secs(20)));
    let topic = NewTopic::new("made", 2, TopicReplication::Fixed(2)).set("retention.ms", "60000");
    let created = futures_executor::block_on(admin.create_topics([&topic], &options)).expect("create");
    assert!(created.iter().all(|r| r.is_ok()), "{created:?}");
    let described = sb.describe("made");
    assert_eq!(described["partitions"].as_array().map(Vec::len), Some(2));
    assert_eq!(described["replication_factor"], 2);
    let again = futures_executor::block_on(admin.create_topics([&topic], &options)).expect("create again");
    assert!(matches!(&again[0], Err((_, rdkafka::types::RDKafkaErrorCode::TopicAlreadyExists))), "{again:?}");
    let grown = futures_executor::block_on(admin.create_partitions([&NewPartitions::new("made", 4)], &options));
    assert!(grown.expect("grow").iter().all(|r| r.is_ok()));
    assert_eq!(sb.describe("made")["partitions"].as_array().map(Vec::len), Some(4));
    let configs = futures_executor::block_on(
        admin.describe_configs([&rdkafka::admin::ResourceSpecifier::Topic("made")], &options),
    );
    let configs = configs.expect("describe configs").remove(0).expect("the topic's configs");
    assert_eq!(configs.get("retention.ms").and_then(|c| c.value.clone()).as_deref(), Some("60000"));
    assert_eq!(configs.get("cleanup.policy").and_then(|c| c.value.clone()).as_deref(), Some("delete"));
    sb.ok_with(&["-q", "produce", "made", "-p", "0"], "a\nb\nc\n");
    let mut trim = rdkafka::TopicPartitionList::new();
    trim.add_partition_offset("made", 0, rdkafka::Offset::Offset(2)).expect("offset");
    let trimmed = futures_executor::block_on(admin.delete_records(&trim, &options)).expect("delete records");
    assert_eq!(trimmed.find_partition("made", 0).map(|p| p.offset()), Some(rdkafka::Offset::Offset(2)));
    assert_eq!(sb.consume("made", &["-p", "0"]), "c\n");
    // A group's committed offsets of the topic go with it, as in Kafka:
    // a topic made again under the name is read from its start.
    assert_eq!(sb.consume("made", &["--group", "g"]), "c\n");
    let deleted = futures_executor::block_on(admin.delete_topics(&["made"], &options)).expect("delete");
    assert!(deleted.iter().all(|r| r.is_ok()), "{deleted:?}");
    sb.fails(&["topic", "describe", "made"], 66);
    sb.fails(&["group", "describe", "g"], 66);
    let made_again = NewTopic::new("made", 1, TopicReplication::Fixed(1));
    let created = futures_executor::block_on(admin.create_topics([&made_again], &options)).expect("create again");
    assert!(created.iter().all(|r| r.is_ok()), "{created:?}");
    sb.ok_with(&["-q", "produce", "made"], "1\n2\n3\n4\n");
    assert_eq!(sb.consume("made", &["--group", "g"]), "1\n2\n3\n4\n");
}

/// Apache Kafka's Java client (`kafka-clients`, from Maven Central through
/// `scripts/kafka-cluster.sh classpath`): `tests/java/ServeClient.java`
/// produces idempotently with acks=all and reads back with assign().
#[test]
fn the_java_client_produces_idempotently_and_reads_with_assign() {
    if crate::kafka_cluster::bootstrap_allowed().is_none() {
        return;
    }
    let classpath = crate::kafka_cluster::classpath();
    let sb = Sandbox::with_brokers(2);
    sb.ok(&["topic", "create", "java", "-p", "3", "-r", "2"]);
    let served = Served::start(&sb, 2);
    let classes = sb.root().join("classes");
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/java/ServeClient.java");
    let javac = Command::new("javac")
        .args(["-d", &classes.to_string_lossy(), "-cp", &classpath, &source.to_string_lossy()])
        .output()
        .expect("javac");
    assert!(javac.status.success(), "javac: {}", String::from_utf8_lossy(&javac.stderr));
    let run = Command::new("java")
        .args(["-cp", &format!("{}:{classpath}", classes.display()), "ServeClient", &served.bootstrap(), "java", "100"])
        .output()
        .expect("java");
    assert!(run.status.success(), "java: {}", String::from_utf8_lossy(&run.stderr));
    let read = String::from_utf8_lossy(&run.stdout);
    let lines: Vec<&str> = read.lines().collect();
    assert_eq!(lines.len(), 100, "the Java consumer reads each record once: {read}");
    // The CLI reads the same records, each key where Java's murmur2 put it,
    // which is where runnel's partitioner puts it too.
    let records = sb.consume_json("java", &[]);
    assert_eq!(records.len(), 100);
    let mut java_partition = std::collections::BTreeMap::new();
    for line in &lines {
        let mut parts = line.split(' ');
        let (p, k) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        java_partition.insert(k.to_string(), p.to_string());
    }
    let keys: String = (0..7).map(|i| format!("key-{i}:cli\n")).collect();
    sb.ok_with(&["-q", "produce", "java", "-K", ":"], keys);
    for r in sb.consume_json("java", &[]).iter().filter(|r| r["value"] == "cli") {
        let key = r["key"].as_str().unwrap_or("");
        assert_eq!(java_partition.get(key).map(String::as_str), Some(r["partition"].to_string().as_str()), "{key}");
    }
}

/// A topic of `message.timestamp.type=LogAppendTime`: the produce answer
/// gives the time serve stamped on the batch, as Kafka's does, so a
/// producer's delivery report carries it (librdkafka: a LogAppendTime
/// timestamp), the same a consumer reads.
#[test]
fn a_log_append_time_topics_produce_answer_gives_the_time_stamped() {
    use rdkafka::Timestamp;
    use rdkafka::config::ClientConfig;
    use rdkafka::producer::{FutureProducer, FutureRecord};
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "lat", "--config", "message.timestamp.type=LogAppendTime"]);
    let served = Served::start(&sb, 1);
    let producer: FutureProducer =
        ClientConfig::new().set("bootstrap.servers", served.bootstrap()).create().expect("producer");
    let now = || std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_millis() as i64;
    let before = now();
    let record = FutureRecord::to("lat").key("k").payload("v").timestamp(1000);
    let delivered = futures_executor::block_on(producer.send_result(record).expect("queued")).expect("answered");
    let delivery = delivered.map_err(|(e, _)| e).expect("delivered");
    let Timestamp::LogAppendTime(stamped) = delivery.timestamp else { panic!("{:?}", delivery.timestamp) };
    assert!((before..=now()).contains(&stamped), "{stamped} not within the produce");
    let read = sb.consume("lat", &["--format", "%T\n"]);
    assert_eq!(read.trim(), stamped.to_string());
}

/// A CreateTime record stamped more than `message.timestamp.after.max.ms`
/// (an hour, Kafka 4's default) after the broker's time is refused with
/// INVALID_TIMESTAMP, as a Kafka broker refuses it; one within it goes.
/// A record without a key to a compacted topic is INVALID_RECORD.
#[test]
fn records_a_kafka_broker_refuses_are_refused_with_its_errors() {
    use rdkafka::config::ClientConfig;
    use rdkafka::error::{KafkaError, RDKafkaErrorCode};
    use rdkafka::producer::{FutureProducer, FutureRecord};
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "ts"]);
    let served = Served::start(&sb, 1);
    let producer: FutureProducer = ClientConfig::new()
        .set("bootstrap.servers", served.bootstrap())
        .set("message.send.max.retries", "0")
        .create()
        .expect("producer");
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("clock").as_millis() as i64;
    let send = |timestamp: i64| {
        let record = FutureRecord::to("ts").key("k").payload("v").timestamp(timestamp);
        futures_executor::block_on(producer.send_result(record).expect("queued")).expect("answered").map_err(|(e, _)| e)
    };
    let refused = send(now + 2 * 3_600_000).expect_err("two hours ahead");
    assert!(matches!(refused, KafkaError::MessageProduction(RDKafkaErrorCode::InvalidTimestamp)), "{refused:?}");
    send(now + 60_000).expect("a minute ahead goes");
    assert_eq!(sb.consume("ts", &[]), "v\n");

    sb.ok(&["topic", "create", "compacted", "--config", "cleanup.policy=compact"]);
    let keyless = FutureRecord::<(), _>::to("compacted").payload("v");
    let refused = futures_executor::block_on(producer.send_result(keyless).expect("queued")).expect("answered");
    let refused = refused.map(drop).map_err(|(e, _)| e).expect_err("a compacted topic takes no keyless record");
    assert!(matches!(refused, KafkaError::MessageProduction(RDKafkaErrorCode::InvalidRecord)), "{refused:?}");
    assert_eq!(sb.describe("compacted")["partitions"][0]["high_watermark"], 0);
}

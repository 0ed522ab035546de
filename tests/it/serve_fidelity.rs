//! `runnel serve` answering as a Kafka broker answers the requests where
//! the answer is a rule rather than data: a Fetch's byte limits and
//! repeated partitions, the error codes of CreateTopics, DeleteTopics,
//! CreatePartitions and DeleteRecords refusals, a Produce that is not one
//! RecordBatch, a failed acks=0 Produce closing its connection, and a
//! Fetch in offsets a leader lost at its log's front.
//! Expected values are Kafka's (KafkaApis, ControllerApis,
//! ReplicaManager, ProduceRequest.validateRecords).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use kafka_protocol::messages::create_partitions_request::CreatePartitionsTopic;
use kafka_protocol::messages::create_topics_request::{CreatableTopic, CreatableTopicConfig};
use kafka_protocol::messages::delete_records_request::{DeleteRecordsPartition, DeleteRecordsTopic};
use kafka_protocol::messages::delete_topics_request::DeleteTopicState;
use kafka_protocol::messages::fetch_request::{FetchPartition, FetchTopic};
use kafka_protocol::messages::produce_request::{PartitionProduceData, TopicProduceData};
use kafka_protocol::messages::{
    ApiKey, ApiVersionsRequest, CreatePartitionsRequest, CreatePartitionsResponse, CreateTopicsRequest,
    CreateTopicsResponse, DeleteRecordsRequest, DeleteRecordsResponse, DeleteTopicsRequest, DeleteTopicsResponse,
    FetchRequest, FetchResponse, ProduceRequest, ProduceResponse, RequestHeader, ResponseHeader, TopicName,
};
use kafka_protocol::protocol::{Decodable, Encodable, StrBytes};
use kafka_protocol::records::{Compression, Record, RecordBatchEncoder, RecordEncodeOptions, TimestampType};

use crate::common::Sandbox;
use crate::serve_harness::Served;

const INVALID_TOPIC_EXCEPTION: i16 = 17;
const INVALID_PARTITIONS: i16 = 37;
const INVALID_REPLICATION_FACTOR: i16 = 38;
const INVALID_CONFIG: i16 = 40;
const INVALID_REQUEST: i16 = 42;
const INVALID_RECORD: i16 = 87;
const OFFSET_OUT_OF_RANGE: i16 = 1;
const FETCH_SESSION_ID_NOT_FOUND: i16 = 70;
const KAFKA_STORAGE_ERROR: i16 = 56;

pub(crate) fn connect(served: &Served) -> TcpStream {
    let stream = TcpStream::connect(&served.brokers[0]).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(30))).expect("timeout");
    stream
}

/// Sends `request` as `key` at `version`, as one frame; `None` if the
/// connection is closed.
fn send<R: Encodable>(stream: &mut TcpStream, key: ApiKey, version: i16, request: &R) -> Option<()> {
    let mut header = RequestHeader::default();
    header.request_api_key = key as i16;
    header.request_api_version = version;
    header.correlation_id = 7;
    header.client_id = Some(StrBytes::from_static_str("fidelity"));
    let mut body = BytesMut::new();
    header.encode(&mut body, key.request_header_version(version)).expect("header");
    request.encode(&mut body, version).expect("request");
    let mut frame = (body.len() as i32).to_be_bytes().to_vec();
    frame.extend_from_slice(&body);
    stream.write_all(&frame).ok()
}

/// Sends `request` as `key` at `version`; the raw frame back, or `None`
/// when the server closed the connection instead.
fn exchange<R: Encodable>(stream: &mut TcpStream, key: ApiKey, version: i16, request: &R) -> Option<Bytes> {
    send(stream, key, version, request)?;
    let mut size = [0u8; 4];
    stream.read_exact(&mut size).ok()?;
    let mut reply = vec![0u8; i32::from_be_bytes(size) as usize];
    stream.read_exact(&mut reply).ok()?;
    let mut reply = Bytes::from(reply);
    ResponseHeader::decode(&mut reply, key.response_header_version(version)).expect("response header");
    Some(reply)
}

/// `request` answered, decoded as `A`.
pub(crate) fn call<R: Encodable, A: Decodable>(stream: &mut TcpStream, key: ApiKey, version: i16, request: &R) -> A {
    let mut reply = exchange(stream, key, version, request).expect("an answer");
    A::decode(&mut reply, version).expect("response")
}

fn name(text: &str) -> TopicName {
    TopicName(StrBytes::from_string(text.to_string()))
}

fn fetch_of(topic: &str, listings: usize, max_bytes: i32) -> FetchRequest {
    let mut partition = FetchPartition::default();
    partition.partition = 0;
    partition.fetch_offset = 0;
    partition.partition_max_bytes = 8 << 20;
    let mut fetched = FetchTopic::default();
    fetched.topic = name(topic);
    fetched.partitions = vec![partition; listings];
    let mut request = FetchRequest::default();
    request.replica_id = kafka_protocol::messages::BrokerId(-1);
    request.max_wait_ms = 0;
    request.min_bytes = 1;
    request.max_bytes = max_bytes;
    request.session_epoch = -1;
    request.topics = vec![fetched];
    request
}

/// The batches in a Fetch answer's records: each starts with its base
/// offset (8 bytes) and length (4).
fn batch_count(records: &[u8]) -> usize {
    let (mut at, mut count) = (0, 0);
    while at + 12 <= records.len() {
        let len = i32::from_be_bytes([records[at + 8], records[at + 9], records[at + 10], records[at + 11]]);
        at += 12 + len as usize;
        count += 1;
    }
    count
}

#[test]
fn a_fetch_reads_a_repeated_partition_once_and_max_bytes_zero_is_one_batch() {
    let sb = Sandbox::with_brokers(1);
    sb.ok(&["topic", "create", "big", "-p", "1"]);
    let value = "z".repeat(300_000);
    for _ in 0..4 {
        sb.produce("big", &[], format!("{value}\n"));
    }
    let served = Served::start(&sb, 1);
    let mut conn = connect(&served);
    for (max_bytes, batches) in [(0, 1), (i32::MAX, 4), (-5, 1)] {
        let response: FetchResponse = call(&mut conn, ApiKey::Fetch, 4, &fetch_of("big", 50, max_bytes));
        assert_eq!(response.responses.len(), 1, "max_bytes {max_bytes}");
        let partitions = &response.responses[0].partitions;
        assert_eq!(partitions.len(), 1, "a partition listed 50 times is answered once (max_bytes {max_bytes})");
        let records = partitions[0].records.as_ref().expect("records");
        assert_eq!(batch_count(records), batches, "max_bytes {max_bytes}");
    }
    // At the log's end, min_bytes 0 is answered at once, as Kafka answers
    // it: not after the long poll's max_wait.
    let mut at_end = fetch_of("big", 1, i32::MAX);
    at_end.topics[0].partitions[0].fetch_offset = 4;
    at_end.max_wait_ms = 30_000;
    at_end.min_bytes = 0;
    let asked = std::time::Instant::now();
    let response: FetchResponse = call(&mut conn, ApiKey::Fetch, 7, &at_end);
    assert!(asked.elapsed() < Duration::from_secs(15), "min_bytes 0 waited {:?}", asked.elapsed());
    assert_eq!(response.responses[0].partitions[0].high_watermark, 4);
    // Out of range either way: no offsets answered (-1), as Kafka's
    // `createLogReadResult`.
    for offset in [-1, 5] {
        let mut outside = fetch_of("big", 1, i32::MAX);
        outside.topics[0].partitions[0].fetch_offset = offset;
        let response: FetchResponse = call(&mut conn, ApiKey::Fetch, 7, &outside);
        let p = &response.responses[0].partitions[0];
        let answer = (p.error_code, p.high_watermark, p.last_stable_offset, p.log_start_offset);
        assert_eq!(answer, (OFFSET_OUT_OF_RANGE, -1, -1, -1), "offset {offset}");
    }
    let mut incremental = fetch_of("big", 1, i32::MAX);
    incremental.session_id = 5;
    incremental.session_epoch = 1;
    let response: FetchResponse = call(&mut conn, ApiKey::Fetch, 7, &incremental);
    assert_eq!(response.error_code, FETCH_SESSION_ID_NOT_FOUND);
    assert!(response.responses.is_empty());
}

/// A Fetch at offsets the leader lost from its log's front, which an
/// in-sync replica still holds, is a storage error (the log is damaged, as
/// Kafka answers for an offline log dir), not OFFSET_OUT_OF_RANGE: a client
/// would reset past them and never see them.
#[test]
fn a_fetch_in_offsets_the_leader_lost_at_its_front_is_a_storage_error_not_out_of_range() {
    let sb = Sandbox::with_brokers(3);
    sb.ok(&["topic", "create", "t", "-r", "3", "--config", "segment.bytes=1024"]);
    for run in 0..6 {
        sb.produce("t", &["--acks", "all"], format!("{run}-{}\n", "x".repeat(200)).repeat(4));
    }
    let leader = sb.describe("t")["partitions"][0]["leader"].as_u64().expect("leader") as usize;
    let logs = sb.segment_logs(leader as u32, "t", 0);
    assert!(logs.len() > 2, "{logs:?}");
    std::fs::remove_file(&logs[0]).expect("delete the first segment");
    let served = Served::start(&sb, 3);
    let mut conn = TcpStream::connect(&served.brokers[leader]).expect("connect the leader");
    conn.set_read_timeout(Some(Duration::from_secs(30))).expect("timeout");
    let response: FetchResponse = call(&mut conn, ApiKey::Fetch, 11, &fetch_of("t", 1, i32::MAX));
    assert_eq!(response.responses[0].partitions[0].error_code, KAFKA_STORAGE_ERROR);
    let mut later = fetch_of("t", 1, i32::MAX);
    later.topics[0].partitions[0].fetch_offset = 20;
    let response: FetchResponse = call(&mut conn, ApiKey::Fetch, 11, &later);
    assert_eq!(response.responses[0].partitions[0].error_code, 0, "offsets the leader holds are read");
    sb.ok(&["log", "verify", "--repair"]);
    let response: FetchResponse = call(&mut conn, ApiKey::Fetch, 11, &fetch_of("t", 1, i32::MAX));
    assert_eq!(response.responses[0].partitions[0].error_code, 0, "repaired");
}

/// ListOffsets' special timestamps as a broker without tiered storage
/// answers them (UnifiedLog.fetchOffsetByTimestamp): EARLIEST_LOCAL (-4)
/// is the log start, LATEST_TIERED (-5) is offset -1 with epoch -1.
#[test]
fn list_offsets_answers_the_tiered_storage_timestamps_as_kafka_without_it() {
    use kafka_protocol::messages::list_offsets_request::{ListOffsetsPartition, ListOffsetsTopic};
    use kafka_protocol::messages::{ListOffsetsRequest, ListOffsetsResponse};
    let sb = Sandbox::with_brokers(1);
    sb.produce("t", &["--create"], "a\nb\nc\n");
    sb.ok(&["topic", "trim", "t", "--before", "1"]);
    let served = Served::start(&sb, 1);
    let mut conn = connect(&served);
    // A time after every record: offset and epoch -1, as Kafka answers.
    let far = 32_503_680_000_000;
    for (timestamp, offset, epoch) in [(-1, 3, 0), (-2, 1, 0), (-4, 1, 0), (-5, -1, -1), (0, 1, 0), (far, -1, -1)] {
        let mut partition = ListOffsetsPartition::default();
        partition.partition_index = 0;
        partition.current_leader_epoch = -1;
        partition.timestamp = timestamp;
        let mut topic = ListOffsetsTopic::default();
        topic.name = name("t");
        topic.partitions = vec![partition];
        let mut request = ListOffsetsRequest::default();
        request.replica_id = kafka_protocol::messages::BrokerId(-1);
        request.topics = vec![topic];
        let response: ListOffsetsResponse = call(&mut conn, ApiKey::ListOffsets, 9, &request);
        let answer = &response.topics[0].partitions[0];
        assert_eq!(
            (answer.error_code, answer.offset, answer.leader_epoch),
            (0, offset, epoch),
            "timestamp {timestamp}"
        );
    }
}

fn creatable(topic: &str, partitions: i32, replication_factor: i16, configs: &[(&str, &str)]) -> CreatableTopic {
    let mut t = CreatableTopic::default();
    t.name = name(topic);
    t.num_partitions = partitions;
    t.replication_factor = replication_factor;
    t.configs = configs
        .iter()
        .map(|(k, v)| {
            let mut c = CreatableTopicConfig::default();
            c.name = StrBytes::from_string(k.to_string());
            c.value = Some(StrBytes::from_string(v.to_string()));
            c
        })
        .collect();
    t
}

fn create_topics(conn: &mut TcpStream, topics: Vec<CreatableTopic>, validate_only: bool) -> Vec<(String, i16)> {
    let mut request = CreateTopicsRequest::default();
    request.topics = topics;
    request.timeout_ms = 10_000;
    request.validate_only = validate_only;
    let response: CreateTopicsResponse = call(conn, ApiKey::CreateTopics, 7, &request);
    response.topics.iter().map(|t| (t.name.0.to_string(), t.error_code)).collect()
}

#[test]
fn create_topics_refusals_carry_kafkas_codes_and_a_name_given_twice_is_not_created() {
    let sb = Sandbox::with_brokers(1);
    sb.ok(&["topic", "create", "a_1", "-p", "1"]);
    let served = Served::start(&sb, 1);
    let mut conn = connect(&served);
    for validate_only in [true, false] {
        let answers = create_topics(
            &mut conn,
            vec![
                creatable("bad name", 1, 1, &[]),
                creatable("zero", 0, 1, &[]),
                creatable("negative", -2, 1, &[]),
                creatable("norf", 1, 0, &[]),
                creatable("badconfig", 1, 1, &[("retention.ms", "abc")]),
                creatable("a.1", 1, 1, &[]),
            ],
            validate_only,
        );
        let codes: Vec<i16> = answers.iter().map(|(_, code)| *code).collect();
        assert_eq!(
            codes,
            [
                INVALID_TOPIC_EXCEPTION,
                INVALID_PARTITIONS,
                INVALID_PARTITIONS,
                INVALID_REPLICATION_FACTOR,
                INVALID_CONFIG,
                INVALID_TOPIC_EXCEPTION
            ],
            "validate_only {validate_only}: {answers:?}"
        );
    }
    let answers = create_topics(
        &mut conn,
        vec![creatable("twice", 1, 1, &[]), creatable("once", 1, 1, &[]), creatable("twice", 2, 1, &[])],
        false,
    );
    assert_eq!(answers, [("once".to_string(), 0), ("twice".to_string(), INVALID_REQUEST)]);
    let listed = sb.ok(&["topic", "list"]);
    assert!(listed.contains("once") && !listed.contains("twice"), "{listed}");
}

#[test]
fn delete_topics_refuses_a_name_with_an_id_and_names_given_twice() {
    let sb = Sandbox::with_brokers(1);
    for topic in ["victim", "dup", "gone"] {
        sb.ok(&["topic", "create", topic, "-p", "1"]);
    }
    let served = Served::start(&sb, 1);
    let mut conn = connect(&served);
    let state = |topic: Option<&str>, id: uuid::Uuid| {
        let mut s = DeleteTopicState::default();
        s.name = topic.map(name);
        s.topic_id = id;
        s
    };
    let mut request = DeleteTopicsRequest::default();
    request.timeout_ms = 10_000;
    request.topics = vec![
        state(Some("victim"), uuid::Uuid::from_u128(0x1234)),
        state(Some("dup"), uuid::Uuid::nil()),
        state(Some("gone"), uuid::Uuid::nil()),
        state(Some("dup"), uuid::Uuid::nil()),
    ];
    let response: DeleteTopicsResponse = call(&mut conn, ApiKey::DeleteTopics, 6, &request);
    let answers: Vec<(String, i16)> = response
        .responses
        .iter()
        .map(|r| (r.name.as_ref().map(|n| n.0.to_string()).unwrap_or_default(), r.error_code))
        .collect();
    assert_eq!(
        answers,
        [("victim".to_string(), INVALID_REQUEST), ("gone".to_string(), 0), ("dup".to_string(), INVALID_REQUEST)]
    );
    let listed = sb.ok(&["topic", "list"]);
    assert!(listed.contains("victim") && listed.contains("dup") && !listed.contains("gone"), "{listed}");

    let mut grow = CreatePartitionsRequest::default();
    grow.timeout_ms = 10_000;
    grow.topics = [2, 3]
        .into_iter()
        .map(|count| {
            let mut t = CreatePartitionsTopic::default();
            t.name = name("dup");
            t.count = count;
            t
        })
        .collect();
    let response: CreatePartitionsResponse = call(&mut conn, ApiKey::CreatePartitions, 3, &grow);
    let codes: Vec<i16> = response.results.iter().map(|r| r.error_code).collect();
    assert_eq!(codes, [INVALID_REQUEST, INVALID_REQUEST]);
    assert_eq!(sb.describe("dup")["partitions"].as_array().map(Vec::len), Some(1), "{:?}", sb.describe("dup"));
}

fn batch(value: &str) -> Bytes {
    let record = Record {
        transactional: false,
        control: false,
        delete_horizon: false,
        partition_leader_epoch: 0,
        producer_id: -1,
        producer_epoch: -1,
        timestamp_type: TimestampType::Creation,
        offset: 0,
        sequence: -1,
        timestamp: 1234,
        key: None,
        value: Some(Bytes::from(value.to_string())),
        headers: Default::default(),
    };
    let mut records = BytesMut::new();
    let options = RecordEncodeOptions { version: 2, compression: Compression::None };
    RecordBatchEncoder::encode(&mut records, [&record], &options).expect("batch");
    records.freeze()
}

fn produce_of(topic: &str, records: Bytes, acks: i16) -> ProduceRequest {
    let mut partition = PartitionProduceData::default();
    partition.index = 0;
    partition.records = Some(records);
    let mut data = TopicProduceData::default();
    data.name = name(topic);
    data.partition_data = vec![partition];
    let mut request = ProduceRequest::default();
    request.acks = acks;
    request.timeout_ms = 10_000;
    request.topic_data = vec![data];
    request
}

#[test]
fn a_produce_is_one_record_batch_and_a_failed_acks_0_produce_closes_the_connection() {
    let sb = Sandbox::with_brokers(1);
    sb.ok(&["topic", "create", "t", "-p", "1"]);
    sb.produce("t", &[], "a\nb\n");
    sb.ok(&["-q", "topic", "trim", "t", "--before", "1"]);
    let served = Served::start_logged(&sb, 1);
    let mut conn = connect(&served);
    let two = [batch("x"), batch("y")].concat();
    for records in [Bytes::new(), Bytes::from(two)] {
        let response: ProduceResponse = call(&mut conn, ApiKey::Produce, 9, &produce_of("t", records, -1));
        assert_eq!(response.responses[0].partition_responses[0].error_code, INVALID_RECORD);
    }
    let response: ProduceResponse = call(&mut conn, ApiKey::Produce, 9, &produce_of("t", batch("c"), -1));
    let answer = &response.responses[0].partition_responses[0];
    assert_eq!((answer.error_code, answer.base_offset, answer.log_start_offset), (0, 2, 1));

    // acks=0 gets no answer; when it fails, Kafka closes the connection.
    let mut quiet = connect(&served);
    send(&mut quiet, ApiKey::Produce, 9, &produce_of("t", batch("d"), 0)).expect("send");
    assert!(exchange(&mut quiet, ApiKey::ApiVersions, 3, &ApiVersionsRequest::default()).is_some(), "still open");
    send(&mut quiet, ApiKey::Produce, 9, &produce_of("no-such-topic", batch("e"), 0)).expect("send");
    // Closed by the server (end of stream or reset), not merely silent: a
    // hung connection would time out instead.
    let mut byte = [0u8; 1];
    match quiet.read(&mut byte) {
        Ok(0) => {}
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {}
        other => panic!("the connection should be closed, got {other:?}"),
    }
    assert!(served.stderr().contains("a produce with acks=0 failed"), "{}", served.stderr());
}

/// `batch(value)` changed by `tweak` (byte offsets of Kafka's batch
/// header), its CRC made right again unless `keep_crc`.
fn tweaked(value: &str, keep_crc: bool, tweak: impl FnOnce(&mut Vec<u8>)) -> Bytes {
    let mut raw = batch(value).to_vec();
    tweak(&mut raw);
    if !keep_crc {
        let crc = crc32c::crc32c(&raw[21..]);
        raw[17..21].copy_from_slice(&crc.to_be_bytes());
    }
    Bytes::from(raw)
}

/// Kafka's `UnifiedLog.analyzeAndValidateRecords` and `LogValidator` on
/// a client's batch: each refusal with Kafka's code, record-level ones
/// naming the record (`record_errors`) and worded as Kafka words them;
/// nothing refused is appended, and a batch cut short after a whole one
/// is not a batch.
#[test]
fn a_produced_batch_is_judged_as_a_kafka_broker_judges_it() {
    const CORRUPT_MESSAGE: i16 = 2;
    const INVALID_TIMESTAMP: i16 = 32;
    let sb = Sandbox::with_brokers(1);
    sb.ok(&["topic", "create", "t", "-p", "1"]);
    sb.ok(&["topic", "create", "c", "-p", "1", "--config", "cleanup.policy=compact"]);
    sb.ok(&["topic", "create", "la", "-p", "1", "--config", "message.timestamp.type=LogAppendTime"]);
    sb.ok(&["topic", "create", "__consumer_offsets", "-p", "1"]);
    let served = Served::start(&sb, 1);
    let mut conn = connect(&served);
    let mut produce = |topic: &str, records: Bytes| {
        let response: ProduceResponse = call(&mut conn, ApiKey::Produce, 9, &produce_of(topic, records, -1));
        response.responses[0].partition_responses[0].clone()
    };
    let cases: Vec<(&str, Bytes, i16)> = vec![
        ("base offset 3", tweaked("x", false, |r| r[..8].copy_from_slice(&3i64.to_be_bytes())), INVALID_RECORD),
        ("a torn CRC", tweaked("x", true, |r| r[64] ^= 1), CORRUPT_MESSAGE),
        (
            "a count of 2 for one record",
            tweaked("x", false, |r| r[57..61].copy_from_slice(&2i32.to_be_bytes())),
            INVALID_RECORD,
        ),
        ("a control batch", tweaked("x", false, |r| r[22] |= 0x20), INVALID_RECORD),
        ("a record longer than the batch", tweaked("x", false, |r| r[61] = 0x7e), INVALID_RECORD),
        (
            "a producer id without a sequence",
            tweaked("x", false, |r| r[43..51].copy_from_slice(&9i64.to_be_bytes())),
            INVALID_RECORD,
        ),
    ];
    for (what, records, code) in cases {
        assert_eq!(produce("t", records).error_code, code, "{what}");
    }
    // Two records, a truncated batch after them: Kafka reads one batch.
    let mut cut = batch("ok").to_vec();
    cut.extend_from_slice(&batch("lost")[..30]);
    let answer = produce("t", Bytes::from(cut));
    assert_eq!((answer.error_code, answer.base_offset), (0, 0));

    // A record without a key on a compacted topic: named by its index.
    let answer = produce("c", batch("v"));
    assert_eq!(answer.error_code, INVALID_RECORD);
    let why = "Compacted topic cannot accept message without key in topic partition c-0";
    let named: Vec<(i32, Option<String>)> = answer
        .record_errors
        .iter()
        .map(|e| (e.batch_index, e.batch_index_error_message.as_ref().map(|m| m.to_string())))
        .collect();
    assert_eq!(named, vec![(0, Some(why.to_string()))]);
    let message = answer.error_message.as_ref().map(|m| m.to_string()).unwrap_or_default();
    assert!(message.starts_with("One or more records have been rejected due to 1 record errors"), "{message}");

    // Only a broker stamps LogAppendTime.
    let stamped = tweaked("x", false, |r| r[22] |= 0x08);
    assert_eq!(produce("la", stamped).error_code, INVALID_TIMESTAMP);

    // Only Kafka appends to its internal topics.
    assert_eq!(produce("__consumer_offsets", batch("x")).error_code, INVALID_TOPIC_EXCEPTION);

    let ends: Vec<i64> = ["t", "c", "la"]
        .iter()
        .map(|t| sb.describe(t)["partitions"][0]["high_watermark"].as_i64().expect("high watermark"))
        .collect();
    assert_eq!(ends, [1, 0, 0], "only the good batch was appended");
}

/// ListGroups and DescribeGroups as Kafka's group coordinator answers
/// them: a group that only ever held offsets is a simple classic group
/// (protocol type ""), one a consumer joined keeps "consumer" once empty,
/// a share group is listed as a share group and is not a classic group to
/// DescribeGroups, and outside Stable no protocol is given.
#[test]
fn groups_are_listed_and_described_with_kafkas_types() {
    use kafka_protocol::messages::{
        DescribeGroupsRequest, DescribeGroupsResponse, GroupId, ListGroupsRequest, ListGroupsResponse,
    };
    const GROUP_ID_NOT_FOUND: i16 = 69;
    let sb = Sandbox::with_brokers(1);
    sb.ok(&["topic", "create", "t", "-p", "1"]);
    sb.produce("t", &[], "a\nb\n");
    sb.ok(&["-q", "consume", "t", "--group", "joined", "--max-messages", "1"]);
    sb.ok(&["-q", "group", "reset-offsets", "simple", "--topic", "t", "--to-offset", "1", "--execute"]);
    sb.ok(&["-q", "consume", "t", "--share", "sh", "--max-messages", "1"]);
    let served = Served::start(&sb, 1);
    let mut conn = connect(&served);
    let mut list = |types: &[&str]| {
        let mut request = ListGroupsRequest::default();
        request.types_filter = types.iter().map(|t| StrBytes::from_string(t.to_string())).collect();
        let response: ListGroupsResponse = call(&mut conn, ApiKey::ListGroups, 5, &request);
        let mut groups: Vec<(String, String, String, String)> = response
            .groups
            .iter()
            .map(|g| {
                (
                    g.group_id.0.to_string(),
                    g.group_type.to_string(),
                    g.protocol_type.to_string(),
                    g.group_state.to_string(),
                )
            })
            .collect();
        groups.sort();
        groups
    };
    let group = |id: &str, kind: &str, protocol: &str| {
        (id.to_string(), kind.to_string(), protocol.to_string(), "Empty".to_string())
    };
    assert_eq!(
        list(&[]),
        vec![group("joined", "classic", "consumer"), group("sh", "share", "share"), group("simple", "classic", "")]
    );
    assert_eq!(list(&["Classic"]), vec![group("joined", "classic", "consumer"), group("simple", "classic", "")]);
    assert_eq!(list(&["share"]), vec![group("sh", "share", "share")]);
    assert_eq!(list(&["consumer"]), vec![]);

    let mut request = DescribeGroupsRequest::default();
    request.groups =
        ["joined", "simple", "sh", "none"].iter().map(|g| GroupId(StrBytes::from_string(g.to_string()))).collect();
    request.include_authorized_operations = true;
    let response: DescribeGroupsResponse = call(&mut conn, ApiKey::DescribeGroups, 6, &request);
    let operations: Vec<i32> = response.groups.iter().map(|g| g.authorized_operations).collect();
    assert_eq!(operations, [3400, 3400, i32::MIN, i32::MIN], "a group's operations, for the groups found");
    let described: Vec<(String, i16, String, String, String)> = response
        .groups
        .iter()
        .map(|g| {
            let message = g.error_message.as_ref().map(|m| m.to_string()).unwrap_or_default();
            (g.group_state.to_string(), g.error_code, g.protocol_type.to_string(), g.protocol_data.to_string(), message)
        })
        .collect();
    let row = |state: &str, code: i16, protocol: &str, message: &str| {
        (state.to_string(), code, protocol.to_string(), String::new(), message.to_string())
    };
    assert_eq!(
        described,
        vec![
            row("Empty", 0, "consumer", ""),
            row("Empty", 0, "", ""),
            row("Dead", GROUP_ID_NOT_FOUND, "", "Group sh is not a classic group."),
            row("Dead", GROUP_ID_NOT_FOUND, "", "Group none not found."),
        ]
    );
}

/// DescribeProducers per partition: none yet on a new partition, and
/// UNKNOWN_TOPIC_OR_PARTITION for a partition or topic that does not exist.
#[test]
fn describe_producers_answers_each_partition_with_kafkas_codes() {
    use kafka_protocol::messages::describe_producers_request::TopicRequest;
    use kafka_protocol::messages::{DescribeProducersRequest, DescribeProducersResponse};
    const UNKNOWN_TOPIC_OR_PARTITION: i16 = 3;
    let sb = Sandbox::with_brokers(1);
    sb.ok(&["topic", "create", "t", "-p", "1"]);
    let served = Served::start(&sb, 1);
    let mut conn = connect(&served);
    let mut request = DescribeProducersRequest::default();
    for (topic, partitions) in [("t", vec![0, 7]), ("nope", vec![0])] {
        let mut asked = TopicRequest::default();
        asked.name = name(topic);
        asked.partition_indexes = partitions;
        request.topics.push(asked);
    }
    let response: DescribeProducersResponse = call(&mut conn, ApiKey::DescribeProducers, 0, &request);
    let answers: Vec<(String, i32, i16, usize)> = response
        .topics
        .iter()
        .flat_map(|t| {
            t.partitions
                .iter()
                .map(move |p| (t.name.0.to_string(), p.partition_index, p.error_code, p.active_producers.len()))
        })
        .collect();
    let answer = |t: &str, p: i32, code: i16| (t.to_string(), p, code, 0);
    assert_eq!(
        answers,
        vec![
            answer("t", 0, 0),
            answer("t", 7, UNKNOWN_TOPIC_OR_PARTITION),
            answer("nope", 0, UNKNOWN_TOPIC_OR_PARTITION)
        ]
    );
}

/// DescribeConfigs v4 gives each config Kafka's type, and documentation
/// and synonyms only when asked.
#[test]
fn describe_configs_gives_types_and_documentation_when_asked() {
    use kafka_protocol::messages::describe_configs_request::DescribeConfigsResource;
    use kafka_protocol::messages::{DescribeConfigsRequest, DescribeConfigsResponse};
    let sb = Sandbox::with_brokers(1);
    sb.ok(&["topic", "create", "t", "-p", "1"]);
    let served = Served::start(&sb, 1);
    let mut conn = connect(&served);
    for asked in [false, true] {
        let mut resource = DescribeConfigsResource::default();
        resource.resource_type = 2;
        resource.resource_name = StrBytes::from_static_str("t");
        resource.configuration_keys = Some(
            ["segment.bytes", "retention.ms", "preallocate"].iter().map(|k| StrBytes::from_static_str(k)).collect(),
        );
        let mut request = DescribeConfigsRequest::default();
        request.resources = vec![resource];
        request.include_synonyms = asked;
        request.include_documentation = asked;
        let response: DescribeConfigsResponse = call(&mut conn, ApiKey::DescribeConfigs, 4, &request);
        let configs = &response.results[0].configs;
        let types: Vec<(String, i8)> = configs.iter().map(|c| (c.name.to_string(), c.config_type)).collect();
        let expected = [("preallocate", 1), ("retention.ms", 5), ("segment.bytes", 3)];
        assert_eq!(types, expected.map(|(n, t)| (n.to_string(), t)), "INT 3, LONG 5, BOOLEAN 1");
        assert!(configs.iter().all(|c| c.documentation.is_some() == asked), "{configs:?}");
        assert!(configs.iter().all(|c| c.synonyms.is_empty() != asked), "{configs:?}");
    }
}

/// IncrementalAlterConfigs as Kafka's `ConfigurationControlManager`
/// applies it: APPEND and SUBTRACT on a list config (from its default when
/// not set), INVALID_CONFIG on one that is not a list, INVALID_REQUEST for
/// a key given twice.
#[test]
fn incremental_alter_configs_appends_and_subtracts_list_configs() {
    use kafka_protocol::messages::incremental_alter_configs_request::{AlterConfigsResource, AlterableConfig};
    use kafka_protocol::messages::{IncrementalAlterConfigsRequest, IncrementalAlterConfigsResponse};
    let sb = Sandbox::with_brokers(1);
    sb.ok(&["topic", "create", "t", "-p", "1"]);
    let served = Served::start(&sb, 1);
    let mut conn = connect(&served);
    let mut alter = |ops: &[(&str, i8, &str)]| {
        let mut resource = AlterConfigsResource::default();
        resource.resource_type = 2;
        resource.resource_name = StrBytes::from_static_str("t");
        resource.configs = ops
            .iter()
            .map(|(name, op, value)| {
                let mut config = AlterableConfig::default();
                config.name = StrBytes::from_string(name.to_string());
                config.config_operation = *op;
                config.value = Some(StrBytes::from_string(value.to_string()));
                config
            })
            .collect();
        let mut request = IncrementalAlterConfigsRequest::default();
        request.resources = vec![resource];
        let response: IncrementalAlterConfigsResponse = call(&mut conn, ApiKey::IncrementalAlterConfigs, 1, &request);
        response.responses[0].error_code
    };
    let (append, subtract) = (2, 3);
    let policy = |sb: &Sandbox| sb.describe("t")["config"]["cleanup.policy"].as_str().map(str::to_string);
    assert_eq!(alter(&[("cleanup.policy", append, "compact")]), 0);
    assert_eq!(policy(&sb).as_deref(), Some("delete,compact"), "appended to the default");
    assert_eq!(alter(&[("cleanup.policy", subtract, "delete")]), 0);
    assert_eq!(policy(&sb).as_deref(), Some("compact"));
    assert_eq!(alter(&[("retention.ms", append, "5")]), INVALID_CONFIG, "not a list");
    assert_eq!(alter(&[("retention.ms", 0, "5"), ("retention.ms", 1, "")]), INVALID_REQUEST, "a key twice");
    assert_eq!(policy(&sb).as_deref(), Some("compact"), "nothing refused was applied");
}

/// An OffsetCommit from outside a live group: a partition that does not
/// exist is UNKNOWN_TOPIC_OR_PARTITION (Kafka answers it before looking at
/// the group), the others UNKNOWN_MEMBER_ID.
#[test]
fn an_offset_commit_answers_unknown_partitions_before_the_member() {
    use kafka_protocol::messages::offset_commit_request::{OffsetCommitRequestPartition, OffsetCommitRequestTopic};
    use kafka_protocol::messages::{GroupId, OffsetCommitRequest, OffsetCommitResponse};
    const UNKNOWN_TOPIC_OR_PARTITION: i16 = 3;
    const UNKNOWN_MEMBER_ID: i16 = 25;
    let sb = Sandbox::with_brokers(1);
    sb.ok(&["topic", "create", "t", "-p", "1"]);
    let mut member = sb.std_cmd(&["-q", "consume", "t", "--group", "g", "--follow"]).spawn().expect("member");
    let joined = crate::common::wait_until(Duration::from_secs(30), || {
        let out = sb.run(&["group", "describe", "g", "--format", "json"]);
        out.status.success() && String::from_utf8_lossy(&out.stdout).contains("member_id")
    });
    assert!(joined, "the member joins");
    let served = Served::start(&sb, 1);
    let mut conn = connect(&served);
    let mut request = OffsetCommitRequest::default();
    request.group_id = GroupId(StrBytes::from_static_str("g"));
    request.generation_id_or_member_epoch = -1;
    for (topic, index) in [("nope", 0), ("t", 3), ("t", 0)] {
        let mut partition = OffsetCommitRequestPartition::default();
        partition.partition_index = index;
        partition.committed_offset = 0;
        let mut asked = OffsetCommitRequestTopic::default();
        asked.name = name(topic);
        asked.partitions = vec![partition];
        request.topics.push(asked);
    }
    let response: OffsetCommitResponse = call(&mut conn, ApiKey::OffsetCommit, 8, &request);
    let mut codes: Vec<(String, i32, i16)> = response
        .topics
        .iter()
        .flat_map(|t| t.partitions.iter().map(move |p| (t.name.0.to_string(), p.partition_index, p.error_code)))
        .collect();
    codes.sort();
    let _ = member.kill();
    let _ = member.wait();
    let code = |t: &str, p: i32, c: i16| (t.to_string(), p, c);
    assert_eq!(
        codes,
        vec![
            code("nope", 0, UNKNOWN_TOPIC_OR_PARTITION),
            code("t", 0, UNKNOWN_MEMBER_ID),
            code("t", 3, UNKNOWN_TOPIC_OR_PARTITION)
        ]
    );
}

/// Authorized operations, asked for, as a Kafka broker without an
/// authorizer answers them: every operation Kafka supports on the
/// resource (topic 3576, cluster 8096); `i32::MIN` when not asked.
#[test]
fn authorized_operations_are_every_supported_one_when_asked() {
    use kafka_protocol::messages::metadata_request::MetadataRequestTopic;
    use kafka_protocol::messages::{
        DescribeClusterRequest, DescribeClusterResponse, MetadataRequest, MetadataResponse,
    };
    let sb = Sandbox::with_brokers(1);
    sb.ok(&["topic", "create", "t", "-p", "1"]);
    let served = Served::start(&sb, 1);
    let mut conn = connect(&served);
    for asked in [false, true] {
        let mut topic = MetadataRequestTopic::default();
        topic.name = Some(name("t"));
        let mut request = MetadataRequest::default();
        request.topics = Some(vec![topic]);
        request.include_topic_authorized_operations = asked;
        request.include_cluster_authorized_operations = asked;
        let response: MetadataResponse = call(&mut conn, ApiKey::Metadata, 10, &request);
        let expected = if asked { (3576, 8096) } else { (i32::MIN, i32::MIN) };
        assert_eq!((response.topics[0].topic_authorized_operations, response.cluster_authorized_operations), expected);
        let mut request = DescribeClusterRequest::default();
        request.include_cluster_authorized_operations = asked;
        let response: DescribeClusterResponse = call(&mut conn, ApiKey::DescribeCluster, 1, &request);
        assert_eq!(response.cluster_authorized_operations, expected.1);
    }
}

#[test]
fn delete_records_below_zero_other_than_minus_one_is_out_of_range() {
    let sb = Sandbox::with_brokers(1);
    sb.ok(&["topic", "create", "t", "-p", "1"]);
    sb.produce("t", &[], "a\nb\n");
    let served = Served::start(&sb, 1);
    let mut conn = connect(&served);
    let mut partition = DeleteRecordsPartition::default();
    partition.partition_index = 0;
    partition.offset = -5;
    let mut topic = DeleteRecordsTopic::default();
    topic.name = name("t");
    topic.partitions = vec![partition];
    let mut request = DeleteRecordsRequest::default();
    request.topics = vec![topic];
    request.timeout_ms = 10_000;
    let response: DeleteRecordsResponse = call(&mut conn, ApiKey::DeleteRecords, 2, &request);
    assert_eq!(response.topics[0].partitions[0].error_code, OFFSET_OUT_OF_RANGE);
    assert_eq!(sb.consume("t", &["-f", "%s\n"]), "a\nb\n", "nothing deleted");
}

/// DescribeConfigs of a BROKER resource is answered by that broker only, as
/// Kafka's `ConfigHelper` answers: another broker's id and a name that is
/// not a number are INVALID_REQUEST with Kafka's message; the cluster-wide
/// default resource (an empty name) has no configs on a data dir. An empty
/// list of keys asks for every config, as null does (Kafka's `ConfigHelper`).
#[test]
fn a_broker_describes_its_own_configs_only() {
    use kafka_protocol::messages::describe_configs_request::DescribeConfigsResource;
    use kafka_protocol::messages::{DescribeConfigsRequest, DescribeConfigsResponse};
    let sb = Sandbox::new();
    sb.ok(&["init", "--brokers", "2"]);
    sb.ok(&["topic", "create", "t"]);
    let served = Served::start(&sb, 2);
    let mut conn = connect(&served);
    let resource = |name: &str| {
        let mut r = DescribeConfigsResource::default();
        r.resource_type = 4;
        r.resource_name = StrBytes::from_string(name.to_string());
        r
    };
    let mut request = DescribeConfigsRequest::default();
    let mut topic = resource("t");
    topic.resource_type = 2;
    topic.configuration_keys = Some(Vec::new());
    request.resources = vec![resource("0"), resource("1"), resource("x"), resource(""), topic];
    let answer: DescribeConfigsResponse = call(&mut conn, ApiKey::DescribeConfigs, 4, &request);
    let results = &answer.results;
    assert_eq!(results[0].error_code, 0);
    assert!(results[0].configs.iter().any(|c| c.name.as_str() == "broker.id" && c.value.as_deref() == Some("0")));
    assert_eq!(results[1].error_code, INVALID_REQUEST);
    assert_eq!(
        results[1].error_message.as_deref(),
        Some("Unexpected broker id, expected 0 or empty string, but received 1")
    );
    assert_eq!(results[2].error_code, INVALID_REQUEST);
    assert_eq!(results[2].error_message.as_deref(), Some("Broker id must be an integer, but it is: x"));
    assert_eq!((results[3].error_code, results[3].configs.len()), (0, 0));
    assert!(results[4].configs.iter().any(|c| c.name.as_str() == "retention.ms"), "every config of the topic");
}

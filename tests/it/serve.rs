//! `runnel serve` with real Kafka clients: kcat, the rdkafka crate, and
//! raw frames for the hostile cases. Each test starts its own server on
//! system-chosen ports (`serve_harness`).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

use bytes::{Buf, BufMut, BytesMut};
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

    // An unknown API key: answered with UNSUPPORTED_VERSION, and the
    // connection goes on serving.
    let mut a = TcpStream::connect(&addr).expect("connect");
    let mut unknown = BytesMut::new();
    unknown.put_i16(999);
    unknown.put_i16(0);
    unknown.put_i32(7);
    unknown.put_i16(-1);
    let reply = exchange(&mut a, &unknown).expect("an answer to an unknown API key");
    let mut reply = &reply[..];
    assert_eq!(reply.get_i32(), 7, "the correlation id");
    assert_eq!(reply.get_i16(), 35, "UNSUPPORTED_VERSION");
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
fn binding_beyond_loopback_needs_allow_remote() {
    let sb = Sandbox::new();
    let err = sb.fails(&["serve", "--listen", "0.0.0.0:0"], 2);
    assert!(err.contains("--allow-remote"), "{err}");
    let err = sb.fails(&["serve", "--listen", "nonsense"], 2);
    assert!(err.contains("HOST:PORT"), "{err}");
}

//! One client connection: read a frame, find its handler, answer, in order
//! (Kafka answers a connection's requests in the order they came). What a
//! connection can cost is bounded whatever the client does: one request is
//! read and handled at a time (a client that never reads its responses
//! stops being read, and is dropped once a response stalls for
//! [`WRITE_STALL`]); a frame must arrive whole within [`FRAME_DEADLINE`] of
//! its size (a slow-loris client is dropped); what its buffer grows to as
//! bytes arrive, not the size it claims, is held against the server's
//! request memory (`limits`). As on a Kafka broker,
//! any framing or decoding failure, an unknown API key or a version not
//! served closes this connection only — except ApiVersions, whose versions
//! not served are answered with its version-0 UNSUPPORTED_VERSION response.

use std::io::{BufReader, BufWriter};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::{Buf, BufMut, Bytes, BytesMut};
use kafka_protocol::ResponseError;
use kafka_protocol::messages::{ApiKey, ApiVersionsResponse};
use kafka_protocol::protocol::Encodable;

use super::dispatch::{Ctx, Malformed, Reply, decode_header, encode_response_header};
use super::frame::{FrameError, read_body, read_size, write_frame};
use super::handlers::api_versions;
use super::state::{ConnState, ServerState};

/// A connection without requests for this long is closed (Kafka's
/// `connections.max.idle.ms`).
const IDLE_TIMEOUT: Duration = Duration::from_secs(600);

/// A client that takes none of a response for this long is dropped.
const WRITE_STALL: Duration = Duration::from_secs(30);

/// A request frame must arrive whole within this long of its size.
const FRAME_DEADLINE: Duration = Duration::from_secs(30);

/// Serves `stream` until the peer closes it, sends something unreadable,
/// stalls, or the server stops.
pub fn serve_connection(server: Arc<ServerState>, broker: u32, stream: TcpStream) {
    // Past the cap the connection is closed as soon as it is taken.
    let Some(_counted) = server.connections.admit() else { return };
    let Ok(peer) = stream.peer_addr() else { return };
    let _ = stream.set_nodelay(true);
    let _ = stream.set_write_timeout(Some(WRITE_STALL));
    let (Ok(read_half), Ok(control)) = (stream.try_clone(), stream.try_clone()) else { return };
    let mut reader = BufReader::with_capacity(64 * 1024, read_half);
    let mut writer = BufWriter::with_capacity(64 * 1024, stream);
    let mut conn = ConnState { peer, no_reply: false, close_after: None };
    while !server.stopping() {
        let _ = control.set_read_timeout(Some(IDLE_TIMEOUT));
        let len = match read_size(&mut reader) {
            Ok(len) => len,
            Err(FrameError::BadSize(size)) => return close(peer, &format!("a request of {size} bytes")),
            Err(FrameError::Closed) | Err(FrameError::Io(_)) => return,
        };
        let deadline = Instant::now() + FRAME_DEADLINE;
        // Request memory is held for what the body grows to as it arrives,
        // not for the size claimed: a client that claims 100 MiB and sends
        // ten bytes holds one chunk, and cannot starve the others.
        let Some(mut lease) = server.request_memory.take(0, deadline) else { return };
        let frame = read_body(&mut reader, len, |grown| {
            let left = deadline.checked_duration_since(Instant::now()).filter(|d| !d.is_zero());
            let left = left.ok_or_else(|| std::io::Error::from(std::io::ErrorKind::TimedOut))?;
            if !lease.grow_to(grown, deadline) {
                return Err(std::io::Error::from(std::io::ErrorKind::OutOfMemory));
            }
            control.set_read_timeout(Some(left))
        });
        let frame = match frame {
            Ok(frame) => frame,
            Err(FrameError::Io(e)) if e.kind() == std::io::ErrorKind::OutOfMemory => {
                return close(peer, "no request memory was freed in time for its request");
            }
            Err(FrameError::Io(e))
                if e.kind() == std::io::ErrorKind::TimedOut || e.kind() == std::io::ErrorKind::WouldBlock =>
            {
                return close(peer, &format!("its request did not arrive within {} s", FRAME_DEADLINE.as_secs()));
            }
            Err(_) => return,
        };
        let _busy = server.begin_request();
        conn.no_reply = false;
        let (correlation_id, reply) = match answer(&server, broker, &mut conn, frame) {
            Ok(answered) => answered,
            Err(Malformed(why)) => return close(peer, &why),
        };
        if let Some(why) = conn.close_after.take() {
            return close(peer, &why);
        }
        if conn.no_reply {
            continue;
        }
        let Ok(header) = encode_response_header(correlation_id, reply.header_version) else { return };
        if write_frame(&mut writer, &header, &reply.body).is_err() {
            return;
        }
    }
}

/// Says on stderr why a connection is closed (it is, when this returns).
fn close(peer: std::net::SocketAddr, why: &str) {
    super::note(&format!("closing the connection from {peer}: {why}"));
}

/// The correlation id and the reply to one request frame.
fn answer(server: &ServerState, broker: u32, conn: &mut ConnState, frame: Bytes) -> Result<(i32, Reply), Malformed> {
    let mut peek = &frame[..];
    let (key, version, correlation_id) = (peek.get_i16(), peek.get_i16(), peek.get_i32());
    let Some(handler) = server.registry.find(key, version) else {
        if key == ApiKey::ApiVersions as i16 {
            return Ok((correlation_id, unsupported(server)));
        }
        return Err(Malformed(format!("API key {key} version {version} is not served (ApiVersions lists what is)")));
    };
    let mut body = frame;
    let header = decode_header(key, version, &mut body)?;
    let logged = server.log_requests.then(|| {
        let client = header.client_id.as_ref().map_or("", |c| c.as_str());
        let name = ApiKey::try_from(key).map_or_else(|()| format!("API key {key}"), |k| format!("{k:?}"));
        let what = format!("{} {name} v{version} #{correlation_id} from client '{client}'", conn.peer);
        super::note(&format!("{what}: received"));
        (what, Instant::now())
    });
    let mut ctx = Ctx { server, broker, conn };
    let reply = handler.serve(&mut ctx, &header, &mut body);
    if let Some((what, started)) = logged {
        let outcome = match &reply {
            Ok(_) if ctx.conn.no_reply => "handled (no response: acks=0)".to_string(),
            Ok(_) => format!("answered in {:.1} ms", started.elapsed().as_secs_f64() * 1000.0),
            Err(Malformed(why)) => format!("malformed: {why}"),
        };
        super::note(&format!("{what}: {outcome}"));
    }
    Ok((correlation_id, reply?))
}

/// The answer to an ApiVersions version not served: Kafka's version-0
/// response with UNSUPPORTED_VERSION and the APIs served, so the client can
/// pick a version.
fn unsupported(server: &ServerState) -> Reply {
    let mut response = ApiVersionsResponse::default();
    response.error_code = ResponseError::UnsupportedVersion.code();
    response.api_keys = api_versions::served(&server.registry);
    let mut body = BytesMut::new();
    if response.encode(&mut body, 0).is_err() {
        // Only the error code then (the first field of the v0 body).
        body.clear();
        body.put_i16(ResponseError::UnsupportedVersion.code());
    }
    Reply { header_version: 0, body }
}

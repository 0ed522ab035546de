//! One client connection: read a frame, find its handler, answer, in order
//! (Kafka answers a connection's requests in the order they came). Any
//! framing or decoding failure closes this connection only; an API or
//! version not served is answered with UNSUPPORTED_VERSION and the
//! connection stays.

use std::io::{BufReader, BufWriter};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::Duration;

use bytes::{Buf, BufMut, Bytes, BytesMut};
use kafka_protocol::ResponseError;
use kafka_protocol::messages::{ApiKey, ApiVersionsResponse};
use kafka_protocol::protocol::Encodable;

use super::dispatch::{Ctx, Malformed, Reply, decode_header, encode_response_header};
use super::frame::{FrameError, read_frame, write_frame};
use super::handlers::api_versions;
use super::state::{ConnState, ServerState};

/// A connection without requests for this long is closed (Kafka's
/// `connections.max.idle.ms`).
const IDLE_TIMEOUT: Duration = Duration::from_secs(600);

/// A client that takes none of a response for this long is dropped.
const WRITE_STALL: Duration = Duration::from_secs(30);

/// Serves `stream` until the peer closes it, sends something unreadable,
/// stalls, or the server stops.
pub fn serve_connection(server: Arc<ServerState>, broker: u32, stream: TcpStream) {
    let Ok(peer) = stream.peer_addr() else { return };
    let _ = stream.set_nodelay(true);
    let _ = stream.set_read_timeout(Some(IDLE_TIMEOUT));
    let _ = stream.set_write_timeout(Some(WRITE_STALL));
    let Ok(read_half) = stream.try_clone() else { return };
    let mut reader = BufReader::with_capacity(64 * 1024, read_half);
    let mut writer = BufWriter::with_capacity(64 * 1024, stream);
    let mut conn = ConnState { peer, no_reply: false };
    while !server.stopping() {
        let frame = match read_frame(&mut reader) {
            Ok(frame) => frame,
            Err(FrameError::Closed) | Err(FrameError::Io(_)) | Err(FrameError::BadSize(_)) => return,
        };
        let _busy = server.begin_request();
        conn.no_reply = false;
        let (correlation_id, reply) = match answer(&server, broker, &mut conn, frame) {
            Ok(answered) => answered,
            Err(Malformed(why)) => {
                use std::io::Write;
                let _ = writeln!(std::io::stderr().lock(), "runnel: serve: closing the connection from {peer}: {why}");
                return;
            }
        };
        if conn.no_reply {
            continue;
        }
        let Ok(header) = encode_response_header(correlation_id, reply.header_version) else { return };
        if write_frame(&mut writer, &header, &reply.body).is_err() {
            return;
        }
    }
}

/// The correlation id and the reply to one request frame.
fn answer(server: &ServerState, broker: u32, conn: &mut ConnState, frame: Bytes) -> Result<(i32, Reply), Malformed> {
    let mut peek = &frame[..];
    let (key, version, correlation_id) = (peek.get_i16(), peek.get_i16(), peek.get_i32());
    let Some(handler) = server.registry.find(key, version) else {
        return Ok((correlation_id, unsupported(server, key)));
    };
    let mut body = frame;
    let header = decode_header(key, version, &mut body)?;
    let mut ctx = Ctx { server, broker, conn };
    Ok((correlation_id, handler.serve(&mut ctx, &header, &mut body)?))
}

/// The answer to an API or version not served: for ApiVersions, Kafka's
/// version-0 response with UNSUPPORTED_VERSION and the APIs served (so the
/// client can pick a version); for any other, response header 0 and the
/// error code UNSUPPORTED_VERSION.
fn unsupported(server: &ServerState, key: i16) -> Reply {
    let code = ResponseError::UnsupportedVersion.code();
    if key == ApiKey::ApiVersions as i16 {
        let mut response = ApiVersionsResponse::default();
        response.error_code = code;
        response.api_keys = api_versions::served(&server.registry);
        let mut body = BytesMut::new();
        if response.encode(&mut body, 0).is_ok() {
            return Reply { header_version: 0, body };
        }
    }
    let mut body = BytesMut::with_capacity(2);
    body.put_i16(code);
    Reply { header_version: 0, body }
}

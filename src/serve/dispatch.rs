//! From a decoded request header to the handler of its API: the registry
//! (one entry per file in `handlers/`, built by the `handlers!` list), the
//! version check, decoding the request body with the `kafka-protocol`
//! codec and encoding the handler's response.

use std::collections::BTreeMap;
use std::marker::PhantomData;

use bytes::{Bytes, BytesMut};
use kafka_protocol::messages::{ApiKey, RequestHeader, ResponseHeader};
use kafka_protocol::protocol::{Decodable, Encodable, HeaderVersion, Request, VersionRange};

use super::state::{ConnState, ServerState};

/// What a handler gets besides its request: the server (the data dir's
/// `Cluster`, per-server state), the broker whose listener took the
/// connection, and the connection's own state.
pub struct Ctx<'a> {
    pub server: &'a ServerState,
    pub broker: u32,
    pub conn: &'a mut ConnState,
}

/// An encoded response: the response header version its API and version
/// ask for, and the body.
pub struct Reply {
    pub header_version: i16,
    pub body: BytesMut,
}

/// A request the codec could not read: Kafka closes such a connection.
#[derive(Debug)]
pub struct Malformed(pub String);

/// One API served: its key, versions, and how to run a request of it.
pub trait Handler: Send + Sync {
    fn key(&self) -> i16;
    fn versions(&self) -> VersionRange;
    fn serve(&self, ctx: &mut Ctx, header: &RequestHeader, body: &mut Bytes) -> Result<Reply, Malformed>;
}

/// A handler function for request type `Q`: decoding and encoding are the codec's.
pub type HandlerFn<Q> = fn(&mut Ctx, &RequestHeader, Q) -> <Q as Request>::Response;

struct Typed<Q: Request> {
    versions: VersionRange,
    run: HandlerFn<Q>,
    request: PhantomData<fn() -> Q>,
}

/// The registry entry of a handler function serving `versions` of `Q`'s API.
pub fn typed<Q: Request + 'static>(versions: VersionRange, run: HandlerFn<Q>) -> Box<dyn Handler> {
    Box::new(Typed { versions, run, request: PhantomData })
}

impl<Q: Request> Handler for Typed<Q> {
    fn key(&self) -> i16 {
        Q::KEY
    }

    fn versions(&self) -> VersionRange {
        self.versions
    }

    fn serve(&self, ctx: &mut Ctx, header: &RequestHeader, body: &mut Bytes) -> Result<Reply, Malformed> {
        let version = header.request_api_version;
        let request = Q::decode(body, version).map_err(|e| Malformed(format!("{e:#}")))?;
        let response = (self.run)(ctx, header, request);
        // Sized once: a Fetch response is megabytes, and growing it copied it again and again.
        let size = response.compute_size(version).map_err(|e| Malformed(format!("cannot size the response: {e:#}")))?;
        let mut out = BytesMut::with_capacity(size);
        response.encode(&mut out, version).map_err(|e| Malformed(format!("cannot encode the response: {e:#}")))?;
        Ok(Reply { header_version: <Q::Response as HeaderVersion>::header_version(version), body: out })
    }
}

/// The handlers by API key.
pub struct Registry {
    by_key: BTreeMap<i16, Box<dyn Handler>>,
}

impl Registry {
    pub fn new(handlers: Vec<Box<dyn Handler>>) -> Registry {
        Registry { by_key: handlers.into_iter().map(|h| (h.key(), h)).collect() }
    }

    /// The handler of `key` if it serves `version`.
    pub fn find(&self, key: i16, version: i16) -> Option<&dyn Handler> {
        let handler = self.by_key.get(&key)?;
        let versions = handler.versions();
        (versions.min <= version && version <= versions.max).then_some(handler.as_ref())
    }

    /// Every API served with its versions, by key (what ApiVersions tells).
    pub fn apis(&self) -> impl Iterator<Item = (i16, VersionRange)> + '_ {
        self.by_key.values().map(|h| (h.key(), h.versions()))
    }
}

/// The header of a request, decoded once its API key and version are known
/// to be served (the header's own version depends on them).
pub fn decode_header(key: i16, version: i16, frame: &mut Bytes) -> Result<RequestHeader, Malformed> {
    let api = ApiKey::try_from(key).map_err(|_| Malformed(format!("unknown API key {key}")))?;
    RequestHeader::decode(frame, api.request_header_version(version)).map_err(|e| Malformed(format!("{e:#}")))
}

/// The response header for `correlation_id` in `version`.
pub fn encode_response_header(correlation_id: i32, version: i16) -> Result<BytesMut, Malformed> {
    let mut header = ResponseHeader::default();
    header.correlation_id = correlation_id;
    let mut out = BytesMut::new();
    header.encode(&mut out, version).map_err(|e| Malformed(format!("cannot encode a response header: {e:#}")))?;
    Ok(out)
}

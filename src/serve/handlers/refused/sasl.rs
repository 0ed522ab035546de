//! SaslHandshake (17), SaslAuthenticate (36): ILLEGAL_SASL_STATE, as a
//! Kafka PLAINTEXT listener answers; a client configured for SASL learns at
//! once that this server has no authentication.

use kafka_protocol::ResponseError;
use kafka_protocol::messages::{
    RequestHeader, SaslAuthenticateRequest, SaslAuthenticateResponse, SaslHandshakeRequest, SaslHandshakeResponse,
};

use super::{refuse, text};
use crate::serve::dispatch::{Ctx, Handler};

pub fn handlers() -> Vec<Box<dyn Handler>> {
    vec![refuse::<SaslHandshakeRequest>(handshake), refuse::<SaslAuthenticateRequest>(authenticate)]
}

fn handshake(_ctx: &mut Ctx, _header: &RequestHeader, _request: SaslHandshakeRequest) -> SaslHandshakeResponse {
    SaslHandshakeResponse::default().with_error_code(ResponseError::IllegalSaslState.code())
}

fn authenticate(
    _ctx: &mut Ctx,
    _header: &RequestHeader,
    _request: SaslAuthenticateRequest,
) -> SaslAuthenticateResponse {
    SaslAuthenticateResponse::default()
        .with_error_code(ResponseError::IllegalSaslState.code())
        .with_error_message(text("runnel serve has no authentication: use security.protocol=PLAINTEXT"))
}

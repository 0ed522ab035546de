//! The JSON envelope shared by `produce --format json` (input) and
//! `consume --format json` (output), so that a round trip is exact.

pub mod compact;
pub mod decode;
mod escape;
#[cfg(target_arch = "x86_64")]
mod escape_shuffle;
pub mod payload;
pub mod scan;
mod string_run;

pub use decode::{Envelope, Payload, parse};

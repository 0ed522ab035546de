//! Appending what producers send: the partition slots (a writer per acks
//! level and the idempotent-producer table, under one lock per partition),
//! shared by every connection through `ServerState::partitions`.

pub mod producers;
pub mod slots;

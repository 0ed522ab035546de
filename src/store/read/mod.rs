//! Reading a replica without the writer's lock.

pub mod reader;

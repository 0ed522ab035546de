//! Whole-replica walks for admin commands (verify, dump).

pub mod dump_walk;
pub mod verify_replica;

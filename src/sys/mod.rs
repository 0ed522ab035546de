//! The floor under every layer: operating-system plumbing that knows nothing
//! of Kafka — file locks, atomic JSON files, the clock and ids, small file
//! helpers, descriptor limits, what a reader has not yet taken from our
//! output (`out_queue`), and test-only fault injection.

pub mod clock;
pub mod descriptors;
pub mod fault;
pub mod fs;
pub mod ids;
pub mod json_file;
pub mod lock;
pub mod out_queue;

//! The floor under every layer: operating-system plumbing that knows nothing
//! of Kafka — file locks and one-byte locks, atomic JSON files, the clock and
//! ids, small file helpers, words shared between processes through a mapped
//! file, descriptor limits, the heap on huge pages (`huge_heap`), a clean
//! exit when memory runs out (`out_of_memory`), what a reader has not yet
//! taken from our output (`out_queue`), widening the pipe we read from
//! (`pipe`), appending past the cache (`stream_copy`) and prefetching
//! (`prefetch`), and test-only fault injection.

pub mod clock;
pub mod descriptors;
pub mod fault;
pub mod fs;
pub mod huge_heap;
pub mod ids;
pub mod json_file;
pub mod lock;
pub mod out_of_memory;
pub mod out_queue;
pub mod pipe;
pub mod prefetch;
pub mod range_lock;
pub mod shared_words;
pub mod stream_copy;
pub mod timed_flock;

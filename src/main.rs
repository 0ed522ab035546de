//! The `runnel` binary: everything lives in the library; this maps the
//! outcome to the process exit code.
//!
//! The entry point is C's `main`, not std's: std's runtime setup reads and
//! parses `/proc/self/maps` at every start (to place a guard page under the
//! main thread's stack for its stack-overflow message), a file opened and
//! ~10% of the instructions of a one-line `produce`; startup is a budget
//! when a shell loop runs runnel once per message. What else that setup
//! does and runnel relies on is done here: SIGPIPE is ignored (a closed
//! output is an error runnel handles, as `consume | head` needs, not a
//! signal that kills it). A panic is caught by `cli::main`, which turns
//! it into one error line and an internal error's exit code.
// (The test harness of this file brings its own `main`.)
#![cfg_attr(not(test), no_main)]

#[cfg(not(test))]
use std::ffi::{c_char, c_int};

/// A failed allocation ends runnel with one error line and exit 71, not
/// an abort and a backtrace.
#[global_allocator]
static ALLOCATOR: runnel::sys::out_of_memory::ExitOnOutOfMemory = runnel::sys::out_of_memory::ExitOnOutOfMemory;

#[cfg(not(test))]
#[unsafe(no_mangle)]
extern "C" fn main(_argc: c_int, _argv: *const *const c_char) -> c_int {
    // SAFETY: setting a signal's disposition to "ignore" before any thread
    // starts; no handler runs.
    unsafe { libc::signal(libc::SIGPIPE, libc::SIG_IGN) };
    std::process::exit(runnel::cli::main())
}

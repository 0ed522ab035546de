//! Running a shell command on a batch of records (`consume --exec`): the
//! process side only — [`program`] says what starts for a batch (`sh -c
//! CMD`, or a plain command line's program directly), [`runner`] feeds a
//! batch's bytes to a fresh one with the batch's environment and reports
//! how it exited; [`process_groups`] keeps the running commands' process
//! groups for a second Ctrl-C to end whole;
//! [`backoff`] says how long to wait before the next try. What goes into a
//! batch, retries, dead letters and commits belong to the caller
//! (`pipeline::ExecSink` for consumer groups).

pub mod backoff;
pub mod process_groups;
pub mod program;
pub mod runner;

pub use backoff::Backoff;
pub use program::Program;
pub use runner::{BatchEnv, Exit, Outcome, StdoutTo, run_batch};

//! The integration tests, all in one test binary (`cargo test --test it`),
//! so that they link once: one module per area, run in parallel threads of
//! one process. A module's tests are selected by its path, e.g.
//! `cargo test --test it crash::` or `cargo test --test it fuzz::`.
//!
//! `common` is the sandbox (a data dir per test and the real `runnel`
//! binary on it); `harness` supports the crash harness and the soak. The
//! tests share the process, so none may change its environment, current
//! directory or other process-wide state: settings for runnel go on the
//! child's command (`Command::env`), and descriptors are opened close-on-exec
//! (see `ux::stderr_on_a_terminal`), so no spawned child inherits another
//! test's.

mod backends;
mod common;
mod harness;
mod kafka_cluster;
mod serve_harness;

mod backend_neutral;
mod bad_input;
mod campaign;
mod concurrency;
mod crash;
mod delivery;
mod demo;
mod descriptors;
mod errors;
mod evidence;
mod faults;
mod front_loss;
mod fuzz;
mod generated;
mod golden;
mod group_commit;
mod groups;
mod habits;
mod interrupted;
mod kafka;
mod kafka_sticky;
mod lifecycle;
mod log;
mod mirror;
mod pipelines;
mod produce_consume;
mod readme;
mod recovery;
mod replication;
mod serve;
mod serve_client_led;
mod serve_connect;
mod serve_fidelity;
mod serve_go;
mod serve_groups;
mod serve_hostile;
mod serve_readme;
mod serve_refusals;
mod share;
mod snapshots;
mod soak;
mod topics;
mod ux;

//! Pure rules, no I/O: replica placement, leader election, the leader-epoch
//! cache and divergence, partition health, topic configs, and "did you
//! mean" suggestions. Each follows Kafka's own algorithm where Kafka has one.

pub mod election;
pub mod epoch_cache;
pub mod health;
pub mod placement;
pub mod suggest;
pub mod topic_config;
mod topic_config_keys;

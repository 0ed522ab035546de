//! The Kafka backend against a real cluster: see `tests/it/kafka_cluster.rs`.

//! Where a Kafka cluster is and how to talk to it: bootstrap servers, the
//! client properties given with `-X key=value` (any librdkafka property:
//! security.protocol, SASL, TLS files ...), and the deadline every request
//! is bounded by, so an unreachable cluster is exit 69, never a hang.

use std::time::Duration;

use rdkafka::ClientConfig;

use crate::error::{Error, Result};

/// The deadline of one request when `-X socket.timeout.ms` does not set
/// it: how long runnel waits for an unreachable cluster before exit 69.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// A Kafka cluster to work on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KafkaTarget {
    /// `HOST:PORT[,HOST:PORT...]`.
    pub bootstrap: String,
    /// Client properties, in the order given; later ones win.
    pub properties: Vec<(String, String)>,
}

impl KafkaTarget {
    pub fn new(bootstrap: impl Into<String>, properties: Vec<(String, String)>) -> KafkaTarget {
        KafkaTarget { bootstrap: bootstrap.into(), properties }
    }

    /// The value a property was given, if any.
    pub fn property(&self, key: &str) -> Option<&str> {
        self.properties.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// The deadline of one request: `socket.timeout.ms` if given, else
    /// [`DEFAULT_REQUEST_TIMEOUT`].
    pub fn request_timeout(&self) -> Duration {
        self.property("socket.timeout.ms")
            .and_then(|ms| ms.trim().parse::<u64>().ok())
            .map_or(DEFAULT_REQUEST_TIMEOUT, Duration::from_millis)
    }

    /// A client configuration: runnel's defaults (bounded timeouts, Kafka's
    /// murmur2 partitioner for keys), then `extra` (what the operation
    /// needs), then the user's `-X` properties, which win.
    pub fn client_config(&self, extra: &[(&str, String)]) -> ClientConfig {
        let timeout_ms = self.request_timeout().as_millis().to_string();
        let mut config = ClientConfig::new();
        config
            .set("bootstrap.servers", &self.bootstrap)
            .set("client.id", format!("runnel-{}", std::process::id()))
            .set("socket.timeout.ms", &timeout_ms)
            .set("socket.connection.setup.timeout.ms", &timeout_ms)
            .set("topic.metadata.refresh.interval.ms", "10000")
            .set("log_level", "0");
        for (k, v) in extra {
            config.set(*k, v);
        }
        for (k, v) in &self.properties {
            config.set(k, v);
        }
        config
    }
}

/// Parses `-X key=value`.
pub fn parse_property(text: &str) -> std::result::Result<(String, String), String> {
    match text.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
        _ => Err(format!("'{text}' is not KEY=VALUE (for example security.protocol=SSL)")),
    }
}

/// A client librdkafka refused to create (a bad `-X` property): exit 2.
pub fn bad_config(err: &rdkafka::error::KafkaError) -> Error {
    Error::usage(format!("the Kafka client refused its configuration: {err}"))
}

/// Validates `bootstrap` as `HOST:PORT[,...]`.
pub fn check_bootstrap(bootstrap: &str) -> Result<()> {
    let ok = !bootstrap.trim().is_empty()
        && bootstrap.split(',').all(|server| {
            server.trim().rsplit_once(':').is_some_and(|(host, port)| !host.is_empty() && port.parse::<u16>().is_ok())
        });
    if ok {
        Ok(())
    } else {
        Err(Error::usage(format!("--bootstrap-server '{bootstrap}' is not HOST:PORT[,HOST:PORT...]")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deadline_follows_socket_timeout() {
        let t = KafkaTarget::new("h:1", vec![("socket.timeout.ms".into(), "2500".into())]);
        assert_eq!(t.request_timeout(), Duration::from_millis(2500));
        assert_eq!(KafkaTarget::new("h:1", vec![]).request_timeout(), DEFAULT_REQUEST_TIMEOUT);
    }

    #[test]
    fn bootstrap_lists_are_checked() {
        assert!(check_bootstrap("127.0.0.1:9092,localhost:9093").is_ok());
        for bad in ["", "host", "host:", ":9092", "h:99999", "h:1,"] {
            assert!(check_bootstrap(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn properties_are_key_value() {
        assert_eq!(parse_property("a.b=c=d"), Ok(("a.b".into(), "c=d".into())));
        assert!(parse_property("novalue").is_err());
    }
}

//! A mirror's `--from` and `--to`: a data dir or a Kafka cluster, told
//! apart by the value. `kafka://HOST:PORT[,...]` and `dir:PATH` say it
//! outright; otherwise a value with a `,` list or ending in `:PORT` (and
//! not an existing path) is bootstrap servers, anything else a directory.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::backend::Backend;
use crate::backend::datadir::DataDir;
use crate::backend::kafka::{Kafka, KafkaTarget};
use crate::error::{Error, Result};

/// One end of a mirror.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    DataDir(PathBuf),
    Kafka(String),
}

impl Endpoint {
    /// Reads a `--from`/`--to` value (see the module's rule).
    pub fn parse(text: &str) -> Result<Endpoint> {
        if let Some(servers) = text.strip_prefix("kafka://") {
            crate::backend::kafka::config::check_bootstrap(servers)?;
            return Ok(Endpoint::Kafka(servers.to_string()));
        }
        if let Some(path) = text.strip_prefix("dir:") {
            if path.is_empty() {
                return Err(Error::usage("'dir:' names no directory (dir:PATH)"));
            }
            return Ok(Endpoint::DataDir(PathBuf::from(path)));
        }
        if text.is_empty() {
            return Err(Error::usage("an empty value is neither a data dir nor bootstrap servers"));
        }
        if looks_like_bootstrap(text) && !Path::new(text).exists() {
            crate::backend::kafka::config::check_bootstrap(text)?;
            return Ok(Endpoint::Kafka(text.to_string()));
        }
        Ok(Endpoint::DataDir(PathBuf::from(text)))
    }

    /// Whether both name the same place (data dirs compared by their
    /// canonical paths where they exist).
    pub fn same_as(&self, other: &Endpoint) -> bool {
        match (self, other) {
            (Endpoint::DataDir(a), Endpoint::DataDir(b)) => {
                a == b || matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
            }
            (a, b) => a == b,
        }
    }

    /// The backend of this end; Kafka ends take the `-X` properties.
    pub fn backend(&self, properties: &[(String, String)], lock_timeout: Duration) -> Result<Box<dyn Backend>> {
        Ok(match self {
            Endpoint::DataDir(path) => Box::new(DataDir::new(path.clone(), lock_timeout)),
            Endpoint::Kafka(servers) => Box::new(Kafka::new(KafkaTarget::new(servers.clone(), properties.to_vec()))?),
        })
    }
}

/// `HOST:PORT` or a `,` list of them.
fn looks_like_bootstrap(text: &str) -> bool {
    text.contains(',')
        || text.rsplit_once(':').is_some_and(|(host, port)| {
            !host.is_empty() && !host.contains('/') && !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_told_apart_by_their_form() {
        let kafka = |s: &str| Endpoint::Kafka(s.to_string());
        let dir = |s: &str| Endpoint::DataDir(PathBuf::from(s));
        assert_eq!(Endpoint::parse("127.0.0.1:9092").ok(), Some(kafka("127.0.0.1:9092")));
        assert_eq!(Endpoint::parse("a:1,b:2").ok(), Some(kafka("a:1,b:2")));
        assert_eq!(Endpoint::parse("kafka://h:9092").ok(), Some(kafka("h:9092")));
        assert_eq!(Endpoint::parse("/var/lib/runnel").ok(), Some(dir("/var/lib/runnel")));
        assert_eq!(Endpoint::parse("backup").ok(), Some(dir("backup")));
        assert_eq!(Endpoint::parse("dir:host:9092").ok(), Some(dir("host:9092")));
        assert_eq!(Endpoint::parse("./odd:1").ok(), Some(dir("./odd:1")));
        assert!(Endpoint::parse("kafka://nohost").is_err());
        assert!(Endpoint::parse("dir:").is_err());
        assert!(Endpoint::parse("").is_err());
    }
}

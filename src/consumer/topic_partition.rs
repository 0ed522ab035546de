//! [`TopicPartition`]: one partition of one topic, the unit the assignors deal
//! out and consumer groups store in `state.json`, commit and show.

use std::fmt;

use serde::{Deserialize, Serialize};

/// One partition of one topic. In JSON (`state.json`, `group describe
/// --format json`) it is `{"topic": ..., "partition": ...}`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TopicPartition {
    /// The topic name.
    pub topic: String,
    /// The partition number, from zero.
    pub partition: u32,
}

impl TopicPartition {
    /// A partition of `topic`.
    #[must_use]
    pub fn new(topic: impl Into<String>, partition: u32) -> Self {
        Self { topic: topic.into(), partition }
    }
}

impl fmt::Display for TopicPartition {
    /// Kafka's notation, `topic-partition`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.topic, self.partition)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_shape_and_display() {
        let tp = TopicPartition::new("rides", 2);
        assert_eq!(serde_json::to_string(&tp).expect("json"), r#"{"topic":"rides","partition":2}"#);
        let back: TopicPartition = serde_json::from_str(r#"{"topic":"rides","partition":2}"#).expect("parse");
        assert_eq!(back, tp);
        assert_eq!(tp.to_string(), "rides-2");
        assert!(TopicPartition::new("a", 9) < TopicPartition::new("b", 0));
    }
}

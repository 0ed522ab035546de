//! Small pieces of English every message uses: a count with its noun in the
//! singular or plural, and a rate with a metric prefix.

/// `1 message`, `3 messages`, `0 partitions`.
pub fn count(n: impl Into<u64>, noun: &str) -> String {
    let n = n.into();
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}

/// A rate with three significant digits and a metric prefix:
/// `3.93 M msgs/s`, `45.1 k msgs/s`, `557 msgs/s`.
pub fn rate(per_second: f64, unit: &str) -> String {
    let v = if per_second.is_finite() { per_second.max(0.0) } else { 0.0 };
    let (scaled, prefix) = match v {
        v if v >= 1e9 => (v / 1e9, "G "),
        v if v >= 1e6 => (v / 1e6, "M "),
        v if v >= 1e3 => (v / 1e3, "k "),
        v => return format!("{v:.0} {unit}/s"),
    };
    let digits = if scaled >= 100.0 {
        0
    } else if scaled >= 10.0 {
        1
    } else {
        2
    };
    format!("{scaled:.digits$} {prefix}{unit}/s")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_singular_or_plural() {
        assert_eq!(count(1u32, "broker"), "1 broker");
        assert_eq!(count(0u32, "topic"), "0 topics");
        assert_eq!(count(6u64, "partition"), "6 partitions");
    }

    #[test]
    fn rates_have_three_significant_digits_and_a_prefix() {
        assert_eq!(rate(3_928_267.589_9, "msgs"), "3.93 M msgs/s");
        assert_eq!(rate(45_123.0, "msgs"), "45.1 k msgs/s");
        assert_eq!(rate(450_000.0, "msgs"), "450 k msgs/s");
        assert_eq!(rate(557.4, "msgs"), "557 msgs/s");
        assert_eq!(rate(2.5e9, "B"), "2.50 G B/s");
        assert_eq!(rate(f64::NAN, "msgs"), "0 msgs/s");
    }
}

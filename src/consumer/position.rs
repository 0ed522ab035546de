//! Where a consumer starts (`--from`) and stops (`--until`): offsets, ends,
//! absolute times and times relative to now, resolved per partition.

use std::time::Duration;

use crate::error::{Error, Result};
use crate::sys::clock::now_ms;

/// A position in a partition, as a user names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    /// The log start offset (Kafka's `earliest`).
    Beginning,
    /// The log end offset (Kafka's `latest`).
    End,
    /// An absolute offset.
    Offset(u64),
    /// This many records before the end (kcat's negative offsets).
    FromEnd(u64),
    /// This many records after the log start (rpk's `+N`).
    FromStart(u64),
    /// The first record at or after this time (ms since the epoch).
    Time(i64),
}

impl Position {
    /// Parses `beginning`, `end`, `N`, `-N`, `+N`, `@UNIX_MS` (kcat's
    /// `s@UNIX_MS` too), an RFC 3339 time (`2026-11-25T10:00:00Z`) or a
    /// duration ago (`-15m`, `-2h30m`). rpk's and kcat's names of the ends
    /// (`start`, `oldest`, `earliest`, `newest`, `latest`) are accepted.
    pub fn parse(text: &str) -> Result<Position> {
        let t = text.trim();
        let bad = || {
            Error::usage(format!(
                "invalid position '{text}': use beginning, end, an offset (42), -N (N before the end), +N (N after the start), @UNIX_MS, an RFC 3339 time or -DURATION (-15m)"
            ))
        };
        match t {
            "beginning" | "earliest" | "start" | "oldest" => return Ok(Position::Beginning),
            "end" | "latest" | "newest" => return Ok(Position::End),
            _ => {}
        }
        if let Some(n) = t.strip_prefix('+') {
            return n.parse::<u64>().map(Position::FromStart).map_err(|_| bad());
        }
        if let Some(ms) = t.strip_prefix('@').or_else(|| t.strip_prefix("s@")) {
            return ms.parse::<i64>().map(Position::Time).map_err(|_| bad());
        }
        if let Ok(n) = t.parse::<u64>() {
            return Ok(Position::Offset(n));
        }
        if let Some(rest) = t.strip_prefix('-') {
            if let Ok(n) = rest.parse::<u64>() {
                return Ok(Position::FromEnd(n));
            }
            if let Ok(d) = humantime::parse_duration(rest) {
                return Ok(Position::Time(now_ms() - duration_ms(d)));
            }
            return Err(bad());
        }
        parse_datetime(t).map(Position::Time).ok_or_else(bad)
    }
}

/// An absolute time in ms since the epoch: RFC 3339 with any UTC offset
/// (`Z`, `+01:00`, `-05:00`), with or without a fraction, `T`/`Z` in either
/// case (what `date -Iseconds` prints), or Kafka's
/// `yyyy-MM-dd'T'HH:mm:ss.SSS` without a zone, read as UTC as Kafka's
/// tools read it.
pub fn parse_datetime(text: &str) -> Option<i64> {
    if let Ok(time) = text.parse::<jiff::Timestamp>() {
        return Some(time.as_millisecond());
    }
    if !text.contains(['T', 't']) {
        return None;
    }
    // A time with an offset, or a civil time read as UTC, counted from the
    // civil epoch: jiff's `Timestamp` stops a day short of year 9999's end
    // (9999-12-31T23:59:59Z is a valid time for Kafka's tools).
    let pieces = jiff::fmt::temporal::Pieces::parse(text).ok()?;
    let civil = pieces.date().to_datetime(pieces.time()?);
    let offset = pieces.to_numeric_offset().unwrap_or(jiff::tz::Offset::UTC);
    let since_epoch = civil.duration_since(jiff::civil::date(1970, 1, 1).to_datetime(jiff::civil::Time::midnight()));
    let ms = i64::try_from(since_epoch.as_millis()).ok()?;
    ms.checked_sub(i64::from(offset.seconds()) * 1000)
}

fn duration_ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_parses() {
        assert_eq!(Position::parse("beginning").expect("b"), Position::Beginning);
        assert_eq!(Position::parse("end").expect("e"), Position::End);
        assert_eq!(Position::parse("42").expect("n"), Position::Offset(42));
        assert_eq!(Position::parse("-10").expect("-n"), Position::FromEnd(10));
        assert_eq!(Position::parse("@1732523000000").expect("@"), Position::Time(1_732_523_000_000));
        assert_eq!(Position::parse("s@1732523000000").expect("s@"), Position::Time(1_732_523_000_000));
        assert_eq!(Position::parse("+3").expect("+n"), Position::FromStart(3));
        assert_eq!(Position::parse("oldest").expect("oldest"), Position::Beginning);
        assert_eq!(Position::parse("newest").expect("newest"), Position::End);
        assert_eq!(Position::parse("2024-11-25T08:23:20Z").expect("rfc3339"), Position::Time(1_732_523_000_000));
        let Position::Time(t) = Position::parse("-15m").expect("rel") else { panic!("relative time") };
        assert!((now_ms() - 15 * 60_000 - t).abs() < 5_000);
        for bad in [
            "soon",
            "@x",
            "-",
            "+",
            "+x",
            "1.5",
            "-15 parsecs",
            "2026-01-01",
            "2026-01-01T25:00:00Z",
            "2026-13-01T00:00:00Z",
        ] {
            assert_eq!(Position::parse(bad).expect_err(bad).exit_code(), 2, "{bad}");
        }
    }

    #[test]
    fn every_rfc_3339_form_and_kafkas_zoneless_form_parse_to_the_same_instant() {
        // 2026-01-01T01:00:00Z, written every way a user or a tool writes it.
        let instant = 1_767_229_200_000;
        for text in [
            "2026-01-01T01:00:00Z",
            "2026-01-01t01:00:00z",
            "2026-01-01T01:00:00.000Z",
            "2026-01-01T02:00:00+01:00",
            "2026-01-01T02:00:00.000+01:00",
            "2025-12-31T20:00:00-05:00",
            "2025-12-31T20:00:00.000-05:00",
            "2026-01-01T01:00:00+00:00",
            "2026-01-01T01:00:00.000",
            "2026-01-01T01:00:00",
        ] {
            assert_eq!(Position::parse(text).expect(text), Position::Time(instant), "{text}");
        }
        assert_eq!(parse_datetime("2026-01-01T01:00:00.250+00:00"), Some(instant + 250));
    }

    #[test]
    fn the_last_second_of_year_9999_is_a_time_as_for_kafkas_tools() {
        // java.time.Instant.parse("9999-12-31T23:59:59Z").toEpochMilli()
        let last = 253_402_300_799_000;
        assert_eq!(parse_datetime("9999-12-31T23:59:59Z"), Some(last));
        assert_eq!(parse_datetime("9999-12-31T23:59:59.999Z"), Some(last + 999));
        assert_eq!(parse_datetime("9999-12-31T23:59:59"), Some(last));
        assert_eq!(parse_datetime("9999-12-31T23:59:59-01:00"), Some(last + 3_600_000));
        assert_eq!(parse_datetime("9999-12-31T22:59:59+01:00"), Some(last - 7_200_000));
        assert_eq!(parse_datetime("0000-01-01T00:00:00Z"), Some(-62_167_219_200_000));
        assert_eq!(parse_datetime("9999-12-31"), None, "a date alone is no time");
    }
}

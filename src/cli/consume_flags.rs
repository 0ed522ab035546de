//! `consume`'s flags as Kafka users type them: where to start and stop
//! (`--from`, kcat's `-o/--offset` with `s@MS`, rpk's `+N`, `:end` and
//! `FROM:UNTIL` ranges, kafka-console-consumer's `--from-beginning`), several
//! `--partition` values, and `-r/--regex` topic patterns resolved against
//! the data dir's topics.

use super::consume::ConsumeArgs;
use super::global::Context;
use crate::consumer::{Position, Until};
use crate::error::{Error, Result};
use crate::output::records::RecordFormat;

/// Where `--from`/`-o` starts, and where it stops when it is a range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StartArg {
    pub from: Position,
    pub until: Option<Until>,
}

/// `--from`/`-o`: a position, or rpk's range `FROM:UNTIL` where an empty
/// FROM is the beginning and an empty UNTIL the end (`:end` reads what is
/// there now). An RFC 3339 time holds colons too, so a whole position is
/// tried first.
pub fn parse_start(text: &str) -> std::result::Result<StartArg, String> {
    let whole = match Position::parse(text) {
        Ok(from) => return Ok(StartArg { from, until: None }),
        Err(e) => e.message,
    };
    for (i, _) in text.match_indices(':') {
        let (left, right) = (&text[..i], &text[i + 1..]);
        let from = if left.is_empty() { Ok(Position::Beginning) } else { Position::parse(left).map_err(|e| e.message) };
        let until = if right.is_empty() { Ok(Until::End) } else { parse_until(right) };
        if let (Ok(from), Ok(until)) = (from, until) {
            return Ok(StartArg { from, until: Some(until) });
        }
    }
    Err(whole)
}

/// `--until`: a position other than the beginning; kcat's `e@UNIX_MS` too.
pub fn parse_until(text: &str) -> std::result::Result<Until, String> {
    let text = text.strip_prefix("e@").map_or_else(|| text.to_string(), |ms| format!("@{ms}"));
    match Position::parse(&text).map_err(|e| e.message)? {
        Position::Beginning => Err("--until beginning would read nothing; use end, an offset or a time".into()),
        Position::FromStart(_) => Err("--until +N is not supported; use an offset, -N, end or a time".into()),
        Position::End => Ok(Until::End),
        Position::Offset(n) => Ok(Until::Offset(n)),
        Position::FromEnd(n) => Ok(Until::FromEnd(n)),
        Position::Time(ms) => Ok(Until::Time(ms)),
    }
}

/// Offsets from 10^12 to 10^13 - 1 are 13 digits: the length of a time in
/// ms since the epoch (2001 to 2286), a likely slip for `@MS`.
const TIME_LIKE: std::ops::Range<u64> = 1_000_000_000_000..10_000_000_000_000;

impl ConsumeArgs {
    /// `--format` (else the config file's `consume-format`, else `value`),
    /// with `-Z` printing `NULL` for null keys and values.
    pub fn record_format(&self) -> Result<RecordFormat> {
        let text = self.format.as_deref().or_else(|| super::config_file::consume_format()).unwrap_or("value");
        let format = RecordFormat::parse(text)?;
        if self.print_nulls { format.print_nulls() } else { Ok(format) }
    }

    /// `--client-id`, else the config file's `client-id` (`None`: the
    /// member names itself `runnel-PID`).
    pub fn member_client_id(&self) -> Option<String> {
        self.client_id.clone().or_else(|| super::config_file::client_id().map(str::to_string))
    }

    /// Where reading starts (`None`: the default of the mode).
    pub fn start_position(&self) -> Option<Position> {
        if self.from_beginning { Some(Position::Beginning) } else { self.from.map(|s| s.from) }
    }

    /// Where reading stops: `--until`, else the end of a `--from` range.
    pub fn stop_position(&self) -> Option<Until> {
        self.until.or(self.from.and_then(|s| s.until))
    }

    /// The `--partition` values, each once, in order.
    pub fn partitions(&self) -> Vec<u32> {
        let mut partitions = self.partition.clone();
        partitions.sort_unstable();
        partitions.dedup();
        partitions
    }

    /// A warning for a 13-digit offset, which looks like a time in ms.
    pub fn warn_time_like_offsets(&self, ctx: &Context) {
        let offsets = [self.start_position().and_then(as_offset), self.until.and_then(until_offset)];
        for n in offsets.into_iter().flatten().filter(|n| TIME_LIKE.contains(n)) {
            ctx.note(format!(
                "runnel: warning: {n} is read as an offset; did you mean @{n} (a time in ms since the epoch)?"
            ));
        }
    }

    /// The topics named, or with `-r/--regex` every topic a pattern matches
    /// in full (sorted, each once); none matching is exit 66.
    pub fn topic_names(&self, backend: &dyn crate::backend::Backend) -> Result<Vec<String>> {
        if !self.regex {
            return Ok(self.topics.clone());
        }
        let mut patterns = Vec::new();
        for text in &self.topics {
            let anchored = format!("^(?:{text})$");
            patterns.push(regex::Regex::new(&anchored).map_err(|e| {
                Error::usage(format!("invalid topic pattern '{text}': {}", e.to_string().replace('\n', " ")))
            })?);
        }
        let names: Vec<String> =
            backend.topic_names()?.into_iter().filter(|name| patterns.iter().any(|p| p.is_match(name))).collect();
        if names.is_empty() {
            return Err(Error::not_found(format!("no topic matches {}", self.topics.join(", "))));
        }
        Ok(names)
    }
}

fn as_offset(p: Position) -> Option<u64> {
    if let Position::Offset(n) = p { Some(n) } else { None }
}

fn until_offset(u: Until) -> Option<u64> {
    if let Until::Offset(n) = u { Some(n) } else { None }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_and_ranges_as_kcat_and_rpk_write_them() {
        let start = |t: &str| parse_start(t).expect(t);
        assert_eq!(start("beginning"), StartArg { from: Position::Beginning, until: None });
        assert_eq!(start(":end"), StartArg { from: Position::Beginning, until: Some(Until::End) });
        assert_eq!(start("+2"), StartArg { from: Position::FromStart(2), until: None });
        assert_eq!(start("10:20"), StartArg { from: Position::Offset(10), until: Some(Until::Offset(20)) });
        assert_eq!(start("-5:"), StartArg { from: Position::FromEnd(5), until: Some(Until::End) });
        assert_eq!(start("s@1000:e@2000"), StartArg { from: Position::Time(1000), until: Some(Until::Time(2000)) });
        // An RFC 3339 time is a whole position, not a range.
        assert_eq!(start("2024-11-25T08:23:20Z").from, Position::Time(1_732_523_000_000));
        assert!(parse_start("soon").expect_err("bad").contains("invalid position 'soon'"));
        assert!(parse_start("soon:end").is_err());
        assert!(parse_until("+3").is_err());
        assert!(parse_until("beginning").is_err());
    }

    #[test]
    fn thirteen_digits_look_like_a_time() {
        assert!(TIME_LIKE.contains(&1_732_523_000_000));
        assert!(!TIME_LIKE.contains(&999_999_999_999) && !TIME_LIKE.contains(&42));
    }
}

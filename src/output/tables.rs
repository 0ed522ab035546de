//! Shared rendering of admin reports: `--format table|json`, aligned
//! borderless tables like the Kafka tools', and small cell helpers.

use std::fmt::Display;

use comfy_table::{ContentArrangement, Table, presets};
use serde::Serialize;

/// The `--format` of admin commands that print. The flag (and a config
/// file's `admin-format`) is parsed by the CLI's `AdminFormatArg`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AdminFormat {
    /// Aligned columns for people.
    #[default]
    Table,
    /// One JSON document for scripts.
    Json,
}

/// Spaces between columns.
pub(crate) const GAP: u16 = 2;

/// An aligned table with a header row and no borders; every line ends with
/// a newline and carries no trailing spaces. Rows shorter than the header
/// are padded with empty cells. Control characters in a cell (a client id
/// or host a user chose) are printed escaped, so no cell can break a line,
/// move the cursor or recolour the terminal.
pub fn table(headers: &[&str], rows: Vec<Vec<String>>) -> String {
    let mut t = Table::new();
    t.load_preset(presets::NOTHING).set_content_arrangement(ContentArrangement::Disabled).force_no_tty();
    t.set_header(headers.to_vec());
    for row in rows {
        t.add_row(row.into_iter().map(|cell| escape_controls(&cell)).collect::<Vec<_>>());
    }
    for column in t.column_iter_mut() {
        column.set_padding((0, GAP));
    }
    let mut out = String::new();
    for line in t.lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// `text` with its control characters escaped (`\n`, `\u{1b}`), the rest as is.
pub fn escape_controls(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    text.chars().map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() }).collect()
}

/// `value` as text, or `-` when there is none (an offline leader, say).
pub fn dash<T: Display>(value: Option<T>) -> String {
    match value {
        Some(v) => v.to_string(),
        None => "-".to_string(),
    }
}

/// Broker ids as `1,2,0`, or `-` for none.
pub fn join_ids(ids: &[u32]) -> String {
    if ids.is_empty() {
        return "-".to_string();
    }
    ids.iter().map(u32::to_string).collect::<Vec<_>>().join(",")
}

/// `123 B`, `1.5 KiB`, `2.0 GiB`.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 6] = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// One pretty-printed JSON document and a newline.
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> String {
    // Serializing plain structs, maps and numbers cannot fail; fall back to
    // null rather than panic should a future type disagree.
    let mut text = serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".to_string());
    text.push('\n');
    text
}

/// One pretty-printed JSON document and a newline, written to `out` as it
/// is serialized (as [`to_json`] renders it).
pub fn write_json<T: Serialize + ?Sized>(out: &mut impl std::io::Write, value: &T) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    out.write_all(b"\n")
}

/// What `write` writes, as a `String` (for the callers that want the text).
pub fn rendered(write: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> String {
    let mut out = Vec::new();
    // Writing to a Vec fails only if serializing does, and the documents
    // written are plain structs, maps and numbers; keep what was written.
    let _ = write(&mut out);
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_in_cells_are_escaped() {
        let out =
            table(&["CLIENT-ID"], vec![vec!["evil\n\u{1b}[31mred\ttab".to_string()], vec!["plain é".to_string()]]);
        assert_eq!(out, "CLIENT-ID\nevil\\n\\u{1b}[31mred\\ttab\nplain é\n");
        assert_eq!(out.lines().count(), 3, "no cell breaks a line");
    }

    #[test]
    fn table_aligns_without_borders_or_trailing_spaces() {
        let out = table(&["NAME", "N"], vec![vec!["alpha".into(), "1".into()], vec!["b".into(), "22".into()]]);
        assert_eq!(out, "NAME   N\nalpha  1\nb      22\n");
    }

    #[test]
    fn table_with_no_rows_is_the_header() {
        assert_eq!(table(&["A", "B"], Vec::new()), "A  B\n");
    }

    #[test]
    fn helpers() {
        assert_eq!(dash(Some(3)), "3");
        assert_eq!(dash::<u32>(None), "-");
        assert_eq!(join_ids(&[1, 2, 0]), "1,2,0");
        assert_eq!(join_ids(&[]), "-");
        assert_eq!(human_bytes(123), "123 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(1 << 30), "1.0 GiB");
    }
}

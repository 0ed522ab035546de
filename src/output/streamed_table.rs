//! Aligned tables written row by row, for tables too long to hold: a first
//! pass over the rows measures each column, a second writes each row
//! straight out. The bytes are those of [`super::tables::table`] (comfy-table,
//! which holds a cell object per cell: 130 MB for 100,000 partitions).

use std::borrow::Cow;
use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

use super::tables::{GAP, escape_controls};

/// Writes the table of `headers` and the rows `rows()` yields, as
/// [`super::tables::table`] would render them. `rows` is called twice (once
/// to measure, once to write), and must yield the same rows both times; a
/// row shorter than the header is padded with empty cells, cells past the
/// header's are not shown. Memory: one row and one line at a time.
pub fn write_table<I, R>(out: &mut impl Write, headers: &[&str], rows: impl Fn() -> I) -> io::Result<()>
where
    I: Iterator<Item = R>,
    R: AsRef<[String]>,
{
    // Headers are the program's own words, shown as they are (as comfy-table does).
    let mut widths: Vec<usize> = headers.iter().map(|h| cell_width(h)).collect();
    for row in rows() {
        for (width, cell) in widths.iter_mut().zip(row.as_ref()) {
            *width = (*width).max(cell_width(&escaped(cell)));
        }
    }
    let mut line = String::new();
    write_line(out, &mut line, &widths, headers.iter().map(|&h| Cow::Borrowed(h)))?;
    for row in rows() {
        write_line(out, &mut line, &widths, row.as_ref().iter().map(|cell| escaped(cell)))?;
    }
    Ok(())
}

/// One row, each cell left-aligned in its column and followed by the gap,
/// trailing white space trimmed, then a newline.
fn write_line<'a>(
    out: &mut impl Write,
    line: &mut String,
    widths: &[usize],
    mut cells: impl Iterator<Item = Cow<'a, str>>,
) -> io::Result<()> {
    line.clear();
    for &width in widths {
        let cell = cells.next().unwrap_or(Cow::Borrowed(""));
        line.push_str(&cell);
        let pad = width.saturating_sub(cell.width()) + usize::from(GAP);
        line.extend(std::iter::repeat_n(' ', pad));
    }
    out.write_all(line.trim_end().as_bytes())?;
    out.write_all(b"\n")
}

/// A cell's text as shown: its control characters escaped.
fn escaped(text: &str) -> Cow<'_, str> {
    if text.chars().any(char::is_control) { Cow::Owned(escape_controls(text)) } else { Cow::Borrowed(text) }
}

/// The columns a cell takes; comfy-table gives every column at least one.
fn cell_width(text: &str) -> usize {
    text.width().max(1)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::output::tables::table;

    fn streamed(headers: &[&str], rows: &[Vec<String>]) -> String {
        let mut out = Vec::new();
        write_table(&mut out, headers, || rows.iter()).expect("writing to a Vec");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn matches_the_small_table_renderer() {
        let rows = vec![vec!["alpha".to_string(), "1".to_string()], vec!["b".to_string(), "22".to_string()]];
        assert_eq!(streamed(&["NAME", "N"], &rows), "NAME   N\nalpha  1\nb      22\n");
        assert_eq!(streamed(&["A", "B"], &[]), "A  B\n");
    }

    #[test]
    fn short_rows_empty_columns_and_escapes_match() {
        let rows = vec![
            vec!["évil\n\u{1b}[31m".to_string()],
            vec![String::new(), String::new(), "x".to_string()],
            vec!["宽字符".to_string(), " \u{a0}".to_string(), "\u{3000}".to_string()],
        ];
        let headers = ["H", "", "LAST"];
        assert_eq!(streamed(&headers, &rows), table(&headers, rows.clone()));
    }

    fn cell() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-z0-9,-]{0,12}",
            "[ \\t\\n\\u{1b}\\u{a0}\\u{3000}a]{0,6}",
            "\\PC{0,8}",
            "[\\u{4e00}-\\u{4e10}\\u{301}\\u{200b}]{0,5}",
        ]
    }

    proptest! {
        /// The streamed renderer writes exactly what comfy-table renders.
        #[test]
        fn streamed_equals_comfy_table(
            headers in prop::collection::vec("[A-Z-]{0,10}|\\PC{0,4}", 1..6),
            rows in prop::collection::vec(prop::collection::vec(cell(), 0..6), 0..12),
        ) {
            let width = headers.len();
            let rows: Vec<Vec<String>> = rows.into_iter().map(|mut r| { r.truncate(width); r }).collect();
            let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
            prop_assert_eq!(streamed(&headers, &rows), table(&headers, rows.clone()));
        }
    }
}

//! The `--format table|json` flag of the admin commands that print.

use clap::{Args, ValueEnum};

use crate::output::AdminFormat;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AdminFormatArg {
    /// Aligned columns, like the Kafka tools
    Table,
    /// One JSON document
    Json,
}

// `--format table|json` (a plain comment: clap would take a doc comment of
// a flattened struct for the command's description when it is deferred).
#[derive(Debug, Clone, Args)]
pub struct AdminFormatFlag {
    /// How to print the result [default: table, or the config file's admin-format]
    #[arg(short, long, value_enum, env = "RUNNEL_ADMIN_FORMAT")]
    pub format: Option<AdminFormatArg>,
}

impl AdminFormatFlag {
    /// The flag (or its environment variable), else the config file's
    /// `admin-format`, else a table.
    pub fn get(&self) -> AdminFormat {
        match self.format.or_else(super::config_file::admin_format).unwrap_or(AdminFormatArg::Table) {
            AdminFormatArg::Table => AdminFormat::Table,
            AdminFormatArg::Json => AdminFormat::Json,
        }
    }
}

/// Standard output as a file of its own (a duplicate of fd 1): std's
/// `stdout()` takes a closed descriptor (EBADF) for a sink and reports
/// success, so a report to `>&-` would vanish with exit 0; this says
/// "cannot open standard output" (exit 74).
pub fn stdout_unbuffered() -> crate::error::Result<std::fs::File> {
    use crate::error::IoContext;
    use std::os::fd::AsFd;
    let fd = std::io::stdout().as_fd().try_clone_to_owned().at("open", std::path::Path::new("standard output"))?;
    Ok(std::fs::File::from(fd))
}

/// Prints a rendered report on stdout, ending it with one newline.
pub fn print_report(text: &str) -> crate::error::Result<()> {
    use std::io::Write;
    let mut out = stdout_unbuffered()?;
    let result = if text.ends_with('\n') { out.write_all(text.as_bytes()) } else { writeln!(out, "{text}") };
    result.and_then(|()| out.flush()).map_err(crate::error::Error::output)
}

/// Prints what `write` writes, through a buffer on stdout: for reports too
/// long to hold as one string (`topic describe` of 100,000 partitions).
pub fn print_streamed(
    write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> std::io::Result<()>,
) -> crate::error::Result<()> {
    use std::io::Write;
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, stdout_unbuffered()?);
    write(&mut out).and_then(|()| out.flush()).map_err(crate::error::Error::output)
}

/// Prints names one per line (control characters escaped, as in tables).
pub fn print_names(names: &[String]) -> crate::error::Result<()> {
    let text: String = names.iter().map(|n| crate::output::tables::escape_controls(n) + "\n").collect();
    if text.is_empty() { Ok(()) } else { print_report(&text) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flag_names_map_to_the_output_formats() {
        for (text, format) in [("table", AdminFormat::Table), ("json", AdminFormat::Json)] {
            let arg = AdminFormatArg::from_str(text, false).expect(text);
            assert_eq!(AdminFormatFlag { format: Some(arg) }.get(), format);
        }
        assert_eq!(AdminFormatFlag { format: None }.get(), AdminFormat::Table, "no flag and no config file");
        assert!(AdminFormatArg::from_str("yaml", false).is_err());
    }
}

//! Man pages from the clap definition: clap_mangen's sections, plus the
//! examples kept as written (no filling, no hyphenation, so a command never
//! breaks mid-word), the notes of each command's help, and an EXIT STATUS
//! section (REFERENCE.md, "Exit codes"). The `help` subcommand gets no page
//! and is not listed.

use std::path::{Path, PathBuf};

use roff::{Roff, roman};

use crate::error::{Error, Result};

/// The exit codes every command shares, as the EXIT STATUS section lists them.
pub const EXIT_STATUS: [(&str, &str); 11] = [
    ("0", "Success; also when the reader of standard output went away (a closed pipe)."),
    ("1", "An internal error."),
    ("2", "Usage: bad flags, arguments, positions, durations or templates, or an unreadable config file."),
    ("65", "Bad input data (the line is named), or an unknown topic config or bad config value."),
    ("66", "Unknown topic or group, or no data dir where one was expected."),
    ("69", "Unavailable: a partition without a leader, or too few in-sync replicas for --acks all."),
    ("73", "The request conflicts with what exists: a topic already there, a group with live members."),
    ("74", "An I/O failure or corruption, naming the file."),
    ("75", "A lock not obtained within --lock-timeout, naming its holder."),
    ("124", "A --timeout ran out."),
    ("130, 143", "A group member got a second SIGINT or SIGTERM while stopping."),
];

/// One page per command and subcommand: `runnel.1`, `runnel-topic-create.1`, ...
pub fn add_man_pages(root: clap::Command, files: &mut Vec<(PathBuf, Vec<u8>)>) -> Result<()> {
    let mut root = root.disable_help_subcommand(true);
    root.build();
    add_pages(&root, "runnel", files)
}

fn add_pages(command: &clap::Command, name: &str, files: &mut Vec<(PathBuf, Vec<u8>)>) -> Result<()> {
    files.push((Path::new("man").join(format!("{name}.1")), page(command, name)?));
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
        add_pages(sub, &format!("{name}-{}", sub.get_name()), files)?;
    }
    Ok(())
}

fn page(command: &clap::Command, name: &str) -> Result<Vec<u8>> {
    let man = clap_mangen::Man::new(command.clone().name(name.to_string()));
    let mut out = Vec::new();
    let failed = |e: std::io::Error| Error::other(format!("cannot render the man page of {name}: {e}"));
    man.render_title(&mut out).map_err(failed)?;
    // No hyphenation anywhere: flags and commands are copied from man pages.
    out.extend_from_slice(b".nh\n");
    man.render_name_section(&mut out).map_err(failed)?;
    man.render_synopsis_section(&mut out).map_err(failed)?;
    man.render_description_section(&mut out).map_err(failed)?;
    if command.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut out).map_err(failed)?;
    }
    if command.get_subcommands().any(|s| !s.is_hide_set()) {
        man.render_subcommands_section(&mut out).map_err(failed)?;
    }
    let mut roff = Roff::new();
    if let Some(after) = command.get_after_help() {
        after_help(&after.to_string(), &mut roff);
    }
    roff.control("SH", ["EXIT STATUS"]);
    for (code, meaning) in EXIT_STATUS {
        roff.control("TP", []).text([roman(code)]).text([roman(meaning)]);
    }
    roff.to_writer(&mut out).map_err(failed)?;
    man.render_version_section(&mut out).map_err(failed)?;
    Ok(out)
}

/// A help's closing text: its "Examples:" paragraph as EXAMPLES, lines kept
/// as they are; every other paragraph under NOTES, filled.
fn after_help(text: &str, roff: &mut Roff) {
    let mut notes = Vec::new();
    for paragraph in text.split("\n\n") {
        match paragraph.strip_prefix("Examples:") {
            Some(examples) => {
                roff.control("SH", ["EXAMPLES"]).control("nf", []);
                for line in examples.lines().filter(|l| !l.trim().is_empty()) {
                    roff.text([roman(line)]);
                }
                roff.control("fi", []);
            }
            None => notes.push(paragraph),
        }
    }
    if !notes.is_empty() {
        roff.control("SH", ["NOTES"]);
        for (i, paragraph) in notes.iter().enumerate() {
            if i > 0 {
                roff.control("PP", []);
            }
            for line in paragraph.lines() {
                roff.text([roman(line)]);
            }
        }
    }
}

//! Shell completions and man pages, generated from the one clap definition:
//! `runnel completions SHELL` prints a script; the hidden `runnel generate
//! --out-dir DIR` writes `DIR/completions/` and `DIR/man/` (what the
//! repository commits, checked by a test). Hidden commands are not offered;
//! the bash, zsh and fish scripts also complete topic and group names from
//! the data dir (`names.bash`, `names.zsh`, `names.fish`).

use std::fs;
use std::path::{Path, PathBuf};

use clap::Args;
use clap_complete::Shell;

use super::global::Context;
use crate::error::{IoContext, Result};

#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:
  runnel completions bash > ~/.local/share/bash-completion/completions/runnel
  runnel completions zsh > ~/.zfunc/_runnel
  runnel completions fish > ~/.config/fish/completions/runnel.fish")]
pub struct CompletionsArgs {
    /// bash, zsh, fish, elvish or powershell
    #[arg(value_enum)]
    pub shell: Shell,
}

#[derive(Debug, Clone, Args)]
pub struct GenerateArgs {
    /// Where to write completions/ and man/
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub out_dir: PathBuf,
}

/// The shells completions are generated for.
pub const SHELLS: [Shell; 5] = [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::Elvish, Shell::PowerShell];

pub fn cmd_completions(args: &CompletionsArgs) -> Result<()> {
    super::format::print_report(&String::from_utf8_lossy(&script(args.shell)))
}

/// The completion script of `shell`.
pub fn script(shell: Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut visible_command(), "runnel", &mut out);
    match shell {
        Shell::Bash => out.extend_from_slice(include_bytes!("names.bash")),
        Shell::Fish => out.extend_from_slice(include_bytes!("names.fish")),
        Shell::Zsh => out = zsh_with_names(&out),
        _ => {}
    }
    out
}

/// The zsh script with topic and group positionals completed from the data
/// dir: their `_default` action becomes `_runnel_topic_names` or
/// `_runnel_group_names` (defined in `names.zsh`). A new topic's name
/// (`topic create`) is left alone.
fn zsh_with_names(script: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(script);
    let mut out = String::with_capacity(text.len() + 1024);
    for line in text.split_inclusive('\n') {
        let spec = line.trim_start();
        let action = if spec.starts_with("':group -- ") {
            Some("_runnel_group_names")
        } else if (spec.starts_with("':name -- The topic") && !spec.starts_with("':name -- The topic name"))
            || spec.starts_with("':topic -- ")
            || spec.starts_with("'*::topics -- ")
            || spec.starts_with("'*::names -- The topics")
        {
            Some("_runnel_topic_names")
        } else {
            None
        };
        match action {
            Some(action) if line.contains(":_default' \\") => {
                out.push_str(&line.replace(":_default' \\", &format!(":{action}' \\")));
            }
            _ => out.push_str(line),
        }
        if line.starts_with("autoload -U is-at-least") {
            out.push_str(include_str!("names.zsh"));
        }
    }
    out.into_bytes()
}

/// The command line without its hidden commands (clap_complete's scripts
/// would offer them). Unbuilt, its subcommands still deferred, so that the
/// copy defines them when clap_complete builds it.
fn visible_command() -> clap::Command {
    let full = <super::Cli as clap::CommandFactory>::command();
    let mut visible = clap::Command::new("runnel").propagate_version(true);
    if let Some(version) = full.get_version() {
        visible = visible.version(version.to_string());
    }
    if let Some(about) = full.get_about() {
        visible = visible.about(about.clone());
    }
    for arg in full.get_arguments() {
        visible = visible.arg(arg.clone());
    }
    for sub in full.get_subcommands().filter(|s| !s.is_hide_set()) {
        visible = visible.subcommand(sub.clone());
    }
    visible
}

pub fn cmd_generate(ctx: &Context, args: &GenerateArgs) -> Result<()> {
    let files = generated_files()?;
    for (relative, bytes) in &files {
        let path = args.out_dir.join(relative);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).at("create", dir)?;
        }
        fs::write(&path, bytes).at("write", &path)?;
    }
    ctx.note(format!("wrote {} files under {}", files.len(), args.out_dir.display()));
    Ok(())
}

/// Every generated file: its path relative to the repository root and its bytes.
pub fn generated_files() -> Result<Vec<(PathBuf, Vec<u8>)>> {
    let mut files = Vec::new();
    for shell in SHELLS {
        let out = script(shell);
        let name = match shell {
            Shell::Bash => "runnel.bash",
            Shell::Zsh => "_runnel",
            Shell::Fish => "runnel.fish",
            Shell::Elvish => "runnel.elv",
            _ => "_runnel.ps1",
        };
        files.push((Path::new("completions").join(name), out));
    }
    super::man_pages::add_man_pages(super::unbuilt_command(), &mut files)?;
    Ok(files)
}

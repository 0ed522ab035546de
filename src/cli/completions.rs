//! Shell completions and man pages, generated from the one clap definition:
//! `runnel completions SHELL` prints a script; the hidden `runnel generate
//! --out-dir DIR` writes `DIR/completions/` and `DIR/man/` (what the
//! repository commits, checked by a test).

use std::fs;
use std::path::{Path, PathBuf};

use clap::Args;
use clap_complete::Shell;

use super::global::Context;
use crate::error::{Error, IoContext, Result};

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
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut super::command(), "runnel", &mut out);
    super::format::print_report(&String::from_utf8_lossy(&out))
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
        let mut out = Vec::new();
        clap_complete::generate(shell, &mut super::command(), "runnel", &mut out);
        let name = match shell {
            Shell::Bash => "runnel.bash",
            Shell::Zsh => "_runnel",
            Shell::Fish => "runnel.fish",
            Shell::Elvish => "runnel.elv",
            _ => "_runnel.ps1",
        };
        files.push((Path::new("completions").join(name), out));
    }
    let mut command = super::command();
    command.build();
    add_man_pages(&command, "runnel", &mut files)?;
    Ok(files)
}

/// One man page per command and subcommand: `runnel.1`, `runnel-topic-create.1`, ...
fn add_man_pages(command: &clap::Command, name: &str, files: &mut Vec<(PathBuf, Vec<u8>)>) -> Result<()> {
    let page = command.clone().name(name.to_string());
    let mut out = Vec::new();
    clap_mangen::Man::new(page)
        .render(&mut out)
        .map_err(|e| Error::other(format!("cannot render the man page of {name}: {e}")))?;
    files.push((Path::new("man").join(format!("{name}.1")), out));
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help") {
        add_man_pages(sub, &format!("{name}-{}", sub.get_name()), files)?;
    }
    Ok(())
}

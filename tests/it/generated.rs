//! The committed completions and man pages match what the command
//! definitions generate. `RUNNEL_REGENERATE=1 cargo test --test it generated::`
//! rewrites them.

use std::path::Path;

#[test]
fn completions_and_man_pages_are_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = runnel::cli::completions::generated_files().expect("generate");
    assert!(files.len() >= 5 + 8, "expected completions for 5 shells and a man page per command");
    let regenerate = std::env::var_os("RUNNEL_REGENERATE").is_some();
    let mut stale = Vec::new();
    for (relative, bytes) in &files {
        let path = root.join(relative);
        if regenerate {
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, bytes).expect("write");
        } else if std::fs::read(&path).ok().as_deref() != Some(bytes.as_slice()) {
            stale.push(relative.display().to_string());
        }
    }
    assert!(stale.is_empty(), "out of date: {stale:?}; run RUNNEL_REGENERATE=1 cargo test --test it generated::");
}

#[test]
fn completions_print_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out =
            assert_cmd::Command::cargo_bin("runnel").expect("bin").args(["completions", shell]).output().expect("run");
        assert!(out.status.success(), "{shell}");
        assert!(String::from_utf8_lossy(&out.stdout).contains("runnel"), "{shell}");
    }
}

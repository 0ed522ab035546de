//! Links the `runnel` executable for a short command's start-up on Linux.
//!
//! - At a fixed address (`-no-pie`). The statically linked librdkafka and
//!   OpenSSL bring ~28,000 relative relocations that the dynamic loader would
//!   otherwise apply at every start, writing (and so copying) every page of
//!   `.data.rel.ro` they touch: about half the page faults of a short command
//!   like `topic list`. Linked non-PIE, the linker resolves them once. The
//!   code itself stays position-independent (nothing is rebuilt); only the
//!   executable is placed at a fixed address, which gives up address
//!   randomisation of the executable's own image (the heap, stacks and shared
//!   libraries stay randomised).
//! - With the code and data a short command touches laid out together
//!   (release builds linked by lld, Rust's default linker on x86-64 Linux
//!   since 1.90): `link/hot-symbols.txt`, written by
//!   `scripts/hot-symbols.py`, is handed to lld's `--symbol-ordering-file`,
//!   so a one-line `produce` maps a few hundred kilobytes of the executable
//!   instead of pages scattered over its 12 MB of text. A name the file
//!   lists that the build no longer has is skipped: the file can go stale,
//!   never wrong.
//!
//! Both are the price of a start at the machine's floor, measured in
//! BENCHMARKS.md ("Startup").
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=link/hot-symbols.txt");
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    if var("CARGO_CFG_TARGET_OS") != "linux" || var("CARGO_CFG_TARGET_ENV") != "gnu" {
        return;
    }
    println!("cargo:rustc-link-arg-bins=-no-pie");
    if var("PROFILE") == "release" && var("CARGO_CFG_TARGET_ARCH") == "x86_64" && links_with_lld(&var("RUSTC")) {
        let order = std::path::Path::new(&var("CARGO_MANIFEST_DIR")).join("link/hot-symbols.txt");
        if order.exists() {
            println!("cargo:rustc-link-arg-bins=-Wl,--symbol-ordering-file={}", order.display());
            println!("cargo:rustc-link-arg-bins=-Wl,--no-warn-symbol-ordering");
        }
    }
}

/// Whether the executable is linked by lld: rustc 1.90 or later on
/// x86_64-unknown-linux-gnu, with no linker chosen in the flags or the
/// environment (GNU ld would refuse `--symbol-ordering-file`).
fn links_with_lld(rustc: &str) -> bool {
    let flags = std::env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    if flags.contains("linker") || flags.contains("fuse-ld") {
        return false;
    }
    if std::env::vars().any(|(name, _)| name.starts_with("CARGO_TARGET_") && name.ends_with("_LINKER")) {
        return false;
    }
    let rustc = if rustc.is_empty() { "rustc" } else { rustc };
    let Ok(out) = Command::new(rustc).arg("--version").output() else {
        return false;
    };
    // "rustc 1.95.0 (59807616e 2026-04-14)"
    let version = String::from_utf8_lossy(&out.stdout);
    let mut numbers = version.split_whitespace().nth(1).unwrap_or("").split('.').map(|n| n.parse::<u32>().unwrap_or(0));
    let (major, minor) = (numbers.next().unwrap_or(0), numbers.next().unwrap_or(0));
    major > 1 || (major == 1 && minor >= 90)
}

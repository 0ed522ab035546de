//! Links the `runnel` executable at a fixed address (`-no-pie`) on Linux.
//!
//! The statically linked librdkafka and OpenSSL bring ~28,000 relative
//! relocations that the dynamic loader would otherwise apply at every start,
//! writing (and so copying) every page of `.data.rel.ro` they touch: about
//! half the page faults of a short command like `topic list`. Linked non-PIE,
//! the linker resolves them once. The code itself stays position-independent
//! (nothing is rebuilt); only the executable is placed at a fixed address,
//! which gives up address randomisation of the executable's own image (the
//! heap, stacks and shared libraries stay randomised): the price of a start
//! at the machine's floor, measured in BENCHMARKS.md ("Startup").
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
        if std::env::var("PROFILE").as_deref() == Ok("release") {
            let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
            println!("cargo:rerun-if-changed=link/hot-symbols.txt");
            println!("cargo:rustc-link-arg-bins=-Wl,--symbol-ordering-file={dir}/link/hot-symbols.txt");
            println!("cargo:rustc-link-arg-bins=-Wl,--no-warn-symbol-ordering");
        }
    }
}

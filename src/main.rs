//! The `runnel` binary: everything lives in the library; this maps the
//! outcome to the process exit code.

fn main() {
    std::process::exit(runnel::cli::main());
}

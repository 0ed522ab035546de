//! A panic — a bug in runnel — is reported as every other error is: one
//! line on stderr, `runnel: error: internal error: runnel panicked at
//! FILE:LINE: WHAT; …`, not std's message with its backtrace note. The
//! command then exits 1, the code of an internal error (REFERENCE.md §8),
//! also when the panic was on a thread whose end the command did not need
//! (an early flush); an error the panic then causes prints no second line
//! ([`reported`]). Many
//! shells export `RUST_BACKTRACE=1` for their own work, so it changes
//! nothing here; `RUNNEL_BACKTRACE=1` keeps std's report and backtrace,
//! for whoever debugs runnel itself.

use std::panic::PanicHookInfo;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set by the first panic's line.
static REPORTED: AtomicBool = AtomicBool::new(false);

/// Replaces std's panic report with one error line (unless `RUNNEL_BACKTRACE=1`).
pub fn install() {
    if std::env::var_os("RUNNEL_BACKTRACE").is_some_and(|v| v == "1") {
        return;
    }
    std::panic::set_hook(Box::new(|info| {
        if !REPORTED.swap(true, Ordering::SeqCst) {
            super::global::stderr_line(line(info));
        }
    }));
}

/// Whether a panic's line was printed: the command's error line, and its
/// success, are then not what to say.
pub fn reported() -> bool {
    REPORTED.load(Ordering::SeqCst)
}

/// The one line a panic prints.
fn line(info: &PanicHookInfo) -> String {
    let payload = info.payload();
    let what = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("no message");
    let at = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
    format!(
        "runnel: error: internal error: runnel panicked{at}: {}; this is a bug in runnel: please report it with \
         the command that caused it",
        what.replace('\n', " ")
    )
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    /// A panic's message and place become one line, whatever the payload.
    /// (The hook is the process's: lines of other tests' panics meanwhile
    /// are left out by their place.)
    #[test]
    fn a_panic_is_one_line_naming_its_place_and_message() {
        let lines = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&lines);
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if let Ok(mut seen) = seen.lock() {
                seen.push(line(info));
            }
        }));
        let _ = std::panic::catch_unwind(|| panic!("two\nlines {}", 2));
        let _ = std::panic::catch_unwind(|| std::panic::panic_any(7_u8));
        std::panic::set_hook(previous);
        let lines: Vec<String> =
            lines.lock().expect("lines").iter().filter(|l| l.contains("panic_line.rs")).cloned().collect();
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[0].starts_with("runnel: error: internal error: runnel panicked at src/cli/panic_line.rs:"));
        assert!(lines[0].contains(": two lines 2; this is a bug in runnel"), "{}", lines[0]);
        assert!(lines[1].contains(": no message; "), "{}", lines[1]);
        assert!(lines.iter().all(|l| !l.contains('\n')));
    }
}

//! Progress on stderr for long work — only when stderr is a terminal and
//! not `--quiet`; never in pipes, never on stdout.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::global::Context;

/// Whether progress may be drawn: stderr is a terminal and not `--quiet`.
pub fn enabled(ctx: &Context) -> bool {
    !ctx.quiet && std::io::stderr().is_terminal()
}

/// A counter with a rate, for work of unknown size (`produced 120,000 messages (450 k msgs/s)`).
pub fn counter(ctx: &Context, verb: &str, unit: &str) -> Option<ProgressBar> {
    if !enabled(ctx) {
        return None;
    }
    let template = format!("{{spinner}} {verb} {{human_pos}} {unit} ({{rate}}) {{elapsed}}");
    let style = ProgressStyle::with_template(&template).ok()?.with_key("rate", rate_key);
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(10)).with_style(style);
    bar.enable_steady_tick(Duration::from_millis(100));
    Some(bar)
}

/// A bar for work of known size (`catching up rides-2 [=====>   ] 5000/12000`).
pub fn bar(ctx: &Context, total: u64, message: &str) -> Option<ProgressBar> {
    if !enabled(ctx) {
        return None;
    }
    let style = ProgressStyle::with_template("{msg} [{bar:30}] {human_pos}/{human_len} ({rate}, {eta})")
        .ok()?
        .with_key("rate", rate_key)
        .progress_chars("=> ");
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr_with_hz(10)).with_style(style);
    bar.set_message(message.to_string());
    Some(bar)
}

/// `{rate}` in a template: `3.93 M/s` (three significant digits), not
/// indicatif's `3,928,267.5899/s`.
fn rate_key(state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write) {
    let text = crate::output::words::rate(state.per_sec(), "");
    let _ = w.write_str(&text.replace(" /s", "/s"));
}

//! The things that make runnel pleasant in a terminal and a script:
//! progress only on terminals, every time format, `--until`, `--timeout`
//! and `topic wait` exit codes, config files and environment variables,
//! and help with examples on every command.

use std::ffi::CStr;
use std::fs::{File, OpenOptions};
use std::io::Read;
use std::os::fd::AsRawFd;
use std::os::unix::fs::OpenOptionsExt;
use std::process::Stdio;
use std::time::Duration;

use crate::common::{self, Sandbox};

fn many_lines(n: usize) -> String {
    (0..n).map(|i| format!("k{}:value number {i}\n", i % 97)).collect()
}

#[test]
fn no_progress_bar_when_stderr_is_a_pipe() {
    let sb = Sandbox::new();
    let out = sb.run_with(&["produce", "t", "--create", "--key-separator", ":"], many_lines(200_000));
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains('\r') && !stderr.contains('\u{1b}'), "control characters in a pipe: {stderr:?}");
    assert_eq!(stderr.lines().filter(|l| l.starts_with("produced")).count(), 1, "{stderr}");
}

/// A fresh pseudo-terminal, (master, slave), both opened close-on-exec as
/// `std::fs` opens every file. `openpty` would leave them inheritable, and
/// the tests share one process: a child spawned meanwhile by another test
/// (a `consume --follow`, a group member) would inherit the slave and keep
/// the terminal open, so the reader below would not see its end.
pub(crate) fn open_pty() -> (File, File) {
    let master = OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(libc::O_NOCTTY)
        .open("/dev/ptmx")
        .expect("open /dev/ptmx");
    let fd = master.as_raw_fd();
    // SAFETY: grantpt and unlockpt on the pty master we just opened.
    assert_eq!(unsafe { libc::grantpt(fd) }, 0, "grantpt");
    // SAFETY: as above.
    assert_eq!(unsafe { libc::unlockpt(fd) }, 0, "unlockpt");
    let mut name = [0 as libc::c_char; 128];
    // SAFETY: ptsname_r writes a NUL-terminated name of at most `name.len()` bytes.
    assert_eq!(unsafe { libc::ptsname_r(fd, name.as_mut_ptr(), name.len()) }, 0, "ptsname_r");
    // SAFETY: ptsname_r succeeded, so `name` holds a NUL-terminated string.
    let name = unsafe { CStr::from_ptr(name.as_ptr()) }.to_str().expect("pty name").to_owned();
    let slave =
        OpenOptions::new().read(true).write(true).custom_flags(libc::O_NOCTTY).open(&name).expect("open pty slave");
    (master, slave)
}

/// Runs `runnel` with stderr on a fresh pseudo-terminal; returns what the terminal showed.
fn stderr_on_a_terminal(sb: &Sandbox, args: &[&str], input: &std::path::Path) -> String {
    let (master, slave) = open_pty();
    let mut child = sb
        .std_cmd(args)
        .env("TERM", "xterm")
        .stdin(std::fs::File::open(input).expect("input"))
        .stdout(Stdio::null())
        .stderr(Stdio::from(slave))
        .spawn()
        .expect("spawn");
    let reader = std::thread::spawn(move || {
        let mut file = master;
        let mut out = Vec::new();
        let mut buf = [0u8; 4096];
        // EIO once the child closed the terminal's last writer.
        while let Ok(n) = file.read(&mut buf) {
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        out
    });
    assert!(child.wait().expect("wait").success());
    String::from_utf8_lossy(&reader.join().expect("reader")).into_owned()
}

#[test]
fn a_progress_counter_draws_when_stderr_is_a_terminal() {
    let sb = Sandbox::new();
    let input = sb.root().join("input.txt");
    std::fs::write(&input, many_lines(400_000)).expect("input");
    let shown = stderr_on_a_terminal(&sb, &["produce", "t", "--create", "--key-separator", ":"], &input);
    assert!(shown.contains("messages ("), "no progress counter on the terminal: {shown:?}");
    assert!(shown.contains("produced 400000 messages"), "{shown:?}");
    let quiet = stderr_on_a_terminal(&sb, &["-q", "produce", "t", "--key-separator", ":"], &input);
    assert!(quiet.is_empty(), "--quiet still drew: {quiet:?}");
}

fn stamped(sb: &Sandbox) -> Vec<i64> {
    let stamps: Vec<i64> = (0..10).map(|i| 1_732_523_000_000 + i * 60_000).collect();
    let input: String = stamps.iter().map(|t| format!("{{\"value\":\"at {t}\",\"timestamp\":{t}}}\n")).collect();
    sb.produce("t", &["--format", "json", "--create"], input);
    stamps
}

#[test]
fn every_time_format_starts_at_the_right_record() {
    let sb = Sandbox::new();
    let stamps = stamped(&sb);
    let first = |from: &str| sb.consume("t", &["--from", from, "--format", "%o"]).chars().next().map(|c| c.to_string());
    assert_eq!(first(&format!("@{}", stamps[3])).as_deref(), Some("3"));
    assert_eq!(first(&format!("@{}", stamps[3] - 1)).as_deref(), Some("3"));
    // 2024-11-25T08:23:20Z is stamps[0]; four minutes later is offset 4.
    assert_eq!(first("2024-11-25T08:27:20Z").as_deref(), Some("4"));
    assert_eq!(first("-3").as_deref(), Some("7"));
    // Everything is older than 15 minutes ago: a relative time starts at the end.
    assert_eq!(sb.consume("t", &["--from", "-15m"]), "");
    let rfc = sb.consume("t", &["--from", "9", "--format", "%d"]);
    assert_eq!(rfc, "2024-11-25T08:32:20.000Z");
}

#[test]
fn until_stops_at_an_offset_a_time_or_the_start_end() {
    let sb = Sandbox::new();
    let stamps = stamped(&sb);
    assert_eq!(sb.consume("t", &["--until", "4", "--format", "%o "]), "0 1 2 3 ");
    assert_eq!(sb.consume("t", &["--until", &format!("@{}", stamps[2]), "--format", "%o "]), "0 1 ");
    assert_eq!(sb.consume("t", &["--from", "8", "--until", "end", "--format", "%o "]), "8 9 ");
    assert_eq!(sb.consume("t", &["--until", "-8", "--format", "%o "]), "0 1 ");
    sb.fails(&["consume", "t", "--until", "beginning"], 2);
}

#[test]
fn timeout_count_and_caught_up_have_their_exit_codes() {
    let sb = Sandbox::new();
    stamped(&sb);
    let out = sb.run(&["consume", "t", "--follow", "--timeout", "200ms"]);
    assert_eq!(out.status.code(), Some(124), "timeout");
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 10, "everything before the timeout was printed");
    let out = sb.run(&["consume", "t", "--follow", "--max-messages", "3"]);
    assert_eq!(out.status.code(), Some(0), "count reached");
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 3);
    assert_eq!(sb.run(&["consume", "t"]).status.code(), Some(0), "caught up");
}

#[test]
fn topic_wait_returns_when_reached_and_124_on_timeout() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "w", "--partitions", "2"]);
    let mut waiter = sb.std_cmd(&["topic", "wait", "w", "--messages", "6", "--timeout", "20s"]).spawn().expect("spawn");
    sb.produce("w", &[], "1\n2\n3\n");
    assert!(waiter.try_wait().expect("try_wait").is_none(), "returned before 6 messages");
    sb.produce("w", &[], "4\n5\n6\n");
    assert!(common::wait_until(Duration::from_secs(10), || waiter.try_wait().expect("try_wait").is_some()));
    assert_eq!(waiter.wait().expect("wait").code(), Some(0));
    sb.fails(&["topic", "wait", "w", "--offset", "100", "--timeout", "100ms"], 124);
    // Round robin from a start picked per process: each 3-line produce gives
    // partition 0 one or two messages, so it holds at least 2.
    sb.ok(&["topic", "wait", "w", "--partition", "0", "--offset", "2", "--timeout", "1s"]);
    sb.fails(&["topic", "wait", "nope", "--offset", "1", "--timeout", "100ms"], 66);
}

#[test]
fn a_config_file_and_environment_variables_set_defaults() {
    let sb = Sandbox::new();
    let config = sb.root().join("runnel.toml");
    let data = sb.root().join("from-config");
    std::fs::write(&config, format!("data-dir = {:?}\nconsume-format = \"%o:%s\\\\n\"\nquiet = true\n", data))
        .expect("config");
    // runnel with nothing but the config file (and HOME) to go by.
    let runnel = || {
        let mut command = std::process::Command::new(Sandbox::bin());
        command.env_clear().env("HOME", sb.root()).env("RUNNEL_CONFIG", &config);
        command
    };
    let run = |args: &[&str], input: &str| {
        let out = assert_cmd::Command::from_std(runnel()).args(args).write_stdin(input).output().expect("run");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (_, stderr) = run(&["produce", "c", "--create"], "a\nb\n");
    assert!(stderr.is_empty(), "quiet from the config file: {stderr}");
    assert!(data.join("topics/c.json").exists(), "the data dir came from the config file");
    assert_eq!(run(&["consume", "c"], "").0, "0:a\n1:b\n");
    // A flag beats the file.
    assert_eq!(run(&["consume", "c", "--format", "value"], "").0, "a\nb\n");
    // The defaults of subcommands' flags: admin-format for every list and
    // describe, client-id only for group members (a plain consume still runs).
    std::fs::write(
        &config,
        format!("data-dir = {:?}\nadmin-format = \"json\"\nclient-id = \"billing-worker\"\n", data),
    )
    .expect("config");
    let listed = run(&["topic", "list"], "").0;
    assert!(serde_json::from_str::<serde_json::Value>(&listed).is_ok(), "admin-format json: {listed}");
    assert!(run(&["topic", "describe", "c"], "").0.trim_start().starts_with('{'), "describe too");
    assert!(run(&["topic", "list", "--format", "table"], "").0.starts_with("NAME"), "the flag beats the file");
    assert_eq!(run(&["consume", "c"], "").0, "a\nb\n");
    // ...and a group member takes the file's client id.
    let mut member = runnel()
        .args(["-q", "consume", "c", "--group", "g", "--follow"])
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    // Until the member has joined, describe fails with "unknown group": poll
    // without asserting success.
    let described = common::wait_until(Duration::from_secs(10), || {
        let out = runnel().args(["group", "describe", "g", "--format", "table"]).output().expect("describe");
        String::from_utf8_lossy(&out.stdout).contains("billing-worker")
    });
    let _ = member.kill();
    let _ = member.wait();
    assert!(described, "group describe shows the config file's client-id");
    for bad in ["admin-format = \"yaml\"\n", "color = true\n"] {
        std::fs::write(&config, bad).expect("config");
        let out = runnel().args(["topic", "list"]).output().expect("run");
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("runnel.toml"), "{bad}");
    }
}

#[test]
fn every_command_has_examples_in_its_help() {
    fn walk(command: &clap::Command, path: &str, missing: &mut Vec<String>) {
        let subcommands: Vec<&clap::Command> =
            command.get_subcommands().filter(|s| !s.is_hide_set() && s.get_name() != "help").collect();
        if subcommands.is_empty() {
            let help = command.get_after_help().map(|h| h.to_string()).unwrap_or_default();
            if !help.contains("runnel ") {
                missing.push(path.to_string());
            }
        }
        for sub in subcommands {
            walk(sub, &format!("{path} {}", sub.get_name()), missing);
        }
    }
    let mut missing = Vec::new();
    walk(&runnel::cli::command(), "runnel", &mut missing);
    assert!(missing.is_empty(), "no examples in --help of: {missing:?}");
}

#[test]
fn group_wait_returns_when_reached_and_124_on_timeout() {
    let sb = Sandbox::new();
    sb.produce("w", &["--create"], "1\n2\n3\n");
    sb.fails(&["group", "wait", "g", "--lag", "0", "--timeout", "100ms"], 66);
    let mut waiter = sb.std_cmd(&["group", "wait", "g", "--lag", "0", "--timeout", "20s"]).spawn().expect("spawn");
    sb.ok(&["-q", "consume", "w", "--group", "g"]);
    assert!(common::wait_until(Duration::from_secs(10), || waiter.try_wait().expect("try_wait").is_some()));
    assert_eq!(waiter.wait().expect("wait").code(), Some(0), "lag 0 once the group read everything");
    sb.produce("w", &[], "4\n");
    sb.fails(&["group", "wait", "g", "--lag", "0", "--timeout", "150ms"], 124);
    sb.ok(&["group", "wait", "g", "--lag", "1", "--state", "empty", "--members", "0", "--timeout", "1s"]);
}

//! A failing disk and a stuck lock holder, through the real binary: a full
//! disk (simulated with `RUNNEL_FAULT_WRITE_AFTER_BYTES`, and for real on a
//! 2 MiB tmpfs when mounting is allowed), a failing fsync, a read-only data
//! dir, a SIGSTOPped producer holding a partition lock, and a FIFO where a
//! data file belongs.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::common::{Sandbox, assert_one_error_line, assert_panicked_at, wait_until};

fn values(sb: &Sandbox, topic: &str) -> Vec<String> {
    sb.consume(topic, &[]).lines().map(String::from).collect()
}

fn numbered(prefix: &str, n: usize) -> String {
    (0..n).map(|i| format!("{prefix}-{i:04}-{}\n", "x".repeat(40))).collect()
}

#[test]
fn a_full_disk_exits_74_keeps_earlier_messages_and_the_next_produce_cuts_the_torn_tail() {
    let sb = Sandbox::with_brokers(2);
    sb.ok(&["topic", "create", "t", "--replication-factor", "2"]);
    sb.produce("t", &[], numbered("ok", 50));

    let out = sb
        .cmd(&["produce", "t"])
        .env("RUNNEL_FAULT_WRITE_AFTER_BYTES", "700")
        .write_stdin(numbered("lost", 200))
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(74), "{stderr}");
    assert!(stderr.contains("disk is full"), "{stderr}");
    assert!(stderr.contains("produced only 0 messages"), "{stderr}");
    assert_eq!(values(&sb, "t"), numbered("ok", 50).lines().collect::<Vec<_>>(), "nothing half-written is visible");

    let out = sb.run_with(&["produce", "t"], numbered("after", 5));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("repaired") && stderr.contains("torn frame"), "the torn tail is cut: {stderr}");
    let mut expected: Vec<String> = numbered("ok", 50).lines().map(String::from).collect();
    expected.extend(numbered("after", 5).lines().map(String::from));
    assert_eq!(values(&sb, "t"), expected);
    sb.ok(&["log", "verify"]);
}

#[test]
fn a_failed_fsync_exits_74_and_is_not_retried() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t", "--partitions", "2"]);
    sb.produce("t", &[], "before\n");
    let out =
        sb.cmd(&["produce", "t"]).env("RUNNEL_FAULT_FSYNC", "fail").write_stdin("a\nb\nc\nd\n").output().expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(74), "{stderr}");
    assert!(stderr.contains("cannot fsync"), "{stderr}");
    assert_eq!(stderr.matches("fsync").count(), 1, "one failure, reported once: {stderr}");
    assert!(values(&sb, "t").contains(&"before".to_string()));
    // With acks 0 nothing is fsynced, so the fault is never met.
    let out = sb
        .cmd(&["produce", "t", "--acks", "0"])
        .env("RUNNEL_FAULT_FSYNC", "fail")
        .write_stdin("e\n")
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// A file of lines past the early flushes' threshold (8 MiB started
/// writing back), written as it is made rather than held in this test
/// process, which runs many tests at once, as 15 MiB strings.
fn past_early_flushes(sb: &Sandbox) -> PathBuf {
    let path = sb.root().join("past-early-flushes.txt");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
    let value = "v".repeat(100);
    for i in 0..150_000 {
        writeln!(out, "k{}:{value}", i % 7).expect("write");
    }
    out.flush().expect("flush");
    assert!(std::fs::metadata(&path).expect("stat").len() > 12 << 20, "past the early flushes' 8 MiB");
    path
}

/// `produce t --key-separator : ARGS` of the lines in `input`.
fn produce_file(sb: &Sandbox, input: &Path, args: &[&str], env: Option<(&str, &str)>) -> std::process::Output {
    let mut cmd = sb.std_cmd(&[&["produce", "t", "--key-separator", ":"], args].concat());
    if let Some((key, value)) = env {
        cmd.env(key, value);
    }
    cmd.stdin(std::fs::File::open(input).expect("input")).output().expect("run")
}

/// A long produce flushes early (killed as its first early flush starts), and
/// `--acks 0`, which asks for no fsync, never does (it runs to exit 0).
#[test]
fn a_long_produce_flushes_early_unless_acks_0() {
    use std::os::unix::process::ExitStatusExt;
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t", "--partitions", "2"]);
    let input = past_early_flushes(&sb);
    let kill = Some(("RUNNEL_FAULT_KILL_AT", "produce.early-flush"));
    let out = produce_file(&sb, &input, &["--acks", "all"], kill);
    assert_eq!(out.status.signal(), Some(9), "an early flush was reached: {:?}", out.status);
    let out = produce_file(&sb, &input, &["--acks", "0"], kill);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // The kill left at most a torn tail, which the next writer cut.
    sb.ok(&["log", "verify", "t"]);
}

/// A panic on a thread the produce does not wait for (its early flush)
/// still ends the run with the panic's one error line and exit 1, an
/// internal error, not exit 0 under an error line; the records are there.
#[test]
fn a_panic_on_the_early_flush_thread_is_one_error_line_and_exit_1() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t", "--partitions", "2"]);
    let input = past_early_flushes(&sb);
    let out = produce_file(&sb, &input, &[], Some(("RUNNEL_FAULT_PANIC_AT", "produce.early-flush")));
    assert_panicked_at(&out, "src/producer/early_flush.rs:");
    sb.ok(&["log", "verify", "t"]);
}

/// A panic on a thread the produce waits for (one of its final fsyncs,
/// `produce.final-sync@2`: the second partition's) is the panic's one
/// error line and exit 1: the error the lost thread then causes prints no
/// second line, and nothing hangs.
#[test]
fn a_panic_on_a_sync_thread_is_one_error_line_and_exit_1() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t", "--partitions", "2"]);
    let input = sb.root().join("two-keys.txt");
    std::fs::write(&input, "a:1\nb:2\nc:3\nd:4\n").expect("input");
    let out = produce_file(&sb, &input, &[], Some(("RUNNEL_FAULT_PANIC_AT", "produce.final-sync@2")));
    assert_panicked_at(&out, "src/cluster/replication/partition_writer.rs:");
}

/// After early flushes (each through a file description of its own) the
/// writer's own final fsync still decides: its failure is still exit 74,
/// reported once; without the fault every line is there.
#[test]
fn a_failed_fsync_after_early_flushes_still_exits_74() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t", "--partitions", "2"]);
    let input = past_early_flushes(&sb);
    let out = produce_file(&sb, &input, &[], Some(("RUNNEL_FAULT_FSYNC", "fail")));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(74), "{stderr}");
    assert_eq!(stderr.matches("fsync").count(), 1, "one failure, reported once: {stderr}");
    let out = produce_file(&sb, &input, &[], None);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let described = sb.ok(&["topic", "describe", "t", "--format", "json"]);
    let described: serde_json::Value = serde_json::from_str(&described).expect("json");
    let ends: u64 = described["partitions"]
        .as_array()
        .expect("partitions")
        .iter()
        .map(|p| p["high_watermark"].as_u64().expect("high watermark"))
        .sum();
    assert_eq!(ends, 300_000, "both runs' lines are in the log: {described}");
}

/// Many written partitions are fsynced many at a time: a failure is
/// reported once, and nothing of the failed produce is claimed durable.
#[test]
fn a_failed_fsync_of_many_partitions_exits_74() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "wide", "--partitions", "64"]);
    let input: String = (0..640).map(|i| format!("k{i}:v{i}\n")).collect();
    let out = sb
        .cmd(&["produce", "wide", "--key-separator", ":"])
        .env("RUNNEL_FAULT_FSYNC", "fail")
        .write_stdin(input)
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(74), "{stderr}");
    assert!(stderr.contains("cannot fsync"), "{stderr}");
    assert_eq!(stderr.matches("fsync").count(), 1, "one failure, reported once: {stderr}");
    assert!(stderr.contains("produced only"), "the summary does not claim success: {stderr}");
}

/// A tmpfs mounted over a folder for the life of the guard (needs root and
/// CAP_SYS_ADMIN); `None`, with the reason printed, where that is not allowed.
struct Tmpfs {
    dir: PathBuf,
}

impl Tmpfs {
    fn mount(dir: &Path, size: &str) -> Option<Tmpfs> {
        let out = Command::new("mount").args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"]).arg(dir).output();
        match out {
            Ok(o) if o.status.success() => Some(Tmpfs { dir: dir.to_path_buf() }),
            Ok(o) => {
                eprintln!("skipped: cannot mount a tmpfs: {}", String::from_utf8_lossy(&o.stderr).trim());
                None
            }
            Err(e) => {
                eprintln!("skipped: cannot run mount: {e}");
                None
            }
        }
    }

    fn remount_read_only(&self) -> bool {
        Command::new("mount").args(["-o", "remount,ro"]).arg(&self.dir).status().is_ok_and(|s| s.success())
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.dir).status();
    }
}

#[test]
fn a_really_full_disk_exits_74_and_keeps_what_was_produced() {
    let sb = Sandbox::new();
    let Some(_mount) = Tmpfs::mount(sb.path(), "2m") else { return };
    sb.ok(&["topic", "create", "t", "--config", "segment.bytes=1048576"]);
    sb.produce("t", &[], numbered("ok", 100));
    // About 3 MiB of messages into 2 MiB.
    let big: String = (0..3000).map(|i| format!("big-{i:05}-{}\n", "y".repeat(1000))).collect();
    let out = sb.run_with(&["produce", "t"], big);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(74), "{stderr}");
    assert!(stderr.contains("disk is full"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let got = values(&sb, "t");
    assert_eq!(&got[..100], numbered("ok", 100).lines().collect::<Vec<_>>());
    assert!(got[100..].iter().all(|v| v.starts_with("big-") && v.len() == 1010), "only whole messages are visible");
}

#[test]
fn a_read_only_data_dir_gives_a_clear_error() {
    let sb = Sandbox::new();
    let Some(mount) = Tmpfs::mount(sb.path(), "8m") else { return };
    sb.ok(&["topic", "create", "t"]);
    sb.produce("t", &[], "kept\n");
    if !mount.remount_read_only() {
        eprintln!("skipped: cannot remount the tmpfs read-only");
        return;
    }
    let err = sb.fails_with(&["produce", "t"], "x\n", 74);
    assert!(err.contains("read-only file system"), "{err}");
    assert_one_error_line(&err);
    let err = sb.fails(&["topic", "create", "u"], 74);
    assert!(err.contains("read-only file system"), "{err}");
    assert_one_error_line(&err);
    assert_eq!(sb.consume("t", &[]), "kept\n", "reading needs no writes");
    sb.ok(&["log", "verify"]);
}

/// Whether `pid` holds a lock on the file with inode `ino` (from /proc/locks).
fn holds_lock(pid: u32, ino: u64) -> bool {
    let table = std::fs::read_to_string("/proc/locks").unwrap_or_default();
    table.lines().filter(|l| !l.contains("->")).any(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        fields.len() >= 6 && fields[4] == pid.to_string() && fields[5].ends_with(&format!(":{ino}"))
    })
}

/// Whether every thread of `pid` is stopped (state `T` in
/// `/proc/PID/task/*/stat`). Only then is what /proc/locks shows for it
/// settled: a thread sent SIGSTOP stops on its way back to user space, and
/// on a loaded machine it may still be inside a system call, such as the
/// unlock, milliseconds later.
fn all_threads_stopped(pid: u32) -> bool {
    let Ok(mut tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else { return false };
    tasks.all(|task| {
        let stat = task.and_then(|t| std::fs::read_to_string(t.path().join("stat"))).unwrap_or_default();
        stat.rsplit_once(") ").is_some_and(|(_, rest)| rest.starts_with('T') || rest.starts_with('t'))
    })
}

fn signal(pid: u32, sig: i32) {
    // SAFETY: sending a signal to a child we spawned.
    unsafe { libc::kill(pid as i32, sig) };
}

#[test]
fn a_lock_held_by_a_stopped_producer_times_out_naming_its_pid() {
    use std::os::unix::fs::MetadataExt;
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t"]);
    sb.produce("t", &[], "first\n");
    let lock = sb.path().join("locks").join("t-0.lock");
    let ino = std::fs::metadata(&lock).expect("lock file").ino();

    // A producer fed without pause appends frame after frame, taking the
    // partition lock for each; stop it until it is caught holding the lock.
    let mut child = sb
        .std_cmd(&["-q", "produce", "t", "--acks", "0"])
        .stdin(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let pid = child.id();
    let mut stdin = child.stdin.take().expect("stdin");
    let feeder = std::thread::spawn(move || {
        let chunk = numbered("bulk", 2000).into_bytes();
        while stdin.write_all(&chunk).is_ok() {}
    });
    let mut caught = false;
    for _ in 0..2000 {
        signal(pid, libc::SIGSTOP);
        std::thread::sleep(Duration::from_millis(2));
        if wait_until(Duration::from_secs(5), || all_threads_stopped(pid)) && holds_lock(pid, ino) {
            caught = true;
            break;
        }
        signal(pid, libc::SIGCONT);
        std::thread::sleep(Duration::from_millis(1));
    }
    if caught {
        let out = sb.run_with(&["--lock-timeout", "300ms", "produce", "t"], "blocked\n");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(75), "{stderr}");
        assert!(stderr.contains(&format!("held by pid {pid} ")), "names the stopped holder: {stderr}");
        assert_one_error_line(&stderr);
    }
    signal(pid, libc::SIGCONT);
    signal(pid, libc::SIGKILL);
    let _ = child.wait();
    let _ = feeder.join();
    assert!(caught, "the producer was never stopped while holding its lock");
    sb.produce("t", &[], "free\n");
    assert!(sb.consume("t", &[]).ends_with("free\n"));
    assert!(!sb.consume("t", &[]).contains("blocked"));
}

/// Under a soft limit of 64 open files (1024 is a common default), writing
/// 200 partitions holds 800 files open and reading them hundreds more:
/// runnel raises its soft limit to the hard one, as Go programs do, rather
/// than failing with "too many open files".
#[test]
fn a_low_open_file_limit_is_raised_for_many_partitions() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "wide", "--partitions", "200"]);
    let under_low_limit = |args: &[&str], input: String| {
        let script = r#"hard=$(ulimit -Hn)
if [ "$hard" != unlimited ] && [ "$hard" -lt 2000 ]; then exit 99; fi
ulimit -Sn 64 && exec "$@""#;
        assert_cmd::Command::new("bash")
            .args(["-c", script, "bash"])
            .arg(Sandbox::bin())
            .arg("--data-dir")
            .arg(sb.path())
            .args(args)
            .write_stdin(input)
            .output()
            .expect("run")
    };
    let input: String = (0..2000).map(|i| format!("k{i}:v{i}\n")).collect();
    let out = under_low_limit(&["-q", "produce", "wide", "--key-separator", ":"], input);
    if out.status.code() == Some(99) {
        eprintln!("skipped: the hard limit on open files is below 2000 here");
        return;
    }
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = under_low_limit(&["consume", "wide"], String::new());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 2000);
}

/// Runs `runnel ARGS` with `input` on stdin and returns its exit code and
/// stderr, killing it (and failing) if it has not ended within ten seconds.
fn run_bounded(sb: &Sandbox, args: &[&str], input: &[u8]) -> (Option<i32>, String) {
    let mut child =
        sb.std_cmd(args).stdin(Stdio::piped()).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().expect("spawn");
    // A command that refuses before reading its input closes stdin first:
    // the write then fails with a broken pipe, which is not the test's concern.
    if let Err(e) = child.stdin.take().expect("stdin").write_all(input) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "write stdin: {e}");
    }
    let ended = wait_until(Duration::from_secs(10), || child.try_wait().ok().flatten().is_some());
    if !ended {
        child.kill().ok();
        child.wait().ok();
        panic!("`runnel {}` still ran after 10 s", args.join(" "));
    }
    let out = child.wait_with_output().expect("output");
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// Replaces the file at `path` with a FIFO nobody writes to.
fn fifo_at(path: &Path) {
    std::fs::remove_file(path).expect("remove");
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(status.success(), "mkfifo {}", path.display());
}

#[test]
fn a_fifo_where_a_data_file_belongs_is_an_error_naming_it_never_a_hang() {
    type PathOf = fn(&Sandbox) -> PathBuf;
    let targets: [(&str, PathOf); 4] = [
        ("cluster.json", |sb| sb.path().join("cluster.json")),
        ("the topic file", |sb| sb.path().join("topics/t.json")),
        ("a segment", |sb| sb.replica_dir(0, "t", 0).join("00000000000000000000.log")),
        ("an index", |sb| sb.replica_dir(0, "t", 0).join("00000000000000000000.index")),
    ];
    for (what, path_of) in targets {
        let sb = Sandbox::new();
        sb.ok(&["topic", "create", "t", "--partitions", "1"]);
        sb.produce("t", &[], "a\nb\n");
        let path = path_of(&sb);
        fifo_at(&path);
        let name = path.file_name().and_then(|n| n.to_str()).expect("name").to_string();
        // Reading the records meets it: exit 74 naming it. A command that
        // needs only the log's end may do without an index, a hint.
        let (code, stderr) = run_bounded(&sb, &["consume", "t", "-n", "1"], b"");
        assert_eq!(code, Some(74), "{what}: consume: {stderr}");
        assert_one_error_line(&stderr);
        assert!(stderr.contains(&name), "{what}: consume names the file: {stderr}");
        for args in [&["topic", "describe", "t"][..], &["log", "verify", "t"]] {
            let (code, stderr) = run_bounded(&sb, args, b"");
            assert!(matches!(code, Some(0 | 74)), "{what}: `{}`: {stderr}", args.join(" "));
            if code == Some(74) {
                assert_one_error_line(&stderr);
                assert!(stderr.contains(&name), "{what}: `{}` names the file: {stderr}", args.join(" "));
            }
        }
        // A producer never waits on it either: refused, or appended to a
        // log whose index is a FIFO (the index is a hint; a reader refuses it).
        let (code, stderr) = run_bounded(&sb, &["produce", "t"], b"c\n");
        assert!(matches!(code, Some(0 | 74)), "{what}: produce: {stderr}");
    }

    // A consumer group's committed offsets.
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t", "--partitions", "1"]);
    sb.produce("t", &[], "a\nb\n");
    sb.ok(&["consume", "t", "--group", "g", "-n", "1"]);
    fifo_at(&sb.path().join("groups/g/offsets.json"));
    for args in [&["-q", "consume", "t", "--group", "g", "-n", "1"][..], &["group", "describe", "g"]] {
        let (code, stderr) = run_bounded(&sb, args, b"");
        assert_eq!(code, Some(74), "`{}`: {stderr}", args.join(" "));
        assert_one_error_line(&stderr);
        assert!(stderr.contains("offsets.json"), "`{}` names the file: {stderr}", args.join(" "));
    }
}

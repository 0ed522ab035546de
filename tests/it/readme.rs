//! Every `sh` code block of README.md that can run on its own runs here, in
//! order, in one sandbox (a data dir, a home folder, `runnel` on PATH, the
//! `rides.json` and `./bill.sh` the examples name), under
//! `bash -euo pipefail`: a documented recipe that fails fails this test.
//! A block that cannot run alone (it installs, runs until stopped, or needs
//! several terminals) is preceded by `<!-- README test: skip (why) -->`.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::common::{self, Sandbox};

/// The README's `sh` blocks, each with whether it is marked to skip.
fn sh_blocks(readme: &str) -> Vec<(bool, String)> {
    let mut blocks = Vec::new();
    let mut lines = readme.lines().peekable();
    let mut previous = "";
    while let Some(line) = lines.next() {
        if line.trim() == "```sh" {
            let skip = previous.trim_start().starts_with("<!-- README test: skip");
            let mut body = String::new();
            for inner in lines.by_ref() {
                if inner.trim() == "```" {
                    break;
                }
                body.push_str(inner);
                body.push('\n');
            }
            blocks.push((skip, body));
        }
        if !line.trim().is_empty() {
            previous = line;
        }
    }
    blocks
}

/// The files the examples use: a thousand rides, a billing script, and
/// `jq` if this machine has none (a stand-in printing the rides as lines).
fn props(dir: &Path) {
    let rides: Vec<String> =
        (0..1000).map(|i| format!("{{\"car_id\":\"car-{}\",\"km\":{}}}", i % 17, i % 40)).collect();
    std::fs::write(dir.join("rides.json"), format!("[{}]\n", rides.join(","))).expect("rides.json");
    std::fs::write(dir.join("rides.lines"), rides.join("\n") + "\n").expect("rides.lines");
    let script = |name: &str, body: &str| {
        use std::os::unix::fs::PermissionsExt;
        let path = dir.join(name);
        std::fs::write(&path, body).expect("script");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    };
    script("bill.sh", "#!/bin/sh\nwc -l >/dev/null\n");
    let has_jq = Command::new("jq").arg("--version").stdout(Stdio::null()).status().is_ok_and(|s| s.success());
    if !has_jq {
        std::fs::create_dir_all(dir.join("bin")).expect("bin");
        script("bin/jq", &format!("#!/bin/sh\ncat {}\n", dir.join("rides.lines").display()));
    }
}

#[test]
fn every_runnable_readme_block_runs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let blocks = sh_blocks(&readme);
    let runnable: Vec<&String> = blocks.iter().filter(|(skip, _)| !skip).map(|(_, b)| b).collect();
    assert!(runnable.len() >= 4, "README has {} runnable sh blocks", runnable.len());
    assert!(runnable.iter().any(|b| b.contains("produce rides-copy --format json --create")), "the copy recipe runs");

    let sb = Sandbox::new();
    let work = sb.root();
    props(work);
    let bin_dir = Sandbox::bin().parent().expect("bin dir").to_path_buf();
    let path =
        format!("{}:{}:{}", work.join("bin").display(), bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    for block in runnable {
        let mut child = Command::new("bash")
            .args(["-euo", "pipefail", "-c", block])
            .current_dir(work)
            .env_clear()
            .env("PATH", &path)
            .env("HOME", work)
            .env("RUNNEL_DATA_DIR", sb.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("bash");
        let done = common::wait_until(Duration::from_secs(120), || child.try_wait().expect("try_wait").is_some());
        if !done {
            let _ = child.kill();
        }
        let out = child.wait_with_output().expect("wait");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(done && out.status.success(), "README block failed ({:?}):\n{block}\nstderr:\n{stderr}", out.status);
        assert!(!stderr.contains("panicked"), "{stderr}");
        if block.contains("produce rides-copy") {
            // The exact copy has the source's partitions and records (checked
            // before a later block fails brokers and wipes one).
            // Partitions interleave in any order: compare record sets.
            let records = |topic: &str| {
                let mut lines: Vec<String> =
                    sb.consume(topic, &["--format", "%p:%o:%T:%k:%s\\n"]).lines().map(String::from).collect();
                lines.sort();
                lines
            };
            let copy = records("rides-copy");
            assert_eq!(copy.len(), 1000);
            assert!(copy == records("rides"), "the copy differs from the source");
            assert_eq!(sb.describe("rides-copy")["partitions"].as_array().map(Vec::len), Some(6));
        }
    }
}

#[test]
fn the_block_reader_sees_skip_marks() {
    let text = "a\n<!-- README test: skip (x) -->\n```sh\none\n```\n\n```sh\ntwo\n```\n```toml\nx\n```\n";
    assert_eq!(sh_blocks(text), [(true, "one\n".to_string()), (false, "two\n".to_string())]);
}

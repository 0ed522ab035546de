//! A group member commits only what its reader took (issue 15, class 4):
//! real `consume --group` processes piped into real readers that stop,
//! close the pipe or are killed part way; a second consume of the group
//! must then deliver exactly what the reader did not take. And a commit
//! carries the leader epoch, so a log truncated under it by an unclean
//! election is detected (KIP-320).

use std::collections::BTreeSet;
use std::io::Read;
use std::process::{Command, Stdio};

use crate::common::Sandbox;
use serde_json::Value;

/// `values[i]` is the record at offset `i` of a one-partition topic.
fn values(count: usize, pad: usize) -> Vec<String> {
    let pad = "x".repeat(pad);
    (0..count).map(|i| format!("{i:05}-{pad}")).collect()
}

fn committed(sb: &Sandbox, group: &str, topic: &str, partition: u64) -> Option<u64> {
    let d: Value = serde_json::from_str(&sb.ok(&["group", "describe", group, "--format", "json"])).expect("json");
    d["offsets"]
        .as_array()?
        .iter()
        .find(|o| o["topic"] == topic && o["partition"] == partition)
        .and_then(|o| o["committed"].as_u64())
}

/// `sh -c SCRIPT`, run in the sandbox's root, where `$RUNNEL` stands for
/// the binary on the sandbox's data dir.
fn shell(sb: &Sandbox, script: &str) -> std::process::Output {
    let runnel = format!("'{}' --data-dir '{}'", Sandbox::bin().display(), sb.path().display());
    Command::new("sh")
        .args(["-c", &script.replacen("$RUNNEL", &runnel, 1)])
        .current_dir(sb.root())
        .output()
        .expect("sh")
}

#[test]
fn a_reader_that_took_one_line_and_closed_the_pipe_costs_nothing_more() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t"]);
    // 2 MB: more than the pipe holds, so runnel is still writing when the pipe closes.
    let values = values(2000, 1000);
    sb.ok_with(&["produce", "t", "-q"], values.join("\n") + "\n");
    let mut child = sb
        .std_cmd(&["consume", "t", "--group", "g"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut out = child.stdout.take().expect("stdout");
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    while line.last() != Some(&b'\n') {
        assert_eq!(out.read(&mut byte).expect("read"), 1, "output ended before the first line");
        line.push(byte[0]);
    }
    drop(out);
    let output = child.wait_with_output().expect("wait");
    assert!(output.status.success(), "{:?}", output.status);
    assert!(output.stderr.is_empty(), "a closed pipe is a quiet end: {}", String::from_utf8_lossy(&output.stderr));
    // The reader took exactly one record; the rest (in the pipe when it
    // closed, or never written) is the group's to read again.
    assert_eq!(committed(&sb, "g", "t", 0), Some(1));
    let rest = sb.ok(&["consume", "t", "--group", "g"]);
    assert_eq!(rest.lines().collect::<Vec<_>>(), values[1..].iter().map(String::as_str).collect::<Vec<_>>());
}

#[test]
fn head_n_1_commits_only_what_head_read() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t"]);
    let values = values(2000, 1000);
    let line_len = values[0].len() + 1;
    sb.ok_with(&["produce", "t", "-q"], values.join("\n") + "\n");
    let out = shell(&sb, "$RUNNEL consume t --group h | head -n 1");
    assert!(out.status.success(), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim_end(), values[0]);
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    // head takes one read's worth (a few KiB), not the 1 MiB pipe and our buffer.
    let first = committed(&sb, "h", "t", 0).expect("a commit") as usize;
    assert!((1..=64 * 1024 / line_len).contains(&first), "committed {first}: more than head read");
    let rest = sb.ok(&["consume", "t", "--group", "h"]);
    assert_eq!(rest.lines().next(), Some(values[first].as_str()));
    assert_eq!(rest.lines().count(), 2000 - first);
}

#[test]
fn a_reader_killed_after_500_lines_loses_nothing_and_rereads_nothing() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t", "--partitions", "3"]);
    let all: Vec<String> = (0..6000).map(|i| format!("m-{i}")).collect();
    sb.ok_with(&["produce", "t", "-q"], all.join("\n") + "\n");
    // `read` takes a pipe's bytes one at a time: the reader takes exactly
    // 500 lines, writes them down, and kill -9s itself.
    let script = r#"$RUNNEL consume t --group g | sh -c '
        i=0
        while [ $i -lt 500 ] && IFS= read -r line; do
            printf "%s\n" "$line" >> taken; i=$((i+1))
        done
        kill -9 $$'"#;
    let out = shell(&sb, script);
    assert!(!out.status.success(), "the reader was killed: {out:?}");
    // runnel may have written everything before the reader died (it then
    // says how much was not taken) or find the pipe closed (a quiet end).
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.is_empty() || stderr.contains("the reader did not take 5500 of them"), "{stderr}");
    let taken = std::fs::read_to_string(sb.root().join("taken")).expect("taken");
    let taken: Vec<&str> = taken.lines().collect();
    assert_eq!(taken.len(), 500);
    let rest = sb.ok(&["consume", "t", "--group", "g"]);
    let rest: Vec<&str> = rest.lines().collect();
    // Exactly what the reader did not take: no loss, no re-read.
    assert_eq!(rest.len(), 6000 - 500, "the second consume");
    let seen: BTreeSet<&str> = taken.iter().chain(&rest).copied().collect();
    assert_eq!(seen.len(), 6000, "every record once");
    assert_eq!(seen, all.iter().map(String::as_str).collect());
}

#[test]
fn a_normal_end_waits_for_the_reader_to_take_the_pipe() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t", "--partitions", "2"]);
    let all: Vec<String> = (0..20000).map(|i| format!("m-{i}")).collect();
    sb.ok_with(&["produce", "t", "-q"], all.join("\n") + "\n");
    let out = shell(&sb, "$RUNNEL consume t --group g | cat > out");
    assert!(out.status.success(), "{out:?}");
    assert_eq!(std::fs::read_to_string(sb.root().join("out")).expect("out").lines().count(), 20000);
    // Everything was taken before runnel left, so everything is committed.
    let total: u64 = (0..2).map(|p| committed(&sb, "g", "t", p).unwrap_or(0)).sum();
    assert_eq!(total, 20000);
    assert_eq!(sb.ok(&["consume", "t", "--group", "g"]), "");
}

/// The replicas of partition 0 of `topic`, leader first.
fn replicas(sb: &Sandbox, topic: &str) -> Vec<u32> {
    let d = sb.describe(topic);
    let p = &d["partitions"][0];
    let mut ids: Vec<u32> =
        p["replicas"].as_array().expect("replicas").iter().filter_map(Value::as_u64).map(|b| b as u32).collect();
    let leader = p["leader"].as_u64().map(|b| b as u32);
    ids.sort_by_key(|b| Some(*b) != leader);
    ids
}

fn lines(prefix: &str, range: std::ops::Range<usize>) -> String {
    range.map(|i| format!("{prefix}-{i}\n")).collect()
}

#[test]
fn after_an_unclean_election_a_group_resumes_at_the_divergence_point() {
    let sb = Sandbox::with_brokers(3);
    sb.ok(&["topic", "create", "t", "-p", "1", "-r", "2"]);
    let (a, b) = match replicas(&sb, "t")[..] {
        [a, b] => (a.to_string(), b.to_string()),
        ref other => panic!("two replicas: {other:?}"),
    };
    sb.ok_with(&["produce", "t", "-q"], lines("old", 0..5));
    sb.ok(&["broker", "fail", &b]);
    sb.ok_with(&["produce", "t", "-q"], lines("lost", 5..10)); // only the leader has them
    for group in ["g", "strict", "legacy"] {
        assert_eq!(sb.consume("t", &["--group", group]).lines().count(), 10);
        assert_eq!(committed(&sb, group, "t", 0), Some(10));
    }
    let d: Value = serde_json::from_str(&sb.ok(&["group", "describe", "g", "--format", "json"])).expect("json");
    let epoch = d["offsets"][0]["leader_epoch"].as_u64().expect("the commit carries the leader epoch");
    // The leader is lost; the out-of-sync replica leads (unclean) and the
    // log goes on from offset 5 with other records.
    sb.ok(&["broker", "fail", &a]);
    sb.ok(&["broker", "recover", &b]);
    sb.ok(&["elect-leaders", "--unclean", "t"]);
    sb.ok_with(&["produce", "t", "-q"], lines("new", 5..13));

    // A commit written before epochs were recorded is taken as it is.
    let offsets = sb.path().join("groups/legacy/offsets.json");
    let text = std::fs::read_to_string(&offsets).expect("offsets.json");
    let old = text.replace(&format!("\"leader_epoch\": {epoch},"), "");
    assert_ne!(old, text, "{text}");
    std::fs::write(&offsets, old).expect("write");
    assert_eq!(sb.consume("t", &["--group", "legacy"]), lines("new", 10..13));

    // --offset-reset none: the truncation is an error (Kafka's LogTruncationException).
    let err = sb.fails(&["consume", "t", "--group", "strict", "--offset-reset", "none"], 66);
    assert!(err.contains("truncated below offset 10") && err.contains("diverges from offset 5"), "{err}");
    assert_eq!(committed(&sb, "strict", "t", 0), Some(10), "nothing moved");

    // Otherwise: one warning line, and every record the new leader wrote.
    let out = sb.run(&["consume", "t", "--group", "g"]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), lines("new", 5..13));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.starts_with("warning:")).collect();
    assert_eq!(warnings.len(), 1, "{stderr}");
    assert!(warnings[0].contains("t-0 was truncated below offset 10") && warnings[0].contains("offset 5"), "{stderr}");
    assert_eq!(committed(&sb, "g", "t", 0), Some(13));
    // The next run has nothing left and nothing to warn about.
    let out = sb.run(&["consume", "t", "--group", "g"]);
    assert!(out.stdout.is_empty() && !String::from_utf8_lossy(&out.stderr).contains("warning"), "{out:?}");
}

#[test]
fn a_commit_of_an_epoch_the_leader_never_had_moves_as_offset_reset_says() {
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "t"]);
    sb.ok_with(&["produce", "t", "-q"], lines("m", 0..6));
    for group in ["g", "strict"] {
        sb.consume("t", &["--group", group, "--max-messages", "4"]);
        // As if the topic had been recreated under a commit of a later epoch.
        let offsets = sb.path().join(format!("groups/{group}/offsets.json"));
        let text = std::fs::read_to_string(&offsets).expect("offsets.json");
        let edited = text.replace("\"leader_epoch\": 0,", "\"leader_epoch\": 99,");
        assert_ne!(edited, text, "{text}");
        std::fs::write(&offsets, edited).expect("write");
    }
    let err = sb.fails(&["consume", "t", "--group", "strict", "--offset-reset", "none"], 66);
    assert!(err.contains("no history of epoch 99"), "{err}");
    let out = sb.run(&["consume", "t", "--group", "g"]);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(String::from_utf8_lossy(&out.stdout), lines("m", 0..6), "earliest: from the log start");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.lines().any(|l| l.starts_with("warning:") && l.contains("--offset-reset earliest")), "{stderr}");
}

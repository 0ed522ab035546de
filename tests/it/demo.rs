//! `runnel demo`: the guided tour runs to the end and prints its steps.

use std::path::PathBuf;

use crate::common::Sandbox;

fn demo_dir(stdout: &str) -> PathBuf {
    let first = stdout.lines().next().expect("a first line");
    let path = first.rsplit(" in ").next().expect("names its directory");
    PathBuf::from(path.trim())
}

#[test]
fn demo_exits_0_and_prints_its_steps() {
    let sb = Sandbox::new();
    let out = sb.cmd(&["demo"]).env("TMPDIR", sb.root()).output().expect("run demo");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("panicked") && !stderr.contains("error"), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let steps: Vec<&str> = stdout.lines().filter(|l| l.starts_with("== ")).collect();
    assert!(steps.len() >= 5, "steps: {steps:?}\n{stdout}");
    for (i, step) in steps.iter().enumerate() {
        assert!(step.starts_with(&format!("== {}.", i + 1)), "numbered steps: {steps:?}");
    }
    for needle in ["runnel init --brokers 3", "runnel topic create", "PARTITION", "HIGH-WATERMARK"] {
        assert!(stdout.contains(needle), "the tour shows {needle}:\n{stdout}");
    }
    let dir = demo_dir(&stdout);
    assert!(dir.starts_with(sb.root()), "the demo works in a temp dir: {}", dir.display());
    assert!(!dir.exists(), "without --keep the demo cleans up {}", dir.display());
    assert_eq!(std::fs::read_dir(sb.path()).expect("data dir").count(), 0, "the demo leaves the data dir alone");
}

#[test]
fn demo_keep_leaves_its_cluster_behind() {
    let sb = Sandbox::new();
    let out = sb.cmd(&["demo", "--keep"]).env("TMPDIR", sb.root()).output().expect("run demo");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let dir = demo_dir(&stdout);
    for b in 0..3 {
        assert!(dir.join(format!("broker-{b}")).is_dir(), "kept broker-{b} in {}", dir.display());
    }
    let listed = std::process::Command::new(Sandbox::bin())
        .arg("--data-dir")
        .arg(&dir)
        .args(["topic", "list"])
        .output()
        .expect("list");
    let listed = String::from_utf8_lossy(&listed.stdout);
    assert!(listed.contains("rides"), "the kept cluster has the tour's topic: {listed}");
}

/// The tour names each idea of the lecture where it happens: its step
/// titles (a snapshot) hold every one, and each title's text says it.
#[test]
fn demo_names_the_lectures_ideas_where_they_happen() {
    let sb = Sandbox::new();
    let out = sb.cmd(&["demo"]).env("TMPDIR", sb.root()).output().expect("run demo");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let titles: Vec<&str> = stdout.lines().filter(|l| l.starts_with("== ")).collect();
    insta::assert_snapshot!("demo_steps", titles.join("\n"));
    let titles_text = titles.join("\n").to_lowercase();
    for word in
        ["broker", "topic", "partition", "producer", "consumer", "offset", "replication", "consumer group", "rebalanc"]
    {
        assert!(titles_text.contains(word), "no step is titled with '{word}':\n{titles_text}");
    }
    // Each step's text says what its title names.
    let step_text = |title: &str| -> String {
        let start = stdout.find(title).expect("step");
        stdout[start..].lines().skip(1).take(4).collect::<Vec<_>>().join(" ").to_lowercase()
    };
    for (title, word) in [
        ("Brokers: a cluster", "brokers"),
        ("A producer", "a producer"),
        ("A consumer reads offsets", "a consumer"),
        ("Replication", "replication"),
        ("Consumer groups", "consumer group"),
        ("A member leaves: rebalancing", "rebalance"),
    ] {
        assert!(step_text(title).contains(word), "step '{title}' never says '{word}'");
    }
}

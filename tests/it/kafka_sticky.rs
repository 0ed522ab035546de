//! Kafka's eager StickyAssignor (`--assignment-strategy sticky`) against a
//! real broker, in one group with a Java consumer running Kafka's own
//! `StickyAssignor`: runnel's members use librdkafka's sticky assignor under
//! the eager protocol (runnel's patch, `vendor/rdkafka-sys`), which reads what
//! each member had from its user data in Kafka's format. Whoever leads, a
//! member that stays keeps a part of what it had when a member joins, and
//! all of it when one leaves, as Kafka's StickyAssignor promises.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::backends::Env;
use crate::common::wait_until;
use crate::kafka_cluster;

/// Stopped (SIGTERM, then reaped) when dropped, also when a test fails.
struct Running(Child);

impl Running {
    fn stop(&mut self) {
        let _ = Command::new("kill").args(["-TERM", &self.0.id().to_string()]).status();
        let ended = wait_until(Duration::from_secs(30), || self.0.try_wait().ok().flatten().is_some());
        if !ended {
            let _ = self.0.kill();
        }
        let _ = self.0.wait();
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if self.0.try_wait().ok().flatten().is_none() {
            self.stop();
        }
    }
}

/// The group's members (by client id) and their partitions, once it is
/// Stable with `members` members sharing all `partitions` partitions.
fn settled(env: &Env, group: &str, members: usize, partitions: usize) -> BTreeMap<String, Vec<u64>> {
    let mut last = serde_json::Value::Null;
    let mut found = BTreeMap::new();
    let ok = wait_until(Duration::from_secs(60), || {
        // Unknown (exit 66) until the first member joined.
        let out = env.run(&["group", "describe", group, "--format", "json"]);
        last = serde_json::from_slice(&out.stdout).unwrap_or_default();
        let Some(list) = last["members"].as_array() else { return false };
        found = list
            .iter()
            .map(|m| {
                let mut ps: Vec<u64> =
                    m["assignment"].as_array().into_iter().flatten().filter_map(|a| a["partition"].as_u64()).collect();
                ps.sort_unstable();
                (m["client_id"].as_str().unwrap_or_default().to_string(), ps)
            })
            .collect();
        last["state"] == "Stable"
            && found.len() == members
            && found.values().map(Vec::len).sum::<usize>() == partitions
            && found.values().all(|ps| !ps.is_empty())
    });
    assert!(ok, "group {group} did not settle on {members} members: {last}");
    found
}

fn subset(part: &[u64], of: &[u64]) -> bool {
    part.iter().all(|p| of.contains(p))
}

#[test]
fn runnel_and_java_sticky_members_keep_what_they_had() {
    let Some(env) = Env::kafka() else { return };
    let t = env.name("sticky");
    let g = env.name("sticky-group");
    env.ok(&["-q", "topic", "create", &t, "--partitions", "6"]);
    let bootstrap = env.kafka.clone().expect("kafka");
    let member = || {
        let args = ["-q", "consume", &t, "--group", &g, "--follow", "--assignment-strategy", "sticky"];
        let child = env.std_cmd(&args).stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("spawn member");
        (format!("runnel-{}", child.id()), Running(child))
    };
    // A runnel member first: it leads the group and assigns.
    let (a_id, mut a) = member();
    settled(&env, &g, 1, 6);
    let program = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/java/GroupConsumer.java");
    let java = Command::new("java")
        .arg("-cp")
        .arg(kafka_cluster::classpath())
        .arg(&program)
        .args([&bootstrap, &g, &t, "sticky"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn java");
    let _java = Running(java);
    let two = settled(&env, &g, 2, 6);
    assert_eq!(two.get(&a_id).map(Vec::len), Some(3), "{two:?}");
    assert_eq!(two.get("java-consumer").map(Vec::len), Some(3), "{two:?}");
    let (c_id, _c) = member();
    let three = settled(&env, &g, 3, 6);
    for (id, had) in &two {
        let now = &three[id];
        assert!(now.len() == 2 && subset(now, had), "{id} had {had:?}, now {now:?}: not sticky ({three:?})");
    }
    // Kafka's own tool names the protocol the group runs.
    let state = kafka_cluster::kafka_run(
        "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand",
        &["--bootstrap-server", &bootstrap, "--describe", "--group", &g, "--state"],
    );
    assert!(state.contains("sticky") && !state.contains("cooperative-sticky"), "{state}");
    // The first member leaves: the others keep theirs and share its partitions.
    a.stop();
    let after = settled(&env, &g, 2, 6);
    for id in [&c_id, &"java-consumer".to_string()] {
        assert!(subset(&three[id], &after[id]), "{id} had {:?}, now {:?}: not sticky", three[id], after[id]);
    }
}

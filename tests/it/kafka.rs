//! What only the Kafka backend has: commands that exist for a data dir only
//! refused (exit 2), an unreachable cluster exit 69 within the request
//! deadline, client properties and profiles, and cross-checks with
//! independent clients — Kafka's own ConsumerGroupCommand sees what runnel
//! commits, Kafka's `Utils.murmur2` puts keys where runnel did, and kcat
//! reads what runnel wrote (and runnel what kcat wrote).

use std::process::Command;

use crate::backends::Env;
use crate::common::{Sandbox, assert_one_error_line};
use crate::kafka_cluster;

/// A port nothing listens on (the discard port, closed on test machines).
const NOWHERE: &str = "127.0.0.1:9";

#[test]
fn data_dir_commands_exit_2_against_kafka() {
    let sandbox = Sandbox::new();
    for args in
        [vec!["init"], vec!["broker", "fail", "0"], vec!["log", "du"], vec!["log", "verify"], vec!["elect-leaders"]]
    {
        let mut all = vec!["--bootstrap-server", NOWHERE];
        all.extend(args.iter().copied());
        let stderr = sandbox.fails(&all, 2);
        assert_one_error_line(&stderr);
        assert!(stderr.contains("works on a data dir"), "{stderr}");
    }
}

#[test]
fn an_unreachable_cluster_is_69_not_a_hang() {
    let sandbox = Sandbox::new();
    let base = ["--bootstrap-server", NOWHERE, "-X", "socket.timeout.ms=1000"];
    for args in [
        vec!["topic", "list"],
        vec!["topic", "create", "t"],
        vec!["topic", "describe", "t"],
        vec!["consume", "t"],
        vec!["consume", "t", "--group", "g"],
        vec!["group", "list"],
        vec!["group", "describe", "g"],
        vec!["metadata"],
        vec!["broker", "list"],
    ] {
        let mut all = base.to_vec();
        all.extend(args.iter().copied());
        let stderr = sandbox.fails(&all, 69);
        assert_one_error_line(&stderr);
    }
    let mut produce = base.to_vec();
    produce.extend(["produce", "t"]);
    sandbox.fails_with(&produce, "x\n", 69);
    // RUNNEL_BOOTSTRAP_SERVERS names the cluster too.
    let out = sandbox
        .cmd(&["-X", "socket.timeout.ms=1000", "topic", "list"])
        .env("RUNNEL_BOOTSTRAP_SERVERS", NOWHERE)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(69), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn client_properties_and_bootstrap_lists_are_checked() {
    let sandbox = Sandbox::new();
    let stderr = sandbox.fails(&["--bootstrap-server", NOWHERE, "-X", "no.such.property=1", "topic", "list"], 2);
    assert!(stderr.contains("no.such.property"), "{stderr}");
    sandbox.fails(&["-X", "security.protocol=SSL", "topic", "list"], 2);
    sandbox.fails(&["-X", "novalue", "topic", "list"], 2);
    sandbox.fails(&["--bootstrap-server", "nohostport", "topic", "list"], 2);
    sandbox.fails(&["--profile", "absent", "topic", "list"], 2);
}

#[test]
fn a_profile_names_the_cluster() {
    let Some(bootstrap) = kafka_cluster::bootstrap() else { return };
    let sandbox = Sandbox::new();
    let config = sandbox.root().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[profile.dev]\nbootstrap-server = \"{bootstrap}\"\nproperties = {{ \"client.id\" = \"from-profile\" }}\n"
        ),
    )
    .expect("write config");
    let topic = format!("profiled-{}", std::process::id());
    let config = config.display().to_string();
    sandbox.ok(&["--config-file", &config, "--profile", "dev", "-q", "topic", "create", &topic]);
    let listed = sandbox.ok(&["--config-file", &config, "--profile", "dev", "topic", "list"]);
    assert!(listed.contains(&topic), "{listed}");
    assert!(std::fs::read_dir(sandbox.path()).expect("data dir").next().is_none(), "nothing on the data dir");
}

#[test]
fn kafkas_consumer_group_command_sees_runnels_commits() {
    let Some(env) = Env::kafka() else { return };
    let t = env.name("seen");
    let g = env.name("seen-group");
    env.ok(&["-q", "topic", "create", &t, "--partitions", "2"]);
    let input: String = (0..10).map(|i| format!("{{\"value\": \"{i}\", \"partition\": {}}}\n", i % 2)).collect();
    env.produce(&t, &["--format", "json"], input);
    assert_eq!(env.consume(&t, &["--group", &g, "--max-messages", "7"]).lines().count(), 7);
    let bootstrap = env.kafka.as_deref().expect("kafka");
    let out = kafka_cluster::kafka_run(
        "org.apache.kafka.tools.consumer.group.ConsumerGroupCommand",
        &["--bootstrap-server", bootstrap, "--describe", "--group", &g],
    );
    let mut committed = 0;
    for line in out.lines().filter(|l| l.split_whitespace().nth(1) == Some(t.as_str())) {
        let cols: Vec<&str> = line.split_whitespace().collect();
        committed += cols[3].parse::<u64>().unwrap_or_else(|_| panic!("CURRENT-OFFSET in {line:?}"));
        assert_eq!(cols[4], "5", "LOG-END-OFFSET in {line:?}");
    }
    assert_eq!(committed, 7, "{out}");
}

/// Kafka's `Utils.murmur2`, run by Java from Kafka's own jars.
const MURMUR: &str = r#"
import org.apache.kafka.common.utils.Utils;
import java.nio.charset.StandardCharsets;
public class Murmur {
    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        for (int i = 1; i < args.length; i++) {
            byte[] key = args[i].getBytes(StandardCharsets.UTF_8);
            System.out.println(args[i] + " " + (Utils.toPositive(Utils.murmur2(key)) % n));
        }
    }
}
"#;

#[test]
fn keys_land_where_kafkas_java_partitioner_puts_them() {
    let Some(env) = Env::kafka() else { return };
    let t = env.name("java-keys");
    env.ok(&["-q", "topic", "create", &t, "--partitions", "7"]);
    let keys: Vec<String> = (0..40).map(|i| format!("user-{i}-é")).collect();
    let input: String = keys.iter().map(|k| format!("{k}\t{k}\n")).collect();
    env.produce(&t, &["-K", "\t"], input);
    let runnel: Vec<String> = env.consume(&t, &["--format", "%k %p\n"]).lines().map(str::to_string).collect();
    let dir = tempfile::tempdir().expect("tempdir");
    let source = dir.path().join("Murmur.java");
    std::fs::write(&source, MURMUR).expect("write java");
    let out = Command::new("java")
        .arg("-cp")
        .arg(kafka_cluster::classpath())
        .arg(&source)
        .arg("7")
        .args(&keys)
        .output()
        .expect("run java");
    assert!(out.status.success(), "java: {}", String::from_utf8_lossy(&out.stderr));
    let mut java: Vec<String> = String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect();
    let mut runnel = runnel;
    java.sort();
    runnel.sort();
    assert_eq!(runnel, java);
}

fn kcat(args: &[&str], input: Option<&str>) -> Option<String> {
    kcat_bytes(args, input).map(|out| String::from_utf8_lossy(&out).into_owned())
}

/// [`kcat`]'s output as bytes.
fn kcat_bytes(args: &[&str], input: Option<&str>) -> Option<Vec<u8>> {
    use std::io::Write;
    let mut cmd = Command::new("kcat");
    cmd.args(args).stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped());
    let mut child = match cmd.spawn() {
        Ok(child) => child,
        Err(_) if std::env::var_os("CI").is_none() => {
            eprintln!("skipping the kcat cross-check: kcat is not installed");
            return None;
        }
        Err(e) => panic!("kcat: {e}"),
    };
    if let (Some(text), Some(mut stdin)) = (input, child.stdin.take()) {
        stdin.write_all(text.as_bytes()).expect("kcat stdin");
    }
    let out = child.wait_with_output().expect("kcat");
    assert!(out.status.success(), "kcat {args:?}");
    Some(out.stdout)
}

#[test]
fn kcat_reads_what_runnel_wrote_and_back() {
    let Some(env) = Env::kafka() else { return };
    let bootstrap = env.kafka.clone().expect("kafka");
    let t = env.name("kcat");
    env.ok(&["-q", "topic", "create", &t, "--partitions", "3"]);
    env.produce(
        &t,
        &["--format", "json"],
        "{\"key\": \"k1\", \"value\": \"v1\", \"headers\": {\"h\": \"1\"}, \"timestamp\": 1700000000000}\n{\"key\": \"k2\", \"value\": \"v2\", \"timestamp\": 1700000000001}\n",
    );
    let Some(seen) = kcat(&["-C", "-b", &bootstrap, "-t", &t, "-e", "-q", "-f", "%k %s %p %T %h\\n"], None) else {
        return;
    };
    let mut seen: Vec<&str> = seen.lines().collect();
    seen.sort();
    let p = |k: &str| runnel::producer::partitioner::partition_for_key(k.as_bytes(), 3);
    assert_eq!(seen, [format!("k1 v1 {} 1700000000000 h=1", p("k1")), format!("k2 v2 {} 1700000000001 ", p("k2"))]);
    // And what kcat writes, runnel reads.
    let back = env.name("from-kcat");
    env.ok(&["-q", "topic", "create", &back]);
    kcat(&["-P", "-b", &bootstrap, "-t", &back, "-K", ":"], Some("a:1\nb:2\n"));
    assert_eq!(env.consume(&back, &["--format", "%k=%s\n"]), "a=1\nb=2\n");
}

#[test]
fn a_template_prints_the_bytes_kcat_prints() {
    let Some(env) = Env::kafka() else { return };
    let bootstrap = env.kafka.clone().expect("kafka");
    let t = env.name("kcat-format");
    env.ok(&["-q", "topic", "create", &t, "--partitions", "1"]);
    let records = "{\"key\": \"k1\", \"value\": \"v1\"}\n{\"key\": null, \"value\": null}\n{\"key\": \"key3\", \"value\": \"\"}\n";
    env.produce(&t, &["--format", "json"], records);
    // kcat's binary value size (%R: big-endian, -1 for null) and its numeric
    // escapes (\xHH hex, \0NNN octal, \NNN decimal).
    let template = "%R%s\\x3d%K|%S\\32%o\\x09%t\\012";
    let Some(theirs) = kcat_bytes(&["-C", "-b", &bootstrap, "-t", &t, "-e", "-q", "-f", template], None) else {
        return;
    };
    let mut expected = b"\0\0\0\x02v1=2|2 0\t".to_vec();
    expected.extend_from_slice(format!("{t}\n").as_bytes());
    assert!(theirs.starts_with(&expected), "kcat printed {theirs:?}");
    assert_eq!(env.consume_bytes(&t, &["--format", template]), theirs, "runnel through --bootstrap-server");
}

/// A 3-broker cluster of its own (`up 3`), stopped when dropped.
struct ThreeBrokers {
    dir: tempfile::TempDir,
    bootstrap: String,
}

impl ThreeBrokers {
    fn up() -> Option<ThreeBrokers> {
        kafka_cluster::bootstrap_allowed()?;
        let dir = tempfile::Builder::new().prefix("runnel-it-kafka3-").tempdir().expect("tempdir");
        let out = Command::new(kafka_cluster::script())
            .args(["up", "3"])
            .env("KAFKA_CLUSTER_DIR", dir.path())
            .output()
            .expect("run kafka-cluster.sh");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let bootstrap = stdout.lines().rev().find_map(|l| l.strip_prefix("BOOTSTRAP="));
        match (out.status.success(), bootstrap) {
            (true, Some(b)) => Some(ThreeBrokers { bootstrap: b.to_string(), dir }),
            _ => panic!("kafka-cluster.sh up 3 failed: {}", String::from_utf8_lossy(&out.stderr)),
        }
    }

    /// SIGKILLs broker `node` (node ids are 1..=3, in the order of the pids file).
    fn kill(&self, node: u64) {
        let pids = std::fs::read_to_string(self.dir.path().join("pids")).expect("pids");
        let pid = pids.lines().nth(node as usize - 1).expect("pid of the node").trim().to_string();
        let status = Command::new("kill").args(["-9", &pid]).status().expect("kill");
        assert!(status.success());
    }
}

impl Drop for ThreeBrokers {
    fn drop(&mut self) {
        let _ = Command::new(kafka_cluster::script()).arg("down").env("KAFKA_CLUSTER_DIR", self.dir.path()).output();
    }
}

/// The issue's failover check: `--acks all` to a topic replicated 3 times
/// with min.insync.replicas=2 while a group member follows it, and the
/// broker leading partition 0 killed part way: every acknowledged record
/// reaches the member, which goes on across the failover. A topic needing
/// all three replicas in sync then refuses `--acks all` (exit 69, one line,
/// within the deadline), and a cluster gone entirely is exit 69 for a
/// follower, a producer and an admin command. Its own cluster,
/// so it is ignored in the suite (one cluster at a time); `.ci/run` runs it.
#[test]
#[ignore = "starts its own 3-broker Kafka cluster; .ci/run runs it after the suite"]
fn kafka_failover_loses_nothing_acknowledged() {
    let Some(cluster) = ThreeBrokers::up() else { return };
    let sandbox = Sandbox::new();
    let b = cluster.bootstrap.as_str();
    let k = |args: &[&str]| {
        let mut all = vec!["--bootstrap-server", b];
        all.extend_from_slice(args);
        all.into_iter().map(str::to_string).collect::<Vec<String>>()
    };
    let run = |args: &[&str]| {
        let args = k(args);
        sandbox.ok(&args.iter().map(String::as_str).collect::<Vec<_>>())
    };
    run(&["-q", "topic", "create", "failover", "-p", "3", "-r", "3", "-c", "min.insync.replicas=2"]);
    // Created while all three brokers are up: once one is gone, `--acks all` cannot be met.
    run(&["-q", "topic", "create", "strict", "-p", "1", "-r", "3", "-c", "min.insync.replicas=3"]);
    let member_args = k(&["consume", "failover", "--group", "g", "--follow", "--format", "%s\\n"]);
    let member_log = sandbox.path().join("member.stderr");
    let (mut member, lines, reader) = crate::common::spawn_lines_logged(
        &mut sandbox.std_cmd(&member_args.iter().map(String::as_str).collect::<Vec<_>>()),
        &member_log,
    );
    let mut acknowledged = Vec::new();
    for batch in 0..6 {
        if batch == 2 {
            let d: serde_json::Value =
                serde_json::from_str(&run(&["topic", "describe", "failover", "--format", "json"]))
                    .expect("describe json");
            cluster.kill(d["partitions"][0]["leader"].as_u64().expect("a leader"));
        }
        let values: Vec<String> = (0..200).map(|i| format!("b{batch}-{i}")).collect();
        let args = k(&["-q", "produce", "failover", "--acks", "all"]);
        let out = sandbox.run_with(&args.iter().map(String::as_str).collect::<Vec<_>>(), values.join("\n") + "\n");
        if out.status.success() {
            acknowledged.extend(values);
        } else {
            assert_eq!(out.status.code(), Some(69), "{}", String::from_utf8_lossy(&out.stderr));
        }
    }
    assert!(acknowledged.len() >= 800, "most batches are acknowledged with one broker of three down");
    // The new leader's epoch is Kafka's (ListOffsets), one up at least.
    let d: serde_json::Value =
        serde_json::from_str(&run(&["topic", "describe", "failover", "--format", "json"])).expect("describe json");
    assert!(d["partitions"][0]["leader_epoch"].as_u64().is_some_and(|e| e >= 1), "{d}");
    // Too few in-sync replicas: exit 69 within the request deadline, one line saying why.
    let strict_isr = || {
        let d: serde_json::Value =
            serde_json::from_str(&run(&["topic", "describe", "strict", "--format", "json"])).expect("describe json");
        d["partitions"][0]["isr"].as_array().map_or(0, Vec::len)
    };
    assert!(
        crate::common::wait_until(std::time::Duration::from_secs(60), || strict_isr() == 2),
        "the killed broker leaves the ISR"
    );
    let strict = k(&["-X", "socket.timeout.ms=3000", "produce", "strict", "--acks", "all"]);
    let out = bounded(&sandbox, &strict, "x\n");
    assert_eq!(out.status.code(), Some(69), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_one_error_line(&stderr);
    assert!(stderr.contains("not enough in-sync replicas") && stderr.contains("min.insync.replicas=3"), "{stderr}");
    // The leader itself still acknowledges.
    let leader_only = k(&["-q", "produce", "strict", "--acks", "1"]);
    sandbox.ok_with(&leader_only.iter().map(String::as_str).collect::<Vec<_>>(), "y\n");
    let mut seen = std::collections::BTreeSet::new();
    let all_seen = crate::common::wait_until(std::time::Duration::from_secs(90), || {
        while let Ok(line) = lines.try_recv() {
            seen.insert(line);
        }
        acknowledged.iter().all(|v| seen.contains(v))
    });
    // Whether the member was still running when the wait ended, for a failure's message.
    let member_ended = member.try_wait().ok().flatten();
    let _ = Command::new("kill").args(["-TERM", &member.id().to_string()]).status();
    let _ = member.wait();
    let _ = reader.join();
    // The killed broker is listed down, the others up.
    let brokers: serde_json::Value =
        serde_json::from_str(&run(&["broker", "list", "--format", "json"])).expect("broker list json");
    let down: Vec<u64> = brokers
        .as_array()
        .expect("array")
        .iter()
        .filter(|b| b["status"] == "down")
        .filter_map(|b| b["id"].as_u64())
        .collect();
    assert_eq!(down.len(), 1, "{brokers}");
    let missing: Vec<&String> = acknowledged.iter().filter(|v| !seen.contains(*v)).take(5).collect();
    assert!(
        all_seen,
        "acknowledged records the member never printed ({} of {} printed), e.g. {missing:?}; the member {}; its stderr:\n{}",
        seen.len(),
        acknowledged.len(),
        member_ended.map_or("was still running".to_string(), |s| format!("had ended: {s}")),
        std::fs::read_to_string(&member_log).unwrap_or_default()
    );
    // A follower whose whole cluster goes away exits 69, never hangs.
    let follow_args = k(&["-X", "socket.timeout.ms=2000", "-q", "consume", "failover", "--follow", "-n", "100000"]);
    let (mut follower, lines, reader) =
        crate::common::spawn_lines(&mut sandbox.std_cmd(&follow_args.iter().map(String::as_str).collect::<Vec<_>>()));
    assert!(lines.recv_timeout(std::time::Duration::from_secs(30)).is_ok(), "the follower reads");
    let _ = Command::new(kafka_cluster::script()).arg("down").env("KAFKA_CLUSTER_DIR", cluster.dir.path()).output();
    let ended =
        crate::common::wait_until(std::time::Duration::from_secs(60), || follower.try_wait().ok().flatten().is_some());
    if !ended {
        let _ = follower.kill();
    }
    assert!(ended, "a --follow consumer of a cluster that went away still runs");
    assert_eq!(follower.wait().expect("wait").code(), Some(69));
    let _ = reader.join();
    // So does a producer, and an admin command.
    for (args, input) in [
        (k(&["-X", "socket.timeout.ms=2000", "produce", "failover", "--acks", "all"]), "z\n"),
        (k(&["-X", "socket.timeout.ms=2000", "topic", "list"]), ""),
    ] {
        let out = bounded(&sandbox, &args, input);
        assert_eq!(out.status.code(), Some(69), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert_one_error_line(&String::from_utf8_lossy(&out.stderr));
    }
}

/// Runs `args` with `input` on stdin; panics if it has not exited within a
/// minute (a hang), far past the request deadlines the tests give.
fn bounded(sandbox: &Sandbox, args: &[String], input: &str) -> std::process::Output {
    use std::io::Write;
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut child = sandbox
        .std_cmd(&args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn runnel");
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(input.as_bytes()).expect("stdin");
    }
    let ended =
        crate::common::wait_until(std::time::Duration::from_secs(60), || child.try_wait().ok().flatten().is_some());
    if !ended {
        let _ = child.kill();
    }
    assert!(ended, "runnel {args:?} still runs after a minute: a hang");
    child.wait_with_output().expect("output")
}

#[test]
fn broker_list_shows_kafkas_brokers() {
    let Some(env) = Env::kafka() else { return };
    let t = env.name("led");
    env.ok(&["-q", "topic", "create", &t, "--partitions", "3"]);
    let brokers = env.json(&["broker", "list"]);
    let list = brokers.as_array().expect("array");
    assert_eq!(list.len(), 1, "one broker: {brokers}");
    assert_eq!(list[0]["status"], serde_json::json!("up"));
    assert!(list[0]["leader_of"].as_u64().is_some_and(|n| n >= 3), "{brokers}");
}

/// `topic describe` fills what librdkafka's metadata leaves out through its
/// Admin API: the topic id is the one Kafka's own `kafka-topics` prints, and
/// the offsets and leader epoch come from ListOffsets.
#[test]
fn topic_describe_shows_kafkas_topic_id_and_offsets() {
    let Some(env) = Env::kafka() else { return };
    let t = env.name("described");
    env.ok(&["-q", "topic", "create", &t, "--partitions", "2"]);
    env.produce(
        &t,
        &["--format", "json"],
        "{\"value\": \"a\", \"partition\": 1}\n{\"value\": \"b\", \"partition\": 1}\n",
    );
    let d = env.json(&["topic", "describe", &t]);
    let bootstrap = env.kafka.as_deref().expect("kafka");
    let out = kafka_cluster::kafka_run(
        "org.apache.kafka.tools.TopicCommand",
        &["--bootstrap-server", bootstrap, "--describe", "--topic", &t],
    );
    let id = out.split_whitespace().skip_while(|w| *w != "TopicId:").nth(1).expect("TopicId in kafka-topics' output");
    let table = env.ok(&["topic", "describe", &t]);
    assert!(table.contains(id), "TOPIC-ID {id} in:\n{table}");
    let partitions = d["partitions"].as_array().expect("partitions");
    assert_eq!(partitions[1]["high_watermark"], 2, "{d}");
    assert_eq!(partitions[1]["messages"], 2, "{d}");
    assert_eq!(partitions[0]["high_watermark"], 0, "{d}");
    assert!(partitions.iter().all(|p| p["leader_epoch"].as_u64().is_some()), "{d}");
}

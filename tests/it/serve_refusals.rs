//! What `runnel serve` does not do — transactions, ACLs, client quotas —
//! as Apache Kafka's Java clients see it (`tests/java/Refusals.java`): a
//! transactional producer's `initTransactions()` fails at once saying why,
//! a `read_committed` consumer reads everything (there are no transactions),
//! the admin client's ACL calls get SECURITY_DISABLED (a broker without an
//! authorizer), quota changes INVALID_REQUEST, and DescribeCluster and
//! DescribeLogDirs are answered. Nothing hangs: the program has a deadline
//! on every call, and the test on the program.
//!
//! Needs Java + Maven (Kafka's jars from Maven Central): skips with a
//! printed reason when missing, fails instead when `CI` is set.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::common::{Sandbox, wait_until};
use crate::serve_harness::Served;

#[test]
fn the_java_clients_get_kafkas_error_for_what_is_not_served() {
    if crate::kafka_cluster::bootstrap_allowed().is_none() {
        return;
    }
    let classpath = crate::kafka_cluster::classpath();
    let sb = Sandbox::with_brokers(1);
    sb.ok(&["topic", "create", "plain", "-p", "1"]);
    sb.ok_with(&["-q", "produce", "plain"], "a\nb\nc\n");
    let served = Served::start(&sb, 1);
    let program = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/java/Refusals.java");
    let mut child = Command::new("java")
        .arg("-cp")
        .arg(&classpath)
        .arg(&program)
        .args([&served.bootstrap(), "plain", "3"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("java");
    let ended = wait_until(Duration::from_secs(180), || matches!(child.try_wait(), Ok(Some(_))));
    if !ended {
        let _ = child.kill();
    }
    let out = child.wait_with_output().expect("output");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(ended && out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    let seen: BTreeMap<&str, &str> = stdout.lines().filter_map(|l| l.split_once(' ')).collect();
    let expect = |check: &str, outcome: &str| {
        let got = seen.get(check).copied().unwrap_or("(no line)");
        assert!(got.starts_with(outcome), "{check}: {got}\nall: {stdout}");
    };
    expect(
        "transactional-producer",
        "KafkaException: Could not find a coordinator with type TRANSACTION with key refused-tx due to unexpected \
         error: runnel serve coordinates consumer groups only (no transactions)",
    );
    expect("read-committed-consumer", "ok read 3 end 3");
    expect("describe-acls", "SecurityDisabledException");
    expect("create-acls", "SecurityDisabledException");
    expect("describe-client-quotas", "ok 0");
    expect("alter-client-quotas", "InvalidRequestException: runnel serve has no client quotas");
    expect("describe-cluster", "ok 1 nodes, controller 0, id ");
    expect("describe-log-dirs", "ok 1 dirs, 1 replicas of plain, bytes > 0");
    expect("list-transactions", "ok 0");
    // The admin client looks the transaction's coordinator up first: refused.
    expect("describe-transactions", "InvalidRequestException");
    // Nothing was written by the transactional producer.
    assert_eq!(sb.consume("plain", &[]), "a\nb\nc\n");
    assert_eq!(served.stop(), Some(0));
}

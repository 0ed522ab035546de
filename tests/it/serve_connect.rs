//! Kafka Connect 4.1.1 in distributed mode on `runnel serve`: a worker's
//! group is a client-led group of protocol type `connect` (its leader
//! assigns connectors and tasks), its config, offset and status topics are
//! compacted topics it creates through serve, and Kafka's own file
//! connectors move data both ways — a source connector writes a file's
//! lines into a runnel topic, a sink connector (a consumer group runnel
//! assigns) writes a runnel topic's values into a file.
//!
//! Needs Java and Maven (Connect's jars from Maven Central): skips with a
//! printed reason when they are missing, fails instead under `CI`.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::common::{Sandbox, wait_until};
use crate::serve_harness::Served;

const LIMIT: Duration = Duration::from_secs(90);

fn java_classpath() -> Option<String> {
    let has = |tool: &str| {
        Command::new("sh").args(["-c", &format!("command -v {tool}")]).output().is_ok_and(|o| o.status.success())
    };
    if has("java") && has("mvn") {
        return Some(crate::kafka_cluster::classpath());
    }
    assert!(std::env::var_os("CI").is_none(), "java and mvn are missing, and CI is set");
    eprintln!("skipped: java and mvn (apt-get install openjdk-17-jdk-headless maven) are missing");
    None
}

/// A port nobody listens on now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// One HTTP/1.1 exchange with Connect's REST API; the status and body.
fn http(port: u16, method: &str, path: &str, body: &str) -> Option<(u16, String)> {
    let mut conn = TcpStream::connect(("127.0.0.1", port)).ok()?;
    conn.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    conn.write_all(request.as_bytes()).ok()?;
    let mut reply = String::new();
    conn.read_to_string(&mut reply).ok()?;
    let status = reply.split_whitespace().nth(1)?.parse().ok()?;
    let body = reply.split_once("\r\n\r\n").map_or("", |(_, b)| b).to_string();
    Some((status, body))
}

/// A Connect worker: killed when dropped.
struct Worker(Child);

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_worker(classpath: &str, dir: &Path, bootstrap: &str, rest: u16) -> Worker {
    let config = dir.join("worker.properties");
    std::fs::write(
        &config,
        format!(
            "bootstrap.servers={bootstrap}\n\
             group.id=connect-cluster\n\
             key.converter=org.apache.kafka.connect.storage.StringConverter\n\
             value.converter=org.apache.kafka.connect.storage.StringConverter\n\
             config.storage.topic=connect-configs\n\
             offset.storage.topic=connect-offsets\n\
             status.storage.topic=connect-status\n\
             config.storage.replication.factor=1\n\
             offset.storage.replication.factor=1\n\
             status.storage.replication.factor=1\n\
             offset.flush.interval.ms=500\n\
             heartbeat.interval.ms=500\n\
             listeners=http://127.0.0.1:{rest}\n"
        ),
    )
    .expect("worker config");
    let log = std::fs::File::create(dir.join("worker.log")).expect("worker log");
    let child = Command::new("java")
        .arg("-Xmx384m")
        .arg("-cp")
        .arg(classpath)
        .arg("org.apache.kafka.connect.cli.ConnectDistributed")
        .arg(&config)
        .stdin(Stdio::null())
        .stdout(log.try_clone().expect("log"))
        .stderr(log)
        .spawn()
        .expect("start the Connect worker");
    Worker(child)
}

fn worker_log(dir: &Path) -> String {
    let text = std::fs::read_to_string(dir.join("worker.log")).unwrap_or_default();
    let lines: Vec<&str> = text.lines().filter(|l| l.contains("ERROR") || l.contains("WARN")).collect();
    lines[lines.len().saturating_sub(40)..].join("\n")
}

#[test]
fn kafka_connect_runs_a_source_and_a_sink_connector_through_serve() {
    let Some(classpath) = java_classpath() else { return };
    let sb = Sandbox::new();
    sb.ok(&["topic", "create", "rides", "--partitions", "2"]);
    let serve = Served::start(&sb, 1);
    let dir = sb.path().join("connect");
    std::fs::create_dir_all(&dir).expect("connect dir");
    let rest = free_port();
    let _worker = start_worker(&classpath, &dir, &serve.bootstrap(), rest);
    let up = wait_until(LIMIT, || http(rest, "GET", "/connectors", "").is_some_and(|(s, b)| s == 200 && b == "[]"));
    assert!(up, "the worker's REST API never answered; its log:\n{}", worker_log(&dir));

    // Source: a file's lines into a runnel topic.
    let input = dir.join("in.txt");
    std::fs::write(&input, "first line\nsecond line\n").expect("input");
    let source = format!(
        r#"{{"name":"file-in","config":{{"connector.class":"org.apache.kafka.connect.file.FileStreamSourceConnector","tasks.max":"1","file":"{}","topic":"from-file"}}}}"#,
        input.display()
    );
    let created = http(rest, "POST", "/connectors", &source);
    assert!(created.as_ref().is_some_and(|(s, _)| *s == 201), "{created:?}; log:\n{}", worker_log(&dir));
    let copied = wait_until(LIMIT, || {
        sb.run(&["topic", "describe", "from-file"]).status.success()
            && sb.consume("from-file", &["--format", "value"]) == "first line\nsecond line\n"
    });
    assert!(copied, "the source connector's records never arrived; log:\n{}", worker_log(&dir));

    // Sink: a runnel topic's values into a file, through a consumer group runnel assigns.
    sb.produce("rides", &["-p", "0"], "ride 1\nride 2\n");
    sb.produce("rides", &["-p", "1"], "ride 3\n");
    let output = dir.join("out.txt");
    let sink = format!(
        r#"{{"name":"file-out","config":{{"connector.class":"org.apache.kafka.connect.file.FileStreamSinkConnector","tasks.max":"1","file":"{}","topics":"rides"}}}}"#,
        output.display()
    );
    let created = http(rest, "POST", "/connectors", &sink);
    assert!(created.as_ref().is_some_and(|(s, _)| *s == 201), "{created:?}; log:\n{}", worker_log(&dir));
    let written = wait_until(LIMIT, || {
        let mut lines: Vec<String> =
            std::fs::read_to_string(&output).unwrap_or_default().lines().map(String::from).collect();
        lines.sort();
        lines == ["ride 1", "ride 2", "ride 3"]
    });
    assert!(written, "the sink connector never wrote the records; log:\n{}", worker_log(&dir));

    // The worker's group is Connect's: client-led, its protocol Connect's.
    let group = sb.ok(&["group", "describe", "connect-cluster", "--format", "json"]);
    let group: serde_json::Value = serde_json::from_str(&group).expect("json");
    assert_eq!(group["state"], "Stable", "{group}");
    assert_eq!(group["protocol"], "sessioned", "{group}");
    let status = http(rest, "GET", "/connectors/file-out/status", "").map(|(_, b)| b).unwrap_or_default();
    assert!(status.contains("RUNNING"), "{status}");
}

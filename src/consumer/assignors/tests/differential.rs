//! The differential test: runnel's sticky and cooperative-sticky assignors against Kafka's
//! own `StickyAssignor` and `CooperativeStickyAssignor` (the kafka-clients jar, driven by
//! `scripts/kafka-assignors/AssignorDiff.java`) on random groups with prior ownership:
//! every assignment must be Kafka's exactly.
//!
//! Needs `java` (11 or later) and kafka-clients in the local Maven repository
//! (`~/.m2/repository`, or `$MAVEN_REPO`). Without them it prints why and passes, except
//! in CI (`CI` set), where it fails; with `RUNNEL_KAFKA_FETCH=1` or in CI it first fetches
//! the jar with `mvn dependency:get` (network).
//! `RUNNEL_KAFKA_DIFF_CASES=N` and `RUNNEL_KAFKA_DIFF_SEED=S` change the number of cases
//! (default 2000, about 5 s) and the seed; `RUNNEL_KAFKA_DIFF_DUMP=FILE` writes the cases.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use super::*;

const KAFKA_VERSION: &str = "3.8.0";
const SLF4J_VERSION: &str = "1.7.36";

/// A small deterministic generator (splitmix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const TOPICS: [&str; 6] = ["t0", "t1", "t2", "orders", "payments-eu", "topic10"];

/// A random group: members (some departed ones only in the ownership), topics, and
/// prior ownership, either as a runnel group has it (one generation, no conflicts) or
/// Kafka-style (mixed generations, overlapping claims).
struct Case {
    cooperative: bool,
    members: Vec<MemberSubscription>,
    counts: BTreeMap<String, u32>,
    owned: Ownership,
}

fn random_case(rng: &mut Rng) -> Case {
    // One case in five is larger: more than 12 members (Java's tables grow past 16) and
    // enough partitions for the balancing to move many.
    let large = rng.chance(20);
    let (max_members, max_partitions) = if large { (24, 30) } else { (7, 9) };
    let topics: Vec<&str> = TOPICS.iter().copied().filter(|_| rng.chance(60)).collect();
    let topics = if topics.is_empty() { vec!["t0"] } else { topics };
    let mut counts = BTreeMap::new();
    for t in &topics {
        if rng.chance(90) {
            counts.insert((*t).to_owned(), rng.below(max_partitions) as u32);
        }
    }
    let id = |rng: &mut Rng, i: usize| match rng.below(3) {
        0 => format!("c{i}"),
        1 => format!("consumer-{}", rng.below(40)),
        _ => format!("runnel-{}-{:016x}", 1000 + rng.below(9000), rng.next()),
    };
    let n = 1 + rng.below(max_members);
    let uniform = rng.chance(50);
    let subscribe = |rng: &mut Rng| -> Vec<String> {
        let mut mine: Vec<String> = topics.iter().filter(|_| rng.chance(60)).map(|t| (*t).to_owned()).collect();
        if mine.is_empty() {
            mine.push(topics[rng.below(topics.len())].to_owned());
        }
        if rng.chance(5) {
            mine.push("missing".to_owned());
        }
        mine
    };
    let shared = subscribe(rng);
    let mut members: Vec<MemberSubscription> = Vec::new();
    for i in 0..n {
        let topics = if uniform { shared.clone() } else { subscribe(rng) };
        members.push(MemberSubscription::new(id(rng, i), topics));
    }
    members.sort_by(|a, b| a.member_id.cmp(&b.member_id));
    members.dedup_by(|a, b| a.member_id == b.member_id);

    // The previous generation: some of these members and some departed ones.
    let mut before: Vec<MemberSubscription> = members.iter().filter(|_| rng.chance(75)).cloned().collect();
    for i in 0..rng.below(3) {
        before.push(MemberSubscription::new(format!("gone{i}"), shared.clone()));
    }
    let mut before_counts = counts.clone();
    for n in before_counts.values_mut() {
        if rng.chance(20) {
            *n = n.saturating_sub(rng.below(3) as u32);
        }
    }
    let previous = if before.is_empty() { Assignment::new() } else { round_robin(&before, &before_counts) };
    let previous = if rng.chance(50) { sticky(&before, &before_counts, &previous) } else { previous };
    let kafka_style = rng.chance(35);
    let mut owned: Ownership = previous
        .into_iter()
        .filter(|(id, _)| members.iter().any(|m| &m.member_id == id))
        .map(|(id, partitions)| {
            let generation = if kafka_style { [None, Some(1), Some(2), Some(3)][rng.below(4)] } else { Some(5) };
            (id, Owned { partitions, generation })
        })
        .collect();
    if kafka_style {
        let all: Vec<TopicPartition> =
            counts.iter().flat_map(|(t, &n)| (0..n).map(move |p| TopicPartition::new(t.as_str(), p))).collect();
        for m in &members {
            if !all.is_empty() && rng.chance(40) {
                let entry =
                    owned.entry(m.member_id.clone()).or_insert(Owned { partitions: Vec::new(), generation: Some(2) });
                let extra = all[rng.below(all.len())].clone();
                if !entry.partitions.contains(&extra) {
                    entry.partitions.push(extra);
                }
            }
        }
    }
    Case { cooperative: rng.chance(50), members, counts, owned }
}

/// The line `AssignorDiff.java` reads. Topics as Kafka's group leader passes them:
/// subscribed ones with partitions.
fn encode(case: &Case) -> String {
    let subscribed: BTreeSet<&str> = case.members.iter().flat_map(|m| m.topics.iter().map(String::as_str)).collect();
    let topics: Vec<String> = case
        .counts
        .iter()
        .filter(|(t, n)| **n > 0 && subscribed.contains(t.as_str()))
        .map(|(t, n)| format!("{t}={n}"))
        .collect();
    let mut line = format!("{};{}", if case.cooperative { "cooperative-sticky" } else { "sticky" }, topics.join(","));
    for m in &case.members {
        let own = case.owned.get(&m.member_id).cloned().unwrap_or_default();
        let partitions: Vec<String> = own.partitions.iter().map(|p| format!("{}#{}", p.topic, p.partition)).collect();
        let generation = own.generation.map_or("n".to_owned(), |g| g.to_string());
        line.push_str(&format!(";{}|{}|{}|{generation}", m.member_id, m.topics.join(","), partitions.join(",")));
    }
    line
}

fn runnel_line(case: &Case) -> String {
    let a = if case.cooperative {
        cooperative_sticky_owned(&case.members, &case.counts, &case.owned)
    } else {
        sticky_owned(&case.members, &case.counts, &case.owned).assignment
    };
    a.iter()
        .map(|(m, ps)| {
            let ps: Vec<String> = ps.iter().map(|p| format!("{}#{}", p.topic, p.partition)).collect();
            format!("{m}={}", ps.join(","))
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// Whether this is a CI run, where tests that need Java and Maven must run.
fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// The class path with kafka-clients and slf4j-api, or why there is none.
fn kafka_class_path() -> Result<String, String> {
    Command::new("java").arg("-version").output().map_err(|e| format!("no `java` ({e})"))?;
    let repo = std::env::var_os("MAVEN_REPO")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".m2/repository")))
        .ok_or("no Maven repository (set MAVEN_REPO)")?;
    let kafka = repo.join(format!("org/apache/kafka/kafka-clients/{KAFKA_VERSION}/kafka-clients-{KAFKA_VERSION}.jar"));
    let slf4j = repo.join(format!("org/slf4j/slf4j-api/{SLF4J_VERSION}/slf4j-api-{SLF4J_VERSION}.jar"));
    if !(kafka.exists() && slf4j.exists()) {
        if std::env::var_os("RUNNEL_KAFKA_FETCH").is_none() && !in_ci() {
            return Err(format!("{} is missing; set RUNNEL_KAFKA_FETCH=1 to fetch it with mvn", kafka.display()));
        }
        let artifact = format!("-Dartifact=org.apache.kafka:kafka-clients:{KAFKA_VERSION}");
        let status = Command::new("mvn")
            .args(["-q", "dependency:get", &artifact])
            .arg(format!("-Dmaven.repo.local={}", repo.display()))
            .status()
            .map_err(|e| format!("no `mvn` ({e})"))?;
        if !status.success() || !kafka.exists() || !slf4j.exists() {
            return Err(format!("mvn could not fetch kafka-clients {KAFKA_VERSION} ({status})"));
        }
    }
    Ok(format!("{}:{}", kafka.display(), slf4j.display()))
}

fn run_kafka(class_path: &str, input: &str) -> Vec<String> {
    let source = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/kafka-assignors/AssignorDiff.java");
    let mut child = Command::new("java")
        .args(["-cp", class_path, source])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start java");
    // A write error means java ended early; its stderr says why.
    let _ = child.stdin.take().expect("stdin").write_all(input.as_bytes());
    let out = child.wait_with_output().expect("java");
    assert!(out.status.success(), "AssignorDiff failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8").lines().map(str::to_owned).collect()
}

#[test]
fn kafka_differential_sticky_and_cooperative_sticky() {
    let class_path = match kafka_class_path() {
        Ok(cp) => cp,
        Err(why) if in_ci() => panic!("CI must run the differential test against Kafka's assignors: {why}"),
        Err(why) => {
            println!("skipped: the differential test against Kafka's assignors needs java and kafka-clients: {why}");
            return;
        }
    };
    let n: usize = std::env::var("RUNNEL_KAFKA_DIFF_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(2000);
    let seed = std::env::var("RUNNEL_KAFKA_DIFF_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(0x5eed_2026);
    let mut rng = Rng(seed);
    let cases: Vec<Case> = (0..n).map(|_| random_case(&mut rng)).collect();
    let input: String = cases.iter().map(|c| encode(c) + "\n").collect();
    if let Some(path) = std::env::var_os("RUNNEL_KAFKA_DIFF_DUMP") {
        std::fs::write(path, &input).expect("dump the cases");
    }
    let kafka = run_kafka(&class_path, &input);
    assert_eq!(kafka.len(), cases.len());
    // Kafka's assignor can throw (a NullPointerException when a partition's previous-generation
    // owner takes no part in the balancing); runnel assigns those cases, checked by props.rs.
    let thrown = kafka.iter().filter(|line| line.starts_with("error: ")).count();
    assert!(
        thrown * 20 <= n,
        "Kafka threw on {thrown} of {n} cases, e.g. {:?}",
        kafka.iter().find(|l| l.starts_with("error"))
    );
    let differ: Vec<String> = cases
        .iter()
        .zip(&kafka)
        .filter(|(_, theirs)| !theirs.starts_with("error: "))
        .filter(|(case, theirs)| runnel_line(case) != **theirs)
        .map(|(case, theirs)| format!("case   {}\nkafka  {theirs}\nrunnel {}", encode(case), runnel_line(case)))
        .collect();
    assert!(
        differ.is_empty(),
        "{} of {n} differ from Kafka; first:\n{}",
        differ.len(),
        differ[..differ.len().min(3)].join("\n")
    );
    println!("{n} random rebalances: {} equal to Kafka {KAFKA_VERSION}'s, {thrown} where Kafka threw", n - thrown);
}

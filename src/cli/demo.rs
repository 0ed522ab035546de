//! `runnel demo`: a guided tour of the model in a temporary directory,
//! narrated step by step, using the same domain calls as the commands.

use std::io::{BufRead, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::Args;

use super::global::Context;
use crate::cluster::replication::partition_writer::Acks;
use crate::cluster::{Cluster, TopicSpec};
use crate::consumer::group::{
    GroupDescription, GroupStateName, MemberOptions, MemberReport, describe_group, run_member,
};
use crate::consumer::{Consumer, Position, RecordSink, Until};
use crate::error::{Error, IoContext, Result};
use crate::output::AdminFormat;
use crate::output::brokers::{render_changes, render_recover_report};
use crate::output::groups::render_group_describe;
use crate::output::records::{RecordFormat, RecordWriter};
use crate::output::tables::table;
use crate::output::topics::{render_partition_rows, render_topic_describe};
use crate::producer::message::Message;
use crate::producer::partitioner::partition_for_key;
use crate::producer::{Producer, ProducerOptions};

#[derive(Debug, Clone, Args)]
#[command(
    after_help = "Examples:\n  runnel demo\n  runnel demo --pause      # wait for Enter between steps, for teaching\n  runnel demo --keep       # keep the data dir to explore it afterwards"
)]
pub struct DemoArgs {
    /// Wait for Enter between steps (for teaching)
    #[arg(long)]
    pub pause: bool,
    /// Keep the demo's data directory and print where it is
    #[arg(long)]
    pub keep: bool,
}

struct Tour {
    pause: bool,
    step: u32,
}

impl Tour {
    fn step(&mut self, title: &str, text: &str) -> Result<()> {
        if self.pause && self.step > 0 {
            say("\n[press Enter to continue]")?;
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line).at("read", std::path::Path::new("standard input"))?;
        }
        self.step += 1;
        say(&format!("\n== {}. {title}\n{text}", self.step))
    }
}

fn say(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}").and_then(|()| out.flush()).map_err(Error::output)
}

pub fn cmd_demo(ctx: &Context, args: &DemoArgs) -> Result<()> {
    let dir = tempfile::Builder::new().prefix("runnel-demo-").tempdir().at("create", &std::env::temp_dir())?;
    let root = dir.path().to_path_buf();
    let mut tour = Tour { pause: args.pause, step: 0 };
    let result = tour_log(&mut tour, &root, ctx)
        .and_then(|cluster| tour_replication(&mut tour, &cluster))
        .and_then(|()| tour_groups(&mut tour, &root, ctx))
        .and_then(|()| tour_group_sizes(&mut tour))
        .and_then(|()| {
            say("\nThat was the tour. Try it yourself: `runnel init --brokers 3`, then the commands above.")
        });
    if args.keep {
        let kept = dir.keep();
        say(&format!(
            "\nThe demo's data is kept in {}: try `runnel --data-dir {} topic describe rides`",
            kept.display(),
            kept.display()
        ))?;
    }
    result
}

fn tour_log(tour: &mut Tour, root: &std::path::Path, ctx: &Context) -> Result<Cluster> {
    say(&format!("runnel demo — Kafka's model on local files, in {}", root.display()))?;
    tour.step(
        "Brokers: a cluster",
        "`runnel init --brokers 3` makes a cluster of three brokers; each is just a folder (broker-0,\nbroker-1, broker-2).",
    )?;
    let (cluster, _) = Cluster::init(root, 3, ctx.lock_timeout)?;

    tour.step(
        "A topic with partitions",
        "`runnel topic create rides --partitions 3`: a topic is a named stream of messages, split into\npartitions, each an append-only log of its own, spread over the brokers.",
    )?;
    let spec = TopicSpec { name: "rides".into(), partitions: 3, replication_factor: 1, config: Vec::new() };
    cluster.create_topic(&spec)?;
    say(&render_topic_describe(&cluster.describe_topic("rides")?, AdminFormat::Table))?;

    tour.step(
        "A producer: keys choose partitions",
        "A producer (`runnel produce rides --key-field car_id`) writes messages. A message with a key\ngoes to murmur2(key) mod partitions — the partition Kafka's Java client picks — so every\nride of one car lands in one partition, in order.",
    )?;
    let cars = ["car-1", "car-2", "car-3", "car-4", "car-5"];
    let mut producer = Producer::new(
        &cluster,
        cluster.topic("rides")?,
        ProducerOptions { acks: Acks::All, ..ProducerOptions::default() },
    )?;
    let now = crate::sys::clock::now_ms();
    for ride in 0..10u32 {
        let car = cars[ride as usize % cars.len()];
        let value = format!("{{\"car_id\":\"{car}\",\"ride\":{ride},\"km\":{}}}", 3 + ride * 7 % 11);
        let message =
            Message { key: Some(car.as_bytes().into()), value: Some(value.into_bytes().into()), ..Message::default() };
        producer.send(&message, now)?.map_err(Error::bad_input)?;
    }
    producer.finish()?;
    let rows = cars.iter().map(|car| vec![car.to_string(), partition_for_key(car.as_bytes(), 3).to_string()]).collect();
    say(&table(&["KEY", "PARTITION"], rows))?;

    tour.step(
        "A consumer reads offsets",
        "Each partition numbers its messages 0, 1, 2, ... — the offset. A consumer (`runnel consume\nrides --format '%p:%o %k %s\\n'`) reads them back by offset: in order within a partition.",
    )?;
    read_all(&cluster, "%p:%o %k %s\\n")?;

    tour.step("No key: round robin", "The producer spreads messages without a key over the partitions in turn.")?;
    let mut producer = Producer::new(&cluster, cluster.topic("rides")?, ProducerOptions::default())?;
    for i in 0..6 {
        producer.send(&Message::value(format!("unkeyed-{i}").as_bytes()), now)?.map_err(Error::bad_input)?;
    }
    let summary = producer.finish()?;
    say(&format!("6 unkeyed messages, spread per partition: {:?}", summary.per_partition))?;
    Ok(cluster)
}

fn tour_replication(tour: &mut Tour, cluster: &Cluster) -> Result<()> {
    tour.step(
        "Replication",
        "`runnel topic create payments --partitions 3 --replication-factor 3`: replication gives every\npartition a replica on each of the 3 brokers. The first replica leads; the in-sync replicas (ISR) get\nevery write, and `--acks all` returns once all of them have it.",
    )?;
    let spec = TopicSpec { name: "payments".into(), partitions: 3, replication_factor: 3, config: Vec::new() };
    cluster.create_topic(&spec)?;
    let mut producer = Producer::new(
        cluster,
        cluster.topic("payments")?,
        ProducerOptions { acks: Acks::All, ..ProducerOptions::default() },
    )?;
    let now = crate::sys::clock::now_ms();
    for i in 0..30 {
        producer.send(&Message::value(format!("payment-{i}").as_bytes()), now)?.map_err(Error::bad_input)?;
    }
    producer.finish()?;
    say(&partition_table(cluster, "payments")?)?;
    let before = count(cluster, "payments")?;
    say(&format!("{before} messages acknowledged by every in-sync replica."))?;

    let victim = cluster.topic("payments")?.partition(0).and_then(|p| p.leader).unwrap_or(0);
    tour.step(
        "A broker fails",
        &format!(
            "`runnel broker fail {victim}`: broker {victim} leaves every ISR, and each partition it led elects\na new leader from its ISR — with a new leader epoch, so a stale leader can be told apart."
        ),
    )?;
    let changes = cluster.fail_broker(victim)?;
    say(&render_changes(&changes, AdminFormat::Table))?;
    if changes.iter().any(|c| c.new_leader.is_none()) {
        say("(`rides` has one replica per partition: its partition on that broker is offline until it returns.)")?;
    }
    let after = count(cluster, "payments")?;
    say(&format!("Consumers now read the new leaders: {after} messages, {} lost.", before.saturating_sub(after)))?;
    let mut producer = Producer::new(cluster, cluster.topic("payments")?, ProducerOptions::default())?;
    for i in 30..45 {
        producer.send(&Message::value(format!("payment-{i}").as_bytes()), now)?.map_err(Error::bad_input)?;
    }
    producer.finish()?;
    say(&format!("Writes go on without it: 15 more, {} in all.", count(cluster, "payments")?))?;

    tour.step(
        "Recovery",
        &format!(
            "`runnel broker recover {victim}`: each of its replicas is cut where it diverges from the\nleader (by leader epoch), copies what it missed and rejoins the ISR."
        ),
    )?;
    let report = cluster.recover_broker(victim, |_| {})?;
    say(&render_recover_report(&report, AdminFormat::Table))?;
    say(&partition_table(cluster, "payments")?)?;
    say("`runnel elect-leaders` would now hand leadership back to the preferred (first) replicas.")
}

/// The partition rows of `topic describe`: leaders, epochs, replicas, ISR.
fn partition_table(cluster: &Cluster, topic: &str) -> Result<String> {
    Ok(render_partition_rows(&cluster.describe_topic(topic)?))
}

/// How many messages a consumer reads from `topic` now.
fn count(cluster: &Cluster, topic: &str) -> Result<u64> {
    struct Count;
    impl RecordSink for Count {
        fn write(&mut self, _: &str, _: u32, _: &crate::store::Record<'_>) -> std::io::Result<()> {
            Ok(())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut consumer = Consumer::new(cluster);
    consumer.assign_topic(topic, Position::Beginning, Until::End)?;
    consumer.run(&mut Count, None)?;
    Ok(consumer.delivered())
}

/// Prints every message of `topic` with a template, like `runnel consume`.
fn read_all(cluster: &Cluster, template: &str) -> Result<()> {
    let mut consumer = Consumer::new(cluster);
    consumer.assign_topic("rides", Position::Beginning, Until::End)?;
    let mut sink = RecordWriter::new(std::io::stdout(), RecordFormat::parse(template)?);
    consumer.run(&mut sink, None)?;
    Ok(())
}

/// The consumer-group part of the tour: three members share six
/// partitions, one leaves, the others take over its partitions and drain
/// the lag. Members are threads running the same loop as
/// `runnel consume --group`, with sinks that count (and pace themselves so
/// the lag is visible).
fn tour_groups(tour: &mut Tour, root: &std::path::Path, ctx: &Context) -> Result<()> {
    const MESSAGES: u64 = 6000;
    let cluster = Cluster::open(root, ctx.lock_timeout)?;
    tour.step(
        "Consumer groups",
        "A topic `orders` with six partitions and 6000 messages, and a consumer group `billing` of\nthree consumers (members) — three `runnel consume orders --group billing` processes; here, three threads.\nThe group gives each member its share of the partitions (range: two each).",
    )?;
    let spec = TopicSpec { name: "orders".into(), partitions: 6, replication_factor: 1, config: Vec::new() };
    cluster.create_topic(&spec)?;
    let mut members: Vec<DemoMember> = (1..=3).map(|i| DemoMember::start(&cluster, i)).collect();
    wait_for_group(&cluster, |d| d.state == GroupStateName::Stable && d.members.len() == 3)?;
    let mut producer = Producer::new(&cluster, cluster.topic("orders")?, ProducerOptions::default())?;
    let now = crate::sys::clock::now_ms();
    for i in 0..MESSAGES {
        producer.send(&Message::value(format!("order-{i}").as_bytes()), now)?.map_err(Error::bad_input)?;
        if i % 300 == 299 {
            producer.flush()?; // small batches, so members react to rebalances quickly
        }
    }
    producer.finish()?;
    let reading = wait_for_group(&cluster, |d| {
        d.state == GroupStateName::Stable
            && d.members.len() == 3
            && d.offsets.len() == 6
            && d.offsets.iter().all(|o| o.committed.is_some())
    })?;
    say(&render_group_describe(&reading, AdminFormat::Table))?;

    tour.step(
        "A member leaves: rebalancing",
        "member-1 stops (Ctrl-C on a real process): it commits what it has output and leaves.\nThat starts a rebalance: the group moves to a new generation and the two other consumers\nshare its partitions, starting at its committed offsets. A process that crashed would be noticed at once too: its file\nlock is gone.",
    )?;
    let leaving = members.remove(0);
    let report = leaving.stop()?;
    say(&format!("member-1 left after {} messages and {} commits", report.delivered, report.commits))?;
    let settled = wait_for_group(&cluster, |d| d.state == GroupStateName::Stable && d.members.len() == 2)?;
    say(&render_group_describe(&settled, AdminFormat::Table))?;

    tour.step(
        "The lag drains",
        "Lag = log end offset − committed offset. `runnel group describe billing` a few times:",
    )?;
    let drained = wait_for_group(&cluster, |d| {
        let _ = say(&format!("  total lag {}", d.total_lag));
        d.total_lag == 0
    })?;
    let mut delivered = report.delivered;
    for (i, member) in members.into_iter().enumerate() {
        let report = member.stop()?;
        say(&format!("member-{} read {} messages", i + 2, report.delivered))?;
        delivered += report.delivered;
    }
    say(&format!(
        "{delivered} messages delivered for {MESSAGES} produced, in generation {}; the group is now empty and\nits offsets stay: `runnel consume orders --group billing` would read nothing more.",
        drained.generation
    ))
}

/// Fewer, as many, and more members than partitions, with the range
/// assignor the group used (the same function, not a re-enactment).
fn tour_group_sizes(tour: &mut Tour) -> Result<()> {
    use crate::consumer::assignors::{self, MemberSubscription, Strategy};
    tour.step(
        "Fewer, as many, more members than partitions",
        "One partition is read by one member at a time. With 6 partitions of `orders`:",
    )?;
    let counts = std::collections::BTreeMap::from([("orders".to_string(), 6u32)]);
    let mut rows = Vec::new();
    for members in [2usize, 3, 6, 8] {
        let subscriptions: Vec<MemberSubscription> =
            (1..=members).map(|i| MemberSubscription::new(format!("member-{i}"), ["orders"])).collect();
        let assignment = assignors::assign(Strategy::Range, &subscriptions, &counts, &Default::default());
        let shares: Vec<String> = subscriptions
            .iter()
            .map(|m| {
                let parts = assignment.get(&m.member_id).map(Vec::as_slice).unwrap_or_default();
                let list: Vec<String> = parts.iter().map(|tp| tp.partition.to_string()).collect();
                if list.is_empty() { "idle".to_string() } else { list.join(",") }
            })
            .collect();
        rows.push(vec![members.to_string(), shares.join("  ")]);
    }
    say(&crate::output::tables::table(&["MEMBERS", "PARTITIONS OF EACH MEMBER"], rows))?;
    say("Idle members wait in the group and take over as soon as another leaves.")
}

/// Polls the demo group until `done` says so (at most 30 s).
fn wait_for_group(cluster: &Cluster, mut done: impl FnMut(&GroupDescription) -> bool) -> Result<GroupDescription> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let mut last_print = std::time::Instant::now();
    loop {
        if let Ok(d) = describe_group(cluster, "billing") {
            // Call `done` at most every 300 ms: it may print.
            if last_print.elapsed() >= std::time::Duration::from_millis(300) || d.total_lag == 0 {
                last_print = std::time::Instant::now();
                if done(&d) {
                    return Ok(d);
                }
            }
        }
        if std::time::Instant::now() > deadline {
            return Err(Error::other("the demo's consumer group did not settle within 30 s"));
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// A group member on a thread, as `runnel consume orders --group billing --follow`.
struct DemoMember {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<Result<MemberReport>>>,
}

impl DemoMember {
    fn start(cluster: &Cluster, n: u32) -> DemoMember {
        let stop = Arc::new(AtomicBool::new(false));
        let (cluster, flag) = (cluster.clone(), Arc::clone(&stop));
        let opts = MemberOptions {
            client_id: Some(format!("member-{n}")),
            follow: true,
            ..MemberOptions::new("billing", vec!["orders".to_string()])
        };
        let thread = std::thread::spawn(move || run_member(&cluster, &opts, &mut PacedCounter, &flag));
        DemoMember { stop, thread: Some(thread) }
    }

    /// Asks the member to leave and waits for its report.
    fn stop(mut self) -> Result<MemberReport> {
        self.stop.store(true, Ordering::Relaxed);
        match self.thread.take().map(std::thread::JoinHandle::join) {
            Some(Ok(report)) => report,
            _ => Err(Error::other("a demo group member panicked")),
        }
    }
}

impl Drop for DemoMember {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A sink that takes about a millisecond per record, like a consumer with
/// real work to do, so the demo's lag drains visibly.
struct PacedCounter;

impl RecordSink for PacedCounter {
    fn write(&mut self, _topic: &str, _partition: u32, _record: &crate::store::Record<'_>) -> std::io::Result<()> {
        std::thread::sleep(std::time::Duration::from_millis(1));
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

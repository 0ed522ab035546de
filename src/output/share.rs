//! Share groups as tables or JSON: `group describe` of a share group (its
//! members, share-partitions and records in flight) and `group pending`
//! (either kind of group). JSON is the library's types as they serialise
//! (the shapes REFERENCE.md documents).

use super::tables::{AdminFormat, dash, table, to_json};
use crate::consumer::share::admin::{InFlightRun, ShareGroupStateName};
use crate::consumer::share::{PendingReport, RecordState, ShareGroupDescription};

fn state_name(state: ShareGroupStateName) -> &'static str {
    match state {
        ShareGroupStateName::Stable => "Stable",
        ShareGroupStateName::Empty => "Empty",
    }
}

/// A record state with Kafka's name.
pub fn record_state(state: RecordState) -> &'static str {
    match state {
        RecordState::Available => "AVAILABLE",
        RecordState::Acquired => "ACQUIRED",
        RecordState::Acknowledged => "ACKNOWLEDGED",
        RecordState::Archived => "ARCHIVED",
    }
}

/// Milliseconds as seconds with one decimal: `1.5s`.
fn seconds(ms: Option<i64>) -> String {
    dash(ms.map(|ms| format!("{:.1}s", ms as f64 / 1000.0)))
}

fn offsets(run: &InFlightRun) -> String {
    if run.first_offset == run.last_offset {
        run.first_offset.to_string()
    } else {
        format!("{}-{}", run.first_offset, run.last_offset)
    }
}

/// `group describe` of a share group: a summary line, one row per
/// share-partition (kafka-share-groups' GROUP TOPIC PARTITION START-OFFSET
/// LAG, with the log end and the records in flight), then the runs of
/// records in flight.
pub fn render_share_describe(d: &ShareGroupDescription, format: AdminFormat) -> String {
    if format == AdminFormat::Json {
        return to_json(d);
    }
    let members = match d.members.len() {
        0 => "no active members".to_string(),
        n => super::words::count(n as u64, "member"),
    };
    let dead_letter = d.dead_letter_topic.as_deref().map(|t| format!(", dead-letter topic '{t}'")).unwrap_or_default();
    let mut out = format!(
        "Share group '{}' is {}: {members}, total lag {}{dead_letter}\n\n",
        d.group,
        state_name(d.state),
        d.total_lag
    );
    let rows = d
        .partitions
        .iter()
        .map(|p| {
            let in_flight: u64 = p
                .in_flight
                .iter()
                .filter(|r| r.state == RecordState::Acquired)
                .map(|r| r.last_offset - r.first_offset + 1)
                .sum();
            vec![
                d.group.clone(),
                p.topic.clone(),
                p.partition.to_string(),
                p.start_offset.to_string(),
                dash(p.log_end_offset),
                dash(p.lag),
                in_flight.to_string(),
            ]
        })
        .collect();
    out.push_str(&table(&["GROUP", "TOPIC", "PARTITION", "START-OFFSET", "LOG-END-OFFSET", "LAG", "ACQUIRED"], rows));
    let runs: Vec<Vec<String>> = d
        .partitions
        .iter()
        .flat_map(|p| p.in_flight.iter().map(move |r| (p, r)))
        .map(|(p, r)| {
            vec![
                p.topic.clone(),
                p.partition.to_string(),
                offsets(r),
                record_state(r.state).to_string(),
                r.delivery_count.to_string(),
                dash(r.member_id.as_deref()),
                seconds(r.age_ms),
                seconds(r.lock_expires_in_ms),
            ]
        })
        .collect();
    if !runs.is_empty() {
        out.push('\n');
        out.push_str(&table(
            &["TOPIC", "PARTITION", "OFFSETS", "STATE", "DELIVERIES", "OWNER", "AGE", "LOCK-EXPIRES-IN"],
            runs,
        ));
    }
    out
}

/// `group describe --members` of a share group: kafka-share-groups'
/// GROUP CONSUMER-ID HOST CLIENT-ID (every member reads every partition).
pub fn render_share_members(d: &ShareGroupDescription, format: AdminFormat) -> String {
    if format == AdminFormat::Json {
        return to_json(&d.members);
    }
    let rows = d
        .members
        .iter()
        .map(|m| vec![d.group.clone(), m.member_id.clone(), m.host.clone(), m.client_id.clone()])
        .collect();
    table(&["GROUP", "CONSUMER-ID", "HOST", "CLIENT-ID"], rows)
}

#[derive(serde::Serialize)]
struct StateJson<'a> {
    group: &'a str,
    #[serde(rename = "type")]
    group_type: &'a str,
    state: ShareGroupStateName,
    members: usize,
}

/// `group describe --state` of a share group: GROUP TYPE STATE #MEMBERS.
pub fn render_share_state(d: &ShareGroupDescription, format: AdminFormat) -> String {
    if format == AdminFormat::Json {
        return to_json(&StateJson { group: &d.group, group_type: "share", state: d.state, members: d.members.len() });
    }
    table(
        &["GROUP", "TYPE", "STATE", "#MEMBERS"],
        vec![vec![d.group.clone(), "share".into(), state_name(d.state).to_string(), d.members.len().to_string()]],
    )
}

/// `group pending`: a summary line, one row per partition (in flight,
/// retried, waiting), then each record in flight or to be delivered again.
pub fn render_pending(r: &PendingReport, format: AdminFormat) -> String {
    if format == AdminFormat::Json {
        return to_json(r);
    }
    let in_flight = |n: u64| if r.in_flight_known { n.to_string() } else { "-".to_string() };
    let mut out = format!(
        "{} group '{}': {} in flight, {} retried, {} waiting{}\n\n",
        if r.group_type.name() == "share" { "Share" } else { "Consumer" },
        r.group,
        in_flight(r.in_flight),
        r.retried,
        r.waiting,
        if r.in_flight_known {
            ""
        } else {
            " (a consumer group records its committed offsets, not what its members hold: what is past them counts as waiting)"
        }
    );
    let rows = r
        .partitions
        .iter()
        .map(|p| {
            vec![
                p.topic.clone(),
                p.partition.to_string(),
                dash(p.position),
                dash(p.log_end_offset),
                in_flight(p.in_flight),
                p.retried.to_string(),
                dash(p.waiting),
            ]
        })
        .collect();
    let position = if r.in_flight_known { "START-OFFSET" } else { "CURRENT-OFFSET" };
    out.push_str(&table(&["TOPIC", "PARTITION", position, "LOG-END-OFFSET", "IN-FLIGHT", "RETRIED", "WAITING"], rows));
    let records: Vec<Vec<String>> = r
        .partitions
        .iter()
        .flat_map(|p| p.records.iter().map(move |rec| (p, rec)))
        .map(|(p, rec)| {
            vec![
                p.topic.clone(),
                p.partition.to_string(),
                rec.offset.to_string(),
                record_state(rec.state).to_string(),
                rec.delivery_count.to_string(),
                dash(rec.member_id.as_deref()),
                seconds(rec.age_ms),
            ]
        })
        .collect();
    if !records.is_empty() {
        out.push('\n');
        out.push_str(&table(&["TOPIC", "PARTITION", "OFFSET", "STATE", "DELIVERIES", "OWNER", "AGE"], records));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consumer::share::GroupType;
    use crate::consumer::share::admin::{
        PendingPartition, PendingRecord, ShareMemberDescription, SharePartitionDescription,
    };

    fn description() -> ShareGroupDescription {
        ShareGroupDescription {
            group: "w".into(),
            group_type: GroupType::Share,
            state: ShareGroupStateName::Stable,
            dead_letter_topic: None,
            members: vec![ShareMemberDescription {
                member_id: "a-1".into(),
                client_id: "ca".into(),
                host: "h".into(),
                pid: 7,
            }],
            partitions: vec![SharePartitionDescription {
                topic: "t".into(),
                partition: 0,
                start_offset: 3,
                next_offset: 6,
                log_start_offset: Some(0),
                log_end_offset: Some(10),
                lag: Some(6),
                in_flight: vec![
                    InFlightRun {
                        first_offset: 3,
                        last_offset: 4,
                        state: RecordState::Acquired,
                        delivery_count: 2,
                        member_id: Some("a-1".into()),
                        age_ms: Some(1500),
                        lock_expires_in_ms: Some(28_500),
                        dead_letter: false,
                    },
                    InFlightRun {
                        first_offset: 5,
                        last_offset: 5,
                        state: RecordState::Acknowledged,
                        delivery_count: 1,
                        member_id: None,
                        age_ms: Some(100),
                        lock_expires_in_ms: None,
                        dead_letter: false,
                    },
                ],
            }],
            total_lag: 6,
        }
    }

    #[test]
    fn describe_shows_partitions_and_records_in_flight() {
        let text = render_share_describe(&description(), AdminFormat::Table);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "Share group 'w' is Stable: 1 member, total lag 6");
        assert_eq!(lines[2], "GROUP  TOPIC  PARTITION  START-OFFSET  LOG-END-OFFSET  LAG  ACQUIRED");
        assert_eq!(lines[3], "w      t      0          3             10              6    2");
        assert_eq!(lines[5], "TOPIC  PARTITION  OFFSETS  STATE         DELIVERIES  OWNER  AGE   LOCK-EXPIRES-IN");
        assert_eq!(lines[6], "t      0          3-4      ACQUIRED      2           a-1    1.5s  28.5s");
        assert_eq!(lines[7], "t      0          5        ACKNOWLEDGED  1           -      0.1s  -");
        let json: serde_json::Value =
            serde_json::from_str(&render_share_describe(&description(), AdminFormat::Json)).expect("json");
        assert_eq!(json["type"], "share");
        assert_eq!(
            json["partitions"][0]["in_flight"][0],
            serde_json::json!({"first_offset": 3, "last_offset": 4, "state": "ACQUIRED", "delivery_count": 2,
                               "member_id": "a-1", "age_ms": 1500, "lock_expires_in_ms": 28500, "dead_letter": false})
        );
    }

    #[test]
    fn pending_of_a_consumer_group_says_what_it_cannot_know() {
        let report = PendingReport {
            group: "g".into(),
            group_type: GroupType::Consumer,
            in_flight_known: false,
            in_flight: 0,
            retried: 0,
            waiting: 4,
            partitions: vec![PendingPartition {
                topic: "t".into(),
                partition: 0,
                position: Some(6),
                log_end_offset: Some(10),
                in_flight: 0,
                retried: 0,
                waiting: Some(4),
                records: vec![],
            }],
        };
        let text = render_pending(&report, AdminFormat::Table);
        assert!(text.starts_with("Consumer group 'g': - in flight, 0 retried, 4 waiting (a consumer group"), "{text}");
        assert!(text.contains("t      0          6               10              -          0        4"), "{text}");
        let share = PendingReport {
            group_type: GroupType::Share,
            in_flight_known: true,
            in_flight: 1,
            retried: 1,
            partitions: vec![PendingPartition {
                in_flight: 1,
                retried: 1,
                records: vec![PendingRecord {
                    offset: 6,
                    state: RecordState::Acquired,
                    member_id: Some("a-1".into()),
                    age_ms: Some(2000),
                    delivery_count: 2,
                }],
                ..report.partitions[0].clone()
            }],
            ..report
        };
        let text = render_pending(&share, AdminFormat::Table);
        assert!(text.starts_with("Share group 'g': 1 in flight, 1 retried, 4 waiting\n"), "{text}");
        assert!(text.contains("t      0          6       ACQUIRED  2           a-1    2.0s"), "{text}");
    }
}

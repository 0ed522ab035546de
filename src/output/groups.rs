//! `group list`, `group describe` and the `group reset-offsets` plan, as
//! tables or JSON. Describe's JSON is the library's `GroupDescription` as
//! it serialises (the shape REFERENCE.md documents).

use std::collections::HashMap;
use std::io::{self, Write};

use super::streamed_table::write_table;
use super::tables::{AdminFormat, dash, rendered, table, to_json, write_json};
use crate::consumer::group::admin::MemberDescription;
use crate::consumer::group::delete_offsets::OffsetDeletion;
use crate::consumer::group::{GroupDescription, GroupStateName, GroupSummary, OffsetReset};

fn state_name(state: GroupStateName) -> &'static str {
    match state {
        GroupStateName::Stable => "Stable",
        GroupStateName::PreparingRebalance => "PreparingRebalance",
        GroupStateName::CompletingRebalance => "CompletingRebalance",
        GroupStateName::Empty => "Empty",
        GroupStateName::Dead => "Dead",
    }
}

/// The group's assignor as a column shows it: runnel's strategy, a
/// client-led group's protocol, or `-`.
fn assignor(strategy: Option<crate::consumer::assignors::Strategy>, protocol: &Option<String>) -> String {
    match (strategy, protocol) {
        (Some(s), _) => s.to_string(),
        (None, Some(p)) => p.clone(),
        (None, None) => "-".to_string(),
    }
}

/// `group list`: GROUP TYPE STATE MEMBERS STRATEGY; JSON is an array of
/// `{"group", "type", "state", "members", "strategy"}`.
pub fn render_group_list(groups: &[GroupSummary], format: AdminFormat) -> String {
    match format {
        AdminFormat::Json => to_json(groups),
        AdminFormat::Table => table(
            &["GROUP", "TYPE", "STATE", "MEMBERS", "STRATEGY"],
            groups
                .iter()
                .map(|g| {
                    vec![
                        g.group.clone(),
                        g.type_name().to_string(),
                        state_name(g.state).to_string(),
                        g.members.to_string(),
                        assignor(g.strategy, &g.protocol),
                    ]
                })
                .collect(),
        ),
    }
}

/// The line above the describe table: state, generation, strategy, lag.
fn summary_line(d: &GroupDescription) -> String {
    let members = match d.members.len() {
        0 => "no active members".to_string(),
        n => super::words::count(n as u64, "member"),
    };
    format!(
        "Group '{}' is {}: generation {}, strategy {}, {members}, total lag {}",
        d.group,
        state_name(d.state),
        d.generation,
        assignor(d.strategy, &d.protocol),
        d.total_lag
    )
}

/// `group describe`: a summary line, then Kafka's columns, one row per
/// partition (and one per idle member, with `-` for the partition).
pub fn render_group_describe(d: &GroupDescription, format: AdminFormat) -> String {
    rendered(|out| write_group_describe(out, d, format))
}

/// [`render_group_describe`] written to `out` as it is produced: a group of
/// 100,000 partitions is written row by row, not held as a table of cells.
pub fn write_group_describe(out: &mut impl Write, d: &GroupDescription, format: AdminFormat) -> io::Result<()> {
    if format == AdminFormat::Json {
        return write_json(out, d);
    }
    writeln!(out, "{}\n", summary_line(d))?;
    // Members by id, for each partition's owner (a group may have thousands of each).
    let members: HashMap<&str, &MemberDescription> = d.members.iter().map(|m| (m.member_id.as_str(), m)).collect();
    let partition_rows = || {
        d.offsets.iter().map(|o| {
            let owner = o.member_id.as_deref().and_then(|id| members.get(id));
            vec![
                d.group.clone(),
                o.topic.clone(),
                o.partition.to_string(),
                dash(o.committed),
                dash(o.log_end_offset),
                dash(o.lag),
                dash(o.member_id.as_deref()),
                dash(owner.map(|m| m.host.as_str())),
                dash(owner.map(|m| m.client_id.as_str())),
            ]
        })
    };
    let idle_rows = || {
        d.members.iter().filter(|m| m.assignment.is_empty()).map(|idle| {
            let mut row = vec![d.group.clone()];
            row.extend(std::iter::repeat_n("-".to_string(), 5));
            row.extend([idle.member_id.clone(), idle.host.clone(), idle.client_id.clone()]);
            row
        })
    };
    write_table(
        out,
        &["GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID", "HOST", "CLIENT-ID"],
        || partition_rows().chain(idle_rows()),
    )
}

/// `group describe --members`, as kafka-consumer-groups shows it: GROUP
/// CONSUMER-ID HOST CLIENT-ID #PARTITIONS ASSIGNMENT, then KIND (`runnel` or
/// `kafka`: a Kafka client through `runnel serve`); JSON is the array of
/// members as in `group describe`.
pub fn render_group_members(d: &GroupDescription, format: AdminFormat) -> String {
    if format == AdminFormat::Json {
        return to_json(&d.members);
    }
    let rows = d
        .members
        .iter()
        .map(|m| {
            let assignment: Vec<String> =
                m.assignment.iter().map(|tp| format!("{}:{}", tp.topic, tp.partition)).collect();
            vec![
                d.group.clone(),
                m.member_id.clone(),
                m.host.clone(),
                m.client_id.clone(),
                m.assignment.len().to_string(),
                if assignment.is_empty() { "-".to_string() } else { assignment.join(",") },
                m.kind.name().to_string(),
            ]
        })
        .collect();
    table(&["GROUP", "CONSUMER-ID", "HOST", "CLIENT-ID", "#PARTITIONS", "ASSIGNMENT", "KIND"], rows)
}

#[derive(serde::Serialize)]
struct StateJson<'a> {
    group: &'a str,
    state: GroupStateName,
    generation: u64,
    strategy: Option<crate::consumer::assignors::Strategy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    protocol: Option<&'a str>,
    members: usize,
}

/// `group describe --state`: GROUP ASSIGNMENT-STRATEGY STATE GENERATION
/// #MEMBERS; JSON `{"group","state","generation","strategy","members"}`.
pub fn render_group_state(d: &GroupDescription, format: AdminFormat) -> String {
    if format == AdminFormat::Json {
        return to_json(&StateJson {
            group: &d.group,
            state: d.state,
            generation: d.generation,
            strategy: d.strategy,
            protocol: d.protocol.as_deref(),
            members: d.members.len(),
        });
    }
    table(
        &["GROUP", "ASSIGNMENT-STRATEGY", "STATE", "GENERATION", "#MEMBERS"],
        vec![vec![
            d.group.clone(),
            assignor(d.strategy, &d.protocol),
            state_name(d.state).to_string(),
            d.generation.to_string(),
            d.members.len().to_string(),
        ]],
    )
}

/// The `reset-offsets` plan: TOPIC PARTITION CURRENT NEW; JSON is an array
/// of `{"topic", "partition", "current" (null if none), "new"}`.
pub fn render_reset_plan(plan: &[OffsetReset], format: AdminFormat) -> String {
    match format {
        AdminFormat::Json => to_json(plan),
        AdminFormat::Table => table(
            &["TOPIC", "PARTITION", "CURRENT", "NEW"],
            plan.iter()
                .map(|r| vec![r.topic.clone(), r.partition.to_string(), dash(r.current), r.new.to_string()])
                .collect(),
        ),
    }
}

/// `group delete-offsets`: TOPIC PARTITION STATUS, each status as Kafka's
/// `--delete-offsets` prints it; JSON is an array of `{"topic",
/// "partition", "status"}` with `deleted`, `subscribed` or
/// `unknown_partition`.
pub fn render_offset_deletions(rows: &[(String, u32, OffsetDeletion)], format: AdminFormat) -> String {
    match format {
        AdminFormat::Json => {
            let rows: Vec<serde_json::Value> = rows
                .iter()
                .map(|(topic, partition, outcome)| {
                    let status = match outcome {
                        OffsetDeletion::Deleted => "deleted",
                        OffsetDeletion::Subscribed => "subscribed",
                        OffsetDeletion::UnknownPartition => "unknown_partition",
                    };
                    serde_json::json!({"topic": topic, "partition": partition, "status": status})
                })
                .collect();
            to_json(&rows)
        }
        AdminFormat::Table => table(
            &["TOPIC", "PARTITION", "STATUS"],
            rows.iter()
                .map(|(topic, partition, outcome)| {
                    let status = match outcome {
                        OffsetDeletion::Deleted => "Successful",
                        OffsetDeletion::Subscribed => {
                            "Error: Deleting offsets of a topic is forbidden while the consumer group is actively subscribed to it."
                        }
                        OffsetDeletion::UnknownPartition => "Error: This server does not host this topic-partition.",
                    };
                    vec![topic.clone(), partition.to_string(), status.to_string()]
                })
                .collect(),
        ),
    }
}

/// A reset plan as Kafka's `--export` CSV: `topic,partition,offset` per
/// partition, which `--from-file` reads back.
pub fn render_reset_csv(plan: &[OffsetReset]) -> String {
    plan.iter().map(|r| format!("{},{},{}\n", r.topic, r.partition, r.new)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consumer::TopicPartition;
    use crate::consumer::assignors::Strategy;
    use crate::consumer::group::admin::PartitionOffset;
    use crate::consumer::group::state::MemberKind;
    use crate::consumer::share::GroupType;

    fn description() -> GroupDescription {
        GroupDescription {
            group: "g".into(),
            state: GroupStateName::Stable,
            generation: 3,
            strategy: Some(Strategy::Range),
            protocol: None,
            members: vec![
                MemberDescription {
                    member_id: "a-1".into(),
                    client_id: "ca".into(),
                    host: "h".into(),
                    pid: 10,
                    kind: MemberKind::Runnel,
                    assignment: vec![TopicPartition::new("t", 0)],
                },
                MemberDescription {
                    member_id: "b-2".into(),
                    client_id: "cb".into(),
                    host: "h".into(),
                    pid: 11,
                    kind: MemberKind::Kafka,
                    assignment: vec![],
                },
            ],
            offsets: vec![
                PartitionOffset {
                    topic: "t".into(),
                    partition: 0,
                    committed: Some(40),
                    leader_epoch: Some(1),
                    log_start_offset: Some(0),
                    below_log_start: false,
                    log_end_offset: Some(42),
                    lag: Some(2),
                    member_id: Some("a-1".into()),
                },
                PartitionOffset {
                    topic: "t".into(),
                    partition: 1,
                    committed: None,
                    leader_epoch: None,
                    log_start_offset: None,
                    below_log_start: false,
                    log_end_offset: None,
                    lag: None,
                    member_id: None,
                },
            ],
            total_lag: 2,
        }
    }

    #[test]
    fn describe_table_has_kafkas_columns_and_dashes() {
        let text = render_group_describe(&description(), AdminFormat::Table);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "Group 'g' is Stable: generation 3, strategy range, 2 members, total lag 2");
        assert_eq!(lines[1], "");
        assert_eq!(
            lines[2],
            "GROUP  TOPIC  PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG  CONSUMER-ID  HOST  CLIENT-ID"
        );
        assert_eq!(lines[3], "g      t      0          40              42              2    a-1          h     ca");
        assert_eq!(lines[4], "g      t      1          -               -               -    -            -     -");
        assert_eq!(lines[5], "g      -      -          -               -               -    b-2          h     cb");
    }

    #[test]
    fn describe_json_is_the_interface_shape() {
        let json: serde_json::Value =
            serde_json::from_str(&render_group_describe(&description(), AdminFormat::Json)).expect("json");
        assert_eq!(json["group"], "g");
        assert_eq!(json["state"], "Stable");
        assert_eq!(json["generation"], 3);
        assert_eq!(
            json["members"][0],
            serde_json::json!({"member_id": "a-1", "client_id": "ca", "host": "h", "pid": 10, "kind": "runnel",
                               "assignment": [{"topic": "t", "partition": 0}]})
        );
        assert_eq!(
            json["offsets"][1],
            serde_json::json!({"topic": "t", "partition": 1, "committed": null, "log_end_offset": null,
                               "lag": null, "member_id": null, "log_start_offset": null,
                               "below_log_start": false, "leader_epoch": null})
        );
        assert_eq!(json["offsets"][0]["leader_epoch"], 1);
    }

    #[test]
    fn list_and_plan() {
        let groups = [
            GroupSummary {
                group: "g".into(),
                state: GroupStateName::Stable,
                members: 2,
                strategy: Some(Strategy::Range),
                protocol: None,
                group_type: GroupType::Consumer,
                simple: false,
                protocol_type: None,
            },
            GroupSummary {
                group: "old".into(),
                state: GroupStateName::Empty,
                members: 0,
                strategy: None,
                protocol: None,
                group_type: GroupType::Share,
                simple: false,
                protocol_type: None,
            },
        ];
        assert_eq!(
            render_group_list(&groups, AdminFormat::Table),
            "GROUP  TYPE      STATE   MEMBERS  STRATEGY\ng      consumer  Stable  2        range\nold    share     Empty   0        -\n"
        );
        let json: serde_json::Value =
            serde_json::from_str(&render_group_list(&groups, AdminFormat::Json)).expect("json");
        assert_eq!(
            json[1],
            serde_json::json!({"group": "old", "type": "share", "state": "Empty", "members": 0, "strategy": null})
        );
        let plan = [
            OffsetReset { topic: "t".into(), partition: 0, current: Some(9), new: 0 },
            OffsetReset { topic: "t".into(), partition: 1, current: None, new: 0 },
        ];
        assert_eq!(
            render_reset_plan(&plan, AdminFormat::Table),
            "TOPIC  PARTITION  CURRENT  NEW\nt      0          9        0\nt      1          -        0\n"
        );
    }
}

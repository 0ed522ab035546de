//! `broker list`, the leadership changes `broker fail` and `elect-leaders`
//! made, and what `broker recover` did, as text or JSON.

use super::tables::{AdminFormat, dash, join_ids, table, to_json};
use crate::cluster::{BrokerStatus, BrokerSummary, LeadershipChange, RecoverReport, ReplicaRecovery};

/// `broker list`: ID, STATUS, LEADER-OF, REPLICAS; JSON is
/// `[{"id", "status", "leader_of", "replicas"}]` (REFERENCE.md).
pub fn render_broker_list(brokers: &[BrokerSummary], format: AdminFormat) -> String {
    match format {
        AdminFormat::Json => to_json(brokers),
        AdminFormat::Table => table(
            &["ID", "STATUS", "LEADER-OF", "REPLICAS"],
            brokers
                .iter()
                .map(|b| {
                    let status = match b.status {
                        BrokerStatus::Up => "up",
                        BrokerStatus::Down => "down",
                    };
                    vec![b.id.to_string(), status.to_string(), b.leader_of.to_string(), b.replicas.to_string()]
                })
                .collect(),
        ),
    }
}

/// One line per changed partition, like `rides-2: leader 1 -> 0 (epoch 1),
/// isr 0,2` or `rides-5: offline (no in-sync replica up)`; JSON is an array
/// of `{"topic", "partition", "old_leader", "new_leader", "leader_epoch",
/// "isr"}`. No changes render as nothing (table) or `[]` (JSON).
pub fn render_changes(changes: &[LeadershipChange], format: AdminFormat) -> String {
    match format {
        AdminFormat::Json => to_json(changes),
        AdminFormat::Table => changes.iter().map(|c| format!("{}\n", change_line(c))).collect(),
    }
}

/// One leadership change as a line (no newline).
pub fn change_line(c: &LeadershipChange) -> String {
    let name = format!("{}-{}", c.topic, c.partition);
    match (c.leader_changed(), c.new_leader) {
        (_, None) => format!("{name}: offline (no in-sync replica up)"),
        (true, Some(new)) => format!(
            "{name}: leader {} -> {new} (epoch {}), isr {}",
            dash(c.old_leader),
            c.leader_epoch,
            join_ids(&c.isr)
        ),
        (false, Some(leader)) => {
            format!("{name}: isr {} (leader {leader} stays, epoch {})", join_ids(&c.isr), c.leader_epoch)
        }
    }
}

/// What `broker recover` did: a table with one row per replica of the
/// broker (REPLICA, LEADER, TRUNCATED, RECORDS-COPIED, REBUILT, ISR, NOTE),
/// then the partitions whose leader moved. JSON is the whole report:
/// `{"broker", "was_down", "replicas": [{"topic", "partition", "rebuilt",
/// "truncated_from", "truncated_to", "frames_copied", "records_copied",
/// "rejoined_isr", "leader", "skipped"}], "changes": [...]}`.
pub fn render_recover_report(report: &RecoverReport, format: AdminFormat) -> String {
    match format {
        AdminFormat::Json => to_json(report),
        AdminFormat::Table => {
            if report.replicas.is_empty() {
                return format!("broker {} hosts no replica\n", report.broker);
            }
            let rows = report.replicas.iter().map(|r| recovery_row(report.broker, r)).collect();
            let mut out = table(&["REPLICA", "LEADER", "TRUNCATED", "RECORDS-COPIED", "REBUILT", "ISR", "NOTE"], rows);
            let moved: Vec<&LeadershipChange> = report.changes.iter().filter(|c| c.leader_changed()).collect();
            if !moved.is_empty() {
                out.push('\n');
                for c in moved {
                    out.push_str(&change_line(c));
                    out.push('\n');
                }
            }
            out
        }
    }
}

fn recovery_row(broker: u32, r: &ReplicaRecovery) -> Vec<String> {
    let truncated = match (r.truncated_from, r.truncated_to) {
        (Some(from), Some(to)) => format!("{from} -> {to}"),
        _ => "-".to_string(),
    };
    let (isr, note) = if let Some(why) = &r.skipped {
        ("out".to_string(), format!("skipped: {why}"))
    } else if r.leader.is_none() {
        ("offline".to_string(), "no in-sync replica is up".to_string())
    } else if let Some(damage) = &r.repaired {
        let isr = if r.rejoined_isr { "rejoined" } else { "in sync" };
        (isr.to_string(), format!("repaired: {damage}"))
    } else if r.rejoined_isr {
        ("rejoined".to_string(), String::new())
    } else if r.leader == Some(broker) {
        ("leader".to_string(), String::new())
    } else {
        ("in sync".to_string(), String::new())
    };
    vec![
        format!("{}-{}", r.topic, r.partition),
        dash(r.leader),
        truncated,
        r.records_copied.to_string(),
        if r.rebuilt { "yes" } else { "no" }.to_string(),
        isr,
        note,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(old: Option<u32>, new: Option<u32>, epoch: u32, isr: &[u32]) -> LeadershipChange {
        LeadershipChange {
            topic: "rides".into(),
            partition: 2,
            old_leader: old,
            new_leader: new,
            leader_epoch: epoch,
            isr: isr.to_vec(),
        }
    }

    #[test]
    fn broker_list_table_and_json() {
        let brokers = [
            BrokerSummary { id: 0, status: BrokerStatus::Up, leader_of: 3, replicas: 9 },
            BrokerSummary { id: 1, status: BrokerStatus::Down, leader_of: 0, replicas: 9 },
        ];
        assert_eq!(
            render_broker_list(&brokers, AdminFormat::Table),
            "ID  STATUS  LEADER-OF  REPLICAS\n0   up      3          9\n1   down    0          9\n"
        );
        let json: serde_json::Value =
            serde_json::from_str(&render_broker_list(&brokers, AdminFormat::Json)).expect("json");
        assert_eq!(
            json,
            serde_json::json!([
                {"id": 0, "status": "up", "leader_of": 3, "replicas": 9},
                {"id": 1, "status": "down", "leader_of": 0, "replicas": 9},
            ])
        );
    }

    #[test]
    fn change_lines() {
        assert_eq!(change_line(&change(Some(1), Some(0), 1, &[0, 2])), "rides-2: leader 1 -> 0 (epoch 1), isr 0,2");
        assert_eq!(change_line(&change(Some(1), None, 2, &[1])), "rides-2: offline (no in-sync replica up)");
        assert_eq!(change_line(&change(None, Some(2), 3, &[2])), "rides-2: leader - -> 2 (epoch 3), isr 2");
        assert_eq!(change_line(&change(Some(1), Some(1), 0, &[1, 2])), "rides-2: isr 1,2 (leader 1 stays, epoch 0)");
        assert_eq!(render_changes(&[], AdminFormat::Table), "");
        let json: serde_json::Value =
            serde_json::from_str(&render_changes(&[change(Some(1), Some(0), 1, &[0, 2])], AdminFormat::Json))
                .expect("json");
        assert_eq!(
            json,
            serde_json::json!([{"topic": "rides", "partition": 2, "old_leader": 1, "new_leader": 0,
                                "leader_epoch": 1, "isr": [0, 2]}])
        );
    }

    #[test]
    fn recover_report_table() {
        let replica = |partition, rebuilt, truncated: Option<(u64, u64)>, copied, rejoined, leader| ReplicaRecovery {
            topic: "rides".into(),
            partition,
            rebuilt,
            truncated_from: truncated.map(|t| t.0),
            truncated_to: truncated.map(|t| t.1),
            frames_copied: copied,
            records_copied: copied,
            rejoined_isr: rejoined,
            leader,
            skipped: None,
            skipped_because: None,
            repaired: None,
        };
        let report = RecoverReport {
            broker: 1,
            was_down: true,
            replicas: vec![
                replica(0, false, Some((12, 10)), 5, true, Some(0)),
                replica(1, true, None, 7, true, Some(2)),
                replica(2, false, None, 0, false, Some(1)),
                replica(3, false, None, 0, false, None),
            ],
            changes: vec![LeadershipChange { partition: 2, ..change(None, Some(1), 4, &[1]) }],
        };
        let text = render_recover_report(&report, AdminFormat::Table);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "REPLICA  LEADER  TRUNCATED  RECORDS-COPIED  REBUILT  ISR       NOTE");
        assert_eq!(lines[1], "rides-0  0       12 -> 10   5               no       rejoined");
        assert_eq!(lines[2], "rides-1  2       -          7               yes      rejoined");
        assert_eq!(lines[3], "rides-2  1       -          0               no       leader");
        assert_eq!(lines[4], "rides-3  -       -          0               no       offline   no in-sync replica is up");
        assert_eq!(lines[6], "rides-2: leader - -> 1 (epoch 4), isr 1");
        let json: serde_json::Value =
            serde_json::from_str(&render_recover_report(&report, AdminFormat::Json)).expect("json");
        assert_eq!(json["replicas"][0]["truncated_from"], 12);
        assert_eq!(json["replicas"][1]["rebuilt"], true);
    }
}

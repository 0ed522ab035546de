use std::fs::OpenOptions;
use std::time::Duration;

use super::claims_file::{ClaimsFile, RECORD, Record};
use super::*;
use crate::cluster::TopicSpec;
use crate::consumer::assignors::Strategy;
use crate::consumer::group::claim::{self, Claim};
use crate::consumer::group::membership::{JoinOptions, Membership};

fn setup(partitions: u32) -> (tempfile::TempDir, Cluster, GroupPaths) {
    let dir = tempfile::tempdir().expect("tempdir");
    let cluster = Cluster::open(dir.path(), Duration::from_secs(5)).expect("open");
    let spec = TopicSpec { name: "t".into(), partitions, replication_factor: 1, config: vec![] };
    cluster.create_topic(&spec).expect("create topic");
    let paths = GroupPaths::new(&cluster, "g").expect("paths");
    paths.create().expect("create group folders");
    (dir, cluster, paths)
}

fn tp(p: u32) -> TopicPartition {
    TopicPartition::new("t", p)
}

/// A member of group `g` reading topic `t` (range assignment).
fn join(cluster: &Cluster, client: Option<&str>) -> Membership {
    let options = JoinOptions {
        group: "g".into(),
        topics: vec!["t".into()],
        client_id: client.map(str::to_string),
        strategy: Strategy::Range,
        session_timeout: Duration::from_secs(30),
    };
    Membership::join(cluster, &options).expect("join")
}

fn held_by(paths: &GroupPaths, p: u32) -> Option<String> {
    match owner(paths, &tp(p)).expect("owner") {
        Owner::Held { member, .. } => member,
        Owner::Free => None,
    }
}

#[test]
fn records_round_trip_and_damage_is_refused() {
    let r = Record { epoch: 7, takes: 3, member: Some("c-0123456789abcdef".into()) };
    let bytes = r.encode().expect("fits");
    assert_eq!(bytes.len(), RECORD as usize);
    assert_eq!(Record::decode(&bytes), Some(r));
    let broken = Record { epoch: 8, takes: 3, member: None };
    assert_eq!(Record::decode(&broken.encode().expect("fits")), Some(broken));
    assert_eq!(Record::decode(&[]), Some(Record::default()));
    assert_eq!(Record::decode(&[0; RECORD as usize]), Some(Record::default()));
    assert_eq!(Record::decode(&bytes[..100]), None, "cut short");
    let mut garbage = bytes.clone();
    garbage[0] = b'x';
    assert_eq!(Record::decode(&garbage), None);
    assert!(Record { epoch: 1, takes: 1, member: Some("m".repeat(260)) }.encode().is_none());
}

/// Hundreds of claims through one descriptor each side; taken, seen, released,
/// refused while held, and released at once when the holder's descriptor closes.
#[test]
fn many_claims_share_one_descriptor_and_exclude_each_other() {
    let (_dir, _cluster, paths) = setup(1);
    let mut a = Owners::new(&paths, "a-1", "member a-1 pid 1 host h");
    let mut b = Owners::new(&paths, "b-1", "member b-1 pid 1 host h");
    let claims: Vec<OwnerClaim> = (0..500).map(|p| a.try_take(&tp(p)).expect("take").expect("free")).collect();
    assert_eq!(a.files.len(), 1);
    assert!(a.try_take(&tp(3)).expect("take").is_none(), "a holds it already");
    for p in [0, 3, 499] {
        assert!(b.try_take(&tp(p)).expect("take").is_none(), "held by a");
        assert_eq!(b.owner(&tp(p)).expect("owner"), Owner::Held { member: Some("a-1".into()), takes: 1 });
        assert_eq!(held_by(&paths, p).as_deref(), Some("a-1"));
        assert!(holds(&paths, "a-1", &tp(p)).expect("holds") && !holds(&paths, "b-1", &tp(p)).expect("holds"));
    }
    assert_eq!(held_by(&paths, 500), None);
    let mut claims = claims.into_iter();
    drop(claims.next());
    assert_eq!(held_by(&paths, 0), None, "released on drop");
    let taken = b.try_take(&tp(0)).expect("take").expect("released by a");
    assert_eq!(b.owner(&tp(0)).expect("owner"), Owner::Held { member: Some("b-1".into()), takes: 2 });
    assert!(holds(&paths, "b-1", &tp(0)).expect("holds"));
    drop(claims);
    assert!((1..500).all(|p| held_by(&paths, p).is_none()), "the last claim closed the file");
    assert!(a.files.values().all(|f| f.strong_count() == 0));
    assert_eq!(held_by(&paths, 0).as_deref(), Some("b-1"));
    drop(taken);
}

/// A hung member's claim is broken by moving the partition's record to the
/// next epoch: the hung holder keeps its lock, which no longer counts.
#[test]
fn a_stale_claim_is_broken_only_while_its_holder_is_out_of_the_group() {
    let (_dir, cluster, paths) = setup(2);
    let member = join(&cluster, Some("live"));
    let state = member.state().clone();
    let mut hung = Owners::new(&paths, "hung-1", "member hung-1 pid 1 host h");
    let mut live = Owners::new(&paths, member.member_id(), "member live pid 1 host h");
    let stale = hung.try_take(&tp(0)).expect("take").expect("free");
    let _kept = live.try_take(&tp(1)).expect("take").expect("free");
    // hung-1 is not in the group: its claim is broken and taken.
    let taken = live.take(&cluster, &state, &tp(0)).expect("take").expect("stale claim broken");
    assert!(holds(&paths, member.member_id(), &tp(0)).expect("holds"));
    assert!(!holds(&paths, "hung-1", &tp(0)).expect("holds"), "its lock is on an old epoch");
    drop(stale);
    assert!(holds(&paths, member.member_id(), &tp(0)).expect("holds"), "the stale holder's release changes nothing");
    // A member in the group is waited for, never broken.
    let mut other = Owners::new(&paths, "other-1", "member other-1 pid 1 host h");
    assert!(other.take(&cluster, &state, &tp(1)).expect("take").is_none());
    assert!(other.take(&cluster, &state, &tp(0)).expect("take").is_none());
    drop(taken);
    assert!(other.take(&cluster, &state, &tp(0)).expect("take").is_some(), "released");
    drop(member);
}

/// Claim files of earlier builds (`owners/<topic>-<p>.lock`): a free one is
/// removed when its partition is taken; one a group member holds is waited for;
/// one held by a member out of the group is broken.
#[test]
fn claim_files_of_earlier_builds_are_respected_then_removed() {
    let (_dir, cluster, paths) = setup(3);
    let member = join(&cluster, Some("new"));
    let state = member.state().clone();
    let in_group = member.member_id().to_string();
    let legacy = |p| paths.legacy_owner_lock("t", p);
    drop(Claim::try_take(&legacy(0), "member gone-1 pid 1 host h").expect("take").expect("free"));
    // An old-build member in the group (by its id) holds t-1; one that left holds t-2.
    let old_live = Claim::try_take(&legacy(1), &claim::member_tag(&in_group, 1, "h")).expect("take").expect("free");
    let old_gone = Claim::try_take(&legacy(2), "member gone-2 pid 1 host h").expect("take").expect("free");
    let mut new = Owners::new(&paths, "new-2", "member new-2 pid 1 host h");
    let c0 = new.take(&cluster, &state, &tp(0)).expect("take").expect("free");
    assert!(!legacy(0).exists(), "a free old claim file is removed");
    assert!(new.take(&cluster, &state, &tp(1)).expect("take").is_none(), "held by a member of the group");
    assert_eq!(held_by(&paths, 1), None, "the new claim was let go again");
    assert!(legacy(1).exists());
    let c2 = new.take(&cluster, &state, &tp(2)).expect("take").expect("a stale old claim is broken");
    assert!(!legacy(2).exists());
    drop(old_live);
    let c1 = new.take(&cluster, &state, &tp(1)).expect("take").expect("released");
    assert!(!legacy(1).exists());
    drop((c0, c1, c2, old_gone, member));
}

#[test]
fn a_damaged_record_is_74_naming_the_file() {
    let (_dir, _cluster, paths) = setup(1);
    let path = paths.owners_shard_file("t", 0);
    std::fs::write(&path, vec![b'#'; RECORD as usize]).expect("damage");
    let mut a = Owners::new(&paths, "a-1", "member a-1 pid 1 host h");
    for err in [a.try_take(&tp(0)).expect_err("damaged"), owner(&paths, &tp(0)).expect_err("damaged")] {
        assert_eq!(err.exit_code(), 74);
        assert!(err.message.contains(&path.display().to_string()), "{}", err.message);
    }
    assert!(a.try_take(&tp(1)).expect("another record is fine").is_some());
}

/// A member of this build writes `state.json` in format 3, so that a member of an
/// earlier build (which cannot see these claims) refuses the group instead of
/// reading partitions it does not own; formats 1 and 2 are still read.
#[test]
fn joining_moves_state_json_to_format_3() {
    let (_dir, cluster, paths) = setup(1);
    for version in [1, 2] {
        json_file_write(&paths, &GroupState { format_version: version, ..GroupState::default() });
        assert_eq!(GroupState::load(&paths).expect("an earlier format reads").map(|s| s.format_version), Some(version));
    }
    let member = join(&cluster, None);
    let text = std::fs::read_to_string(paths.state_file()).expect("state.json");
    assert!(text.contains("\"format_version\": 3"), "{text}");
    drop(member);
}

fn json_file_write(paths: &GroupPaths, state: &GroupState) {
    crate::sys::json_file::write(&paths.state_file(), state).expect("write state.json");
}

/// A topic's claims spread over shard files of `SHARD_PARTITIONS` each, so
/// that no file holds more locks than that (Linux walks a file's locks as one
/// list at every lock and unlock); a member holds one descriptor per shard.
#[test]
fn claims_spread_over_shard_files_of_a_thousand_partitions() {
    let (_dir, _cluster, paths) = setup(1);
    let mut a = Owners::new(&paths, "a-1", "member a-1 pid 1 host h");
    let mut b = Owners::new(&paths, "b-1", "member b-1 pid 1 host h");
    let partitions = 3 * SHARD_PARTITIONS + 5;
    let claims: Vec<OwnerClaim> = (0..partitions).map(|p| a.try_take(&tp(p)).expect("take").expect("free")).collect();
    assert_eq!(a.files.len(), 4, "one file per shard");
    for shard in 0..4 {
        assert!(paths.owners_shard_file("t", shard).is_file(), "shard {shard}");
    }
    assert!(!paths.owners_file("t").exists(), "the previous build's file is not made");
    for p in [0, SHARD_PARTITIONS - 1, SHARD_PARTITIONS, 2 * SHARD_PARTITIONS + 7, partitions - 1] {
        assert!(b.try_take(&tp(p)).expect("take").is_none(), "partition {p} is held by a");
        assert_eq!(held_by(&paths, p).as_deref(), Some("a-1"), "partition {p}");
    }
    // Each shard's records and locks are its own: the last slot of a shard
    // and the first of the next are different partitions.
    drop(claims);
    assert!(a.files.values().all(|f| f.strong_count() == 0), "every shard file closed");
    let first_of_second = b.try_take(&tp(SHARD_PARTITIONS)).expect("take").expect("released");
    assert_eq!(held_by(&paths, SHARD_PARTITIONS).as_deref(), Some("b-1"));
    assert_eq!(held_by(&paths, SHARD_PARTITIONS - 1), None);
    assert_eq!(held_by(&paths, 0), None);
    drop(first_of_second);
}

/// The previous build's claims (one file per topic, `owners/<topic>.claims`,
/// the same layout): one held by a member of the group is waited for (the new
/// claim let go), one held by a member out of the group is broken, a free one
/// is no obstacle; and anyone looking sees the previous build's holder.
#[test]
fn claims_in_the_previous_builds_file_are_respected() {
    let (_dir, cluster, paths) = setup(3);
    let member = join(&cluster, Some("new"));
    let state = member.state().clone();
    let in_group = member.member_id().to_string();
    // Members of the previous build: one in the group (by its id) holds t-1,
    // one that left holds t-2; t-0's record names someone who let go.
    let path = paths.owners_file("t");
    let open = || OpenOptions::new().read(true).write(true).create(true).truncate(false).open(&path).expect("open");
    let old_take = |file: &ClaimsFile, p: u32, member: &str| {
        assert!(range_lock::try_lock(&file.file, file.lock_byte(p, 0)).expect("lock"), "free");
        file.write(p, &Record { epoch: 0, takes: 1, member: Some(member.into()) }).expect("write");
    };
    let old_live = ClaimsFile::new(path.clone(), open(), 0);
    old_take(&old_live, 1, &in_group);
    let old_gone = ClaimsFile::new(path.clone(), open(), 0);
    old_take(&old_gone, 2, "gone-2");
    ClaimsFile::new(path.clone(), open(), 0)
        .write(0, &Record { epoch: 0, takes: 1, member: Some("left-0".into()) })
        .expect("write");
    assert_eq!(held_by(&paths, 1).as_deref(), Some(in_group.as_str()), "seen through the old file");
    let mut new = Owners::new(&paths, "new-2", "member new-2 pid 1 host h");
    let c0 = new.take(&cluster, &state, &tp(0)).expect("take").expect("free in the old file");
    assert!(new.take(&cluster, &state, &tp(1)).expect("take").is_none(), "held by a member of the group");
    assert_eq!(held_by(&paths, 1).as_deref(), Some(in_group.as_str()), "the new claim was let go again");
    let c2 = new.take(&cluster, &state, &tp(2)).expect("take").expect("a stale old claim is broken");
    assert_eq!(held_by(&paths, 2).as_deref(), Some("new-2"));
    drop(old_live);
    let c1 = new.take(&cluster, &state, &tp(1)).expect("take").expect("released");
    assert!(holds(&paths, "new-2", &tp(1)).expect("holds"));
    drop((c0, c1, c2, old_gone, member));
}

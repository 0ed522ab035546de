//! Where one consumer group's files live inside `<data-dir>/groups/<group>/`
//! (see the module doc of `consumer::group` for what each file holds).

use std::path::{Path, PathBuf};

use crate::cluster::Cluster;
use crate::cluster::metadata::{group_folder, layout, names};
use crate::error::{IoContext, Result};

/// The paths of one group.
#[derive(Debug, Clone)]
pub struct GroupPaths {
    group: String,
    dir: PathBuf,
}

impl GroupPaths {
    /// The paths of `group`; refuses a hostile name before touching disk.
    pub fn new(cluster: &Cluster, group: &str) -> Result<GroupPaths> {
        Self::in_groups_dir(&cluster.layout().groups_dir(), group)
    }

    /// The paths of `group` under a data dir's `groups/` folder, for a
    /// reader that has the folder but no open cluster (a pipeline's fence).
    pub fn in_groups_dir(groups_dir: &Path, group: &str) -> Result<GroupPaths> {
        names::validate_group_id(group)?;
        Ok(GroupPaths { group: group.to_string(), dir: groups_dir.join(group_folder::group_folder(group)) })
    }

    pub fn group(&self) -> &str {
        &self.group
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn exists(&self) -> bool {
        self.dir.is_dir()
    }

    /// Creates the group's folders (idempotent), with the id file of a
    /// long id's hashed folder (`group_folder`).
    pub fn create(&self) -> Result<()> {
        for dir in [self.members_dir(), self.owners_dir()] {
            std::fs::create_dir_all(&dir).at("create", &dir)?;
        }
        group_folder::keep_id(&self.dir, &self.group)
    }

    /// A pipeline's files (`consume --exec`): exactly-once intents and
    /// delivery counts (`pipeline::exactly_once`, `pipeline::deliveries`).
    pub fn exec_dir(&self) -> PathBuf {
        self.dir.join("exec")
    }

    pub fn state_file(&self) -> PathBuf {
        self.dir.join("state.json")
    }

    /// Present when the group is a share group (`consumer::share`).
    pub fn share_file(&self) -> PathBuf {
        self.dir.join("share.json")
    }

    pub fn offsets_file(&self) -> PathBuf {
        self.dir.join("offsets.json")
    }

    pub fn group_lock(&self) -> PathBuf {
        self.dir.join("group.lock")
    }

    pub fn members_dir(&self) -> PathBuf {
        self.dir.join("members")
    }

    pub fn member_lock(&self, member_id: &str) -> PathBuf {
        self.members_dir().join(format!("{member_id}.lock"))
    }

    pub fn owners_dir(&self) -> PathBuf {
        self.dir.join("owners")
    }

    /// The ownership claims of the partitions of `topic` in shard `shard`
    /// (`owners/<topic>.claims.<shard>`; `consumer::group::owners`).
    pub fn owners_shard_file(&self, topic: &str, shard: u32) -> PathBuf {
        self.owners_dir().join(layout::topic_file_name(topic, &format!(".claims.{shard}")))
    }

    /// The ownership claims of every partition of `topic` as the build
    /// before the shard files kept them (`owners/<topic>.claims`).
    pub fn owners_file(&self, topic: &str) -> PathBuf {
        self.owners_dir().join(layout::topic_file_name(topic, ".claims"))
    }

    /// The ownership claim file of one partition as builds before
    /// `owners/<topic>.claims` kept it (`owners/<topic>-<p>.lock`).
    pub fn legacy_owner_lock(&self, topic: &str, partition: u32) -> PathBuf {
        self.owners_dir().join(layout::partition_lock_name(topic, partition))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_of_a_group_lies_in_its_encoded_folder() {
        let groups = Path::new("/data/groups");
        let paths = GroupPaths::in_groups_dir(groups, "app:v1/../x").expect("any id");
        let folder = groups.join("app%3Av1%2F..%2Fx");
        assert_eq!(paths.dir(), folder);
        assert_eq!(paths.group(), "app:v1/../x");
        assert_eq!(paths.exec_dir(), folder.join("exec"));
        for file in [
            paths.state_file(),
            paths.offsets_file(),
            paths.member_lock("m-1"),
            paths.owners_file("t"),
            paths.owners_shard_file("t", 3),
        ] {
            assert!(file.starts_with(&folder), "{file:?}");
        }
        assert!(GroupPaths::in_groups_dir(groups, "").is_err());
        let long = GroupPaths::in_groups_dir(groups, &":".repeat(86)).expect("a long id");
        assert_eq!(long.dir().parent(), Some(groups));
        assert!(long.dir().file_name().is_some_and(|n| n.len() <= 255), "{:?}", long.dir());
    }

    #[test]
    fn creating_a_long_ids_group_keeps_its_id_for_listing() {
        let groups = tempfile::tempdir().expect("tempdir");
        let id = format!("{}/x", "ü".repeat(200));
        let paths = GroupPaths::in_groups_dir(groups.path(), &id).expect("a long id");
        paths.create().expect("create");
        assert!(paths.members_dir().is_dir() && paths.owners_dir().is_dir());
        assert_eq!(group_folder::group_in(paths.dir()).expect("read").as_deref(), Some(id.as_str()));
        // Lost (a crash between the folder and its id file) or damaged: the
        // group's next create writes it again.
        let id_file = paths.dir().join(group_folder::ID_FILE);
        for damage in [None, Some("{\"group_id\": \"x"), Some("{\"group_id\": \"someone else\"}")] {
            match damage {
                None => std::fs::remove_file(&id_file).expect("remove"),
                Some(text) => std::fs::write(&id_file, text).expect("damage"),
            }
            assert_eq!(group_folder::group_in(paths.dir()).ok().flatten(), None, "{damage:?}");
            paths.create().expect("create again");
            assert_eq!(group_folder::group_in(paths.dir()).expect("read").as_deref(), Some(id.as_str()), "{damage:?}");
        }
    }
}

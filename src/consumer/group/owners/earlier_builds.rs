//! The claims earlier builds keep, respected by a member that has just taken
//! a partition's claim in this build's shard file: the previous build's one
//! claims file per topic (`owners/<topic>.claims`, `state.json` format 2) and
//! the per-partition claim files before it (`owners/<topic>-<p>.lock`). A
//! partition whose earlier claim a member in the group holds is let go again
//! (waited for, as any owner); one held by a member no longer in the group
//! is broken under the group lock; a free per-partition file is removed.

use std::fs::OpenOptions;
use std::io;
use std::sync::Arc;

use super::claims_file::ClaimsFile;
use super::{OwnerClaim, Owners, Taking};
use crate::consumer::group::claim::{self, Claim, Probe};
use crate::error::{IoContext, Result};

impl Owners {
    /// With `claim` taken, the claims earlier builds keep for `p`: `claim`
    /// if none is held by a member in the group, else `None` (let go: wait).
    pub(super) fn settle_earlier_builds(
        &mut self,
        taking: &Taking<'_>,
        claim: OwnerClaim,
    ) -> Result<Option<OwnerClaim>> {
        match self.settle_one_file_per_topic(taking, claim)? {
            Some(claim) => self.settle_file_per_partition(taking, claim),
            None => Ok(None),
        }
    }

    /// The previous build's claim of `p` in `owners/<topic>.claims`: none or
    /// free, or held by a member in the group (`claim` is let go), or by one
    /// no longer in it (broken: the record moves to the next epoch).
    fn settle_one_file_per_topic(&mut self, taking: &Taking<'_>, claim: OwnerClaim) -> Result<Option<OwnerClaim>> {
        let p = taking.partition;
        let Some(file) = self.earlier_file(&p.topic)? else { return Ok(Some(claim)) };
        let holder = match file.holder(p.partition)? {
            None => return Ok(Some(claim)),
            Some((None, _)) => return Ok(None),
            Some((Some(holder), _)) => holder,
        };
        let Some(_group_lock) = self.out_of_group(taking.cluster, taking.state, &holder)? else { return Ok(None) };
        file.break_stale(p.partition, &holder)?;
        Ok(file.holder(p.partition)?.is_none().then_some(claim))
    }

    /// The previous build's claims file of `topic`, if there is one (kept
    /// open once found; this build never creates it).
    fn earlier_file(&mut self, topic: &str) -> Result<Option<Arc<ClaimsFile>>> {
        if let Some(file) = self.earlier.get(topic) {
            return Ok(Some(Arc::clone(file)));
        }
        let path = self.paths.owners_file(topic);
        // Written to when a stale claim in it is broken.
        let file = match OpenOptions::new().read(true).write(true).open(&path) {
            Ok(file) => Arc::new(ClaimsFile::new(path, file, 0)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e).at("open", &path),
        };
        self.earlier.insert(topic.to_string(), Arc::clone(&file));
        Ok(Some(file))
    }

    /// The claim file the build before that kept for `p`: none, or free
    /// (removed: locked, then unlinked, so a member of that build that opened
    /// it meanwhile sees it gone), or held by a member in the group (`claim`
    /// is let go: wait), or held by one no longer in it (broken). Anything
    /// that changed meanwhile is looked at again on the next try.
    fn settle_file_per_partition(&mut self, taking: &Taking<'_>, claim: OwnerClaim) -> Result<Option<OwnerClaim>> {
        let p = taking.partition;
        let path = self.paths.legacy_owner_lock(&p.topic, p.partition);
        let holder = match claim::probe(&path)? {
            Probe::Missing => return Ok(Some(claim)),
            Probe::Free => {
                return match Claim::try_take(&path, &self.tag)? {
                    Some(old) => {
                        old.remove()?;
                        Ok(Some(claim))
                    }
                    None => Ok(None),
                };
            }
            Probe::Held { tag, .. } => claim::tag_member(&tag).map(str::to_string),
        };
        let Some(holder) = holder else { return Ok(None) };
        let Some(_group_lock) = self.out_of_group(taking.cluster, taking.state, &holder)? else { return Ok(None) };
        let still_held = match claim::probe(&path)? {
            Probe::Held { tag, .. } => claim::tag_member(&tag) == Some(holder.as_str()),
            Probe::Free | Probe::Missing => false,
        };
        if !still_held {
            return Ok(None);
        }
        claim::break_claim(&path)?;
        Ok(Some(claim))
    }
}

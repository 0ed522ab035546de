//! Which source topics a mirror copies, and each one's counterpart on the
//! target: created with the source's partition count and the configs set
//! on it, grown when the source grows, resumed from the mirror group's
//! committed offsets.

use std::collections::BTreeMap;

use crate::backend::{AppendRecords, Backend, GroupOffsets, Warning};
use crate::cluster::rules::topic_config;
use crate::cluster::{BrokerStatus, TopicMeta, TopicSpec};
use crate::error::{Error, ErrorKind, Result};

use super::{MirrorOptions, MirrorReport};

/// The topics to copy.
#[derive(Debug, Clone)]
pub enum Selection {
    /// These topics (each must exist on the source: exit 66).
    Named(Vec<String>),
    /// Every topic a pattern matches in full; with none, every topic
    /// (internal ones left out). With `--follow`, topics that appear later
    /// are copied too.
    Matching(Vec<regex::Regex>),
}

impl Selection {
    fn matches(&self, name: &str) -> bool {
        match self {
            Selection::Named(names) => names.iter().any(|n| n == name),
            Selection::Matching(patterns) => patterns.is_empty() || patterns.iter().any(|p| p.is_match(name)),
        }
    }
}

/// One topic being copied.
pub struct TopicCopy {
    /// The partitions read on the source.
    pub source_partitions: u32,
    pub appender: Box<dyn AppendRecords>,
}

/// The source's topics to copy now. At the start (`first`) a named topic
/// the source lacks is exit 66, and so is a selection that matches none.
pub fn select(source: &dyn Backend, options: &MirrorOptions, first: bool) -> Result<Vec<TopicMeta>> {
    let metas: Vec<TopicMeta> = match &options.topics {
        Selection::Named(names) => {
            let mut metas = Vec::new();
            for name in names {
                match source.topic(name) {
                    Ok(meta) => metas.push(meta),
                    Err(e) if e.kind == ErrorKind::NotFound && !first => {}
                    Err(e) => return Err(e),
                }
            }
            metas
        }
        Selection::Matching(_) => {
            source.list_topics()?.into_iter().filter(|t| options.topics.matches(&t.name)).collect()
        }
    };
    if first && metas.is_empty() {
        return Err(Error::not_found(format!("no topic to mirror on the {}", source.describe())));
    }
    Ok(metas)
}

/// Brings `copies` up to date with the source: new matching topics (their
/// target topics created, their committed offsets read into `next`), and
/// partitions the source gained (added to the target first). `first` is
/// the start of the mirror, where a named topic the source lacks is exit 66.
#[allow(clippy::too_many_arguments)]
pub fn refresh(
    source: &dyn Backend,
    target: &dyn Backend,
    options: &MirrorOptions,
    offsets: &mut dyn GroupOffsets,
    copies: &mut BTreeMap<String, TopicCopy>,
    next: &mut BTreeMap<(String, u32), u64>,
    report: &mut MirrorReport,
    first: bool,
) -> Result<()> {
    let metas = select(source, options, first)?;
    for meta in metas {
        let count = meta.partition_count();
        match copies.get_mut(&meta.name) {
            Some(copy) if copy.source_partitions >= count => {}
            Some(copy) => {
                // The source grew: the target first, then its records.
                let grown = target_topic(target, &meta, options, report)?;
                copy.appender = target.record_appender(&grown)?;
                copy.source_partitions = count;
            }
            None => {
                let created_before = report.created.len();
                let on_target = target_topic(target, &meta, options, report)?;
                // A topic created just now holds nothing to resume from.
                let fresh = report.created.len() > created_before;
                let committed: BTreeMap<u32, u64> = offsets
                    .committed(std::slice::from_ref(&meta))?
                    .into_iter()
                    .filter(|((topic, _), _)| *topic == meta.name)
                    .map(|((_, p), offset)| (p, offset))
                    .collect();
                let next_of = if fresh {
                    committed
                } else {
                    super::resume::resume_points(source, target, &meta.name, committed)?
                };
                for (p, offset) in next_of {
                    next.insert((meta.name.clone(), p), offset);
                }
                let appender = target.record_appender(&on_target)?;
                copies.insert(meta.name.clone(), TopicCopy { source_partitions: count, appender });
            }
        }
    }
    Ok(())
}

/// The target's topic of `source`'s name: created (the source's partition
/// count and configs) when absent, grown when it has fewer partitions.
fn target_topic(
    target: &dyn Backend,
    source: &TopicMeta,
    options: &MirrorOptions,
    report: &mut MirrorReport,
) -> Result<TopicMeta> {
    let count = source.partition_count();
    if let Some(existing) = target.find_topic(&source.name)? {
        if existing.partition_count() >= count {
            return Ok(existing);
        }
        return target.alter_topic(&source.name, Some(count), &[], &[]);
    }
    let replication_factor = match options.replication_factor {
        Some(n) => n,
        None => {
            let up = target.list_brokers()?.iter().filter(|b| b.status == BrokerStatus::Up).count() as u32;
            source.replication_factor.clamp(1, up.max(1))
        }
    };
    let config: Vec<(String, String)> = source.config.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    let spec = TopicSpec { name: source.name.clone(), partitions: count, replication_factor, config };
    let created = match target.create_topic(&spec) {
        Err(e) if e.kind == ErrorKind::Usage && !spec.config.is_empty() => {
            // A config the target does not know (a Kafka broker's config
            // a data dir lacks): created without those, each one warned.
            let (kept, dropped): (Vec<_>, Vec<_>) =
                spec.config.iter().cloned().partition(|(k, v)| topic_config::validate(k, v).is_ok());
            if dropped.is_empty() {
                return Err(e);
            }
            for (k, v) in &dropped {
                report.warnings.push(Warning {
                    what: format!("topic '{}' is created on the target without {k}={v}", source.name),
                    error: e.clone(),
                    then: String::new(),
                });
            }
            target.create_topic(&TopicSpec { config: kept, ..spec })?
        }
        other => other?,
    };
    created.warnings.into_iter().for_each(|w| report.warnings.push(w));
    report.created.push(source.name.clone());
    Ok(created.meta)
}

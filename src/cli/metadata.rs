//! `runnel metadata`: brokers, topics, partitions, leaders and ISRs in one
//! view (kcat's `-L`, rpk's `cluster metadata`).

use clap::Args;

use super::format::{AdminFormatFlag, print_report};
use super::global::Context;
use crate::error::Result;
use crate::output::metadata::render_metadata;

#[derive(Debug, Clone, Args)]
#[command(after_help = "Examples:
  runnel metadata                  # like kcat -L
  runnel metadata --format json |
      jq '.topics[].partitions[] | select(.leader == null)'")]
pub struct MetadataArgs {
    #[command(flatten)]
    pub format: AdminFormatFlag,
}

pub fn cmd_metadata(ctx: &Context, args: &MetadataArgs) -> Result<()> {
    let cluster = ctx.existing_cluster()?;
    let meta = cluster.meta()?;
    let mut topics = Vec::new();
    for name in cluster.topic_names()? {
        if let Some(topic) = cluster.find_topic(&name)? {
            topics.push(topic);
        }
    }
    print_report(&render_metadata(&ctx.data_dir, &meta, &topics, args.format.get()))
}

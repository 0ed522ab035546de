//! `runnel metadata`: brokers, topics, partitions, leaders and ISRs in one
//! view (kcat's `-L`, rpk's `cluster metadata`), of a data dir or a Kafka
//! cluster alike.

use clap::Args;

use super::format::{AdminFormatFlag, print_report};
use super::global::Context;
use crate::backend::Location;
use crate::cluster::{BrokerMeta, ClusterMeta};
use crate::error::Result;
use crate::output::metadata::{Place, render_metadata};

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
    let backend = ctx.backend()?;
    let cluster_id = backend.cluster_id()?;
    let brokers = backend.list_brokers()?.into_iter().map(|b| BrokerMeta { id: b.id, status: b.status }).collect();
    let topics = backend.list_topics()?;
    let meta = ClusterMeta { format_version: 1, cluster_id, created_ms: 0, brokers };
    let location = backend.location();
    let place = match &location {
        Location::DataDir(dir) => Place::DataDir(dir),
        Location::Kafka { bootstrap } => Place::Kafka(bootstrap),
    };
    print_report(&render_metadata(place, &meta, &topics, args.format.get()))
}

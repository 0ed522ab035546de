//! One file per Kafka API served. Each has `VERSIONS` (the versions it
//! serves) and `handle` (its request → its response, errors as Kafka's
//! codes inside). To serve another API, add its file and its name below.
//! `refused/` answers the APIs of features runnel does not have
//! (transactions, ACLs, quotas, SASL) with Kafka's error code for them.

pub mod refused;

use super::dispatch::{Handler, typed};

macro_rules! handlers {
    ($($api:ident),* $(,)?) => {
        $(pub mod $api;)*

        /// Every handler, for the registry.
        pub fn all() -> Vec<Box<dyn Handler>> {
            let mut all = vec![$(typed($api::VERSIONS, $api::handle)),*];
            all.extend(refused::all());
            all
        }
    };
}

handlers! {
    api_versions,
    metadata,
    // The group coordinator (`serve::groups`).
    find_coordinator,
    join_group,
    sync_group,
    heartbeat,
    leave_group,
    offset_commit,
    offset_fetch,
    describe_groups,
    list_groups,
    delete_groups,
    offset_delete,
    describe_producers,
    elect_leaders,
    produce,
    fetch,
    list_offsets,
    init_producer_id,
    offset_for_leader_epoch,
    create_topics,
    delete_topics,
    create_partitions,
    delete_records,
    describe_configs,
    alter_configs,
    incremental_alter_configs,
    describe_cluster,
    describe_log_dirs,
}

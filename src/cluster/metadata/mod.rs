//! The cluster's metadata on disk: the documents (`cluster.json`, topic
//! files), where every file of a data dir lives, the rules for user-given
//! names, and the process-wide cache of parsed documents.

pub mod cache;
pub mod documents;
pub mod group_files;
pub mod layout;
pub mod names;

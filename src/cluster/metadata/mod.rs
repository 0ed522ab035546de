//! The cluster's metadata on disk: the documents (`cluster.json`, topic
//! files), where every file of a data dir lives (a group's folder too), the
//! rules for user-given names, the process-wide cache of parsed documents, and the count of
//! metadata changes that lets writers skip looking at the files.

pub mod cache;
pub mod change_count;
pub mod documents;
pub mod group_files;
pub mod group_folder;
pub mod layout;
pub mod names;

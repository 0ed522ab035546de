//! The layer rule of ARCHITECTURE.md, checked: each top folder of `src/`
//! imports only the layers below it (`producer` and `consumer` never each
//! other, `backend`, `serve` and `output` never each other), and inside `cluster/` each room imports only the rooms
//! below it. Reads the `crate::` paths of every non-test source file.

use std::fs;
use std::path::{Path, PathBuf};

/// Each layer and the layers it may use, bottom up (ARCHITECTURE.md §1).
const LAYERS: &[(&str, &[&str])] = &[
    ("error", &[]),
    ("sys", &["error"]),
    ("envelope", &["error"]),
    ("store", &["sys", "error"]),
    ("cluster", &["store", "sys", "error"]),
    ("producer", &["cluster", "store", "envelope", "sys", "error"]),
    ("consumer", &["cluster", "store", "sys", "error"]),
    ("output", &["consumer", "cluster", "store", "envelope", "sys", "error"]),
    ("backend", &["consumer", "producer", "cluster", "store", "envelope", "sys", "error"]),
    ("pipeline", &["backend", "output", "consumer", "producer", "cluster", "store", "envelope", "sys", "error"]),
    ("serve", &["consumer", "producer", "cluster", "store", "envelope", "sys", "error"]),
    (
        "cli",
        &[
            "serve", "pipeline", "backend", "output", "consumer", "producer", "cluster", "store", "envelope", "sys",
            "error",
        ],
    ),
];

/// The rooms of `cluster/`, bottom up: each may use the ones before it.
const CLUSTER_ROOMS: &[&str] = &["metadata", "rules", "handle", "replication", "admin"];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `dir`, recursively.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else { return vec![dir.with_extension("rs")] };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// A file's code without its test parts: test files and folders
/// (`tests*.rs`, `tests/`, `test_support.rs`) are skipped whole, and a
/// file's trailing `#[cfg(test)] mod tests` block is cut.
fn production_code(path: &Path) -> Option<String> {
    let is_test = |part: &str| part.starts_with("tests") || part.starts_with("test_support");
    let inside_src = path.strip_prefix(src()).ok()?;
    if inside_src.iter().filter_map(|part| part.to_str()).any(is_test) {
        return None;
    }
    let text = fs::read_to_string(path).ok()?;
    let end = text.find("#[cfg(test)]\nmod tests").unwrap_or(text.len());
    Some(text[..end].to_string())
}

/// The first segment after each `crate::` in `code` (`crate::store::Log` → `store`).
fn crate_paths(code: &str, prefix: &str) -> Vec<String> {
    code.match_indices(prefix)
        .filter(|(i, _)| !code[..*i].ends_with(|c: char| c.is_alphanumeric() || c == '_'))
        .filter_map(|(i, _)| {
            let rest = &code[i + prefix.len()..];
            let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
            (end > 0).then(|| rest[..end].to_string())
        })
        .collect()
}

#[test]
fn every_layer_imports_only_the_layers_below_it() {
    let mut wrong = Vec::new();
    for (layer, allowed) in LAYERS {
        for file in sources(&src().join(layer)) {
            let Some(code) = production_code(&file) else { continue };
            for used in crate_paths(&code, "crate::") {
                if used != *layer && LAYERS.iter().any(|(l, _)| *l == used) && !allowed.contains(&used.as_str()) {
                    wrong.push(format!("{} uses crate::{used}", file.display()));
                }
            }
        }
    }
    wrong.sort();
    wrong.dedup();
    assert!(wrong.is_empty(), "imports that run upward or across:\n{}", wrong.join("\n"));
}

#[test]
fn every_cluster_room_imports_only_the_rooms_below_it() {
    let mut wrong = Vec::new();
    for (rank, room) in CLUSTER_ROOMS.iter().enumerate() {
        for file in sources(&src().join("cluster").join(room)) {
            let Some(code) = production_code(&file) else { continue };
            for used in crate_paths(&code, "crate::cluster::") {
                let Some(used_rank) = CLUSTER_ROOMS.iter().position(|r| *r == used) else { continue };
                if used_rank > rank {
                    wrong.push(format!("{} uses crate::cluster::{used}", file.display()));
                }
            }
        }
    }
    wrong.sort();
    wrong.dedup();
    assert!(wrong.is_empty(), "cluster imports that run upward:\n{}", wrong.join("\n"));
}

#[test]
fn the_checks_see_every_layer_folder() {
    for (layer, _) in LAYERS {
        let found = sources(&src().join(layer));
        assert!(!found.is_empty() && found.iter().all(|f| f.exists()), "no sources for layer {layer}");
    }
    assert_eq!(crate_paths("use crate::store::Log; mycrate::y", "crate::"), ["store"]);
}

/// Every write of `cluster.json` or a topic file is counted as a metadata
/// change (`cluster::metadata::change_count`), or long-lived writers miss
/// it: only `Cluster::write_meta`, `write_topic` and `remove_topic_file` may write them.
#[test]
fn metadata_files_are_written_only_through_the_counted_writes() {
    let mut wrong = Vec::new();
    let counted_writes = src().join("cluster").join("handle.rs");
    for file in sources(&src()).into_iter().filter(|f| *f != counted_writes) {
        let Some(code) = production_code(&file) else { continue };
        for line in code.lines() {
            let writes = line.contains("json_file::write(") || line.contains("json_file::remove(");
            if writes && (line.contains("topic_file(") || line.contains("cluster_file(")) {
                wrong.push(format!("{}: {}", file.display(), line.trim()));
            }
        }
    }
    assert!(wrong.is_empty(), "metadata written without counting the change:\n{}", wrong.join("\n"));
}

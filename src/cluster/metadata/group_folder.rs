//! Where a consumer group lives under `groups/`: a folder named after its id,
//! which Kafka lets be any non-empty string. The folder writes every byte of
//! the id outside `[A-Za-z0-9._-]` as `%XX` (`app:v1` is `app%3Av1`), and `.`
//! and `..` whole, so any id is one harmless path component and two ids never
//! share a folder. An id whose folder name would pass the file system's 255
//! bytes keeps a cut prefix of it, then `~` and a SHA-256 of the whole id
//! (`~` is a byte the escaping never leaves as it is), and the id itself in
//! the folder's [`ID_FILE`], where listing finds it.

use std::path::Path;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::cluster::metadata::layout::MAX_FILE_NAME;
use crate::error::Result;
use crate::sys::json_file;

/// The file of a hashed folder ([`group_folder`]) that holds its group's id.
pub const ID_FILE: &str = "id.json";

/// What a group's folder name keeps as it is: the characters of a topic
/// name. Every other byte of the group id (`%` too) is written `%XX`.
const KEEPS: &AsciiSet = &NON_ALPHANUMERIC.remove(b'.').remove(b'_').remove(b'-');

/// The byte that starts the hash of a hashed folder name.
const HASH_MARK: char = '~';

/// Hex digits of the hash: 128 of SHA-256's bits.
const HASH_HEX: usize = 32;

/// The contents of [`ID_FILE`].
#[derive(Debug, Serialize, Deserialize)]
struct IdFile {
    group_id: String,
}

/// The folder of group `id` under `groups/` (see the module doc): the
/// escaped id, or for a long one its prefix, `~` and the id's hash.
pub fn group_folder(id: &str) -> String {
    let keeps = if id == "." || id == ".." { NON_ALPHANUMERIC } else { KEEPS };
    let escaped = utf8_percent_encode(id, keeps).to_string();
    if escaped.len() <= MAX_FILE_NAME {
        return escaped;
    }
    // The escaped id's first whole characters that leave room for the hash.
    let room = MAX_FILE_NAME - 1 - HASH_HEX;
    let mut cut = 0;
    for c in id.chars() {
        let len: usize = utf8_percent_encode(c.encode_utf8(&mut [0; 4]), keeps).map(str::len).sum();
        if cut + len > room {
            break;
        }
        cut += len;
    }
    let digest = Sha256::digest(id.as_bytes());
    let hash: String = digest.iter().take(HASH_HEX / 2).map(|b| format!("{b:02x}")).collect();
    format!("{}{HASH_MARK}{hash}", &escaped[..cut])
}

/// Whether `folder` is the hashed folder of a long id, whose id is only
/// in its [`ID_FILE`].
pub fn is_hashed(folder: &str) -> bool {
    folder.contains(HASH_MARK)
}

/// The group whose (not hashed) folder is named `folder`, or `None` for a
/// name no id's folder has: another spelling, a hashed folder, what a
/// `group delete` cut short leaves (`#deleted-…`).
pub fn group_of_folder(folder: &str) -> Option<String> {
    let id = percent_decode_str(folder).decode_utf8().ok()?;
    (!id.is_empty() && group_folder(&id) == folder).then(|| id.into_owned())
}

/// The group whose folder is `dir` (inside `groups/`), hashed or not;
/// `None` for a folder that is no group's, or a hashed one whose
/// [`ID_FILE`] is missing or names an id of another folder.
pub fn group_in(dir: &Path) -> Result<Option<String>> {
    let Some(folder) = dir.file_name().and_then(|n| n.to_str()) else {
        return Ok(None);
    };
    if !is_hashed(folder) {
        return Ok(group_of_folder(folder));
    }
    let Some(IdFile { group_id }) = json_file::read(&dir.join(ID_FILE))? else {
        return Ok(None);
    };
    Ok((group_folder(&group_id) == folder).then_some(group_id))
}

/// Keeps `id` in its folder `dir` when the folder is hashed (the folder
/// exists): written once, durably, so `group list` names the group.
pub fn keep_id(dir: &Path, id: &str) -> Result<()> {
    let hashed = dir.file_name().and_then(|n| n.to_str()).is_some_and(is_hashed);
    if !hashed || group_in(dir).ok().flatten().as_deref() == Some(id) {
        return Ok(());
    }
    json_file::write(&dir.join(ID_FILE), &IdFile { group_id: id.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_group_id_has_a_folder_of_its_own_that_names_it_back() {
        for (id, folder) in [
            ("orders", "orders"),
            ("a.b_c-D9", "a.b_c-D9"),
            ("app:v1", "app%3Av1"),
            ("my group", "my%20group"),
            ("../../etc", "..%2F..%2Fetc"),
            ("a/b", "a%2Fb"),
            (".", "%2E"),
            ("..", "%2E%2E"),
            ("%41", "%2541"),
            ("ü", "%C3%BC"),
            ("x\0y", "x%00y"),
            ("#deleted-1", "%23deleted-1"),
            ("a~b", "a%7Eb"),
        ] {
            assert_eq!(group_folder(id), folder, "{id:?}");
            assert_eq!(group_of_folder(folder).as_deref(), Some(id), "{folder}");
        }
        // Folders no id has: another spelling of an id's folder, a broken
        // escape, bytes that are no UTF-8, a cut-short delete's folder.
        for folder in ["%41", "a%3a", "%", "%G1", "%FF", ".", "#deleted-1", "", "a~b"] {
            assert_eq!(group_of_folder(folder), None, "{folder}");
        }
    }

    #[test]
    fn a_long_id_gets_a_hashed_folder_within_255_bytes() {
        let plain = "a".repeat(255);
        assert_eq!(group_folder(&plain), plain, "255 bytes fit as they are");
        for id in [
            "a".repeat(256),
            ":".repeat(86),
            "é".repeat(5000),
            "😀".repeat(100),
            format!("{}:{}", "a".repeat(221), "x".repeat(40)),
        ] {
            let folder = group_folder(&id);
            assert!(folder.len() <= MAX_FILE_NAME, "{} bytes", folder.len());
            assert!(is_hashed(&folder) && group_of_folder(&folder).is_none(), "{folder}");
            let (prefix, hash) = folder.split_once(HASH_MARK).expect("a hash");
            assert_eq!(hash.len(), HASH_HEX);
            // The prefix is the escaped id's start, never a cut `%XX`.
            // The prefix escapes the id's first whole characters.
            let start = percent_decode_str(prefix).decode_utf8().expect("whole characters");
            assert!(id.starts_with(&*start), "{prefix}");
            assert_eq!(utf8_percent_encode(&start, KEEPS).to_string(), prefix, "no escape cut short");
        }
        // Ids that share the prefix differ in the hash.
        let (a, b) = (format!("{}1", "a".repeat(300)), format!("{}2", "a".repeat(300)));
        assert_ne!(group_folder(&a), group_folder(&b));
    }

    #[test]
    fn a_hashed_folder_names_its_group_through_its_id_file() {
        let groups = tempfile::tempdir().expect("tempdir");
        let id = format!("{} / long", "x".repeat(400));
        let dir = groups.path().join(group_folder(&id));
        std::fs::create_dir(&dir).expect("mkdir");
        assert_eq!(group_in(&dir).expect("read"), None, "no id file yet");
        keep_id(&dir, &id).expect("keep");
        assert_eq!(group_in(&dir).expect("read").as_deref(), Some(id.as_str()));
        // An id file that names another id's folder is no group's.
        let other = groups.path().join(group_folder(&format!("{id}!")));
        std::fs::create_dir(&other).expect("mkdir");
        std::fs::copy(dir.join(ID_FILE), other.join(ID_FILE)).expect("copy");
        assert_eq!(group_in(&other).expect("read"), None);
        // A short id's folder needs no file.
        let short = groups.path().join(group_folder("app:v1"));
        std::fs::create_dir(&short).expect("mkdir");
        keep_id(&short, "app:v1").expect("keep");
        assert!(!short.join(ID_FILE).exists());
        assert_eq!(group_in(&short).expect("read").as_deref(), Some("app:v1"));
    }

    proptest::proptest! {
        #[test]
        fn group_folders_are_one_path_component_and_name_their_group(id in "(?s).{1,21}") {
            let folder = group_folder(&id);
            proptest::prop_assert!(!folder.contains('/') && folder != "." && folder != ".." && !folder.contains('\0'));
            proptest::prop_assert_eq!(group_of_folder(&folder), Some(id));
        }

        #[test]
        fn every_folder_fits_and_long_ones_are_hashed(id in "(?s).{1,400}") {
            let folder = group_folder(&id);
            proptest::prop_assert!(folder.len() <= MAX_FILE_NAME && !folder.contains('/'));
            proptest::prop_assert_eq!(is_hashed(&folder), group_of_folder(&folder).is_none());
        }
    }
}

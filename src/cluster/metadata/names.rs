//! Validation of user-given names (topics, groups, client ids) before any
//! file is touched: Kafka's rules, which also keep every name a single,
//! harmless path component. A group id is any non-empty string, as on
//! Kafka: its folder writes the bytes outside `[A-Za-z0-9._-]` as `%XX`
//! ([`group_folder`]).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

use crate::error::{Error, Reason, Result};

/// The longest folder name the file system takes (Linux's `NAME_MAX`).
pub const MAX_FOLDER_NAME: usize = 255;

/// What a group's folder name keeps as it is: the characters of a topic
/// name. Every other byte of the group id (`%` too) is written `%XX`.
const GROUP_FOLDER_KEEPS: &AsciiSet = &NON_ALPHANUMERIC.remove(b'.').remove(b'_').remove(b'-');

/// Kafka's longest legal topic name.
pub const MAX_NAME_LEN: usize = 249;

/// Checks a topic name against Kafka's rules: `[a-zA-Z0-9._-]`, 1 to 249
/// characters, not `.` or `..`.
pub fn validate_topic(name: &str) -> Result<()> {
    validate("topic", name).map_err(|e| e.because(Reason::InvalidTopicName { name: name.to_string() }))
}

/// Kafka's rule for a group id: any non-empty string.
pub fn validate_group_id(name: &str) -> Result<()> {
    if name.is_empty() {
        return Err(Error::usage("group name is empty"));
    }
    Ok(())
}

/// Checks a consumer group id for a data dir: Kafka's rule
/// ([`validate_group_id`]), and a folder ([`group_folder`]) that fits in a
/// folder name: a group id of topic-name characters up to 255 of them,
/// fewer where others take three (`%XX`).
pub fn validate_group(name: &str) -> Result<()> {
    checked_group_folder(name).map(drop)
}

/// The folder of group `name` ([`group_folder`]), once [`validate_group`]
/// holds for it.
pub fn checked_group_folder(name: &str) -> Result<String> {
    validate_group_id(name)?;
    let folder = group_folder(name);
    if folder.len() > MAX_FOLDER_NAME {
        let shown: String = name.chars().take(60).collect();
        let shown = if shown.len() < name.len() { format!("{shown}...") } else { shown };
        return Err(Error::usage(format!(
            "group name '{}' is too long for a data dir: its folder name is {} bytes (characters other than \
             letters, digits, '.', '_' and '-' count 3 bytes per byte), the limit is {MAX_FOLDER_NAME}",
            shown.escape_default(),
            folder.len()
        )));
    }
    Ok(folder)
}

/// The folder of group `name` under `groups/`: the id with every byte
/// outside `[A-Za-z0-9._-]` written `%XX` (`orders` stays `orders`,
/// `app:v1` is `app%3Av1`), and `.` and `..` written whole, so any id is
/// one harmless path component and two ids never share a folder.
pub fn group_folder(name: &str) -> String {
    let keeps = if name == "." || name == ".." { NON_ALPHANUMERIC } else { GROUP_FOLDER_KEEPS };
    utf8_percent_encode(name, keeps).to_string()
}

/// The group whose folder is named `folder`, or `None` for a folder that is
/// no group's ([`group_folder`] of no id: what a `group delete` cut short
/// leaves, `#deleted-…`).
pub fn group_of_folder(folder: &str) -> Option<String> {
    let name = percent_decode_str(folder).decode_utf8().ok()?;
    (!name.is_empty() && group_folder(&name) == folder).then(|| name.into_owned())
}

/// Checks a group member id as read from a group's files: the same rules
/// (it names the member's lock file, `members/<id>.lock`).
pub fn validate_member_id(id: &str) -> Result<()> {
    validate("member id", id)
}

/// Kafka's collision rule: `.` and `_` are the same character in metric
/// names, so two topics whose names differ only there collide.
pub fn collides(a: &str, b: &str) -> bool {
    a != b
        && a.len() == b.len()
        && a.bytes().zip(b.bytes()).all(|(x, y)| x == y || (x == b'.' || x == b'_') && (y == b'.' || y == b'_'))
}

fn validate(what: &str, name: &str) -> Result<()> {
    let shown: String = name.chars().take(60).collect();
    let shown = if shown.len() < name.len() { format!("{shown}...") } else { shown };
    if name.is_empty() {
        return Err(Error::usage(format!("{what} name is empty")));
    }
    if name == "." || name == ".." {
        return Err(Error::usage(format!("{what} name '{name}' is not allowed")));
    }
    if name.len() > MAX_NAME_LEN {
        return Err(Error::usage(format!(
            "{what} name '{shown}' is {} characters long; the limit is {MAX_NAME_LEN}",
            name.chars().count()
        )));
    }
    if let Some(bad) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))) {
        return Err(Error::usage(format!(
            "{what} name '{}' contains {bad:?}; use only letters, digits, '.', '_' and '-'",
            shown.escape_default()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dots_and_underscores_collide_as_in_kafka() {
        assert!(collides("a.b", "a_b") && collides("a_b.c", "a.b_c") && collides("x.", "x_"));
        assert!(
            !collides("a.b", "a.b") && !collides("a.b", "a-b") && !collides("a.b", "a.bc") && !collides("ab", "a_")
        );
    }

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
        ] {
            assert_eq!(group_folder(id), folder, "{id:?}");
            assert_eq!(group_of_folder(folder).as_deref(), Some(id), "{folder}");
            assert!(validate_group(id).is_ok(), "{id:?}");
        }
        // Folders no id has: another spelling of an id's folder, a broken
        // escape, bytes that are no UTF-8, a cut-short delete's folder.
        for folder in ["%41", "a%3a", "%", "%G1", "%FF", ".", "#deleted-1", ""] {
            assert_eq!(group_of_folder(folder), None, "{folder}");
        }
        assert!(validate_group("").is_err());
        assert!(validate_group(&"a".repeat(255)).is_ok());
        let long = validate_group(&"a".repeat(256)).expect_err("256 bytes");
        assert!(long.message.contains("256 bytes"), "{}", long.message);
        assert!(validate_group(&":".repeat(86)).is_err(), "86 colons are 258 bytes of folder name");
    }

    proptest::proptest! {
        #[test]
        fn group_folders_are_one_path_component_and_name_their_group(id in "(?s).{1,40}") {
            let folder = group_folder(&id);
            proptest::prop_assert!(!folder.contains('/') && folder != "." && folder != ".." && !folder.contains('\0'));
            proptest::prop_assert_eq!(group_of_folder(&folder), Some(id));
        }
    }

    #[test]
    fn kafka_rules() {
        for ok in ["orders", "a.b_c-d", "X9", &"a".repeat(249)] {
            assert!(validate_topic(ok).is_ok(), "{ok}");
        }
        for bad in ["", ".", "..", "../x", "a/b", "a b", "ü", &"a".repeat(250), "a\0b"] {
            let err = validate_topic(bad).expect_err(bad);
            assert_eq!(err.exit_code(), 2);
        }
    }
}

//! Validation of user-given names (topics, groups, client ids) before any
//! file is touched: Kafka's rules, which also keep every name a single,
//! harmless path component. A group id is any non-empty string, as on
//! Kafka (its folder: `group_folder`).

use crate::error::{Error, Reason, Result};

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
    fn kafka_rules() {
        assert!(
            validate_group_id("").is_err()
                && validate_group_id(" ").is_ok()
                && validate_group_id(&"a".repeat(9999)).is_ok()
        );
        for ok in ["orders", "a.b_c-d", "X9", &"a".repeat(249)] {
            assert!(validate_topic(ok).is_ok(), "{ok}");
        }
        for bad in ["", ".", "..", "../x", "a/b", "a b", "ü", &"a".repeat(250), "a\0b"] {
            let err = validate_topic(bad).expect_err(bad);
            assert_eq!(err.exit_code(), 2);
        }
    }
}

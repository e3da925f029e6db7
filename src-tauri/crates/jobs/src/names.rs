//! Job names from free-text target ids.
//!
//! A systemd unit name allows `[A-Za-z0-9:_.\-]`, a launchd label should stay a reverse-DNS-ish
//! token, and a Task Scheduler name must not hold `\ / : * ? " < > |`. One encoding fits all
//! three: `[a-z0-9-]` stays as is and every other UTF-8 byte becomes `_` and two lower-case hex
//! digits. Because `_` itself is always encoded, each `_` starts exactly one escape, so the
//! encoding is reversible and two ids never share a name. Upper-case letters are encoded too:
//! macOS and Windows file systems ignore case, and `AWS` and `aws` must not end up in one file.

use crate::error::{Error, Result};

/// The longest encoded name: below the 255-byte file-name limit with the longest prefix and
/// suffix around it (`scim-companion-watch-` + `.service`), and well inside Task Scheduler's.
pub const MAX_NAME_LEN: usize = 200;

/// The job name for a target id.
pub fn encode(target_id: &str) -> Result<String> {
    if target_id.is_empty() {
        return Err(Error::EmptyTargetId);
    }
    let mut name = String::with_capacity(target_id.len());
    for byte in target_id.bytes() {
        if kept(byte) {
            name.push(char::from(byte));
        } else {
            name.push('_');
            name.push(hex_digit(byte >> 4));
            name.push(hex_digit(byte & 0x0f));
        }
    }
    if name.len() > MAX_NAME_LEN {
        return Err(Error::TargetIdTooLong {
            id: target_id.to_owned(),
            len: name.len(),
            max: MAX_NAME_LEN,
        });
    }
    Ok(name)
}

/// The target id a job name was made from, or `None` when `name` is not exactly what
/// [`encode`] writes (a file someone else put there).
pub fn decode(name: &str) -> Option<String> {
    let bytes = name.as_bytes();
    if bytes.is_empty() {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        if byte == b'_' {
            let high = hex_value(*bytes.get(i + 1)?)?;
            let low = hex_value(*bytes.get(i + 2)?)?;
            let decoded = (high << 4) | low;
            // An escaped byte that encode keeps as is would give a second name for one id.
            if kept(decoded) {
                return None;
            }
            out.push(decoded);
            i += 3;
        } else if kept(byte) {
            out.push(byte);
            i += 1;
        } else {
            return None;
        }
    }
    String::from_utf8(out).ok()
}

fn kept(byte: u8) -> bool {
    byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-'
}

fn hex_digit(nibble: u8) -> char {
    char::from(b"0123456789abcdef"[usize::from(nibble)])
}

/// Lower-case hex only: `encode` never writes upper case, so accepting it would let two names
/// decode to one id.
fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_ids_stay_readable() {
        assert_eq!(encode("aws-prod").unwrap(), "aws-prod");
        assert_eq!(encode("unity2").unwrap(), "unity2");
    }

    #[test]
    fn everything_else_is_escaped_and_comes_back() {
        let odd = [
            "AWS Prod",
            "aws_prod",
            "aws.prod",
            "a/b\\c:d*e?f\"g<h>i|j",
            "100%",
            "café ü 東京",
            "_5f",
            "-",
            "x_",
            "$HOME",
        ];
        for id in odd {
            let name = encode(id).unwrap();
            assert!(
                name.bytes().all(|b| b.is_ascii_lowercase()
                    || b.is_ascii_digit()
                    || b == b'-'
                    || b == b'_'),
                "{name}"
            );
            assert_eq!(decode(&name).as_deref(), Some(id), "{id} -> {name}");
        }
        assert_eq!(encode("AWS Prod").unwrap(), "_41_57_53_20_50rod");
    }

    #[test]
    fn ids_that_differ_get_different_names() {
        // Case, `_` against its own escape, and separators that other schemes fold together.
        let ids = [
            "aws", "AWS", "Aws", "a_b", "a-b", "a.b", "a b", "a_5fb", "a%b", "a/b",
        ];
        let mut names: Vec<String> = ids.iter().map(|id| encode(id).unwrap()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), ids.len(), "{names:?}");
    }

    #[test]
    fn foreign_names_do_not_decode() {
        for name in [
            "", "A", "a.b", "_", "_4", "_4G", "_41X", "_61", "_2E", "_ff", "a b",
        ] {
            assert_eq!(decode(name), None, "{name:?}");
        }
    }

    #[test]
    fn empty_and_overlong_ids_are_refused() {
        assert!(matches!(encode(""), Err(Error::EmptyTargetId)));
        assert!(encode(&"a".repeat(MAX_NAME_LEN)).is_ok());
        let long = encode(&"ü".repeat(40)).unwrap_err();
        assert!(
            matches!(long, Error::TargetIdTooLong { len: 240, .. }),
            "{long}"
        );
    }
}

//! What may be kept of a reply: JumpCloud's error text without the key or anything
//! credential-shaped (where a redirect pointed is `http_safety::location_host`).

use std::sync::LazyLock;

use regex::Regex;

/// Credential-shaped text a server might echo back: header lines and values after an auth
/// scheme. 8+ characters so prose such as "Basic auth" survives.
static ECHOED_CREDENTIALS: LazyLock<[Regex; 2]> = LazyLock::new(|| {
    [
        Regex::new(
            r#"(?i)\b((?:proxy-)?authorization|x-api-key|x-org-id|cookie)(\s*:\s*)[^\r\n"]+"#,
        )
        .expect("valid"),
        Regex::new(r"(?i)\b(bearer|basic)(\s+)[A-Za-z0-9\-._~+/]{8,}=*").expect("valid"),
    ]
});

/// JumpCloud's error text with the API key and anything credential-shaped removed, before it
/// reaches an error, the UI or the history file.
fn scrub(message: &str, api_key: &str) -> String {
    let mut out = if api_key.trim().len() >= 4 {
        message.replace(api_key, "[REDACTED]")
    } else {
        message.to_owned()
    };
    for rule in ECHOED_CREDENTIALS.iter() {
        out = rule.replace_all(&out, "${1}${2}[REDACTED]").into_owned();
    }
    out
}

/// Longest error text kept, in characters: a huge HTML error page must not flood the UI.
pub const ERROR_TEXT_CHARS: usize = 300;

/// The text of a JumpCloud error body (`message` (v1) or `error`/`message` (v2)) as it may be
/// kept: scrubbed of the API key and anything credential-shaped, then cut to
/// [`ERROR_TEXT_CHARS`]. Scrubbing comes first, so a cut cannot leave a piece of the key behind.
pub fn error_text(body: &[u8], api_key: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    let msg = v
        .get("message")
        .or_else(|| v.get("error"))
        .and_then(|m| m.as_str())?;
    Some(scrub(msg, api_key).chars().take(ERROR_TEXT_CHARS).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "0123456789abcdef0123456789abcdef01234567";

    #[test]
    fn a_key_across_the_cut_leaves_no_piece_of_it() {
        // The text used to be cut before it was scrubbed, so a key straddling character 300 kept
        // its first characters (found while writing the jumpcloud fuzz target's key property).
        let message = format!("{}{KEY} rest", "x".repeat(ERROR_TEXT_CHARS - 10));
        let body = serde_json::json!({ "message": message }).to_string();
        let text = error_text(body.as_bytes(), KEY).unwrap();
        assert!(text.chars().count() <= ERROR_TEXT_CHARS);
        assert!(!text.contains(&KEY[..8]), "{text}");
        assert!(text.ends_with("[REDACTED]"), "{text}");
    }

    #[test]
    fn v2_error_field_and_non_json_bodies() {
        let body = br#"{"error": "no such group", "code": 404}"#;
        assert_eq!(error_text(body, KEY).as_deref(), Some("no such group"));
        assert_eq!(error_text(b"<html>502</html>", KEY), None);
        assert_eq!(error_text(br#"{"message": null}"#, KEY), None);
    }
}

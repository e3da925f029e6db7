//! Short, redacted body excerpts for errors and the history log.

use serde_json::Value;

/// Longest excerpt kept, in characters.
pub const EXCERPT_CHARS: usize = 2048;

const SENSITIVE_KEYS: &[&str] = &[
    "password",
    "token",
    "secret",
    "authorization",
    "apikey",
    "api_key",
    "x-api-key",
    "credential",
    "bearer",
];

fn is_sensitive(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    SENSITIVE_KEYS.iter().any(|s| k.contains(s))
}

fn redact_value(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, val) in map.iter_mut() {
                if is_sensitive(k) {
                    *val = Value::String("[REDACTED]".to_owned());
                } else {
                    redact_value(val);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact_value),
        _ => {}
    }
}

/// Redacts secret-looking JSON fields (and `Bearer <x>` in plain text), then
/// cuts to [`EXCERPT_CHARS`].
pub fn redact(body: &[u8]) -> String {
    let text = match serde_json::from_slice::<Value>(body) {
        Ok(mut v) => {
            redact_value(&mut v);
            v.to_string()
        }
        Err(_) => redact_bearer(&String::from_utf8_lossy(body)),
    };
    truncate(&text, EXCERPT_CHARS)
}

fn redact_bearer(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut rest = 0;
    let mut search = 0;
    while let Some(pos) = lower[search..].find("bearer ") {
        let start = search + pos + "bearer ".len();
        let end = text[start..]
            .find(|c: char| c.is_whitespace() || c == '"' || c == '\'' || c == '<')
            .map_or(text.len(), |e| start + e);
        out.push_str(&text[rest..start]);
        out.push_str("[REDACTED]");
        rest = end;
        search = end;
    }
    out.push_str(&text[rest..]);
    out
}

pub(crate) fn truncate(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((idx, _)) => format!("{}…", &text[..idx]),
        None => text.to_owned(),
    }
}

/// The `<title>` of an HTML page, whitespace collapsed.
pub(crate) fn html_title(body: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let lower = text.to_ascii_lowercase();
    let open = lower.find("<title")?;
    let start = open + lower[open..].find('>')? + 1;
    let end = start + lower[start..].find("</title")?;
    let title = text[start..end]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (!title.is_empty()).then(|| truncate(&title, 200))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_secrets_are_redacted_at_any_depth() {
        let body = br#"{"userName":"a","password":"p@ss","nested":[{"apiToken":"t0k"}]}"#;
        let out = redact(body);
        assert!(out.contains("\"userName\":\"a\""));
        assert!(!out.contains("p@ss"));
        assert!(!out.contains("t0k"));
    }

    #[test]
    fn bearer_in_text_is_redacted() {
        let out = redact(b"denied for Authorization: Bearer abc.def.ghi please");
        assert!(!out.contains("abc.def.ghi"));
        assert!(out.ends_with("please"));
    }

    #[test]
    fn long_bodies_are_cut() {
        let body = "x".repeat(EXCERPT_CHARS * 2);
        assert_eq!(redact(body.as_bytes()).chars().count(), EXCERPT_CHARS + 1);
    }

    #[test]
    fn title_is_found_case_insensitively() {
        let page = b"<html><HEAD><Title>\n 502 Bad   Gateway </TITLE></head></html>";
        assert_eq!(html_title(page).as_deref(), Some("502 Bad Gateway"));
        assert_eq!(html_title(b"<html>no title</html>"), None);
    }
}

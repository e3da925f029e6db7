//! Short, redacted body excerpts for errors and the history log.

use std::sync::LazyLock;

use regex::Regex;
use reqwest::header::HeaderName;
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

fn redact_value(v: &mut Value, secret_header: Option<&HeaderName>) {
    match v {
        Value::Object(map) => {
            for (k, val) in map.iter_mut() {
                if is_sensitive(k)
                    || secret_header.is_some_and(|h| k.eq_ignore_ascii_case(h.as_str()))
                {
                    *val = Value::String("[REDACTED]".to_owned());
                } else {
                    redact_value(val, secret_header);
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| redact_value(item, secret_header)),
        _ => {}
    }
}

/// Redacts secret-looking JSON fields, and in non-JSON text (HTML error pages, plain text)
/// credential header lines and `Bearer`/`Basic` credentials, then cuts to [`EXCERPT_CHARS`].
pub fn redact(body: &[u8]) -> String {
    redact_with(body, None)
}

/// [`redact`], also removing a target's custom auth header (`secret_header`) as a JSON field
/// and as a header line.
pub(crate) fn redact_with(body: &[u8], secret_header: Option<&HeaderName>) -> String {
    let text = match serde_json::from_slice::<Value>(body) {
        Ok(mut v) => {
            redact_value(&mut v, secret_header);
            v.to_string()
        }
        Err(_) => redact_text(&String::from_utf8_lossy(body), secret_header),
    };
    truncate(&text, EXCERPT_CHARS)
}

/// Header lines whose value is a credential, wherever they appear in text.
static CREDENTIAL_HEADERS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\b((?:proxy-)?authorization|x-api-key|api-key|cookie|set-cookie)(\s*:\s*)[^\r\n"'<]+"#)
        .expect("valid")
});

/// `Bearer <x>` / `Basic <x>` anywhere: 8+ characters so prose such as "Basic auth" stays.
static SCHEME_CREDENTIALS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(bearer|basic)(\s+)[A-Za-z0-9\-._~+/]{8,}=*").expect("valid")
});

/// Plain-text redaction: credential header lines (the standard ones and `extra_header`, a
/// target's custom auth header), then scheme credentials.
pub(crate) fn redact_text(text: &str, extra_header: Option<&HeaderName>) -> String {
    let mut out = CREDENTIAL_HEADERS
        .replace_all(text, "${1}${2}[REDACTED]")
        .into_owned();
    if let Some(name) = extra_header {
        let rule = format!(
            r#"(?i)\b({})(\s*:\s*)[^\r\n"'<]+"#,
            regex::escape(name.as_str())
        );
        if let Ok(rule) = Regex::new(&rule) {
            out = rule.replace_all(&out, "${1}${2}[REDACTED]").into_owned();
        }
    }
    SCHEME_CREDENTIALS
        .replace_all(&out, "${1}${2}[REDACTED]")
        .into_owned()
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
        let out = redact(b"denied for bearer abc.def.ghi please");
        assert!(!out.contains("abc.def.ghi"));
        assert!(out.ends_with("please"));
        // After a header name the whole value goes, whatever its scheme or spaces.
        let out = redact(b"denied for Authorization: Digest user=x, response=abc\nnext");
        assert_eq!(out, "denied for Authorization: [REDACTED]\nnext");
    }

    #[test]
    fn basic_and_header_lines_in_text_are_redacted() {
        let page = b"<html><pre>Authorization: Basic dXNlcjpwYXNzd29yZA==\nX-Api-Key: k-123456\nCookie: sid=abc\nbasic Zm9vOmJhcmJheg== then Basic auth failed</pre></html>";
        let out = redact(page);
        for gone in [
            "dXNlcjpwYXNzd29yZA",
            "k-123456",
            "sid=abc",
            "Zm9vOmJhcmJheg",
        ] {
            assert!(!out.contains(gone), "{gone} in {out}");
        }
        assert!(out.contains("Basic auth failed"), "{out}");
    }

    #[test]
    fn a_custom_auth_header_line_is_redacted_when_named() {
        let name = HeaderName::from_static("x-custom-auth");
        let out = redact_text("rejected X-Custom-Auth: v4lue-1\nnext", Some(&name));
        assert_eq!(out, "rejected X-Custom-Auth: [REDACTED]\nnext");
        let out = redact_with(br#"{"headers":{"X-Custom-Auth":"v4lue-2"}}"#, Some(&name));
        assert_eq!(out, r#"{"headers":{"X-Custom-Auth":"[REDACTED]"}}"#);
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

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
pub(super) fn scrub(message: &str, api_key: &str) -> String {
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

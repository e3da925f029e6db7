//! Last line of defence against secrets reaching the history file: every
//! free-text field is passed through a [`Redactor`] before insert, so a caller
//! that forgets to scrub a request excerpt still cannot persist a token.

use std::sync::LazyLock;

use regex::Regex;

/// Replacement text for anything redacted.
pub const REDACTED: &str = "[REDACTED]";

/// Excerpts longer than this (in bytes, after redaction) are cut.
pub const EXCERPT_CAP_BYTES: usize = 2048;

/// Generic rules that catch credentials whose value the store was not told.
static RULES: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    let rule = |pattern: &str, replacement: &'static str| {
        (
            Regex::new(pattern).expect("redaction rule compiles"),
            replacement,
        )
    };
    vec![
        // Headers, on their own line or inside other text: the whole value
        // goes (up to line end or a quote), whatever its scheme.
        rule(
            r#"(?i)\b((?:proxy-)?authorization|x-api-key|cookie|set-cookie)(\s*:\s*)[^\r\n"]+"#,
            "${1}${2}[REDACTED]",
        ),
        // JSON string fields whose name says "secret".
        rule(
            r#"(?i)("(?:password|passwd|secret|client_secret|token|access_token|refresh_token|id_token|api_key|apikey|x-api-key|authorization|bearer)"\s*:\s*)"(?:[^"\\]|\\.)*""#,
            r#"${1}"[REDACTED]""#,
        ),
        // Query-string / form fields.
        rule(
            r"(?i)\b((?:password|passwd|token|access_token|refresh_token|api_key|api-key|apikey|x-api-key|client_secret|secret|signature)=)[^&\s]+",
            "${1}[REDACTED]",
        ),
        // Short names (a signed URL's `sig`, an OAuth `code`, a `key`) only as real query
        // parameters, after `?`, `&` or `;`, so "status code=400" in prose stays readable.
        rule(r"(?i)([?&;](?:key|sig|code)=)[^&#\s]+", "${1}[REDACTED]"),
        // Credentials after an auth scheme anywhere in text (e.g. inside an
        // error message). 8+ characters so prose like "Basic auth" survives.
        rule(
            r"(?i)\b(bearer|basic|token)(\s+)[A-Za-z0-9\-._~+/]{8,}=*",
            "${1}${2}[REDACTED]",
        ),
    ]
});

/// Scrubs known secret values and credential-shaped text.
#[derive(Clone, Default)]
pub struct Redactor {
    /// Longest first, so a secret that contains another is replaced whole.
    secrets: Vec<String>,
    /// Custom auth headers (Generic targets): their values go like `Authorization`'s.
    header_names: Vec<String>,
    header_rules: Vec<(Regex, &'static str)>,
}

/// What to register with a [`Redactor`]: a secret value, or the name of a header that carries
/// one. A bare `&str` is a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sensitive<'a> {
    Value(&'a str),
    HeaderName(&'a str),
}

impl<'a> From<&'a str> for Sensitive<'a> {
    fn from(value: &'a str) -> Self {
        Sensitive::Value(value)
    }
}

impl std::fmt::Debug for Redactor {
    // Never print the secrets themselves.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Redactor")
            .field("known_secrets", &self.secrets.len())
            .field("header_names", &self.header_names)
            .finish()
    }
}

impl Redactor {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a value (token, API key, password) that must never be stored.
    /// Empty strings are ignored. Held in memory only.
    pub fn add_secret(&mut self, secret: &str) {
        // A secret with quotes or backslashes looks different inside a JSON
        // body (an excerpt), so its escaped spelling is matched as well.
        let escaped = serde_json::to_string(secret).expect("a str serializes");
        let escaped = &escaped[1..escaped.len() - 1];
        for form in [secret, escaped] {
            if !form.is_empty() && !self.secrets.iter().any(|s| s == form) {
                self.secrets.push(form.to_owned());
            }
        }
        self.secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    }

    /// Adds a header name whose value must never be stored, in a header line
    /// (`X-Custom-Auth: value`) or a JSON field (`"X-Custom-Auth": "value"`). Case-insensitive.
    pub fn add_header_name(&mut self, name: &str) {
        let name = name.trim();
        if name.is_empty()
            || self
                .header_names
                .iter()
                .any(|n| n.eq_ignore_ascii_case(name))
        {
            return;
        }
        let quoted = regex::escape(name);
        let line = format!(r#"(?i)(\b{quoted}\s*:\s*)[^\r\n"]+"#);
        let json = format!(r#"(?i)("{quoted}"\s*:\s*)"(?:[^"\\]|\\.)*""#);
        for (rule, replacement) in [(line, "${1}[REDACTED]"), (json, r#"${1}"[REDACTED]""#)] {
            let regex = Regex::new(&rule).expect("an escaped header name compiles");
            self.header_rules.push((regex, replacement));
        }
        self.header_names.push(name.to_owned());
    }

    /// Registers a value or a header name (see [`Sensitive`]).
    pub fn add<'a>(&mut self, item: impl Into<Sensitive<'a>>) {
        match item.into() {
            Sensitive::Value(v) => self.add_secret(v),
            Sensitive::HeaderName(n) => self.add_header_name(n),
        }
    }

    pub fn with_header_name(mut self, name: &str) -> Self {
        self.add_header_name(name);
        self
    }

    pub fn with_secret(mut self, secret: &str) -> Self {
        self.add_secret(secret);
        self
    }

    /// Removes every known secret and every credential-shaped value.
    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for secret in &self.secrets {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), REDACTED);
            }
        }
        for (regex, replacement) in self.header_rules.iter().chain(RULES.iter()) {
            if let std::borrow::Cow::Owned(replaced) = regex.replace_all(&out, *replacement) {
                out = replaced;
            }
        }
        out
    }

    /// Redacts, then caps to [`EXCERPT_CAP_BYTES`]. Redaction comes first so
    /// the cut can never leave half a secret that no longer matches.
    pub fn excerpt(&self, text: &str) -> String {
        cap(self.redact(text), EXCERPT_CAP_BYTES)
    }
}

/// Cuts `text` to at most `max` bytes on a char boundary, saying how much went.
fn cap(mut text: String, max: usize) -> String {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let dropped = text.len() - end;
    text.truncate(end);
    text.push_str(&format!("…[truncated {dropped} bytes]"));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "tok_9f8e7d6c5b4a39281706";

    #[test]
    fn known_secret_is_removed_anywhere() {
        let r = Redactor::new().with_secret(TOKEN);
        let out = r.redact(&format!("oops {TOKEN}{TOKEN} end"));
        assert!(!out.contains(TOKEN));
        assert_eq!(out, "oops [REDACTED][REDACTED] end");
    }

    #[test]
    fn header_values_are_removed() {
        let r = Redactor::new();
        let out =
            r.redact("GET /Users\nAuthorization: Bearer abc.def.ghi\nx-api-key: k123\nAccept: */*");
        assert!(!out.contains("abc.def.ghi"));
        assert!(!out.contains("k123"));
        assert!(out.contains("Accept: */*"), "{out}");
    }

    #[test]
    fn header_inside_a_line_is_removed() {
        let out = Redactor::new().redact(r#"{"headers":"X-Api-Key: k-123456","ok":true}"#);
        assert_eq!(out, r#"{"headers":"X-Api-Key: [REDACTED]","ok":true}"#);
    }

    #[test]
    fn json_secret_fields_are_removed() {
        let r = Redactor::new();
        let out = r.redact(r#"{"userName":"bob","password":"hunter2\"x","token":"t0ps3cr3t"}"#);
        assert!(!out.contains("hunter2"));
        assert!(!out.contains("t0ps3cr3t"));
        assert!(out.contains(r#""userName":"bob""#));
        assert!(out.contains(r#""password":"[REDACTED]""#));
    }

    #[test]
    fn bare_scheme_credentials_are_removed_but_prose_stays() {
        let r = Redactor::new();
        let out = r.redact(
            "sent bearer eyJhbGciOi.payload.sig and Basic dXNlcjpwYXNz== then Basic auth failed",
        );
        assert!(!out.contains("eyJhbGciOi"));
        assert!(!out.contains("dXNlcjpwYXNz"));
        assert!(out.contains("Basic auth failed"));
    }

    #[test]
    fn query_parameters_are_removed() {
        let out = Redactor::new().redact("/scim?access_token=abc123&filter=x");
        assert_eq!(out, "/scim?access_token=[REDACTED]&filter=x");
    }

    #[test]
    fn signed_url_and_api_key_query_parameters_are_removed() {
        let out = Redactor::new().redact(
            "GET /v2/x?key=k1&sig=s1&api-key=a1&code=c1&signature=g1&filter=userName status code=400",
        );
        assert_eq!(
            out,
            "GET /v2/x?key=[REDACTED]&sig=[REDACTED]&api-key=[REDACTED]&code=[REDACTED]&signature=[REDACTED]&filter=userName status code=400"
        );
    }

    #[test]
    fn a_registered_custom_header_is_removed_as_a_line_and_as_a_json_field() {
        let r = Redactor::new().with_header_name("X-Custom-Auth");
        let out = r.redact(
            "denied\nx-custom-auth: v4lue-1\n{\"X-Custom-Auth\": \"v4lue-2\", \"ok\": true}",
        );
        assert!(!out.contains("v4lue"), "{out}");
        assert!(out.contains("x-custom-auth: [REDACTED]"), "{out}");
        assert!(out.contains(r#""X-Custom-Auth": "[REDACTED]""#), "{out}");
        assert!(out.contains(r#""ok": true"#), "{out}");
        // Not registered: an unknown header stays (only known names are treated as secret).
        assert!(Redactor::new()
            .redact("x-custom-auth: v4lue")
            .contains("v4lue"));
    }

    #[test]
    fn add_takes_values_and_header_names() {
        let mut r = Redactor::new();
        r.add(TOKEN);
        r.add(Sensitive::HeaderName("X-Key"));
        assert_eq!(
            r.redact(&format!("{TOKEN} X-Key: abc")),
            "[REDACTED] X-Key: [REDACTED]"
        );
    }

    #[test]
    fn json_escaped_form_of_a_secret_is_removed() {
        let secret = r#"pa"ss\word"#;
        let r = Redactor::new().with_secret(secret);
        let body = serde_json::json!({ "note": format!("x{secret}y") }).to_string();
        let out = r.redact(&body);
        assert_eq!(out, r#"{"note":"x[REDACTED]y"}"#);
    }

    #[test]
    fn longer_secret_wins_over_its_prefix() {
        let r = Redactor::new().with_secret("abcd").with_secret("abcdefgh");
        assert_eq!(r.redact("xabcdefghx"), "x[REDACTED]x");
    }

    #[test]
    fn excerpt_is_capped_on_char_boundary() {
        let long = "é".repeat(EXCERPT_CAP_BYTES); // 2 bytes each
        let out = Redactor::new().excerpt(&long);
        assert!(out.len() < EXCERPT_CAP_BYTES + 40);
        assert!(out.ends_with(&format!("…[truncated {} bytes]", EXCERPT_CAP_BYTES)));
        let short = Redactor::new().excerpt("short");
        assert_eq!(short, "short");
    }

    #[test]
    fn debug_does_not_print_secrets() {
        let r = Redactor::new().with_secret(TOKEN);
        assert!(!format!("{r:?}").contains(TOKEN));
    }
}

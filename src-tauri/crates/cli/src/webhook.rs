//! The watcher's webhook: one POST of JSON per check that finds drift or fails, with a
//! Slack-compatible `text` field and the whole summary beside it.
//!
//! The URL is treated as a secret (a Slack or Teams incoming-webhook URL is a credential): it
//! comes from the environment or the secrets folder, never an argument, and no message, log or
//! summary shows more of it than its scheme and host.

use std::time::Duration;

use serde::Serialize;
use url::Url;

use crate::error::{CliError, CliResult};
use crate::workspace::SecretSource;
use engine::watch::{counts_text, Alert, CheckSummary, Status};

/// Environment variable holding the webhook's URL.
pub const URL_ENV: &str = "SCIM_COMPANION_WEBHOOK_URL";
/// File holding the webhook's URL in a secrets folder.
pub const URL_FILE: &str = "webhook-url";

const TIMEOUT: Duration = Duration::from_secs(15);
/// Attempts for a network error, a 429 or a 5xx (the receiver's hiccup should not lose an alert).
const ATTEMPTS: u32 = 3;

pub struct Webhook {
    url: Url,
    client: reqwest::Client,
}

/// Whether the webhook received a check, for the summary and the exit code.
#[derive(Debug, Clone, Serialize)]
pub struct Delivery {
    pub delivered: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl Webhook {
    /// The webhook of this run: the secrets folder's `webhook-url` when the secrets come from a
    /// folder and it has one, else `SCIM_COMPANION_WEBHOOK_URL`.
    pub fn from_source(source: &SecretSource) -> CliResult<Webhook> {
        let from_file = match source {
            SecretSource::Explicit(explicit) => match explicit.folder() {
                Some(dir) => secrets::read_private_file(&dir.join(URL_FILE))?,
                None => None,
            },
            SecretSource::Keychain(_) => None,
        };
        let text = match from_file {
            Some(secret) => secret.expose().to_owned(),
            None => std::env::var(URL_ENV)
                .ok()
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
                .ok_or_else(|| {
                    CliError::new(format!("--webhook needs a URL: {URL_ENV} is not set")).with_hint(
                        format!(
                            "Set {URL_ENV}, or with --secrets dir put the URL in a file \
                             {URL_FILE} that only its owner can read. It is never an argument: \
                             a webhook URL is a credential."
                        ),
                    )
                })?,
        };
        Webhook::new(&text)
    }

    pub fn new(text: &str) -> CliResult<Webhook> {
        // The parse error would quote the URL; say only that it is not one.
        let url =
            Url::parse(text).map_err(|_| CliError::new("the webhook URL is not a valid URL"))?;
        let allowed =
            url.scheme() == "https" || (url.scheme() == "http" && http_safety::is_loopback(&url));
        if !allowed {
            return Err(CliError::new(format!(
                "the webhook at {} is not https: a drift report names users and groups, so it \
                 travels encrypted (plain http only to this machine)",
                shown(&url)
            )));
        }
        let builder = reqwest::Client::builder()
            .timeout(TIMEOUT)
            // A redirect could carry the report to another host.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("scim-companion/", env!("CARGO_PKG_VERSION")));
        let client = http_safety::pin_loopback(builder, &url)
            .build()
            .map_err(|e| {
                CliError::new(format!(
                    "cannot set up the webhook client: {}",
                    e.without_url()
                ))
            })?;
        Ok(Webhook { url, client })
    }

    /// Posts the check; never fails the check itself, but says whether it arrived.
    pub async fn post(&self, summary: &CheckSummary, alerts: &[Alert]) -> Delivery {
        let body = serde_json::json!({
            "text": message(summary, alerts),
            "scim_companion": summary,
            "alerts": alerts,
        });
        let mut last = Delivery {
            delivered: false,
            status: None,
            error: None,
        };
        for attempt in 0..ATTEMPTS {
            if attempt > 0 {
                // 1 s, then 3 s.
                tokio::time::sleep(Duration::from_secs(u64::from(2 * attempt - 1))).await;
            }
            match self.client.post(self.url.clone()).json(&body).send().await {
                Ok(reply) if reply.status().is_success() => {
                    return Delivery {
                        delivered: true,
                        status: Some(reply.status().as_u16()),
                        error: None,
                    }
                }
                Ok(reply) => {
                    let status = reply.status();
                    last = Delivery {
                        delivered: false,
                        status: Some(status.as_u16()),
                        error: Some(format!("{} answered {status}", shown(&self.url))),
                    };
                    if !(status.is_server_error() || status.as_u16() == 429) {
                        break;
                    }
                }
                Err(e) => {
                    last = Delivery {
                        delivered: false,
                        status: None,
                        // Without the URL: it is the credential.
                        error: Some(format!("{}: {}", shown(&self.url), e.without_url())),
                    };
                }
            }
        }
        if let Some(error) = &last.error {
            eprintln!("watch: the webhook did not receive the check: {error}");
        }
        last
    }
}

/// "https://hooks.slack.com": the part of a webhook URL that may be shown.
fn shown(url: &Url) -> String {
    format!("{}://{}", url.scheme(), url.host_str().unwrap_or("?"))
}

/// The one-paragraph text a chat channel shows.
pub fn message(summary: &CheckSummary, alerts: &[Alert]) -> String {
    let mut lines = vec![match summary.status {
        Status::Failed => "SCIM Companion: a drift check failed.".to_owned(),
        Status::Drift => "SCIM Companion: drift between JumpCloud and a target.".to_owned(),
        Status::InSync => "SCIM Companion: every target is in sync.".to_owned(),
    }];
    for alert in alerts {
        lines.push(format!("New: {} {}", alert.title, alert.body));
    }
    for t in &summary.targets {
        let name = if t.id.is_empty() {
            "Check".to_owned()
        } else {
            format!("{} ({})", t.name, t.id)
        };
        let mut line = match (&t.error, t.status) {
            (Some(e), _) => format!("• {name}: failed: {}", e.message),
            (None, Status::Drift) => format!("• {name}: {}", counts_text(&t.drift)),
            (None, _) => format!("• {name}: in sync"),
        };
        if t.guard_tripped {
            line.push_str("; the deletion guard would stop an apply");
        }
        if let Some(warning) = &t.token_warning {
            line.push_str("; ");
            line.push_str(warning);
        }
        lines.push(line);
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_or_loopback_http_is_accepted_and_errors_never_show_the_path() {
        assert!(Webhook::new("https://hooks.example.com/services/T0/B0/s3cr3t").is_ok());
        assert!(Webhook::new("http://127.0.0.1:9/hook").is_ok());
        let e = Webhook::new("http://hooks.example.com/services/T0/B0/s3cr3t")
            .err()
            .expect("plain http to another host is refused");
        assert!(
            e.message.contains("http://hooks.example.com"),
            "{}",
            e.message
        );
        assert!(!e.message.contains("s3cr3t"), "{}", e.message);
        let e = Webhook::new("not a url s3cr3t").err().expect("refused");
        assert!(!e.message.contains("s3cr3t"), "{}", e.message);
    }
}

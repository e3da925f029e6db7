//! Read-only connection checks: discovery plus the smallest list request, so a check costs two
//! or three requests even against a target with 100,000 users.

use std::time::{Duration, Instant};

use crate::error::Result;

/// What a successful check learned about a target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionReport {
    pub latency: Duration,
    pub user_count: Option<u64>,
    pub group_count: Option<u64>,
    /// Capabilities the target advertises in ServiceProviderConfig.
    pub patch: bool,
    pub filter: bool,
    pub bulk: bool,
}

impl ConnectionReport {
    /// One line for the Home card and the CLI.
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        if let Some(users) = self.user_count {
            parts.push(count(users, "user"));
        }
        if let Some(groups) = self.group_count {
            parts.push(count(groups, "group"));
        }
        let caps: Vec<&str> = [
            ("PATCH", self.patch),
            ("filter", self.filter),
            ("bulk", self.bulk),
        ]
        .into_iter()
        .filter_map(|(name, on)| on.then_some(name))
        .collect();
        if !caps.is_empty() {
            parts.push(format!("supports {}", caps.join(", ")));
        }
        format!(
            "SCIM 2.0 reachable in {} ms; {}",
            self.latency.as_millis(),
            parts.join("; ")
        )
    }
}

/// "1 group", "2 groups".
fn count(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Discovery, then the user and group totals from one-item pages.
pub async fn check(client: &scim::Client) -> Result<ConnectionReport> {
    let started = Instant::now();
    let config = client.service_provider_config().await?;
    let user_count = client.count::<scim::models::User>().await?;
    let group_count = client.count::<scim::models::Group>().await?;
    Ok(ConnectionReport {
        latency: started.elapsed(),
        user_count,
        group_count,
        patch: config.patch.as_ref().is_some_and(|c| c.supported),
        filter: config.filter.as_ref().is_some_and(|c| c.supported),
        bulk: config.bulk.as_ref().is_some_and(|c| c.supported),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_counts_read_naturally() {
        let report = ConnectionReport {
            latency: Duration::from_millis(12),
            user_count: Some(16),
            group_count: Some(1),
            patch: true,
            filter: false,
            bulk: false,
        };
        assert_eq!(
            report.summary(),
            "SCIM 2.0 reachable in 12 ms; 16 users; 1 group; supports PATCH"
        );
    }
}

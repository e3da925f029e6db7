//! Read-only connection checks: discovery plus the smallest list request, so a check costs two
//! or three requests even against a target with 100,000 users.
//!
//! Discovery is optional in practice: no source documents `/ServiceProviderConfig` for
//! StrongDM, Axis or Unity. When it is missing (404, 405, 501, or a gateway's HTML 404 page)
//! the check goes on with the read probe (`GET /Users?count=1`) and reports discovery as
//! unavailable; only the probe decides whether the target is reachable and the token works.

use std::time::{Duration, Instant};

use scim::models::ServiceProviderConfig;

use crate::error::Result;

/// Whether the target served SCIM discovery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiscoveryState {
    Available,
    /// `/ServiceProviderConfig` answered `status`: the target does not serve discovery, so its
    /// capabilities are unknown (not absent).
    Unavailable {
        status: u16,
    },
}

/// The outcome of reading `/ServiceProviderConfig`.
#[derive(Debug, Clone)]
pub enum Discovery {
    Served(Box<ServiceProviderConfig>),
    Unavailable { status: u16 },
}

impl Discovery {
    pub fn state(&self) -> DiscoveryState {
        match self {
            Self::Served(_) => DiscoveryState::Available,
            Self::Unavailable { status } => DiscoveryState::Unavailable { status: *status },
        }
    }

    pub fn config(&self) -> Option<&ServiceProviderConfig> {
        match self {
            Self::Served(spc) => Some(spc),
            Self::Unavailable { .. } => None,
        }
    }
}

/// Reads `/ServiceProviderConfig`; a target without it is [`Discovery::Unavailable`], not an
/// error. Authentication failures and every other error still fail.
pub async fn discover(client: &scim::Client) -> Result<Discovery> {
    match client.service_provider_config().await {
        Ok(spc) => Ok(Discovery::Served(Box::new(spc))),
        Err(e) => match e.status() {
            Some(status) if is_missing_endpoint(status) => Ok(Discovery::Unavailable { status }),
            _ => Err(e.into()),
        },
    }
}

/// Statuses with which servers and gateways say "no such endpoint" or "not implemented".
fn is_missing_endpoint(status: u16) -> bool {
    matches!(status, 404 | 405 | 501)
}

/// What a successful check learned about a target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionReport {
    pub latency: Duration,
    pub user_count: Option<u64>,
    pub group_count: Option<u64>,
    pub discovery: DiscoveryState,
    /// Capabilities the target advertises in ServiceProviderConfig (all false without it).
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
        match self.discovery {
            DiscoveryState::Unavailable { status } => parts.push(format!(
                "discovery unavailable (ServiceProviderConfig answered HTTP {status}; capabilities unknown)"
            )),
            DiscoveryState::Available if !caps.is_empty() => {
                parts.push(format!("supports {}", caps.join(", ")))
            }
            DiscoveryState::Available => {}
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

/// Discovery, then the user and group totals from one-item pages. The user count is the read
/// probe: it runs with or without discovery and fails on a bad token.
pub async fn check(client: &scim::Client) -> Result<ConnectionReport> {
    let started = Instant::now();
    let discovery = discover(client).await?;
    let user_count = client.count::<scim::models::User>().await?;
    let group_count = client.count::<scim::models::Group>().await?;
    let config = discovery.config();
    Ok(ConnectionReport {
        latency: started.elapsed(),
        user_count,
        group_count,
        discovery: discovery.state(),
        patch: config
            .and_then(|c| c.patch.as_ref())
            .is_some_and(|p| p.supported),
        filter: config
            .and_then(|c| c.filter.as_ref())
            .is_some_and(|f| f.supported),
        bulk: config
            .and_then(|c| c.bulk.as_ref())
            .is_some_and(|b| b.supported),
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
            discovery: DiscoveryState::Available,
            patch: true,
            filter: false,
            bulk: false,
        };
        assert_eq!(
            report.summary(),
            "SCIM 2.0 reachable in 12 ms; 16 users; 1 group; supports PATCH"
        );
        let without = ConnectionReport {
            discovery: DiscoveryState::Unavailable { status: 404 },
            patch: false,
            group_count: None,
            ..report
        };
        assert_eq!(
            without.summary(),
            "SCIM 2.0 reachable in 12 ms; 16 users; discovery unavailable \
             (ServiceProviderConfig answered HTTP 404; capabilities unknown)"
        );
    }
}

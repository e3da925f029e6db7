//! Simulator configuration: dialect, credentials, limits, faults.

use std::fmt;

use base64::Engine as _;
use rand::Rng as _;
use serde::{Deserialize, Serialize};

use super::faults::FaultConfig;

/// Which target's behaviour to reproduce (TARGETS.md sections 1-4, 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
#[ts(export_to = "sim/", rename = "SimDialect")]
pub enum Dialect {
    /// RFC 7644 as written: index paging, full filter grammar, PATCH, ETags.
    Generic,
    /// AWS IAM Identity Center: cursor paging, `eq`/`and` filters, empty group members.
    Aws,
    /// StrongDM: `a-`/`r-` ids, user PATCH only toggles `active`, fixed group PATCH forms.
    StrongDm,
    /// Unity Cloud: Basic (key id:secret) or Bearer auth under `/scim/v2/tenants/{orgId}`.
    Unity,
    /// Axis Security: generic behaviour behind a bearer token.
    Axis,
}

impl Dialect {
    pub const ALL: [Dialect; 5] = [
        Dialect::Generic,
        Dialect::Aws,
        Dialect::StrongDm,
        Dialect::Unity,
        Dialect::Axis,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::Generic => "generic",
            Dialect::Aws => "aws",
            Dialect::StrongDm => "strongdm",
            Dialect::Unity => "unity",
            Dialect::Axis => "axis",
        }
    }

    /// Parse a CLI/config name (case-insensitive).
    pub fn parse(name: &str) -> Option<Dialect> {
        Dialect::ALL
            .into_iter()
            .find(|d| d.as_str().eq_ignore_ascii_case(name))
    }
}

/// A secret string: `Debug`/`Display` never show it; call [`Secret::expose`] on purpose.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Unity service-account credentials for `Authorization: Basic base64(keyId:secret)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BasicCredential {
    pub key_id: String,
    pub secret: Secret,
}

impl BasicCredential {
    /// The full `Authorization` header value.
    pub fn header_value(&self) -> String {
        let raw = format!("{}:{}", self.key_id, self.secret.expose());
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(raw)
        )
    }
}

/// What the simulator accepts as credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    pub bearer: Secret,
    /// Only honoured by the Unity dialect.
    pub basic: Option<BasicCredential>,
}

impl Credential {
    /// `Authorization` header value for the bearer token.
    pub fn bearer_header(&self) -> String {
        format!("Bearer {}", self.bearer.expose())
    }
}

/// Whether the discovery endpoints (`/ServiceProviderConfig`, `/Schemas`, `/ResourceTypes`)
/// exist. No source documents them for StrongDM, Axis or Unity, so tests switch them off to
/// check that Test Connection falls back to a read probe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DiscoveryEndpoints {
    #[default]
    Served,
    /// A SCIM 404 error body, as from a server that routes only `/Users` and `/Groups`.
    NotFound,
    /// A gateway's HTML 404 page.
    HtmlNotFound,
    /// 501 Not Implemented.
    NotImplemented,
}

#[derive(Debug, Clone)]
pub struct SimConfig {
    pub dialect: Dialect,
    /// 0 = any free port.
    pub port: u16,
    /// Bearer token; a random one when `None`.
    pub token: Option<Secret>,
    /// Unity Basic credentials; random ones for Unity when `None`.
    pub basic: Option<BasicCredential>,
    /// AWS tenant id or Unity organization id in the base path; a fixed demo value when `None`.
    pub tenant: Option<String>,
    /// Page-size cap for index paging (`count` above it is lowered). AWS always uses 100.
    pub max_results: usize,
    pub faults: FaultConfig,
    pub discovery: DiscoveryEndpoints,
    /// Request-log ring size; older entries are dropped (counters keep counting).
    pub request_log_limit: usize,
}

impl SimConfig {
    pub fn new(dialect: Dialect) -> Self {
        SimConfig {
            dialect,
            port: 0,
            token: None,
            basic: None,
            tenant: None,
            max_results: 200,
            faults: FaultConfig::default(),
            discovery: DiscoveryEndpoints::Served,
            request_log_limit: 100_000,
        }
    }
    pub fn with_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(Secret::new(token));
        self
    }
    /// A fresh random bearer token starting with `prefix` (so a grep for the prefix finds any
    /// copy of it), different on every run.
    pub fn with_random_token(mut self, prefix: &str) -> Self {
        self.token = Some(Secret::new(format!("{prefix}{}", random_hex(32))));
        self
    }
    pub fn with_port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }
    pub fn with_tenant(mut self, tenant: impl Into<String>) -> Self {
        self.tenant = Some(tenant.into());
        self
    }
    pub fn with_basic(mut self, key_id: impl Into<String>, secret: impl Into<String>) -> Self {
        self.basic = Some(BasicCredential {
            key_id: key_id.into(),
            secret: Secret::new(secret),
        });
        self
    }
    pub fn with_max_results(mut self, max: usize) -> Self {
        self.max_results = max.max(1);
        self
    }
    pub fn with_faults(mut self, faults: FaultConfig) -> Self {
        self.faults = faults;
        self
    }
    pub fn with_discovery(mut self, discovery: DiscoveryEndpoints) -> Self {
        self.discovery = discovery;
        self
    }

    pub(crate) fn credential(&self) -> Credential {
        let bearer = self
            .token
            .clone()
            .unwrap_or_else(|| Secret::new(random_hex(32)));
        let basic = match (self.dialect, &self.basic) {
            (_, Some(b)) => Some(b.clone()),
            (Dialect::Unity, None) => Some(BasicCredential {
                key_id: random_hex(8),
                secret: Secret::new(random_hex(24)),
            }),
            _ => None,
        };
        Credential { bearer, basic }
    }

    /// Path prefix every endpoint lives under.
    pub(crate) fn base_path(&self) -> String {
        match self.dialect {
            Dialect::Generic | Dialect::Axis => "/scim/v2".to_string(),
            Dialect::Aws => format!(
                "/{}/scim/v2",
                self.tenant.as_deref().unwrap_or("d-9067e2f1c3-demo")
            ),
            Dialect::StrongDm => "/provisioning/generic/v2".to_string(),
            Dialect::Unity => format!(
                "/scim/v2/tenants/{}",
                self.tenant.as_deref().unwrap_or("demo-org-000000")
            ),
        }
    }
}

fn random_hex(bytes: usize) -> String {
    let mut rng = rand::thread_rng();
    (0..bytes)
        .map(|_| format!("{:02x}", rng.gen::<u8>()))
        .collect()
}

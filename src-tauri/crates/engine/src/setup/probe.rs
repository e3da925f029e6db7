//! Test Connection for a target configuration: discovery and counts, read-only.

use std::time::{Duration, Instant};

use super::{client, TargetDraft};
use crate::error::Result;

/// What Test Connection found. Read-only: discovery and one-item list pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeReport {
    pub base_url: String,
    pub latency: Duration,
    pub requests: u64,
    /// Without discovery the capability flags below are all false: unknown, not absent.
    pub discovery: crate::connection::DiscoveryState,
    pub patch: bool,
    pub bulk: bool,
    pub filter: bool,
    pub filter_max_results: Option<u64>,
    pub sort: bool,
    pub etag: bool,
    /// Schema ids from `/Schemas`; `None` when the target does not serve it.
    pub schemas: Option<Vec<String>>,
    /// `(name, endpoint)` from `/ResourceTypes`; `None` when not served.
    pub resource_types: Option<Vec<(String, String)>>,
    pub user_count: Option<u64>,
    pub group_count: Option<u64>,
    /// How this app pages through the target's lists (from the target's profile).
    pub paging: targets::PagingStyle,
    pub page_size: u32,
}

/// Test Connection for a configuration that is not saved: validates URL and credentials by the
/// target's rules, then reads ServiceProviderConfig, Schemas and ResourceTypes and counts users
/// and groups with one-item pages. Nothing is written to the target. A wrong token fails with
/// the SCIM client's 401 error and its hint.
pub async fn test_target_config(
    draft: &TargetDraft,
    credentials: &targets::Credentials,
) -> Result<ProbeReport> {
    let url = draft.normalized_url()?;
    let creds = credentials.clone().validated(draft.kind)?;
    let client = client(draft.kind, &url, &creds)?;
    probe(draft.kind, &client).await
}

async fn probe(kind: targets::Kind, client: &scim::Client) -> Result<ProbeReport> {
    let started = Instant::now();
    let discovery = crate::connection::discover(client).await?;
    let spc = discovery.config().cloned().unwrap_or_default();
    // Schemas and ResourceTypes are optional for some vendors; a failure there is "not served",
    // except authentication problems, which the count below reports anyway.
    let schemas = client
        .schemas()
        .await
        .ok()
        .map(|s| s.into_iter().map(|s| s.id).collect());
    let resource_types = client
        .resource_types()
        .await
        .ok()
        .map(|r| r.into_iter().map(|r| (r.name, r.endpoint)).collect());
    let user_count = client.count::<scim::models::User>().await?;
    let group_count = match targets::capabilities(kind).groups.supported {
        true => client.count::<scim::models::Group>().await?,
        false => None,
    };
    let caps = targets::capabilities(kind);
    let page_size = match targets::scim_paging(kind) {
        scim::Paging::Cursor { page_size } | scim::Paging::Index { page_size } => page_size,
    };
    Ok(ProbeReport {
        base_url: client.base_url().to_owned(),
        latency: started.elapsed(),
        requests: client.stats().requests,
        discovery: discovery.state(),
        patch: spc.patch.as_ref().is_some_and(|c| c.supported),
        bulk: spc.bulk.as_ref().is_some_and(|c| c.supported),
        filter: spc.filter.as_ref().is_some_and(|c| c.supported),
        filter_max_results: spc.filter.as_ref().and_then(|f| f.max_results),
        sort: spc.sort.as_ref().is_some_and(|c| c.supported),
        etag: spc.etag.as_ref().is_some_and(|c| c.supported),
        schemas,
        resource_types,
        user_count,
        group_count,
        paging: caps.paging,
        page_size,
    })
}

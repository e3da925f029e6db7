//! SCIM service-provider simulator with target dialects and fault injection.
//!
//! `SimTarget::start(SimConfig::new(Dialect::Aws))` serves a SCIM 2.0 API on 127.0.0.1 that
//! reproduces the documented quirks of each target (TARGETS.md §1-4, §6). The returned
//! [`SimHandle`] seeds and inspects the store, counts requests and injects faults.
//! `SimTarget::spawn_in_thread` does the same on its own thread and runtime.
//!
//! Base paths: Generic and Axis `/scim/v2`; AWS `/{tenant}/scim/v2`; StrongDM
//! `/provisioning/generic/v2`; Unity `/scim/v2/tenants/{orgId}`.
//!
//! What each dialect answers differently (everything else is RFC 7644):
//! - **AWS**: `GET /Users|/Groups` take only `filter`, `count` (1-100, default 100) and
//!   `cursor`; no `cursor` = one page with `totalResults`/`startIndex`; with `cursor`
//!   (empty to start) = `itemsPerPage` + `nextCursor` (standard base64, so it must be
//!   URL-encoded). Filters: `eq` joined by `and` on userName, externalId, id, displayName,
//!   groups.value, manager (users) and displayName, externalId, id, members (groups;
//!   `members` only with `id`). Groups never show `members`. PatchGroup answers 204, PUT on a
//!   group and `/Bulk`, `/Me`, `/.search` are 400. Errors are 400/401/404/409/429 in AWS's
//!   body shape (`schema` and `schemas`, `exceptionRequestId`, `timeStamp`, no `scimType`;
//!   [`aws_wire`]) with the exception name in the `x-amzn-ErrorType` header;
//!   ServiceProviderConfig announces `filter.maxResults` 50. No ETags.
//! - **StrongDM**: ids `a-<16 hex>` / `r-<16 hex>`; filters only `userName eq` /
//!   `displayName eq` (else 400 invalidFilter); user PATCH only
//!   `{"op":"replace","value":{"active":bool}}` (204 if unchanged); PUT user needs `active`,
//!   `name.givenName`, `name.familyName`; PUT group needs `displayName` and `members`; group
//!   PATCH only the four documented forms. No ETags.
//! - **Unity**: `Authorization: Basic base64(keyId:secret)` or `Bearer`.
//! - **Generic/Unity/Axis**: index paging capped at `SimConfig::max_results`, the full
//!   filter grammar, `sortBy`, `attributes`/`excludedAttributes`, `POST /{type}/.search`,
//!   `If-Match` (412), `/Bulk` and `/Me` are 501.
//!
//! All dialects: userName (users) and displayName (groups) are unique case-insensitively
//! (409 `uniqueness`); group members must exist (400 `invalidValue`); deleting a resource
//! removes it from every group. Error bodies follow the SCIM Error schema.
//!
//! Faults are applied before authentication, like a gateway in front of the service:
//! a queued [`Fault`] fires on the next request in its [`FaultScope`]; random 429/503 follow
//! [`FaultConfig`]'s seeded RNG. Every response with `Retry-After` is recorded
//! ([`SimHandle::retry_after_log`], [`SimHandle::retry_violations`]).

mod aws;
mod aws_wire;
mod config;
mod discovery;
mod error;
mod extensions;
mod faults;
mod filter;
mod handle;
mod handlers;
mod json;
mod patch;
mod proxy;
mod schemas;
mod seed;
mod server;
mod stats;
mod store;
mod strongdm;

pub use config::{BasicCredential, Credential, Dialect, DiscoveryEndpoints, Secret, SimConfig};
pub use error::{ApiError, Result, ScimType, SimError};
pub use faults::{Fault, FaultConfig, FaultScope, RateLimit};
pub use filter::{Filter, FilterError};
pub use handle::{SimHandle, SimTarget};
pub use proxy::{FaultProxy, ProxyHandle};
pub use seed::{generate_groups, generate_users};
pub use stats::{longest_refused_streak, RequestRecord, RequestStats, RetryViolation};
pub use store::StoreSnapshot;

//! SCIM 2.0 client and models (RFC 7643/7644): discovery, paging dialects,
//! filters, CRUD, PATCH, retries.
//!
//! Vendor differences are data: the caller passes a [`Dialect`] and a
//! [`Paging`] mode in [`ClientConfig`]; the `targets` crate owns the per-vendor
//! choices.
//!
//! ```no_run
//! # async fn demo() -> scim::Result<()> {
//! use scim::{Auth, Client, ClientConfig, Filter, MembershipRead, Paging, Secret};
//!
//! // An AWS-like target: cursor paging, members read by filter, no replace-all.
//! let mut cfg = ClientConfig::new(
//!     "https://scim.us-east-1.amazonaws.com/t-123/scim/v2/",
//!     Auth::Bearer(Secret::new("token from the keychain")),
//! );
//! cfg.paging = Paging::Cursor { page_size: 100 };
//! cfg.dialect.membership_read = MembershipRead::FilterByMember;
//! cfg.dialect.membership.allow_replace_all = false;
//! let client = Client::new(cfg)?;
//!
//! let users = client.list_all_users(None).await?;
//! let groups = client.list_all_groups(Some(&Filter::eq("displayName", "Admins"))).await?;
//! let user_ids: Vec<String> = users.iter().filter_map(|u| u.id.clone()).collect();
//! let memberships = client.group_memberships(&groups, &user_ids).await?;
//! println!("{} groups, {} requests", memberships.len(), client.stats().requests);
//! # Ok(()) }
//! ```

#![cfg_attr(test, allow(clippy::unwrap_used))]

mod client;
mod config;
mod count;
mod error;
mod excerpt;
pub mod filter;
mod membership;
pub mod models;
mod pacing;
mod paging;
mod resource;
mod retry;
mod throttle;
mod transport;

pub use client::{Client, Created, DeleteOutcome};
pub use config::{
    normalize_base_url, Auth, ClientConfig, DeactivateForm, Dialect, MemberRemoveForm,
    MembershipPolicy, MembershipRead, Paging, RetryPolicy, SystemResolver, Timeouts,
    CURSOR_MAX_PAGE_SIZE,
};
pub use count::ConnectionCheck;
pub use error::{BaseUrlProblem, Error, HttpError, Result, TransportKind};
pub use excerpt::{redact as redact_excerpt, EXCERPT_CHARS};
pub use filter::{CompareOp, Filter};
pub use membership::Memberships;
pub use pacing::Pace;
pub use paging::{ListProgress, ProgressFn};
pub use resource::Resource;
pub use secrets::Secret;
pub use tokio_util::sync::CancellationToken;
pub use transport::{
    decode_reply, decode_reply_opt, fast_retry_policy, Exchange, Observer, StatsSnapshot,
};

//! SCIM 2.0 client and models (RFC 7643/7644): discovery, paging dialects,
//! filters, CRUD, PATCH, retries.
//!
//! Vendor differences are data: the caller passes a [`Dialect`] and a
//! [`Paging`] mode in [`ClientConfig`]; the `targets` crate owns the per-vendor
//! choices.

mod client;
mod config;
mod count;
mod error;
mod excerpt;
pub mod filter;
mod membership;
pub mod models;
mod paging;
mod resource;
mod retry;
mod secret;
mod transport;

pub use client::{Client, ConnectionCheck, Created, DeleteOutcome};
pub use config::{
    normalize_base_url, Auth, ClientConfig, DeactivateForm, Dialect, MemberRemoveForm,
    MembershipPolicy, MembershipRead, Paging, RetryPolicy, Timeouts, CURSOR_MAX_PAGE_SIZE,
};
pub use error::{BaseUrlProblem, Error, HttpError, Result, TransportKind};
pub use excerpt::{redact as redact_excerpt, EXCERPT_CHARS};
pub use filter::{CompareOp, Filter};
pub use membership::Memberships;
pub use paging::{ListProgress, ProgressFn};
pub use resource::Resource;
pub use secret::Secret;
pub use tokio_util::sync::CancellationToken;
pub use transport::{fast_retry_policy, Exchange, Observer, StatsSnapshot};

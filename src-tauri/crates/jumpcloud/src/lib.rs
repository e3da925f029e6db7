//! JumpCloud reader: the directory model, an API v1/v2 client with all-or-nothing snapshots,
//! our JSON snapshot format, and the admin console's CSV user export.
//!
//! ```no_run
//! # async fn demo() -> jumpcloud::Result<()> {
//! use jumpcloud::{Client, ClientConfig, Region, SnapshotOptions};
//! let client = Client::new(ClientConfig::new(Region::Us, "api-key").org_id("org"))?;
//! let cancel = tokio_util::sync::CancellationToken::new();
//! let dir = client.snapshot(&SnapshotOptions::default(), |_| {}, &cancel).await?;
//! let scope = dir.app_scope("app-id")?;
//! # Ok(()) }
//! ```

#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod client;
pub mod csv_import;
pub mod directory;
pub mod error;
pub mod model;
pub mod secret;
pub mod snapshot;
pub mod wire;

pub use client::{
    parse_base_url, Bound, Client, ClientConfig, Region, RetryPolicy, SystemResolver,
    MAX_BODY_BYTES, MAX_PAGE_SIZE,
};
pub use csv_import::{import_users_csv, CsvImport, CsvMode, CsvWarning};
pub use directory::{AppBinding, AppScope, Directory, DirectoryStats, GroupMembers};
pub use error::{CsvErrorReason, CsvRowError, Error, Hint, Result};
pub use model::{
    Address, Application, CustomAttribute, Organization, PhoneNumber, SystemUser, UserGroup,
    UserState,
};
pub use secret::ApiKey;
pub use snapshot::{SnapshotOptions, SnapshotPhase, SnapshotProgress};
pub use tokio_util::sync::CancellationToken;

//! SCIM service-provider simulator with target dialects and fault injection.
//!
//! `SimTarget::start(SimConfig::new(Dialect::Aws))` serves a SCIM 2.0 API on 127.0.0.1 that
//! reproduces the documented quirks of each target (TARGETS.md §1-4, §6). The returned
//! [`SimHandle`] seeds and inspects the store, counts requests and injects faults.
//!
//! Error bodies always follow the SCIM Error schema. The AWS dialect additionally names the
//! AWS exception in a `"__type"` field and in the `x-amzn-ErrorType` header
//! (e.g. `ValidationException`, `ThrottlingException`).

mod aws;
mod config;
mod discovery;
mod error;
mod faults;
mod filter;
mod handle;
mod handlers;
mod json;
mod patch;
mod seed;
mod server;
mod stats;
mod store;
mod strongdm;

pub use config::{BasicCredential, Credential, Dialect, Secret, SimConfig};
pub use error::{ApiError, Result, ScimType, SimError};
pub use faults::{Fault, FaultConfig, FaultScope};
pub use filter::{Filter, FilterError};
pub use handle::{SimHandle, SimTarget};
pub use seed::{generate_groups, generate_users};
pub use stats::{RequestRecord, RequestStats, RetryViolation};
pub use store::StoreSnapshot;

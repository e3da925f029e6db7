//! Target profiles (AWS IAM Identity Center, Unity, StrongDM, Axis, generic SCIM):
//! base URL and auth rules, capabilities, token facts, the JumpCloud -> SCIM
//! mapping with each target's eligibility rules, and the setup wizard as data.
//!
//! ```
//! use targets::{Kind, Profile};
//! let aws = Profile::new(Kind::Aws);
//! let url = aws.normalize_base_url("https://scim.us-east-1.amazonaws.com/t-123/scim/v2/").unwrap();
//! assert_eq!(url.as_str(), "https://scim.us-east-1.amazonaws.com/t-123/scim/v2");
//! ```

#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod attributes;
pub mod auth;
pub mod base_url;
pub mod capabilities;
pub mod eligibility;
pub mod error;
pub mod expected;
mod field;
pub mod kind;
pub mod mapping;
pub mod profile;
pub mod scim_config;
pub mod settings;
pub mod tokens;
pub mod wizard;
pub mod write_rules;

#[cfg(test)]
mod test_support;

pub use attributes::{
    attribute_rules, compare_spec, managed_attributes, AttributeRule, Constraint, ManagedAttributes,
};
pub use auth::{auth_kinds, basic_header_value, parse_basic_value, AuthKind, Credentials};
pub use base_url::{normalize_base_url, normalize_local_endpoint};
pub use capabilities::{
    capabilities, Capabilities, Deprovision, FilterOp, FilterSupport, GroupMeaning, GroupPatch,
    GroupSupport, MemberRemoval, MembershipRead, PagingStyle, UserPatch,
};
pub use eligibility::{user_reasons, ReasonCode};
pub use error::{BasicValueProblem, Error, Result, UrlProblem};
pub use expected::{project, Projection};
pub use kind::Kind;
pub use profile::{Profile, ProfileInfo};
pub use scim_config::{client_config, scim_auth, scim_dialect, scim_paging};
pub use settings::Settings;
pub use tokens::{token_facts, Lifetime, Source, TokenFacts};
pub use wizard::{wizard, FieldId, Step, Wizard};
pub use write_rules::write_rules;

/// The drift input types this crate produces, re-exported for callers.
pub use drift::{DriftReason as Reason, Expected, ExpectedGroup, ExpectedUser, Ineligible};
